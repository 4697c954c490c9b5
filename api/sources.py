"""Where the reporting store reads a province's live data: the only such place.

Every function runs inside the province's schema (the rollup switches to it)
and returns plain values. Each one is guarded by the app it reads: while an
app is absent the function answers zero or nothing, so the store works before
every business app has landed. When an app's models differ from the
assumption written on a function, adjust that function and nothing else.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps

from .models import ALL_CATEGORIES


@dataclass
class SalesRow:
    """One row of `orders.selectors.sales_facts()`, checked and typed."""

    day: date
    category: str
    ocop_stars: int
    product_id: int
    product_name: str
    producer_id: int
    producer_name: str
    women_owned: bool
    orders: int
    quantity: Decimal
    weight_kg: Decimal
    value_vnd: int
    market_value_vnd: int
    coordinator_fees_vnd: int
    cancelled_orders: int


@dataclass
class OrderCountRow:
    day: date
    category: str  # ALL_CATEGORIES counts every order once
    orders: int
    cancelled_orders: int


@dataclass
class NetworkCounts:
    members: int = 0
    branches: int = 0
    pickup_points: int = 0
    support_groups: int = 0


@dataclass
class CatalogCounts:
    producers: int = 0
    women_owned_producers: int = 0
    verified_products: int = 0
    ocop_3_products: int = 0
    ocop_4_products: int = 0
    ocop_5_products: int = 0


@dataclass
class EventCounts:
    fairs: int = 0
    livestreams: int = 0


SALES_KEYS = {field.name for field in fields(SalesRow)}


def sales_rows() -> list[SalesRow]:
    """Sales per day, category, OCOP stars, product and producer.

    Contract with the orders app: `orders.selectors.sales_facts()` yields dicts
    with exactly the keys of `SalesRow`. `day` is the delivery day of the
    order's sales round (or the day it was placed, without a round); `orders`
    counts distinct orders that are not cancelled and `cancelled_orders` the
    cancelled ones; money is whole đồng and the market value is what the same
    quantity costs at market price.
    """
    if not apps.is_installed("orders"):
        return []
    from orders.selectors import sales_facts

    return [_sales_row(raw) for raw in sales_facts()]


def _sales_row(raw: dict[str, Any]) -> SalesRow:
    missing = SALES_KEYS - raw.keys()
    if missing:
        raise ValueError(f"sales_facts() row lacks {sorted(missing)}")
    return SalesRow(
        day=raw["day"],
        category=str(raw["category"] or ""),
        ocop_stars=int(raw["ocop_stars"] or 0),
        product_id=int(raw["product_id"]),
        product_name=str(raw["product_name"]),
        producer_id=int(raw["producer_id"]),
        producer_name=str(raw["producer_name"]),
        women_owned=bool(raw["women_owned"]),
        orders=int(raw["orders"]),
        quantity=Decimal(raw["quantity"]),
        weight_kg=Decimal(raw["weight_kg"]),
        value_vnd=int(raw["value_vnd"]),
        market_value_vnd=int(raw["market_value_vnd"]),
        coordinator_fees_vnd=int(raw["coordinator_fees_vnd"]),
        cancelled_orders=int(raw["cancelled_orders"]),
    )


def order_count_rows(sales: Iterable[SalesRow]) -> list[OrderCountRow]:
    """Distinct orders per day, overall (category "") and per category.

    Optional contract with the orders app: `orders.selectors.order_counts()`
    yields dicts `day, category, orders, cancelled_orders`, with category ""
    for the count over all categories. Without it the counts are summed from
    the sales rows, which counts an order with products of two categories
    twice in the overall row; the orders app should provide the function.
    """
    if apps.is_installed("orders"):
        from orders import selectors

        if hasattr(selectors, "order_counts"):
            return [
                OrderCountRow(
                    day=raw["day"],
                    category=str(raw["category"] or ""),
                    orders=int(raw["orders"]),
                    cancelled_orders=int(raw["cancelled_orders"]),
                )
                for raw in selectors.order_counts()
            ]
    return list(_order_counts_from_sales(sales))


def _order_counts_from_sales(sales: Iterable[SalesRow]) -> Iterator[OrderCountRow]:
    totals: dict[tuple[date, str], list[int]] = {}
    for row in sales:
        for category in (ALL_CATEGORIES, row.category):
            counts = totals.setdefault((row.day, category), [0, 0])
            counts[0] += row.orders
            counts[1] += row.cancelled_orders
    for (day, category), (orders, cancelled) in sorted(totals.items()):
        yield OrderCountRow(day, category, orders, cancelled)


def network_counts() -> NetworkCounts:
    if not apps.is_installed("network"):
        return NetworkCounts()
    from network.models import Member, OrgUnit, PickupPoint, SupportGroup

    return NetworkCounts(
        members=Member.objects.filter(active=True).count(),
        branches=OrgUnit.objects.filter(
            level=OrgUnit.Level.BRANCH, active=True
        ).count(),
        pickup_points=PickupPoint.objects.filter(active=True).count(),
        support_groups=SupportGroup.objects.filter(active=True).count(),
    )


def catalog_counts() -> CatalogCounts:
    """Verified producers, and listed products by their best current OCOP rating."""
    if not apps.is_installed("catalog"):
        return CatalogCounts()
    from catalog.models import Producer
    from catalog.selectors import attach_ocop_stars, listed_products

    verified = Producer.objects.filter(status=Producer.Status.VERIFIED)
    listed = attach_ocop_stars(list(listed_products().only("pk", "producer_id")))
    stars = [product.ocop_stars or 0 for product in listed]
    return CatalogCounts(
        producers=verified.count(),
        women_owned_producers=verified.filter(women_owned=True).count(),
        verified_products=len(stars),
        ocop_3_products=stars.count(3),
        ocop_4_products=stars.count(4),
        ocop_5_products=stars.count(5),
    )


def event_counts() -> EventCounts:
    """Fairs and livestreams that were not cancelled."""
    if not apps.is_installed("events"):
        return EventCounts()
    from events.models import Fair, Livestream

    return EventCounts(
        fairs=Fair.objects.exclude(status=Fair.Status.CANCELLED).count(),
        livestreams=Livestream.objects.exclude(
            status=Livestream.Status.CANCELLED
        ).count(),
    )
