import pytest
from django_tenants.utils import schema_context

from catalog.models import Certificate, Producer
from network.models import AuditEntry
from tests.conftest import HostClient

SCREENS = [
    "/admin/catalog_producers/",
    "/admin/catalog_certificates/",
    "/admin/catalog_products/",
    "/admin/catalog_changes/",
    "/admin/catalog_categories/",
]


@pytest.fixture
def staff_client(catalog, hanoi):
    client = HostClient(hanoi.host)
    client.login_to_admin(hanoi.staff_email)
    return client


@pytest.mark.parametrize("url", SCREENS)
def test_staff_open_every_catalog_screen(staff_client, url):
    assert staff_client.get(url).status_code == 200


@pytest.mark.parametrize("url", SCREENS)
def test_outsider_from_hue_gets_nothing_of_hanoi_admin(hanoi, hue, url):
    client = HostClient(hanoi.host)
    client.login_to_admin(hue.staff_email)

    assert client.get(url).status_code == 302  # to the sign-in, not the list


def test_producer_cannot_open_the_admin_screens(catalog, hanoi):
    client = HostClient(hanoi.host)
    client.login_to_admin(catalog.owner_a.email)

    assert client.get(SCREENS[0]).status_code == 302


def test_producer_list_searches_and_filters(staff_client, catalog):
    body = staff_client.get(
        "/admin/catalog_producers/?q=Văn Đức&status=verified"
    ).content.decode()

    assert catalog.producer_a.name in body
    assert catalog.producer_b.name not in body


def test_staff_verify_a_certificate_from_the_admin_with_audit(staff_client, catalog):
    with schema_context(catalog.schema):
        certificate = catalog.certificate(verified=False)
    url = f"/admin/catalog_certificates/decide/{certificate.pk}/verify/"

    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url)

    assert response.status_code == 302
    with schema_context(catalog.schema):
        assert Certificate.objects.get(pk=certificate.pk).status == "verified"
        assert AuditEntry.objects.filter(
            action="certificate_verified", actor=catalog.staff
        ).exists()


def test_staff_reject_an_application_with_a_reason(staff_client, catalog):
    with schema_context(catalog.schema):
        Producer.objects.filter(pk=catalog.producer_b.pk).update(status="applied")

    staff_client.post(
        f"/admin/catalog_producers/decide/{catalog.producer_b.pk}/reject/",
        {"reason": "Thiếu giấy tờ"},
    )

    with schema_context(catalog.schema):
        producer = Producer.objects.get(pk=catalog.producer_b.pk)
        assert (producer.status, producer.status_note) == ("rejected", "Thiếu giấy tờ")


def _product_form(catalog, product, **changes) -> dict:
    """The admin's product form as filled for `product`, with `changes`."""
    form = {
        "producer": catalog.producer_a.pk,
        "category": catalog.vegetables.pk,
        "name": product.name,
        "unit": "kg",
        "unit_weight_kg": "1",
        "price": str(product.price),
        "market_price": str(product.market_price),
        "origin": product.origin,
        "active": "on",
    }
    form.update(changes)
    return form


def test_staff_price_edit_in_the_admin_leaves_an_audit_row(staff_client, catalog):
    with schema_context(catalog.schema):
        product = catalog.listed(price=20_000, market_price=25_000)

    response = staff_client.post(
        f"/admin/catalog_products/edit/{product.pk}/",
        _product_form(catalog, product, price="19000"),
    )

    assert response.status_code == 302
    with schema_context(catalog.schema):
        entry = AuditEntry.objects.get(action="price_changed")
        before, after = entry.detail["before"], entry.detail["after"]
        assert (before["price"], after["price"]) == (20_000, 19_000)


def _producer_form(producer, **changes) -> dict:
    form = {
        "name": producer.name,
        "kind": producer.kind,
        "contact_name": producer.contact_name,
        "phone": str(producer.phone),
        "email": producer.email,
        "province_code": str(producer.province_code),
        "ward_code": str(producer.ward_code or ""),
        "address": producer.address,
        "story": producer.story,
        "users": [user.pk for user in producer.users.all()],
    }
    if producer.women_owned:
        form["women_owned"] = "on"
    form.update(changes)
    return form


def test_staff_producer_edit_goes_through_the_service_with_an_audit_row(
    staff_client, catalog
):
    with schema_context(catalog.schema):
        producer = catalog.producer_a
        form = _producer_form(producer, name="HTX Rau sạch Văn Đức mới")
        form["phone"] = "0987 654 321"

    response = staff_client.post(f"/admin/catalog_producers/edit/{producer.pk}/", form)

    assert response.status_code == 302
    with schema_context(catalog.schema):
        producer.refresh_from_db()
        assert producer.name == "HTX Rau sạch Văn Đức mới"
        assert str(producer.phone) == "+84987654321"
        entry = AuditEntry.objects.get(action="producer_updated")
        before, after = entry.detail["before"], entry.detail["after"]
        assert after["name"] == "HTX Rau sạch Văn Đức mới"
        assert before["phone"] != after["phone"] == "+84987654321"


def test_a_bad_producer_edit_is_refused_and_changes_nothing(staff_client, catalog):
    with schema_context(catalog.schema):
        producer = catalog.producer_a
        form = _producer_form(producer, name="Tên mới", ward_code="1")
        name = producer.name

    response = staff_client.post(f"/admin/catalog_producers/edit/{producer.pk}/", form)

    assert response.status_code == 200
    assert "xã" in response.content.decode().lower()
    with schema_context(catalog.schema):
        producer.refresh_from_db()
        assert producer.name == name
        assert not AuditEntry.objects.filter(action="producer_updated").exists()


def test_staff_add_a_producer_as_an_application_to_verify(staff_client, catalog):
    response = staff_client.post(
        "/admin/catalog_producers/new/",
        {
            "name": "Tổ hợp tác Mây tre Phú Vinh",
            "kind": "cooperative",
            "women_owned": "on",
            "contact_name": "Nguyễn Thị Hạnh",
            "phone": "0912 345 678",
            "province_code": "1",
        },
    )

    assert response.status_code == 302
    with schema_context(catalog.schema):
        producer = Producer.objects.get(name="Tổ hợp tác Mây tre Phú Vinh")
        assert producer.status == Producer.Status.APPLIED
        assert producer.slug == "to-hop-tac-may-tre-phu-vinh"
        assert AuditEntry.objects.filter(
            action="applied", object_id=str(producer.pk), actor__isnull=False
        ).exists()


def test_a_refused_product_edit_shows_the_form_with_the_reason(staff_client, catalog):
    with schema_context(catalog.schema):
        product = catalog.listed(price=20_000, market_price=25_000)

    response = staff_client.post(
        f"/admin/catalog_products/edit/{product.pk}/",
        _product_form(catalog, product, price="0"),
    )

    assert response.status_code == 200
    assert "Giá phải lớn hơn 0 đồng." in response.content.decode()
    with schema_context(catalog.schema):
        product.refresh_from_db()
        assert product.price == 20_000
        assert not AuditEntry.objects.filter(action="price_changed").exists()
