"""Coordinators at their own points: lists, orders on behalf, hand-over, manifests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from orders import services
from orders.models import Order

from .conftest import order_now


def _url(shop, point=None, suffix=""):
    point = point or shop.point
    return f"/portal/dieu-phoi/don-hang/{shop.sales_round.pk}/{point.pk}/{suffix}"


def test_coordinator_sees_the_orders_of_their_point(hanoi, shop, coordinator_client):
    order_now(shop, hanoi.schema, rice=1)
    order_now(
        shop,
        hanoi.schema,
        member=shop.other_member,
        point=shop.other_point,
        key="x",
        rice=1,
    )

    home = coordinator_client.get("/portal/dieu-phoi/don-hang/").content.decode()
    page = coordinator_client.get(_url(shop)).content.decode()

    assert "Điểm Hàng Bạc" in home and "Điểm Ba Đình" not in home
    assert "Trần Thị Mai" in page and "Lê Thị Hoa" not in page


def test_another_coordinators_point_is_not_found(hanoi, shop, coordinator_client):
    theirs = order_now(
        shop, hanoi.schema, member=shop.other_member, point=shop.other_point, rice=1
    )

    assert coordinator_client.get(_url(shop, shop.other_point)).status_code == 404
    assert (
        coordinator_client.get(_url(shop, shop.other_point, "phieu/")).status_code
        == 404
    )
    answer = coordinator_client.post(
        f"/portal/dieu-phoi/don-hang/don/{theirs.reference}/paid/"
    )
    assert answer.status_code == 404
    # A point of theirs that is not in the round is not found either.
    assert coordinator_client.get(_url(shop, shop.outside_point)).status_code == 404


def test_members_and_producers_cannot_open_the_portal(hanoi, shop, member_client):
    assert member_client.get("/portal/dieu-phoi/don-hang/").status_code == 404
    assert member_client.get(_url(shop)).status_code == 404


def test_coordinator_enters_an_order_for_a_member_found_by_phone(
    hanoi, shop, coordinator_client
):
    found = coordinator_client.get(
        _url(shop, suffix="dat-ho/"), {"phone": "0987654321"}
    )
    assert "Trần Thị Mai" in found.content.decode()

    answer = coordinator_client.post(
        _url(shop, suffix="dat-ho/"),
        {
            "phone": "0987654321",
            "idempotency_key": "paper-1",
            f"qty-{shop.rice.pk}": "2",
            f"price-{shop.rice.pk}": "1",
        },
    )

    assert answer.status_code == 302
    with schema_context(hanoi.schema):
        order = Order.objects.get(member=shop.member)
        assert order.placed_by_id == shop.coordinator.pk and order.value == 280_000
        assert order.point_id == shop.point.pk


def test_coordinator_marks_paid_delivered_and_collected(
    hanoi, shop, coordinator_client, django_capture_on_commit_callbacks
):
    order = order_now(shop, hanoi.schema, rice=1)
    with schema_context(hanoi.schema), django_capture_on_commit_callbacks(execute=True):
        services.close_round(actor=shop.staff, sales_round=shop.sales_round)
    base = f"/portal/dieu-phoi/don-hang/don/{order.reference}/"

    for action in ("paid", "delivered", "collected"):
        assert coordinator_client.post(base + action + "/").status_code == 302

    with schema_context(hanoi.schema):
        order.refresh_from_db()
        actions = list(order.events.values_list("action", "actor_id"))
    assert (
        order.status == Order.Status.COLLECTED
        and order.paid_by_id == shop.coordinator.pk
    )
    assert [a for a, _ in actions] == [
        "placed",
        "paid",
        "delivered_to_point",
        "collected",
    ]


def test_manifest_prints_and_exports_to_excel(hanoi, shop, coordinator_client):
    order = order_now(shop, hanoi.schema, rice=2, greens="1.5")

    page = coordinator_client.get(_url(shop, suffix="phieu/")).content.decode()
    excel = coordinator_client.get(_url(shop, suffix="phieu.xlsx"))

    assert order.reference in page and "Gạo ST25" in page
    assert excel["Content-Type"].startswith("application/vnd.openxml")
    assert excel.content[:2] == b"PK"


def test_the_point_order_list_costs_the_same_queries_for_more_orders(
    hanoi, shop, coordinator_client
):
    order_now(shop, hanoi.schema, rice=1)
    with CaptureQueriesContext(connection) as one:
        coordinator_client.get(_url(shop))
    order_now(shop, hanoi.schema, member=shop.other_member, key="m", rice=1, greens=2)
    with CaptureQueriesContext(connection) as two:
        coordinator_client.get(_url(shop))

    assert len(two) == len(one)
    assert len(one) <= 18


def test_member_round_page_costs_the_same_queries_for_more_products(
    hanoi, shop, member_client
):
    url = f"/dat-hang/{shop.sales_round.pk}/"
    with CaptureQueriesContext(connection) as before:
        member_client.get(url)
    with schema_context(hanoi.schema):
        from catalog.models import Product
        from orders.models import RoundProduct

        extra = Product.objects.create(
            producer=shop.producer,
            category=shop.rice.product.category,
            name="Mật ong",
            slug="mat-ong",
            unit="bottle",
            unit_weight_kg=1,
            price=100_000,
            market_price=120_000,
        )
        RoundProduct.objects.create(
            sales_round=shop.sales_round, product=extra, price=90_000
        )
    with CaptureQueriesContext(connection) as after:
        page = member_client.get(url)

    assert "Mật ong" in page.content.decode()
    assert len(after) == len(before) <= 12


def test_outsider_from_hue_cannot_reach_the_portal(hanoi, hue, shop, hue_client):
    order = order_now(shop, hanoi.schema, rice=1)
    hue_client.login_to_admin(hue.admin_email)

    assert hue_client.get(_url(shop)).status_code == 404
    assert hue_client.get(_url(shop, suffix="phieu.xlsx")).status_code == 404
    answer = hue_client.post(f"/portal/dieu-phoi/don-hang/don/{order.reference}/paid/")
    assert answer.status_code == 404
