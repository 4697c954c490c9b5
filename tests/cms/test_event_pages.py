from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from catalog import services as catalog
from catalog.models import Product
from events import services as events
from tests.orders.conftest import build_shop


def certify(shop) -> None:
    """Give the shop's producer a current VietGAP, which lists its products."""
    today = timezone.localdate()
    certificate = catalog.add_certificate(
        producer=shop.producer,
        actor=shop.staff,
        kind="vietgap",
        number="VG-9",
        issuer="Chi cục Trồng trọt",
        issued_on=today - timedelta(days=10),
        expires_on=today + timedelta(days=300),
    )
    catalog.verify_certificate(certificate=certificate, actor=shop.staff)


def test_livestream_page_lists_featured_products_with_price_and_a_link_to_order(
    hanoi, hanoi_site, hanoi_client
):
    # given a stream featuring a product in an open round and one in none
    shop = build_shop(hanoi.schema)
    with schema_context(hanoi.schema):
        certify(shop)
        rice = shop.rice.product
        tea = Product.objects.create(
            producer=shop.producer,
            category=rice.category,
            name="Chè Shan tuyết",
            slug="che-shan-tuyet",
            unit="bag",
            unit_weight_kg=1,
            price=1_234_000,
            market_price=1_500_000,
        )
        stream = events.schedule_livestream(
            actor=shop.staff,
            title="Gạo và chè",
            scheduled_at=timezone.now() + timedelta(days=1),
            channel="facebook",
            url="https://www.facebook.com/hoiphunu/videos/1",
            host_name="Chị Hà",
            featured_products=[rice, tea],
        )

    # when the public opens the stream's page
    page = hanoi_client.get(f"/su-kien/livestream/{stream.code}/").content.decode()

    # then both show with price and page link; only the rice can be ordered
    assert f'href="{rice.get_absolute_url()}"' in page
    assert f'href="{tea.get_absolute_url()}"' in page
    assert "1.234.000" in page
    assert page.count('href="/dat-hang/') == 1
    assert f'href="/dat-hang/{shop.sales_round.pk}/"' in page


def test_livestream_page_hides_featured_products_that_are_not_listed(
    hanoi, hanoi_site, hanoi_client
):
    shop = build_shop(hanoi.schema)
    with schema_context(hanoi.schema):
        stream = events.schedule_livestream(
            actor=shop.staff,
            title="Gạo",
            scheduled_at=timezone.now() + timedelta(days=1),
            channel="facebook",
            url="https://www.facebook.com/hoiphunu/videos/1",
            host_name="Chị Hà",
            featured_products=[shop.rice.product],
        )

    page = hanoi_client.get(f"/su-kien/livestream/{stream.code}/").content.decode()

    assert "Gạo ST25" not in page
    assert "/dat-hang/" not in page
