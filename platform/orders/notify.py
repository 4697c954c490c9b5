"""Messages to members about their orders, behind a sender interface.

`settings.ORDERS_NOTIFIER` names the sender class; email is the default, and an
SMS or Zalo sender only has to implement `send`.
"""

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ketnoi.templatetags.money import vnd
from network.models import Member

logger = logging.getLogger(__name__)


class Notifier(Protocol):
    def send(self, member: Member, subject: str, body: str) -> None: ...


class EmailNotifier:
    def send(self, member: Member, subject: str, body: str) -> None:
        address = member.email or (member.user.email if member.user else "")
        if not address:
            logger.info("Member %s has no email; message not sent", member.pk)
            return
        send_mail(subject, body, None, [address])


def get_notifier() -> Notifier:
    path = getattr(settings, "ORDERS_NOTIFIER", "orders.notify.EmailNotifier")
    return import_string(path)()


def send_order_message(order_id: int, kind: str) -> None:
    from .models import Order

    order = (
        Order.objects.select_related("member__user", "point", "sales_round")
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        return
    values = {
        "reference": order.reference,
        "value": vnd(order.value),
        "point": order.point.name,
        "address": order.point.address,
        "hours": order.point.opening_hours,
        "day": order.sales_round.delivery_on.strftime("%d/%m/%Y"),
        "savings": vnd(order.savings),
    }
    if kind == "confirmation":
        subject = _("Order %(reference)s confirmed") % values
        body = (
            _(
                "Thank you. Your order %(reference)s of %(value)s is confirmed"
                " (you save %(savings)s against market prices).\n"
                "Pick it up at %(point)s, %(address)s on %(day)s."
            )
            % values
        )
    else:
        subject = _("Order %(reference)s is ready for pickup") % values
        body = (
            _(
                "Your order %(reference)s has arrived at %(point)s, %(address)s."
                " Opening hours: %(hours)s. Amount: %(value)s."
            )
            % values
        )
    try:
        get_notifier().send(order.member, subject, body)
    except Exception:
        logger.exception("Could not send %s message for order %s", kind, order_id)
