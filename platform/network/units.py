"""Communes and wards of the tenant's province, from the vietnam-provinces package.

Codes are kept as five-digit strings ("00070"), the way official lists print
them; the package hands them out as integers.
"""

import unicodedata
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _
from vietnam_provinces import ProvinceCode, Ward


def format_code(code: int | str) -> str:
    return f"{int(code):05d}"


@cache
def ward_choices(province_code: int) -> tuple[tuple[str, str], ...]:
    wards = Ward.iter_by_province(ProvinceCode(province_code))
    ordered = sorted(wards, key=lambda ward: int(ward.code))
    return tuple((format_code(ward.code), ward.name) for ward in ordered)


@cache
def _ward_names(province_code: int) -> dict[str, str]:
    return dict(ward_choices(province_code))


def ward_name(code: str | None, province_code: int | None = None) -> str:
    if not code:
        return ""
    province_code = province_code or current_province_code()
    if province_code:
        return _ward_names(province_code).get(code, code)
    return code


@cache
def _province_code_of_schema(schema_name: str) -> int | None:
    from tenants.models import Province

    return (
        Province.objects.filter(schema_name=schema_name)
        .values_list("province_code", flat=True)
        .first()
    )


def current_province_code() -> int | None:
    """The official code of the province whose schema the connection uses."""
    tenant = connection.tenant
    code = getattr(tenant, "province_code", None)
    if code is None:
        # schema_context() sets a bare schema name, not the tenant row.
        code = _province_code_of_schema(connection.schema_name)
    return code


def check_ward_in_province(code: str, province_code: int | None = None) -> str:
    """The normalised code, or a ValidationError naming the problem."""
    province_code = province_code or current_province_code()
    try:
        normalised = format_code(code)
    except (TypeError, ValueError):
        raise ValidationError(
            _("“%(code)s” is not a commune or ward code."),
            code="bad_ward",
            params={"code": code},
        ) from None
    if province_code is None or normalised not in _ward_names(province_code):
        raise ValidationError(
            _("The commune or ward %(code)s is not in this province."),
            code="ward_elsewhere",
            params={"code": normalised},
        )
    return normalised


def fold(text: str) -> str:
    """Lower case without diacritics: "phuong hoan kiem" matches the official name."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


_PREFIXES = ("phuong ", "xa ", "dac khu ", "thi tran ")


@cache
def _ward_lookup(province_code: int) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, name in ward_choices(province_code):
        folded = fold(name)
        lookup[folded] = code
        for prefix in _PREFIXES:
            if folded.startswith(prefix):
                # A bare name stays ambiguous when a ward and a commune share it.
                bare = folded.removeprefix(prefix)
                lookup[bare] = "" if bare in lookup else code
    return lookup


def find_ward(text: str, province_code: int | None = None) -> str:
    """A ward code from a code or a name as people type it in spreadsheets."""
    text = (text or "").strip()
    province_code = province_code or current_province_code()
    if text.isdigit():
        return check_ward_in_province(text, province_code)
    code = _ward_lookup(province_code).get(fold(text)) if province_code else None
    if not code:
        raise ValidationError(
            _("No commune or ward called “%(name)s” in this province."),
            code="ward_unknown",
            params={"name": text},
        )
    return code
