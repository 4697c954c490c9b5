"""How every app shows money: `{% load money %}`, then `{{ amount|vnd }}`."""

from django import template

register = template.Library()


@register.filter
def vnd(amount) -> str:
    """Whole đồng the Vietnamese way: 12345678 → "12.345.678 ₫".

    A no-break space keeps the sign on the line of its number.
    """
    if amount in (None, ""):
        return ""
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return ""
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + "\u00a0₫"
