from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page

register = template.Library()


@register.inclusion_tag("cms/includes/share_meta.html", takes_context=True)
def share_meta(context, page: Page | None = None):
    """Open Graph and Twitter card tags; Zalo and Facebook both read Open Graph."""
    request = context["request"]
    page = page or context.get("page")
    title = description = image_url = ""
    if page is not None:
        title = page.seo_title or page.title
        getter = getattr(page, "get_share_description", None)
        description = getter() if getter else page.search_description
        image = page.get_share_image() if hasattr(page, "get_share_image") else None
        if image is not None:
            rendition = image.get_rendition("fill-1200x630|format-jpeg")
            image_url = request.build_absolute_uri(rendition.url)
    return {
        "title": title,
        "description": Truncator(strip_tags(description or "")).chars(200),
        "image_url": image_url,
        "url": request.build_absolute_uri(request.path),
        "site_name": context.get("site_name", ""),
    }
