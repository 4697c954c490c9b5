"""The store reconciles with each province's live data, refreshed after changes."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from api import changes
from api import sources as api_sources
from api.models import (
    OrderDay,
    ProductDay,
    ProvinceDay,
    ProvinceMonth,
    ProvinceMonthTotal,
    ProvinceSnapshot,
)
from api.rollup import refresh_province
from api.sources import network_counts
from tests.conftest import wait_for

from .conftest import GraphQLClient, sale

TOTALS = "query($f: ReportFilter) { summary(filter: $f) { sales { orders "
TOTALS += "cancelledOrders weightKg valueVnd marketValueVnd savingsVnd "
TOTALS += "coordinatorFeesVnd } } }"


def _live_totals(rows) -> dict:
    return {
        "orders": sum(row.orders for row in rows),
        "cancelledOrders": sum(row.cancelled_orders for row in rows),
        "weightKg": str(sum((row.weight_kg for row in rows), Decimal("0.000"))),
        "valueVnd": sum(row.value_vnd for row in rows),
        "marketValueVnd": sum(row.market_value_vnd for row in rows),
        "savingsVnd": sum(row.market_value_vnd - row.value_vnd for row in rows),
        "coordinatorFeesVnd": sum(row.coordinator_fees_vnd for row in rows),
    }


def test_store_reconciles_with_live_data_after_orders_and_cancellations(
    hanoi, hue, live_sales, national_token
):
    client = GraphQLClient(national_token)
    live_sales[hanoi.schema] = [
        sale(date(2026, 1, 5), orders=3, value_vnd=90_000, weight_kg=Decimal("4.5")),
        sale(date(2026, 1, 5), product_id=2, producer_id=2, category="qua", orders=1),
    ]
    live_sales[hue.schema] = [sale(date(2026, 2, 1), orders=5, value_vnd=250_000)]
    refresh_province(hanoi.schema)
    refresh_province(hue.schema)
    assert client.query(TOTALS)["data"]["summary"]["sales"] == _live_totals(
        live_sales[hanoi.schema] + live_sales[hue.schema]
    )

    # Huế cancels two of its five orders.
    live_sales[hue.schema] = [
        sale(date(2026, 2, 1), orders=3, cancelled_orders=2, value_vnd=150_000)
    ]
    refresh_province(hue.schema)

    for schema, slug in ((hanoi.schema, "hanoi"), (hue.schema, "hue")):
        answer = client.query(TOTALS, {"f": {"provinces": [slug]}})
        assert answer["data"]["summary"]["sales"] == _live_totals(live_sales[schema])


def test_a_refresh_replaces_a_province_s_rows_and_leaves_others_alone(
    hanoi, hue, stored_sales
):
    before_hue = ProductDay.objects.filter(province=hue.province).count()

    refresh_province(hanoi.schema)
    refresh_province(hanoi.schema)

    assert ProductDay.objects.filter(province=hanoi.province).count() == 2
    assert ProductDay.objects.filter(province=hue.province).count() == before_hue
    assert ProvinceSnapshot.objects.filter(province=hanoi.province).count() == 1


def test_coarser_grains_add_up_to_the_finest(hanoi, stored_sales):
    def value(model):
        return sum(
            model.objects.filter(province=hanoi.province).values_list(
                "value_vnd", flat=True
            )
        )

    assert value(ProductDay) == value(ProvinceDay) == value(ProvinceMonth) == 300_000
    totals = ProvinceMonthTotal.objects.filter(province=hanoi.province)
    assert sorted(totals.values_list("month", "value_vnd", "orders")) == [
        (date(2026, 3, 1), 100_000, 1),
        (date(2026, 4, 1), 200_000, 2),
    ]


def test_monthly_totals_count_an_order_of_two_categories_once(hanoi, live_sales):
    # given: one order of vegetables and fruit, and one cancelled order
    live_sales[hanoi.schema] = [
        sale(date(2026, 1, 5), value_vnd=10_000),
        sale(date(2026, 1, 5), category="qua", value_vnd=5_000),
        sale(date(2026, 1, 20), orders=0, cancelled_orders=1, value_vnd=0),
    ]
    counts = [
        ("", 1, 0),
        ("rau", 1, 0),
        ("qua", 1, 0),
    ]
    rows = [
        api_sources.OrderCountRow(date(2026, 1, 5), category, orders, cancelled)
        for category, orders, cancelled in counts
    ] + [api_sources.OrderCountRow(date(2026, 1, 20), "", 0, 1)]

    # when
    with mock.patch.object(api_sources, "order_count_rows", lambda sales: rows):
        refresh_province(hanoi.schema)

    # then: the month has one order, one cancelled, and every category's value
    total = ProvinceMonthTotal.objects.get(province=hanoi.province)
    assert (total.month, total.orders, total.cancelled_orders, total.value_vnd) == (
        date(2026, 1, 1),
        1,
        1,
        15_000,
    )


def test_orders_are_counted_once_per_order_whatever_its_categories(hanoi, live_sales):
    import api.sources

    live_sales[hanoi.schema] = [
        sale(date(2026, 1, 5)),
        sale(date(2026, 1, 5), category="qua"),
    ]
    counts = [
        {"day": date(2026, 1, 5), "category": "", "orders": 1, "cancelled_orders": 0},
        {
            "day": date(2026, 1, 5),
            "category": "rau",
            "orders": 1,
            "cancelled_orders": 0,
        },
        {
            "day": date(2026, 1, 5),
            "category": "qua",
            "orders": 1,
            "cancelled_orders": 0,
        },
    ]
    with mock.patch.object(
        api.sources,
        "order_count_rows",
        lambda sales: [api.sources.OrderCountRow(**row) for row in counts],
    ):
        refresh_province(hanoi.schema)

    overall = OrderDay.objects.get(province=hanoi.province, category="")
    assert overall.orders == 1


def test_whole_months_and_partial_ranges_agree(hanoi, stored_sales, national_token):
    client = GraphQLClient(national_token)

    def value(date_from, date_to):
        f = {"provinces": ["hanoi"], "dateFrom": date_from, "dateTo": date_to}
        return client.query(TOTALS, {"f": f})["data"]["summary"]["sales"]["valueVnd"]

    assert value("2026-03-01", "2026-04-30") == 300_000  # whole months
    assert value("2026-03-02", "2026-04-15") == 300_000  # partial
    assert value("2026-03-03", "2026-04-30") == 200_000


def test_monthly_series_by_province_matches_live_data(
    hanoi, hue, stored_sales, national_token
):
    query = (
        "{ series(period: MONTH, groupByProvince: true) "
        "{ period province { slug } sales { valueVnd } } }"
    )

    points = GraphQLClient(national_token).query(query)["data"]["series"]

    assert points == [
        {
            "period": "2026-03-01",
            "province": {"slug": "hanoi"},
            "sales": {"valueVnd": 100_000},
        },
        {
            "period": "2026-03-01",
            "province": {"slug": "hue"},
            "sales": {"valueVnd": 70_000},
        },
        {
            "period": "2026-04-01",
            "province": {"slug": "hanoi"},
            "sales": {"valueVnd": 200_000},
        },
    ]


SERIES_BY_PROVINCE = """
query($f: ReportFilter) { seriesByProvince(period: MONTH, filter: $f) {
  periods provinces { province { slug } orders valueVnd tonnes savingsVnd }
} }
"""


def test_series_by_province_gives_each_province_a_value_for_every_period(
    hanoi, hue, stored_sales, national_token
):
    answer = GraphQLClient(national_token).query(SERIES_BY_PROVINCE)

    table = answer["data"]["seriesByProvince"]
    assert table["periods"] == ["2026-03-01", "2026-04-01"]
    rows = sorted(table["provinces"], key=lambda row: row["province"]["slug"])
    assert rows == [
        {
            "province": {"slug": "hanoi"},
            "orders": [1, 2],
            "valueVnd": [100_000, 200_000],
            "tonnes": ["0.001", "0.001"],
            "savingsVnd": [20_000, 60_000],
        },
        {
            "province": {"slug": "hue"},
            "orders": [1, 0],
            "valueVnd": [70_000, 0],
            "tonnes": ["0.0025", "0"],
            "savingsVnd": [20_000, 0],
        },
    ]


@pytest.mark.parametrize(
    "report_filter",
    [
        {},
        {"category": "rau"},
        {"dateFrom": "2026-03-02", "dateTo": "2026-04-20"},
        {"provinces": ["hue"]},
    ],
    ids=["everything", "a category", "part of months", "one province"],
)
def test_series_by_province_holds_the_figures_of_the_series_by_point(
    stored_sales, national_token, report_filter
):
    points_query = (
        "query($f: ReportFilter) { series(period: MONTH, groupByProvince: true, "
        "filter: $f) { period province { slug } sales { orders valueVnd tonnes "
        "savingsVnd } } }"
    )
    client = GraphQLClient(national_token)

    points = client.query(points_query, {"f": report_filter})["data"]["series"]
    table = client.query(SERIES_BY_PROVINCE, {"f": report_filter})["data"]

    from_table = {
        (period, row["province"]["slug"]): row["valueVnd"][index]
        for row in table["seriesByProvince"]["provinces"]
        for index, period in enumerate(table["seriesByProvince"]["periods"])
    }
    from_points = {
        (point["period"], point["province"]["slug"]): point["sales"]["valueVnd"]
        for point in points
    }
    assert points
    assert {key: value for key, value in from_table.items() if value} == from_points


def test_a_province_token_asking_for_another_province_s_series_is_told_unknown(
    hanoi_token,
):
    client = GraphQLClient(hanoi_token)

    other = client.query(SERIES_BY_PROVINCE, {"f": {"provinces": ["hue"]}})
    made_up = client.query(SERIES_BY_PROVINCE, {"f": {"provinces": ["khong-co"]}})
    own = client.query(SERIES_BY_PROVINCE)

    assert other["data"] is None and made_up["data"] is None
    assert other["errors"][0]["message"] == 'Unknown province: "hue".'
    assert made_up["errors"][0]["message"] == 'Unknown province: "khong-co".'
    rows = own["data"]["seriesByProvince"]["provinces"]
    assert [row["province"]["slug"] for row in rows] == ["hanoi"]


def test_breakdowns_and_top_lists_match_live_data(stored_sales, national_token):
    client = GraphQLClient(national_token)

    categories = client.query("{ byCategory { category sales { valueVnd } } }")
    products = client.query(
        "{ topProducts(first: 1) { totalCount pageInfo { hasNextPage endCursor } "
        "edges { node { name producerName womenOwned province { slug } } } } }"
    )["data"]["topProducts"]
    following = client.query(
        "query($a: String) { topProducts(first: 5, after: $a) "
        "{ edges { node { name } } } }",
        {"a": products["pageInfo"]["endCursor"]},
    )["data"]["topProducts"]

    assert categories["data"]["byCategory"] == [
        {"category": "rau", "sales": {"valueVnd": 300_000}},
        {"category": "banh", "sales": {"valueVnd": 70_000}},
    ]
    assert products["totalCount"] == 2 and products["pageInfo"]["hasNextPage"]
    assert products["edges"][0]["node"] == {
        "name": "Rau muống",
        "producerName": "HTX Rau sạch",
        "womenOwned": True,
        "province": {"slug": "hanoi"},
    }
    assert following["edges"] == [{"node": {"name": "Bánh lọc"}}]


def test_rows_of_a_page_load_their_provinces_in_one_query(stored_sales, national_token):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    query = (
        '{ series(groupByProvince: true, period: DAY, filter: {dateFrom: "2026-03-01",'
        ' dateTo: "2026-04-30"}) { province { slug name } } }'
    )

    with CaptureQueriesContext(connection) as captured:
        points = GraphQLClient(national_token).query(query)["data"]["series"]

    # django-tenants sets the search path before queries; those are not reads.
    reads = [q["sql"] for q in captured if not q["sql"].startswith("SET ")]
    assert len(points) == 3
    assert sum('FROM "tenants_province"' in sql for sql in reads) == 2  # scope, rows
    assert len(reads) == 8  # with the store generation of the answer cache


def test_snapshot_counts_reconcile_with_the_province_s_network(hanoi, hue):
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from network import services as network

    with schema_context(hanoi.schema):
        actor = get_user_model().objects.get(username=hanoi.staff_email)
        commune = network.create_org_unit(
            actor=actor,
            name="Hội LHPN phường Hoàn Kiếm",
            level="commune",
            ward_code="00070",
        )
        branch = network.create_org_unit(
            actor=actor, name="Chi hội Hàng Bạc", level="branch", parent=commune
        )
        for phone in ("0912345678", "0987654321"):
            network.add_member(
                actor=actor, full_name="Hội viên", phone=phone, branch=branch
            )
        live = network_counts()

    hanoi_snapshot = refresh_province(hanoi.schema)
    hue_snapshot = refresh_province(hue.schema)

    assert (live.members, live.branches) == (2, 1)
    assert (hanoi_snapshot.members, hanoi_snapshot.branches) == (2, 1)
    assert (hue_snapshot.members, hue_snapshot.branches) == (0, 0)
    assert hanoi_snapshot.refreshed_at <= timezone.now()


def test_changes_within_the_debounce_window_queue_one_refresh(hanoi, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    changes.clear_change_flag(hanoi.schema)
    with mock.patch("api.tasks.refresh_province_figures.apply_async") as send:
        first = changes.mark_province_changed(hanoi.schema)
        second = changes.mark_province_changed(hanoi.schema)

    assert (first, second) == (True, False)
    send.assert_called_once_with(countdown=settings.REPORTING_DEBOUNCE_SECONDS)
    changes.clear_change_flag(hanoi.schema)


def test_the_refresh_task_runs_in_the_province_s_schema(hanoi, live_sales):
    from api.tasks import refresh_province_figures

    live_sales[hanoi.schema] = [sale(date(2026, 6, 1), value_vnd=42_000)]
    changes.clear_change_flag(hanoi.schema)

    assert changes.mark_province_changed(hanoi.schema)  # eager: runs now
    assert ProductDay.objects.get(province=hanoi.province).value_vnd == 42_000
    assert refresh_province_figures.apply().result == ""  # no province: refused


@pytest.mark.worker
def test_a_change_reaches_the_national_figures_through_a_real_worker(
    celery_worker, committed_db, settings
):
    from tenants.models import Province

    settings.REPORTING_DEBOUNCE_SECONDS = 1
    # Committed rows, not the `hanoi` fixture's rolled-back transaction: the
    # worker is another process.
    province = Province.objects.get(slug="hanoi")
    # A stale row the province's live data does not back: the refresh must drop it.
    stale = ProductDay.objects.create(
        province=province,
        day=date(2020, 1, 1),
        category="x",
        product_key=1,
        producer_key=1,
        value_vnd=999,
    )
    committed_db.append(lambda: ProductDay.objects.filter(pk=stale.pk).delete())
    committed_db.append(
        lambda: ProvinceSnapshot.objects.filter(province=province).delete()
    )
    started = timezone.now()
    changes.clear_change_flag(province.schema_name)

    assert changes.mark_province_changed(province.schema_name)

    def refreshed() -> bool:
        snapshot = ProvinceSnapshot.objects.filter(province=province).first()
        return snapshot is not None and snapshot.refreshed_at >= started

    wait_for(refreshed, 60, celery_worker.log_path)
    assert not ProductDay.objects.filter(pk=stale.pk).exists()
    assert "api.refresh_province_figures" in celery_worker.log_path.read_text()
    changes.clear_change_flag(province.schema_name)


def test_a_refresh_retires_cached_answers(hanoi, live_sales, national_token):
    client = GraphQLClient(national_token)
    live_sales[hanoi.schema] = [sale(date(2026, 1, 5), value_vnd=10_000)]
    refresh_province(hanoi.schema)
    first = client.query(TOTALS)["data"]["summary"]["sales"]["valueVnd"]

    live_sales[hanoi.schema].append(sale(date(2026, 1, 6), value_vnd=5_000))
    refresh_province(hanoi.schema)

    assert client.query(TOTALS)["data"]["summary"]["sales"]["valueVnd"] == first + 5_000


def test_one_transaction_of_many_changes_queues_one_refresh(
    hanoi, django_capture_on_commit_callbacks
):
    from django.db import transaction
    from django_tenants.utils import schema_context

    from api.changes import figures_changed

    with django_capture_on_commit_callbacks() as callbacks:
        with schema_context(hanoi.schema), transaction.atomic():
            for _change in range(5):
                figures_changed()

    assert len(callbacks) == 1


def test_without_a_broker_a_burst_of_changes_refreshes_once(hanoi, live_sales):
    live_sales[hanoi.schema] = [sale(date(2026, 6, 1), value_vnd=1_000)]
    changes.clear_change_flag(hanoi.schema)

    assert changes.mark_province_changed(hanoi.schema)  # eager: runs now
    live_sales[hanoi.schema] = [sale(date(2026, 6, 1), value_vnd=2_000)]
    assert not changes.mark_province_changed(hanoi.schema)

    assert ProductDay.objects.get(province=hanoi.province).value_vnd == 1_000
    changes.clear_change_flag(hanoi.schema)
