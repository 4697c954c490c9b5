"""The reporting store: every province's figures, rolled up into the public schema.

The national dashboard and the GraphQL API read only these tables, never a
province's schema. `api.rollup.refresh_province` rewrites one province's rows
in a single transaction, so a reader sees a province's old figures or its new
ones, never half of each.

Sales are kept at three grains, all derived from the same source rows:

- `ProductDay`: one row per province, day, product (the finest grain; top
  products and producers, and exact reconciliation with the province).
- `ProvinceDay`: per province, day, category and OCOP stars (day and week
  series, and date ranges that do not cover whole months).
- `ProvinceMonth`: the same per month (category and OCOP breakdowns of
  whole months): a few thousand rows for the whole country.
- `ProvinceMonthTotal`: one row per province and month, over every category,
  with its distinct orders (totals, month and year series and the province
  table when no category is asked for): a few hundred rows, read without
  grouping most of them.

Orders are counted apart in `OrderDay`, because a distinct count cannot be
summed across categories: an order with vegetables and fruit is one order.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Province

# The category row of OrderDay that counts each order once, whatever it holds.
ALL_CATEGORIES = ""


class SalesFigures(models.Model):
    """Additive sales figures, shared by every grain of the store."""

    orders = models.IntegerField(default=0)
    cancelled_orders = models.IntegerField(default=0)
    quantity = models.DecimalField(max_digits=16, decimal_places=3, default=0)
    weight_kg = models.DecimalField(max_digits=16, decimal_places=3, default=0)
    value_vnd = models.BigIntegerField(default=0)
    market_value_vnd = models.BigIntegerField(default=0)
    coordinator_fees_vnd = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class ProductDay(SalesFigures):
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    category = models.CharField(max_length=64)
    ocop_stars = models.PositiveSmallIntegerField(default=0)
    product_key = models.BigIntegerField()
    producer_key = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["province", "day"], name="api_productday_prov_day"),
            models.Index(fields=["day"], name="api_productday_day"),
        ]


class ProvinceDay(SalesFigures):
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    category = models.CharField(max_length=64)
    ocop_stars = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["province", "day"], name="api_provinceday_prov_day"),
            models.Index(fields=["day"], name="api_provinceday_day"),
        ]


class ProvinceMonth(SalesFigures):
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    category = models.CharField(max_length=64)
    ocop_stars = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["province", "month"], name="api_provmonth_prov_month"),
            models.Index(fields=["month"], name="api_provmonth_month"),
        ]


class ProvinceMonthTotal(SalesFigures):
    """A province's month over every category; orders each counted once."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month.")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["province", "month"], name="api_provmonthtotal_unique"
            )
        ]
        indexes = [models.Index(fields=["month"], name="api_provmonthtotal_month")]


class OrderDay(models.Model):
    """Distinct orders per province and day, overall and per category."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    category = models.CharField(max_length=64, blank=True)
    orders = models.IntegerField(default=0)
    cancelled_orders = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["category", "day"], name="api_orderday_cat_day"),
            models.Index(fields=["province", "day"], name="api_orderday_prov_day"),
        ]


class ProductName(models.Model):
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    product_key = models.BigIntegerField()
    name = models.CharField(max_length=255)
    producer_key = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["province", "product_key"], name="api_productname_unique"
            )
        ]


class ProducerName(models.Model):
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    producer_key = models.BigIntegerField()
    name = models.CharField(max_length=255)
    women_owned = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["province", "producer_key"], name="api_producername_unique"
            )
        ]


class ProvinceSnapshot(models.Model):
    """A province's network, catalog and event counts at its last refresh."""

    province = models.OneToOneField(
        Province, on_delete=models.CASCADE, related_name="report_snapshot"
    )
    members = models.IntegerField(default=0)
    branches = models.IntegerField(default=0)
    pickup_points = models.IntegerField(default=0)
    support_groups = models.IntegerField(default=0)
    producers = models.IntegerField(default=0)
    women_owned_producers = models.IntegerField(default=0)
    verified_products = models.IntegerField(default=0)
    ocop_3_products = models.IntegerField(default=0)
    ocop_4_products = models.IntegerField(default=0)
    ocop_5_products = models.IntegerField(default=0)
    fairs = models.IntegerField(default=0)
    livestreams = models.IntegerField(default=0)
    refreshed_at = models.DateTimeField()
    refresh_seconds = models.FloatField(default=0)


class ApiToken(models.Model):
    """A bearer token for /graphql/: national when `province` is empty.

    Only a SHA-256 digest is stored; the token is shown once when issued.
    Users live in each province's schema, so who issued or revoked a token is
    kept as text in `ApiTokenEvent`, not as a foreign key.
    """

    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("province"),
    )
    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class NationalApiToken(ApiToken):
    """National tokens (no province), as national staff manage them in /admin/."""

    class Meta:
        proxy = True
        verbose_name = _("national API token")
        verbose_name_plural = _("national API tokens")


class ApiTokenEvent(models.Model):
    """Audit trail of a token: who issued or revoked it, from which schema, when."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20)
    actor = models.CharField(max_length=254)
    actor_schema = models.CharField(max_length=63)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]


# The additive figures, in the order the rollup and the queries use them.
SUM_FIELDS = [
    "orders",
    "cancelled_orders",
    "quantity",
    "weight_kg",
    "value_vnd",
    "market_value_vnd",
    "coordinator_fees_vnd",
]
