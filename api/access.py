"""Who may read the national reports, and which provinces.

National staff come with a session on the national host (a staff or
superuser account of the public schema) or a national API token; a
province's token reads that province alone. Everything else is refused
before any query runs.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.models import Province

from .models import ApiToken
from .queries import NATIONAL, Scope
from .services import digest_of

# Writing the last use on every request would make each read a write.
LAST_USED_PRECISION = timedelta(minutes=5)


class AccessDenied(Exception):
    def __init__(self, message: str, code: str, status: int):
        super().__init__(message)
        self.code = code
        self.status = status


def bearer_token(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    kind, _sep, value = header.partition(" ")
    if kind.lower() != "bearer" or not value.strip():
        raise AccessDenied(
            _('The Authorization header must read "Bearer <token>".'),
            "BAD_AUTHORIZATION_HEADER",
            401,
        )
    return value.strip()


def is_national_staff(user: Any) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and (user.is_staff or user.is_superuser)
        and connection.schema_name == settings.PUBLIC_SCHEMA_NAME
    )


def scope_for_token(raw: str) -> Scope:
    token = (
        ApiToken.objects.select_related("province")
        .filter(digest=digest_of(raw), revoked_at__isnull=True)
        .first()
    )
    province = token.province if token else None
    usable = token is not None and (
        province is None
        or (
            province.kind == Province.Kind.PROVINCE
            and province.status == Province.Status.ACTIVE
        )
    )
    if not usable:
        raise AccessDenied(
            _("The API token is unknown or revoked."), "INVALID_TOKEN", 401
        )
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return NATIONAL if province is None else Scope.for_province(province)


def scope_for_request(request: HttpRequest) -> tuple[Scope, bool]:
    """The caller's scope, and whether it came from a token (no CSRF check)."""
    raw = bearer_token(request)
    if raw is not None:
        return scope_for_token(raw), True
    user = getattr(request, "user", None)
    if is_national_staff(user):
        return NATIONAL, False
    if user is not None and user.is_authenticated:
        raise AccessDenied(
            _("This account is not national staff; use a province's API token."),
            "FORBIDDEN",
            403,
        )
    raise AccessDenied(
        _(
            "Authentication required: sign in as national staff or send an API "
            'token in the Authorization header ("Bearer <token>").'
        ),
        "UNAUTHENTICATED",
        401,
    )
