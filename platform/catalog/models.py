"""The verified catalog of a province: producers, certificates, products.

Whether a product is shown to the public is not stored: it follows from the
producer's and certificates' states (see `selectors.listed_products`), so an
expired certificate takes its products off the site at midnight without
waiting for the daily task, which only records and announces the delisting.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from ketnoi.search import Unaccented
from tenants.units import province_choices

from .validators import validate_scan

# The largest believable price of one unit: above it the number is a typo.
MAX_PRICE = 500_000_000


class Producer(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        COOPERATIVE = "cooperative", _("Cooperative")
        HOUSEHOLD = "household", _("Household business")
        FARMER = "farmer", _("Farmer")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        VERIFIED = "verified", _("Verified")
        SUSPENDED = "suspended", _("Suspended")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address on the site"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    women_owned = models.BooleanField(_("women-owned"), default=False)
    contact_name = models.CharField(_("owner or contact"), max_length=150)
    phone = PhoneNumberField(_("phone"))
    email = models.EmailField(_("email"), blank=True)
    province_code = models.PositiveSmallIntegerField(
        _("production province"), choices=province_choices
    )
    ward_code = models.PositiveIntegerField(_("commune or ward"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    story = models.TextField(_("story"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    status_note = models.CharField(_("reason"), max_length=300, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("portal accounts"),
        blank=True,
        related_name="producers",
    )
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "women_owned"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:producer", kwargs={"slug": self.slug})


class Certificate(models.Model):
    class Kind(models.TextChoices):
        OCOP = "ocop", _("OCOP rating")
        VIETGAP = "vietgap", _("VietGAP")
        FOOD_SAFETY = "food_safety", _("Food-safety establishment certificate")
        ORGANIC = "organic", _("Organic")
        GLOBALGAP = "globalgap", _("GlobalGAP")
        HACCP_ISO22000 = "haccp_iso22000", _("HACCP / ISO 22000")
        EXEMPT = "exempt", _("Legally exempt from certification")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    producer = models.ForeignKey(
        Producer,
        verbose_name=_("producer"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    # Empty when the certificate covers the whole establishment.
    product = models.ForeignKey(
        "Product",
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificates",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP stars"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(5)],
    )
    number = models.CharField(_("number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    # Empty only for an exemption, which does not expire.
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    scan = models.FileField(
        _("scan"),
        upload_to="certificates/%Y/%m/",
        blank=True,
        validators=[validate_scan],
    )
    status = models.CharField(
        _("verification"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
    )
    status_note = models.CharField(_("reason"), max_length=300, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    warned_30_on = models.DateField(_("30-day warning sent"), null=True, blank=True)
    warned_7_on = models.DateField(_("7-day warning sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["producer", "status", "expires_on"]),
            models.Index(fields=["product", "status", "expires_on"]),
            models.Index(fields=["status", "expires_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ocop_stars__isnull=True)
                | models.Q(kind="ocop", ocop_stars__gte=3, ocop_stars__lte=5),
                name="catalog_certificate_stars_only_for_ocop",
            )
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        if self.kind == self.Kind.OCOP and self.ocop_stars:
            label = f"{label} {self.ocop_stars}★"
        return f"{label} {self.number}".strip()

    def is_current(self, today: date) -> bool:
        if self.status != self.Status.VERIFIED:
            return False
        return self.expires_on is None or self.expires_on >= today


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address on the site"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    YEN = "yen", _("yến (10 kg)")
    TA = "ta", _("tạ (100 kg)")
    TAN = "tan", _("tấn (1,000 kg)")
    LANG = "lang", _("lạng (100 g)")
    BOX = "box", _("box")
    BUNCH = "bunch", _("bunch")
    BOTTLE = "bottle", _("bottle")
    BAG = "bag", _("bag")
    PIECE = "piece", _("piece")


# Units of mass weigh what their name says; the others are weighed by the
# producer, so that the tonnes sold through the network add up.
UNIT_WEIGHTS_KG = {
    Unit.KG: Decimal("1"),
    Unit.YEN: Decimal("10"),
    Unit.TA: Decimal("100"),
    Unit.TAN: Decimal("1000"),
    Unit.LANG: Decimal("0.1"),
}


class SearchText(Unaccented):
    """Lower-cased, unaccented text (public.ketnoi_unaccent, migration 0001)."""


class SearchWords(models.Func):
    """The words of an unaccented text, for the full-text index of products.

    The 'simple' configuration keeps every word as it is: no stemming, no
    stop words, which suits Vietnamese syllables.
    """

    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()


class SearchWord(models.Model):
    """A word of the catalog, unaccented: what a misspelt query is corrected to.

    Kept by database triggers on products (migration 0005), so that every
    way a product is written, bulk ones included, adds its words. Words of
    products changed or removed since stay: a correction to a word nothing
    has any longer simply finds nothing.
    """

    # Byte order, so that the key's index also finds the words that begin
    # with what is being typed (a range from 'ra' up).
    word = models.CharField(max_length=100, primary_key=True, db_collation="C")

    class Meta:
        indexes = [
            GinIndex(
                fields=["word"],
                opclasses=["gin_trgm_ops"],
                name="catalog_searchword_trgm",
                fastupdate=False,
            ),
        ]

    def __str__(self) -> str:
        return self.word


class Product(models.Model):
    producer = models.ForeignKey(
        Producer,
        verbose_name=_("producer"),
        on_delete=models.CASCADE,
        related_name="products",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="products",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address on the site"), max_length=220, unique=True)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    unit_weight_kg = models.DecimalField(
        _("weight of one unit (kg)"),
        max_digits=10,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    price = models.PositiveBigIntegerField(
        _("member price (đồng)"), validators=[MaxValueValidator(MAX_PRICE)]
    )
    market_price = models.PositiveBigIntegerField(
        _("market price (đồng)"), validators=[MaxValueValidator(MAX_PRICE)]
    )
    # Empty means available without a counted stock.
    stock = models.PositiveIntegerField(_("stock"), null=True, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    story = models.TextField(_("story"), blank=True)
    origin = models.CharField(_("origin"), max_length=300, blank=True)
    traceability_code = models.CharField(
        _("traceability code"), max_length=100, blank=True
    )
    traceability_url = models.URLField(_("traceability link"), blank=True)
    vietnamese_goods = models.BooleanField(
        _("“Vietnamese goods” mark"),
        default=False,
        help_text=_(
            "Part of the campaign “Vietnamese people prioritise Vietnamese goods”."
        ),
    )
    active = models.BooleanField(
        _("on sale"),
        default=True,
        help_text=_(
            "The producer's or staff's switch; listing also needs certificates."
        ),
    )
    delisted_at = models.DateTimeField(_("delisted at"), null=True, blank=True)
    delisted_reason = models.CharField(
        _("delisting reason"), max_length=200, blank=True
    )
    search_text = models.GeneratedField(
        expression=SearchText(Concat("name", models.Value(" "), "origin")),
        output_field=models.TextField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["producer", "active"]),
            models.Index(fields=["category", "active"]),
            # The listing's order: a page is read off this index.
            models.Index(fields=["name", "id"], name="catalog_product_name_idx"),
            # Written into at once rather than through a pending list that
            # every search would scan until the next vacuum: the catalog is
            # read far more often than it is written.
            GinIndex(
                SearchWords("search_text"),
                name="catalog_product_search_words",
                fastupdate=False,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:product", kwargs={"slug": self.slug})

    def get_unit_display(self) -> str:
        # Django's own version hashes every choice's lazy label, translating
        # each one, on every call: too slow for a page of product cards.
        return str(Unit(self.unit).label) if self.unit in Unit.values else self.unit

    @property
    def savings(self) -> int:
        return max(self.market_price - self.price, 0)

    @property
    def savings_percent(self) -> int:
        if not self.market_price:
            return 0
        return round(self.savings * 100 / self.market_price)

    @property
    def has_pending_change(self) -> bool:
        return any(
            change.status == ProductChange.Status.PENDING
            for change in self.changes.all()
        )


class ProductChange(models.Model):
    """A producer's change of price or origin of a listed product, under review."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    price = models.PositiveBigIntegerField(_("proposed member price"))
    market_price = models.PositiveBigIntegerField(_("proposed market price"))
    origin = models.CharField(_("proposed origin"), max_length=300, blank=True)
    old_price = models.PositiveBigIntegerField(_("member price before"))
    old_market_price = models.PositiveBigIntegerField(_("market price before"))
    old_origin = models.CharField(_("origin before"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("product change")
        verbose_name_plural = _("product changes")
        ordering = ["-requested_at"]
        constraints = [
            # One open review per product: a newer proposal replaces the old.
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(status="pending"),
                name="catalog_one_pending_change_per_product",
            )
        ]

    def __str__(self) -> str:
        return str(self.product)
