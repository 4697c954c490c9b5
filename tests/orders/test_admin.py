"""Province staff in the Wagtail admin: rounds, orders, operations, reports."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from orders.models import RoundProduct, SalesRound

from .conftest import order_now


def test_staff_create_a_round_with_products_and_points_then_open_it(
    hanoi, shop, staff_client
):
    now = timezone.localtime()
    form = {
        "name": "Đợt giải cứu vải thiều",
        "opens_at": now.strftime("%Y-%m-%d %H:%M"),
        "closes_at": (now + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "delivery_on": (now + datetime.timedelta(days=2)).strftime("%Y-%m-%d"),
        "handling_fee_kind": "percent",
        "handling_fee_value": "500",
        "transport_kind": "per_kg",
        "transport_value": "200",
        "products-TOTAL_FORMS": "1",
        "products-INITIAL_FORMS": "0",
        "products-MIN_NUM_FORMS": "0",
        "products-MAX_NUM_FORMS": "1000",
        "products-0-product": str(shop.rice.product_id),
        "products-0-price": "130000",
        "products-0-cap": "100",
        "products-0-id": "",
        "products-0-ORDER": "1",
        "products-0-DELETE": "",
        "points-TOTAL_FORMS": "1",
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "1000",
        "points-0-point": str(shop.point.pk),
        "points-0-id": "",
        "points-0-ORDER": "1",
        "points-0-DELETE": "",
    }

    created = staff_client.post("/admin/orders/rounds/new/", form)

    assert created.status_code == 302, created.content.decode()[:3000]
    with schema_context(hanoi.schema):
        new_round = SalesRound.objects.get(name="Đợt giải cứu vải thiều")
        assert new_round.status == SalesRound.Status.DRAFT
        assert RoundProduct.objects.get(sales_round=new_round).cap == 100
    staff_client.post(f"/admin/orders/round/{new_round.pk}/open/")
    with schema_context(hanoi.schema):
        new_round.refresh_from_db()
    assert new_round.status == SalesRound.Status.OPEN


def test_staff_close_consolidate_and_settle_from_the_round_screen(
    hanoi, shop, staff_client, django_capture_on_commit_callbacks
):
    order_now(shop, hanoi.schema, rice=2)
    base = f"/admin/orders/round/{shop.sales_round.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(base + "close/")
    staff_client.post(base + "settle/")
    page = staff_client.get(base).content.decode()
    excel = staff_client.get(base + "?format=xlsx")

    with schema_context(hanoi.schema):
        shop.sales_round.refresh_from_db()
    assert shop.sales_round.status == SalesRound.Status.SETTLED
    assert "HTX Rau sạch Thanh Xuân" in page and "280.000\u00a0₫" in page
    assert "14.000\u00a0₫" in page  # 5% handling fee
    assert excel.content[:2] == b"PK"


def test_staff_find_orders_by_reference_or_phone_with_pinned_queries(
    hanoi, shop, staff_client
):
    order = order_now(shop, hanoi.schema, rice=1)
    with CaptureQueriesContext(connection) as one:
        by_reference = staff_client.get("/admin/orders/orders/", {"q": order.reference})
    assert order.reference in by_reference.content.decode()
    order_now(shop, hanoi.schema, member=shop.other_member, key="z", rice=1)
    with CaptureQueriesContext(connection) as two:
        listing = staff_client.get("/admin/orders/orders/")

    by_phone = staff_client.get("/admin/orders/orders/", {"q": "0987654321"})
    assert order.reference in by_phone.content.decode()
    assert listing.status_code == 200
    assert len(two) <= len(one) + 2
    # Orders are never edited through a raw form.
    assert staff_client.get(f"/admin/orders/orders/edit/{order.pk}/").status_code in {
        302,
        403,
    }


def test_report_shows_totals_chart_and_exports_to_excel(hanoi, shop, staff_client):
    order_now(shop, hanoi.schema, rice=2, greens="1.5")
    order_now(
        shop,
        hanoi.schema,
        member=shop.other_member,
        point=shop.other_point,
        key="y",
        greens=3,
    )
    today = timezone.localdate()

    page = staff_client.get(
        "/admin/orders/report/",
        {"round": shop.sales_round.pk, "by": "point"},
    ).content.decode()
    period = staff_client.get(
        "/admin/orders/report/",
        {
            "start": today.isoformat(),
            "end": (today + datetime.timedelta(days=9)).isoformat(),
        },
    ).content.decode()
    excel = staff_client.get("/admin/orders/report/", {"format": "xlsx"})

    assert "<svg" in page and "Điểm Ba Đình" in page and "Hoàn Kiếm" in page
    assert "361.000\u00a0₫" in page  # 307.000 + 54.000
    assert "361.000\u00a0₫" in period
    assert excel.content[:2] == b"PK"


def test_report_and_round_screens_are_closed_to_coordinators_and_outsiders(
    hanoi, hue, shop, coordinator_client, hue_client
):
    order = order_now(shop, hanoi.schema, rice=1)
    hue_client.login_to_admin(hue.admin_email)
    round_url = f"/admin/orders/round/{shop.sales_round.pk}/"

    for url in ("/admin/orders/report/", round_url):
        assert coordinator_client.get(url).status_code in {302, 404}, url
    assert hue_client.get(round_url).status_code == 404
    # Huế's admin has its own report and order list: nothing of Hà Nội in them.
    assert "Gạo ST25" not in hue_client.get("/admin/orders/report/").content.decode()
    hue_orders = hue_client.get("/admin/orders/orders/", {"q": order.reference})
    assert f">{order.reference}<" not in hue_orders.content.decode()
    assert "Trần Thị Mai" not in hue_orders.content.decode()


def test_staff_admin_screens_open(hanoi, shop, staff_client):
    order = order_now(shop, hanoi.schema, rice=1)

    for url in (
        "/admin/orders/rounds/",
        "/admin/orders/rounds/new/",
        f"/admin/orders/rounds/edit/{shop.sales_round.pk}/",
        f"/admin/orders/round/{shop.sales_round.pk}/",
        "/admin/orders/orders/",
        f"/admin/orders/orders/inspect/{order.pk}/",
        "/admin/settings/orders/paymentsettings/",
    ):
        answer = staff_client.get(url, follow=True)
        assert answer.status_code == 200, url


def test_member_pages_speak_vietnamese_by_default(hanoi, shop, member_client):
    member_client.post(
        f"/dat-hang/{shop.sales_round.pk}/", {f"qty-{shop.rice.pk}": "1"}
    )

    page = member_client.get(f"/dat-hang/{shop.sales_round.pk}/xac-nhan/")

    assert "Xác nhận đơn hàng" in page.content.decode()
    assert "Tiền mặt khi nhận hàng" in page.content.decode()
