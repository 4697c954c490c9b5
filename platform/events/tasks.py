from celery import shared_task
from django_tenants.utils import get_tenant_model, schema_context

from . import services


@shared_task(name="events.send_livestream_reminders")
def send_livestream_reminders() -> int:
    """Run in a province's schema (tenant-schemas-celery passes it along)."""
    return services.send_due_reminders()


@shared_task(name="events.remind_all_provinces")
def remind_all_provinces() -> int:
    """The beat entry: queue each active province's reminder run."""
    provinces = get_tenant_model().objects.filter(kind="province", status="active")
    count = 0
    for schema in provinces.values_list("schema_name", flat=True):
        with schema_context(schema):
            send_livestream_reminders.delay()
        count += 1
    return count
