"""What the national dashboard shows, built once for the page and its exports.

The page, the Excel file and the CSV file all render the same `Board`, so an
export holds exactly the figures on screen, in the same order.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import queries
from .queries import NATIONAL, Period, ProvinceRow, ReportError, SeriesPoint, Summary

CHART_LINES = 8
PALETTE = [
    "#b3125b",
    "#1d6b3a",
    "#1f5fa8",
    "#8a4b00",
    "#6b3fa0",
    "#0f7c80",
    "#a1121c",
    "#5b5b66",
    "#999999",
]


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    value: Callable[[Any], Any]
    money: bool = False
    # Network counts are today's, whatever the date range or category.
    current: bool = False


def _sales(name: str) -> Callable[[Any], Any]:
    return lambda row: getattr(row.sales, name)


def _network(name: str) -> Callable[[Any], Any]:
    return lambda row: getattr(row.network, name)


def _current(key: str, label: Any, name: str) -> Column:
    return Column(key, label, _network(name), current=True)


COLUMNS = [
    Column("orders", gettext_lazy("Orders"), _sales("orders")),
    Column("tonnes", gettext_lazy("Tonnes sold"), _sales("tonnes")),
    Column("value", gettext_lazy("Value (đồng)"), _sales("value_vnd"), money=True),
    Column(
        "savings",
        gettext_lazy("Member savings (đồng)"),
        _sales("savings_vnd"),
        money=True,
    ),
    Column(
        "fees",
        gettext_lazy("Coordinator fees (đồng)"),
        _sales("coordinator_fees_vnd"),
        money=True,
    ),
    _current("producers", gettext_lazy("Producers"), "producers"),
    _current(
        "women_owned", gettext_lazy("Women-owned producers"), "women_owned_producers"
    ),
    _current("verified", gettext_lazy("Verified products"), "verified_products"),
    _current("ocop3", gettext_lazy("OCOP 3★"), "ocop_3_products"),
    _current("ocop4", gettext_lazy("OCOP 4★"), "ocop_4_products"),
    _current("ocop5", gettext_lazy("OCOP 5★"), "ocop_5_products"),
    _current("members", gettext_lazy("Members"), "members"),
    _current("branches", gettext_lazy("Branches"), "branches"),
    _current("points", gettext_lazy("Pickup points"), "pickup_points"),
    _current("groups", gettext_lazy("Support groups"), "support_groups"),
    _current("fairs", gettext_lazy("Fairs"), "fairs"),
    _current("livestreams", gettext_lazy("Livestreams"), "livestreams"),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
NAME_KEY = "name"


@dataclass
class MonthRow:
    month: date
    province: str
    tonnes: Decimal
    value_vnd: int


@dataclass
class Board:
    params: dict[str, Any]
    summary: Summary
    provinces: list[ProvinceRow]
    months: list[MonthRow]
    sort: str
    descending: bool
    all_provinces: list[Any]
    categories: list[str]
    columns: list[Column]

    @property
    def cards(self) -> list[tuple[Column, Any]]:
        return [(column, column.value(self.summary)) for column in self.columns]

    def table(self) -> list[tuple[ProvinceRow, list[tuple[Column, Any]]]]:
        return [
            (row, [(column, column.value(row)) for column in self.columns])
            for row in self.provinces
        ]

    def sort_links(self) -> list[tuple[Column, str, bool]]:
        """Each column with the query string that sorts by it, and if it is on."""
        links = []
        for column in [Column(NAME_KEY, _("Province"), lambda r: r.province.name)]:
            links.append((column, self._sorted_by(column.key), self.sort == NAME_KEY))
        for column in self.columns:
            links.append((column, self._sorted_by(column.key), self.sort == column.key))
        return links

    def _sorted_by(self, key: str) -> str:
        from urllib.parse import urlencode

        descending = not self.descending if key == self.sort else key != NAME_KEY
        query = [(k, v) for k, v in self.query_items() if k not in {"sort", "order"}]
        query += [("sort", key), ("order", "desc" if descending else "asc")]
        return "?" + urlencode(query)

    def query_items(self) -> list[tuple[str, str]]:
        items = []
        for key in ("date_from", "date_to", "category", "sort", "order"):
            if self.params.get(key):
                items.append((key, str(self.params[key])))
        items += [("province", slug) for slug in self.params.get("province", [])]
        return items

    @property
    def query_string(self) -> str:
        from urllib.parse import urlencode

        return urlencode(self.query_items())

    def chart(self, figure: str) -> SafeString:
        return line_chart(self.months, figure)


def _date(params: Mapping[str, Any], key: str) -> date | None:
    raw = (params.get(key) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ReportError(
            _('"%(value)s" is not a date (YYYY-MM-DD).') % {"value": raw}
        ) from None


def build(params: Any) -> Board:
    provinces = [slug for slug in params.getlist("province") if slug]
    sort = params.get("sort") or "value"
    if sort != NAME_KEY and sort not in COLUMN_BY_KEY:
        sort = "value"
    descending = params.get("order", "desc" if sort != NAME_KEY else "asc") != "asc"
    cleaned = {
        "date_from": params.get("date_from", ""),
        "date_to": params.get("date_to", ""),
        "category": params.get("category", ""),
        "province": provinces,
        "sort": sort,
        "order": "desc" if descending else "asc",
    }
    report = queries.make_filter(
        NATIONAL,
        date_from=_date(params, "date_from"),
        date_to=_date(params, "date_to"),
        provinces=provinces or None,
        category=params.get("category") or None,
    )
    rows = queries.by_province(report)
    rows.sort(key=lambda row: row.province.name)
    if sort != NAME_KEY:
        rows.sort(key=lambda row: COLUMN_BY_KEY[sort].value(row), reverse=descending)
    elif descending:
        rows.reverse()
    names = {row.province.pk: row.province.name for row in rows}
    points: list[SeriesPoint] = queries.series(report, Period.MONTH, by_province=True)
    months = [
        MonthRow(
            month=point.period,
            province=names.get(point.province_id, ""),
            tonnes=point.sales.tonnes,
            value_vnd=point.sales.value_vnd,
        )
        for point in points
    ]
    every = queries.make_filter(NATIONAL)
    return Board(
        params=cleaned,
        summary=queries.summary(report),
        provinces=rows,
        months=months,
        sort=sort,
        descending=descending,
        all_provinces=list(queries.visible_provinces(NATIONAL)),
        categories=queries.categories(every),
        columns=COLUMNS,
    )


# --- chart -------------------------------------------------------------------

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 260, 70, 30, 10


def line_chart(months: list[MonthRow], figure: str) -> SafeString:
    """Inline SVG: one line per province (the largest few, then the rest).

    The page puts a table of the same figures beside it for screen readers
    and for anyone who prefers numbers; the SVG itself is `aria-hidden`.
    """
    value_of = (
        (lambda row: float(row.tonnes))
        if figure == "tonnes"
        else (lambda row: float(row.value_vnd))
    )
    all_months = sorted({row.month for row in months})
    if not all_months:
        return format_html('<p class="empty">{}</p>', _("No sales in this period."))
    totals: dict[str, float] = {}
    for row in months:
        totals[row.province] = totals.get(row.province, 0) + value_of(row)
    leaders = sorted(totals, key=lambda name: -totals[name])[:CHART_LINES]
    others = _("Other provinces")
    lines: dict[str, dict[date, float]] = {}
    for row in months:
        name = row.province if row.province in leaders else others
        line = lines.setdefault(name, {})
        line[row.month] = line.get(row.month, 0) + value_of(row)
    top = max((max(line.values()) for line in lines.values()), default=0) or 1
    plot_w = WIDTH - PAD_LEFT - 10
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / max(1, len(all_months) - 1)

    def x(month: date) -> float:
        return PAD_LEFT + all_months.index(month) * step

    def y(value: float) -> float:
        return PAD_TOP + plot_h - value / top * plot_h

    polylines = []
    legend = []
    for index, (name, line) in enumerate(lines.items()):
        colour = PALETTE[index % len(PALETTE)]
        coords = " ".join(f"{x(m):.1f},{y(line.get(m, 0)):.1f}" for m in all_months)
        polylines.append(
            format_html(
                '<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>',
                colour,
                coords,
            )
        )
        legend.append((colour, name))
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" text-anchor="middle">{}</text>',
        ((f"{x(m):.1f}", HEIGHT - 10, m.strftime("%m/%Y")) for m in all_months),
    )
    top_label = f"{top:,.1f}" if figure == "tonnes" else f"{top:,.0f}"
    svg = format_html(
        '<svg viewBox="0 0 {w} {h}" role="img" aria-hidden="true" class="chart">'
        '<line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#999"/>'
        '<line x1="{l}" y1="{b}" x2="{w}" y2="{b}" stroke="#999"/>'
        '<text x="{lx}" y="{ty}" font-size="11" text-anchor="end">{top}</text>'
        "{labels}{lines}</svg>",
        w=WIDTH,
        h=HEIGHT,
        l=PAD_LEFT,
        t=PAD_TOP,
        b=HEIGHT - PAD_BOTTOM,
        lx=PAD_LEFT - 4,
        ty=PAD_TOP + 10,
        top=top_label.replace(",", "."),
        labels=labels,
        lines=mark_safe("".join(polylines)),
    )
    legend_html = format_html_join(
        "",
        '<li><span class="swatch" style="background:{}"></span>{}</li>',
        legend,
    )
    return format_html('{}<ul class="legend">{}</ul>', svg, legend_html)
