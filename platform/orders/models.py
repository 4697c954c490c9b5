"""Sales rounds, members' orders, and what consolidation and settlement make.

Money is whole đồng; weights are kilograms. Totals on orders are written only
by `orders.services`, which recompute them from the round's prices.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from catalog.models import Product, Unit
from network.models import Member, PickupPoint

# Units that can be bought in parts (1.5 kg); the others only whole.
DIVISIBLE_UNITS = {Unit.KG, Unit.YEN, Unit.TA, Unit.TAN, Unit.LANG}


class SalesRound(ClusterableModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CONSOLIDATED = "consolidated", _("Consolidated")
        SETTLED = "settled", _("Settled")

    class HandlingFeeKind(models.TextChoices):
        PERCENT = "percent", _("Percentage of the value")
        PER_KG = "per_kg", _("Amount per kg")
        PER_ORDER = "per_order", _("Amount per order")

    class TransportKind(models.TextChoices):
        PER_KG = "per_kg", _("Amount per kg")
        PER_TRIP = "per_trip", _("Amount per trip to a point")

    name = models.CharField(_("name"), max_length=200)
    opens_at = models.DateTimeField(_("ordering opens"))
    closes_at = models.DateTimeField(_("ordering closes"))
    delivery_on = models.DateField(_("delivery date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    handling_fee_kind = models.CharField(
        _("coordinator's handling fee"),
        max_length=10,
        choices=HandlingFeeKind.choices,
        default=HandlingFeeKind.PERCENT,
    )
    handling_fee_value = models.PositiveBigIntegerField(
        _("handling fee value"),
        default=0,
        help_text=_(
            "Basis points for a percentage (500 = 5%); đồng for the other kinds."
        ),
    )
    transport_kind = models.CharField(
        _("transport support"),
        max_length=10,
        choices=TransportKind.choices,
        default=TransportKind.PER_KG,
    )
    transport_value = models.PositiveBigIntegerField(
        _("transport support value (đồng)"), default=0
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    consolidated_at = models.DateTimeField(_("consolidated at"), null=True, blank=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    # High-volume records: Wagtail's usage index would cost queries per save.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("sales round")
        verbose_name_plural = _("sales rounds")
        ordering = ["-opens_at", "-pk"]
        indexes = [models.Index(fields=["status", "closes_at"])]

    def __str__(self) -> str:
        return self.name

    def accepts_orders(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at


class RoundProduct(models.Model):
    sales_round = ParentalKey(
        SalesRound,
        verbose_name=_("sales round"),
        on_delete=models.CASCADE,
        related_name="products",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="round_offers",
    )
    price = models.PositiveBigIntegerField(_("round price (đồng)"))
    cap = models.DecimalField(
        _("quantity cap"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Empty: no cap beyond the product's stock."),
    )
    sold = models.DecimalField(
        _("sold"), max_digits=14, decimal_places=3, default=Decimal("0"), editable=False
    )

    # High-volume records: Wagtail's usage index would cost queries per save.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("product in a round")
        verbose_name_plural = _("products in a round")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sales_round", "product"], name="orders_one_offer_per_product"
            ),
            models.CheckConstraint(
                condition=models.Q(cap__isnull=True)
                | models.Q(sold__lte=models.F("cap")),
                name="orders_sold_within_cap",
            ),
        ]

    def __str__(self) -> str:
        return str(self.product)

    @property
    def divisible(self) -> bool:
        return self.product.unit in DIVISIBLE_UNITS

    @property
    def remaining(self) -> Decimal | None:
        limits = []
        if self.cap is not None:
            limits.append(self.cap - self.sold)
        if self.product.stock is not None:
            limits.append(Decimal(self.product.stock))
        return max(min(limits), Decimal("0")) if limits else None

    @property
    def savings(self) -> int:
        return max(self.product.market_price - self.price, 0)


class RoundPoint(models.Model):
    sales_round = ParentalKey(
        SalesRound,
        verbose_name=_("sales round"),
        on_delete=models.CASCADE,
        related_name="points",
    )
    point = models.ForeignKey(
        PickupPoint,
        verbose_name=_("pickup point"),
        on_delete=models.PROTECT,
        related_name="round_entries",
    )
    # Orders of the round at this point that are not cancelled; moved by the
    # same conditional UPDATE that checks the point's capacity.
    taken = models.PositiveIntegerField(_("orders taken"), default=0, editable=False)

    # High-volume records: Wagtail's usage index would cost queries per save.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("pickup point in a round")
        verbose_name_plural = _("pickup points in a round")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sales_round", "point"], name="orders_point_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return str(self.point)


class Order(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        DELIVERED = "delivered_to_point", _("Delivered to the point")
        COLLECTED = "collected", _("Collected")
        NOT_COLLECTED = "not_collected", _("Not collected")
        CANCELLED = "cancelled", _("Cancelled")

    class Payment(models.TextChoices):
        CASH = "cash", _("Cash at pickup")
        TRANSFER = "transfer", _("Bank transfer")

    sales_round = models.ForeignKey(
        SalesRound,
        verbose_name=_("sales round"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    point = models.ForeignKey(
        PickupPoint,
        verbose_name=_("pickup point"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    deliver_to_address = models.BooleanField(_("deliver to the address"), default=False)
    delivery_address = models.CharField(
        _("delivery address"), max_length=300, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    payment_method = models.CharField(
        _("payment"), max_length=10, choices=Payment.choices, default=Payment.CASH
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("payment recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    idempotency_key = models.CharField(max_length=64)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    value = models.PositiveBigIntegerField(_("value (đồng)"), default=0)
    market_value = models.PositiveBigIntegerField(_("market value (đồng)"), default=0)
    weight_kg = models.DecimalField(
        _("weight (kg)"), max_digits=14, decimal_places=3, default=Decimal("0")
    )
    # The stream whose short link brought the member (events.attribution).
    livestream = models.ForeignKey(
        "events.Livestream",
        verbose_name=_("livestream"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="placed_orders",
    )
    created_at = models.DateTimeField(_("placed at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # High-volume records: Wagtail's usage index would cost queries per save.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["sales_round", "point", "status"]),
            models.Index(fields=["sales_round", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "idempotency_key"], name="orders_one_order_per_key"
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def savings(self) -> int:
        return max(self.market_value - self.value, 0)

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    round_product = models.ForeignKey(
        RoundProduct,
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        related_name="lines",
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_price = models.PositiveBigIntegerField(_("unit price (đồng)"))
    unit_market_price = models.PositiveBigIntegerField(_("market price (đồng)"))
    value = models.PositiveBigIntegerField(_("value (đồng)"))
    market_value = models.PositiveBigIntegerField(_("market value (đồng)"))
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=14, decimal_places=3)
    # Whole units taken from the catalog's stock, given back on cancellation.
    stock_drawn = models.PositiveIntegerField(default=0)
    # Filled by settlement (services.settle_round).
    handling_fee = models.BigIntegerField(_("handling fee (đồng)"), default=0)
    transport_support = models.BigIntegerField(_("transport support (đồng)"), default=0)

    # High-volume records: Wagtail's usage index would cost queries per save.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]
        indexes = [models.Index(fields=["round_product", "order"])]

    def __str__(self) -> str:
        return f"{self.round_product} × {self.quantity}"


class OrderEvent(models.Model):
    """The order's history: every placement, change, payment and hand-over."""

    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=30)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    # High-volume records: Wagtail's usage index would cost queries per save.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.order} {self.action}"


class PurchaseOrder(models.Model):
    """What one producer delivers for a round; made by consolidation."""

    sales_round = models.ForeignKey(
        SalesRound, on_delete=models.CASCADE, related_name="purchase_orders"
    )
    producer = models.ForeignKey(
        "catalog.Producer", on_delete=models.PROTECT, related_name="purchase_orders"
    )
    value = models.PositiveBigIntegerField(_("value (đồng)"))
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=14, decimal_places=3)
    created_at = models.DateTimeField(default=timezone.now)

    # High-volume records: Wagtail's usage index would cost queries per save.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["producer__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sales_round", "producer"], name="orders_one_po_per_producer"
            )
        ]


class PurchaseOrderLine(models.Model):
    purchase_order = models.ForeignKey(
        PurchaseOrder, on_delete=models.CASCADE, related_name="lines"
    )
    round_product = models.ForeignKey(RoundProduct, on_delete=models.PROTECT)
    point = models.ForeignKey(PickupPoint, on_delete=models.PROTECT)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    weight_kg = models.DecimalField(max_digits=14, decimal_places=3)
    value = models.PositiveBigIntegerField()

    # High-volume records: Wagtail's usage index would cost queries per save.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["point__name", "round_product__product__name", "pk"]


class PointManifest(models.Model):
    """What arrives at one pickup point for a round; made by consolidation."""

    sales_round = models.ForeignKey(
        SalesRound, on_delete=models.CASCADE, related_name="manifests"
    )
    point = models.ForeignKey(
        PickupPoint, on_delete=models.PROTECT, related_name="manifests"
    )
    orders = models.PositiveIntegerField(_("orders"))
    value = models.PositiveBigIntegerField(_("value (đồng)"))
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=14, decimal_places=3)
    created_at = models.DateTimeField(default=timezone.now)

    # High-volume records: Wagtail's usage index would cost queries per save.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("point manifest")
        verbose_name_plural = _("point manifests")
        ordering = ["point__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sales_round", "point"], name="orders_one_manifest_per_point"
            )
        ]


class ManifestLine(models.Model):
    manifest = models.ForeignKey(
        PointManifest, on_delete=models.CASCADE, related_name="lines"
    )
    round_product = models.ForeignKey(RoundProduct, on_delete=models.PROTECT)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    weight_kg = models.DecimalField(max_digits=14, decimal_places=3)

    # High-volume records: Wagtail's usage index would cost queries per save.
    wagtail_reference_index_ignore = True

    class Meta:
        ordering = ["round_product__product__name", "pk"]


class Settlement(models.Model):
    """One party's money for a settled round: a point's coordinators or a producer.

    For a producer: gross is the value of its counted lines, and net is gross
    less the handling fees and transport support attributed to those lines.
    For a point: gross is the value handed out there, and the fees are what
    its coordinators receive. Both kinds are sums over the same lines.
    """

    class Kind(models.TextChoices):
        POINT = "point", _("Coordinator fees of a point")
        PRODUCER = "producer", _("Producer statement")

    sales_round = models.ForeignKey(
        SalesRound, on_delete=models.CASCADE, related_name="settlements"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    point = models.ForeignKey(
        PickupPoint, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    producer = models.ForeignKey(
        "catalog.Producer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    orders = models.PositiveIntegerField(_("orders"))
    weight_kg = models.DecimalField(_("weight (kg)"), max_digits=14, decimal_places=3)
    gross = models.BigIntegerField(_("gross (đồng)"))
    handling_fee = models.BigIntegerField(_("handling fees (đồng)"))
    transport_support = models.BigIntegerField(_("transport support (đồng)"))
    net = models.BigIntegerField(_("net (đồng)"))
    created_at = models.DateTimeField(default=timezone.now)

    # High-volume records: Wagtail's usage index would cost queries per save.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["kind", "pk"]


@register_setting(icon="form")
class PaymentSettings(BaseSiteSetting):
    """The union's bank account that VietQR codes on orders pay into."""

    bank_bin = models.CharField(
        _("bank BIN"),
        max_length=6,
        blank=True,
        help_text=_("The six-digit Napas code of the bank, e.g. 970436."),
    )
    account_number = models.CharField(_("account number"), max_length=19, blank=True)
    account_name = models.CharField(_("account name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("payment account")

    @property
    def ready(self) -> bool:
        return bool(self.bank_bin and self.account_number)
