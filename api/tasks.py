import logging

from celery import shared_task
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from . import rollup
from .changes import clear_change_flag

logger = logging.getLogger(__name__)


@shared_task(name="api.refresh_province_figures", bind=True)
def refresh_province_figures(self) -> str:
    """Refresh the store for the province whose schema the task runs in."""
    schema_name = connection.schema_name
    if schema_name == settings.PUBLIC_SCHEMA_NAME:
        logger.warning("Refresh of reporting figures sent without a province")
        return ""
    # Run in-process (no broker, in development), the refresh would otherwise
    # follow every single write; the flag then expires on its own instead,
    # which bounds it to one refresh per window.
    if not self.request.is_eager:
        clear_change_flag(schema_name)
    rollup.refresh_province(schema_name)
    return schema_name


@shared_task(name="api.rebuild_all")
def rebuild_all() -> int:
    """Nightly: queue a refresh of every province, one task each."""
    provinces = rollup.provinces_to_report()
    for province in provinces:
        with schema_context(province.schema_name):
            refresh_province_figures.apply_async()
    logger.info("Nightly rebuild queued for %s provinces", len(provinces))
    return len(provinces)
