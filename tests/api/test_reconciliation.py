"""The national figures agree with the provinces' live data, kept so by a worker.

Everything here is committed: orders, events and the store are written by the
real services in two provinces, the refreshes run in a real Celery worker, and
the figures are read through POST /graphql/ like any national client would.
"""

import os
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone
from django_tenants.utils import schema_context

from api import services as api_services
from api.changes import clear_change_flag
from api.models import (
    OrderDay,
    ProducerName,
    ProductDay,
    ProductName,
    ProvinceDay,
    ProvinceMonth,
    ProvinceMonthTotal,
    ProvinceSnapshot,
)
from catalog.models import Category, Product
from events import services as events
from events.models import Fair, Livestream
from orders import services as orders
from orders.models import Order
from tenants.models import Province
from tests.conftest import wait_for
from tests.orders.conftest import build_shop, order_now, wipe_shop

from .conftest import GraphQLClient

SLUGS = ("hanoi", "hue")

FIGURES = """
query Figures($provinces: [String!]) {
  summary(filter: {provinces: $provinces}) {
    provinces
    sales { ...sales }
    network { fairs livestreams }
  }
  byProvince(filter: {provinces: $provinces}, orderBy: NAME, first: 100) {
    edges { node {
      province { slug }
      sales { ...sales }
      network { fairs livestreams }
    } }
  }
  seriesByProvince(filter: {provinces: $provinces}) {
    provinces { province { slug } orders cancelledOrders valueVnd }
  }
}
fragment sales on SalesFigures {
  orders cancelledOrders weightKg tonnes valueVnd marketValueVnd savingsVnd
}
"""


def _broker_is_redis() -> bool:
    return os.environ.get("KETNOI_TEST_BROKER_URL", "").startswith("redis")


@pytest.fixture
def shared_debounce(django_db_setup, settings, monkeypatch):
    """A short debounce, and its flag in Redis for this process and the worker's.

    The flag is set where a change is queued (here) and cleared by the worker:
    with a cache per process the worker's clearing would never be seen here.
    Must start before `celery_worker`, which copies the environment.
    """
    if not _broker_is_redis():
        pytest.skip("the debounce flag needs a shared cache: set a Redis broker")
    redis_url = os.environ["KETNOI_TEST_BROKER_URL"]
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("CACHE_KEY_PREFIX", prefix)
    monkeypatch.setenv("REPORTING_DEBOUNCE_SECONDS", "1")
    settings.REPORTING_DEBOUNCE_SECONDS = 1
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {
        "default": {
            **django_settings.CACHES["default"],
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }


@pytest.fixture
def reporting_worker(shared_debounce, celery_worker, committed_db):
    provinces = {p.slug: p for p in Province.objects.filter(slug__in=SLUGS)}
    committed_db.append(lambda: _forget_store(provinces.values()))
    for province in provinces.values():
        committed_db.append(lambda schema=province.schema_name: _wipe(schema))
    token, raw = api_services.issue_token(province=None, name="reconcile", actor="t")
    committed_db.append(token.delete)
    return provinces, GraphQLClient(raw), celery_worker


def _wipe(schema: str) -> None:
    clear_change_flag(schema)
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE events_booth, events_boothsale, events_livestreamorder,"
            " events_livestreamreminder, events_livestream, events_fair CASCADE"
        )
    wipe_shop(schema)


def _forget_store(provinces) -> None:
    for model in (
        OrderDay,
        ProductDay,
        ProvinceDay,
        ProvinceMonth,
        ProvinceMonthTotal,
        ProductName,
        ProducerName,
        ProvinceSnapshot,
    ):
        model.objects.filter(province__in=list(provinces)).delete()


def _live_figures(schema: str) -> dict:
    """What the province's own tables say, read without the reporting code."""
    with schema_context(schema):
        kept = Order.objects.exclude(status=Order.Status.CANCELLED).aggregate(
            orders=Count("pk"),
            weight=Sum("weight_kg"),
            value=Sum("value"),
            market=Sum("market_value"),
        )
        cancelled = Order.objects.filter(status=Order.Status.CANCELLED).count()
        fairs = Fair.objects.exclude(status=Fair.Status.CANCELLED).count()
        streams = Livestream.objects.exclude(status=Livestream.Status.CANCELLED).count()
    weight = kept["weight"] or Decimal(0)
    return {
        "orders": kept["orders"],
        "cancelled": cancelled,
        "weight": weight,
        "value": kept["value"] or 0,
        "market": kept["market"] or 0,
        "fairs": fairs,
        "livestreams": streams,
    }


def _national(node: dict) -> dict:
    sales = node["sales"]
    weight = Decimal(sales["weightKg"])
    assert Decimal(sales["tonnes"]) == weight / 1000
    assert sales["savingsVnd"] == sales["marketValueVnd"] - sales["valueVnd"]
    return {
        "orders": sales["orders"],
        "cancelled": sales["cancelledOrders"],
        "weight": weight,
        "value": sales["valueVnd"],
        "market": sales["marketValueVnd"],
        "fairs": node["network"]["fairs"],
        "livestreams": node["network"]["livestreams"],
    }


def _reconciled(gql: GraphQLClient, provinces: dict) -> bool:
    live = {slug: _live_figures(p.schema_name) for slug, p in provinces.items()}
    answer = gql.query(FIGURES, {"provinces": list(SLUGS)})
    assert "errors" not in answer, answer
    by_province = {
        edge["node"]["province"]["slug"]: _national(edge["node"])
        for edge in answer["data"]["byProvince"]["edges"]
    }
    total = {key: sum(figures[key] for figures in live.values()) for key in live["hue"]}
    summary = answer["data"]["summary"]
    # The monthly series adds up, per province, to the province's figures.
    series = {
        row["province"]["slug"]: (
            sum(row["orders"]),
            sum(row["cancelledOrders"]),
            sum(row["valueVnd"]),
        )
        for row in answer["data"]["seriesByProvince"]["provinces"]
    }
    live_series = {
        slug: (figures["orders"], figures["cancelled"], figures["value"])
        for slug, figures in live.items()
    }
    return (
        by_province == live
        and series == live_series
        and summary["provinces"] == len(SLUGS)
        and _national(summary) == total
    )


def _refreshed_by_the_worker(worker, schema: str) -> bool:
    log = worker.log_path.read_text()
    return "api.refresh_province_figures" in log and (
        f"Reporting store refreshed for {schema}" in log
    )


def _trade(schema: str, *, rice: int, greens: str, second_category: bool):
    """A shop, three orders (one cancelled), one via a livestream, a fair."""
    shop = build_shop(schema, stock=20)
    with schema_context(schema):
        if second_category:
            fruit = Category.objects.create(name="Trái cây", slug="trai-cay")
            Product.objects.filter(pk=shop.greens.product_id).update(category=fruit)
        starts = timezone.now() + timedelta(days=5)
        events.create_fair(
            actor=shop.staff,
            kind=Fair.Kind.FAIR,
            title="Hội chợ nông sản an toàn",
            starts_at=starts,
            ends_at=starts + timedelta(days=2),
            venue="Nhà văn hoá phường",
            status=Fair.Status.OPEN,
        )
        stream = events.schedule_livestream(
            actor=shop.staff,
            title="Phiên livestream rau sạch",
            scheduled_at=timezone.now() + timedelta(days=1),
            channel=Livestream.Channel.FACEBOOK,
            url="https://www.facebook.com/hoiphunu/videos/2026",
            host_name="Chị Thu Hà",
        )
    order_now(shop, schema, key="both", rice=rice, greens=greens)
    with schema_context(schema):
        orders.place_order(
            actor=shop.other_member.user,
            member=shop.other_member,
            sales_round=shop.sales_round,
            point=shop.other_point,
            quantities={shop.greens.pk: "2"},
            idempotency_key="live",
            livestream_id=stream.pk,
        )
    dropped = order_now(shop, schema, key="dropped", rice=1)
    with schema_context(schema):
        orders.cancel_order(actor=shop.staff, order=dropped, reason="đổi ý")
    return shop


def test_national_figures_reconcile_with_provinces_after_orders_and_events(
    reporting_worker,
):
    provinces, gql, worker = reporting_worker

    # given: trade in two provinces, one with an order of two categories
    hanoi = _trade(
        provinces["hanoi"].schema_name, rice=2, greens="1.5", second_category=True
    )
    _trade(provinces["hue"].schema_name, rice=1, greens="3.25", second_category=False)

    # then: the worker's refreshes bring the national figures to the live ones
    wait_for(lambda: _reconciled(gql, provinces), 60, worker.log_path)
    for province in provinces.values():
        assert _refreshed_by_the_worker(worker, province.schema_name)
    live = _live_figures(provinces["hanoi"].schema_name)
    assert (live["orders"], live["cancelled"], live["fairs"]) == (2, 1, 1)

    # when: one more order is cancelled after the refresh
    schema = provinces["hanoi"].schema_name
    with schema_context(schema):
        kept = Order.objects.get(idempotency_key="both")
        orders.cancel_order(actor=hanoi.staff, order=kept)

    # then: the national figures follow
    wait_for(lambda: _reconciled(gql, provinces), 60, worker.log_path)
    assert _live_figures(schema)["cancelled"] == 2
