"""Personas and a small network in Hà Nội, plus an outsider in Huế."""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_tenants.utils import schema_context

from network import services
from network.models import Member, OrgUnit, PickupPoint, SupportGroup
from tenants import roles
from tests.conftest import PASSWORD, HostClient

# Official codes in Hà Nội (01) and Huế (46).
HOAN_KIEM = "00070"
BA_DINH = "00004"
HUE_WARD = "19774"


@dataclass
class Network:
    province_unit: OrgUnit
    commune: OrgUnit
    branch: OrgUnit
    group: OrgUnit
    host: Member
    member: Member
    point: PickupPoint
    support_group: SupportGroup
    coordinator: object
    other_coordinator: object


def make_user(email: str, group: str | None = None):
    user = get_user_model().objects.create_user(email, email, PASSWORD)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def build_units(actor, branch_name: str = "Chi hội Hàng Bạc"):
    """The province union, Hoàn Kiếm's ward union and one branch under it."""
    top = services.create_org_unit(
        actor=actor, name="Hội LHPN Thành phố Hà Nội", level="province"
    )
    commune = services.create_org_unit(
        actor=actor,
        name="Hội LHPN phường Hoàn Kiếm",
        level="commune",
        parent=top,
        ward_code=HOAN_KIEM,
    )
    branch = services.create_org_unit(
        actor=actor, name=branch_name, level="branch", parent=commune
    )
    return top, commune, branch


@pytest.fixture
def net(hanoi) -> Network:
    with schema_context(hanoi.schema):
        actor = get_user_model().objects.get(username=hanoi.staff_email)
        top, commune, branch = build_units(actor)
        group = services.create_org_unit(
            actor=actor, name="Tổ 1", level="group", parent=branch
        )
        host = services.add_member(
            actor=actor, full_name="Nguyễn Thị Lan", phone="0912345678", branch=branch
        )
        member = services.add_member(
            actor=actor, full_name="Trần Thị Mai", phone="0987654321", branch=group
        )
        coordinator = make_user("dieuphoi@hanoi.test", roles.COORDINATORS)
        other = make_user("dieuphoi2@hanoi.test", roles.COORDINATORS)
        point = services.create_pickup_point(
            actor=actor,
            name="Điểm Hàng Bạc",
            host=host,
            address="12 Hàng Bạc",
            ward_code=HOAN_KIEM,
            opening_hours="Thứ Bảy 8:00–11:00",
            capacity=80,
            has_cold_storage=True,
            coordinators=[coordinator],
        )
        support_group = services.create_support_group(
            actor=actor,
            name="Nhóm hỗ trợ Hoàn Kiếm",
            coordinators=[coordinator],
            members=[host, member],
        )
        services.create_pickup_point(
            actor=actor,
            name="Điểm của người khác",
            host=member,
            address="5 Hàng Bè",
            ward_code=HOAN_KIEM,
            coordinators=[other],
        )
    return Network(
        top,
        commune,
        branch,
        group,
        host,
        member,
        point,
        support_group,
        coordinator,
        other,
    )


@pytest.fixture
def hanoi_personas(hanoi):
    """Emails of a coordinator, a producer and a plain member in Hà Nội."""
    with schema_context(hanoi.schema):
        for email, group in (
            ("dieuphoi@hanoi.test", roles.COORDINATORS),
            ("nsx@hanoi.test", roles.PRODUCERS),
            ("hoivien@hanoi.test", None),
        ):
            if not get_user_model().objects.filter(username=email).exists():
                make_user(email, group)
    return {
        "staff": hanoi.staff_email,
        "admin": hanoi.admin_email,
        "coordinator": "dieuphoi@hanoi.test",
        "producer": "nsx@hanoi.test",
        "member": "hoivien@hanoi.test",
    }


def logged_in(host: str, email: str) -> HostClient:
    """A client signed in on `host` as the user `email` of the province behind `host`.

    Forcing the login skips the deliberately slow password hash; a user of
    another province is simply not found here, as on the real login form.
    """
    from tenants.models import Province

    client = HostClient(host)
    province = Province.objects.get(slug=host.split(".")[0])
    with schema_context(province.schema_name):
        user = get_user_model().objects.filter(username=email).first()
        if user is not None:
            client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Users made by these tests need no strong hash; the session's own users
    # keep theirs, still checked by the second hasher.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
