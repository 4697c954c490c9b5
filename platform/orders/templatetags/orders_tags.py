from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def vnd(value: int | None) -> str:
    """Whole đồng with dots between thousands: 12.345.678 ₫."""
    if value is None or value == "":
        return ""
    return f"{int(value):,}".replace(",", ".") + " ₫"


@register.filter
def qty(value: Decimal | None) -> str:
    """A quantity without trailing zeros: 2, 1,5."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")
