"""Fill a province with a network of realistic size, for benchmarks and demos.

    ketnoi generate_network --schema hanoi --branches 6000 --members 900000 \
        --points 135 --groups 21

Rows go in with PostgreSQL COPY; paths of the tree are computed here.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_tenants.utils import schema_context

from network.models import Member, OrgUnit, PickupPoint, SupportGroup
from network.units import current_province_code, ward_choices

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Đặng",
    "Bùi",
]
MIDDLE = ["Thị", "Thị Thu", "Thị Minh", "Thị Ngọc", "Thị Thanh", "Thị Hồng"]
GIVEN = ["Lan", "Mai", "Hoa", "Hương", "Thảo", "Hạnh", "Nga", "Yến", "Trang", "Linh"]
# Mobile prefixes in use (09x, 03x, 07x, 08x, 05x); numbers are 10 digits.
PREFIXES = [
    "90",
    "91",
    "93",
    "94",
    "96",
    "97",
    "98",
    "32",
    "33",
    "35",
    "36",
    "37",
    "38",
    "39",
    "70",
    "76",
    "77",
    "78",
    "79",
    "81",
    "82",
    "83",
    "84",
    "85",
    "86",
    "88",
    "56",
    "58",
]


def _copy(table: str, columns: list[str], rows) -> None:
    with connection.cursor() as cursor:
        raw = cursor.cursor
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with raw.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


class Command(BaseCommand):
    help = "Generate a province-sized union network (units, members, points, groups)."

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True)
        parser.add_argument("--branches", type=int, default=6000)
        parser.add_argument("--members", type=int, default=900_000)
        parser.add_argument("--points", type=int, default=135)
        parser.add_argument("--groups", type=int, default=21)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        random.seed(options["seed"])
        started = time.perf_counter()
        with schema_context(options["schema"]), transaction.atomic():
            if OrgUnit.objects.exists():
                raise CommandError("This province already has a network.")
            province_code = current_province_code()
            if province_code is None:
                raise CommandError(
                    "The schema is not a province with an official code."
                )
            counts = self.generate(province_code, **options)
        seconds = time.perf_counter() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(f"Generated {summary} in {seconds:.1f}s")

    def generate(self, province_code, *, branches, members, points, groups, **_):
        wards = ward_choices(province_code)
        steplen = OrgUnit.steplen

        def path(*steps):
            return "".join(OrgUnit._int2str(s).rjust(steplen, "0") for s in steps)

        root = OrgUnit.add_root(name="Hội LHPN tỉnh/thành phố", level="province")
        per_commune = max(1, -(-branches // len(wards)))
        unit_rows, branch_ids = [], []
        made = 0
        for c_index, (ward_code, ward_name) in enumerate(wards, start=1):
            in_this = min(per_commune, branches - made)
            unit_rows.append(
                (
                    f"Hội LHPN {ward_name}",
                    "commune",
                    "",
                    ward_code,
                    "",
                    True,
                    path(1, c_index),
                    2,
                    max(in_this, 0),
                )
            )
            for b_index in range(1, in_this + 1):
                unit_rows.append(
                    (
                        f"Chi hội {b_index} – {ward_name}",
                        "branch",
                        f"{ward_code}-{b_index:03d}",
                        ward_code,
                        "",
                        True,
                        path(1, c_index, b_index),
                        3,
                        0,
                    )
                )
            made += max(in_this, 0)
        root.numchild = len(wards)
        root.save(update_fields=["numchild"])
        columns = [
            "name",
            "level",
            "code",
            "ward_code",
            "legacy_district",
            "active",
            "path",
            "depth",
            "numchild",
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT now()")
            now = cursor.fetchone()[0]
        _copy(
            "network_orgunit",
            columns + ["created_at"],
            (row + (now,) for row in unit_rows),
        )
        branch_ids = list(
            OrgUnit.objects.filter(level="branch").values_list("pk", "ward_code")
        )

        phones = random.sample(range(10_000_000), min(members, 10_000_000))

        def member_rows():
            for index, number in enumerate(phones):
                branch_id, ward_code = branch_ids[index % len(branch_ids)]
                prefix = PREFIXES[index % len(PREFIXES)]
                name = (
                    f"{random.choice(SURNAMES)} {random.choice(MIDDLE)} "
                    f"{random.choice(GIVEN)}"
                )
                yield (
                    name,
                    f"+84{prefix}{number:07d}"[:12],
                    "",
                    branch_id,
                    f"Số {index % 200 + 1}",
                    ward_code,
                    None,
                    True,
                    now,
                )

        _copy(
            "network_member",
            [
                "full_name",
                "phone",
                "email",
                "branch_id",
                "address",
                "ward_code",
                "joined_on",
                "active",
                "created_at",
            ],
            member_rows(),
        )

        hosts = list(
            Member.objects.order_by("pk").values_list("pk", "ward_code")[:points]
        )
        PickupPoint.objects.bulk_create(
            PickupPoint(
                name=f"Điểm kết nối {index + 1}",
                host_id=host_id,
                address=f"Số {index + 1}",
                ward_code=ward_code,
                opening_hours="Thứ Bảy 8:00–11:00",
                capacity=80,
                has_cold_storage=index % 3 == 0,
            )
            for index, (host_id, ward_code) in enumerate(hosts)
        )
        created = SupportGroup.objects.bulk_create(
            SupportGroup(name=f"Nhóm hỗ trợ tiêu thụ {index + 1}")
            for index in range(groups)
        )
        through = SupportGroup.members.through
        helpers = list(
            Member.objects.order_by("-pk").values_list("pk", flat=True)[:152]
        )
        through.objects.bulk_create(
            through(supportgroup_id=created[i % len(created)].pk, member_id=pk)
            for i, pk in enumerate(helpers)
        ) if created else None
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE network_orgunit; ANALYZE network_member")
        return {
            "units": len(unit_rows) + 1,
            "members": len(phones),
            "pickup points": len(hosts),
            "support groups": len(created),
        }
