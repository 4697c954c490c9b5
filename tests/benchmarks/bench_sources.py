"""The benchmark's stand-in for the business apps: a `bench_lines` table per schema.

Imported by the benchmark and, as its Celery app module, by the benchmark's
worker, so that both read sales and order counts from `bench_lines` through
the real rollup. A bench schema has no network, catalog or events tables, so
their counts are zero.
"""

from decimal import Decimal

CREATE_TABLE = """
CREATE TABLE {schema}.bench_lines (
    id bigserial PRIMARY KEY,
    order_id integer NOT NULL,
    day date NOT NULL,
    category text NOT NULL,
    ocop_stars smallint NOT NULL,
    product_id integer NOT NULL,
    producer_id integer NOT NULL,
    quantity numeric(12, 3) NOT NULL,
    weight_kg numeric(12, 3) NOT NULL,
    value_vnd bigint NOT NULL,
    market_value_vnd bigint NOT NULL,
    fee_vnd bigint NOT NULL,
    cancelled boolean NOT NULL
)
"""

# Weekly sales rounds over two years (104 delivery days), 120 products of 6
# categories from 40 producers, about three lines per order, 3% cancelled.
FILL_TABLE = """
INSERT INTO {schema}.bench_lines (order_id, day, category, ocop_stars, product_id,
    producer_id, quantity, weight_kg, value_vnd, market_value_vnd, fee_vnd, cancelled)
SELECT n / 3, date '2024-07-01' + 7 * ((n / 3) %% 104), (ARRAY['rau', 'qua', 'gao',
    'thit', 'banh', 'dac-san'])[1 + p %% 6], (ARRAY[0, 0, 3, 4, 5])[1 + p %% 5], p,
    1 + p %% 40, q, q * 0.5, q * 30000, q * 36000, q * 1500, (n / 3) %% 33 = 0
FROM (
    SELECT n, 1 + floor(random() * 120)::int AS p, 1 + floor(random() * 5)::int AS q
    FROM generate_series(1, %(lines)s) AS n
) AS lines
"""

ADD_LINE = """
INSERT INTO {schema}.bench_lines (order_id, day, category, ocop_stars, product_id,
    producer_id, quantity, weight_kg, value_vnd, market_value_vnd, fee_vnd, cancelled)
VALUES (-1, current_date, 'rau', 0, 1, 2, 1, 10, 123456, 150000, 5000, false)
"""

SALES_SQL = """
SELECT day, category, ocop_stars, product_id, producer_id,
    count(DISTINCT order_id) FILTER (WHERE NOT cancelled),
    coalesce(sum(quantity) FILTER (WHERE NOT cancelled), 0),
    coalesce(sum(weight_kg) FILTER (WHERE NOT cancelled), 0),
    coalesce(sum(value_vnd) FILTER (WHERE NOT cancelled), 0),
    coalesce(sum(market_value_vnd) FILTER (WHERE NOT cancelled), 0),
    coalesce(sum(fee_vnd) FILTER (WHERE NOT cancelled), 0),
    count(DISTINCT order_id) FILTER (WHERE cancelled)
FROM bench_lines
GROUP BY 1, 2, 3, 4, 5
"""

ORDER_COUNTS_SQL = """
SELECT day, CASE WHEN GROUPING(category) = 1 THEN '' ELSE category END,
    count(DISTINCT order_id) FILTER (WHERE NOT cancelled),
    count(DISTINCT order_id) FILTER (WHERE cancelled)
FROM bench_lines
GROUP BY GROUPING SETS ((day), (day, category))
"""


def sales_rows():
    from django.db import connection

    from api.sources import SalesRow

    with connection.cursor() as cursor:
        cursor.execute(SALES_SQL)
        return [
            SalesRow(
                day=day,
                category=category,
                ocop_stars=stars,
                product_id=product,
                product_name=f"Sản phẩm {product}",
                producer_id=producer,
                producer_name=f"Cơ sở {producer}",
                women_owned=producer % 3 != 0,
                orders=orders,
                quantity=Decimal(quantity),
                weight_kg=Decimal(weight),
                value_vnd=int(value),
                market_value_vnd=int(market),
                coordinator_fees_vnd=int(fees),
                cancelled_orders=cancelled,
            )
            for (
                day,
                category,
                stars,
                product,
                producer,
                orders,
                quantity,
                weight,
                value,
                market,
                fees,
                cancelled,
            ) in cursor.fetchall()
        ]


def order_count_rows(sales):
    from django.db import connection

    from api.sources import OrderCountRow

    with connection.cursor() as cursor:
        cursor.execute(ORDER_COUNTS_SQL)
        return [OrderCountRow(*row) for row in cursor.fetchall()]


def install() -> None:
    import api.sources

    api.sources.sales_rows = sales_rows
    api.sources.order_count_rows = order_count_rows
    api.sources.network_counts = api.sources.NetworkCounts
    api.sources.catalog_counts = api.sources.CatalogCounts
    api.sources.event_counts = api.sources.EventCounts


try:
    # As the worker's app module: the project's Celery app, reading bench_lines.
    from ketnoi.celery import app  # noqa: F401
except Exception:  # imported before Django is set up: the benchmark installs it
    app = None
else:
    import django

    django.setup()
    install()
