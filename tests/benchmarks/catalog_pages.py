"""Benchmark the public catalog pages of a Hanoi-sized province.

    uv run ketnoi demo --no-serve            # once: provinces and schemas
    uv run python tests/benchmarks/catalog_pages.py [--products 20000]

For each data size (a 200-product baseline, then the full size) it fills the
`hanoi` schema with `generate_catalog`, counts the SQL queries of each page
through Django's test client, then serves the project with gunicorn and
measures each page under concurrent load from a thread pool: the server's
time (its Server-Timing header) and the latency seen by the client on
loopback, which adds queueing behind the other requests. Targets, on the
server's time: median under 50 ms and p95 under 150 ms, the same number of
queries at both sizes. Generated rows replace earlier generated rows; nothing
else changes.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import schema_context, schema_exists  # noqa: E402

from catalog.management.commands.generate_catalog import generate  # noqa: E402

SCHEMA = "hanoi"
HOST = f"hanoi.{settings.BASE_DOMAIN}"
PAGES = {
    "catalog": "/san-pham/",
    "filtered": "/san-pham/?danh-muc=rau-cu&sao=4&nu=1",
    "search": "/san-pham/?q=mat+ong+rung",
    "search-typo": "/san-pham/?q=nhan+lonh",
    "page-20": "/san-pham/?trang=20",
}
MEDIAN_TARGET_MS, P95_TARGET_MS = 50, 150


def fill(producers: int, products: int) -> None:
    with schema_context(SCHEMA):
        generate(producers=producers, products=products, rng=random.Random(2026))
        with connection.cursor() as cursor:
            for table in ("catalog_product", "catalog_certificate", "catalog_producer"):
                cursor.execute(f"ANALYZE {table}")
    connection.set_schema_to_public()


def count_queries() -> dict[str, int]:
    client = Client(HTTP_HOST=HOST)
    counts = {}
    for name, url in PAGES.items():
        client.get(url)  # warm caches (tenant lookup, templates)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(captured.captured_queries)
        connection.set_schema_to_public()
    return counts


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
    }
    env.setdefault("DEBUG", "0")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ketnoi.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            fetch(port, "/healthz")
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def fetch(port: int, url: str) -> tuple[float, float]:
    """Client latency and the server's own time (its Server-Timing header)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{url}", headers={"Host": HOST}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        assert response.status == 200
        timing = response.headers["Server-Timing"]
    client_ms = (time.perf_counter() - started) * 1000
    return client_ms, float(timing.split("dur=")[1])


def _median_p95(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[int(len(values) * 0.95) - 1]


def load(port: int, url: str, requests: int, concurrency: int) -> tuple[float, ...]:
    """Median and p95 of the server's time, then of the client's latency."""
    for _ in range(5):
        fetch(port, url)
    with ThreadPoolExecutor(concurrency) as pool:
        pairs = list(pool.map(lambda _i: fetch(port, url), range(requests)))
    server = _median_p95([server_ms for _client_ms, server_ms in pairs])
    client = _median_p95([client_ms for client_ms, _server_ms in pairs])
    return (*server, *client)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--producers", type=int, default=2000)
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not schema_exists(SCHEMA):
        raise SystemExit("No hanoi schema: run `uv run ketnoi demo --no-serve` first.")

    sizes = [("baseline", 200, 200), ("full", args.producers, args.products)]
    results, queries = {}, {}
    for label, producers, products in sizes:
        fill(producers, products)
        queries[label] = count_queries()
        server = start_server(args.port, args.workers)
        try:
            results[label] = {
                name: load(args.port, url, args.requests, args.concurrency)
                for name, url in PAGES.items()
            }
        finally:
            server.terminate()
            server.wait(10)

    print(
        f"\n{args.requests} requests per page, {args.concurrency} concurrent, "
        f"{args.workers} gunicorn workers, {os.cpu_count()} CPUs"
    )
    print("server = time inside Django (Server-Timing); client = seen on loopback")
    print(
        f"{'page':<12} {'size':>8} {'server median':>14} {'server p95':>11} "
        f"{'client median':>14} {'client p95':>11} {'queries':>8}"
    )
    failed = False
    for name in PAGES:
        for label, _producers, products in sizes:
            median, p95, client_median, client_p95 = results[label][name]
            print(
                f"{name:<12} {products:>8} {median:>14.1f} {p95:>11.1f} "
                f"{client_median:>14.1f} {client_p95:>11.1f} "
                f"{queries[label][name]:>8}"
            )
        median, p95, _client_median, _client_p95 = results["full"][name]
        if median > MEDIAN_TARGET_MS or p95 > P95_TARGET_MS:
            print(
                f"  ! {name} misses the target ({MEDIAN_TARGET_MS}/{P95_TARGET_MS} ms)"
            )
            failed = True
        if queries["full"][name] != queries["baseline"][name]:
            print(f"  ! {name} runs more queries with more data")
            failed = True
    print("FAILED" if failed else "OK: all pages within targets, constant queries")


if __name__ == "__main__":
    main()
