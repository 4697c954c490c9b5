from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from cms.models import ProducerStoryPage
from tests.cms.conftest import listed_producer, staff_of
from tests.events.conftest import product_of, verified_producer


def link_story(story: ProducerStoryPage, producer, products) -> None:
    story.producer = producer
    story.products.set(products)
    story.save_revision().publish()


def test_story_page_links_to_its_producer_and_listed_products(
    hanoi, hanoi_site, hanoi_client
):
    with schema_context(hanoi.schema):
        staff = staff_of(hanoi)
        producer = listed_producer(staff)
        greens = product_of(producer, staff, "Rau cải ngọt", price=12_345_678)
        unlisted = product_of(
            verified_producer("Hộ Bà Hoa", None, staff), staff, "Miến"
        )
        link_story(hanoi_site["story"].specific, producer, [greens, unlisted])

    page = hanoi_client.get("/cau-chuyen/chi-lan/").content.decode()

    assert f'href="{producer.get_absolute_url()}"' in page
    assert f'href="{greens.get_absolute_url()}"' in page
    assert "12.345.678\u00a0₫" in page
    assert "Miến" not in page


def test_story_keeps_its_typed_name_when_its_producer_is_deleted(hanoi, hanoi_site):
    with schema_context(hanoi.schema):
        producer = verified_producer("HTX Tạm", None, staff_of(hanoi))
        story = hanoi_site["story"].specific
        link_story(story, producer, [])

        producer.delete()
        story.refresh_from_db()

        assert story.producer is None
        assert story.producer_display_name == "HTX Rau sạch Đông Anh"


def test_story_page_queries_do_not_grow_with_its_products(
    hanoi, hanoi_site, hanoi_client, settings
):
    settings.KETNOI_PAGE_CACHE_SECONDS = 0
    with schema_context(hanoi.schema):
        staff = staff_of(hanoi)
        producer = listed_producer(staff)
        products = [product_of(producer, staff, f"Rau {n}") for n in range(5)]
        story = hanoi_site["story"].specific
        link_story(story, producer, products[:1])
    hanoi_client.get("/cau-chuyen/chi-lan/")

    with CaptureQueriesContext(connection) as one:
        hanoi_client.get("/cau-chuyen/chi-lan/")
    with schema_context(hanoi.schema):
        link_story(ProducerStoryPage.objects.get(pk=story.pk), producer, products)
    hanoi_client.get("/cau-chuyen/chi-lan/")
    with CaptureQueriesContext(connection) as five:
        page = hanoi_client.get("/cau-chuyen/chi-lan/").content.decode()

    assert "Rau 4" in page
    assert len(five) == len(one)


def test_home_page_queries_do_not_grow_with_featured_products(
    hanoi, hanoi_site, hanoi_client, settings
):
    settings.KETNOI_PAGE_CACHE_SECONDS = 0
    with schema_context(hanoi.schema):
        staff = staff_of(hanoi)
        producer = listed_producer(staff)
        product_of(producer, staff, "Rau 0")
    hanoi_client.get("/")
    with CaptureQueriesContext(connection) as one:
        hanoi_client.get("/")

    with schema_context(hanoi.schema):
        for n in range(1, 5):
            product_of(producer, staff, f"Rau {n}")
    with CaptureQueriesContext(connection) as five:
        page = hanoi_client.get("/").content.decode()

    assert "Rau 4" in page
    assert len(five) == len(one)
