"""Province staff's screens in the Wagtail admin: round operations and reports."""

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketnoi.access import get_visible_or_404, is_staff, require

from . import exports, selectors, services
from .models import Order, SalesRound

ROUND_ACTIONS = {
    "open": services.open_round,
    "close": services.close_round,
    "settle": services.settle_round,
}


def round_operations(request: HttpRequest, round_id: int) -> HttpResponse:
    require(is_staff(request.user))
    sales_round = get_visible_or_404(SalesRound.objects.all(), pk=round_id)
    if request.GET.get("format") == "xlsx":
        return exports.workbook_response(
            exports.round_workbook(sales_round), f"dot-ban-{sales_round.pk}.xlsx"
        )
    purchase_orders = sales_round.purchase_orders.select_related(
        "producer"
    ).prefetch_related("lines__point", "lines__round_product__product")
    settlements = sales_round.settlements.select_related("point", "producer")
    return TemplateResponse(
        request,
        "orders/admin/round.html",
        {
            "round": sales_round,
            "purchase_orders": purchase_orders,
            "manifests": sales_round.manifests.select_related("point"),
            "settlements": settlements,
            "totals": selectors.report_totals(sales_round=sales_round),
        },
    )


@require_POST
def round_action(request: HttpRequest, round_id: int, action: str) -> HttpResponse:
    require(is_staff(request.user) and action in ROUND_ACTIONS)
    sales_round = get_visible_or_404(SalesRound.objects.all(), pk=round_id)
    try:
        ROUND_ACTIONS[action](actor=request.user, sales_round=sales_round)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Done."))
    return redirect("orders_round_operations", round_id=sales_round.pk)


ORDER_ACTIONS = {
    "paid": services.mark_paid,
    "cancel": services.cancel_order,
}


def order_action_messages() -> dict[str, str]:
    return {
        "paid": _("Order %(reference)s is marked as paid."),
        "cancel": _("Order %(reference)s is cancelled; its quantities are back."),
    }


@require_POST
def order_action(request: HttpRequest, order_id: int, action: str) -> HttpResponse:
    """Staff mark an order paid or cancel it, with the portal's services."""
    require(is_staff(request.user) and action in ORDER_ACTIONS)
    order = get_visible_or_404(Order.objects.all(), pk=order_id)
    try:
        ORDER_ACTIONS[action](actor=request.user, order=order)
    except ValidationError as error:
        messages.error(request, f"{order.reference}: {' '.join(error.messages)}")
    else:
        messages.success(
            request, order_action_messages()[action] % {"reference": order.reference}
        )
    return redirect("orders_orders:inspect", order.pk)


def _date(raw: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def dimension_labels() -> dict[str, str]:
    return {
        "product": _("Product"),
        "category": _("Category"),
        "producer": _("Producer"),
        "point": _("Pickup point"),
        "commune": _("Commune or ward"),
    }


def _bars(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    top = max((row["value"] for row in rows), default=0) or 1
    return [
        {**row, "width": round(row["value"] * 100 / top, 1), "y": index * 26}
        for index, row in enumerate(rows[:15])
    ]


def report(request: HttpRequest) -> HttpResponse:
    require(is_staff(request.user))
    round_id = request.GET.get("round") or ""
    sales_round = (
        get_visible_or_404(SalesRound.objects.all(), pk=round_id) if round_id else None
    )
    start, end = _date(request.GET.get("start")), _date(request.GET.get("end"))
    by = request.GET.get("by", "product")
    labels = dimension_labels()
    if by not in labels:
        by = "product"
    tables = {
        key: selectors.report(by=key, sales_round=sales_round, start=start, end=end)
        for key in labels
    }
    if request.GET.get("format") == "xlsx":
        return exports.workbook_response(
            exports.report_workbook(tables, labels), "bao-cao-ban-hang.xlsx"
        )
    bars = _bars(tables[by])
    return TemplateResponse(
        request,
        "orders/admin/report.html",
        {
            "rounds": SalesRound.objects.exclude(status=SalesRound.Status.DRAFT),
            "selected_round": sales_round,
            "start": start,
            "end": end,
            "by": by,
            "labels": labels,
            "tables": [(key, labels[key], tables[key]) for key in labels],
            "bars": bars,
            "chart_height": len(bars) * 26 + 4,
            "totals": selectors.report_totals(
                sales_round=sales_round, start=start, end=end
            ),
            "query": request.GET.urlencode(),
        },
    )
