from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone
from django_tenants.utils import schema_context

from events import services
from events.attribution import current_livestream
from events.models import Livestream, LivestreamReminder
from network.models import AuditEntry


def schedule(staff, **extra) -> Livestream:
    return services.schedule_livestream(
        actor=staff,
        title=extra.pop("title", "Giải cứu mận Mộc Châu"),
        scheduled_at=extra.pop("scheduled_at", timezone.now() + timedelta(days=1)),
        channel=extra.pop("channel", Livestream.Channel.FACEBOOK),
        url=extra.pop("url", "https://www.facebook.com/hoiphunuhanoi/videos/123"),
        host_name="Chị Thu Hà",
        **extra,
    )


@pytest.mark.parametrize(
    "channel,url",
    [
        ("facebook", "https://fb.watch/abc123/"),
        ("facebook", "https://m.facebook.com/hoiphunu/live"),
        ("youtube", "https://youtu.be/xyz"),
        ("youtube", "https://www.youtube.com/watch?v=xyz"),
        ("tiktok", "https://www.tiktok.com/@hoiphunu/live"),
        ("newspaper", "https://phunuvietnam.vn/livestream-123"),
        ("portal", "https://hanoi.localhost/live"),
    ],
)
def test_links_on_the_chosen_channel_are_accepted(hanoi, people, channel, url):
    with schema_context(hanoi.schema):
        stream = schedule(people["staff"], channel=channel, url=url)

        assert stream.pk


@pytest.mark.parametrize(
    "channel,url",
    [
        ("facebook", "https://www.youtube.com/watch?v=xyz"),
        ("youtube", "https://evil-youtube.com/watch"),
        ("tiktok", "https://tiktok.com.example.org/live"),
        ("facebook", "facebook.com/hoiphunu"),
        ("facebook", "javascript:alert(1)"),
        ("portal", "https://hue.localhost/live"),
    ],
)
def test_links_off_the_channel_are_refused_and_nothing_is_saved(
    hanoi, people, channel, url
):
    with schema_context(hanoi.schema):
        with pytest.raises(ValidationError) as caught:
            schedule(people["staff"], channel=channel, url=url)

        assert "url" in caught.value.message_dict
        assert not Livestream.objects.exists()


def test_the_short_link_remembers_the_stream_for_attribution(
    hanoi, people, hanoi_client
):
    with schema_context(hanoi.schema):
        stream = schedule(people["staff"])

    response = hanoi_client.get(f"/live/{stream.code}/")

    assert response.status_code == 302
    request = RequestFactory().get("/")
    request.session = hanoi_client.session
    with schema_context(hanoi.schema):
        assert current_livestream(request) == stream


def test_a_visitor_without_the_link_has_no_stream(hanoi, hanoi_client):
    request = RequestFactory().get("/")
    request.session = hanoi_client.session

    with schema_context(hanoi.schema):
        assert current_livestream(request) is None


def test_an_unknown_or_other_provinces_code_answers_404(hanoi, hue, people, hue_client):
    with schema_context(hanoi.schema):
        stream = schedule(people["staff"])

    assert hue_client.get(f"/live/{stream.code}/").status_code == 404
    assert hue_client.get("/live/khongco/").status_code == 404


def test_recorded_views_are_audited(hanoi, people):
    with schema_context(hanoi.schema):
        stream = schedule(people["staff"])

        services.record_livestream_results(
            actor=people["staff"], livestream=stream, views=1_200_000
        )

        stream.refresh_from_db()
        assert stream.recorded_views == 1_200_000
        assert stream.status == Livestream.Status.FINISHED
        assert (
            AuditEntry.objects.get(action="livestream_results").actor == people["staff"]
        )


def test_subscribers_are_reminded_once_shortly_before_the_start(
    hanoi, people, django_capture_on_commit_callbacks
):
    with schema_context(hanoi.schema):
        # given a stream in 20 minutes with one subscriber, and one tomorrow
        soon = schedule(
            people["staff"], scheduled_at=timezone.now() + timedelta(minutes=20)
        )
        later = schedule(people["staff"], title="Ngày mai")
        services.subscribe_to_livestream(livestream=soon, email="Lan@Example.vn")
        services.subscribe_to_livestream(livestream=later, email="lan@example.vn")

        # when the reminder run happens twice
        with django_capture_on_commit_callbacks(execute=True):
            first = services.send_due_reminders()
        with django_capture_on_commit_callbacks(execute=True):
            second = services.send_due_reminders()

        # then only the soon stream's subscriber got one email
        assert (first, second) == (1, 0)
        assert [m.to for m in mail.outbox] == [["lan@example.vn"]]
        assert soon.title in mail.outbox[0].subject
        assert LivestreamReminder.objects.filter(sent_at__isnull=False).count() == 1


def test_subscribing_with_a_bad_email_saves_nothing(hanoi, people, hanoi_client):
    with schema_context(hanoi.schema):
        stream = schedule(people["staff"])

    response = hanoi_client.post(f"/live/{stream.code}/nhac-toi/", {"email": "khong"})

    assert response.status_code == 400
    with schema_context(hanoi.schema):
        assert not LivestreamReminder.objects.exists()


def test_the_reminder_beat_task_runs_in_every_province(hanoi, hue, people):
    from events.tasks import remind_all_provinces

    assert remind_all_provinces() >= 2
