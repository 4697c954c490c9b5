import logging

from celery import shared_task
from django.core.management import call_command
from django_tenants.utils import get_tenant_model, schema_context

logger = logging.getLogger(__name__)


@shared_task(name="cms.publish_scheduled_pages")
def publish_scheduled_pages() -> int:
    """Run Wagtail's scheduled publishing in every active province."""
    provinces = get_tenant_model().objects.filter(kind="province", status="active")
    count = 0
    for schema in provinces.values_list("schema_name", flat=True):
        with schema_context(schema):
            try:
                call_command("publish_scheduled", verbosity=0)
            except Exception:
                logger.exception("Scheduled publishing failed in %s", schema)
                continue
        count += 1
    return count
