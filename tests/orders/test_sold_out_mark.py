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
