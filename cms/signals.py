"""Cache purging on publication: infrastructure, not business logic.

Wagtail sends these signals from the editor and from `publish_scheduled`,
so scheduled pages appear without waiting for the cache to expire.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from .cache import purge_province_pages


def _purge(sender, **kwargs) -> None:
    purge_province_pages()


def connect() -> None:
    from events.models import Booth, Fair, Livestream

    page_published.connect(_purge, dispatch_uid="cms_purge_published")
    page_unpublished.connect(_purge, dispatch_uid="cms_purge_unpublished")
    # Event pages and the home page show events, so their changes purge too.
    for model in (Fair, Livestream, Booth):
        post_save.connect(_purge, sender=model, dispatch_uid=f"cms_purge_{model}")
        post_delete.connect(_purge, sender=model, dispatch_uid=f"cms_purge_d{model}")
