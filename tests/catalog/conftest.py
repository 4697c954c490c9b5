"""Catalog personas and builders in Hà Nội, with an outsider from Huế."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tenants.utils import schema_context

from catalog import services
from catalog.models import Category, Certificate, Producer, Product
from tenants import roles
from tests.conftest import PASSWORD


def make_user(email: str, *groups: str) -> Any:
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD
    )
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


@dataclass
class Catalog:
    """The people and things most catalog tests start from, in Hà Nội."""

    schema: str
    staff: Any
    coordinator: Any
    member: Any
    owner_a: Any
    owner_b: Any
    producer_a: Producer
    producer_b: Producer
    vegetables: Category

    def product(self, producer: Producer | None = None, **values) -> Product:
        producer = producer or self.producer_a
        fields = {
            "category": self.vegetables,
            "name": "Rau muống",
            "unit": "kg",
            "price": 20_000,
            "market_price": 25_000,
            "origin": "Gia Lâm, Hà Nội",
        }
        fields.update(values)
        return services.create_product(producer=producer, actor=self.staff, **fields)

    def certificate(
        self,
        producer: Producer | None = None,
        *,
        kind: str = "vietgap",
        verified: bool = True,
        expires_in: int = 300,
        **values,
    ) -> Certificate:
        today = timezone.localdate()
        fields = {
            "number": "VG-001",
            "issuer": "Chi cục Trồng trọt",
            "issued_on": today - timedelta(days=30),
            "expires_on": today + timedelta(days=expires_in),
        }
        fields.update(values)
        certificate = services.add_certificate(
            producer=producer or self.producer_a, actor=self.staff, kind=kind, **fields
        )
        if verified:
            certificate = services.verify_certificate(
                certificate=certificate, actor=self.staff
            )
        return certificate

    def listed(self, **values) -> Product:
        """A product of verified producer A covered by a current VietGAP."""
        if not self.producer_a.certificates.exists():
            self.certificate()
        return self.product(**values)


def _producer(name: str, owner: Any, staff: Any, women_owned: bool = True) -> Producer:
    producer = services.apply_producer(
        name=name,
        kind="cooperative",
        women_owned=women_owned,
        contact_name="Nguyễn Thị Lan",
        phone="0912345678",
        email=owner.email,
        province_code=1,
        user=owner,
    )
    return services.verify_producer(producer=producer, actor=staff)


@pytest.fixture
def catalog(hanoi) -> Catalog:
    with schema_context(hanoi.schema):
        staff = get_user_model().objects.get(username=hanoi.staff_email)
        owner_a = make_user("lan@htx-a.test", roles.PRODUCERS)
        owner_b = make_user("hoa@htx-b.test", roles.PRODUCERS)
        built = Catalog(
            schema=hanoi.schema,
            staff=staff,
            coordinator=make_user("dieuphoi@hanoi.test", roles.COORDINATORS),
            member=make_user("hoivien@hanoi.test"),
            owner_a=owner_a,
            owner_b=owner_b,
            producer_a=_producer("HTX Rau sạch Văn Đức", owner_a, staff),
            producer_b=_producer("HTX Đặc sản Tây Bắc", owner_b, staff, False),
            vegetables=Category.objects.create(name="Rau củ", slug="rau-cu", order=1),
        )
    return built


@pytest.fixture
def in_hanoi(catalog):
    """Run the test body inside Hà Nội's schema."""
    with schema_context(catalog.schema):
        yield catalog


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Personas are made per test; the default hasher would cost a second each.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
