from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from catalog.models import Category


def list_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_catalog_page_shows_listed_products_with_prices(catalog, hanoi_client):
    with schema_context(catalog.schema):
        catalog.listed(name="Rau cải ngọt", price=1_234_567, market_price=2_000_000)
        catalog.product(catalog.producer_b, name="Chưa duyệt")

    response = hanoi_client.get("/san-pham/")

    body = response.content.decode()
    assert "Rau cải ngọt" in body
    assert "1.234.567\u00a0₫" in body
    assert "Chưa duyệt" not in body


def test_catalog_filters_by_women_owned_and_category(catalog, hanoi_client):
    with schema_context(catalog.schema):
        fruit = Category.objects.create(name="Trái cây", slug="trai-cay")
        catalog.listed(name="Rau cải")
        catalog.certificate(catalog.producer_b)
        catalog.product(catalog.producer_b, name="Cam sành", category=fruit)

    women = hanoi_client.get("/san-pham/?nu=1").content.decode()
    fruits = hanoi_client.get("/san-pham/?danh-muc=trai-cay").content.decode()

    assert "Rau cải" in women and "Cam sành" not in women
    assert "Cam sành" in fruits and "Rau cải" not in fruits


def test_catalog_search_box_ignores_diacritics(catalog, hanoi_client):
    with schema_context(catalog.schema):
        catalog.listed(name="Rau sạch")
        catalog.listed(name="Gạo tám")

    body = hanoi_client.get("/san-pham/?q=rau+sach").content.decode()

    assert "Rau sạch" in body and "Gạo tám" not in body


def test_catalog_page_queries_do_not_grow_with_products(
    catalog, hanoi_client, django_capture_on_commit_callbacks
):
    with schema_context(catalog.schema):
        with django_capture_on_commit_callbacks(execute=True):
            catalog.certificate(kind="ocop", ocop_stars=4, number="OCOP-1")
            catalog.listed(name="Sản phẩm 0")
    few = list_queries(hanoi_client, "/san-pham/")

    with schema_context(catalog.schema):
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(1, 30):
                catalog.listed(name=f"Sản phẩm {number}")
    many = list_queries(hanoi_client, "/san-pham/")
    filtered = list_queries(hanoi_client, "/san-pham/?nu=1&sao=4&q=san+pham")
    counted_before = list_queries(hanoi_client, "/san-pham/")

    assert few == many
    # Domain lookup and schema switches (5), count, products, their OCOP
    # ratings, categories.
    assert many <= 10
    # The listing's count is kept until the catalog changes; a search counts
    # its matches in the query that finds them.
    assert counted_before == filtered == many - 1


def test_the_product_count_follows_catalog_changes(
    catalog, hanoi_client, django_capture_on_commit_callbacks
):
    with schema_context(catalog.schema):
        with django_capture_on_commit_callbacks(execute=True):
            catalog.listed(name="Rau muống")
    assert "1 sản phẩm" in hanoi_client.get("/san-pham/").content.decode()

    with schema_context(catalog.schema):
        with django_capture_on_commit_callbacks(execute=True):
            catalog.listed(name="Rau cải")
            catalog.listed(name="Rau dền")
    page = hanoi_client.get("/san-pham/").content.decode()

    assert "3 sản phẩm" in page and "Rau dền" in page


def test_product_page_shows_savings_certificates_and_qr(catalog, hanoi_client):
    with schema_context(catalog.schema):
        product = catalog.listed(
            name="Mật ong rừng",
            price=180_000,
            market_price=240_000,
            traceability_url="https://truyxuat.example.vn/ma/123",
            traceability_code="TX-123",
        )

    response = hanoi_client.get(f"/san-pham/{product.slug}/")

    body = response.content.decode()
    assert "60.000\u00a0₫" in body and "25%" in body
    assert "VietGAP" in body and "TX-123" in body
    assert "<svg" in body
    assert catalog.producer_a.name in body


def test_product_page_query_count_is_pinned(
    catalog, hanoi_client, django_assert_max_num_queries
):
    with schema_context(catalog.schema):
        product = catalog.listed(name="Mật ong")
        catalog.certificate(kind="ocop", ocop_stars=3, number="OCOP-2", product=product)

    # Domain lookup and schema switches (4), product, its certificates, the
    # producer's certificates.
    with django_assert_max_num_queries(8):
        assert hanoi_client.get(f"/san-pham/{product.slug}/").status_code == 200


def test_unlisted_and_missing_products_answer_404_alike(catalog, hanoi_client):
    with schema_context(catalog.schema):
        hidden = catalog.product(name="Chưa có chứng nhận")

    assert hanoi_client.get(f"/san-pham/{hidden.slug}/").status_code == 404
    assert hanoi_client.get("/san-pham/khong-co/").status_code == 404


def test_producer_page_lists_its_products(catalog, hanoi_client):
    with schema_context(catalog.schema):
        catalog.listed(name="Rau cải")

    body = hanoi_client.get(
        f"/nha-san-xuat/{catalog.producer_a.slug}/"
    ).content.decode()

    assert catalog.producer_a.name in body and "Rau cải" in body


def test_unverified_producer_page_is_404(catalog, hanoi_client):
    with schema_context(catalog.schema):
        catalog.producer_b.status = "applied"
        catalog.producer_b.save()

    assert (
        hanoi_client.get(f"/nha-san-xuat/{catalog.producer_b.slug}/").status_code == 404
    )


def test_another_provinces_host_does_not_show_hanoi_products(catalog, hue_client):
    with schema_context(catalog.schema):
        product = catalog.listed(name="Rau cải")

    assert "Rau cải" not in hue_client.get("/san-pham/").content.decode()
    assert hue_client.get(f"/san-pham/{product.slug}/").status_code == 404
    assert (
        hue_client.get(f"/nha-san-xuat/{catalog.producer_a.slug}/").status_code == 404
    )


def test_public_application_creates_an_applied_producer_with_a_portal_account(
    catalog, hanoi_client
):
    response = hanoi_client.post(
        "/nha-san-xuat/dang-ky/",
        {
            "name": "Hộ kinh doanh Bà Năm",
            "kind": "household",
            "women_owned": "on",
            "contact_name": "Bà Năm",
            "phone": "0987 654 321",
            "email": "ba.nam@example.vn",
            "password": "mat-khau-dai-2026",
            "province_code": "66",
        },
    )

    assert response.status_code == 302
    with schema_context(catalog.schema):
        from catalog.models import Producer

        producer = Producer.objects.get(name="Hộ kinh doanh Bà Năm")
        assert producer.status == "applied" and str(producer.phone) == "+84987654321"
        assert producer.users.get().username == "ba.nam@example.vn"


def test_application_with_a_bad_phone_shows_the_error_and_writes_nothing(
    catalog, hanoi_client
):
    response = hanoi_client.post(
        "/nha-san-xuat/dang-ky/",
        {
            "name": "Hộ Bà Sáu",
            "kind": "household",
            "contact_name": "Bà Sáu",
            "phone": "12345",
            "email": "ba.sau@example.vn",
            "password": "mat-khau-dai-2026",
            "province_code": "1",
        },
    )

    assert response.status_code == 200
    assert "0912 345 678" in response.content.decode()
    with schema_context(catalog.schema):
        from django.contrib.auth import get_user_model

        assert (
            not get_user_model().objects.filter(username="ba.sau@example.vn").exists()
        )


def test_search_pages_count_every_match_and_keep_past_the_end_on_the_last(
    catalog, hanoi_client
):
    with schema_context(catalog.schema):
        for number in range(30):
            catalog.listed(name=f"Rau sạch {number:02d}")
        catalog.listed(name="Mật ong")

    first = hanoi_client.get("/san-pham/?q=rau+sach").content.decode()
    second = hanoi_client.get("/san-pham/?q=rau+sach&trang=2").content.decode()
    beyond = hanoi_client.get("/san-pham/?q=rau+sach&trang=9").content.decode()

    assert "30 sản phẩm" in first and first.count('class="card"') == 24
    assert "30 sản phẩm" in second and second.count('class="card"') == 6
    assert "Rau sạch 29" in second and "Mật ong" not in second
    assert beyond.count('class="card"') == 6
