import pytest
from django_tenants.utils import schema_context

from catalog import selectors, services
from catalog.models import Category, Producer, Product, SearchWord


@pytest.fixture
def shelf(in_hanoi):
    for name, origin in [
        ("Rau sạch Văn Đức", "Gia Lâm"),
        ("Đặc sản mắm tôm", "Thanh Hóa"),
        ("Nhãn lồng Hưng Yên", "Hưng Yên"),
        ("Rau sach thuỷ canh", "Đông Anh"),
        ("Gạo nếp cái hoa vàng", "Đông Anh"),
    ]:
        in_hanoi.listed(name=name, origin=origin)
    return in_hanoi


def found(query: str) -> list[str]:
    return [product.name for product in selectors.catalog_products(query=query)]


def test_query_without_diacritics_finds_the_accented_name(shelf):
    assert "Rau sạch Văn Đức" in found("rau sach")


def test_d_finds_đ(shelf):
    assert found("dac san") == ["Đặc sản mắm tôm"]


def test_đ_in_the_query_finds_d_as_well(shelf):
    assert found("đông anh") == ["Gạo nếp cái hoa vàng", "Rau sach thuỷ canh"]


def test_upper_case_and_extra_spaces_do_not_matter(shelf):
    assert found("  NHÃN   lồng ") == ["Nhãn lồng Hưng Yên"]


def test_a_one_letter_typo_still_finds(shelf):
    assert found("nhan lonh") == ["Nhãn lồng Hưng Yên"]


def test_exact_accent_match_ranks_first(shelf):
    # Both match "rau sach" without accents; the one typed with accents leads.
    assert found("rau sạch")[:2] == ["Rau sạch Văn Đức", "Rau sach thuỷ canh"]
    assert found("rau sach")[:2] == ["Rau sach thuỷ canh", "Rau sạch Văn Đức"]


def test_typo_search_page_says_the_matches_are_close_spellings(shelf, hanoi_client):
    body = hanoi_client.get("/san-pham/?q=nhan+lonh").content.decode()

    assert "Nhãn lồng Hưng Yên" in body
    assert "Gạo nếp" not in body


def test_unrelated_words_find_nothing(shelf):
    assert found("xe máy") == []


def test_search_only_returns_listed_products(shelf):
    shelf.product(name="Rau sạch chưa duyệt", producer=shelf.producer_b)

    assert "Rau sạch chưa duyệt" not in found("rau sach")


def test_typo_page_says_which_words_it_searched_for(shelf, hanoi_client):
    body = hanoi_client.get("/san-pham/?q=nhan+lonh").content.decode()

    assert "“nhan long”" in body


def test_words_being_typed_and_known_words_are_not_respelled(shelf, hanoi_client):
    assert found("nhãn lồ") == ["Nhãn lồng Hưng Yên"]
    body = hanoi_client.get("/san-pham/?q=nhan+long").content.decode()
    assert "Nhãn lồng Hưng Yên" in body and "“nhan long”" not in body


def test_a_misspelt_word_of_a_renamed_product_is_respelled(shelf):
    product = shelf.listed(name="Bưởi", origin="Phúc Trạch")
    services.update_product(
        product=product, actor=shelf.staff, name="Cam Cao Phong", origin="Hòa Bình"
    )

    assert found("cam cao phonh") == ["Cam Cao Phong"]
    assert found("cam hoa binj") == ["Cam Cao Phong"]


def test_each_province_respells_with_its_own_words(shelf, hue):
    with schema_context(hue.schema):
        category = Category.objects.create(name="Trái cây", slug="trai-cay")
        producer = Producer.objects.create(
            name="HTX Phong Điền",
            slug="htx-phong-dien",
            kind="cooperative",
            province_code=46,
        )
        Product.objects.create(
            producer=producer,
            category=category,
            name="Thanh trà Thủy Biều",
            slug="thanh-tra",
            unit="kg",
            unit_weight_kg=1,
            price=30_000,
            market_price=35_000,
        )
        hue_words = set(SearchWord.objects.values_list("word", flat=True))
    hanoi_words = set(SearchWord.objects.values_list("word", flat=True))

    assert {"thanh", "tra", "thuy", "bieu"} <= hue_words
    assert "nhan" not in hue_words
    assert "nhan" in hanoi_words and "bieu" not in hanoi_words
