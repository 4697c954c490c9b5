"""Consolidation and settlement: purchase orders, manifests, fees to the đồng."""

from decimal import Decimal

from django_tenants.utils import schema_context

from catalog.models import Category, Product
from orders import selectors, services
from orders.models import (
    ManifestLine,
    Order,
    PointManifest,
    PurchaseOrder,
    SalesRound,
    Settlement,
)

from .conftest import order_now


def _close_and_consolidate(shop, schema, django_capture_on_commit_callbacks):
    with schema_context(schema):
        # Consolidation runs in the after-commit task (eager in tests).
        with django_capture_on_commit_callbacks(execute=True):
            services.close_round(actor=shop.staff, sales_round=shop.sales_round)
        shop.sales_round.refresh_from_db()


def _three_orders(shop, schema):
    first = order_now(shop, schema, key="a", rice=2, greens="1.5")  # 307.000
    second = order_now(
        shop,
        schema,
        member=shop.other_member,
        point=shop.other_point,
        key="b",
        greens="3.333",
    )  # 59.994
    cancelled = order_now(shop, schema, member=shop.other_member, key="c", rice=1)
    with schema_context(schema):
        services.cancel_order(actor=shop.staff, order=cancelled)
    return first, second


def test_consolidation_makes_one_purchase_order_and_one_manifest_per_point(
    hanoi, shop, django_capture_on_commit_callbacks
):
    _three_orders(shop, hanoi.schema)

    _close_and_consolidate(shop, hanoi.schema, django_capture_on_commit_callbacks)

    with schema_context(hanoi.schema):
        assert shop.sales_round.status == SalesRound.Status.CONSOLIDATED
        purchase_order = PurchaseOrder.objects.get(sales_round=shop.sales_round)
        assert purchase_order.value == 307_000 + 59_994
        lines = {
            (line.point_id, line.round_product_id): line.quantity
            for line in purchase_order.lines.all()
        }
        assert lines == {
            (shop.point.pk, shop.rice.pk): Decimal("2"),
            (shop.point.pk, shop.greens.pk): Decimal("1.5"),
            (shop.other_point.pk, shop.greens.pk): Decimal("3.333"),
        }
        manifests = {m.point_id: m.orders for m in PointManifest.objects.all()}
        assert manifests == {shop.point.pk: 1, shop.other_point.pk: 1}
        assert ManifestLine.objects.count() == 3


def test_settlement_reconciles_fees_and_payouts_with_the_orders(
    hanoi, shop, django_capture_on_commit_callbacks
):
    first, second = _three_orders(shop, hanoi.schema)
    _close_and_consolidate(shop, hanoi.schema, django_capture_on_commit_callbacks)

    with schema_context(hanoi.schema):
        services.settle_round(actor=shop.staff, sales_round=shop.sales_round)
        rows = list(Settlement.objects.filter(sales_round=shop.sales_round))
        points = {row.point_id: row for row in rows if row.kind == "point"}
        (producer,) = [row for row in rows if row.kind == "producer"]

    # 5% per line, floored: 14.000 + 1.350 | 2.999 (59.994 × 5% = 2.999,7)
    # 300 đ per kg, floored: 10 kg → 3.000, 1,5 kg → 450 | 3,333 kg → 999
    assert (
        points[shop.point.pk].handling_fee,
        points[shop.point.pk].transport_support,
    ) == (
        15_350,
        3_450,
    )
    assert (
        points[shop.other_point.pk].handling_fee,
        points[shop.other_point.pk].transport_support,
    ) == (2_999, 999)
    gross = first.value + second.value
    assert producer.gross == gross
    assert producer.net == gross - 15_350 - 3_450 - 2_999 - 999
    fees = sum(row.net for row in points.values())
    assert producer.net + fees == gross


def test_per_order_and_per_trip_amounts_split_without_losing_a_dong(
    hanoi, shop, django_capture_on_commit_callbacks
):
    with schema_context(hanoi.schema):
        SalesRound.objects.filter(pk=shop.sales_round.pk).update(
            handling_fee_kind="per_order",
            handling_fee_value=10_001,
            transport_kind="per_trip",
            transport_value=50_000,
        )
    first = order_now(shop, hanoi.schema, key="a", rice=1, greens="1")
    second = order_now(
        shop, hanoi.schema, member=shop.other_member, key="b", greens="7"
    )
    _close_and_consolidate(shop, hanoi.schema, django_capture_on_commit_callbacks)

    with schema_context(hanoi.schema):
        services.settle_round(actor=shop.staff, sales_round=shop.sales_round)
        point = Settlement.objects.get(kind="point", point=shop.point)
        producer = Settlement.objects.get(kind="producer")

    assert point.handling_fee == 2 * 10_001  # one fee per order, split exactly
    assert point.transport_support == 50_000  # one trip to the point
    assert producer.net + point.net == first.value + second.value


def test_sales_facts_follow_the_reporting_contract(
    hanoi, shop, django_capture_on_commit_callbacks
):
    _three_orders(shop, hanoi.schema)
    _close_and_consolidate(shop, hanoi.schema, django_capture_on_commit_callbacks)
    with schema_context(hanoi.schema):
        services.settle_round(actor=shop.staff, sales_round=shop.sales_round)
        facts = {fact["product_name"]: fact for fact in selectors.sales_facts()}

    rice = facts["Gạo ST25"]
    assert rice["orders"] == 1 and rice["cancelled_orders"] == 1
    assert rice["value_vnd"] == 280_000 and rice["market_value_vnd"] == 360_000
    assert rice["weight_kg"] == 10 and rice["women_owned"] is True
    assert rice["coordinator_fees_vnd"] == 14_000 + 3_000
    assert rice["ocop_stars"] == 0 and rice["category"] == "Rau củ"
    assert rice["day"] == shop.sales_round.delivery_on
    assert facts["Rau muống"]["orders"] == 2


def test_order_counts_count_an_order_of_two_categories_once_overall(hanoi, shop):
    with schema_context(hanoi.schema):
        fruit = Category.objects.create(name="Trái cây", slug="trai-cay")
        Product.objects.filter(pk=shop.greens.product_id).update(category=fruit)
    _three_orders(shop, hanoi.schema)  # rice + greens, greens, cancelled rice

    with schema_context(hanoi.schema):
        counts = {row["category"]: row for row in selectors.order_counts()}
        from api.sources import order_count_rows

        through_the_store = order_count_rows([])

    day = shop.sales_round.delivery_on
    assert counts == {
        "": {"day": day, "category": "", "orders": 2, "cancelled_orders": 1},
        "Rau củ": {
            "day": day,
            "category": "Rau củ",
            "orders": 1,
            "cancelled_orders": 1,
        },
        "Trái cây": {
            "day": day,
            "category": "Trái cây",
            "orders": 2,
            "cancelled_orders": 0,
        },
    }
    assert [(row.category, row.orders) for row in through_the_store] == [
        ("", 2),
        ("Rau củ", 1),
        ("Trái cây", 2),
    ]


def test_order_counts_are_empty_without_orders(hanoi, shop):
    with schema_context(hanoi.schema):
        assert selectors.order_counts() == []


def test_orders_move_to_the_point_then_to_the_member(
    hanoi, shop, django_capture_on_commit_callbacks, mailoutbox
):
    order = order_now(shop, hanoi.schema, rice=1)
    _close_and_consolidate(shop, hanoi.schema, django_capture_on_commit_callbacks)

    with schema_context(hanoi.schema):
        with django_capture_on_commit_callbacks(execute=True):
            services.mark_delivered_to_point(actor=shop.coordinator, order=order)
        services.mark_paid(actor=shop.coordinator, order=order)
        services.mark_collected(actor=shop.coordinator, order=order)
        order.refresh_from_db()

    assert order.status == Order.Status.COLLECTED and order.paid_at is not None
    assert (
        "ready for pickup" in mailoutbox[-1].subject or "nhận" in mailoutbox[-1].subject
    )


def test_consolidating_again_replaces_the_first_run(
    hanoi, shop, django_capture_on_commit_callbacks
):
    _three_orders(shop, hanoi.schema)
    _close_and_consolidate(shop, hanoi.schema, django_capture_on_commit_callbacks)

    with schema_context(hanoi.schema):
        services.consolidate_round(sales_round=shop.sales_round)
        # Deferred foreign keys are checked now, as at a real commit.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        assert PurchaseOrder.objects.count() == 1
        assert ManifestLine.objects.count() == 3
