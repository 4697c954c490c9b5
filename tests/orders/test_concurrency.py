"""Many buyers, little stock: real transactions on separate connections."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from network.models import Member
from orders import services
from orders.models import Order

BUYERS = 20


def test_twenty_buyers_for_five_units_sell_exactly_five(committed_shop):
    schema, shop = committed_shop
    with schema_context(schema):
        buyers = [
            Member.objects.create(
                full_name=f"Người mua {index}",
                phone=f"+8491{index:07d}",
                branch=shop.member.branch,
            )
            for index in range(BUYERS)
        ]
    start = threading.Barrier(BUYERS)

    def buy(member):
        try:
            with schema_context(schema):
                start.wait()
                services.place_order(
                    actor=None,
                    member=member,
                    sales_round=shop.sales_round,
                    point=shop.point,
                    quantities={shop.rice.pk: "1"},
                    idempotency_key="flash",
                )
            return "sold"
        except ValidationError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(BUYERS) as pool:
        answers = list(pool.map(buy, buyers))

    assert answers.count("sold") == 5
    assert answers.count("sold_out") == BUYERS - 5
    with schema_context(schema):
        shop.rice.refresh_from_db()
        shop.rice.product.refresh_from_db()
        assert Order.objects.count() == 5
        assert shop.rice.sold == 5 and shop.rice.product.stock == 0


def test_a_double_tap_from_two_connections_makes_one_order(committed_shop):
    schema, shop = committed_shop
    start = threading.Barrier(2)

    def tap(_):
        try:
            with schema_context(schema):
                start.wait()
                return services.place_order(
                    actor=None,
                    member=shop.member,
                    sales_round=shop.sales_round,
                    point=shop.point,
                    quantities={shop.rice.pk: "2"},
                    idempotency_key="same",
                ).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(tap, range(2))

    assert first == second
    with schema_context(schema):
        shop.rice.refresh_from_db()
        assert Order.objects.count() == 1 and shop.rice.sold == 2
