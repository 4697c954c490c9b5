import pytest

from catalog import selectors


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
    products = selectors.catalog_products(query=query)
    if not products:
        products = selectors.catalog_products(query=query, fuzzy=True)
    return [product.name for product in products]


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
