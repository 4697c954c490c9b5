"""Fairs, market sessions and livestream sales of one province."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validation import check_period, check_stream_url


class Fair(models.Model):
    class Kind(models.TextChoices):
        FAIR = "fair", _("Fair")
        MARKET = "market", _("Market session")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for booth applications")
        CLOSED = "closed", _("Applications closed")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=300)
    ward_code = models.CharField(
        _("commune or ward code"), max_length=5, blank=True, db_index=True
    )
    organisers = models.CharField(_("organisers"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("fair or market session")
        verbose_name_plural = _("fairs and market sessions")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="fair_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        check_period(self.starts_at, self.ends_at)

    @property
    def is_public(self) -> bool:
        return self.status in {self.Status.OPEN, self.Status.CLOSED}


class Booth(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    fair = models.ForeignKey(
        Fair, on_delete=models.CASCADE, related_name="booths", verbose_name=_("fair")
    )
    # Booth sales are reported per producer, so a producer with booths stays.
    producer = models.ForeignKey(
        "catalog.Producer",
        on_delete=models.PROTECT,
        related_name="booths",
        verbose_name=_("producer"),
    )
    products = models.ManyToManyField(
        "catalog.Product",
        blank=True,
        related_name="booths",
        verbose_name=_("products"),
    )
    products_note = models.TextField(_("products on offer"), blank=True)
    label = models.CharField(_("booth number"), max_length=20, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        ordering = ["fair", "label", "producer__name"]
        constraints = [
            # Given as expressions so that PostgreSQL keeps it as a unique index:
            # provinces cloned from the template schema get unique constraints
            # renamed but index names kept, and migrations find it by name.
            models.UniqueConstraint(
                models.F("fair"),
                models.F("producer"),
                name="one_booth_per_producer_per_fair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.producer} — {self.fair}"


class BoothSale(models.Model):
    """Sales a booth made, recorded by staff after the event; counted in reports."""

    booth = models.ForeignKey(
        Booth, on_delete=models.PROTECT, related_name="sales", verbose_name=_("booth")
    )
    amount = models.PositiveBigIntegerField(_("sales (đồng)"))
    weight_kg = models.DecimalField(
        _("weight sold (kg)"), max_digits=12, decimal_places=3, default=0
    )
    orders_count = models.PositiveIntegerField(_("orders"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("booth sale")
        verbose_name_plural = _("booth sales")
        ordering = ["-recorded_at"]


def new_stream_code() -> str:
    # Short enough to read out loud during a stream, long enough not to guess.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(7))


class Livestream(models.Model):
    class Channel(models.TextChoices):
        FACEBOOK = "facebook", _("Facebook fanpage")
        YOUTUBE = "youtube", _("YouTube")
        TIKTOK = "tiktok", _("TikTok")
        PORTAL = "portal", _("The union's portal")
        NEWSPAPER = "newspaper", _("Newspaper page")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    scheduled_at = models.DateTimeField(_("scheduled at"), db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    url = models.URLField(_("stream link"), max_length=500)
    host_name = models.CharField(_("host"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    fair = models.ForeignKey(
        Fair,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="livestreams",
        verbose_name=_("during fair"),
    )
    featured_products = models.ManyToManyField(
        "catalog.Product",
        blank=True,
        related_name="livestreams",
        verbose_name=_("featured products"),
    )
    code = models.CharField(
        _("short code"), max_length=12, unique=True, default=new_stream_code
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    reminder_sent_at = models.DateTimeField(_("reminders sent"), null=True, blank=True)
    recorded_views = models.PositiveBigIntegerField(_("views"), default=0)
    attributed_orders = models.PositiveIntegerField(_("orders"), default=0)
    attributed_value = models.PositiveBigIntegerField(
        _("order value (đồng)"), default=0
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("livestream")
        verbose_name_plural = _("livestreams")
        ordering = ["scheduled_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.url and self.channel:
            check_stream_url(self.channel, self.url)

    @property
    def short_path(self) -> str:
        return f"/live/{self.code}/"


class LivestreamReminder(models.Model):
    """Someone who asked to be told before a livestream starts."""

    livestream = models.ForeignKey(
        Livestream, on_delete=models.CASCADE, related_name="reminders"
    )
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("livestream reminder")
        verbose_name_plural = _("livestream reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["livestream", "email"], name="one_reminder_per_email"
            )
        ]


class LivestreamOrder(models.Model):
    """An order placed through a stream's short link; one row per order."""

    livestream = models.ForeignKey(
        Livestream, on_delete=models.PROTECT, related_name="orders"
    )
    order = models.OneToOneField(
        "orders.Order", on_delete=models.CASCADE, related_name="livestream_credit"
    )
    value = models.PositiveBigIntegerField()
    attributed_at = models.DateTimeField(auto_now_add=True)
