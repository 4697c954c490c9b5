"""A pickup point hands out at most its capacity of orders per round."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tenants.utils import schema_context

from network.models import PickupPoint
from orders import services
from orders.models import Order

from .conftest import order_now


def _set_capacity(schema: str, point, capacity: int) -> None:
    with schema_context(schema):
        PickupPoint.objects.filter(pk=point.pk).update(capacity=capacity)
        point.refresh_from_db()


def test_a_full_point_refuses_another_order_and_writes_nothing(hanoi, shop):
    _set_capacity(hanoi.schema, shop.point, 1)
    order_now(shop, hanoi.schema, member=shop.member, key="first", rice=1)

    with (
        translation.override("vi"),
        pytest.raises(ValidationError, match="không còn chỗ"),
    ):
        order_now(shop, hanoi.schema, member=shop.other_member, key="second", rice=1)

    with schema_context(hanoi.schema):
        assert Order.objects.filter(sales_round=shop.sales_round).count() == 1


def test_a_cancelled_order_frees_its_place(hanoi, shop):
    _set_capacity(hanoi.schema, shop.point, 1)
    first = order_now(shop, hanoi.schema, member=shop.member, key="first", rice=1)
    with schema_context(hanoi.schema):
        services.cancel_order(actor=shop.staff, order=first)

    second = order_now(
        shop, hanoi.schema, member=shop.other_member, key="second", rice=1
    )

    assert second.point_id == shop.point.pk


def test_moving_an_order_to_a_full_point_is_refused(hanoi, shop):
    _set_capacity(hanoi.schema, shop.other_point, 1)
    order_now(
        shop,
        hanoi.schema,
        member=shop.other_member,
        point=shop.other_point,
        key="there",
        rice=1,
    )
    mine = order_now(shop, hanoi.schema, member=shop.member, key="mine", rice=1)

    with schema_context(hanoi.schema), pytest.raises(ValidationError):
        services.change_order(
            actor=shop.member.user,
            order=mine,
            quantities={shop.rice.pk: 1},
            point=shop.other_point,
        )

    with schema_context(hanoi.schema):
        assert Order.objects.get(pk=mine.pk).point_id == shop.point.pk
