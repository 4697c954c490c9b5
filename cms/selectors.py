"""Reads that feed the province site's pages.

Products, producers and pickup points belong to the catalog and network apps.
Until those apps are installed on this branch the functions that read them
answer empty results, so every page renders; each says what it will read.
"""

from typing import Any

from django.apps import apps
from django.utils import timezone
from wagtail.models import Page


def _installed(app_label: str) -> bool:
    return apps.is_installed(app_label)


# --- catalog and network (wired once those apps land) --------------------------


def featured_products(*, limit: int = 8) -> list[Any]:
    """Verified products to show on the home page, newest first.

    Answers [] until the catalog app is installed; then it reads the
    catalog's own selector of verified, featured products.
    """
    if not _installed("catalog"):
        return []
    from catalog import selectors as catalog  # type: ignore[import-not-found]

    return list(catalog.featured_products(limit=limit))


def story_products(page: Any) -> list[Any]:
    """The story's products the public may see; drafts in preview included."""
    from catalog.selectors import listed_products  # type: ignore[import-not-found]

    # Read through the page so that a preview shows the products being edited.
    ids = [product.pk for product in page.products.all()]
    if not ids:
        return []
    return list(listed_products().filter(pk__in=ids).order_by("name", "pk"))


def livestream_products(stream: Any) -> list[Any]:
    """A stream's listed products, each with `order_round`: an open round
    offering it, or None. Two queries whatever the number of products."""
    from events import selectors as events

    products = list(events.featured_products(stream))
    rounds: dict[int, int] = {}
    if products and _installed("orders"):
        from orders import selectors as orders  # type: ignore[import-not-found]

        rounds = orders.open_round_ids(product.pk for product in products)
    for product in products:
        product.order_round = rounds.get(product.pk)
    return products


def pickup_points_by_commune() -> list[tuple[str, list[Any]]]:
    """Open pickup points grouped by commune name, for "points near you"."""
    if not _installed("network"):
        return []
    from network import selectors as network  # type: ignore[import-not-found]

    return list(network.pickup_points_by_commune())


def impact_figures() -> dict[str, Any]:
    """Live figures for the home page; zeros for what is not yet recorded."""
    from events.selectors import event_totals

    totals = event_totals()
    figures: dict[str, Any] = {
        "tonnes_sold": float(totals["booth_weight_kg"] or 0) / 1000,
        "members_served": 0,
        "producers_supported": 0,
        "pickup_points": 0,
        "fairs_held": totals["fairs_held"],
    }
    if _installed("network"):
        from network import selectors as network  # type: ignore[import-not-found]

        figures.update(network.impact_figures())
    if _installed("catalog"):
        from catalog import selectors as catalog  # type: ignore[import-not-found]

        figures.update(catalog.impact_figures())
    if _installed("orders"):
        from orders import selectors as orders

        figures["tonnes_sold"] += orders.impact_figures()["tonnes_sold"]
    return figures


# --- pages and events -----------------------------------------------------------


def _live_of(model: type[Page]):
    return model.objects.live().public()


def latest_news(*, limit: int = 3) -> list[Page]:
    from .models import NewsPage

    return list(
        _live_of(NewsPage).select_related("image").order_by("-date", "-pk")[:limit]
    )


def latest_stories(*, limit: int = 3) -> list[Page]:
    from .models import ProducerStoryPage

    return list(
        _live_of(ProducerStoryPage)
        .select_related("image")
        .order_by("-first_published_at")[:limit]
    )


def live_campaigns(*, limit: int = 2) -> list[Page]:
    from .models import CampaignPage

    return list(
        _live_of(CampaignPage)
        .select_related("image")
        .order_by("-first_published_at")[:limit]
    )


def children_with_images(parent: Page, model: type[Page], *, limit: int) -> list:
    query = model.objects.child_of(parent).live().public().select_related("image")
    if hasattr(model, "date"):
        return list(query.order_by("-date", "-pk")[:limit])
    return list(query.order_by("-first_published_at")[:limit])


def event_index() -> Any:
    from .models import EventIndexPage

    return _live_of(EventIndexPage).first()


def upcoming_fairs(*, limit: int = 3) -> list[Any]:
    from events import selectors as events

    return events.upcoming_fairs(now=timezone.now(), limit=limit)


def upcoming_livestreams(*, limit: int = 3) -> list[Any]:
    from events import selectors as events

    return events.upcoming_livestreams(now=timezone.now(), limit=limit)


def livestream_url(stream: Any) -> str:
    """Where a stream's short link leads: its page with the featured products."""
    page = event_index()
    if page is None:
        return ""
    return page.url + page.reverse_subpage("livestream", args=[stream.code])


def fair_url(fair: Any) -> str:
    page = event_index()
    if page is None:
        return ""
    return page.url + page.reverse_subpage("fair", args=[fair.pk])
