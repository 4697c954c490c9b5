"""The producer's side of a round: what to deliver where, and what she is paid.

Reached from the producer portal. Every purchase order is looked up through
the signed-in user's producers, so another producer's order answers 404 just
like a missing one.
"""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from catalog.portal import LOGIN_URL
from catalog.selectors import producers_of
from ketnoi import access

from . import exports
from .models import PurchaseOrder, Settlement


def _purchase_orders(request: HttpRequest) -> QuerySet[PurchaseOrder]:
    access.require(access.is_producer(request.user))
    return PurchaseOrder.objects.filter(producer__in=producers_of(request.user))


def _statements(
    purchase_orders: list[PurchaseOrder],
) -> dict[tuple[int, int], Settlement]:
    rows = Settlement.objects.filter(
        kind=Settlement.Kind.PRODUCER,
        sales_round__in={po.sales_round_id for po in purchase_orders},
        producer__in={po.producer_id for po in purchase_orders},
    )
    return {(row.sales_round_id, row.producer_id): row for row in rows}


@login_required(login_url=LOGIN_URL)
def purchase_orders(request: HttpRequest) -> HttpResponse:
    orders = list(
        _purchase_orders(request)
        .select_related("sales_round", "producer")
        .order_by("-sales_round__delivery_on", "producer__name")
    )
    statements = _statements(orders)
    for order in orders:
        order.statement = statements.get((order.sales_round_id, order.producer_id))
    return render(request, "orders/producer/list.html", {"purchase_orders": orders})


@login_required(login_url=LOGIN_URL)
def purchase_order(request: HttpRequest, po_id: int) -> HttpResponse:
    order = access.get_visible_or_404(
        _purchase_orders(request).select_related("sales_round", "producer"), pk=po_id
    )
    lines = list(
        order.lines.select_related("point__host", "round_product__product").order_by(
            "point__name", "round_product__product__name"
        )
    )
    if request.GET.get("xuat") == "xlsx":
        filename = slugify(f"{order.sales_round.name}-{order.producer.name}")
        return exports.workbook_response(
            exports.purchase_order_workbook(order, lines), f"{filename}.xlsx"
        )
    points = [
        (point, list(point_lines))
        for point, point_lines in groupby(lines, key=lambda line: line.point)
    ]
    statement = _statements([order]).get((order.sales_round_id, order.producer_id))
    return render(
        request,
        "orders/producer/detail.html",
        {"order": order, "points": points, "statement": statement},
    )
