"""Reads of the reporting store, shared by the GraphQL API and the dashboard.

Callers first turn what they were asked into a `ReportFilter` with
`make_filter`, which applies the caller's scope: a province's token only ever
yields a filter on that province, and a province slug that is unknown or out
of scope raises the same `UnknownProvince` error either way.

Whole-month date ranges (or none) are answered from `ProvinceMonthTotal`, one
row per province and month, or from `ProvinceMonth` when a category is asked
for; other ranges and day or week series from `ProvinceDay`.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncWeek, TruncYear
from django.utils.translation import gettext as _

from tenants.models import Province

from .models import (
    ALL_CATEGORIES,
    SUM_FIELDS,
    OrderDay,
    ProducerName,
    ProductDay,
    ProductName,
    ProvinceDay,
    ProvinceMonth,
    ProvinceMonthTotal,
    ProvinceSnapshot,
)

# Figures summed from the sales tables; orders are counted in OrderDay.
AMOUNT_FIELDS = [name for name in SUM_FIELDS if "orders" not in name]
NETWORK_FIELDS = [
    "members",
    "branches",
    "pickup_points",
    "support_groups",
    "producers",
    "women_owned_producers",
    "verified_products",
    "ocop_3_products",
    "ocop_4_products",
    "ocop_5_products",
    "fairs",
    "livestreams",
]


class ReportError(Exception):
    """A request the store cannot answer; the message names what was wrong."""


class UnknownProvince(ReportError):
    def __init__(self, slug: str):
        super().__init__(_('Unknown province: "%(slug)s".') % {"slug": slug})
        self.slug = slug


class Period(Enum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


TRUNC = {
    Period.DAY: TruncDay,
    Period.WEEK: TruncWeek,
    Period.MONTH: TruncMonth,
    Period.YEAR: TruncYear,
}
PERIOD_DAYS = {Period.DAY: 1, Period.WEEK: 7, Period.MONTH: 30, Period.YEAR: 365}


@dataclass(frozen=True)
class Scope:
    """Whose figures a caller may read: every province, or exactly one."""

    national: bool
    province_id: int | None = None
    label: str = ""

    @classmethod
    def for_province(cls, province: Province) -> "Scope":
        return cls(national=False, province_id=province.pk, label=province.schema_name)


NATIONAL = Scope(national=True, label="national")


@dataclass(frozen=True)
class ReportFilter:
    province_ids: tuple[int, ...]
    date_from: date | None = None
    date_to: date | None = None
    category: str | None = None

    @property
    def whole_months(self) -> bool:
        starts_a_month = self.date_from is None or self.date_from.day == 1
        ends_a_month = self.date_to is None or self.date_to.day == _month_length(
            self.date_to
        )
        return starts_a_month and ends_a_month

    @property
    def days(self) -> int | None:
        if self.date_from is None or self.date_to is None:
            return None
        return (self.date_to - self.date_from).days + 1


@dataclass
class Figures:
    orders: int = 0
    cancelled_orders: int = 0
    quantity: Decimal = Decimal(0)
    weight_kg: Decimal = Decimal(0)
    value_vnd: int = 0
    market_value_vnd: int = 0
    coordinator_fees_vnd: int = 0

    @property
    def tonnes(self) -> Decimal:
        return self.weight_kg / 1000

    @property
    def savings_vnd(self) -> int:
        return self.market_value_vnd - self.value_vnd

    def add_amounts(self, row: dict[str, Any]) -> None:
        for name in AMOUNT_FIELDS:
            setattr(self, name, getattr(self, name) + (row.get(name) or 0))

    def add_orders(self, row: dict[str, Any]) -> None:
        self.orders += row.get("orders") or 0
        self.cancelled_orders += row.get("cancelled_orders") or 0


@dataclass
class NetworkFigures:
    members: int = 0
    branches: int = 0
    pickup_points: int = 0
    support_groups: int = 0
    producers: int = 0
    women_owned_producers: int = 0
    verified_products: int = 0
    ocop_3_products: int = 0
    ocop_4_products: int = 0
    ocop_5_products: int = 0
    fairs: int = 0
    livestreams: int = 0
    refreshed_at: datetime | None = None


@dataclass
class ProvinceRow:
    province: Province
    sales: Figures = field(default_factory=Figures)
    network: NetworkFigures = field(default_factory=NetworkFigures)


@dataclass
class Summary:
    provinces: int
    sales: Figures
    network: NetworkFigures


@dataclass
class SeriesPoint:
    period: date
    province_id: int | None
    sales: Figures


@dataclass
class GroupRow:
    key: Any
    sales: Figures
    verified_products: int | None = None


@dataclass
class RankedRow:
    province_id: int
    key: int
    name: str
    producer_name: str
    women_owned: bool
    sales: Figures


# --- scope and filters ------------------------------------------------------


def visible_provinces(scope: Scope) -> QuerySet[Province]:
    provinces = Province.objects.filter(kind=Province.Kind.PROVINCE)
    if not scope.national:
        provinces = provinces.filter(pk=scope.province_id)
    return provinces.order_by("name")


def make_filter(
    scope: Scope,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    provinces: Iterable[str] | None = None,
    category: str | None = None,
) -> ReportFilter:
    if date_from and date_to and date_from > date_to:
        raise ReportError(
            _("The start date (%(start)s) is after the end date (%(end)s).")
            % {"start": date_from.isoformat(), "end": date_to.isoformat()}
        )
    visible = dict(visible_provinces(scope).values_list("slug", "pk"))
    if provinces is None:
        ids = tuple(sorted(visible.values()))
    else:
        ids_list = []
        for slug in provinces:
            # Another province's slug is as unknown as a made-up one.
            if slug not in visible:
                raise UnknownProvince(slug)
            ids_list.append(visible[slug])
        ids = tuple(sorted(set(ids_list)))
    return ReportFilter(
        province_ids=ids,
        date_from=date_from,
        date_to=date_to,
        category=(category or "").strip() or None,
    )


# --- reads ------------------------------------------------------------------


def summary(report: ReportFilter) -> Summary:
    sales = Figures()
    totals = _monthly_totals(report)
    if totals is not None:
        row = totals.aggregate(**_amount_sums(), **_order_sums())
        sales.add_amounts(row)
        sales.add_orders(row)
    else:
        sales.add_amounts(_sales(report).aggregate(**_amount_sums()))
        sales.add_orders(_orders(report).aggregate(**_order_sums()))
    return Summary(
        provinces=len(report.province_ids),
        sales=sales,
        network=_network_total(report.province_ids),
    )


def by_province(report: ReportFilter) -> list[ProvinceRow]:
    provinces = Province.objects.filter(pk__in=report.province_ids).order_by("name")
    rows = {province.pk: ProvinceRow(province) for province in provinces}
    totals = _monthly_totals(report)
    if totals is not None:
        sums = {**_amount_sums(), **_order_sums()}
        for row in totals.values("province_id").annotate(**sums):
            rows[row["province_id"]].sales.add_amounts(row)
            rows[row["province_id"]].sales.add_orders(row)
    else:
        for row in _sales(report).values("province_id").annotate(**_amount_sums()):
            rows[row["province_id"]].sales.add_amounts(row)
        for row in _orders(report).values("province_id").annotate(**_order_sums()):
            rows[row["province_id"]].sales.add_orders(row)
    snapshots = ProvinceSnapshot.objects.filter(province_id__in=rows)
    for snapshot in snapshots:
        rows[snapshot.province_id].network = _network_of(snapshot)
    return list(rows.values())


def series(
    report: ReportFilter, period: Period, *, by_province: bool = False
) -> list[SeriesPoint]:
    monthly = period in (Period.MONTH, Period.YEAR) and report.whole_months
    keys = ["bucket", "province_id"] if by_province else ["bucket"]
    totals = _monthly_totals(report) if monthly else None
    if totals is not None:
        return _series_of_totals(totals, period, keys, by_province)
    sales = _sales(report, monthly=monthly)
    date_field = "month" if monthly else "day"
    points: dict[tuple, Figures] = {}
    sales_rows = (
        sales.annotate(bucket=TRUNC[period](date_field))
        .values(*keys)
        .annotate(**_amount_sums())
    )
    for row in sales_rows:
        points.setdefault(_point_key(row, by_province), Figures()).add_amounts(row)
    order_rows = (
        _orders(report)
        .annotate(bucket=TRUNC[period]("day"))
        .values(*keys)
        .annotate(**_order_sums())
    )
    for row in order_rows:
        points.setdefault(_point_key(row, by_province), Figures()).add_orders(row)
    return [
        SeriesPoint(period=bucket, province_id=province_id, sales=figures)
        for (bucket, province_id), figures in sorted(
            points.items(), key=lambda item: (item[0][0], item[0][1] or 0)
        )
    ]


def _series_of_totals(
    totals: QuerySet, period: Period, keys: list[str], by_province: bool
) -> list[SeriesPoint]:
    sums = {**_amount_sums(), **_order_sums()}
    if period is Period.MONTH and by_province:
        # One stored row is one point: no grouping to do.
        rows = totals.annotate(bucket=F("month")).values(*keys, *sums)
    else:
        rows = (
            totals.annotate(bucket=TRUNC[period]("month"))
            .values(*keys)
            .annotate(**sums)
        )
    points = []
    for row in rows.order_by(*keys):
        point = SeriesPoint(
            period=_point_key(row, by_province)[0],
            province_id=row["province_id"] if by_province else None,
            sales=Figures(),
        )
        point.sales.add_amounts(row)
        point.sales.add_orders(row)
        points.append(point)
    return points


@dataclass
class ProvinceColumns:
    """One province's figures for each period of a `SeriesTable`, in order."""

    province: Province
    figures: list[Figures]


@dataclass
class SeriesTable:
    periods: list[date]
    provinces: list[ProvinceColumns]


def series_table(report: ReportFilter, period: Period) -> SeriesTable:
    """A by-province series as columns: the periods, then each province's values.

    Every province of the filter has one value per period, zero where it had
    no sales, so the lists line up with `periods` (those with any sales).
    """
    points = series(report, period, by_province=True)
    periods = sorted({point.period for point in points})
    position = {period: index for index, period in enumerate(periods)}
    provinces = Province.objects.filter(pk__in=report.province_ids).order_by("name")
    columns = {
        province.pk: ProvinceColumns(province, [Figures() for _ in periods])
        for province in provinces
    }
    for point in points:
        columns[point.province_id].figures[position[point.period]] = point.sales
    return SeriesTable(periods=periods, provinces=list(columns.values()))


def by_category(report: ReportFilter) -> list[GroupRow]:
    groups: dict[str, Figures] = {}
    for row in _sales(report).values("category").annotate(**_amount_sums()):
        groups.setdefault(row["category"], Figures()).add_amounts(row)
    orders = _orders(report, per_category=True)
    for row in orders.values("category").annotate(**_order_sums()):
        groups.setdefault(row["category"], Figures()).add_orders(row)
    return [
        GroupRow(key=key, sales=figures)
        for key, figures in sorted(groups.items(), key=lambda item: -item[1].value_vnd)
    ]


def by_ocop_stars(report: ReportFilter) -> list[GroupRow]:
    """Sales per OCOP rating (0: unrated) and the verified products rated so.

    Orders here count, for each rating, the orders holding a product of that
    rating: an order with a 3-star and a 4-star product counts in both.
    """
    groups = {stars: Figures() for stars in (0, 3, 4, 5)}
    sums = {**_amount_sums(), **_order_sums()}
    for row in _sales(report).values("ocop_stars").annotate(**sums):
        figures = groups.setdefault(row["ocop_stars"], Figures())
        figures.add_amounts(row)
        figures.add_orders(row)
    network = _network_total(report.province_ids)
    rated = {
        3: network.ocop_3_products,
        4: network.ocop_4_products,
        5: network.ocop_5_products,
    }
    rated[0] = network.verified_products - sum(rated.values())
    return [
        GroupRow(key=stars, sales=figures, verified_products=rated.get(stars))
        for stars, figures in sorted(groups.items())
    ]


def top_products(
    report: ReportFilter, *, limit: int, offset: int = 0
) -> tuple[list[RankedRow], int]:
    """Products by value sold, highest first, with the number of products."""
    ranked = (
        _product_days(report)
        .values("province_id", "product_key")
        .annotate(producer_key=Max("producer_key"), **_amount_sums(), **_order_sums())
    )
    total = ranked.count()
    ordered = ranked.order_by("-value_vnd", "province_id", "product_key")
    page = list(ordered[offset : offset + limit])
    names = _names(ProductName, "product_key", page)
    producers = _names(ProducerName, "producer_key", page)
    rows = []
    for row in page:
        product = names.get((row["province_id"], row["product_key"]))
        producer = producers.get((row["province_id"], row["producer_key"]))
        rows.append(
            RankedRow(
                province_id=row["province_id"],
                key=row["product_key"],
                name=product.name if product else "",
                producer_name=producer.name if producer else "",
                women_owned=producer.women_owned if producer else False,
                sales=_figures_of(row),
            )
        )
    return rows, total


def top_producers(
    report: ReportFilter, *, limit: int, offset: int = 0
) -> tuple[list[RankedRow], int]:
    ranked = (
        _product_days(report)
        .values("province_id", "producer_key")
        .annotate(**_amount_sums(), **_order_sums())
    )
    total = ranked.count()
    ordered = ranked.order_by("-value_vnd", "province_id", "producer_key")
    page = list(ordered[offset : offset + limit])
    producers = _names(ProducerName, "producer_key", page)
    rows = []
    for row in page:
        producer = producers.get((row["province_id"], row["producer_key"]))
        rows.append(
            RankedRow(
                province_id=row["province_id"],
                key=row["producer_key"],
                name=producer.name if producer else "",
                producer_name=producer.name if producer else "",
                women_owned=producer.women_owned if producer else False,
                sales=_figures_of(row),
            )
        )
    return rows, total


def categories(report: ReportFilter) -> list[str]:
    rows = (
        ProvinceMonth.objects.filter(province_id__in=report.province_ids)
        .values_list("category", flat=True)
        .distinct()
        .order_by("category")
    )
    return list(rows)


# --- helpers ----------------------------------------------------------------


def _monthly_totals(report: ReportFilter) -> QuerySet | None:
    """The monthly totals, when they answer the filter: whole months, any category."""
    if report.category or not report.whole_months:
        return None
    rows = ProvinceMonthTotal.objects.filter(province_id__in=report.province_ids)
    if report.date_from:
        rows = rows.filter(month__gte=report.date_from)
    if report.date_to:
        rows = rows.filter(month__lte=report.date_to)
    return rows


def _sales(report: ReportFilter, *, monthly: bool | None = None) -> QuerySet:
    if monthly is None:
        monthly = report.whole_months
    model, date_field = (ProvinceMonth, "month") if monthly else (ProvinceDay, "day")
    rows = model.objects.filter(province_id__in=report.province_ids)
    if report.date_from:
        rows = rows.filter(**{f"{date_field}__gte": report.date_from})
    if report.date_to:
        rows = rows.filter(**{f"{date_field}__lte": report.date_to})
    if report.category:
        rows = rows.filter(category=report.category)
    return rows


def _product_days(report: ReportFilter) -> QuerySet:
    rows = ProductDay.objects.filter(province_id__in=report.province_ids)
    if report.date_from:
        rows = rows.filter(day__gte=report.date_from)
    if report.date_to:
        rows = rows.filter(day__lte=report.date_to)
    if report.category:
        rows = rows.filter(category=report.category)
    return rows


def _orders(report: ReportFilter, *, per_category: bool = False) -> QuerySet:
    rows = OrderDay.objects.filter(province_id__in=report.province_ids)
    if per_category:
        rows = rows.exclude(category=ALL_CATEGORIES)
        if report.category:
            rows = rows.filter(category=report.category)
    else:
        rows = rows.filter(category=report.category or ALL_CATEGORIES)
    if report.date_from:
        rows = rows.filter(day__gte=report.date_from)
    if report.date_to:
        rows = rows.filter(day__lte=report.date_to)
    return rows


def _amount_sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in AMOUNT_FIELDS}


def _order_sums() -> dict[str, Sum]:
    return {"orders": Sum("orders"), "cancelled_orders": Sum("cancelled_orders")}


def _figures_of(row: dict[str, Any]) -> Figures:
    figures = Figures()
    figures.add_amounts(row)
    figures.add_orders(row)
    return figures


def _point_key(row: dict[str, Any], by_province: bool) -> tuple:
    bucket = row["bucket"]
    if isinstance(bucket, datetime):
        bucket = bucket.date()
    return (bucket, row["province_id"] if by_province else None)


def _network_of(snapshot: ProvinceSnapshot) -> NetworkFigures:
    values = {name: getattr(snapshot, name) for name in NETWORK_FIELDS}
    return NetworkFigures(**values, refreshed_at=snapshot.refreshed_at)


def _network_total(province_ids: tuple[int, ...]) -> NetworkFigures:
    sums = {name: Sum(name) for name in NETWORK_FIELDS}
    totals = ProvinceSnapshot.objects.filter(province_id__in=province_ids).aggregate(
        **sums, refreshed_at=Min("refreshed_at"), count=Count("id")
    )
    values = {name: totals[name] or 0 for name in NETWORK_FIELDS}
    # The oldest refresh tells how current the total is; a province never
    # refreshed makes the total's age unknown.
    complete = totals["count"] == len(province_ids)
    return NetworkFigures(
        **values, refreshed_at=totals["refreshed_at"] if complete else None
    )


def _names(model: Any, key: str, rows: list[dict[str, Any]]) -> dict[tuple, Any]:
    if not rows:
        return {}
    wanted = Q()
    for row in rows:
        wanted |= Q(province_id=row["province_id"], **{key: row[key]})
    return {
        (item.province_id, getattr(item, key)): item
        for item in model.objects.filter(wanted)
    }


def _month_length(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def period_points(report: ReportFilter, period: Period, by_province: bool) -> int:
    """An upper estimate of a series' points, for the cost limit."""
    days = report.days or 3 * 365
    buckets = max(1, days // PERIOD_DAYS[period] + 1)
    return buckets * (len(report.province_ids) if by_province else 1)
