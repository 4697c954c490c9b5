"""Fill a province with a large, plausible catalog, for benchmarks and demos.

Rows are bulk-inserted without services: this is synthetic data, and the
services' per-row checks and audit rows would make 20,000 products slow.
"""

import random
import time
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from catalog.models import UNIT_WEIGHTS_KG, Category, Certificate, Producer, Product

PREFIX = "gen-"
CATEGORIES = [
    ("Rau củ", "rau-cu"),
    ("Trái cây", "trai-cay"),
    ("Gạo và ngũ cốc", "gao-ngu-coc"),
    ("Thịt, trứng", "thit-trung"),
    ("Thủy sản", "thuy-san"),
    ("Đặc sản vùng miền", "dac-san"),
    ("Mật ong, trà, cà phê", "mat-ong-tra-ca-phe"),
    ("Gia vị, nước mắm", "gia-vi"),
    ("Bánh kẹo", "banh-keo"),
    ("Thủ công mỹ nghệ", "thu-cong"),
]
GOODS = [
    "Rau muống",
    "Rau cải ngọt",
    "Su hào",
    "Cà chua",
    "Dưa chuột",
    "Nhãn lồng",
    "Vải thiều",
    "Cam sành",
    "Bưởi Diễn",
    "Gạo tám thơm",
    "Gạo nếp cái hoa vàng",
    "Trứng gà ta",
    "Thịt lợn sạch",
    "Cá trắm",
    "Tôm đồng",
    "Mắm tôm",
    "Nước mắm",
    "Mật ong rừng",
    "Trà xanh Thái Nguyên",
    "Cà phê Buôn Ma Thuột",
    "Miến dong",
    "Bánh chưng",
    "Giò lụa",
    "Chè lam",
    "Măng khô",
    "Nấm hương",
    "Hạt điều",
    "Đậu phụ",
    "Tương bần",
    "Mứt sen",
]
PLACES = [
    "Gia Lâm",
    "Đông Anh",
    "Mê Linh",
    "Sóc Sơn",
    "Hưng Yên",
    "Bắc Giang",
    "Mộc Châu",
    "Đà Lạt",
    "Thái Nguyên",
    "Đồng Tháp",
    "Bến Tre",
    "Nghệ An",
]
QUALITIES = ["sạch", "hữu cơ", "đặc biệt", "loại 1", "truyền thống", "VietGAP"]
KINDS = ["enterprise", "cooperative", "household", "farmer"]
UNITS = ["kg", "kg", "kg", "yen", "lang", "box", "bunch", "bottle", "bag"]


class Command(BaseCommand):
    help = "Generate producers, certificates and products in one province."

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True)
        parser.add_argument("--producers", type=int, default=2000)
        parser.add_argument("--products", type=int, default=20000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, schema, producers, products, seed, **options):
        if not schema_exists(schema):
            raise CommandError(f"No schema named {schema}.")
        started = time.perf_counter()
        with schema_context(schema), transaction.atomic():
            counts = generate(
                producers=producers, products=products, rng=random.Random(seed)
            )
        self.stdout.write(
            f"Generated {counts['producers']} producers, "
            f"{counts['certificates']} certificates and {counts['products']} "
            f"products in {schema} in {time.perf_counter() - started:.1f}s."
        )


def generate(*, producers: int, products: int, rng: random.Random) -> dict:
    """Replace earlier generated rows with a fresh set (in the current schema)."""
    Product.objects.filter(slug__startswith=PREFIX).delete()
    Producer.objects.filter(slug__startswith=PREFIX).delete()
    categories = [
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "order": i})[
            0
        ]
        for i, (name, slug) in enumerate(CATEGORIES)
    ]
    today = timezone.localdate()

    made = Producer.objects.bulk_create(
        [
            Producer(
                name=f"{rng.choice(['HTX', 'Hộ', 'Công ty', 'Trang trại'])} "
                f"{rng.choice(PLACES)} số {number}",
                slug=f"{PREFIX}nsx-{number}",
                kind=rng.choice(KINDS),
                women_owned=rng.random() < 0.6,
                contact_name="Nguyễn Thị Hoa",
                phone=f"+8491{number:07d}",
                province_code=rng.choice([1, 1, 1, 8, 31, 66]),
                status="verified" if rng.random() < 0.9 else "applied",
                story="Sản xuất theo quy trình an toàn, do phụ nữ làm chủ.",
            )
            for number in range(producers)
        ],
        batch_size=1000,
    )

    certificates = []
    for producer in made:
        roll = rng.random()
        issued = today - timedelta(days=rng.randint(10, 300))
        if roll < 0.1:
            kind, expires, stars = "exempt", None, None
        elif roll < 0.3:
            kind, stars = "ocop", rng.choice([3, 3, 4, 4, 5])
            expires = issued + timedelta(days=1000)
        elif roll < 0.35:
            kind, stars = "vietgap", None
            expires = today - timedelta(days=rng.randint(1, 30))
        else:
            kind, stars = "vietgap", None
            expires = issued + timedelta(days=700)
        certificates.append(
            Certificate(
                producer=producer,
                kind=kind,
                ocop_stars=stars,
                number=f"{kind.upper()}-{producer.pk}" if kind != "exempt" else "",
                issuer="Sở Nông nghiệp và Môi trường",
                issued_on=issued if kind != "exempt" else None,
                expires_on=expires,
                status="verified" if rng.random() < 0.92 else "pending",
                verified_at=timezone.now(),
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=2000)

    rows = []
    for number in range(products):
        unit = rng.choice(UNITS)
        market = rng.randrange(20_000, 600_000, 1000)
        rows.append(
            Product(
                producer=made[number % len(made)],
                category=rng.choice(categories),
                name=f"{rng.choice(GOODS)} {rng.choice(QUALITIES)} {number}",
                slug=f"{PREFIX}sp-{number}",
                unit=unit,
                unit_weight_kg=UNIT_WEIGHTS_KG.get(unit, Decimal("0.5")),
                price=market - rng.randrange(0, market // 4, 500),
                market_price=market,
                stock=rng.choice([None, rng.randint(0, 500)]),
                origin=f"{rng.choice(PLACES)}",
                vietnamese_goods=rng.random() < 0.7,
                active=rng.random() < 0.95,
            )
        )
    Product.objects.bulk_create(rows, batch_size=2000)
    return {
        "producers": len(made),
        "certificates": len(certificates),
        "products": len(rows),
    }
