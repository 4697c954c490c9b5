"""Per-role access to the network's admin screens, and saving through services."""

import pytest
from django_tenants.utils import schema_context

from network.models import AuditEntry, Member, OrgUnit

from .conftest import HOAN_KIEM, logged_in

SCREENS = [
    "/admin/network/orgunit/",
    "/admin/network/member/",
    "/admin/network/pickuppoint/",
    "/admin/network/supportgroup/",
    "/admin/network/import/",
]

ADD_SCREENS = [
    "/admin/network/orgunit/new/",
    "/admin/network/member/new/",
    "/admin/network/pickuppoint/new/",
    "/admin/network/supportgroup/new/",
]


@pytest.mark.parametrize("url", SCREENS + ADD_SCREENS)
def test_staff_and_admin_open_every_network_screen(hanoi, net, url):
    for email in (hanoi.staff_email, hanoi.admin_email):
        assert logged_in(hanoi.host, email).get(url).status_code == 200


@pytest.mark.parametrize("role", ["coordinator", "producer", "member"])
def test_other_roles_of_the_province_get_no_network_screen(
    hanoi, net, hanoi_personas, role
):
    client = logged_in(hanoi.host, hanoi_personas[role])
    for url in SCREENS:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
        assert "Nguyễn Thị Lan" not in response.content.decode()


def test_an_outsider_from_hue_gets_nothing_of_hanoi(hanoi, hue, net):
    # Huế's staff try Hà Nội's login form, then knock on Hà Nội's doors.
    client = logged_in(hanoi.host, hue.staff_email)
    client.login_to_admin(hue.staff_email)
    for url in SCREENS + [f"/admin/network/member/edit/{net.member.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302, url
    own = logged_in(hue.host, hue.staff_email)
    listing = own.get("/admin/network/member/")
    assert listing.status_code == 200
    assert "Nguyễn Thị Lan" not in listing.content.decode()
    assert own.get(f"/admin/network/member/edit/{net.member.pk}/").status_code == 404


def test_the_member_list_shows_members_with_a_fixed_number_of_queries(
    hanoi, net, django_assert_max_num_queries
):
    client = logged_in(hanoi.host, hanoi.staff_email)
    with schema_context(hanoi.schema):
        for index in range(30):
            Member.objects.create(
                full_name=f"Hội viên {index}",
                phone=f"+8491200{index:04d}",
                branch=net.branch,
                ward_code=HOAN_KIEM,
            )
    with django_assert_max_num_queries(25):
        response = client.get("/admin/network/member/")
    assert response.status_code == 200
    assert "Hội viên 29" in response.content.decode()
    assert "Phường Hoàn Kiếm" in response.content.decode()


def test_the_unit_list_counts_members_in_one_query(
    hanoi, net, django_assert_max_num_queries
):
    client = logged_in(hanoi.host, hanoi.staff_email)
    with django_assert_max_num_queries(25):
        response = client.get("/admin/network/orgunit/")
    assert "Chi hội Hàng Bạc" in response.content.decode()


def test_searching_members_by_phone_finds_the_member(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)
    response = client.get("/admin/network/member/?q=0987 654 321")
    content = response.content.decode()
    assert "Trần Thị Mai" in content
    assert "Nguyễn Thị Lan" not in content


def test_the_commune_select_offers_only_the_provinces_wards(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)
    content = client.get("/admin/network/orgunit/new/").content.decode()
    assert 'value="00070"' in content  # Phường Hoàn Kiếm, Hà Nội
    assert 'value="19774"' not in content  # a ward of Huế


def test_staff_add_a_member_through_the_form_and_it_is_audited(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)
    response = client.post(
        "/admin/network/member/new/",
        {
            "full_name": "Phạm Thị Thu",
            "phone": "0903 111 222",
            "branch": net.branch.pk,
            "ward_code": "",
        },
    )
    assert response.status_code == 302
    with schema_context(hanoi.schema):
        member = Member.objects.get(full_name="Phạm Thị Thu")
        assert str(member.phone) == "+84903111222"
        assert member.ward_code == HOAN_KIEM
        assert AuditEntry.objects.filter(
            action="member.added", object_id=str(member.pk)
        ).exists()


def test_a_bad_phone_in_the_form_shows_a_message_and_writes_nothing(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)
    with schema_context(hanoi.schema):
        before = Member.objects.count()
    response = client.post(
        "/admin/network/member/new/",
        {"full_name": "Phạm Thị Thu", "phone": "12345", "branch": net.branch.pk},
    )
    assert response.status_code == 200
    assert "không phải số điện thoại Việt Nam hợp lệ" in response.content.decode()
    with schema_context(hanoi.schema):
        assert Member.objects.count() == before


def test_moving_a_unit_under_its_own_group_is_refused_in_the_form(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)
    response = client.post(
        f"/admin/network/orgunit/edit/{net.branch.pk}/",
        {
            "name": "Chi hội Hàng Bạc",
            "parent": net.branch.pk,
            "ward_code": HOAN_KIEM,
            "active": "on",
        },
    )
    assert response.status_code == 200
    with schema_context(hanoi.schema):
        assert OrgUnit.objects.get(pk=net.branch.pk).get_parent() == net.commune


def test_nobody_can_delete_a_member(hanoi, net):
    client = logged_in(hanoi.host, hanoi.admin_email)
    response = client.post(f"/admin/network/member/delete/{net.member.pk}/")
    assert response.status_code in (302, 403)
    with schema_context(hanoi.schema):
        assert Member.objects.filter(pk=net.member.pk).exists()


def test_searching_members_by_name_ignores_accents_and_case(hanoi, net):
    client = logged_in(hanoi.host, hanoi.staff_email)

    plain = client.get("/admin/network/member/?q=tran thi MAI").content.decode()
    part = client.get("/admin/network/member/?q=thị lan").content.decode()

    assert "Trần Thị Mai" in plain and "Nguyễn Thị Lan" not in plain
    assert "Nguyễn Thị Lan" in part and "Trần Thị Mai" not in part
