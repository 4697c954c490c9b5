import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context
from wagtail.models import Page

from cms.models import HomePage
from tenants.models import Province


def test_national_host_shows_the_portal_with_live_provinces(
    national_client, hanoi, hue
):
    response = national_client.get("/")

    assert response.status_code == 200
    body = response.content.decode()
    assert hanoi.province.name in body
    assert hue.province.name in body
    assert "http://hanoi.localhost:8000/" in body


def test_portal_does_not_list_the_template_or_suspended_provinces(national_client, hue):
    Province.objects.filter(pk=hue.province.pk).update(status="suspended")

    body = national_client.get("/").content.decode()

    assert hue.province.name not in body
    assert "Province template" not in body


def test_each_province_host_serves_its_own_home_page(hanoi_client, hue_client):
    hanoi_page = hanoi_client.get("/")
    hue_page = hue_client.get("/")

    assert hanoi_page.status_code == hue_page.status_code == 200
    assert "<h1>Hội LHPN Thành phố Hà Nội</h1>" in hanoi_page.content.decode()
    assert "<h1>Hội LHPN Thành phố Huế</h1>" in hue_page.content.decode()


def test_province_host_with_port_is_routed_by_name(hanoi):
    from tests.conftest import HostClient

    response = HostClient(f"{hanoi.host}:8000").get("/")

    assert (
        b"H\xe1\xbb\x99i LHPN Th\xc3\xa0nh ph\xe1\xbb\x91 H\xc3\xa0 N\xe1\xbb\x99i"
        in response.content
    )


@pytest.mark.parametrize(
    "host", ["nowhere.localhost", "province-template.localhost", "example.com"]
)
def test_unknown_host_gets_a_not_found_page_not_an_error(db, host):
    from tests.conftest import HostClient

    response = HostClient(host).get("/admin/")

    assert response.status_code == 404
    assert (
        "No site here" in response.content.decode()
        or "Không có trang" in response.content.decode()
    )


def test_suspended_province_is_not_served(hue, hue_client):
    Province.objects.filter(pk=hue.province.pk).update(status="suspended")

    response = hue_client.get("/")

    assert response.status_code == 503
    assert hue.province.name in response.content.decode()


def test_two_provinces_share_one_cache_without_mixing_titles(
    hanoi, hue, hanoi_client, hue_client
):
    # Wagtail keeps each site's root paths under one fixed cache key; the
    # tenant-aware key function is what keeps the provinces apart.
    cache.clear()
    for _round in range(2):
        assert "Hà Nội</h1>" in hanoi_client.get("/").content.decode()
        assert "Huế</h1>" in hue_client.get("/").content.decode()

    with schema_context(hanoi.schema):
        cache.set("greeting", "xin chào Hà Nội")
    with schema_context(hue.schema):
        assert cache.get("greeting") is None


def test_a_page_published_in_one_province_is_not_found_in_another(
    hanoi, hanoi_client, hue_client
):
    with schema_context(hanoi.schema):
        home = HomePage.objects.get()
        home.add_child(instance=Page(title="Phiên chợ cuối tuần", slug="phien-cho"))

    assert hanoi_client.get("/phien-cho/").status_code == 200
    assert hue_client.get("/phien-cho/").status_code == 404


def test_province_site_has_robots_and_sitemap(hanoi_client):
    robots = hanoi_client.get("/robots.txt")
    sitemap = hanoi_client.get("/sitemap.xml")

    assert robots.status_code == 200
    assert "Sitemap: http://hanoi.localhost/sitemap.xml" in robots.content.decode()
    assert sitemap.status_code == 200
    assert "hanoi.localhost" in sitemap.content.decode()


def test_province_pages_outside_wagtail_carry_the_union_s_name(hanoi_client):
    response = hanoi_client.get("/dat-hang/dang-nhap/")

    assert response.status_code == 200
    assert '<a href="/">Hội LHPN Thành phố Hà Nội</a>' in response.content.decode()


@pytest.mark.parametrize("host", ["10.42.0.7:8000", "127.0.0.1", "hanoi.localhost"])
def test_health_probe_answers_on_any_host_including_pod_addresses(db, hanoi, host):
    from tests.conftest import HostClient

    response = HostClient(host).get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"


def test_health_probe_reports_an_unreachable_database(db, settings):
    from django.db import connection

    from tests.conftest import HostClient

    real_name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = "ketnoi_no_such_database"
    try:
        response = HostClient("10.42.0.7").get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["NAME"] = real_name

    assert response.status_code == 503


def test_pages_declare_their_icon_so_browsers_do_not_ask_for_favicon_ico(
    hanoi_client,
):
    page = hanoi_client.get("/san-pham/").content.decode()
    href = page.split('rel="icon" href="', 1)[1].split('"', 1)[0]

    icon = hanoi_client.get(href)

    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)
