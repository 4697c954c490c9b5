"""The sold-out shortcut: set when the last unit goes, cleared when units return."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from orders import services

from .conftest import build_shop, order_now


def _marked(schema: str, offer_id: int):
    with schema_context(schema):
        return cache.get(f"orders:sold-out:{offer_id}")


def test_the_last_unit_marks_the_offer_and_a_cancellation_clears_it(
    hanoi, django_capture_on_commit_callbacks
):
    shop = build_shop(hanoi.schema, stock=2)

    with django_capture_on_commit_callbacks(execute=True):
        first = order_now(shop, hanoi.schema, key="a", rice=2)
    assert _marked(hanoi.schema, shop.rice.pk) == "Gạo ST25"

    with pytest.raises(ValidationError) as refused:
        order_now(shop, hanoi.schema, member=shop.other_member, key="b", rice=1)
    assert refused.value.code == "sold_out"
    assert "Gạo ST25" in refused.value.messages[0]

    with schema_context(hanoi.schema):
        with django_capture_on_commit_callbacks(execute=True):
            services.cancel_order(actor=shop.staff, order=first)
    assert _marked(hanoi.schema, shop.rice.pk) is None

    second = order_now(shop, hanoi.schema, member=shop.other_member, key="b", rice=1)
    assert second.value == 140_000


def test_a_double_submit_of_the_winning_order_still_returns_it(
    hanoi, django_capture_on_commit_callbacks
):
    shop = build_shop(hanoi.schema, stock=1)
    with django_capture_on_commit_callbacks(execute=True):
        first = order_now(shop, hanoi.schema, key="same", rice=1)

    again = order_now(shop, hanoi.schema, key="same", rice=1)

    assert again.pk == first.pk


def test_a_mark_in_one_province_is_invisible_to_another(
    hanoi, hue, django_capture_on_commit_callbacks
):
    shop = build_shop(hanoi.schema, stock=1)
    with django_capture_on_commit_callbacks(execute=True):
        order_now(shop, hanoi.schema, key="a", rice=1)

    assert _marked(hanoi.schema, shop.rice.pk) == "Gạo ST25"
    assert _marked(hue.schema, shop.rice.pk) is None


def _basket_of_rice(client, shop):
    basket = client.post(
        f"/dat-hang/{shop.sales_round.pk}/", {f"qty-{shop.rice.pk}": "1"}
    )
    assert basket.status_code == 302
    return basket.url


def test_the_confirm_page_tells_a_late_comer_sold_out_and_writes_nothing(
    hanoi, shop, member_client, django_capture_on_commit_callbacks
):
    confirm_url = _basket_of_rice(member_client, shop)
    with django_capture_on_commit_callbacks(execute=True):
        order_now(shop, hanoi.schema, member=shop.other_member, key="w", rice=50)

    answer = member_client.post(
        confirm_url, {"idempotency_key": "late", "point": shop.point.pk}
    )

    assert answer.status_code == 200
    assert "Gạo ST25" in answer.content.decode()
    with schema_context(hanoi.schema):
        assert not shop.member.orders.exists()


def test_a_repeated_submit_after_the_last_unit_finds_its_own_order(
    hanoi, shop, member_client, django_capture_on_commit_callbacks
):
    confirm_url = _basket_of_rice(member_client, shop)
    with django_capture_on_commit_callbacks(execute=True):
        won = order_now(shop, hanoi.schema, key="tap", rice=50)
    assert _marked(hanoi.schema, shop.rice.pk)

    # The second tap carries the same key while the basket is still there.
    again = member_client.post(
        confirm_url, {"idempotency_key": "tap", "point": shop.point.pk}
    )

    assert again.status_code == 302
    assert again.url.endswith(f"/don-hang/{won.reference}/")
