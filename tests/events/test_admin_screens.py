"""Staff edit fairs and livestreams in the admin; every save goes through services."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from events import services
from events.models import Fair
from network.models import AuditEntry

from .conftest import open_fair, product_of


def _when(days: int) -> str:
    moment = timezone.localtime(timezone.now() + timedelta(days=days))
    return moment.strftime("%Y-%m-%d %H:%M")


FAIR_FORM = {
    "kind": "fair",
    "status": "open",
    "title": "Phiên chợ nông sản an toàn",
    "venue": "Nhà văn hoá phường Ba Đình",
    "ward_code": "",
    "organisers": "Hội LHPN phường Ba Đình",
    "description": "",
}


def test_staff_add_a_fair_in_the_admin_and_it_is_audited(hanoi, people, hanoi_client):
    hanoi_client.login_to_admin(hanoi.staff_email)

    response = hanoi_client.post(
        "/admin/fairs/new/",
        {**FAIR_FORM, "starts_at": _when(3), "ends_at": _when(4)},
    )

    assert response.status_code == 302
    with schema_context(hanoi.schema):
        fair = Fair.objects.get(title="Phiên chợ nông sản an toàn")
        audit = AuditEntry.objects.get(action="fair_created", object_id=str(fair.pk))
        assert audit.actor.username == hanoi.staff_email


def test_a_fair_edit_records_what_changed(hanoi, people, hanoi_client):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
    hanoi_client.login_to_admin(hanoi.staff_email)
    starts = timezone.localtime(fair.starts_at).strftime("%Y-%m-%d %H:%M")
    ends = timezone.localtime(fair.ends_at).strftime("%Y-%m-%d %H:%M")

    response = hanoi_client.post(
        f"/admin/fairs/edit/{fair.pk}/",
        {
            **FAIR_FORM,
            "title": fair.title,
            "organisers": fair.organisers,
            "venue": "Công viên Thống Nhất",
            "starts_at": starts,
            "ends_at": ends,
        },
    )

    assert response.status_code == 302
    with schema_context(hanoi.schema):
        audit = AuditEntry.objects.get(action="fair_changed", object_id=str(fair.pk))
        changes = audit.detail["changes"]
        assert changes["venue"] == [
            "Cung Văn hoá Lao động Hữu nghị",
            "Công viên Thống Nhất",
        ]
        assert "title" not in changes and "organisers" not in changes


def test_a_fair_that_ends_before_it_starts_is_refused_and_nothing_saved(
    hanoi, people, hanoi_client
):
    hanoi_client.login_to_admin(hanoi.staff_email)

    response = hanoi_client.post(
        "/admin/fairs/new/",
        {**FAIR_FORM, "starts_at": _when(4), "ends_at": _when(3)},
    )

    assert response.status_code == 200
    with schema_context(hanoi.schema):
        assert not Fair.objects.exists()
        assert not AuditEntry.objects.exists()


def _stream(people, producer):
    product = product_of(producer, people["staff"], "Mận hậu")
    stream = services.schedule_livestream(
        actor=people["staff"],
        title="Mận Mộc Châu vào mùa",
        scheduled_at=timezone.now() + timedelta(days=2),
        channel="facebook",
        url="https://www.facebook.com/hoiphunu/videos/1",
        host_name="Chị Hà",
    )
    return stream, product


def _stream_form(stream, **changes) -> dict:
    return {
        "title": stream.title,
        "scheduled_at": timezone.localtime(stream.scheduled_at).strftime(
            "%Y-%m-%d %H:%M"
        ),
        "channel": stream.channel,
        "url": stream.url,
        "host_name": stream.host_name,
        "fair": "",
        "description": "",
        "featured_products": [],
        "status": stream.status,
        "recorded_views": "0",
        **changes,
    }


def test_a_livestream_edit_with_products_is_audited(
    hanoi, people, producer, hanoi_client
):
    with schema_context(hanoi.schema):
        stream, product = _stream(people, producer)
    hanoi_client.login_to_admin(hanoi.staff_email)

    response = hanoi_client.post(
        f"/admin/livestreams/edit/{stream.pk}/",
        _stream_form(stream, host_name="Chị Lan", featured_products=[product.pk]),
    )

    assert response.status_code == 302
    with schema_context(hanoi.schema):
        stream.refresh_from_db()
        assert list(stream.featured_products.all()) == [product]
        audit = AuditEntry.objects.get(action="livestream_changed")
        assert audit.detail["changes"]["host_name"] == ["Chị Hà", "Chị Lan"]
        assert audit.detail["changes"]["featured_products"] == [[], [product.pk]]


def test_a_link_off_the_chosen_channel_is_refused_in_the_admin(
    hanoi, people, producer, hanoi_client
):
    with schema_context(hanoi.schema):
        stream, _product = _stream(people, producer)
    hanoi_client.login_to_admin(hanoi.staff_email)

    response = hanoi_client.post(
        f"/admin/livestreams/edit/{stream.pk}/",
        _stream_form(stream, url="https://www.youtube.com/watch?v=abc"),
    )

    assert response.status_code == 200
    assert "Facebook" in response.content.decode()
    with schema_context(hanoi.schema):
        stream.refresh_from_db()
        assert stream.url == "https://www.facebook.com/hoiphunu/videos/1"
        assert not AuditEntry.objects.filter(action="livestream_changed").exists()


def test_producers_and_other_provinces_cannot_edit_fairs(
    hanoi, hue, people, hanoi_client, hue_client
):
    with schema_context(hanoi.schema):
        fair = open_fair(people["staff"])
    hanoi_client.login_to_admin("nsx@hanoi.test")
    hue_client.login_to_admin(hue.admin_email)

    producer_try = hanoi_client.get(f"/admin/fairs/edit/{fair.pk}/")
    outsider = hue_client.get(f"/admin/fairs/edit/{fair.pk}/")

    assert producer_try.status_code in (302, 403)
    assert outsider.status_code == 404
