from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD, HostClient


def _is_logged_into_wagtail(client: HostClient) -> bool:
    response = client.get("/admin/")
    return response.status_code == 200


def test_province_admin_signs_in_to_own_admin(hanoi, hanoi_client):
    hanoi_client.login_to_admin(hanoi.admin_email)

    assert _is_logged_into_wagtail(hanoi_client)


def test_province_admin_cannot_sign_in_to_another_province(hanoi, hue_client):
    response = hue_client.login_to_admin(hanoi.admin_email)

    assert response.status_code == 200  # the form again, with an error
    assert not _is_logged_into_wagtail(hue_client)


def test_a_session_from_one_province_is_worthless_on_another_host(hanoi, hue):
    hanoi_client = HostClient(hanoi.host)
    hanoi_client.login_to_admin(hanoi.admin_email)
    session_cookie = hanoi_client.cookies["sessionid"].value

    intruder = HostClient(hue.host)
    intruder.cookies["sessionid"] = session_cookie

    assert intruder.get("/admin/").status_code == 302


def test_session_cookie_is_host_only(hanoi, hanoi_client):
    hanoi_client.login_to_admin(hanoi.admin_email)

    assert hanoi_client.cookies["sessionid"]["domain"] == ""


def test_users_created_in_one_province_do_not_exist_in_another(hanoi, hue):
    with schema_context(hanoi.schema):
        get_user_model().objects.create_user("thu@hanoi.test", password=PASSWORD)

    with schema_context(hue.schema):
        assert not get_user_model().objects.filter(username="thu@hanoi.test").exists()
        assert not get_user_model().objects.filter(username=hanoi.admin_email).exists()


def test_national_staff_cannot_sign_in_to_a_province_admin(hanoi_client):
    hanoi_client.login_to_admin("quocgia@ketnoi.test")

    assert not _is_logged_into_wagtail(hanoi_client)


def test_province_admin_cannot_sign_in_to_the_national_admin(hanoi, national_client):
    national_client.post(
        "/admin/login/", {"username": hanoi.admin_email, "password": PASSWORD}
    )

    assert national_client.get("/admin/").status_code == 302


def test_staff_member_can_open_the_admin_of_their_province(hanoi, hanoi_client):
    hanoi_client.login_to_admin(hanoi.staff_email)

    assert _is_logged_into_wagtail(hanoi_client)


def test_uploaded_files_are_stored_per_province(hanoi, hue):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    with schema_context(hanoi.schema):
        name = default_storage.save("notes/hello.txt", ContentFile(b"xin chao"))
        hanoi_path = default_storage.path(name)
        hanoi_url = default_storage.url(name)
    with schema_context(hue.schema):
        hue_exists = default_storage.exists(name)

    try:
        assert "/hanoi/" in hanoi_path
        assert hanoi_url.startswith("/media/hanoi/")
        assert not hue_exists
    finally:
        with schema_context(hanoi.schema):
            default_storage.delete(name)
