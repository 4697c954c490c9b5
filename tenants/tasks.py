from celery import shared_task

from . import services


@shared_task(name="tenants.provision_application")
def provision_application_task(application_id: str) -> str:
    application = services.provision_application(application_id=application_id)
    return application.status
