"""Rules for a province's subdomain (which also names its schema)."""

import re
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

SUBDOMAIN_MAX_LENGTH = 30
SUBDOMAIN_PATTERN = re.compile(r"^[a-z](?:[a-z0-9-]*[a-z0-9])?$")
RESERVED_SUBDOMAINS = frozenset(
    {
        "www",
        "admin",
        "api",
        "graphql",
        "public",
        "static",
        "media",
        "mail",
        "smtp",
        "ftp",
        "template",
        "signup",
        "dang-ky",
        "national",
        "ketnoi",
        "information-schema",
    }
)


@cache
def postgres_reserved_words() -> frozenset[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM pg_get_keywords() WHERE catcode = 'R'")
        return frozenset(row[0] for row in cursor.fetchall())


def schema_name_for(subdomain: str) -> str:
    return subdomain.replace("-", "_")


def check_subdomain_shape(subdomain: str) -> None:
    """Raise ValidationError unless the subdomain may name a new province."""
    if len(subdomain) > SUBDOMAIN_MAX_LENGTH:
        raise ValidationError(
            _("The subdomain is too long: at most %(max)d characters.")
            % {"max": SUBDOMAIN_MAX_LENGTH},
            code="too_long",
        )
    if len(subdomain) < 2 or not SUBDOMAIN_PATTERN.match(subdomain):
        raise ValidationError(
            _(
                "Use 2 or more lowercase letters without accents (a–z), digits "
                "and hyphens; start with a letter and do not end with a hyphen."
            ),
            code="invalid",
        )
    schema = schema_name_for(subdomain)
    reserved = (
        subdomain in RESERVED_SUBDOMAINS
        or schema == settings.TENANT_BASE_SCHEMA
        or schema == settings.PUBLIC_SCHEMA_NAME
        or schema.startswith("pg")
        or schema in postgres_reserved_words()
    )
    if reserved:
        raise ValidationError(
            _("The subdomain “%(name)s” is reserved. Please choose another.")
            % {"name": subdomain},
            code="reserved",
        )


def check_subdomain_free(subdomain: str, *, ignore_application=None) -> None:
    from .models import Application, Domain, Province

    host = f"{subdomain}.{settings.BASE_DOMAIN}"
    taken = (
        Province.objects.filter(slug=subdomain).exists()
        or Province.objects.filter(schema_name=schema_name_for(subdomain)).exists()
        or Domain.objects.filter(domain=host).exists()
        or Application.objects.filter(subdomain=subdomain)
        .exclude(status__in=[Application.Status.REJECTED, Application.Status.FAILED])
        .exclude(pk=getattr(ignore_application, "pk", None))
        .exists()
    )
    if taken:
        raise ValidationError(
            _("The subdomain “%(name)s” is already taken.") % {"name": subdomain},
            code="taken",
        )


def check_province_free(province_code: int) -> None:
    from .models import Province

    if Province.objects.filter(
        kind=Province.Kind.PROVINCE,
        status=Province.Status.ACTIVE,
        province_code=province_code,
    ).exists():
        raise ValidationError(
            _("This province already has an active site on Kết Nối."),
            code="province_active",
        )
