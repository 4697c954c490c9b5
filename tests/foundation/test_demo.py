import pytest
from django_tenants.utils import schema_context
from wagtail.models import Page

from catalog.models import Certificate, Producer, Product
from events.models import Booth, Fair, Livestream
from ketnoi.demo_data import demo_emails, seed_province
from network.models import AuditEntry, Member, OrgUnit, PickupPoint, SupportGroup
from orders.models import Order, SalesRound

COUNTED = [
    OrgUnit,
    Member,
    PickupPoint,
    SupportGroup,
    Producer,
    Certificate,
    Product,
    AuditEntry,
    SalesRound,
    Order,
    Fair,
    Booth,
    Livestream,
    Page,
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _counts(schema: str) -> dict[str, int]:
    with schema_context(schema):
        return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def seeded(hanoi):
    seed_province(hanoi.province, password="demo")
    return hanoi


def test_seeding_twice_changes_nothing_the_second_time(seeded):
    before = _counts(seeded.schema)

    seed_province(seeded.province, password="demo")

    assert _counts(seeded.schema) == before
    assert before["Product"] >= 10
    assert before["Order"] == 3
    assert before["Member"] == 10


def test_seeded_network_uses_real_wards_of_the_province(seeded):
    with schema_context(seeded.schema):
        communes = OrgUnit.objects.filter(level=OrgUnit.Level.COMMUNE)
        assert sorted(communes.values_list("ward_code", flat=True)) == [
            "00004",
            "00008",
        ]
        assert all(point.opening_hours for point in PickupPoint.objects.all())


def test_catalog_lists_a_seeded_product(seeded, hanoi_client):
    page = hanoi_client.get("/san-pham/")

    assert page.status_code == 200
    assert "Gạo tám thơm" in page.content.decode()


def test_member_signs_in_by_phone_and_sees_the_open_demo_round(seeded, hanoi_client):
    logins = demo_emails(seeded.province.slug)
    hanoi_client.post(
        "/dat-hang/dang-nhap/",
        {"username": logins.member_phone, "password": "demo"},
    )

    page = hanoi_client.get("/dat-hang/")

    assert page.status_code == 200
    assert "Đợt bán nông sản an toàn tuần này" in page.content.decode()


def test_home_page_features_products_events_and_news(seeded, hanoi_client):
    html = hanoi_client.get("/").content.decode()

    assert "Trà sen Tây Hồ" in html
    assert "Hội chợ sản phẩm OCOP" in html
    assert "Khai trương hai điểm tiêu thụ" in html
