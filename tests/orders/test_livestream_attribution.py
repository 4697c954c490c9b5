"""An order placed after following a stream's short link is credited to it."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from events import services as event_services
from events.models import Livestream
from network.models import AuditEntry
from orders.models import Order

from .conftest import order_now


def _stream(shop) -> Livestream:
    return event_services.schedule_livestream(
        actor=shop.staff,
        title="Giải cứu gạo ST25",
        scheduled_at=timezone.now() + timedelta(hours=1),
        channel=Livestream.Channel.FACEBOOK,
        url="https://www.facebook.com/hoiphunuhanoi/videos/123",
        host_name="Chị Thu Hà",
    )


def test_a_member_who_followed_the_link_is_counted_once_for_the_stream(
    hanoi, shop, member_client, django_capture_on_commit_callbacks
):
    with schema_context(hanoi.schema):
        stream = _stream(shop)

    # given a member who followed the stream's short link
    member_client.get(f"/live/{stream.code}/")
    # when she orders, and her phone sends the same order twice
    basket = member_client.post(
        f"/dat-hang/{shop.sales_round.pk}/", {f"qty-{shop.rice.pk}": "2"}
    )
    key = member_client.get(basket.url).content.decode()
    key = key.split('name="idempotency_key" value="')[1].split('"')[0]
    form = {"idempotency_key": key, "point": shop.point.pk, "payment_method": "cash"}
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(basket.url, form)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(basket.url, form)

    # then the stream counts one order at its value, with an audit row
    with schema_context(hanoi.schema):
        order = Order.objects.get(member=shop.member)
        stream.refresh_from_db()
        assert order.livestream_id == stream.pk
        assert (stream.attributed_orders, stream.attributed_value) == (1, order.value)
        assert AuditEntry.objects.filter(action="livestream_order").count() == 1


def test_orders_without_the_link_are_not_credited(
    hanoi, shop, django_capture_on_commit_callbacks
):
    with schema_context(hanoi.schema):
        stream = _stream(shop)

    with django_capture_on_commit_callbacks(execute=True):
        order_now(shop, hanoi.schema, rice=1)

    with schema_context(hanoi.schema):
        stream.refresh_from_db()
        assert stream.attributed_orders == 0


def test_recording_the_same_order_again_changes_nothing(hanoi, shop):
    with schema_context(hanoi.schema):
        stream = _stream(shop)
    first_order = order_now(shop, hanoi.schema, key="a", rice=1)
    second_order = order_now(shop, hanoi.schema, key="b", rice=2)

    with schema_context(hanoi.schema):
        results = [
            event_services.record_livestream_order(
                livestream=stream, order_id=order.pk, order_value=order.value
            )
            for order in (first_order, first_order, second_order)
        ]
        stream.refresh_from_db()

    assert results == [True, False, True]
    assert stream.attributed_orders == 2
    assert stream.attributed_value == first_order.value + second_order.value
