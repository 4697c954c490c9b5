"""Reads of events shared by pages, admin screens and reports."""

from datetime import datetime

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from .models import Booth, BoothSale, Fair, Livestream


def public_fairs() -> QuerySet[Fair]:
    return Fair.objects.filter(status__in=[Fair.Status.OPEN, Fair.Status.CLOSED])


def upcoming_fairs(*, now: datetime | None = None, limit: int = 3) -> list[Fair]:
    now = now or timezone.now()
    return list(public_fairs().filter(ends_at__gte=now).order_by("starts_at")[:limit])


def public_livestreams() -> QuerySet[Livestream]:
    return Livestream.objects.exclude(status=Livestream.Status.CANCELLED)


def upcoming_livestreams(
    *, now: datetime | None = None, limit: int = 3
) -> list[Livestream]:
    now = now or timezone.now()
    return list(
        public_livestreams()
        .filter(status=Livestream.Status.SCHEDULED, scheduled_at__gte=now)
        .order_by("scheduled_at")[:limit]
    )


def featured_products(stream: Livestream) -> QuerySet:
    """The stream's featured products that the public may see, by name."""
    from catalog.selectors import listed_products

    return (
        listed_products()
        .filter(livestreams=stream)
        .select_related("producer")
        .order_by("name", "pk")
    )


def accepted_booths(fair: Fair) -> list[Booth]:
    return list(
        fair.booths.filter(status=Booth.Status.ACCEPTED)
        .select_related("producer")
        .prefetch_related("products")
    )


def fair_sales(fair: Fair) -> dict:
    return BoothSale.objects.filter(booth__fair=fair).aggregate(
        amount=Sum("amount"), weight_kg=Sum("weight_kg"), orders=Sum("orders_count")
    )


def event_totals() -> dict:
    """Figures of all events, for the home page and reports."""
    sales = BoothSale.objects.aggregate(
        amount=Sum("amount"), weight_kg=Sum("weight_kg")
    )
    fairs = Fair.objects.filter(
        status__in=[Fair.Status.OPEN, Fair.Status.CLOSED], starts_at__lte=timezone.now()
    ).aggregate(count=Count("pk"))
    return {
        "fairs_held": fairs["count"] or 0,
        "booth_sales": sales["amount"] or 0,
        "booth_weight_kg": sales["weight_kg"] or 0,
    }
