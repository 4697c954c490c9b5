"""Writes of the api app: issuing and revoking API tokens, each with an audit row."""

import hashlib
import logging
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.models import Province

from .models import ApiToken, ApiTokenEvent

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "kn_"


def digest_of(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def _actor_name(actor: Any) -> str:
    return getattr(actor, "get_username", lambda: str(actor))() or "?"


def issue_token(
    *, province: Province | None, name: str, actor: Any
) -> tuple[ApiToken, str]:
    """Issue a token for one province (or, without a province, national).

    Answers the token record and the token itself, which is stored only as a
    digest: the caller shows it once.
    """
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name."), code="required")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            province=province, name=name[:120], prefix=raw[:10], digest=digest_of(raw)
        )
        ApiTokenEvent.objects.create(
            token=token,
            action="issued",
            actor=_actor_name(actor),
            actor_schema=connection.schema_name,
        )
    logger.info("API token %s issued for %s", token.pk, province or "national")
    return token, raw


def revoke_token(*, token: ApiToken, actor: Any) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise ValidationError(
                _("This token was already revoked."), code="already_revoked"
            )
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        ApiTokenEvent.objects.create(
            token=token,
            action="revoked",
            actor=_actor_name(actor),
            actor_schema=connection.schema_name,
        )
    logger.info("API token %s revoked", token.pk)
    return token
