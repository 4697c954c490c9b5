"""National reports benchmark: the reporting store against reading every province.

    uv run python tests/benchmarks/national_reports.py [--provinces 34]
        [--lines 200000] [--runs 40] [--changes 3] [--keep]

Makes N bench provinces, each a schema with a `bench_lines` table of order
lines (weekly sales rounds over two years, 120 products), rolls them into the
store, then measures, in one run:

- the national summary and a by-province monthly series through /graphql/
  (the whole Django stack, with a national API token), each both computed
  from the store (a query the answer cache has not seen) and from the answer
  cache; the series as `seriesByProvince` (one list of values per province)
  and, for comparison, as `series(groupByProvince: true)` (one object per
  province and month);
- the same figures computed by visiting every province's schema in turn;
- the same figures from one UNION ALL query across the schemas;
- the time from a change in a province (a new order line, then
  `mark_province_changed`) to the national summary showing it, through a real
  Celery worker on Redis (with `--changes 0`, skipped).

Runs with DEBUG off, as production does, unless DEBUG is set.

Targets: API p95 under 50 ms; a change visible within 60 s. Everything it
makes is removed at the end, unless `--keep` is given: then the provinces stay,
and the next run with `--keep` and the same `--provinces` and `--lines` reuses
them instead of generating them again (generating 34 × 200,000 lines takes
minutes; the rollup into the store is still measured every run). Uses
DATABASE_URL; the Redis server of REDIS_URL (or redis://127.0.0.1:6379) for the
broker and the debounce flags.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "platform"), str(ROOT / "tests" / "benchmarks")]
# The server of REDIS_URL, without its database number: the broker and the
# cache get databases of their own below.
REDIS = re.sub(r"/\d*$", "", os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379")
QUEUE = f"bench-{uuid.uuid4().hex[:8]}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
os.environ.setdefault("DEBUG", "off")
os.environ["CELERY_BROKER_URL"] = f"{REDIS}/6"
os.environ["CELERY_QUEUE"] = QUEUE
os.environ["REDIS_URL"] = f"{REDIS}/7"

import django  # noqa: E402

django.setup()

import bench_sources  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from api import changes, services  # noqa: E402
from api.rollup import refresh_province  # noqa: E402
from tenants.models import Province  # noqa: E402

API_TARGET_MS = 50.0
CHANGE_TARGET_S = 60.0
SLUG = "bench-r{:02d}"

SUMMARY = (
    "{ summary { sales { orders tonnes valueVnd savingsVnd coordinatorFeesVnd } } }"
)
SERIES = (
    "{ seriesByProvince(period: MONTH) "
    "{ periods provinces { province { slug } tonnes valueVnd } } }"
)
SERIES_POINTS = (
    "{ series(period: MONTH, groupByProvince: true) "
    "{ period province { slug } sales { tonnes valueVnd } } }"
)
SUMMARY_SQL = (
    "SELECT count(DISTINCT order_id) FILTER (WHERE NOT cancelled), "
    "sum(weight_kg) FILTER (WHERE NOT cancelled), "
    "sum(value_vnd) FILTER (WHERE NOT cancelled), "
    "sum(market_value_vnd - value_vnd) FILTER (WHERE NOT cancelled), "
    "sum(fee_vnd) FILTER (WHERE NOT cancelled) FROM {table}"
)
SERIES_SQL = (
    "SELECT {label} AS province, date_trunc('month', day) AS month, "
    "sum(weight_kg) / 1000, sum(value_vnd) FROM {table} WHERE NOT cancelled "
    "GROUP BY 1, 2"
)


def reusable_provinces(count: int, lines: int) -> list[Province] | None:
    """The provinces a previous `--keep` run left, if they hold `lines` each."""
    provinces = list(
        Province.objects.filter(slug__startswith="bench-r").order_by("slug")
    )
    if [p.slug for p in provinces] != [SLUG.format(n) for n in range(1, count + 1)]:
        return None
    with connection.cursor() as cursor:
        for province in provinces:
            table = f"{province.schema_name}.bench_lines"
            cursor.execute(f"SELECT to_regclass('{table}')")
            if cursor.fetchone()[0] is None:
                return None
            # Lines added by the change measurement of an earlier run.
            cursor.execute(f"DELETE FROM {table} WHERE order_id = -1")
            cursor.execute(f"SELECT count(*) FROM {table}")
            if cursor.fetchone()[0] != lines:
                return None
    return provinces


def make_provinces(count: int, lines: int) -> list[Province]:
    provinces = []
    for number in range(1, count + 1):
        slug = SLUG.format(number)
        schema = slug.replace("-", "_")
        province, _created = Province.objects.get_or_create(
            slug=slug, defaults={"schema_name": schema, "name": f"Bench {number:02d}"}
        )
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            cursor.execute(f"CREATE SCHEMA {schema}")
            cursor.execute(bench_sources.CREATE_TABLE.format(schema=schema))
            cursor.execute("SELECT setseed(%s)", [number / 100])
            cursor.execute(
                bench_sources.FILL_TABLE.format(schema=schema), {"lines": lines}
            )
            cursor.execute(f"ANALYZE {schema}.bench_lines")
        provinces.append(province)
    return provinces


def drop_provinces() -> None:
    for province in Province.objects.filter(slug__startswith="bench-r"):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {province.schema_name} CASCADE")
        province.delete()


def timed(function, runs: int) -> list[float]:
    function()  # warm caches and connections
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def report(name: str, samples: list[float]) -> float:
    high = p95(samples)
    print(
        f"  {name:<46} median {statistics.median(samples):8.1f} ms  p95 {high:8.1f} ms"
    )
    return high


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--changes", type=int, default=3)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the provinces afterwards; reuse those a previous run kept",
    )
    options = parser.parse_args()

    provinces = None
    if options.keep:
        provinces = reusable_provinces(options.provinces, options.lines)
    if provinces:
        # `prepare` would run every migration in the bench schemas, which
        # hold only their table of lines; the shared schema is all they need.
        call_command("migrate_schemas", shared=True, verbosity=0)
        print(f"{len(provinces)} provinces × {options.lines:,} order lines reused")
    else:
        drop_provinces()
        call_command("prepare", verbosity=0)
        started = time.perf_counter()
        provinces = make_provinces(options.provinces, options.lines)
        print(
            f"{len(provinces)} provinces × {options.lines:,} order lines generated "
            f"in {time.perf_counter() - started:.0f}s"
        )
    bench_sources.install()
    started = time.perf_counter()
    for province in provinces:
        refresh_province(province.schema_name)
    rollup_s = (time.perf_counter() - started) / len(provinces)
    print(f"Rollup into the store: {rollup_s:.2f}s per province")

    _token, raw = services.issue_token(province=None, name="bench", actor="bench")
    client = Client(HTTP_HOST=settings.BASE_DOMAIN, HTTP_AUTHORIZATION=f"Bearer {raw}")

    # Operation names unique to this run: a kept answer cache never holds them.
    run_id = uuid.uuid4().hex[:8]
    counter = iter(range(10**9))

    def graphql(query: str, cached: bool = True):
        def run():
            # A fresh operation name is a new cache key: the work of a first ask.
            text = query if cached else f"query B{run_id}x{next(counter)} {query}"
            response = client.post(
                "/graphql/",
                json.dumps({"query": text}),
                content_type="application/json",
            )
            assert response.status_code == 200, response.content[:300]
            return response

        return run

    tables = [f"{p.schema_name}.bench_lines" for p in provinces]

    def every_schema(sql: str):
        def run():
            with connection.cursor() as cursor:
                for province in provinces:
                    cursor.execute(f"SET search_path = {province.schema_name}, public")
                    cursor.execute(
                        sql.format(table="bench_lines", label=f"'{province.slug}'")
                    )
                    cursor.fetchall()
                cursor.execute("SET search_path = public")

        return run

    def union_all(sql: str, summary: bool):
        parts = [
            sql.format(table=table, label=f"'{province.slug}'")
            for province, table in zip(provinces, tables, strict=True)
        ]
        if summary:
            # Distinct orders are per province (order ids are per schema).
            query = (
                "SELECT sum(c0), sum(c1), sum(c2), sum(c3), sum(c4) FROM ("
                + " UNION ALL ".join(parts)
                + ") AS t(c0, c1, c2, c3, c4)"
            )
        else:
            query = " UNION ALL ".join(parts)

        def run():
            with connection.cursor() as cursor:
                cursor.execute(query)
                cursor.fetchall()

        return run

    runs = options.runs
    print(f"\nNational summary ({runs} runs each)")
    api_summary = report(
        "GraphQL /graphql/, answer cached", timed(graphql(SUMMARY), runs)
    )
    api_summary_cold = report(
        "GraphQL /graphql/, computed from the store",
        timed(graphql(SUMMARY, cached=False), runs),
    )
    report(
        "visiting every province's schema",
        timed(every_schema(SUMMARY_SQL), max(3, runs // 8)),
    )
    report(
        "one UNION ALL across the schemas",
        timed(union_all(SUMMARY_SQL, True), max(3, runs // 8)),
    )
    print(f"\nBy-province monthly series ({runs} runs each)")
    api_series = report(
        "GraphQL /graphql/, answer cached", timed(graphql(SERIES), runs)
    )
    api_series_cold = report(
        "GraphQL /graphql/, computed from the store",
        timed(graphql(SERIES, cached=False), runs),
    )
    report(
        "GraphQL, one object per point, computed",
        timed(graphql(SERIES_POINTS, cached=False), runs),
    )
    report(
        "visiting every province's schema",
        timed(every_schema(SERIES_SQL), max(3, runs // 8)),
    )
    report(
        "one UNION ALL across the schemas",
        timed(union_all(SERIES_SQL, False), max(3, runs // 8)),
    )

    change_seconds = []
    if options.changes:
        change_seconds = measure_changes(provinces[0], graphql, options.changes)
    print("\nTargets")
    for label, figures in (
        ("answers cached", (api_summary, api_series)),
        ("computed from the store", (api_summary_cold, api_series_cold)),
    ):
        ok = "yes" if max(figures) < API_TARGET_MS else "NO"
        print(f"  API p95 under {API_TARGET_MS:.0f} ms, {label}: {ok}")
    if change_seconds:
        worst = max(change_seconds)
        verdict = "yes" if worst < CHANGE_TARGET_S else "NO"
        limit = f"{CHANGE_TARGET_S:.0f} s"
        print(f"  change visible within {limit}: {verdict} (worst {worst:.1f} s)")


def measure_changes(province: Province, graphql, count: int) -> list[float]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT), str(ROOT / "platform"), str(ROOT / "tests" / "benchmarks")]
        ),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "bench_sources",
            "worker",
            "--pool",
            "solo",
            "--queues",
            QUEUE,
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    seconds = []
    try:
        time.sleep(4)  # the worker connects to the broker
        print(
            f"\nChange to national figures (debounce "
            f"{settings.REPORTING_DEBOUNCE_SECONDS}s, real worker)"
        )
        for attempt in range(count):
            before = _value(graphql(SUMMARY))
            with connection.cursor() as cursor:
                cursor.execute(
                    bench_sources.ADD_LINE.format(schema=province.schema_name)
                )
            started = time.perf_counter()
            changes.mark_province_changed(province.schema_name)
            while _value(graphql(SUMMARY)) == before:
                if time.perf_counter() - started > 120:
                    raise SystemExit("The change never reached the national figures.")
                time.sleep(0.2)
            seconds.append(time.perf_counter() - started)
            print(f"  change {attempt + 1}: visible after {seconds[-1]:.1f} s")
    finally:
        worker.terminate()
        worker.wait(10)
    return seconds


def _value(run) -> int:
    return json.loads(run().content)["data"]["summary"]["sales"]["valueVnd"]


if __name__ == "__main__":
    try:
        main()
    finally:
        if "--keep" not in sys.argv:
            drop_provinces()
