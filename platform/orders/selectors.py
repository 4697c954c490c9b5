"""Shared reads: what members see, coordinators' lists, reports, sales facts."""

import datetime
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone

from network.models import PickupPoint

from .models import Order, OrderLine, RoundProduct, SalesRound


def open_rounds() -> QuerySet[SalesRound]:
    now = timezone.now()
    return SalesRound.objects.filter(
        status=SalesRound.Status.OPEN, opens_at__lte=now, closes_at__gt=now
    ).order_by("closes_at")


def open_round_ids(product_ids: Iterable[int]) -> dict[int, int]:
    """For each product offered in an open round, the round that closes first."""
    offers = (
        RoundProduct.objects.filter(
            product_id__in=list(product_ids), sales_round__in=open_rounds()
        )
        .order_by("sales_round__closes_at", "sales_round_id")
        .values_list("product_id", "sales_round_id")
    )
    rounds: dict[int, int] = {}
    for product_id, round_id in offers:
        rounds.setdefault(product_id, round_id)
    return rounds


def round_offers(sales_round: SalesRound) -> QuerySet[RoundProduct]:
    return (
        sales_round.products.filter(product__active=True)
        .select_related("product__producer", "product__category")
        .order_by("product__category__order", "product__name")
    )


def round_points(sales_round: SalesRound) -> QuerySet[PickupPoint]:
    return PickupPoint.objects.filter(
        round_entries__sales_round=sales_round, active=True
    ).order_by("name")


def order_by_key(*, user: Any, key: str) -> str | None:
    """The reference of the user's order placed with this idempotency key."""
    key = (key or "").strip()[:64]
    if not key or not getattr(user, "is_authenticated", False):
        return None
    return (
        Order.objects.filter(member__user=user, idempotency_key=key)
        .values_list("reference", flat=True)
        .first()
    )


def orders_with_lines(queryset: QuerySet[Order]) -> QuerySet[Order]:
    return queryset.select_related("member", "point", "sales_round").prefetch_related(
        Prefetch(
            "lines",
            queryset=OrderLine.objects.select_related("round_product__product"),
        )
    )


def member_orders(member: Any) -> QuerySet[Order]:
    return Order.objects.filter(member=member).select_related("sales_round", "point")


def points_of(user: Any) -> QuerySet[PickupPoint]:
    """The pickup points a coordinator hands out at."""
    return PickupPoint.objects.filter(coordinators=user)


def packing_list(sales_round: SalesRound, point: PickupPoint) -> QuerySet[Order]:
    return orders_with_lines(
        Order.objects.filter(sales_round=sales_round, point=point)
        .exclude(status=Order.Status.CANCELLED)
        .order_by("member__full_name", "pk")
    )


# --- reports ----------------------------------------------------------------

REPORT_DIMENSIONS = {
    "product": ("p.id", "p.name"),
    "category": ("c.id", "c.name"),
    "producer": ("pr.id", "pr.name"),
    "point": ("pt.id", "pt.name"),
    "commune": ("pt.ward_code", "pt.ward_code"),
}


def _period_filter(
    sales_round: SalesRound | None,
    start: datetime.date | None,
    end: datetime.date | None,
) -> tuple[str, list[Any]]:
    where = ["o.status <> %s"]
    params: list[Any] = [Order.Status.CANCELLED]
    if sales_round is not None:
        where.append("o.sales_round_id = %s")
        params.append(sales_round.pk)
    if start is not None:
        where.append("r.delivery_on >= %s")
        params.append(start)
    if end is not None:
        where.append("r.delivery_on <= %s")
        params.append(end)
    return " AND ".join(where), params


def report(
    *,
    by: str,
    sales_round: SalesRound | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[dict[str, Any]]:
    """Orders, weight, value and savings grouped by one dimension, largest first."""
    key, label = REPORT_DIMENSIONS[by]
    where, params = _period_filter(sales_round, start, end)
    sql = f"""
        SELECT {key} AS key, {label} AS label, COUNT(DISTINCT o.id),
            SUM(l.quantity), SUM(l.weight_kg), SUM(l.value), SUM(l.market_value)
        FROM orders_orderline l
        JOIN orders_order o ON o.id = l.order_id
        JOIN orders_salesround r ON r.id = o.sales_round_id
        JOIN orders_roundproduct rp ON rp.id = l.round_product_id
        JOIN catalog_product p ON p.id = rp.product_id
        JOIN catalog_producer pr ON pr.id = p.producer_id
        JOIN catalog_category c ON c.id = p.category_id
        JOIN network_pickuppoint pt ON pt.id = o.point_id
        WHERE {where}
        GROUP BY 1, 2 ORDER BY SUM(l.value) DESC, 2
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if by == "commune":
        from network.units import ward_name

        rows = [(k, ward_name(k) or k, *rest) for k, _label, *rest in rows]
    return [
        {
            "key": row[0],
            "label": row[1],
            "orders": row[2],
            "quantity": row[3],
            "weight_kg": row[4],
            "tonnes": (row[4] / 1000).quantize(Decimal("0.001")),
            "value": int(row[5]),
            "market_value": int(row[6]),
            "savings": int(row[6]) - int(row[5]),
        }
        for row in rows
    ]


def report_totals(
    *,
    sales_round: SalesRound | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[str, Any]:
    where, params = _period_filter(sales_round, start, end)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COALESCE(SUM(o.weight_kg), 0), COALESCE(SUM(o.value), 0),"
            " COALESCE(SUM(o.market_value), 0) FROM orders_order o"
            f" JOIN orders_salesround r ON r.id = o.sales_round_id WHERE {where}",
            params,
        )
        orders, weight, value, market = cursor.fetchone()
    return {
        "orders": orders,
        "weight_kg": weight,
        "tonnes": (weight / 1000).quantize(Decimal("0.001")),
        "value": int(value),
        "market_value": int(market),
        "savings": int(market) - int(value),
    }


# --- the national reporting contract ------------------------------------------

SALES_FACTS_SQL = """
SELECT r.delivery_on AS day,
    COALESCE(c.name, '') AS category,
    COALESCE((
        SELECT MAX(cert.ocop_stars) FROM catalog_certificate cert
        WHERE cert.kind = 'ocop' AND cert.status = 'verified'
            AND (cert.expires_on IS NULL OR cert.expires_on >= r.delivery_on)
            AND (cert.product_id = p.id
                OR (cert.product_id IS NULL AND cert.producer_id = p.producer_id))
    ), 0) AS ocop_stars,
    p.id AS product_id, p.name AS product_name,
    pr.id AS producer_id, pr.name AS producer_name, pr.women_owned,
    COUNT(DISTINCT o.id) FILTER (WHERE o.status <> 'cancelled') AS orders,
    COALESCE(SUM(l.quantity) FILTER (WHERE o.status <> 'cancelled'), 0),
    COALESCE(SUM(l.weight_kg) FILTER (WHERE o.status <> 'cancelled'), 0),
    COALESCE(SUM(l.value) FILTER (WHERE o.status <> 'cancelled'), 0),
    COALESCE(SUM(l.market_value) FILTER (WHERE o.status <> 'cancelled'), 0),
    COALESCE(SUM(l.handling_fee + l.transport_support)
        FILTER (WHERE o.status <> 'cancelled'), 0),
    COUNT(DISTINCT o.id) FILTER (WHERE o.status = 'cancelled') AS cancelled_orders
FROM orders_orderline l
JOIN orders_order o ON o.id = l.order_id
JOIN orders_salesround r ON r.id = o.sales_round_id
JOIN orders_roundproduct rp ON rp.id = l.round_product_id
JOIN catalog_product p ON p.id = rp.product_id
JOIN catalog_producer pr ON pr.id = p.producer_id
LEFT JOIN catalog_category c ON c.id = p.category_id
{where}
GROUP BY r.delivery_on, c.name, p.id, pr.id
ORDER BY r.delivery_on, p.id
"""

FACT_KEYS = (
    "day",
    "category",
    "ocop_stars",
    "product_id",
    "product_name",
    "producer_id",
    "producer_name",
    "women_owned",
    "orders",
    "quantity",
    "weight_kg",
    "value_vnd",
    "market_value_vnd",
    "coordinator_fees_vnd",
    "cancelled_orders",
)


def sales_facts(
    *, since: datetime.date | None = None, until: datetime.date | None = None
) -> Iterator[dict[str, Any]]:
    """Sales per delivery day and product in the current province's schema.

    `coordinator_fees_vnd` is the handling fee plus transport support of the
    lines, filled when the round is settled; before that it is 0.
    """
    where, params = [], []
    if since is not None:
        where.append("r.delivery_on >= %s")
        params.append(since)
    if until is not None:
        where.append("r.delivery_on <= %s")
        params.append(until)
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    with connection.cursor() as cursor:
        cursor.execute(SALES_FACTS_SQL.format(where=clause), params)
        for row in cursor.fetchall():
            fact = dict(zip(FACT_KEYS, row, strict=True))
            for key in ("ocop_stars", "orders", "cancelled_orders"):
                fact[key] = int(fact[key])
            for key in ("value_vnd", "market_value_vnd", "coordinator_fees_vnd"):
                fact[key] = int(fact[key])
            yield fact


def impact_figures() -> dict[str, float]:
    """Tonnes ordered through the network and not cancelled, for the home page."""
    kilograms = Order.objects.exclude(
        status__in=[Order.Status.CANCELLED, Order.Status.NOT_COLLECTED]
    ).aggregate(total=Sum("weight_kg"))["total"]
    return {"tonnes_sold": float(kilograms or 0) / 1000}


# Grouping sets give the overall count per day (GROUPING(c.name) = 1) beside the
# count per category, in one scan: an order with products of two categories
# counts once in the overall row and once in each of its categories.
ORDER_COUNTS_SQL = """
SELECT r.delivery_on AS day,
    CASE WHEN GROUPING(c.name) = 1 THEN '' ELSE c.name END AS category,
    COUNT(DISTINCT o.id) FILTER (WHERE o.status <> 'cancelled') AS orders,
    COUNT(DISTINCT o.id) FILTER (WHERE o.status = 'cancelled') AS cancelled_orders
FROM orders_orderline l
JOIN orders_order o ON o.id = l.order_id
JOIN orders_salesround r ON r.id = o.sales_round_id
JOIN orders_roundproduct rp ON rp.id = l.round_product_id
JOIN catalog_product p ON p.id = rp.product_id
JOIN catalog_category c ON c.id = p.category_id
GROUP BY GROUPING SETS ((r.delivery_on), (r.delivery_on, c.name))
ORDER BY r.delivery_on, GROUPING(c.name) DESC, c.name
"""


def order_counts() -> list[dict[str, Any]]:
    """Orders and cancelled orders per delivery day, overall and per category.

    The contract of `api.sources.order_count_rows`: category "" is the count
    over every category. Days and categories match `sales_facts()`.
    """
    with connection.cursor() as cursor:
        cursor.execute(ORDER_COUNTS_SQL)
        return [
            {
                "day": day,
                "category": category,
                "orders": int(orders),
                "cancelled_orders": int(cancelled),
            }
            for day, category, orders, cancelled in cursor.fetchall()
        ]
