"""A member orders from a phone: browse, basket, confirm, pay, change, cancel."""

from decimal import Decimal

from django_tenants.utils import schema_context
from wagtail.models import Site

from orders import vietqr
from orders.models import Order, OrderEvent, PaymentSettings


def test_member_orders_changes_and_cancels_through_the_site(
    hanoi, shop, member_client, django_capture_on_commit_callbacks, mailoutbox
):
    # given a payment account for VietQR
    with schema_context(hanoi.schema):
        PaymentSettings.objects.update_or_create(
            site=Site.objects.get(is_default_site=True),
            defaults={
                "bank_bin": "970436",
                "account_number": "0011001234567",
                "account_name": "HOI LHPN HA NOI",
            },
        )
    # when the member browses the round
    listing = member_client.get("/dat-hang/")
    assert shop.sales_round.name in listing.content.decode()
    page = member_client.get(f"/dat-hang/{shop.sales_round.pk}/").content.decode()
    assert "Gạo ST25" in page and "140.000\u00a0₫" in page and "180.000\u00a0₫" in page

    # and fills the basket, sending a tampered price alongside
    basket = member_client.post(
        f"/dat-hang/{shop.sales_round.pk}/",
        {f"qty-{shop.rice.pk}": "2", f"qty-{shop.greens.pk}": "1,5", "price": "1"},
    )
    assert basket.status_code == 302
    confirm = member_client.get(basket.url).content.decode()
    assert "307.000\u00a0₫" in confirm  # 2 × 140.000 + 1,5 × 18.000
    key = confirm.split('name="idempotency_key" value="')[1].split('"')[0]

    with django_capture_on_commit_callbacks(execute=True):
        placed = member_client.post(
            basket.url,
            {
                "idempotency_key": key,
                "point": shop.point.pk,
                "payment_method": "transfer",
                "value": "1000",
                "handling_fee": "0",
            },
        )
    # then one order exists, priced by the server
    assert placed.status_code == 302
    with schema_context(hanoi.schema):
        order = Order.objects.get(member=shop.member)
        assert order.value == 307_000
        assert order.market_value == 2 * 180_000 + 37_500
        assert order.weight_kg == Decimal("11.500")
    assert mailoutbox and order.reference in mailoutbox[0].subject

    detail = member_client.get(placed.url).content.decode()
    assert "307.000\u00a0₫" in detail and "<svg" in detail
    assert "90.500\u00a0₫" in detail  # savings
    payload = vietqr.payload(
        bank_bin="970436", account="0011001234567", amount=307000, info=order.reference
    )
    assert "540630700" in payload

    # when the member changes the order
    changed = member_client.post(
        f"/don-hang/{order.reference}/sua/",
        {f"qty-{shop.rice.pk}": "1", "point": shop.other_point.pk},
    )
    assert changed.status_code == 302
    with schema_context(hanoi.schema):
        order.refresh_from_db()
        assert (order.value, order.point_id) == (140_000, shop.other_point.pk)
        shop.rice.refresh_from_db()
        assert shop.rice.sold == 1

    # and cancels it
    member_client.post(f"/don-hang/{order.reference}/huy/")
    with schema_context(hanoi.schema):
        order.refresh_from_db()
        assert order.status == Order.Status.CANCELLED
        shop.rice.refresh_from_db()
        shop.rice.product.refresh_from_db()
        assert shop.rice.sold == 0 and shop.rice.product.stock == 50
        actions = list(
            OrderEvent.objects.filter(order=order).values_list("action", flat=True)
        )
        assert actions == ["placed", "changed", "cancelled"]
