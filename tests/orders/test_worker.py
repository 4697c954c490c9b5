"""Closing a round consolidates it in a real Celery worker process."""

import pytest
from django_tenants.utils import schema_context

from orders import services
from orders.models import PointManifest, PurchaseOrder, SalesRound
from tests.conftest import wait_for

from .conftest import order_now


@pytest.mark.worker
def test_closing_a_round_consolidates_it_in_the_worker(committed_shop, orders_worker):
    schema, shop = committed_shop
    order_now(shop, schema, rice=2, greens="1.5")
    order_now(
        shop, schema, member=shop.other_member, point=shop.other_point, key="b", rice=1
    )

    with schema_context(schema):
        services.close_round(actor=shop.staff, sales_round=shop.sales_round)

    def consolidated():
        with schema_context(schema):
            return (
                SalesRound.objects.get(pk=shop.sales_round.pk).status == "consolidated"
            )

    wait_for(consolidated, 60, orders_worker.log_path)
    with schema_context(schema):
        purchase_order = PurchaseOrder.objects.get(sales_round=shop.sales_round)
        assert purchase_order.value == 307_000 + 140_000
        assert PointManifest.objects.filter(sales_round=shop.sales_round).count() == 2
    assert "orders.consolidate_round" in orders_worker.log_path.read_text()
