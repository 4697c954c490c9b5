import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from catalog import services as catalog
from tests.cms.conftest import home_page, listed_producer, staff_of
from tests.events.conftest import product_of


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


def test_a_catalog_change_purges_the_cached_home_page_after_commit(
    hanoi, hue, hanoi_site, hanoi_client, hue_client, django_capture_on_commit_callbacks
):
    # given a listed product on Hà Nội's cached home page, and Huế's cached too
    with schema_context(hanoi.schema):
        staff = staff_of(hanoi)
        greens = product_of(listed_producer(staff), staff, "Rau cải", price=20_000)
    assert "Rau cải" in hanoi_client.get("/").content.decode()
    hue_client.get("/")

    # when staff rename the product and the write commits
    with (
        schema_context(hanoi.schema),
        django_capture_on_commit_callbacks(execute=True),
    ):
        catalog.update_product(product=greens, actor=staff, name="Rau cải ngọt")

    # then Hà Nội's home page is rendered again, Huế's is still cached
    after = hanoi_client.get("/")
    assert after["X-Page-Cache"] == "miss"
    assert "Rau cải ngọt" in after.content.decode()
    assert hue_client.get("/")["X-Page-Cache"] == "hit"


def test_a_catalog_write_that_rolls_back_keeps_the_cache(
    hanoi, hanoi_site, hanoi_client, django_capture_on_commit_callbacks
):
    with schema_context(hanoi.schema):
        staff = staff_of(hanoi)
        greens = product_of(listed_producer(staff), staff, "Rau cải")
    hanoi_client.get("/")

    with (
        schema_context(hanoi.schema),
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ValidationError),
    ):
        catalog.update_product(product=greens, actor=staff, price=-1)

    assert callbacks == []
    assert hanoi_client.get("/")["X-Page-Cache"] == "hit"
