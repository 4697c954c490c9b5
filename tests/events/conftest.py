from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django_tenants.utils import schema_context

from catalog import services as catalog
from catalog.models import Category, Producer, Product
from events import services
from events.models import Fair
from tenants import roles
from tests.conftest import PASSWORD


def user_in(email: str, group: str):
    User = get_user_model()
    user = User.objects.create_user(username=email, email=email, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def people(hanoi):
    """Hà Nội's staff member, a producer and a member (no role)."""
    with schema_context(hanoi.schema):
        User = get_user_model()
        return {
            "staff": User.objects.get(username=hanoi.staff_email),
            "producer": user_in("nsx@hanoi.test", roles.PRODUCERS),
            "member": User.objects.create_user("hoivien@hanoi.test", password=PASSWORD),
        }


def verified_producer(name: str, owner, staff) -> Producer:
    producer = catalog.apply_producer(
        name=name,
        kind=Producer.Kind.COOPERATIVE,
        contact_name="Nguyễn Thị Hoa",
        phone="0912345678",
        email=owner.email if owner else "",
        province_code=1,
        user=owner,
    )
    return catalog.verify_producer(producer=producer, actor=staff)


def product_of(producer: Producer, staff, name: str, price: int = 40_000) -> Product:
    category, _created = Category.objects.get_or_create(
        slug="dac-san", defaults={"name": "Đặc sản"}
    )
    return catalog.create_product(
        producer=producer,
        actor=staff,
        category=category,
        name=name,
        unit="kg",
        price=price,
        market_price=price + 5_000,
        origin="Mộc Châu, Sơn La",
    )


@pytest.fixture
def producer(hanoi, people) -> Producer:
    """The verified cooperative whose portal account is people["producer"]."""
    with schema_context(hanoi.schema):
        return verified_producer(
            "HTX Mận Mộc Châu", people["producer"], people["staff"]
        )


def open_fair(staff, *, days_ahead: int = 7, **extra) -> Fair:
    starts = timezone.now() + timedelta(days=days_ahead)
    return services.create_fair(
        actor=staff,
        kind=extra.pop("kind", Fair.Kind.FAIR),
        title=extra.pop("title", "Hội chợ hàng Việt 2026"),
        starts_at=starts,
        ends_at=starts + timedelta(days=2),
        venue="Cung Văn hoá Lao động Hữu nghị",
        organisers="Hội LHPN Hà Nội, Sở Công Thương",
        status=Fair.Status.OPEN,
        **extra,
    )
