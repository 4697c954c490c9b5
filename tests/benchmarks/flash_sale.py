"""Flash-sale benchmark: 500 concurrent order attempts against 100 units.

    uv run python tests/benchmarks/flash_sale.py [--attempts 500] [--units 100]
        [--orders 20000] [--workers N] [--threads 2] [--concurrency N]

Runs the real HTTP stack (gunicorn, the tenant middleware, sessions, CSRF,
the confirm view and `place_order`) on 127.0.0.1 with `Host: hanoi.localhost`,
after a baseline of the same attempts against ample stock. Tasks go to a
Redis broker as in production (`KETNOI_BENCH_BROKER_URL`, else `REDIS_URL`),
on a queue of their own that is emptied at the end. The load generator opens
every connection first, then sends all attempts from one event loop, and
prints the CPU it used. Gunicorn runs as `infra/gunicorn.conf.py` would on
this machine (cores + 1 workers, 2 threads), with the shared cache of
REDIS_URL (default redis://127.0.0.1:6379/0) as in production.

Two latencies are printed: the server's time for each attempt (its
Server-Timing header: from the tenant middleware to the answer, lock waits
included) and the client's, which adds the time an attempt waits in the
listen queue behind the others. With every attempt sent at once, the
client's p95 is close to attempts ÷ throughput; `--concurrency N` keeps
only N in flight, as N people tapping at once. Then generates a round of N
orders in SQL and times its consolidation and settlement. Needs the `hanoi`
province (`ketnoi demo --no-serve`) in DATABASE_URL; everything it makes is
removed at the end.
"""

import argparse
import asyncio
import datetime
import http.client
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from catalog.models import Category, Producer, Product  # noqa: E402
from network.models import Member, OrgUnit, PickupPoint  # noqa: E402
from orders import services  # noqa: E402
from orders.models import Order, SalesRound  # noqa: E402
from tenants.models import Province  # noqa: E402

HOST = "hanoi.localhost"
TAG = "bench-flash"
TARGET_P95_MS = 300
TARGET_CONSOLIDATION_S = 30
BROKER_URL = os.environ.get("KETNOI_BENCH_BROKER_URL") or os.environ.get(
    "REDIS_URL", "redis://127.0.0.1:6379/0"
)
BENCH_QUEUE = f"{TAG}-tasks"


def prepare(schema: str, attempts: int, units: int):
    """Members with sessions, a scarce round and an ample one."""
    cleanup(schema)
    User = get_user_model()
    with schema_context(schema):
        branch = OrgUnit.add_root(name=f"{TAG} chi hội", level="branch")
        users = User.objects.bulk_create(
            [
                User(username=f"{TAG}-{n}@bench.test", password="!")
                for n in range(attempts)
            ]
        )
        members = Member.objects.bulk_create(
            [
                Member(
                    full_name=f"Hội viên {n}",
                    phone=f"+8490{n:07d}",
                    branch=branch,
                    user=user,
                )
                for n, user in enumerate(users)
            ]
        )
        point = PickupPoint.objects.create(
            name=f"{TAG} điểm",
            host=members[0],
            address="1 Tràng Tiền",
            ward_code="00070",
        )
        producer = Producer.objects.create(
            name=f"{TAG} HTX",
            slug=f"{TAG}-htx",
            kind="cooperative",
            contact_name="Bench",
            phone="+84911111111",
            province_code=1,
            status="verified",
        )
        category = Category.objects.create(name=f"{TAG} Trái cây", slug=f"{TAG}-tc")

        def product(slug: str, stock: int | None) -> Product:
            return Product.objects.create(
                producer=producer,
                category=category,
                name=f"Vải thiều {slug}",
                slug=f"{TAG}-{slug}",
                unit="kg",
                unit_weight_kg=Decimal("1"),
                price=40_000,
                market_price=55_000,
                stock=stock,
            )

        now = timezone.now()
        rounds = {}
        for name, stock in (("ample", None), ("scarce", units)):
            rounds[name] = services.create_round(
                actor=None,
                name=f"{TAG} {name}",
                opens_at=now - datetime.timedelta(minutes=5),
                closes_at=now + datetime.timedelta(hours=2),
                delivery_on=now.date() + datetime.timedelta(days=1),
                offers=[(product(name, stock), 35_000, None)],
                points=[point],
                handling_fee_value=500,
                transport_value=300,
            )
            services.open_round(actor=None, sales_round=rounds[name])
        offers = {name: r.products.get().pk for name, r in rounds.items()}
        cookies = []
        for user in users:
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            for name, sales_round in rounds.items():
                session[f"orders-basket-{sales_round.pk}"] = {str(offers[name]): "1"}
            session.create()
            cookies.append(session.session_key)
    return rounds, point, members, cookies


def cleanup(schema: str) -> None:
    with schema_context(schema), connection.cursor() as cursor:
        rounds = list(
            SalesRound.objects.filter(name__startswith=TAG).values_list("pk", flat=True)
        )
        if rounds:
            cursor.execute(
                "DELETE FROM orders_orderevent WHERE order_id IN"
                " (SELECT id FROM orders_order WHERE sales_round_id = ANY(%s))",
                [rounds],
            )
            cursor.execute(
                "DELETE FROM orders_orderline WHERE order_id IN"
                " (SELECT id FROM orders_order WHERE sales_round_id = ANY(%s))",
                [rounds],
            )
            cursor.execute(
                "DELETE FROM orders_purchaseorderline WHERE purchase_order_id IN"
                " (SELECT id FROM orders_purchaseorder WHERE sales_round_id = ANY(%s))",
                [rounds],
            )
            cursor.execute(
                "DELETE FROM orders_manifestline WHERE manifest_id IN"
                " (SELECT id FROM orders_pointmanifest WHERE sales_round_id = ANY(%s))",
                [rounds],
            )
            for table in ("order", "purchaseorder", "pointmanifest", "settlement"):
                cursor.execute(
                    f"DELETE FROM orders_{table} WHERE sales_round_id = ANY(%s)",
                    [rounds],
                )
            SalesRound.objects.filter(pk__in=rounds).delete()
        Product.objects.filter(slug__startswith=TAG).delete()
        Category.objects.filter(slug__startswith=TAG).delete()
        Producer.objects.filter(slug__startswith=TAG).delete()
        PickupPoint.objects.filter(name__startswith=TAG).delete()
        Member.objects.filter(branch__name__startswith=TAG).delete()
        OrgUnit.objects.filter(name__startswith=TAG).delete()
        get_user_model().objects.filter(username__startswith=TAG).delete()
        cursor.execute(
            "DELETE FROM network_auditentry WHERE object_repr LIKE %s", [f"{TAG}%"]
        )


def empty_queue() -> None:
    from kombu import Connection

    with Connection(BROKER_URL) as broker:
        broker.default_channel.queue_purge(BENCH_QUEUE)


def start_server(port: int, workers: int, threads: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        "LOG_LEVEL": "ERROR",
        "DEBUG": "0",
        # As in production, mail and report refreshes go to a broker instead
        # of running inside the request; nothing consumes this queue, and it
        # is emptied at the end.
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "CELERY_BROKER_URL": BROKER_URL,
        "CELERY_QUEUE": BENCH_QUEUE,
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
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            probe.request("GET", "/healthz", headers={"Host": HOST})
            if probe.getresponse().status < 500:
                # One request per worker so the first timed ones find them warm.
                for _ in range(workers * 2):
                    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    warm.request("GET", "/dat-hang/dang-nhap/", headers={"Host": HOST})
                    warm.getresponse().read()
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not start")


def build_request(round_id: int, session_key: str, n: int) -> bytes:
    """One member's confirmation POST, as bytes ready to write to a socket."""
    token = secrets.token_hex(16)  # an unmasked 32-character CSRF secret
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "idempotency_key": f"{TAG}-{round_id}-{n}",
            "payment_method": "transfer",
            "point": POINT_ID,
        }
    ).encode()
    head = (
        f"POST /dat-hang/{round_id}/xac-nhan/ HTTP/1.1\r\n"
        f"Host: {HOST}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Cookie: sessionid={session_key}; csrftoken={token}; django_language=en\r\n"
        f"Referer: http://{HOST}/\r\n"
        "Connection: close\r\n\r\n"
    )
    return head.encode() + body


def server_ms(raw: bytes) -> float | None:
    """The server's own time for an answer, from its Server-Timing header."""
    head = raw.partition(b"\r\n\r\n")[0].decode("latin-1")
    for line in head.split("\r\n"):
        if line.lower().startswith("server-timing:") and "dur=" in line:
            return float(line.split("dur=")[1].split(",")[0])
    return None


def classify(raw: bytes) -> tuple[str, str]:
    head, _sep, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return "error", f"no HTTP answer: {raw[:200]!r}"
    location = next(
        (
            line.split(":", 1)[1]
            for line in lines
            if line.lower().startswith("location:")
        ),
        "",
    )
    if status == 302 and "/don-hang/" in location:
        return "sold", ""
    text = body.decode("utf-8", "replace")
    if status == 200 and "Sold out" in text:
        return "sold_out", ""
    return "error", f"{status} {text[:200]}"


async def _fire(port: int, requests: list[bytes], concurrency: int):
    """Open every connection first, then write all requests at one signal.

    One thread and an event loop: the generator's own cost stays small and
    is reported, so it does not pass for the server's.
    """
    gate = asyncio.Semaphore(concurrency)
    connections = [await asyncio.open_connection("127.0.0.1", port) for _ in requests]

    async def one(request: bytes, reader, writer):
        async with gate:
            started = time.perf_counter()
            try:
                writer.write(request)
                raw = await asyncio.wait_for(reader.read(-1), 120)
            except (TimeoutError, OSError) as error:
                return "error", time.perf_counter() - started, repr(error), None
            finally:
                writer.close()
            elapsed = time.perf_counter() - started
            outcome, detail = classify(raw)
            return outcome, elapsed, detail, server_ms(raw)

    # Let the server accept every connection before the clock starts.
    await asyncio.sleep(0.5)
    cpu = time.process_time()
    started = time.perf_counter()
    results = await asyncio.gather(
        *(
            one(r, reader, writer)
            for r, (reader, writer) in zip(requests, connections, strict=True)
        )
    )
    wall = time.perf_counter() - started
    return results, wall, time.process_time() - cpu


POINT_ID = 0


def fire(port: int, round_id: int, cookies: list[str], concurrency: int):
    requests = [build_request(round_id, key, n) for n, key in enumerate(cookies)]
    results, wall, cpu = asyncio.run(_fire(port, requests, concurrency))
    print(f"   load generator CPU: {cpu:.2f}s over {wall:.2f}s ({cpu / wall:.0%})")
    return results, wall


def _median_p95(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[int(len(values) * 0.95) - 1]


def summary(label: str, results, wall: float) -> dict:
    counts = {
        kind: sum(1 for r in results if r[0] == kind)
        for kind in ("sold", "sold_out", "error")
    }
    median, p95 = _median_p95([r[1] * 1000 for r in results])
    server = [r[3] for r in results if r[3] is not None]
    server_median, server_p95 = _median_p95(server) if server else (0.0, 0.0)
    print(
        f"{label:>9}: {len(results)} attempts in {wall:.1f}s"
        f" ({len(results) / wall:.0f}/s) — sold {counts['sold']},"
        f" sold out {counts['sold_out']}, errors {counts['error']}\n"
        f"{'':>11}client (queueing included) median {median:.0f} ms,"
        f" p95 {p95:.0f} ms; server median {server_median:.1f} ms,"
        f" p95 {server_p95:.1f} ms"
    )
    for outcome, _elapsed, detail, _server in results:
        if outcome == "error":
            print("   error:", detail)
            break
    return {**counts, "p95": p95, "server_p95": server_p95}


def generate_orders(schema: str, sales_round: SalesRound, members, count: int) -> None:
    """Bulk-insert `count` orders of 1–3 kg each, spread over the members."""
    offer = sales_round.products.get()
    with schema_context(schema), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO orders_order (sales_round_id, member_id, point_id,"
            " deliver_to_address, delivery_address, status, payment_method,"
            " reference, idempotency_key, value, market_value, weight_kg,"
            " created_at, updated_at)"
            " SELECT %(round)s, (%(members)s)[1 + n %% cardinality(%(members)s)],"
            " %(point)s, false, '', 'confirmed', 'cash', 'G' || n, 'gen-' || n,"
            " 35000 * (1 + n %% 3), 55000 * (1 + n %% 3), 1 + n %% 3, now(), now()"
            " FROM generate_series(1, %(count)s) n",
            {
                "round": sales_round.pk,
                "members": [m.pk for m in members],
                "point": POINT_ID,
                "count": count,
            },
        )
        cursor.execute(
            "INSERT INTO orders_orderline (order_id, round_product_id, quantity,"
            " unit_price, unit_market_price, value, market_value, weight_kg,"
            " stock_drawn, handling_fee, transport_support)"
            " SELECT o.id, %(offer)s, o.weight_kg, 35000, 55000, o.value,"
            " o.market_value, o.weight_kg, 0, 0, 0"
            " FROM orders_order o WHERE o.sales_round_id = %(round)s"
            " AND o.reference LIKE 'G%%'",
            {"round": sales_round.pk, "offer": offer.pk},
        )
        cursor.execute("ANALYZE orders_order; ANALYZE orders_orderline")


def main() -> int:
    global POINT_ID
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=500)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--orders", type=int, default=20_000)
    # As infra/gunicorn.conf.py runs the web process.
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=0,
        help="Attempts in flight at once; default: all of them.",
    )
    args = parser.parse_args()

    schema = Province.objects.get(slug="hanoi").schema_name
    print(f"Preparing {args.attempts} members with sessions in {schema}…")
    rounds, point, members, cookies = prepare(schema, args.attempts, args.units)
    POINT_ID = point.pk
    # Every attempt goes to one point: give it room for all of them.
    with schema_context(schema):
        PickupPoint.objects.filter(pk=point.pk).update(capacity=args.attempts)
    server = start_server(args.port, args.workers, args.threads)
    ok = True
    try:
        concurrency = args.concurrency or args.attempts
        base, wall = fire(args.port, rounds["ample"].pk, cookies, concurrency)
        baseline = summary("baseline", base, wall)
        flash, wall = fire(args.port, rounds["scarce"].pk, cookies, concurrency)
        result = summary("flash", flash, wall)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)

    with schema_context(schema):
        scarce = rounds["scarce"]
        offer = scarce.products.select_related("product").get()
        sold_orders = Order.objects.filter(sales_round=scarce).count()
        print(
            f"units sold {offer.sold:g} (stock left {offer.product.stock}),"
            f" orders {sold_orders}; baseline orders"
            f" {Order.objects.filter(sales_round=rounds['ample']).count()}"
        )
        ok &= offer.sold == args.units and sold_orders == args.units
        ok &= result["sold"] == args.units and result["error"] == 0
        ok &= result["sold_out"] == args.attempts - args.units
        ok &= baseline["error"] == 0

        big = rounds["ample"]
        Order.objects.filter(sales_round=big).delete()
        generate_orders(schema, big, members, args.orders)
        SalesRound.objects.filter(pk=big.pk).update(status="closed")
        started = time.perf_counter()
        services.consolidate_round(sales_round=big)
        consolidation = time.perf_counter() - started
        started = time.perf_counter()
        services.settle_round(actor=None, sales_round=big)
        settlement = time.perf_counter() - started
        print(
            f"consolidate {args.orders} orders: {consolidation:.2f}s"
            f" (target < {TARGET_CONSOLIDATION_S}s); settle: {settlement:.2f}s"
        )
        ok &= consolidation < TARGET_CONSOLIDATION_S
    for name, figure in (("server", "server_p95"), ("client", "p95")):
        verdict = "met" if result[figure] < TARGET_P95_MS else "NOT met"
        print(f"flash {name} p95 < {TARGET_P95_MS} ms: {verdict}")
    cleanup(schema)
    empty_queue()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
