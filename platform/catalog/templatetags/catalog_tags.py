"""Template filters of the catalog for any app: `{% load catalog_tags %}`.

Money is shown with `{% load money %}` (ketnoi/templatetags/money.py).
"""

from django import template

register = template.Library()


@register.filter
def stars(count) -> str:
    try:
        return "★" * int(count)
    except (TypeError, ValueError):
        return ""
