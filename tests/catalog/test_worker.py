"""The daily certificate check through a real Celery worker process."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context

from catalog import services
from catalog.models import Category, Producer, Product
from catalog.tasks import check_certificate_expiry
from tests.conftest import wait_for


@pytest.mark.worker
def test_expiry_check_delists_in_a_province_through_a_real_worker(
    celery_worker, committed_db
):
    def cleanup():
        with schema_context("hanoi"):
            Producer.objects.filter(slug__startswith="tho-worker").delete()
            Category.objects.filter(slug="worker-test").delete()

    committed_db.append(cleanup)
    today = timezone.localdate()
    with schema_context("hanoi"):
        staff = get_user_model().objects.get(username="canbo@hanoi.test")
        producer = services.apply_producer(
            name="Tho worker",
            kind="farmer",
            contact_name="Bà Thơ",
            phone="0912000111",
            province_code=1,
        )
        services.verify_producer(producer=producer, actor=staff)
        services.verify_certificate(
            certificate=services.add_certificate(
                producer=producer,
                actor=staff,
                kind="vietgap",
                number="VG-W",
                issuer="Sở NN",
                issued_on=today - timedelta(days=100),
                expires_on=today,
            ),
            actor=staff,
        )
        category = Category.objects.create(name="Worker", slug="worker-test")
        product = services.create_product(
            producer=producer,
            actor=staff,
            category=category,
            name="Rau worker",
            unit="kg",
            price=10_000,
            market_price=12_000,
        )

    check_certificate_expiry.delay((today + timedelta(days=1)).isoformat())

    def delisted() -> bool:
        with schema_context("hanoi"):
            return Product.objects.get(pk=product.pk).delisted_at is not None

    wait_for(delisted, 60, celery_worker.log_path)
