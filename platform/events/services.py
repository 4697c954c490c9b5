"""Writes of fairs, booths and livestreams. Views, admin and tasks call these."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from api.changes import counts_for_reports
from catalog.models import Producer, Product
from ketnoi import access
from network import audit as audit_trail

from .models import (
    Booth,
    BoothSale,
    Fair,
    Livestream,
    LivestreamOrder,
    LivestreamReminder,
)
from .validation import check_period, check_stream_url

logger = logging.getLogger(__name__)

REMINDER_LEAD = timedelta(minutes=30)


def audit(actor: Any, action: str, obj: Any, **detail: Any) -> None:
    """One row of the province's shared audit trail (`network.audit`)."""
    audit_trail.record(actor=actor, action=action, obj=obj, **detail)


def _require_staff(actor: Any) -> None:
    if not access.is_staff(actor):
        raise ValidationError(_("Only union staff may do this."), code="not_staff")


def _changes(before: Any, after: Any) -> dict[str, list[str]]:
    """Fields whose values differ, as [old, new] text for the audit row."""
    changes = {}
    for field in after._meta.concrete_fields:
        old = getattr(before, field.attname)
        new = getattr(after, field.attname)
        if old != new:
            changes[field.name] = [str(old), str(new)]
    return changes


# --- fairs and booths --------------------------------------------------------


@counts_for_reports
@transaction.atomic
def create_fair(
    *,
    actor: Any,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    venue: str,
    organisers: str = "",
    description: str = "",
    ward_code: str = "",
    status: str = Fair.Status.DRAFT,
) -> Fair:
    _require_staff(actor)
    check_period(starts_at, ends_at)
    fair = Fair(
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue.strip(),
        organisers=organisers.strip(),
        description=description,
        ward_code=ward_code,
        status=status,
    )
    fair.full_clean()
    fair.save()
    audit(actor, "fair_created", fair, title=fair.title)
    return fair


@counts_for_reports
@transaction.atomic
def save_fair(*, actor: Any, fair: Fair) -> Fair:
    """Create or change a fair as staff edit it; the audit row lists changes."""
    _require_staff(actor)
    check_period(fair.starts_at, fair.ends_at)
    fair.full_clean()
    if fair.pk is None:
        fair.save()
        audit(actor, "fair_created", fair, title=fair.title)
        return fair
    before = Fair.objects.select_for_update().get(pk=fair.pk)
    changes = _changes(before, fair)
    fair.save()
    if changes:
        audit(actor, "fair_changed", fair, changes=changes)
    return fair


@counts_for_reports
@transaction.atomic
def apply_for_booth(
    *,
    actor: Any,
    fair: Fair,
    producer: Producer,
    products: Iterable[Product] = (),
    products_note: str = "",
) -> Booth:
    """A verified producer asks for a booth at a fair that takes applications.

    The actor is one of the producer's portal accounts, or union staff
    applying on the producer's behalf.
    """
    is_staff = access.is_staff(actor)
    if not is_staff and not (
        access.is_producer(actor) and producer.users.filter(pk=actor.pk).exists()
    ):
        raise ValidationError(_("Only producers may apply for a booth."))
    if producer.status != Producer.Status.VERIFIED:
        raise ValidationError(
            _("Only a verified producer may apply for a booth."), code="not_verified"
        )
    products = list(products)
    if any(product.producer_id != producer.pk for product in products):
        raise ValidationError(
            {"products": _("Choose only the producer's own products.")},
            code="foreign_product",
        )
    fair = Fair.objects.select_for_update().get(pk=fair.pk)
    if fair.status != Fair.Status.OPEN or fair.ends_at <= timezone.now():
        raise ValidationError(
            _("This fair does not take booth applications."), code="fair_closed"
        )
    if fair.booths.filter(producer=producer).exists():
        raise ValidationError(
            _("This producer has already applied for a booth at this fair."),
            code="duplicate",
        )
    booth = Booth.objects.create(
        fair=fair,
        producer=producer,
        products_note=products_note.strip(),
        applied_by=actor,
    )
    booth.products.set(products)
    audit(
        actor,
        "booth_applied",
        booth,
        fair=fair.pk,
        producer=producer.pk,
        products=[product.pk for product in products],
    )
    logger.info(
        "Booth %s applied for fair %s by producer %s", booth.pk, fair.pk, producer.pk
    )
    return booth


def _decide_booth(
    *, actor: Any, booth: Booth, status: str, note: str, label: str = ""
) -> Booth:
    _require_staff(actor)
    booth = Booth.objects.select_for_update().get(pk=booth.pk)
    if booth.status != Booth.Status.APPLIED:
        raise ValidationError(
            _("Only a waiting application can be decided."), code="wrong_status"
        )
    booth.status = status
    booth.decided_by = actor
    booth.decided_at = timezone.now()
    booth.decision_note = note.strip()
    if label:
        booth.label = label.strip()
    booth.save()
    audit(actor, f"booth_{status}", booth, note=booth.decision_note)
    return booth


@counts_for_reports
@transaction.atomic
def accept_booth(*, actor: Any, booth: Booth, label: str = "", note: str = "") -> Booth:
    return _decide_booth(
        actor=actor, booth=booth, status=Booth.Status.ACCEPTED, note=note, label=label
    )


@counts_for_reports
@transaction.atomic
def reject_booth(*, actor: Any, booth: Booth, reason: str = "") -> Booth:
    return _decide_booth(
        actor=actor, booth=booth, status=Booth.Status.REJECTED, note=reason
    )


@counts_for_reports
@transaction.atomic
def record_booth_sale(
    *,
    actor: Any,
    booth: Booth,
    amount: int,
    weight_kg: Decimal | int | str = 0,
    orders_count: int = 0,
    note: str = "",
) -> BoothSale:
    """Staff record what an accepted booth sold, once the event has started."""
    _require_staff(actor)
    booth = Booth.objects.select_related("fair").get(pk=booth.pk)
    if booth.status != Booth.Status.ACCEPTED:
        raise ValidationError(
            _("Sales can only be recorded for an accepted booth."), code="not_accepted"
        )
    if booth.fair.starts_at > timezone.now():
        raise ValidationError(
            _("Sales can be recorded once the event has started."), code="too_early"
        )
    weight = Decimal(str(weight_kg))
    if amount < 0 or weight < 0 or orders_count < 0:
        raise ValidationError(
            _("Sales, weight and orders cannot be negative."), code="negative"
        )
    sale = BoothSale.objects.create(
        booth=booth,
        amount=int(amount),
        weight_kg=weight,
        orders_count=orders_count,
        note=note.strip(),
        recorded_by=actor,
    )
    audit(
        actor,
        "booth_sale_recorded",
        sale,
        booth=booth.pk,
        amount=sale.amount,
        weight_kg=str(weight),
        orders=orders_count,
    )
    return sale


# --- livestreams -------------------------------------------------------------


@counts_for_reports
@transaction.atomic
def schedule_livestream(
    *,
    actor: Any,
    title: str,
    scheduled_at: datetime,
    channel: str,
    url: str,
    host_name: str,
    description: str = "",
    fair: Fair | None = None,
    featured_products: Iterable[Product] = (),
) -> Livestream:
    _require_staff(actor)
    check_stream_url(channel, url)
    stream = Livestream(
        title=title.strip(),
        scheduled_at=scheduled_at,
        channel=channel,
        url=url.strip(),
        host_name=host_name.strip(),
        description=description,
        fair=fair,
    )
    stream.full_clean()
    stream.save()
    featured = list(featured_products)
    stream.featured_products.set(featured)
    audit(
        actor,
        "livestream_scheduled",
        stream,
        channel=channel,
        products=[product.pk for product in featured],
    )
    return stream


@counts_for_reports
@transaction.atomic
def save_livestream(
    *,
    actor: Any,
    livestream: Livestream,
    featured_products: Iterable[Product] | None = None,
) -> Livestream:
    """Create or change a livestream as staff edit it, with its products."""
    _require_staff(actor)
    check_stream_url(livestream.channel, livestream.url)
    livestream.full_clean()
    created = livestream.pk is None
    changes: dict[str, Any] = {}
    if not created:
        before = Livestream.objects.select_for_update().get(pk=livestream.pk)
        changes = _changes(before, livestream)
    livestream.save()
    if featured_products is not None:
        wanted = sorted(product.pk for product in featured_products)
        current = sorted(livestream.featured_products.values_list("pk", flat=True))
        if wanted != current:
            livestream.featured_products.set(wanted)
            changes["featured_products"] = [current, wanted]
    if created:
        audit(actor, "livestream_scheduled", livestream, channel=livestream.channel)
    elif changes:
        audit(actor, "livestream_changed", livestream, changes=changes)
    return livestream


@counts_for_reports
@transaction.atomic
def subscribe_to_livestream(
    *, livestream: Livestream, email: str
) -> LivestreamReminder:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("Enter a valid email address.")}, code="invalid"
        ) from None
    if livestream.scheduled_at <= timezone.now():
        raise ValidationError(_("This livestream has already started."), code="started")
    reminder, _created = LivestreamReminder.objects.get_or_create(
        livestream=livestream, email=email
    )
    return reminder


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Email everyone waiting for a stream that starts within the lead time.

    Each stream is claimed under a row lock and marked before mail goes out,
    so two workers never remind the same people twice.
    """
    now = now or timezone.now()
    sent = 0
    due = Livestream.objects.filter(
        status=Livestream.Status.SCHEDULED,
        reminder_sent_at__isnull=True,
        scheduled_at__gt=now,
        scheduled_at__lte=now + REMINDER_LEAD,
    ).values_list("pk", flat=True)
    for stream_id in list(due):
        with transaction.atomic():
            stream = (
                Livestream.objects.select_for_update(skip_locked=True)
                .filter(pk=stream_id, reminder_sent_at__isnull=True)
                .first()
            )
            if stream is None:
                continue
            stream.reminder_sent_at = now
            stream.save(update_fields=["reminder_sent_at"])
            reminders = list(stream.reminders.filter(sent_at__isnull=True))
            for reminder in reminders:
                _send_reminder(stream, reminder.email)
            stream.reminders.filter(pk__in=[r.pk for r in reminders]).update(
                sent_at=now
            )
            sent += len(reminders)
        logger.info("Reminded %s people of livestream %s", len(reminders), stream.pk)
    return sent


def _send_reminder(stream: Livestream, email: str) -> None:
    local = timezone.localtime(stream.scheduled_at)
    subject = _("Starting soon: %(title)s") % {"title": stream.title}
    body = _(
        'The livestream "%(title)s" starts at %(time)s.\n'
        "Watch: %(url)s\nOrder during the stream: %(short)s"
    ) % {
        "title": stream.title,
        "time": local.strftime("%H:%M %d/%m/%Y"),
        "url": stream.url,
        "short": stream.short_path,
    }
    # Sent after the claim commits, so a rolled-back claim sends nothing.
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    )


@counts_for_reports
@transaction.atomic
def record_livestream_results(
    *, actor: Any, livestream: Livestream, views: int
) -> Livestream:
    _require_staff(actor)
    if views < 0:
        raise ValidationError({"recorded_views": _("Views cannot be negative.")})
    stream = Livestream.objects.select_for_update().get(pk=livestream.pk)
    before = stream.recorded_views
    stream.recorded_views = views
    stream.status = Livestream.Status.FINISHED
    stream.save(update_fields=["recorded_views", "status"])
    audit(actor, "livestream_results", stream, views_before=before, views=views)
    return stream


@counts_for_reports
@transaction.atomic
def record_livestream_order(
    *, livestream: Livestream, order_id: int, order_value: int, actor: Any = None
) -> bool:
    """Count an order placed through a stream's link; the orders app calls this.

    Idempotent per order: calling it again for the same order changes nothing
    and answers False.
    """
    if order_value < 0:
        raise ValidationError(_("An order's value cannot be negative."))
    _row, created = LivestreamOrder.objects.get_or_create(
        order_id=order_id, defaults={"livestream": livestream, "value": order_value}
    )
    if not created:
        return False
    Livestream.objects.filter(pk=livestream.pk).update(
        attributed_orders=F("attributed_orders") + 1,
        attributed_value=F("attributed_value") + order_value,
    )
    audit(actor, "livestream_order", livestream, order=order_id, value=order_value)
    return True
