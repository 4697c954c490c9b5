from django import template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def chart_tonnes(board) -> SafeString:
    return board.chart("tonnes")


@register.filter
def chart_value(board) -> SafeString:
    return board.chart("value")


@register.filter
def grouped(value) -> str:
    """Whole numbers as Vietnamese write them: 12.345.678."""
    return f"{int(value or 0):,}".replace(",", ".")


@register.filter
def kilo(value) -> str:
    """Three decimals with Vietnamese separators: 1.234,567."""
    text = f"{float(value or 0):,.3f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")
