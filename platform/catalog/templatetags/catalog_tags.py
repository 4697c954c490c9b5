"""Template filters of the catalog for any app: `{% load catalog_tags %}`."""

from django import template

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """Whole đồng the Vietnamese way: 12345678 → "12.345.678 ₫"."""
    if amount in (None, ""):
        return ""
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return ""
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + "\u00a0₫"


@register.filter
def stars(count) -> str:
    try:
        return "★" * int(count)
    except (TypeError, ValueError):
        return ""
