from datetime import timedelta

from django.utils import timezone

from catalog import selectors, services


def listed_names() -> set[str]:
    return set(selectors.listed_products().values_list("name", flat=True))


def test_product_of_verified_producer_with_current_certificate_is_listed(in_hanoi):
    in_hanoi.listed(name="Rau cải")

    assert listed_names() == {"Rau cải"}


def test_product_of_unverified_producer_is_not_listed(in_hanoi):
    # given a producer who only applied, with a verified certificate
    producer = services.apply_producer(
        name="Hộ Bà Tư",
        kind="household",
        contact_name="Bà Tư",
        phone="0987654321",
        province_code=1,
    )
    in_hanoi.certificate(producer)

    # when it adds a product
    in_hanoi.product(producer, name="Trứng gà")

    # then the public does not see it
    assert listed_names() == set()


def test_product_with_only_a_pending_certificate_is_not_listed(in_hanoi):
    in_hanoi.certificate(verified=False)
    in_hanoi.product(name="Rau cải")

    assert listed_names() == set()


def test_product_with_an_expired_certificate_is_not_listed(in_hanoi):
    certificate = in_hanoi.certificate()
    in_hanoi.product(name="Rau cải")
    tomorrow_after_expiry = certificate.expires_on + timedelta(days=1)

    assert (
        set(
            selectors.listed_products(tomorrow_after_expiry).values_list(
                "name", flat=True
            )
        )
        == set()
    )
    assert listed_names() == {"Rau cải"}


def test_verified_exemption_lists_products(in_hanoi):
    in_hanoi.certificate(kind="exempt", number="", issuer="", issued_on=None)
    in_hanoi.product(name="Bánh chưng")

    assert listed_names() == {"Bánh chưng"}


def test_pending_exemption_does_not_list_products(in_hanoi):
    in_hanoi.certificate(kind="exempt", verified=False, issued_on=None)
    in_hanoi.product(name="Bánh chưng")

    assert listed_names() == set()


def test_certificate_of_one_product_does_not_cover_the_others(in_hanoi):
    covered = in_hanoi.product(name="Mật ong")
    in_hanoi.product(name="Rau cải")
    in_hanoi.certificate(product=covered)

    assert listed_names() == {"Mật ong"}


def test_another_producers_certificate_covers_nothing_of_mine(in_hanoi):
    in_hanoi.certificate(in_hanoi.producer_b)
    in_hanoi.product(name="Rau cải")

    assert listed_names() == set()


def test_suspended_producer_products_leave_the_catalog(in_hanoi):
    in_hanoi.listed(name="Rau cải")

    services.suspend_producer(
        producer=in_hanoi.producer_a, actor=in_hanoi.staff, reason="Kiểm tra lại"
    )

    assert listed_names() == set()


def test_product_switched_off_is_not_listed(in_hanoi):
    product = in_hanoi.listed(name="Rau cải")

    services.update_product(product=product, actor=in_hanoi.owner_a, active=False)

    assert listed_names() == set()


def test_ocop_stars_come_from_the_best_current_rating(in_hanoi):
    in_hanoi.certificate(kind="ocop", ocop_stars=3, number="OCOP-3")
    in_hanoi.certificate(kind="ocop", ocop_stars=4, number="OCOP-4")
    in_hanoi.product(name="Trà xanh")

    products = selectors.attach_ocop_stars(selectors.catalog_products(stars=4))

    assert [(p.name, p.ocop_stars) for p in products] == [("Trà xanh", 4)]
    assert list(selectors.catalog_products(stars=3)) == products
    assert list(selectors.catalog_products(stars=5)) == []


def test_listing_today_uses_the_local_date(in_hanoi):
    in_hanoi.certificate(expires_in=0)
    in_hanoi.product(name="Rau cải")

    # A certificate is good through its expiry day.
    assert selectors.listed_products(timezone.localdate()).count() == 1
