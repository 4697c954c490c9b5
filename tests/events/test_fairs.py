from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tenants.utils import schema_context

from events import selectors, services
from events.models import Booth, BoothSale, Fair
from network.models import AuditEntry
from tests.events.conftest import open_fair, product_of, verified_producer


def test_a_fair_that_ends_before_it_starts_is_refused_and_nothing_is_saved(
    hanoi, people
):
    with schema_context(hanoi.schema):
        starts = timezone.now() + timedelta(days=3)
        with pytest.raises(ValidationError) as caught:
            services.create_fair(
                actor=people["staff"],
                kind=Fair.Kind.MARKET,
                title="Phiên chợ",
                starts_at=starts,
                ends_at=starts - timedelta(hours=1),
                venue="Nhà văn hoá",
            )

        assert "ends_at" in caught.value.message_dict
        assert not Fair.objects.exists()


def test_only_staff_create_fairs(hanoi, people):
    with schema_context(hanoi.schema), pytest.raises(ValidationError):
        open_fair(people["producer"])


def test_producer_applies_and_staff_accept_the_booth(hanoi, people, producer):
    with schema_context(hanoi.schema):
        # given an open fair and a producer's product
        fair = open_fair(people["staff"])
        plum = product_of(producer, people["staff"], "Mận hậu")

        # when a producer applies and staff accept
        booth = services.apply_for_booth(
            actor=people["producer"],
            fair=fair,
            producer=producer,
            products=[plum],
            products_note="Mận sấy",
        )
        services.accept_booth(actor=people["staff"], booth=booth, label="A12")

        # then the booth is accepted, shown, and the decision is audited
        booth.refresh_from_db()
        assert booth.status == Booth.Status.ACCEPTED
        assert booth.label == "A12"
        assert booth.decided_by == people["staff"]
        assert list(booth.products.all()) == [plum]
        assert selectors.accepted_booths(fair) == [booth]
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        assert {"booth_applied", "booth_accepted"} <= actions


def test_a_producer_cannot_apply_twice_for_the_same_fair(hanoi, people, producer):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
        services.apply_for_booth(actor=people["producer"], fair=fair, producer=producer)

        with pytest.raises(ValidationError):
            services.apply_for_booth(
                actor=people["producer"], fair=fair, producer=producer
            )
        assert fair.booths.count() == 1


def test_a_member_without_producer_role_cannot_apply(hanoi, people, producer):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])

        with pytest.raises(ValidationError):
            services.apply_for_booth(
                actor=people["member"], fair=fair, producer=producer
            )


def test_a_draft_fair_takes_no_applications(hanoi, people, producer):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
        Fair.objects.filter(pk=fair.pk).update(status=Fair.Status.DRAFT)

        with pytest.raises(ValidationError):
            services.apply_for_booth(
                actor=people["producer"], fair=fair, producer=producer
            )


def test_a_decided_booth_cannot_be_decided_again(hanoi, people, producer):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
        booth = services.apply_for_booth(
            actor=people["producer"], fair=fair, producer=producer
        )
        services.reject_booth(actor=people["staff"], booth=booth, reason="Hết chỗ")

        with pytest.raises(ValidationError):
            services.accept_booth(actor=people["staff"], booth=booth)
        booth.refresh_from_db()
        assert booth.status == Booth.Status.REJECTED


def test_staff_record_sales_after_the_event_and_they_count_in_totals(
    hanoi, people, producer
):
    with schema_context(hanoi.schema):
        # given an accepted booth at a fair that has started
        fair = open_fair(people["staff"])
        booth = services.apply_for_booth(
            actor=people["producer"], fair=fair, producer=producer
        )
        services.accept_booth(actor=people["staff"], booth=booth)
        Fair.objects.filter(pk=fair.pk).update(
            starts_at=timezone.now() - timedelta(days=2),
            ends_at=timezone.now() - timedelta(days=1),
        )

        # when staff record the booth's sales
        services.record_booth_sale(
            actor=people["staff"],
            booth=booth,
            amount=12_345_000,
            weight_kg="350.5",
            orders_count=120,
        )

        # then the sale is audited and counts in the fair's and the site's figures
        assert selectors.fair_sales(fair)["amount"] == 12_345_000
        totals = selectors.event_totals()
        assert totals["booth_weight_kg"] == Decimal("350.5")
        assert totals["fairs_held"] == 1
        audit = AuditEntry.objects.get(action="booth_sale_recorded")
        assert audit.actor == people["staff"]
        assert audit.detail["amount"] == 12_345_000


def test_sales_cannot_be_recorded_before_the_event_or_for_a_waiting_booth(
    hanoi, people, producer
):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
        booth = services.apply_for_booth(
            actor=people["producer"], fair=fair, producer=producer
        )

        with pytest.raises(ValidationError):
            services.record_booth_sale(actor=people["staff"], booth=booth, amount=1)
        services.accept_booth(actor=people["staff"], booth=booth)
        with pytest.raises(ValidationError):
            services.record_booth_sale(actor=people["staff"], booth=booth, amount=1)
        assert not BoothSale.objects.exists()


def test_producer_applies_from_the_portal_page_with_their_own_products(
    hanoi, people, producer, hanoi_client
):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
        plum = product_of(producer, people["staff"], "Mận hậu")
        other = verified_producer("Hộ Bà Hoa", None, people["staff"])
        product_of(other, people["staff"], "Miến dong")
    hanoi_client.login_to_admin("nsx@hanoi.test")
    url = f"/nha-san-xuat/hoi-cho/{fair.pk}/dang-ky/"

    page = hanoi_client.get(url).content.decode()
    response = hanoi_client.post(
        url, {"producer": producer.pk, "products": [plum.pk], "products_note": "Ô"}
    )

    assert "Mận hậu" in page
    assert "Miến dong" not in page
    assert response.status_code == 302
    with schema_context(hanoi.schema):
        booth = Booth.objects.get()
        assert booth.producer == producer
        assert list(booth.products.all()) == [plum]


def test_the_portal_page_refuses_another_producers_product_and_producer(
    hanoi, people, producer, hanoi_client
):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
        other = verified_producer("Hộ Bà Hoa", None, people["staff"])
        noodles = product_of(other, people["staff"], "Miến dong")
    hanoi_client.login_to_admin("nsx@hanoi.test")
    url = f"/nha-san-xuat/hoi-cho/{fair.pk}/dang-ky/"

    foreign_product = hanoi_client.post(
        url, {"producer": producer.pk, "products": [noodles.pk]}
    )
    foreign_producer = hanoi_client.post(url, {"producer": other.pk})

    assert foreign_product.status_code == 200
    assert foreign_producer.status_code == 200
    with schema_context(hanoi.schema):
        assert not Booth.objects.exists()


def test_a_producer_account_without_a_producer_record_gets_404(
    hanoi, people, hanoi_client
):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
    hanoi_client.login_to_admin("nsx@hanoi.test")

    response = hanoi_client.get(f"/nha-san-xuat/hoi-cho/{fair.pk}/dang-ky/")

    assert response.status_code == 404


def test_a_producer_cannot_apply_for_someone_elses_producer_or_products(
    hanoi, people, producer
):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
        other = verified_producer("Hộ Bà Hoa", None, people["staff"])
        noodles = product_of(other, people["staff"], "Miến dong")

        with pytest.raises(ValidationError):
            services.apply_for_booth(
                actor=people["producer"], fair=fair, producer=other
            )
        with pytest.raises(ValidationError):
            services.apply_for_booth(
                actor=people["producer"],
                fair=fair,
                producer=producer,
                products=[noodles],
            )
        assert not fair.booths.exists()


def test_booth_page_answers_404_to_members_and_to_missing_fairs(
    hanoi, people, hanoi_client
):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
    hanoi_client.login_to_admin("hoivien@hanoi.test")

    assert (
        hanoi_client.get(f"/nha-san-xuat/hoi-cho/{fair.pk}/dang-ky/").status_code == 404
    )
    assert hanoi_client.get("/nha-san-xuat/hoi-cho/999999/dang-ky/").status_code == 404


def test_another_provinces_producer_cannot_reach_a_fair(hanoi, hue, people, hue_client):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
    with schema_context(hue.schema):
        from tenants import roles
        from tests.events.conftest import user_in

        user_in("nsx@hue.test", roles.PRODUCERS)
    hue_client.login_to_admin("nsx@hue.test")

    response = hue_client.get(f"/nha-san-xuat/hoi-cho/{fair.pk}/dang-ky/")

    assert response.status_code == 404


def test_staff_accept_a_booth_from_the_admin_screen(
    hanoi, people, hanoi_client, producer
):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
        booth = services.apply_for_booth(
            actor=people["producer"], fair=fair, producer=producer
        )
    hanoi_client.login_to_admin(hanoi.staff_email)

    listing = hanoi_client.get("/admin/events/booths/")
    response = hanoi_client.post(
        f"/admin/events/booths/{booth.pk}/decide/",
        {"decision": "accept", "label": "B3"},
    )

    assert listing.status_code == 200
    assert "HTX Mận Mộc Châu" in listing.content.decode()
    assert response.status_code == 302
    with schema_context(hanoi.schema):
        assert Booth.objects.get().status == Booth.Status.ACCEPTED


def test_a_producer_cannot_open_the_booth_admin_screen(hanoi, people, hanoi_client):
    hanoi_client.login_to_admin("nsx@hanoi.test")

    response = hanoi_client.get("/admin/events/booths/")

    assert response.status_code in {302, 404}
