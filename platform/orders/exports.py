"""Excel files: packing lists, purchase orders, settlements, reports."""

from io import BytesIO
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Excel refuses these in a sheet's name, and translations may carry them.
SHEET_NAME_FORBIDDEN = str.maketrans({char: "-" for char in "[]:*?/\\"})


def _sheet(workbook: Workbook, title: str, header: list[str], rows: Any) -> None:
    sheet = workbook.create_sheet(str(title).translate(SHEET_NAME_FORBIDDEN)[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def point_workbook(manifest_lines: list[Any], orders: list[Any]) -> Workbook:
    workbook = new_workbook()
    _sheet(
        workbook,
        _("Manifest"),
        [_("Product"), _("Unit"), _("Quantity"), _("Weight (kg)")],
        (
            (
                line["name"],
                line["unit"],
                float(line["quantity"]),
                float(line["weight_kg"]),
            )
            for line in manifest_lines
        ),
    )
    _sheet(
        workbook,
        _("Packing list"),
        [
            _("Reference"),
            _("Member"),
            _("Phone"),
            _("Product"),
            _("Quantity"),
            _("Value (đồng)"),
            _("Paid"),
            _("Status"),
        ],
        (
            (
                order.reference,
                order.member.full_name,
                str(order.member.phone),
                line.round_product.product.name,
                float(line.quantity),
                line.value,
                _("yes") if order.paid_at else _("no"),
                order.get_status_display(),
            )
            for order in orders
            for line in order.lines.all()
        ),
    )
    return workbook


def _purchase_order_sheet(workbook: Workbook, title: str, lines: Any) -> None:
    _sheet(
        workbook,
        title,
        [
            _("Pickup point"),
            _("Address"),
            _("Product"),
            _("Quantity"),
            _("Weight (kg)"),
            _("Value (đồng)"),
        ],
        (
            (
                line.point.name,
                line.point.address,
                line.round_product.product.name,
                float(line.quantity),
                float(line.weight_kg),
                line.value,
            )
            for line in lines
        ),
    )


def purchase_order_workbook(purchase_order: Any, lines: list[Any]) -> Workbook:
    """One producer's purchase order: what to deliver to which point."""
    workbook = new_workbook()
    _purchase_order_sheet(workbook, purchase_order.producer.name, lines)
    return workbook


def round_workbook(sales_round: Any) -> Workbook:
    workbook = new_workbook()
    for purchase_order in sales_round.purchase_orders.select_related("producer"):
        _purchase_order_sheet(
            workbook,
            purchase_order.producer.name,
            purchase_order.lines.select_related("point", "round_product__product"),
        )
    _sheet(
        workbook,
        _("Settlement"),
        [
            _("Kind"),
            _("Point or producer"),
            _("Orders"),
            _("Weight (kg)"),
            _("Gross"),
            _("Handling fees"),
            _("Transport support"),
            _("Net"),
        ],
        (
            (
                row.get_kind_display(),
                str(row.point or row.producer),
                row.orders,
                float(row.weight_kg),
                row.gross,
                row.handling_fee,
                row.transport_support,
                row.net,
            )
            for row in sales_round.settlements.select_related("point", "producer")
        ),
    )
    return workbook


def report_workbook(
    tables: dict[str, list[dict[str, Any]]], labels: dict[str, str]
) -> Workbook:
    workbook = new_workbook()
    for by, rows in tables.items():
        _sheet(
            workbook,
            labels[by],
            [
                labels[by],
                _("Orders"),
                _("Tonnes"),
                _("Value (đồng)"),
                _("Market value (đồng)"),
                _("Savings (đồng)"),
            ],
            (
                (
                    row["label"],
                    row["orders"],
                    float(row["tonnes"]),
                    row["value"],
                    row["market_value"],
                    row["savings"],
                )
                for row in rows
            ),
        )
    return workbook
