"""Checks shared by the services and the importers; each raises ValidationError."""

from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber

VIETNAM = 84


def clean_phone(value: Any) -> PhoneNumber:
    """A Vietnamese phone number in E.164 (+84…), from what people type."""
    text = str(value or "").strip()
    if not text:
        raise ValidationError(_("A phone number is required."), code="phone_missing")
    try:
        number = PhoneNumber.from_string(text, region="VN")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not number.is_valid() or number.country_code != VIETNAM:
        raise ValidationError(
            _("“%(phone)s” is not a valid Vietnamese phone number."),
            code="phone_invalid",
            params={"phone": text},
        )
    return number


def clean_name(value: Any, *, field: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise ValidationError(
            _("%(field)s is required.") % {"field": field}, code="required"
        )
    return text
