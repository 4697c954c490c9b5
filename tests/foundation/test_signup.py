import pytest

from tenants.models import Application

VALID = {
    "province_code": "48",
    "union_name": "Hội LHPN Thành phố Đà Nẵng",
    "contact_name": "Phạm Thị Lan",
    "email": "lan@danang.test",
    "phone": "0912 345 678",
    "subdomain": "danang",
}


def test_signup_form_lists_the_34_official_provincial_units(national_client):
    body = national_client.get("/signup/").content.decode()

    assert body.count("<option value=") == 34 + 1
    assert "Thành phố Hà Nội" in body
    assert "Thành phố Hồ Chí Minh" in body
    assert "Quận" not in body


def test_a_valid_application_is_recorded_and_shows_its_status(national_client):
    response = national_client.post("/signup/", VALID)

    application = Application.objects.get(subdomain="danang")
    assert response.status_code == 302
    assert response["Location"] == f"/signup/{application.pk}/"
    assert application.status == "pending"
    assert str(application.phone) == "+84912345678"
    status_page = national_client.get(response["Location"]).content.decode()
    assert "Hội LHPN Thành phố Đà Nẵng" in status_page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subdomain", "hanoi", "đã có người dùng"),
        ("subdomain", "www", "được dành riêng"),
        ("subdomain", "admin", "được dành riêng"),
        ("subdomain", "api", "được dành riêng"),
        ("subdomain", "public", "được dành riêng"),
        ("subdomain", "static", "được dành riêng"),
        ("subdomain", "media", "được dành riêng"),
        ("subdomain", "province-template", "được dành riêng"),
        ("subdomain", "select", "được dành riêng"),
        ("subdomain", "pg-catalog", "được dành riêng"),
        ("subdomain", "a" * 31, "quá dài"),
        ("subdomain", "DaNang", "chữ thường"),
        ("subdomain", "đà-nẵng", "chữ thường"),
        ("subdomain", "da_nang", "chữ thường"),
        ("subdomain", "-danang", "chữ thường"),
        ("subdomain", "danang-", "chữ thường"),
        ("subdomain", "9danang", "chữ thường"),
        ("province_code", "1", "đã có trang"),
        ("province_code", "999", "Hãy chọn"),
        ("phone", "12345", "số điện thoại"),
        ("email", "lan-at-danang", "email"),
        ("union_name", "", "bắt buộc"),
    ],
)
def test_bad_signup_input_is_explained_in_vietnamese_and_writes_nothing(
    national_client, hanoi, field, value, message
):
    before = Application.objects.count()

    response = national_client.post("/signup/", {**VALID, field: value})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Application.objects.count() == before


def test_bad_signup_input_is_explained_in_english_on_request(national_client, hanoi):
    national_client.cookies["django_language"] = "en"

    response = national_client.post("/signup/", {**VALID, "subdomain": "hanoi"})

    assert response.status_code == 400
    assert "is already taken" in response.content.decode()


def test_a_subdomain_held_by_a_waiting_application_is_taken(national_client, db):
    national_client.post("/signup/", VALID)

    response = national_client.post(
        "/signup/", {**VALID, "province_code": "31", "email": "b@haiphong.test"}
    )

    assert response.status_code == 400
    assert Application.objects.filter(subdomain="danang").count() == 1


def test_status_page_of_an_unknown_application_is_not_found(national_client):
    response = national_client.get("/signup/2f1d6c1e-8c4a-4f4b-9b7e-3c1f7f0e9a11/")

    assert response.status_code == 404


def test_pages_are_vietnamese_even_when_the_browser_prefers_english(national_client):
    response = national_client.get("/signup/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "Đăng ký cho Hội LHPN tỉnh, thành" in response.content.decode()
    assert response["Content-Language"] == "vi"
