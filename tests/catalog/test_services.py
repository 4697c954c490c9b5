from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalog import services
from catalog.models import Certificate, Producer, Product, ProductChange
from network.models import AuditEntry

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def errors_of(raised) -> dict:
    return raised.value.message_dict


def apply(**overrides):
    fields = {
        "name": "HTX Nông sản Mê Linh",
        "kind": "cooperative",
        "contact_name": "Trần Thị Mai",
        "phone": "0912 345 678",
        "province_code": 1,
    }
    fields.update(overrides)
    return services.apply_producer(**fields)


def test_application_stores_the_phone_as_plus_84(in_hanoi):
    producer = apply(phone="091 234 5678")

    assert str(producer.phone) == "+84912345678"
    assert producer.status == Producer.Status.APPLIED


def test_application_with_a_bad_phone_writes_nothing(in_hanoi):
    before = Producer.objects.count()

    with pytest.raises(ValidationError) as raised:
        apply(phone="0123")

    assert "phone" in errors_of(raised)
    assert Producer.objects.count() == before


def test_producer_may_produce_in_another_province(in_hanoi):
    # 66 is Đắk Lắk; 24823 is one of its wards would be a guess, so use none.
    producer = apply(province_code=66)

    assert producer.province_code == 66


def test_ward_must_belong_to_the_production_province(in_hanoi):
    with pytest.raises(ValidationError) as raised:
        apply(province_code=46, ward_code=70)  # Hoàn Kiếm is in Hà Nội

    assert "ward_code" in errors_of(raised)
    assert apply(province_code=1, ward_code=70).ward_code == 70


def test_slug_of_a_vietnamese_name_keeps_d_for_đ(in_hanoi):
    assert apply(name="Đặc sản Đồng Tháp").slug == "dac-san-dong-thap"


def test_certificate_expiring_before_issue_is_refused(in_hanoi):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as raised:
        in_hanoi.certificate(issued_on=today, expires_on=today - timedelta(days=1))

    assert "expires_on" in errors_of(raised)
    assert not Certificate.objects.exists()


def test_vietgap_longer_than_two_years_is_refused(in_hanoi):
    today = timezone.localdate()

    with pytest.raises(ValidationError) as raised:
        in_hanoi.certificate(
            issued_on=today - timedelta(days=1), expires_on=today + timedelta(days=800)
        )

    assert "expires_on" in errors_of(raised)


def test_ocop_needs_three_to_five_stars_and_others_none(in_hanoi):
    with pytest.raises(ValidationError) as raised:
        in_hanoi.certificate(kind="ocop", ocop_stars=2)
    assert "ocop_stars" in errors_of(raised)

    with pytest.raises(ValidationError) as raised:
        in_hanoi.certificate(kind="vietgap", ocop_stars=4)
    assert "ocop_stars" in errors_of(raised)


def test_exemption_has_no_expiry(in_hanoi):
    exemption = in_hanoi.certificate(
        kind="exempt", number="", issuer="", expires_on=timezone.localdate()
    )

    assert exemption.expires_on is None


@pytest.mark.parametrize(
    "name, content",
    [("scan.pdf", b"MZ\x90\x00 not a pdf"), ("scan.exe", PDF), ("photo.png", PDF)],
)
def test_scan_that_is_not_an_image_or_pdf_is_refused(in_hanoi, name, content):
    with pytest.raises(ValidationError) as raised:
        in_hanoi.certificate(scan=SimpleUploadedFile(name, content))

    assert "scan" in errors_of(raised)
    assert not Certificate.objects.exists()


def test_scan_over_five_megabytes_is_refused(in_hanoi):
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (5 * 1024 * 1024))

    with pytest.raises(ValidationError) as raised:
        in_hanoi.certificate(scan=big)

    assert "scan" in errors_of(raised)


def test_pdf_and_png_scans_are_stored(in_hanoi):
    pdf = in_hanoi.certificate(scan=SimpleUploadedFile("a.pdf", PDF))
    png = in_hanoi.certificate(scan=SimpleUploadedFile("b.PNG", PNG))

    assert pdf.scan.name.endswith(".pdf")
    assert png.scan.read().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "price, market_price",
    [(-1000, 20_000), (0, 20_000), (20_000, 600_000_000), ("12.5", 20_000), ("", 1)],
)
def test_negative_zero_absurd_or_fractional_prices_write_nothing(
    in_hanoi, price, market_price
):
    with pytest.raises(ValidationError):
        in_hanoi.product(price=price, market_price=market_price)

    assert not Product.objects.exists()


def test_member_price_above_market_needs_confirmation(in_hanoi):
    with pytest.raises(ValidationError) as raised:
        in_hanoi.product(price=30_000, market_price=25_000)
    assert raised.value.error_dict["price"][0].code == "above_market"

    product = in_hanoi.product(
        price=30_000, market_price=25_000, confirm_above_market=True
    )
    assert product.price == 30_000


def test_mass_units_weigh_what_their_name_says(in_hanoi):
    product = in_hanoi.product(unit="yen", unit_weight_kg="3")
    bottle = in_hanoi.product(name="Nước mắm", unit="bottle", unit_weight_kg="0.5")

    assert str(product.unit_weight_kg) == "10.000"
    assert str(bottle.unit_weight_kg) == "0.500"
    with pytest.raises(ValidationError):
        in_hanoi.product(name="Hộp quà", unit="box", unit_weight_kg="0")


def test_producer_cannot_act_for_another_producer(in_hanoi):
    with pytest.raises(PermissionDenied):
        services.create_product(
            producer=in_hanoi.producer_b,
            actor=in_hanoi.owner_a,
            category=in_hanoi.vegetables,
            name="Giả mạo",
            unit="kg",
            price=1000,
            market_price=2000,
        )


def test_only_staff_verify(in_hanoi):
    certificate = in_hanoi.certificate(verified=False)

    for outsider in (in_hanoi.owner_a, in_hanoi.coordinator, in_hanoi.member):
        with pytest.raises(PermissionDenied):
            services.verify_certificate(certificate=certificate, actor=outsider)


def test_verifications_leave_audit_rows(in_hanoi):
    certificate = in_hanoi.certificate()

    entry = AuditEntry.objects.get(
        action="certificate_verified", object_id=str(certificate.pk)
    )
    assert entry.actor == in_hanoi.staff
    assert entry.detail["after"] == {"status": "verified"}
    assert AuditEntry.objects.filter(
        action="verified", object_id=str(in_hanoi.producer_a.pk)
    ).exists()


def test_producers_price_change_on_a_listed_product_waits_for_review(in_hanoi):
    # given a listed product at 20.000 ₫
    product = in_hanoi.listed(price=20_000, market_price=25_000)

    # when its producer raises the price and renames it
    product, change = services.update_product(
        product=product, actor=in_hanoi.owner_a, price=22_000, name="Rau muống sạch"
    )

    # then the name changes at once, the price only after review
    product.refresh_from_db()
    assert product.name == "Rau muống sạch"
    assert product.price == 20_000
    assert change.status == ProductChange.Status.PENDING
    assert AuditEntry.objects.filter(action="price_change_proposed").count() == 1

    # and staff approval applies it, with an audit row of before and after
    services.approve_product_change(change=change, actor=in_hanoi.staff)
    product.refresh_from_db()
    assert product.price == 22_000
    approved = AuditEntry.objects.get(action="price_change_approved")
    before, after = approved.detail["before"], approved.detail["after"]
    assert (before["price"], after["price"]) == (20_000, 22_000)
    assert approved.actor == in_hanoi.staff


def test_rejected_price_change_leaves_the_price(in_hanoi):
    product = in_hanoi.listed(price=20_000, market_price=25_000)
    _product, change = services.update_product(
        product=product, actor=in_hanoi.owner_a, origin="Đà Lạt"
    )

    services.reject_product_change(change=change, actor=in_hanoi.staff, reason="Sai")

    product.refresh_from_db()
    assert product.origin == "Gia Lâm, Hà Nội"
    assert AuditEntry.objects.filter(action="price_change_rejected").exists()


def test_a_new_proposal_replaces_the_waiting_one(in_hanoi):
    product = in_hanoi.listed()
    services.update_product(product=product, actor=in_hanoi.owner_a, price=21_000)
    services.update_product(product=product, actor=in_hanoi.owner_a, price=19_000)

    assert list(product.changes.values_list("price", flat=True)) == [19_000]


def test_price_of_an_unlisted_product_changes_at_once_with_audit(in_hanoi):
    product = in_hanoi.product(price=20_000)

    product, change = services.update_product(
        product=product, actor=in_hanoi.owner_a, price=18_000
    )

    assert change is None
    assert product.price == 18_000
    assert AuditEntry.objects.filter(action="price_changed").count() == 1


def test_staff_price_change_applies_at_once(in_hanoi):
    product = in_hanoi.listed(price=20_000)

    product, change = services.update_product(
        product=product, actor=in_hanoi.staff, price=15_000
    )

    assert change is None and product.price == 15_000
