"""Serve a province's home page and a producer story under concurrent load.

Runs gunicorn on the database named by DATABASE_URL (prepared and seeded by
this script: one province, "bench", with a full site), once with the front-end
cache off and once on, and prints requests per second, median and p95 latency
and the queries each page costs when uncached.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ketnoi_bench \
        uv run python tests/benchmarks/site_pages.py [--requests 400] [--concurrency 8]
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")

HOST = "bench.localhost"
PAGES = {"home": "/", "story": "/cau-chuyen/chi-lan/"}
TARGET_P95_MS = {"uncached": 100.0, "cached": 10.0}
MAX_QUERIES = {"home": 38, "story": 30}


def prepare() -> dict[str, int]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django_tenants.utils import schema_context

    from tenants.services import provision_province

    call_command("prepare", verbosity=0)
    province = provision_province(
        slug="bench",
        name="Hội LHPN Tỉnh Thử Tải",
        province_code=None,
        admin_email="admin@bench.test",
    )
    with schema_context(province.schema_name):
        from cms.models import ProducerStoryPage

        if not ProducerStoryPage.objects.filter(slug="chi-lan").exists():
            from tests.cms.conftest import build_site

            build_site()
    connection.set_schema_to_public()

    counts = {}
    with override_settings(KETNOI_PAGE_CACHE_SECONDS=0):
        client = Client(HTTP_HOST=HOST)
        for name, path in PAGES.items():
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            counts[name] = len(queries)
            connection.set_schema_to_public()
    return counts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(cache_seconds: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = {
        **os.environ,
        "KETNOI_PAGE_CACHE_SECONDS": str(cache_seconds),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        "LOG_LEVEL": "ERROR",
        "DEBUG": "false",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "ketnoi.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            fetch(port, "/healthz")
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def fetch(port: int, path: str, connection=None) -> float:
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Host": HOST})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return time.perf_counter() - started


def load(port: int, path: str, total: int, concurrency: int) -> dict[str, float]:
    for _ in range(concurrency * 2):  # warm every worker and thread
        fetch(port, path)
    latencies: list[float] = []
    lock = threading.Lock()
    per_thread = total // concurrency

    def run() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = [fetch(port, path, conn) for _ in range(per_thread)]
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to a database this benchmark may fill.")

    counts = prepare()
    print(
        f"{'page':<7}{'mode':<10}{'req/s':>9}{'median ms':>11}{'p95 ms':>9}"
        f"{'queries':>9}  verdict"
    )
    failures = 0
    for mode, seconds in (("uncached", 0), ("cached", 300)):
        process, port = start_server(seconds)
        try:
            for name, path in PAGES.items():
                figures = load(port, path, args.requests, args.concurrency)
                ok = figures["p95_ms"] < TARGET_P95_MS[mode] and (
                    counts[name] <= MAX_QUERIES[name]
                )
                failures += not ok
                print(
                    f"{name:<7}{mode:<10}{figures['rps']:>9.0f}"
                    f"{figures['median_ms']:>11.1f}{figures['p95_ms']:>9.1f}"
                    f"{counts[name]:>9}  {'ok' if ok else 'MISSED'}"
                    f" (p95 < {TARGET_P95_MS[mode]:.0f} ms,"
                    f" queries <= {MAX_QUERIES[name]})"
                )
        finally:
            process.terminate()
            process.wait(10)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
