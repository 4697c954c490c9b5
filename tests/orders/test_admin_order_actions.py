"""Staff mark orders paid or cancel them from the order screen of the admin."""

from django_tenants.utils import schema_context

from orders.models import Order, OrderEvent
from tenants import roles

from .conftest import client_for, make_user, order_now


def _paid(staff_client, order):
    return staff_client.post(f"/admin/orders/order/{order.pk}/paid/", follow=True)


def test_staff_mark_an_order_paid_with_a_history_row(hanoi, shop, staff_client):
    order = order_now(shop, hanoi.schema, rice=1)
    staff_client.cookies["django_language"] = "en"

    answer = _paid(staff_client, order)

    assert f"Order {order.reference} is marked as paid." in answer.content.decode()
    with schema_context(hanoi.schema):
        order.refresh_from_db()
        event = OrderEvent.objects.get(order=order, action="paid")
    assert order.paid_at is not None and order.paid_by_id == shop.staff.pk
    assert event.actor_id == shop.staff.pk and event.at is not None


def test_staff_cancel_an_order_and_its_units_come_back(hanoi, shop, staff_client):
    order = order_now(shop, hanoi.schema, rice=2)

    screen = staff_client.get(f"/admin/orders/orders/inspect/{order.pk}/")
    answer = staff_client.post(f"/admin/orders/order/{order.pk}/cancel/", follow=True)

    assert f"/admin/orders/order/{order.pk}/cancel/" in screen.content.decode()
    assert f"Đơn {order.reference} đã bị hủy" in answer.content.decode()
    with schema_context(hanoi.schema):
        order.refresh_from_db()
        shop.rice.refresh_from_db()
        event = OrderEvent.objects.get(order=order, action="cancelled")
    assert order.status == Order.Status.CANCELLED and shop.rice.sold == 0
    assert event.actor_id == shop.staff.pk


def test_cancelling_twice_says_why_and_changes_nothing(hanoi, shop, staff_client):
    order = order_now(shop, hanoi.schema, rice=1)
    staff_client.cookies["django_language"] = "en"
    staff_client.post(f"/admin/orders/order/{order.pk}/cancel/")

    again = staff_client.post(f"/admin/orders/order/{order.pk}/cancel/", follow=True)
    paid = _paid(staff_client, order)

    assert "Only a confirmed order can be cancelled." in again.content.decode()
    assert "A cancelled order cannot be paid." in paid.content.decode()
    with schema_context(hanoi.schema):
        assert OrderEvent.objects.filter(order=order, action="cancelled").count() == 1
        assert Order.objects.get(pk=order.pk).paid_at is None


def test_coordinators_producers_and_outsiders_have_no_such_actions(
    hanoi, hue, shop, coordinator_client, hue_client
):
    order = order_now(shop, hanoi.schema, rice=1)
    with schema_context(hanoi.schema):
        make_user("nsx@orders.test", roles.PRODUCERS)
    producer_client = client_for(hanoi.host, "nsx@orders.test")
    hue_client.login_to_admin(hue.admin_email)

    for client in (coordinator_client, producer_client, hue_client):
        for action in ("paid", "cancel"):
            answer = client.post(f"/admin/orders/order/{order.pk}/{action}/")
            assert answer.status_code in {302, 403, 404}
            if answer.status_code == 302:
                assert "/login/" in answer["Location"]
    with schema_context(hanoi.schema):
        order.refresh_from_db()
        assert order.status == Order.Status.CONFIRMED and order.paid_at is None
        assert not OrderEvent.objects.filter(order=order).exclude(action="placed")
