import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from catalog.models import Certificate, Product, ProductChange
from tests.conftest import PASSWORD, HostClient

PORTAL = "/portal/nha-san-xuat/"


def signed_in(host: str, email: str) -> HostClient:
    client = HostClient(host)
    response = client.post(
        f"{PORTAL}dang-nhap/", {"username": email, "password": PASSWORD}
    )
    assert response.status_code == 302, "the sign-in should succeed"
    return client


@pytest.fixture
def two_products(catalog):
    with schema_context(catalog.schema):
        mine = catalog.listed(name="Rau cải của A", price=20_000, market_price=25_000)
        theirs = catalog.product(catalog.producer_b, name="Đặc sản của B")
    return mine, theirs


def test_producer_sees_own_products_and_not_anothers(catalog, hanoi, two_products):
    client = signed_in(hanoi.host, catalog.owner_a.email)

    body = client.get(PORTAL).content.decode()

    assert "Rau cải của A" in body and "Đặc sản của B" not in body


def test_producer_cannot_open_anothers_product_same_404_as_missing(
    catalog, hanoi, two_products
):
    _mine, theirs = two_products
    client = signed_in(hanoi.host, catalog.owner_a.email)

    assert client.get(f"{PORTAL}san-pham/{theirs.pk}/").status_code == 404
    assert client.get(f"{PORTAL}san-pham/999999/").status_code == 404
    response = client.post(f"{PORTAL}san-pham/{theirs.pk}/", {"name": "Hack"})
    assert response.status_code == 404
    with schema_context(catalog.schema):
        assert Product.objects.get(pk=theirs.pk).name == "Đặc sản của B"


@pytest.mark.parametrize("persona", ["coordinator", "member", "staff"])
def test_users_who_are_not_producers_get_404(catalog, hanoi, persona):
    client = signed_in(hanoi.host, getattr(catalog, persona).email)

    assert client.get(PORTAL).status_code == 404
    assert client.get(f"{PORTAL}san-pham/moi/").status_code == 404


def test_anonymous_visitor_is_sent_to_the_sign_in(hanoi_client):
    response = hanoi_client.get(PORTAL)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{PORTAL}dang-nhap/")


def test_outsider_from_hue_cannot_sign_in_to_hanoi_portal(catalog, hue, hanoi):
    with schema_context(hue.schema):
        get_user_model().objects.create_user(
            "ngoai@hue.test", "ngoai@hue.test", PASSWORD
        )
    client = HostClient(hanoi.host)

    client.post(
        f"{PORTAL}dang-nhap/", {"username": "ngoai@hue.test", "password": PASSWORD}
    )

    assert client.get(PORTAL).status_code == 302


def test_hanoi_producer_session_is_worthless_on_hue(catalog, hanoi, hue, two_products):
    client = signed_in(hanoi.host, catalog.owner_a.email)
    outsider = HostClient(hue.host)
    outsider.cookies["sessionid"] = client.cookies["sessionid"].value

    assert outsider.get(PORTAL).status_code == 302


def test_price_change_in_the_portal_goes_to_review(catalog, hanoi, two_products):
    mine, _theirs = two_products
    client = signed_in(hanoi.host, catalog.owner_a.email)

    response = client.post(
        f"{PORTAL}san-pham/{mine.pk}/",
        {
            "name": "Rau cải của A",
            "category": catalog.vegetables.pk,
            "unit": "kg",
            "price": "21000",
            "market_price": "25000",
            "origin": "Gia Lâm, Hà Nội",
            "active": "on",
        },
    )

    assert response.status_code == 302
    with schema_context(catalog.schema):
        assert Product.objects.get(pk=mine.pk).price == 20_000
        assert ProductChange.objects.get(product=mine).price == 21_000


def test_portal_shows_a_clear_error_for_a_price_above_market(
    catalog, hanoi, two_products
):
    client = signed_in(hanoi.host, catalog.owner_a.email)

    response = client.post(
        f"{PORTAL}san-pham/moi/",
        {
            "name": "Trứng vịt",
            "category": catalog.vegetables.pk,
            "unit": "box",
            "unit_weight_kg": "0.6",
            "price": "50000",
            "market_price": "40000",
        },
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_price_error"' in body
    assert "Giá hội viên đang cao hơn giá thị trường" in body
    with schema_context(catalog.schema):
        assert not Product.objects.filter(name="Trứng vịt").exists()


def test_certificate_upload_that_is_not_a_pdf_or_image_is_refused(
    catalog, hanoi, two_products
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = signed_in(hanoi.host, catalog.owner_a.email)

    response = client.post(
        f"{PORTAL}chung-nhan/moi/",
        {
            "kind": "vietgap",
            "number": "VG-9",
            "issuer": "Sở NN",
            "issued_on": "2026-01-01",
            "expires_on": "2027-01-01",
            "scan": SimpleUploadedFile("giay.pdf", b"#!/bin/sh\necho hi\n"),
        },
    )

    assert response.status_code == 200
    with schema_context(catalog.schema):
        assert not Certificate.objects.filter(number="VG-9").exists()


def test_producer_reads_what_the_union_decided_with_its_reasons(
    catalog, hanoi, two_products
):
    mine, _theirs = two_products
    with schema_context(catalog.schema):
        from catalog import services

        _product, change = services.update_product(
            product=mine, actor=catalog.owner_a, price=23_000
        )
        services.reject_product_change(
            change=change, actor=catalog.staff, reason="Giá cao hơn chợ đầu mối"
        )
        services.suspend_producer(
            producer=catalog.producer_b, actor=catalog.staff, reason="Hồ sơ của B"
        )
    client = signed_in(hanoi.host, catalog.owner_a.email)

    body = client.get(PORTAL).content.decode()

    assert "Đề nghị đổi giá chưa được duyệt" in body
    assert "Giá cao hơn chợ đầu mối" in body
    assert "Chứng nhận đã được xác minh" in body
    assert "Hồ sơ của B" not in body
