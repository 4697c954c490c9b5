"""Bad input gets a clear message and writes nothing; a replay makes one order."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from orders import services
from orders.models import Order, OrderEvent, SalesRound

from .conftest import order_now


def _nothing_written(shop, schema):
    with schema_context(schema):
        assert not Order.objects.exists()
        shop.rice.refresh_from_db()
        shop.rice.product.refresh_from_db()
        assert shop.rice.sold == 0 and shop.rice.product.stock == 50


@pytest.mark.parametrize(
    "quantities, code",
    [
        ({"rice": "0"}, "quantity_not_positive"),
        ({"rice": "-2"}, "quantity_not_positive"),
        ({"rice": "1.5"}, "quantity_fraction"),
        ({"rice": "abc"}, "bad_quantity"),
        ({"greens": "0.0005"}, "quantity_precision"),
        ({"rice": "51"}, "sold_out"),
    ],
)
def test_bad_quantities_are_refused_and_write_nothing(hanoi, shop, quantities, code):
    with pytest.raises(ValidationError) as refused:
        order_now(shop, hanoi.schema, **quantities)

    assert refused.value.code == code
    assert refused.value.messages[0]
    _nothing_written(shop, hanoi.schema)


def test_divisible_units_accept_fractions(hanoi, shop):
    order = order_now(shop, hanoi.schema, greens="1,5")

    assert order.value == 27_000 and order.weight_kg == Decimal("1.500")


def test_cap_holds_beyond_which_the_product_is_sold_out(hanoi, shop):
    with schema_context(hanoi.schema):
        shop.rice.cap = 3
        shop.rice.save()
    order_now(shop, hanoi.schema, rice=3)

    with pytest.raises(ValidationError) as refused:
        order_now(shop, hanoi.schema, member=shop.other_member, key="k2", rice=1)

    assert refused.value.code == "sold_out"
    assert "Gạo ST25" in refused.value.messages[0]


@pytest.mark.parametrize("moment", ["closed", "not_yet_open", "draft"])
def test_orders_outside_the_ordering_window_are_refused(hanoi, shop, moment):
    now = timezone.now()
    with schema_context(hanoi.schema):
        if moment == "closed":
            shop.sales_round.closes_at = now - datetime.timedelta(minutes=1)
        elif moment == "not_yet_open":
            shop.sales_round.opens_at = now + datetime.timedelta(hours=1)
        else:
            shop.sales_round.status = SalesRound.Status.DRAFT
        shop.sales_round.save()

    with pytest.raises(ValidationError) as refused:
        order_now(shop, hanoi.schema, rice=1)

    assert refused.value.code in {"round_closed", "round_not_open"}
    _nothing_written(shop, hanoi.schema)


def test_a_point_outside_the_round_is_refused(hanoi, shop):
    with pytest.raises(ValidationError) as refused:
        order_now(shop, hanoi.schema, point=shop.outside_point, rice=1)

    assert refused.value.code == "point_not_in_round"
    _nothing_written(shop, hanoi.schema)


def test_home_delivery_only_where_the_point_offers_it(hanoi, shop):
    with schema_context(hanoi.schema), pytest.raises(ValidationError) as refused:
        services.place_order(
            actor=shop.member.user,
            member=shop.member,
            sales_round=shop.sales_round,
            point=shop.other_point,
            quantities={shop.rice.pk: "1"},
            idempotency_key="k",
            deliver_to_address=True,
            delivery_address="3 Hàng Bạc",
        )
    assert refused.value.code == "no_delivery"


def test_a_product_of_another_round_is_refused(hanoi, shop):
    with schema_context(hanoi.schema), pytest.raises(ValidationError) as refused:
        services.place_order(
            actor=shop.member.user,
            member=shop.member,
            sales_round=shop.sales_round,
            point=shop.point,
            quantities={shop.rice.pk + 1000: "1"},
            idempotency_key="k",
        )
    assert refused.value.code == "unknown_product"


def test_the_same_key_twice_makes_one_order(hanoi, shop):
    first = order_now(shop, hanoi.schema, key="tap", rice=2)
    second = order_now(shop, hanoi.schema, key="tap", rice=2)

    assert first.pk == second.pk
    with schema_context(hanoi.schema):
        assert Order.objects.count() == 1
        shop.rice.refresh_from_db()
        assert shop.rice.sold == 2


def test_a_double_tap_on_the_confirm_page_makes_one_order(hanoi, shop, member_client):
    member_client.post(
        f"/dat-hang/{shop.sales_round.pk}/", {f"qty-{shop.rice.pk}": "1"}
    )
    form = {"idempotency_key": "same-key", "point": shop.point.pk}
    url = f"/dat-hang/{shop.sales_round.pk}/xac-nhan/"

    first = member_client.post(url, form)
    # The basket is gone after the first submit; put it back as a retry would.
    member_client.post(
        f"/dat-hang/{shop.sales_round.pk}/", {f"qty-{shop.rice.pk}": "1"}
    )
    second = member_client.post(url, form)

    assert first.url == second.url
    with schema_context(hanoi.schema):
        assert Order.objects.count() == 1


def test_members_change_nothing_once_the_round_has_closed(hanoi, shop):
    order = order_now(shop, hanoi.schema, rice=1)
    with schema_context(hanoi.schema):
        SalesRound.objects.filter(pk=shop.sales_round.pk).update(
            closes_at=timezone.now() - datetime.timedelta(seconds=1)
        )
        with pytest.raises(ValidationError):
            services.change_order(
                actor=shop.member.user, order=order, quantities={shop.rice.pk: "3"}
            )
        with pytest.raises(ValidationError):
            services.cancel_order(actor=shop.member.user, order=order)
        order.refresh_from_db()
        assert order.status == Order.Status.CONFIRMED and order.value == 140_000


def test_a_correction_keeps_who_and_what_changed(hanoi, shop):
    order = order_now(shop, hanoi.schema, rice=1)
    with schema_context(hanoi.schema):
        services.change_order(
            actor=shop.coordinator, order=order, quantities={shop.greens.pk: "2"}
        )
        event = OrderEvent.objects.get(order=order, action="changed")

    assert event.actor_id == shop.coordinator.pk
    assert event.before["lines"] == {str(shop.rice.pk): "1.000"}
    assert event.after["lines"] == {str(shop.greens.pk): "2.000"}
    assert event.after["value"] == 36_000


def test_someone_elses_order_page_is_not_found(hanoi, shop, member_client):
    theirs = order_now(shop, hanoi.schema, member=shop.other_member, rice=1)

    assert member_client.get(f"/don-hang/{theirs.reference}/").status_code == 404
    assert member_client.get(f"/don-hang/{theirs.reference}/sua/").status_code == 404
    assert member_client.post(f"/don-hang/{theirs.reference}/huy/").status_code == 404
    assert member_client.get("/don-hang/NOSUCH99/").status_code == 404


def test_outsiders_from_hue_see_nothing_of_hanoi(hanoi, hue, shop, hue_client):
    order = order_now(shop, hanoi.schema, rice=1)
    hue_client.login_to_admin(hue.staff_email)

    for url in (
        f"/dat-hang/{shop.sales_round.pk}/",
        f"/dat-hang/{shop.sales_round.pk}/xac-nhan/",
        f"/don-hang/{order.reference}/",
        f"/portal/dieu-phoi/don-hang/{shop.sales_round.pk}/{shop.point.pk}/",
    ):
        assert hue_client.get(url).status_code == 404, url


def test_anonymous_visitors_are_asked_to_sign_in(hanoi_client, shop):
    answer = hanoi_client.get(f"/dat-hang/{shop.sales_round.pk}/")

    assert answer.status_code == 302 and "/dat-hang/dang-nhap/" in answer.url
