"""The dashboard as Excel and CSV: the same sections, rows and order as the page."""

import csv
import io
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .dashboard import Board, Column


def sections(board: Board) -> list[tuple[str, list[list[Any]]]]:
    """Each section of the page: a title and its rows, header row first."""
    totals = [[_("Figure"), _("Value")]]
    totals += [[_label(column), _cell(value)] for column, value in board.cards]
    totals.append(["* " + _("Current counts, not filtered by date or category."), ""])
    provinces = [[_("Province")] + [_label(column) for column in board.columns]]
    provinces += [
        [row.province.name] + [_cell(value) for _column, value in values]
        for row, values in board.table()
    ]
    months = [[_("Month"), _("Province"), _("Tonnes sold"), _("Value (đồng)")]]
    months += [
        [row.month.strftime("%Y-%m"), row.province, _cell(row.tonnes), row.value_vnd]
        for row in board.months
    ]
    return [
        (_("Totals"), totals),
        (_("Provinces"), provinces),
        (_("By month"), months),
    ]


def _label(column: Column) -> str:
    return f"{column.label}*" if column.current else str(column.label)


def _cell(value: Any) -> Any:
    # Excel has no decimal type; tonnes and kilograms keep three decimals.
    if isinstance(value, Decimal):
        return float(round(value, 3))
    return value


def _filename(board: Board, extension: str) -> str:
    stamp = timezone.localdate().isoformat()
    return f"ket-noi-bao-cao-{stamp}.{extension}"


def xlsx_response(board: Board) -> HttpResponse:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sections(board):
        sheet = workbook.create_sheet(title[:31])
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(board, "xlsx")}"'
    )
    return response


def csv_response(board: Board) -> HttpResponse:
    buffer = io.StringIO()
    # A byte-order mark lets Excel open the Vietnamese text as UTF-8.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for index, (title, rows) in enumerate(sections(board)):
        if index:
            writer.writerow([])
        writer.writerow([title])
        writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(board, "csv")}"'
    )
    return response
