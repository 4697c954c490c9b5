"""Provisioning benchmark: a province made live by cloning vs by migrating.

    uv run python tests/benchmarks/provisioning.py [--clones 7] [--migrations 3]

Both paths end in the same state: tenant row, schema, domain, Wagtail site and
home page, groups and a first administrator. Every province it makes is
removed at the end. Uses DATABASE_URL, or the embedded PostgreSQL.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from tenants import services  # noqa: E402
from tenants.models import Domain, Province  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_RATIO = 5.0


def by_cloning(slug: str) -> None:
    services.provision_province(
        slug=slug, name=f"Bench {slug}", province_code=None, admin_email=f"a@{slug}.vn"
    )


def by_migrating(slug: str) -> None:
    with transaction.atomic():
        province = Province.objects.create(
            schema_name=slug.replace("-", "_"), slug=slug, name=f"Bench {slug}"
        )
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{province.schema_name}"')
    call_command(
        "migrate_schemas",
        tenant=True,
        schema_name=province.schema_name,
        interactive=False,
        verbosity=0,
    )
    with transaction.atomic():
        Domain.objects.create(domain=province.host, tenant=province, is_primary=True)
        with tenant_context(province):
            services.configure_site(province)
            services.ensure_groups()
            services.ensure_province_admin(email=f"a@{slug}.vn", name="", password=None)
    connection.set_schema_to_public()


def remove(slug: str) -> None:
    schema = slug.replace("-", "_")
    connection.set_schema_to_public()
    Province.objects.filter(slug=slug).delete()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def measure(make, prefix: str, count: int) -> list[float]:
    timings = []
    for index in range(count):
        slug = f"{prefix}{index}"
        remove(slug)
        started = time.perf_counter()
        make(slug)
        timings.append(time.perf_counter() - started)
        print(f"  {slug:<16} {timings[-1]:.3f} s", flush=True)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clones", type=int, default=7)
    parser.add_argument("--migrations", type=int, default=3)
    args = parser.parse_args()

    call_command("prepare", verbosity=0)
    # Warm the clone function and the code paths once, outside the figures.
    by_cloning("bench-warm")
    remove("bench-warm")

    made: list[str] = []
    try:
        print("Provisioning by cloning the template schema:")
        cloned = measure(by_cloning, "bench-clone-", args.clones)
        made += [f"bench-clone-{i}" for i in range(args.clones)]
        print("Provisioning by running every migration:")
        migrated = measure(by_migrating, "bench-migrate-", args.migrations)
        made += [f"bench-migrate-{i}" for i in range(args.migrations)]
    finally:
        for slug in made:
            remove(slug)

    clone_median = statistics.median(cloned)
    migrate_median = statistics.median(migrated)
    ratio = migrate_median / clone_median
    print()
    print(f"{'path':<12}{'runs':>6}{'median s':>11}{'min s':>9}{'max s':>9}")
    for name, values in (("clone", cloned), ("migrations", migrated)):
        print(
            f"{name:<12}{len(values):>6}{statistics.median(values):>11.3f}"
            f"{min(values):>9.3f}{max(values):>9.3f}"
        )
    print(f"ratio (migrations / clone): {ratio:.1f}x")
    ok = clone_median < TARGET_SECONDS and ratio >= TARGET_RATIO
    print(
        f"target: clone median < {TARGET_SECONDS:.0f} s and ratio >= "
        f"{TARGET_RATIO:.0f}x -> {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
