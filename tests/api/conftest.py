"""Fixtures of the reporting tests: tokens of two provinces and store rows."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings

from api import services
from api.sources import SalesRow
from tests.conftest import HostClient


@pytest.fixture
def hanoi_token(hanoi) -> str:
    return services.issue_token(province=hanoi.province, name="hanoi", actor="t")[1]


@pytest.fixture
def hue_token(hue) -> str:
    return services.issue_token(province=hue.province, name="hue", actor="t")[1]


@pytest.fixture
def national_token(db) -> str:
    return services.issue_token(province=None, name="national", actor="t")[1]


class GraphQLClient:
    def __init__(self, token: str | None = None, client: HostClient | None = None):
        self.client = client or HostClient(settings.BASE_DOMAIN)
        self.token = token

    def post(self, query: str, variables: dict | None = None, language: str = "en"):
        # English messages keep the assertions readable; Vietnamese is the
        # default (tested apart).
        headers = {"HTTP_ACCEPT_LANGUAGE": language}
        if self.token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        return self.client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            **headers,
        )

    def query(self, query: str, variables: dict | None = None) -> dict:
        return self.post(query, variables).json()


@pytest.fixture
def gql():
    return GraphQLClient


def sale(day: date, **figures) -> SalesRow:
    values = {
        "day": day,
        "category": "rau",
        "ocop_stars": 0,
        "product_id": 1,
        "product_name": "Rau muống",
        "producer_id": 1,
        "producer_name": "HTX Rau sạch",
        "women_owned": True,
        "orders": 1,
        "quantity": Decimal("1"),
        "weight_kg": Decimal("1"),
        "value_vnd": 10_000,
        "market_value_vnd": 12_000,
        "coordinator_fees_vnd": 500,
        "cancelled_orders": 0,
    }
    values.update(figures)
    return SalesRow(**values)


@pytest.fixture
def live_sales(monkeypatch):
    """Stand in for the orders app: each schema's rows, read by the rollup."""
    from django.db import connection

    from api import sources

    by_schema: dict[str, list[SalesRow]] = {}
    monkeypatch.setattr(
        "api.sources.sales_rows",
        lambda: list(by_schema.get(connection.schema_name, [])),
    )
    # The orders app counts its real orders; these rows have none behind them.
    monkeypatch.setattr(
        "api.sources.order_count_rows",
        lambda sales: list(sources._order_counts_from_sales(sales)),
    )
    return by_schema


@pytest.fixture
def stored_sales(hanoi, hue, live_sales):
    """Hà Nội sold 300,000 đ of vegetables, Huế 70,000 đ of cakes; refreshed."""
    from api.rollup import refresh_province

    live_sales[hanoi.schema] = [
        sale(date(2026, 3, 2), value_vnd=100_000, market_value_vnd=120_000),
        sale(date(2026, 4, 15), value_vnd=200_000, market_value_vnd=260_000, orders=2),
    ]
    live_sales[hue.schema] = [
        sale(
            date(2026, 3, 9),
            category="banh",
            product_id=7,
            product_name="Bánh lọc",
            producer_id=3,
            producer_name="Cơ sở Bánh Huế",
            value_vnd=70_000,
            market_value_vnd=90_000,
            weight_kg=Decimal("2.5"),
        )
    ]
    refresh_province(hanoi.schema)
    refresh_province(hue.schema)
    return live_sales
