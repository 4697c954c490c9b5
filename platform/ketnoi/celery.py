import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")

app = CeleryApp("ketnoi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
