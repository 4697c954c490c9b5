import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django_tenants.utils import schema_context, schema_exists
from wagtail.models import Page, PageLogEntry, Site

from tenants import services
from tenants.models import Application, Domain, Province

from .test_signup import VALID


@pytest.fixture
def application(db):
    return services.submit_application(
        province_code=48,
        union_name="Hội LHPN Thành phố Đà Nẵng",
        contact_name="Phạm Thị Lan",
        email="lan@danang.test",
        phone="+84912345678",
        subdomain="danang",
    )


@pytest.fixture
def national_staff(db):
    return get_user_model().objects.get(username="quocgia@ketnoi.test")


def _approve(application, actor, capture):
    with capture(execute=True):
        services.approve_application(application=application, actor=actor)
    application.refresh_from_db()
    return application


def test_approval_provisions_a_live_province_with_site_domain_groups_and_admin(
    application, national_staff, django_capture_on_commit_callbacks
):
    application = _approve(
        application, national_staff, django_capture_on_commit_callbacks
    )

    assert application.status == "live"
    province = application.province
    assert province.schema_name == "danang"
    assert schema_exists("danang")
    assert Domain.objects.filter(tenant=province, domain="danang.localhost").exists()
    with schema_context("danang"):
        site = Site.objects.get()
        assert site.hostname == "danang.localhost"
        assert site.root_page.title == "Hội LHPN Thành phố Đà Nẵng"
        admin = get_user_model().objects.get(username="lan@danang.test")
        assert admin.is_superuser and not admin.has_usable_password()
        assert set(Group.objects.values_list("name", flat=True)) >= {
            "Quản trị tỉnh",
            "Cán bộ Hội",
            "Điều phối viên",
            "Nhà sản xuất",
        }


def test_first_admin_gets_a_link_to_set_a_password_that_works(
    application, national_staff, django_capture_on_commit_callbacks
):
    from tests.conftest import HostClient

    _approve(application, national_staff, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lan@danang.test"]
    link = next(
        line for line in message.body.splitlines() if "/password_reset/" in line
    )
    path = link.split("localhost:8000", 1)[1]
    client = HostClient("danang.localhost")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "Da-Nang-2026-an-toan"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert client.login_to_admin("lan@danang.test", new_password).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_provisioning_twice_changes_nothing(hanoi):
    def snapshot():
        with schema_context(hanoi.schema):
            return (
                Province.objects.count(),
                Domain.objects.count(),
                list(Site.objects.values_list("hostname", "port", "site_name")),
                Page.objects.count(),
                PageLogEntry.objects.count(),
                get_user_model().objects.count(),
                Group.objects.count(),
            )

    before = snapshot()
    services.provision_province(
        slug="hanoi",
        name="Hội LHPN Thành phố Hà Nội",
        province_code=1,
        admin_email=hanoi.admin_email,
    )

    assert snapshot() == before


def test_failed_provisioning_leaves_nothing_behind_and_can_be_retried(
    application, national_staff, django_capture_on_commit_callbacks, monkeypatch
):
    def broken_groups():
        raise RuntimeError("the database server ran out of disk")

    monkeypatch.setattr(services, "ensure_groups", broken_groups)
    application = _approve(
        application, national_staff, django_capture_on_commit_callbacks
    )

    assert application.status == "failed"
    assert "ran out of disk" in application.failure_reason
    assert not schema_exists("danang")
    assert not Province.objects.filter(slug="danang").exists()
    assert not Domain.objects.filter(domain="danang.localhost").exists()

    monkeypatch.undo()
    application = _approve(
        application, national_staff, django_capture_on_commit_callbacks
    )

    assert application.status == "live"
    assert schema_exists("danang")
    assert list(application.events.values_list("action", flat=True)) == [
        "submitted",
        "approved",
        "failed",
        "approved",
        "live",
    ]


def test_a_live_application_cannot_be_approved_again(
    application, national_staff, django_capture_on_commit_callbacks
):
    _approve(application, national_staff, django_capture_on_commit_callbacks)

    with pytest.raises(Exception, match="chờ duyệt hoặc bị lỗi"):
        services.approve_application(application=application, actor=national_staff)


def test_approval_refuses_a_province_that_went_live_meanwhile(
    national_staff, hanoi, django_capture_on_commit_callbacks
):
    application = Application.objects.create(
        **{**VALID, "province_code": 1, "subdomain": "hanoi-2", "phone": "+84912345678"}
    )

    with pytest.raises(Exception, match="đã có trang"):
        services.approve_application(application=application, actor=national_staff)

    application.refresh_from_db()
    assert application.status == "pending"
    assert not schema_exists("hanoi_2")


def test_national_staff_approve_from_the_national_admin(
    application, national_staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = national_staff_client.post(
            "/admin/tenants/application/",
            {"action": "approve", "_selected_action": [str(application.pk)]},
            follow=True,
        )

    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == "live"
    assert application.decided_by.username == "quocgia@ketnoi.test"


def test_only_national_staff_can_open_the_applications(
    hanoi, national_client, hanoi_client
):
    assert national_client.get("/admin/tenants/application/").status_code == 302
    hanoi_client.login_to_admin(hanoi.admin_email)
    assert hanoi_client.get("/admin/tenants/application/").status_code == 404


def _constraint_names(schema: str) -> set[tuple[str, str]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rel.relname, con.conname FROM pg_constraint con"
            " JOIN pg_class rel ON rel.oid = con.conrelid"
            " JOIN pg_namespace nsp ON nsp.oid = rel.relnamespace"
            " WHERE nsp.nspname = %s",
            [schema],
        )
        return set(cursor.fetchall())


def test_a_cloned_province_keeps_the_template_constraint_names(hanoi):
    """Migrations find constraints by name; a clone must not rename them."""
    from django.conf import settings

    template = _constraint_names(settings.TENANT_BASE_SCHEMA)
    assert ("orders_order", "orders_one_order_per_key") in template
    assert _constraint_names(hanoi.province.schema_name) == template


def test_national_staff_reject_with_a_reason_the_applicant_receives(
    application, national_staff_client, django_capture_on_commit_callbacks
):
    selected = {"action": "reject", "_selected_action": [str(application.pk)]}
    asking = national_staff_client.post("/admin/tenants/application/", selected)
    assert "Lý do gửi cho đơn vị đăng ký" in asking.content.decode()
    application.refresh_from_db()
    assert application.status == "pending"

    reason = "Tên miền trùng với tên một tỉnh khác."
    with django_capture_on_commit_callbacks(execute=True):
        national_staff_client.post(
            "/admin/tenants/application/", {**selected, "reason": reason}
        )

    application.refresh_from_db()
    assert application.status == "rejected"
    assert application.rejection_reason == reason
    assert application.events.filter(action="rejected", detail=reason).exists()
    assert [message.to for message in mail.outbox] == [["lan@danang.test"]]
    assert reason in mail.outbox[0].body
    status = national_staff_client.get(f"/signup/{application.pk}/")
    assert reason in status.content.decode()


def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(
    application, national_staff_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = national_staff_client.post(
            "/admin/tenants/application/",
            {
                "action": "reject",
                "_selected_action": [str(application.pk)],
                "reason": "   ",
            },
        )

    assert "Hãy cho đơn vị đăng ký biết lý do từ chối." in response.content.decode()
    application.refresh_from_db()
    assert application.status == "pending"
    assert not mail.outbox
