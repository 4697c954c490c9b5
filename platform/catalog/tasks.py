"""The daily certificate check, fanned out to every active province."""

import logging
from datetime import date

from celery import shared_task
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenants.models import Province

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="catalog.check_certificate_expiry")
def check_certificate_expiry(on: str | None = None) -> int:
    """Queue one check per active province (the beat runs this in public)."""
    day = on or timezone.localdate().isoformat()
    provinces = Province.objects.filter(
        kind=Province.Kind.PROVINCE, status=Province.Status.ACTIVE
    )
    count = 0
    for province in provinces:
        # Queued from inside the province, the task carries its schema along.
        with tenant_context(province):
            check_province_certificates.delay(day)
        count += 1
    return count


@shared_task(name="catalog.check_province_certificates")
def check_province_certificates(on: str) -> dict:
    day = date.fromisoformat(on)
    warned = services.send_expiry_warnings(on=day)
    delisted = services.delist_expired(on=day)
    logger.info(
        "Certificate check in %s: %s warnings, %s products delisted",
        connection.schema_name,
        warned,
        len(delisted),
    )
    return {"warned": warned, "delisted": len(delisted)}
