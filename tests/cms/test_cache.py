from django_tenants.utils import schema_context

from tests.cms.conftest import home_page


def test_anonymous_page_views_are_served_from_the_cache(
    hanoi, hanoi_site, hanoi_client
):
    first = hanoi_client.get("/tin-tuc/")
    second = hanoi_client.get("/tin-tuc/")

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_two_provinces_never_share_a_cached_page(hanoi, hue, hanoi_client, hue_client):
    hanoi_client.get("/")
    hanoi_cached = hanoi_client.get("/")

    hue_page = hue_client.get("/")

    assert hanoi_cached["X-Page-Cache"] == "hit"
    assert hue_page["X-Page-Cache"] == "miss"
    assert "Huế" in hue_page.content.decode()
    assert "Hà Nội" not in hue_page.content.decode()


def test_publishing_purges_only_that_provinces_cache(
    hanoi, hue, hanoi_client, hue_client
):
    # given both home pages are cached
    hanoi_client.get("/")
    hue_client.get("/")

    # when Hà Nội publishes a new message
    with schema_context(hanoi.schema):
        home = home_page()
        home.intro = "Thông điệp mới của Hội"
        home.save_revision().publish()

    # then Hà Nội's page is fresh and Huế's still comes from the cache
    hanoi_after = hanoi_client.get("/")
    assert hanoi_after["X-Page-Cache"] == "miss"
    assert "Thông điệp mới của Hội" in hanoi_after.content.decode()
    assert hue_client.get("/")["X-Page-Cache"] == "hit"


def test_signed_in_visitors_and_the_admin_bypass_the_cache(hanoi, hanoi_client):
    hanoi_client.login_to_admin(hanoi.staff_email)

    response = hanoi_client.get("/")

    assert not response.has_header("X-Page-Cache")


def test_an_unpublished_page_disappears_at_once(hanoi, hanoi_site, hanoi_client):
    assert hanoi_client.get("/hang-viet/").status_code == 200

    with schema_context(hanoi.schema):
        hanoi_site["campaign"].unpublish()

    assert hanoi_client.get("/hang-viet/").status_code == 404
