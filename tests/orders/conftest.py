"""A Hà Nội sales round with personas: staff, coordinators, a producer, members."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tenants.utils import schema_context

from catalog.models import Category, Producer, Product
from network import services as network
from network.units import current_province_code, ward_choices
from orders import services
from orders.models import SalesRound
from tenants import roles
from tests.conftest import PASSWORD, HostClient

HOAN_KIEM = "00070"
BA_DINH = "00004"


@dataclass
class Shop:
    staff: object
    coordinator: object
    other_coordinator: object
    member: object  # network.Member with a user
    other_member: object
    point: object
    other_point: object
    outside_point: object  # a point not in the round
    producer: object
    rice: object  # round product sold by the bag (whole units)
    greens: object  # round product sold by the kg
    sales_round: SalesRound


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Every test makes a few accounts; the production hasher takes ~0.3 s each.
    # PBKDF2 stays listed so the session-wide accounts can still sign in.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


def make_user(email: str, group: str | None = None):
    user = get_user_model().objects.create_user(email, email, PASSWORD)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def build_shop(schema: str, *, stock: int | None = 50, cap=None) -> Shop:
    with schema_context(schema):
        # Hà Nội's wards by name; elsewhere the province's first two.
        province_code = current_province_code()
        if province_code == 1:
            ward, other_ward = HOAN_KIEM, BA_DINH
        else:
            ward, other_ward = (code for code, _n in ward_choices(province_code)[:2])
        staff = get_user_model().objects.get(username__startswith="canbo@")
        top = network.create_org_unit(actor=staff, name="Hội LHPN", level="province")
        commune = network.create_org_unit(
            actor=staff,
            name="Hội LHPN phường Hoàn Kiếm",
            level="commune",
            parent=top,
            ward_code=ward,
        )
        branch = network.create_org_unit(
            actor=staff, name="Chi hội Hàng Bạc", level="branch", parent=commune
        )
        coordinator = make_user("dieuphoi@orders.test", roles.COORDINATORS)
        other_coordinator = make_user("dieuphoi2@orders.test", roles.COORDINATORS)
        member_user = make_user("hoivien@orders.test")
        other_user = make_user("hoivien2@orders.test")
        host = network.add_member(
            actor=staff, full_name="Nguyễn Thị Lan", phone="0912345678", branch=branch
        )
        member = network.add_member(
            actor=staff,
            full_name="Trần Thị Mai",
            phone="0987654321",
            branch=branch,
            email="mai@orders.test",
            address="3 Hàng Bạc",
            user=member_user,
        )
        other_member = network.add_member(
            actor=staff,
            full_name="Lê Thị Hoa",
            phone="0977777777",
            branch=branch,
            user=other_user,
        )
        point = network.create_pickup_point(
            actor=staff,
            name="Điểm Hàng Bạc",
            host=host,
            address="12 Hàng Bạc",
            ward_code=ward,
            offers_home_delivery=True,
            coordinators=[coordinator],
        )
        other_point = network.create_pickup_point(
            actor=staff,
            name="Điểm Ba Đình",
            host=other_member,
            address="5 Đội Cấn",
            ward_code=other_ward,
            coordinators=[other_coordinator],
        )
        outside_point = network.create_pickup_point(
            actor=staff,
            name="Điểm ngoài đợt",
            host=host,
            address="1 Hàng Bè",
            ward_code=ward,
            coordinators=[coordinator],
        )
        producer = Producer.objects.create(
            name="HTX Rau sạch Thanh Xuân",
            slug="htx-rau-sach",
            kind="cooperative",
            women_owned=True,
            contact_name="Phạm Thị Thu",
            phone="0911111111",
            province_code=1,
            status="verified",
        )
        category = Category.objects.create(name="Rau củ", slug="rau-cu")
        rice_product = Product.objects.create(
            producer=producer,
            category=category,
            name="Gạo ST25",
            slug="gao-st25",
            unit="bag",
            unit_weight_kg=Decimal("5"),
            price=150_000,
            market_price=180_000,
            stock=stock,
        )
        greens_product = Product.objects.create(
            producer=producer,
            category=category,
            name="Rau muống",
            slug="rau-muong",
            unit="kg",
            unit_weight_kg=Decimal("1"),
            price=20_000,
            market_price=25_000,
            stock=None,
        )
        now = timezone.now()
        sales_round = services.create_round(
            actor=staff,
            name="Đợt bán tháng 12",
            opens_at=now - datetime.timedelta(hours=1),
            closes_at=now + datetime.timedelta(days=2),
            delivery_on=(now + datetime.timedelta(days=3)).date(),
            offers=[(rice_product, 140_000, cap), (greens_product, 18_000, None)],
            points=[point, other_point],
            handling_fee_kind="percent",
            handling_fee_value=500,
            transport_kind="per_kg",
            transport_value=300,
        )
        services.open_round(actor=staff, sales_round=sales_round)
        rice, greens = sales_round.products.order_by("pk")
        return Shop(
            staff,
            coordinator,
            other_coordinator,
            member,
            other_member,
            point,
            other_point,
            outside_point,
            producer,
            rice,
            greens,
            sales_round,
        )


@pytest.fixture
def shop(hanoi) -> Shop:
    return build_shop(hanoi.schema)


def client_for(host: str, email: str) -> HostClient:
    client = HostClient(host)
    client.post("/dat-hang/dang-nhap/", {"username": email, "password": PASSWORD})
    return client


@pytest.fixture
def member_client(hanoi, shop) -> HostClient:
    return client_for(hanoi.host, "hoivien@orders.test")


@pytest.fixture
def coordinator_client(hanoi, shop) -> HostClient:
    return client_for(hanoi.host, "dieuphoi@orders.test")


@pytest.fixture
def staff_client(hanoi, shop) -> HostClient:
    client = HostClient(hanoi.host)
    client.login_to_admin(hanoi.staff_email)
    return client


def order_now(shop: Shop, schema: str, *, member=None, point=None, key="k1", **qty):
    """Place an order through the service: qty as rice=2, greens="1.5"."""
    offers = {"rice": shop.rice.pk, "greens": shop.greens.pk}
    with schema_context(schema):
        return services.place_order(
            actor=(member or shop.member).user,
            member=member or shop.member,
            sales_round=shop.sales_round,
            point=point or shop.point,
            quantities={offers[name]: value for name, value in qty.items()},
            idempotency_key=key,
        )


def wipe_shop(schema: str) -> None:
    """Remove what build_shop committed (the test database starts without it)."""
    from django.db import connection

    with schema_context(schema):
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE orders_orderevent, orders_orderline, orders_order,"
                " orders_manifestline, orders_pointmanifest,"
                " orders_purchaseorderline, orders_purchaseorder,"
                " orders_settlement, orders_roundpoint, orders_roundproduct,"
                " orders_salesround, catalog_product, catalog_category,"
                " catalog_producer, network_pickuppoint_coordinators,"
                " network_pickuppoint, network_member, network_orgunit,"
                " network_auditentry CASCADE"
            )
        get_user_model().objects.filter(username__endswith="@orders.test").delete()


@pytest.fixture
def committed_shop(committed_db):
    """A shop whose data is committed, for other threads and processes."""
    from tenants.models import Province

    schema = Province.objects.get(slug="hanoi").schema_name
    committed_db.append(lambda: wipe_shop(schema))
    return schema, build_shop(schema, stock=5)


@pytest.fixture(autouse=True)
def fresh_broker_pools():
    """Drop broker pools that a `celery_worker` fixture closed.

    Kombu keeps broker pools in a process-wide registry keyed by broker URL.
    The shared fixture closes the app's pool when it starts and stops but
    leaves it registered, and Celery takes a producer from that registry even
    for eager tasks, so any later `.delay()` fails with "Acquire on closed
    pool". Autouse fixtures start first and stop last, so this one cleans up
    around every test here, worker tests included.
    """
    _drop_broker_pools()
    yield
    _drop_broker_pools()


def _drop_broker_pools() -> None:
    from kombu import pools

    from ketnoi.celery import app

    pools.reset()
    # The app and its amqp helper cache the pools they took from the registry.
    app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.fixture
def orders_worker(celery_worker):
    return celery_worker
