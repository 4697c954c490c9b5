"""Generate a Hanoi-sized network in a scratch province and time its main reads.

    uv run python tests/benchmarks/network_generate.py [--members 900000]

Uses DATABASE_URL's database (run `ketnoi prepare` there first). Prints the
generation time, then reads against a baseline in the same run: a full scan
of all members, which every indexed read should beat by far.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F, Value  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from ketnoi.search import Unaccented  # noqa: E402
from network.models import Member, OrgUnit  # noqa: E402
from tenants.models import Province  # noqa: E402
from tenants.services import ensure_platform, provision_province  # noqa: E402


def timed(label: str, action, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    print(f"  {label:<44} {best * 1000:9.1f} ms")
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--branches", type=int, default=6000)
    parser.add_argument("--members", type=int, default=900_000)
    parser.add_argument("--points", type=int, default=135)
    parser.add_argument("--groups", type=int, default=21)
    options = parser.parse_args()

    ensure_platform()
    slug = "bench-network"
    old = Province.objects.filter(slug=slug).first()
    if old is not None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{old.schema_name}" CASCADE')
        old.domains.all().delete()
        old.delete()
    province = provision_province(
        slug=slug, name="Benchmark Hà Nội", province_code=None, admin_email="b@b.test"
    )
    # Hà Nội's communes, without taking Hà Nội's place from a real province
    # in the same database (one active province per code): kept suspended.
    Province.objects.filter(pk=province.pk).update(
        province_code=1, status=Province.Status.SUSPENDED
    )

    started = time.perf_counter()
    call_command(
        "generate_network",
        schema=province.schema_name,
        branches=options.branches,
        members=options.members,
        points=options.points,
        groups=options.groups,
    )
    print(f"generation: {time.perf_counter() - started:.1f}s")

    with schema_context(province.schema_name):
        commune = OrgUnit.objects.filter(level="commune").order_by("path")[60]
        phone = Member.objects.order_by("pk").values_list("phone", flat=True)[5000]
        print("reads (best of 5):")
        baseline = timed(
            "baseline: count every member (full scan)", Member.objects.count
        )
        subtree = timed(
            "members in one commune's subtree (path)",
            lambda: Member.objects.filter(
                branch__path__startswith=commune.path
            ).count(),
        )
        units = timed(
            "units in one commune's subtree",
            lambda: OrgUnit.objects.filter(path__startswith=commune.path).count(),
        )
        by_phone = timed(
            "member by phone", lambda: Member.objects.filter(phone=phone).first()
        )
        page = timed(
            "first admin page of members (50, by name)",
            lambda: list(Member.objects.select_related("branch")[:50]),
        )
        # What staff type: part of a name, without accents.
        name = Member.objects.order_by("pk").values_list("full_name", flat=True)[7000]
        typed = " ".join(name.split()[-2:])
        named = Member.objects.alias(typed=Unaccented(Value(typed))).filter(
            search_name__contains=F("typed")
        )
        matches = named.count()
        by_name = timed(
            f"name search '{typed}' ({matches:,} found): count + first 50",
            lambda: (named.count(), list(named.select_related("branch")[:50])),
        )
        for label, value in (
            ("subtree", subtree),
            ("units", units),
            ("phone", by_phone),
            ("page", page),
            ("name search", by_name),
        ):
            print(f"  {label}: {baseline / value:.1f}x faster than the baseline")
    connection.set_schema_to_public()


if __name__ == "__main__":
    main()
