import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from network import services
from network.models import AuditEntry, Member, OrgUnit

from .conftest import BA_DINH, HOAN_KIEM, HUE_WARD


@pytest.fixture
def staff(hanoi):
    with schema_context(hanoi.schema):
        return get_user_model().objects.get(username=hanoi.staff_email)


def test_branches_inherit_their_communes_ward(hanoi, net):
    with schema_context(hanoi.schema):
        assert OrgUnit.objects.get(pk=net.branch.pk).ward_code == HOAN_KIEM
        assert OrgUnit.objects.get(pk=net.group.pk).ward_code == HOAN_KIEM


def test_phone_is_stored_as_plus_84(hanoi, net):
    with schema_context(hanoi.schema):
        assert str(Member.objects.get(pk=net.host.pk).phone) == "+84912345678"


@pytest.mark.parametrize("phone", ["12345", "0212345", "+14155550100", "abc", ""])
def test_a_bad_phone_is_refused_and_nothing_written(hanoi, net, staff, phone):
    with schema_context(hanoi.schema):
        count = Member.objects.count()
        with pytest.raises(ValidationError):
            services.add_member(
                actor=staff, full_name="Lê Thị Hoa", phone=phone, branch=net.branch
            )
        assert Member.objects.count() == count


def test_a_phone_already_used_is_refused(hanoi, net, staff):
    with schema_context(hanoi.schema):
        with pytest.raises(ValidationError, match="already exists"):
            services.add_member(
                actor=staff,
                full_name="Người khác",
                phone="+84 912 345 678",
                branch=net.branch,
            )


def test_a_ward_of_another_province_is_refused(hanoi, net, staff):
    with schema_context(hanoi.schema):
        with pytest.raises(ValidationError) as error:
            services.create_org_unit(
                actor=staff,
                name="Hội LHPN phường của Huế",
                level="commune",
                parent=net.province_unit,
                ward_code=HUE_WARD,
            )
        assert error.value.code == "ward_elsewhere"
        assert not OrgUnit.objects.filter(name="Hội LHPN phường của Huế").exists()


def test_a_unit_cannot_move_under_its_own_descendant(hanoi, net, staff):
    with schema_context(hanoi.schema):
        with pytest.raises(ValidationError) as error:
            services.move_org_unit(actor=staff, unit=net.branch, new_parent=net.group)
        assert error.value.code == "cycle"
        with pytest.raises(ValidationError):
            services.move_org_unit(actor=staff, unit=net.branch, new_parent=net.branch)


def test_a_commune_cannot_sit_under_a_branch(hanoi, net, staff):
    with schema_context(hanoi.schema):
        with pytest.raises(ValidationError) as error:
            services.create_org_unit(
                actor=staff,
                name="Sai cấp",
                level="commune",
                parent=net.branch,
                ward_code=BA_DINH,
            )
        assert error.value.code == "level_order"


def test_moving_a_branch_to_another_commune_moves_its_subtree_and_ward(
    hanoi, net, staff
):
    # given a second commune
    with schema_context(hanoi.schema):
        ba_dinh = services.create_org_unit(
            actor=staff,
            name="Hội LHPN phường Ba Đình",
            level="commune",
            parent=net.province_unit,
            ward_code=BA_DINH,
        )
        # when the branch moves there
        services.move_org_unit(actor=staff, unit=net.branch, new_parent=ba_dinh)

        # then the branch and its group belong to Ba Đình, and the move is audited
        group = OrgUnit.objects.get(pk=net.group.pk)
        branch = OrgUnit.objects.get(pk=net.branch.pk)
        assert branch.get_parent() == ba_dinh
        assert group.get_parent() == branch
        assert {branch.ward_code, group.ward_code} == {BA_DINH}
        ba_dinh.refresh_from_db()
        assert ba_dinh.get_descendants().count() == 2
        assert AuditEntry.objects.filter(
            action="orgunit.moved", object_id=str(branch.pk), actor=staff
        ).exists()


def test_member_changes_are_audited_with_old_and_new_values(hanoi, net, staff):
    with schema_context(hanoi.schema):
        services.update_member(actor=staff, member=net.member, phone="0911111111")
        entry = AuditEntry.objects.get(action="member.changed")
        assert entry.actor == staff
        assert entry.detail["changes"]["phone"] == ["+84987654321", "+84911111111"]


def test_members_cannot_be_put_in_a_commune_union(hanoi, net, staff):
    with schema_context(hanoi.schema):
        with pytest.raises(ValidationError) as error:
            services.add_member(
                actor=staff, full_name="Lê Hoa", phone="0933333333", branch=net.commune
            )
        assert error.value.code == "member_unit"


def test_a_pickup_point_needs_a_ward_of_the_province(hanoi, net, staff):
    with schema_context(hanoi.schema):
        with pytest.raises(ValidationError):
            services.create_pickup_point(
                actor=staff,
                name="Điểm lạ",
                host=net.host,
                address="1 Lê Lợi",
                ward_code=HUE_WARD,
            )
