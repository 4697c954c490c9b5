import re

from django_tenants.utils import schema_context

from cms.models import NewsPage


def meta(html: str, name: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{name}" content="([^"]*)"', html)
    return found.group(1) if found else ""


def test_a_story_shares_its_title_description_and_absolute_image(
    hanoi, hanoi_site, hanoi_client
):
    html = hanoi_client.get("/cau-chuyen/chi-lan/").content.decode()

    assert meta(html, "og:title") == "Chị Lan và rau sạch Đông Anh"
    assert meta(html, "og:description") == "Câu chuyện của một nữ chủ nhiệm hợp tác xã."
    assert meta(html, "og:image").startswith(f"http://{hanoi.host}/media/hanoi/")
    assert "fill-1200x630" in meta(html, "og:image")
    assert meta(html, "og:url") == f"http://{hanoi.host}/cau-chuyen/chi-lan/"
    assert meta(html, "twitter:card") == "summary_large_image"


def test_a_page_without_description_falls_back_to_its_summary(
    hanoi, hanoi_site, hanoi_client
):
    html = hanoi_client.get("/tin-tuc/phien-cho-cuoi-tuan/").content.decode()

    assert meta(html, "og:description") == "Hơn 40 gian hàng của chị em phụ nữ."


def test_a_page_without_any_image_says_summary_card(hanoi, hanoi_site, hanoi_client):
    with schema_context(hanoi.schema):
        NewsPage.objects.update(image=None)

    html = hanoi_client.get("/tin-tuc/phien-cho-cuoi-tuan/").content.decode()

    assert meta(html, "og:image") == ""
    assert meta(html, "twitter:card") == "summary"


def test_each_site_has_robots_and_a_sitemap_of_its_own_pages(
    hanoi, hue, hanoi_site, hanoi_client, hue_client
):
    robots = hanoi_client.get("/robots.txt").content.decode()
    hanoi_map = hanoi_client.get("/sitemap.xml").content.decode()
    hue_map = hue_client.get("/sitemap.xml").content.decode()

    assert f"Sitemap: http://{hanoi.host}/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots
    assert f"http://{hanoi.host}:8000/cau-chuyen/chi-lan/</loc>" in hanoi_map
    assert "chi-lan" not in hue_map
