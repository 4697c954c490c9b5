"""The beat task, the notifier interface and the reporting hook."""

import datetime

from django.utils import timezone
from django_tenants.utils import schema_context

from orders.models import SalesRound
from orders.tasks import close_due_rounds_task
from tests.conftest import HostClient

from .conftest import order_now

SENT: list[tuple[str, str]] = []


class RecordingNotifier:
    """What an SMS or Zalo sender would implement."""

    def send(self, member, subject, body):
        SENT.append((member.full_name, subject))


def test_the_beat_closes_rounds_past_their_closing_time_and_consolidates(
    hanoi, shop, django_capture_on_commit_callbacks
):
    order_now(shop, hanoi.schema, rice=1)
    with schema_context(hanoi.schema):
        SalesRound.objects.filter(pk=shop.sales_round.pk).update(
            closes_at=timezone.now() - datetime.timedelta(minutes=1)
        )

    with django_capture_on_commit_callbacks(execute=True):
        close_due_rounds_task()

    with schema_context(hanoi.schema):
        shop.sales_round.refresh_from_db()
        assert shop.sales_round.status == SalesRound.Status.CONSOLIDATED
        assert shop.sales_round.purchase_orders.count() == 1


def test_the_beat_leaves_rounds_still_taking_orders(hanoi, shop):
    close_due_rounds_task()

    with schema_context(hanoi.schema):
        shop.sales_round.refresh_from_db()
    assert shop.sales_round.status == SalesRound.Status.OPEN


def test_another_sender_can_replace_email(
    hanoi, shop, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.ORDERS_NOTIFIER = "tests.orders.test_background.RecordingNotifier"
    SENT.clear()

    with django_capture_on_commit_callbacks(execute=True):
        order = order_now(shop, hanoi.schema, rice=1)

    assert SENT == [("Trần Thị Mai", SENT[0][1])] and order.reference in SENT[0][1]
    assert mailoutbox == []


def test_an_order_reaches_the_national_figures_after_commit(
    hanoi, shop, django_capture_on_commit_callbacks
):
    from django.db import connection

    from api.changes import clear_change_flag
    from api.models import ProvinceDay

    # The shop's setup would have committed, and queued its own refresh,
    # before any member ordered: run those callbacks now.
    pending, connection.run_on_commit = connection.run_on_commit, []
    for _savepoints, callback, _robust in pending:
        callback()
    clear_change_flag(hanoi.schema)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_now(shop, hanoi.schema, rice=1)

    # Tasks run in-process in tests, so the debounced refresh has already run.
    figures = ProvinceDay.objects.filter(province=hanoi.province)
    assert sum(row.value_vnd for row in figures) == order.value
    clear_change_flag(hanoi.schema)


def test_a_failed_order_queues_no_refresh(
    hanoi, shop, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    with django_capture_on_commit_callbacks() as callbacks:
        try:
            order_now(shop, hanoi.schema, rice=0)
        except ValidationError:
            pass

    assert callbacks == []


def test_the_sign_in_page_lets_a_member_in(hanoi, shop, hanoi_client):
    from tests.conftest import PASSWORD

    page = hanoi_client.get("/dat-hang/dang-nhap/")
    signed_in = hanoi_client.post(
        "/dat-hang/dang-nhap/",
        {"username": "hoivien@orders.test", "password": PASSWORD},
    )

    assert page.status_code == 200
    assert signed_in.status_code == 302 and signed_in.url == "/dat-hang/"
    assert shop.sales_round.name in hanoi_client.get("/dat-hang/").content.decode()


def test_members_sign_in_with_their_phone_number(hanoi, shop, hanoi_client):
    from tests.conftest import PASSWORD

    signed_in = hanoi_client.post(
        "/dat-hang/dang-nhap/", {"username": "0987654321", "password": PASSWORD}
    )
    wrong = HostClient(hanoi.host).post(
        "/dat-hang/dang-nhap/", {"username": "0987654321", "password": "sai"}
    )

    assert signed_in.status_code == 302
    assert wrong.status_code == 200
