from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import schema_context

from catalog import selectors, services
from catalog.models import Certificate, Product
from catalog.tasks import check_certificate_expiry
from network.models import AuditEntry


@pytest.fixture
def today():
    return timezone.localdate()


def test_warning_goes_thirty_days_before_expiry_once(
    in_hanoi, today, django_capture_on_commit_callbacks
):
    certificate = in_hanoi.certificate(expires_in=30)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.send_expiry_warnings(on=today)
        again = services.send_expiry_warnings(on=today + timedelta(days=1))

    certificate.refresh_from_db()
    assert (first, again) == (1, 0)
    assert certificate.warned_30_on == today
    recipients = {address for message in mail.outbox for address in message.to}
    assert {in_hanoi.owner_a.email, in_hanoi.staff.email} <= recipients
    assert "30" in mail.outbox[0].subject


def test_seven_day_warning_follows_the_thirty_day_one(
    in_hanoi, today, django_capture_on_commit_callbacks
):
    certificate = in_hanoi.certificate(expires_in=30)
    services.send_expiry_warnings(on=today)

    with django_capture_on_commit_callbacks(execute=True):
        services.send_expiry_warnings(on=today + timedelta(days=23))
        services.send_expiry_warnings(on=today + timedelta(days=24))

    certificate.refresh_from_db()
    assert certificate.warned_7_on == today + timedelta(days=23)
    assert len({m.subject for m in mail.outbox}) == 1
    assert "7" in mail.outbox[0].subject


def test_no_warning_far_from_expiry_or_for_exemptions(in_hanoi, today):
    in_hanoi.certificate(expires_in=200)
    in_hanoi.certificate(kind="exempt", number="", issuer="")

    assert services.send_expiry_warnings(on=today) == 0


def test_pending_certificates_are_not_warned_about(in_hanoi, today):
    in_hanoi.certificate(expires_in=7, verified=False)

    assert services.send_expiry_warnings(on=today) == 0


def test_expired_certificate_delists_its_products_with_audit(
    in_hanoi, today, django_capture_on_commit_callbacks
):
    # given a product whose only certificate expires today
    in_hanoi.certificate(expires_in=0)
    product = in_hanoi.product(name="Rau cải")

    # when the check runs tomorrow
    with django_capture_on_commit_callbacks(execute=True):
        delisted = services.delist_expired(on=today + timedelta(days=1))

    # then the product is recorded as delisted once, and its producer told
    product.refresh_from_db()
    assert delisted == [product.pk]
    assert product.delisted_at is not None
    assert AuditEntry.objects.filter(
        action="delisted", object_id=str(product.pk)
    ).exists()
    assert mail.outbox[0].to == [in_hanoi.owner_a.email]
    assert services.delist_expired(on=today + timedelta(days=2)) == []


def test_product_with_another_current_certificate_stays(in_hanoi, today):
    in_hanoi.certificate(expires_in=0)
    in_hanoi.certificate(kind="exempt", number="", issuer="")
    in_hanoi.product(name="Rau cải")

    assert services.delist_expired(on=today + timedelta(days=1)) == []


def test_renewed_certificate_lists_the_product_again(in_hanoi, today):
    in_hanoi.certificate(expires_in=0)
    product = in_hanoi.product(name="Rau cải")
    services.delist_expired(on=today + timedelta(days=1))
    Certificate.objects.update(expires_on=today - timedelta(days=1))

    in_hanoi.certificate(number="VG-002")

    product.refresh_from_db()
    assert product.delisted_at is None
    assert selectors.listed_products().filter(pk=product.pk).exists()


def test_daily_task_runs_in_every_province(
    catalog, hue, today, django_capture_on_commit_callbacks
):
    with schema_context(catalog.schema):
        catalog.certificate(expires_in=0)
        catalog.product(name="Rau cải")

    with django_capture_on_commit_callbacks(execute=True):
        provinces = check_certificate_expiry.delay(
            (today + timedelta(days=1)).isoformat()
        ).get()

    assert provinces == 2  # Hà Nội and Huế; the template and national are skipped
    with schema_context(catalog.schema):
        assert Product.objects.get(name="Rau cải").delisted_at is not None
