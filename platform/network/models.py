"""The province's union network: units, members, pickup points, support groups."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField
from treebeard.mp_tree import MP_Node

from ketnoi.search import Unaccented

from .units import ward_name


class OrgUnit(MP_Node):
    """One unit of the union's tree: province, commune or ward, branch, group.

    A materialised path keeps subtree reads one indexed prefix query, which
    matters with Hà Nội's 6,000 branches. Writes go through
    `network.services`, which keep `ward_code` filled below the commune level
    (branches and groups carry their commune's code).
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province union")
        COMMUNE = "commune", _("Commune or ward union")
        BRANCH = "branch", _("Branch (chi hội)")
        GROUP = "group", _("Group (tổ)")

    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(
        _("union code"),
        max_length=40,
        blank=True,
        help_text=_("The union's own code for this unit, if it keeps one."),
    )
    ward_code = models.CharField(
        _("commune or ward"), max_length=5, blank=True, db_index=True
    )
    legacy_district = models.CharField(
        _("former district"),
        max_length=100,
        blank=True,
        help_text=_("Kept as history only: districts were abolished in 2025."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    node_order_by: list[str] = []

    class Meta:
        verbose_name = _("union unit")
        verbose_name_plural = _("union units")
        ordering = ["path"]
        indexes = [models.Index(fields=["level", "ward_code"])]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="network_orgunit_code_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ward_name(self) -> str:
        return ward_name(self.ward_code)

    @property
    def indented_name(self) -> str:
        return "— " * (self.depth - 1) + self.name


class Member(models.Model):
    full_name = models.CharField(_("full name"), max_length=200)
    phone = PhoneNumberField(_("phone number"), region="VN", unique=True)
    email = models.EmailField(_("email"), blank=True)
    branch = models.ForeignKey(
        OrgUnit,
        verbose_name=_("branch"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    ward_code = models.CharField(
        _("commune or ward"), max_length=5, blank=True, db_index=True
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The name without accents, for staff who type `nguyen thi lan`.
    search_name = models.GeneratedField(
        expression=Unaccented("full_name"),
        output_field=models.TextField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["full_name", "pk"]
        indexes = [
            # The admin lists members by name; without this a page sorts them all.
            models.Index(fields=["full_name", "id"]),
            # Any part of a name, through trigrams; written directly rather
            # than through a pending list every search would scan.
            GinIndex(
                fields=["search_name"],
                opclasses=["gin_trgm_ops"],
                name="network_member_name_trgm",
                fastupdate=False,
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def ward_name(self) -> str:
        return ward_name(self.ward_code)

    @property
    def phone_display(self) -> str:
        return self.phone.as_national if self.phone else ""


class PickupPoint(models.Model):
    """Where members collect their orders, usually a member's home or shop."""

    name = models.CharField(_("name"), max_length=200)
    host = models.ForeignKey(
        Member,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="hosted_points",
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("union unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pickup_points",
    )
    address = models.CharField(_("address"), max_length=300)
    ward_code = models.CharField(_("commune or ward"), max_length=5, db_index=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), default=50, help_text=_("Orders it can hand out per round.")
    )
    has_cold_storage = models.BooleanField(_("cold storage"), default=False)
    offers_home_delivery = models.BooleanField(_("home delivery"), default=False)
    active = models.BooleanField(_("active"), default=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        blank=True,
        related_name="coordinated_points",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("pickup point")
        verbose_name_plural = _("pickup points")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def ward_name(self) -> str:
        return ward_name(self.ward_code)


class SupportGroup(models.Model):
    """A sales support group: coordinators and the members who help them."""

    name = models.CharField(_("name"), max_length=200)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("union unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_groups",
    )
    area = models.CharField(_("area"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        blank=True,
        related_name="coordinated_groups",
    )
    members = models.ManyToManyField(
        Member, verbose_name=_("members"), blank=True, related_name="support_groups"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("support group")
        verbose_name_plural = _("support groups")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """Who changed what and when; written by `network.audit.record`.

    Generic on purpose (content type plus id), so other apps record their
    changes here too instead of each keeping its own log.
    """

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    @property
    def detail_text(self) -> str:
        """The detail on one line: `field: old → new` for each change."""
        detail = dict(self.detail)
        before, after = detail.pop("before", {}), detail.pop("after", {})
        changes = detail.pop("changes", {})
        parts = [f"{key}: {old} → {new}" for key, (old, new) in changes.items()]
        for key in dict.fromkeys([*before, *after]):
            if key in before:
                parts.append(f"{key}: {before[key]} → {after.get(key, '')}")
            else:
                parts.append(f"{key}: {after[key]}")
        parts += [f"{key}: {value}" for key, value in detail.items() if value]
        return "; ".join(parts)
