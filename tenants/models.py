import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from phonenumber_field.modelfields import PhoneNumberField

from .units import province_choices, province_name


class Province(TenantMixin):
    """A provincial Women's Union on the platform: one PostgreSQL schema.

    Two rows are not provinces: the public schema (the national host) and the
    template schema that new provinces are cloned from.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        PUBLIC = "public", _("National (public schema)")
        TEMPLATE = "template", _("Template schema")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    slug = models.SlugField(_("subdomain"), max_length=40, unique=True)
    name = models.CharField(_("union name"), max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROVINCE)
    province_code = models.PositiveSmallIntegerField(
        _("provincial unit"), choices=province_choices, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Provisioning clones the template schema itself (tenants.services).
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province_code"],
                condition=models.Q(kind="province", status="active"),
                name="one_active_tenant_per_province",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def unit_name(self) -> str:
        return province_name(self.province_code) if self.province_code else ""

    @property
    def host(self) -> str:
        return f"{self.slug}.{settings.BASE_DOMAIN}"

    @property
    def url(self) -> str:
        port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
        return f"{settings.PUBLIC_SCHEME}://{self.host}{port}/"


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class Application(models.Model):
    """A provincial union's request to join the platform."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved, queued for provisioning")
        PROVISIONING = "provisioning", _("Provisioning")
        LIVE = "live", _("Live")
        FAILED = "failed", _("Provisioning failed")
        REJECTED = "rejected", _("Rejected")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    province_code = models.PositiveSmallIntegerField(
        _("provincial unit"), choices=province_choices
    )
    union_name = models.CharField(_("union name"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=120)
    email = models.EmailField(_("email"))
    phone = PhoneNumberField(_("phone"))
    subdomain = models.CharField(_("subdomain"), max_length=40)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    failure_reason = models.TextField(_("failure reason"), blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    provisioned_at = models.DateTimeField(_("provisioned at"), null=True, blank=True)
    provisioning_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("province application")
        verbose_name_plural = _("province applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.union_name} ({self.subdomain})"

    @property
    def unit_name(self) -> str:
        return province_name(self.province_code)

    @property
    def in_progress(self) -> bool:
        return self.status in {self.Status.APPROVED, self.Status.PROVISIONING}


class ApplicationEvent(models.Model):
    """Audit trail of an application: who did what, when."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    detail = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
