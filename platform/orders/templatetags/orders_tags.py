from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def qty(value: Decimal | None) -> str:
    """A quantity without trailing zeros: 2, 1,5."""
    if value is None:
        return ""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")
