from django import template
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def chart_tonnes(board) -> SafeString:
    return board.chart("tonnes")


@register.filter
def chart_value(board) -> SafeString:
    return board.chart("value")
