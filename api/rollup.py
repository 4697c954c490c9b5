"""Rewrite one province's rows of the reporting store from its live data."""

import logging
import time
from collections import defaultdict
from dataclasses import asdict

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.models import Province

from . import sources
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

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
# Keys of pg_advisory_xact_lock are (class, object); this class is the store's.
LOCK_CLASS = 7_450_001


def refresh_province(schema_name: str) -> ProvinceSnapshot:
    """Read a province's figures in its schema, then replace its store rows.

    Reading happens outside the write transaction, so a slow province holds
    no lock on the store; the write is one transaction behind an advisory lock
    per province, so two refreshes of one province never interleave their
    deletes and inserts.
    """
    started = time.perf_counter()
    province = Province.objects.get(schema_name=schema_name)
    with schema_context(schema_name):
        sales = sources.sales_rows()
        order_counts = sources.order_count_rows(sales)
        counts = {
            **asdict(sources.network_counts()),
            **asdict(sources.catalog_counts()),
            **asdict(sources.event_counts()),
        }

    with schema_context(settings.PUBLIC_SCHEMA_NAME), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_CLASS, province.pk]
            )
        _replace_sales(province, sales, order_counts)
        snapshot, _created = ProvinceSnapshot.objects.update_or_create(
            province=province,
            defaults={
                **counts,
                "refreshed_at": timezone.now(),
                "refresh_seconds": time.perf_counter() - started,
            },
        )
    logger.info(
        "Reporting store refreshed for %s: %s sales rows in %.2fs",
        schema_name,
        len(sales),
        snapshot.refresh_seconds,
    )
    return snapshot


def _replace_sales(province, sales, order_counts) -> None:
    for model in (ProductDay, ProvinceDay, ProvinceMonth, ProvinceMonthTotal, OrderDay):
        model.objects.filter(province=province).delete()
    ProductName.objects.filter(province=province).delete()
    ProducerName.objects.filter(province=province).delete()

    # The source may repeat a key (e.g. one row per round on the same day):
    # merge first so that each store row is one grain.
    merged: dict[tuple, list] = defaultdict(lambda: [0] * len(SUM_FIELDS))
    products: dict[int, tuple[str, int]] = {}
    producers: dict[int, tuple[str, bool]] = {}
    for row in sales:
        key = (row.day, row.category, row.ocop_stars, row.product_id, row.producer_id)
        figures = merged[key]
        for index, name in enumerate(SUM_FIELDS):
            figures[index] += getattr(row, name)
        products[row.product_id] = (row.product_name, row.producer_id)
        producers[row.producer_id] = (row.producer_name, row.women_owned)

    ProductDay.objects.bulk_create(
        (
            ProductDay(
                province=province,
                day=day,
                category=category,
                ocop_stars=stars,
                product_key=product,
                producer_key=producer,
                **dict(zip(SUM_FIELDS, figures, strict=True)),
            )
            for (day, category, stars, product, producer), figures in merged.items()
        ),
        batch_size=BATCH_SIZE,
    )
    ProductName.objects.bulk_create(
        (
            ProductName(province=province, product_key=key, name=name, producer_key=by)
            for key, (name, by) in products.items()
        ),
        batch_size=BATCH_SIZE,
    )
    ProducerName.objects.bulk_create(
        (
            ProducerName(province=province, producer_key=key, name=name, women_owned=w)
            for key, (name, w) in producers.items()
        ),
        batch_size=BATCH_SIZE,
    )
    OrderDay.objects.bulk_create(
        (
            OrderDay(
                province=province,
                day=row.day,
                category=row.category,
                orders=row.orders,
                cancelled_orders=row.cancelled_orders,
            )
            for row in order_counts
        ),
        batch_size=BATCH_SIZE,
    )
    derive_coarser_grains(province.pk)


def derive_coarser_grains(province_id: int) -> None:
    """Fill ProvinceDay, ProvinceMonth and ProvinceMonthTotal from ProductDay.

    The monthly totals take their amounts from ProvinceMonth and their orders
    from OrderDay's rows over every category, which count an order once.
    """
    sums = ", ".join(f"SUM({name})" for name in SUM_FIELDS)
    columns = ", ".join(SUM_FIELDS)
    amounts = [name for name in SUM_FIELDS if "orders" not in name]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {ProvinceDay._meta.db_table}
                (province_id, day, category, ocop_stars, {columns})
            SELECT province_id, day, category, ocop_stars, {sums}
            FROM {ProductDay._meta.db_table}
            WHERE province_id = %s
            GROUP BY province_id, day, category, ocop_stars
            """,
            [province_id],
        )
        cursor.execute(
            f"""
            INSERT INTO {ProvinceMonth._meta.db_table}
                (province_id, month, category, ocop_stars, {columns})
            SELECT province_id, date_trunc('month', day)::date, category,
                   ocop_stars, {sums}
            FROM {ProvinceDay._meta.db_table}
            WHERE province_id = %s
            GROUP BY province_id, date_trunc('month', day), category, ocop_stars
            """,
            [province_id],
        )
        cursor.execute(
            f"""
            INSERT INTO {ProvinceMonthTotal._meta.db_table}
                (province_id, month, {columns})
            SELECT %(province)s, month,
                COALESCE(o.orders, 0), COALESCE(o.cancelled_orders, 0),
                {", ".join(f"COALESCE(s.{name}, 0)" for name in amounts)}
            FROM (
                SELECT month, {", ".join(f"SUM({name}) AS {name}" for name in amounts)}
                FROM {ProvinceMonth._meta.db_table}
                WHERE province_id = %(province)s
                GROUP BY month
            ) AS s
            FULL JOIN (
                SELECT date_trunc('month', day)::date AS month,
                    SUM(orders) AS orders, SUM(cancelled_orders) AS cancelled_orders
                FROM {OrderDay._meta.db_table}
                WHERE province_id = %(province)s AND category = %(every)s
                GROUP BY 1
            ) AS o USING (month)
            """,
            {"province": province_id, "every": ALL_CATEGORIES},
        )


def provinces_to_report() -> list[Province]:
    return list(
        Province.objects.filter(kind=Province.Kind.PROVINCE).order_by("schema_name")
    )
