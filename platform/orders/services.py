"""Every write of sales rounds and orders: one function per action.

Totals are always recomputed here from the round's prices, so nothing a
request sends about prices or fees is ever trusted. Stock and caps are taken
with conditional UPDATEs inside the order's transaction, in primary-key order
so that two orders for the same products cannot deadlock.
"""

import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from api.changes import figures_changed
from catalog.models import Product
from events.models import Livestream
from events.services import record_livestream_order
from ketnoi.access import is_staff
from network import audit
from network.models import Member, PickupPoint

from .models import (
    Order,
    OrderEvent,
    OrderLine,
    RoundPoint,
    RoundProduct,
    SalesRound,
)

logger = logging.getLogger(__name__)

THOUSANDTH = Decimal("0.001")
# No ambiguous characters (0/O, 1/I/L), so a reference reads well on a phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
ACTIVE_STATUSES = (Order.Status.CONFIRMED, Order.Status.DELIVERED)


# --- side effects after commit ----------------------------------------------


def api_notify() -> None:
    """Tell the national reporting store that this province's sales changed."""
    figures_changed()


def _in_this_schema(callback: Any) -> Any:
    """Run an after-commit callback in the schema that queued it."""
    schema = connection.schema_name

    def run() -> None:
        with schema_context(schema):
            callback()

    return run


def _notify_member(order_id: int, kind: str) -> None:
    # Through the worker, so a slow mail server never holds up the member.
    from .tasks import send_order_message_task

    transaction.on_commit(
        _in_this_schema(lambda: send_order_message_task.delay(order_id, kind))
    )


def _record_livestream(order: Order) -> None:
    """Credit the stream whose link brought the member, after the order commits.

    Attribution is a statistic: the order stands whatever happens to it.
    """
    if order.livestream_id is None:
        return
    livestream_id, value, order_id = order.livestream_id, order.value, order.pk

    def call() -> None:
        livestream = Livestream.objects.filter(pk=livestream_id).first()
        if livestream is None:
            return
        try:
            record_livestream_order(
                livestream=livestream, order_id=order_id, order_value=value
            )
        except Exception:
            logger.exception("Livestream attribution failed for order %s", order_id)

    transaction.on_commit(_in_this_schema(call))


# --- quantities and lines ----------------------------------------------------


def parse_quantity(raw: Any) -> Decimal:
    """A quantity as typed on a phone: '2', '1,5' or '1.5'."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    if not text:
        return Decimal("0")
    try:
        quantity = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("“%(value)s” is not a quantity.") % {"value": raw}, code="bad_quantity"
        ) from None
    if not quantity.is_finite():
        raise ValidationError(
            _("“%(value)s” is not a quantity.") % {"value": raw}, code="bad_quantity"
        )
    return quantity


def _check_quantity(offer: RoundProduct, quantity: Decimal) -> Decimal:
    name = offer.product.name
    if quantity <= 0:
        raise ValidationError(
            _("The quantity of %(product)s must be more than zero.")
            % {"product": name},
            code="quantity_not_positive",
        )
    if quantity != quantity.quantize(THOUSANDTH):
        raise ValidationError(
            _("The quantity of %(product)s has too many decimals.") % {"product": name},
            code="quantity_precision",
        )
    if not offer.divisible and quantity != quantity.to_integral_value():
        raise ValidationError(
            _("%(product)s is sold in whole units only.") % {"product": name},
            code="quantity_fraction",
        )
    return quantity.quantize(THOUSANDTH)


@dataclass
class _Line:
    offer: RoundProduct
    quantity: Decimal

    @property
    def value(self) -> int:
        return int((self.offer.price * self.quantity).to_integral_value(ROUND_HALF_UP))

    @property
    def market_value(self) -> int:
        price = self.offer.product.market_price
        return int((price * self.quantity).to_integral_value(ROUND_HALF_UP))

    @property
    def weight_kg(self) -> Decimal:
        return (self.quantity * self.offer.product.unit_weight_kg).quantize(THOUSANDTH)

    @property
    def stock_drawn(self) -> int:
        # The catalog counts stock in whole units; a part of a unit takes one.
        if self.offer.product.stock is None:
            return 0
        return int(self.quantity.to_integral_value(ROUND_CEILING))


def _lines(sales_round: SalesRound, quantities: Mapping[Any, Any]) -> list[_Line]:
    """Validate {round product id: quantity}; zero quantities are dropped."""
    wanted: dict[int, Decimal] = {}
    for key, raw in quantities.items():
        try:
            offer_id = int(key)
        except (TypeError, ValueError):
            raise ValidationError(
                _("Unknown product."), code="unknown_product"
            ) from None
        if isinstance(raw, str) and not raw.strip():
            continue  # a field left empty on the form
        wanted[offer_id] = raw if isinstance(raw, Decimal) else parse_quantity(raw)
    offers = {
        offer.pk: offer
        for offer in RoundProduct.objects.filter(
            sales_round=sales_round, pk__in=wanted
        ).select_related("product")
    }
    if set(wanted) - set(offers):
        raise ValidationError(
            _("A product is not offered in this round."), code="unknown_product"
        )
    lines = [
        _Line(offers[offer_id], _check_quantity(offers[offer_id], quantity))
        for offer_id, quantity in sorted(wanted.items())
    ]
    if not lines:
        raise ValidationError(_("The basket is empty."), code="empty")
    return lines


def _sold_out_error(product_name: str) -> ValidationError:
    return ValidationError(
        _("Sold out: not enough %(product)s is left for this order.")
        % {"product": product_name},
        code="sold_out",
    )


def _sold_out(offer: RoundProduct) -> ValidationError:
    return _sold_out_error(offer.product.name)


# --- the sold-out mark --------------------------------------------------------
#
# When an offer has nothing left, a mark in the shared cache (its value the
# product's name) lets later attempts be told "sold out" without touching the
# offer's row, which the winning orders keep locked. The mark is only a
# shortcut: the conditional UPDATEs below stay the rule. It is set after the
# order that took the last unit commits, cleared after a change or
# cancellation that gives units back commits, and expires on its own, so a
# restock in the catalog or a cap raised by staff is seen within
# SOLD_OUT_MARK_SECONDS even when nothing clears it.

SOLD_OUT_MARK_SECONDS = 10


def _sold_out_key(offer_id: int) -> str:
    return f"orders:sold-out:{offer_id}"


def _mark_sold_out(offer_id: int, product_name: str) -> None:
    cache.set(_sold_out_key(offer_id), product_name, SOLD_OUT_MARK_SECONDS)


def clear_sold_out_marks(offer_ids: Iterable[int]) -> None:
    """Forget sold-out marks, after the transaction that freed units commits."""
    keys = [_sold_out_key(offer_id) for offer_id in offer_ids]
    if keys:
        transaction.on_commit(_in_this_schema(lambda: cache.delete_many(keys)))


def refuse_marked_sold_out(quantities: Mapping[Any, Any]) -> None:
    """Raise sold out if an offer of {offer id: quantity} carries the mark.

    A read of the cache only, so pages can answer a flash sale's late comers
    before any query; `place_order` asks again inside its transaction.
    """
    keys = {}
    for key in quantities:
        try:
            keys[_sold_out_key(int(key))] = key
        except (TypeError, ValueError):
            continue  # _lines() explains what is wrong with it
    marked = cache.get_many(list(keys)) if keys else {}
    if marked:
        raise _sold_out_error(next(iter(marked.values())))


def _move_stock(changes: dict[int, tuple[RoundProduct, Decimal, int]]) -> None:
    """Apply {offer id: (offer, quantity delta, stock delta)} or raise sold out.

    Offers are updated before products, each in primary-key order, so that
    concurrent orders always wait for each other in the same order. Units
    given back clear the offers' sold-out marks; the last unit taken sets one.
    """
    emptied: dict[int, str] = {}
    freed: list[int] = []
    with connection.cursor() as cursor:
        for offer_id in sorted(changes):
            offer, delta, _stock = changes[offer_id]
            if delta == 0:
                continue
            if delta < 0:
                freed.append(offer_id)
            cursor.execute(
                "UPDATE orders_roundproduct SET sold = sold + %s WHERE id = %s"
                " AND (cap IS NULL OR sold + %s <= cap) RETURNING cap - sold",
                [delta, offer_id, delta],
            )
            row = cursor.fetchone()
            if row is None:
                _note_offer_left(cursor, offer)
                raise _sold_out(offer)
            if row[0] is not None and row[0] <= 0:
                emptied[offer_id] = offer.product.name
        by_product: dict[int, list[tuple[RoundProduct, int]]] = {}
        for offer, _delta, stock in changes.values():
            by_product.setdefault(offer.product_id, []).append((offer, stock))
        for product_id in sorted(by_product):
            offers = by_product[product_id]
            stock = sum(drawn for _offer, drawn in offers)
            if stock == 0:
                continue
            # A product without counted stock (NULL) has nothing to take.
            cursor.execute(
                "UPDATE catalog_product SET stock = stock - %s"
                " WHERE id = %s AND stock IS NOT NULL AND stock >= %s"
                " RETURNING stock",
                [stock, product_id, stock],
            )
            row = cursor.fetchone()
            if row is None:
                cursor.execute(
                    "SELECT stock FROM catalog_product WHERE id = %s", [product_id]
                )
                left = cursor.fetchone()
                if left is None or left[0] is None:
                    continue
                if left[0] <= 0:
                    for offer, _drawn in offers:
                        _mark_sold_out(offer.pk, offer.product.name)
                raise _sold_out(offers[0][0])
            if row[0] <= 0 and stock > 0:
                emptied.update((offer.pk, offer.product.name) for offer, _d in offers)
    clear_sold_out_marks(freed)
    if emptied:
        transaction.on_commit(
            _in_this_schema(
                lambda: [_mark_sold_out(pk, name) for pk, name in emptied.items()]
            )
        )


def _note_offer_left(cursor: Any, offer: RoundProduct) -> None:
    """Mark an offer whose cap is reached; what was read is already committed."""
    cursor.execute(
        "SELECT cap IS NOT NULL AND sold >= cap FROM orders_roundproduct WHERE id = %s",
        [offer.pk],
    )
    row = cursor.fetchone()
    if row is not None and row[0]:
        _mark_sold_out(offer.pk, offer.product.name)


def _lock_round_open(sales_round: SalesRound) -> SalesRound:
    """The round, share-locked so that closing it waits for orders in flight."""
    sales_round = next(
        iter(
            SalesRound.objects.raw(
                "SELECT * FROM orders_salesround WHERE id = %s FOR SHARE",
                [sales_round.pk],
            )
        ),
        None,
    )
    now = timezone.now()
    if (
        sales_round is None
        or sales_round.status != SalesRound.Status.OPEN
        or now < sales_round.opens_at
    ):
        raise ValidationError(
            _("This round is not open for orders."), code="round_not_open"
        )
    if now >= sales_round.closes_at:
        raise ValidationError(
            _("This round has closed: orders can no longer be placed or changed."),
            code="round_closed",
        )
    return sales_round


def _point_not_in_round() -> ValidationError:
    return ValidationError(
        _("Choose one of this round's pickup points."), code="point_not_in_round"
    )


def _delivery_address(point: PickupPoint, deliver: bool, address: str) -> str:
    if not deliver:
        return ""
    if not point.offers_home_delivery:
        raise ValidationError(
            _("This pickup point does not deliver to homes."), code="no_delivery"
        )
    address = (address or "").strip()
    if not address:
        raise ValidationError(
            _("Give the address to deliver to."), code="address_missing"
        )
    return address


def _check_point(
    sales_round: SalesRound, point: PickupPoint | None, deliver: bool, address: str
) -> str:
    if (
        point is None
        or not RoundPoint.objects.filter(
            sales_round=sales_round, point=point, point__active=True
        ).exists()
    ):
        raise _point_not_in_round()
    return _delivery_address(point, deliver, address)


TAKE_PLACE_SQL = """
UPDATE orders_roundpoint rp SET taken = rp.taken + 1
FROM network_pickuppoint p
WHERE rp.sales_round_id = %s AND rp.point_id = %s AND p.id = rp.point_id
AND p.active AND (p.capacity = 0 OR rp.taken < p.capacity)
"""


def _take_place(sales_round: SalesRound, point: PickupPoint | None) -> None:
    """Count one more order at a point, within its capacity (0: no limit).

    One conditional UPDATE checks that the point is in the round, active and
    not full, and takes the place; its row lock makes the check exact when
    members race for the last place.
    """
    if point is None:
        raise _point_not_in_round()
    with connection.cursor() as cursor:
        cursor.execute(TAKE_PLACE_SQL, [sales_round.pk, point.pk])
        if cursor.rowcount == 1:
            return
    in_round = RoundPoint.objects.filter(
        sales_round=sales_round, point=point, point__active=True
    ).exists()
    if not in_round:
        raise _point_not_in_round()
    raise ValidationError(
        _(
            "This pickup point has no room left in this round; "
            "please choose another point."
        ),
        code="point_full",
    )


def _move_place(sales_round: SalesRound, old_point_id: int, new: PickupPoint) -> None:
    """Move an order's place; both rows in point order, as orders take them."""
    if new.pk < old_point_id:
        _take_place(sales_round, new)
        _give_place_back(sales_round.pk, old_point_id)
    else:
        _give_place_back(sales_round.pk, old_point_id)
        _take_place(sales_round, new)


def _give_place_back(sales_round_id: int, point_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orders_roundpoint SET taken = taken - 1"
            " WHERE sales_round_id = %s AND point_id = %s AND taken > 0",
            [sales_round_id, point_id],
        )


def _snapshot(order: Order, lines: list[_Line] | None = None) -> dict[str, Any]:
    if lines is None:
        quantities = {
            str(line.round_product_id): str(line.quantity) for line in order.lines.all()
        }
    else:
        quantities = {str(line.offer.pk): str(line.quantity) for line in lines}
    return {
        "point": order.point_id,
        "status": order.status,
        "value": order.value,
        "deliver_to_address": order.deliver_to_address,
        "lines": quantities,
    }


def _set_totals(order: Order, lines: list[_Line]) -> None:
    order.value = sum(line.value for line in lines)
    order.market_value = sum(line.market_value for line in lines)
    order.weight_kg = sum((line.weight_kg for line in lines), Decimal("0"))


def _write_lines(order: Order, lines: list[_Line]) -> None:
    OrderLine.objects.bulk_create(
        [
            OrderLine(
                order=order,
                round_product=line.offer,
                quantity=line.quantity,
                unit_price=line.offer.price,
                unit_market_price=line.offer.product.market_price,
                value=line.value,
                market_value=line.market_value,
                weight_kg=line.weight_kg,
                stock_drawn=line.stock_drawn,
            )
            for line in lines
        ]
    )
    _set_totals(order, lines)


def _new_reference() -> str:
    while True:
        reference = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        if not Order.objects.filter(reference=reference).exists():
            return reference


# --- rounds ------------------------------------------------------------------


ROUND_FIELDS = (
    "name",
    "opens_at",
    "closes_at",
    "delivery_on",
    "handling_fee_kind",
    "handling_fee_value",
    "transport_kind",
    "transport_value",
)
EDITABLE_STATUSES = {SalesRound.Status.DRAFT, SalesRound.Status.OPEN}


def _check_round(
    draft: SalesRound, offers: list[RoundProduct], points: list[RoundPoint]
) -> None:
    """The rules of a round's window, fees, products and points."""
    problems = []
    if not (draft.name or "").strip():
        problems.append(_("Give the round a name."))
    if draft.opens_at and draft.closes_at and draft.closes_at <= draft.opens_at:
        problems.append(_("Ordering must close after it opens."))
    if (
        draft.closes_at
        and draft.delivery_on
        and draft.delivery_on < timezone.localdate(draft.closes_at)
    ):
        problems.append(_("Delivery cannot come before ordering closes."))
    if draft.handling_fee_kind not in SalesRound.HandlingFeeKind.values:
        problems.append(_("Choose a kind of handling fee."))
    if draft.transport_kind not in SalesRound.TransportKind.values:
        problems.append(_("Choose a kind of transport support."))
    if (draft.handling_fee_value or 0) < 0 or (draft.transport_value or 0) < 0:
        problems.append(_("Fees cannot be negative."))
    if (
        draft.handling_fee_kind == SalesRound.HandlingFeeKind.PERCENT
        and (draft.handling_fee_value or 0) > 10_000
    ):
        problems.append(_("A percentage fee cannot exceed 100%."))
    products = [offer.product_id for offer in offers]
    if len(products) != len(set(products)):
        problems.append(_("A product is offered twice in this round."))
    for offer in offers:
        if offer.price is None or offer.price <= 0:
            problems.append(_("Every product needs a round price above zero."))
        if offer.cap is not None and offer.cap < 0:
            problems.append(_("A quantity cap cannot be negative."))
        elif offer.cap is not None and offer.cap < (offer.sold or 0):
            problems.append(
                _("The cap of %(product)s is below what is already sold (%(sold)s).")
                % {"product": offer.product, "sold": f"{offer.sold:g}"}
            )
    chosen = [entry.point_id for entry in points]
    if len(chosen) != len(set(chosen)):
        problems.append(_("A pickup point is listed twice in this round."))
    if problems:
        # Each message once, in the order found.
        raise ValidationError(list(dict.fromkeys(problems)), code="bad_round")


@transaction.atomic
def save_round(*, actor: Any, draft: SalesRound) -> SalesRound:
    """Create or edit a round from an unsaved copy holding its products and points.

    `draft` is what the admin form makes (a cluster: `draft.products` and
    `draft.points` hold the rows as edited). Nothing is written unless every
    rule holds. Counters (`sold`, `taken`) are never taken from the draft, so
    an edit during an open round cannot undo concurrent orders; a product or
    point that already has orders cannot be removed.
    """
    offers = list(draft.products.all())
    points = list(draft.points.all())
    values = {field: getattr(draft, field) for field in ROUND_FIELDS}
    values["name"] = (values["name"] or "").strip()
    if draft.pk is None:
        _check_round(draft, offers, points)
        sales_round = SalesRound.objects.create(**values, created_by=_user(actor))
        action = "round.created"
    else:
        sales_round = SalesRound.objects.select_for_update().get(pk=draft.pk)
        if sales_round.status not in EDITABLE_STATUSES:
            raise ValidationError(
                _("Only a draft or open round can be changed."), code="status"
            )
        stored = {offer.pk: offer for offer in sales_round.products.all()}
        for offer in offers:
            if offer.pk in stored:
                offer.sold = stored[offer.pk].sold
        _check_round(draft, offers, points)
        _refuse_removing_sold(sales_round, offers, points, stored)
        SalesRound.objects.filter(pk=sales_round.pk).update(**values)
        sales_round.refresh_from_db()
        action = "round.changed"
    kept = [offer.pk for offer in offers if offer.pk]
    RoundProduct.objects.filter(sales_round=sales_round).exclude(pk__in=kept).delete()
    for offer in offers:
        if offer.pk:
            RoundProduct.objects.filter(pk=offer.pk, sales_round=sales_round).update(
                product=offer.product_id, price=offer.price, cap=offer.cap
            )
        else:
            RoundProduct.objects.create(
                sales_round=sales_round,
                product_id=offer.product_id,
                price=offer.price,
                cap=offer.cap,
            )
    kept_points = [entry.point_id for entry in points]
    RoundPoint.objects.filter(sales_round=sales_round).exclude(
        point_id__in=kept_points
    ).delete()
    present = set(
        RoundPoint.objects.filter(sales_round=sales_round).values_list(
            "point_id", flat=True
        )
    )
    RoundPoint.objects.bulk_create(
        RoundPoint(sales_round=sales_round, point_id=point_id)
        for point_id in kept_points
        if point_id not in present
    )
    # A raised cap can make a sold-out product available again.
    clear_sold_out_marks(kept)
    audit.record(actor=actor, action=action, obj=sales_round)
    return sales_round


def _refuse_removing_sold(
    sales_round: SalesRound,
    offers: list[RoundProduct],
    points: list[RoundPoint],
    stored: dict[int, RoundProduct],
) -> None:
    kept = {offer.pk: offer for offer in offers if offer.pk}
    for pk, offer in stored.items():
        replaced = pk in kept and kept[pk].product_id != offer.product_id
        if (pk not in kept or replaced) and offer.lines.exists():
            raise ValidationError(
                _("%(product)s already has orders in this round; it stays.")
                % {"product": offer.product},
                code="offer_has_orders",
            )
    kept_points = {entry.point_id for entry in points}
    removed = RoundPoint.objects.filter(sales_round=sales_round).exclude(
        point_id__in=kept_points
    )
    with_orders = Order.objects.filter(
        sales_round=sales_round, point_id__in=removed.values("point_id")
    ).select_related("point")
    first = with_orders.first()
    if first is not None:
        raise ValidationError(
            _("%(point)s already has orders in this round; it stays.")
            % {"point": first.point},
            code="point_has_orders",
        )


@transaction.atomic
def create_round(
    *,
    actor: Any,
    name: str,
    opens_at: Any,
    closes_at: Any,
    delivery_on: Any,
    offers: Iterable[tuple[Product, int, Decimal | None]],
    points: Iterable[PickupPoint],
    handling_fee_kind: str = SalesRound.HandlingFeeKind.PERCENT,
    handling_fee_value: int = 0,
    transport_kind: str = SalesRound.TransportKind.PER_KG,
    transport_value: int = 0,
) -> SalesRound:
    """A draft round with its products (product, round price, cap) and points."""
    draft = SalesRound(
        name=name,
        opens_at=opens_at,
        closes_at=closes_at,
        delivery_on=delivery_on,
        handling_fee_kind=handling_fee_kind,
        handling_fee_value=handling_fee_value,
        transport_kind=transport_kind,
        transport_value=transport_value,
    )
    draft.products = [
        RoundProduct(product=product, price=price, cap=cap)
        for product, price, cap in offers
    ]
    draft.points = [RoundPoint(point=point) for point in points]
    return save_round(actor=actor, draft=draft)


@transaction.atomic
def open_round(*, actor: Any, sales_round: SalesRound) -> SalesRound:
    sales_round = SalesRound.objects.select_for_update().get(pk=sales_round.pk)
    if sales_round.status != SalesRound.Status.DRAFT:
        raise ValidationError(_("Only a draft round can be opened."), code="status")
    if not sales_round.products.exists() or not sales_round.points.exists():
        raise ValidationError(
            _("A round needs at least one product and one pickup point."),
            code="incomplete",
        )
    if (
        sales_round.handling_fee_kind == SalesRound.HandlingFeeKind.PERCENT
        and sales_round.handling_fee_value > 10_000
    ):
        raise ValidationError(
            _("A percentage fee cannot exceed 100%."), code="fee_too_high"
        )
    sales_round.status = SalesRound.Status.OPEN
    sales_round.save(update_fields=["status"])
    audit.record(actor=actor, action="round.opened", obj=sales_round)
    return sales_round


@transaction.atomic
def close_round(*, actor: Any, sales_round: SalesRound) -> SalesRound:
    """Stop ordering and queue consolidation in the background."""
    from .tasks import consolidate_round_task

    sales_round = SalesRound.objects.select_for_update().get(pk=sales_round.pk)
    if sales_round.status != SalesRound.Status.OPEN:
        raise ValidationError(_("Only an open round can be closed."), code="status")
    sales_round.status = SalesRound.Status.CLOSED
    sales_round.closed_at = timezone.now()
    sales_round.save(update_fields=["status", "closed_at"])
    audit.record(actor=actor, action="round.closed", obj=sales_round)
    round_id = sales_round.pk
    transaction.on_commit(
        _in_this_schema(lambda: consolidate_round_task.delay(round_id))
    )
    logger.info("Round %s closed; consolidation queued", round_id)
    return sales_round


def close_due_rounds() -> list[int]:
    """Close every open round past its closing time (the beat task's work)."""
    closed = []
    due = SalesRound.objects.filter(
        status=SalesRound.Status.OPEN, closes_at__lte=timezone.now()
    )
    for sales_round in due:
        close_round(actor=None, sales_round=sales_round)
        closed.append(sales_round.pk)
    return closed


@transaction.atomic
def consolidate_round(*, sales_round: SalesRound, actor: Any = None) -> SalesRound:
    """One purchase order per producer and one manifest per point, set-based.

    Re-running replaces what an earlier run made, so a retried task is safe.
    """
    sales_round = SalesRound.objects.select_for_update().get(pk=sales_round.pk)
    if sales_round.status not in {
        SalesRound.Status.CLOSED,
        SalesRound.Status.CONSOLIDATED,
    }:
        raise ValidationError(
            _("Only a closed round can be consolidated."), code="status"
        )
    now = timezone.now()
    params = {"round": sales_round.pk, "now": now, "cancelled": Order.Status.CANCELLED}
    counted = """
        FROM orders_orderline l
        JOIN orders_order o ON o.id = l.order_id
        JOIN orders_roundproduct rp ON rp.id = l.round_product_id
        JOIN catalog_product p ON p.id = rp.product_id
        WHERE o.sales_round_id = %(round)s AND o.status <> %(cancelled)s
    """
    with connection.cursor() as cursor:
        # Foreign keys are checked at commit, so children go first by hand.
        cursor.execute(
            "DELETE FROM orders_purchaseorderline WHERE purchase_order_id IN"
            " (SELECT id FROM orders_purchaseorder WHERE sales_round_id = %(round)s)",
            params,
        )
        cursor.execute(
            "DELETE FROM orders_manifestline WHERE manifest_id IN"
            " (SELECT id FROM orders_pointmanifest WHERE sales_round_id = %(round)s)",
            params,
        )
        cursor.execute(
            "DELETE FROM orders_purchaseorder WHERE sales_round_id = %(round)s",
            params,
        )
        cursor.execute(
            "DELETE FROM orders_pointmanifest WHERE sales_round_id = %(round)s",
            params,
        )
        cursor.execute(
            "INSERT INTO orders_purchaseorder"
            " (sales_round_id, producer_id, value, weight_kg, created_at)"
            " SELECT %(round)s, p.producer_id, SUM(l.value), SUM(l.weight_kg), %(now)s"
            + counted
            + " GROUP BY p.producer_id",
            params,
        )
        cursor.execute(
            "INSERT INTO orders_purchaseorderline"
            " (purchase_order_id, round_product_id, point_id, quantity, weight_kg,"
            " value)"
            " SELECT po.id, t.round_product_id, t.point_id, t.quantity, t.weight_kg,"
            " t.value FROM (SELECT p.producer_id, l.round_product_id, o.point_id,"
            " SUM(l.quantity) AS quantity, SUM(l.weight_kg) AS weight_kg,"
            " SUM(l.value) AS value"
            + counted
            + " GROUP BY p.producer_id, l.round_product_id, o.point_id) t"
            " JOIN orders_purchaseorder po ON po.producer_id = t.producer_id"
            " AND po.sales_round_id = %(round)s",
            params,
        )
        cursor.execute(
            "INSERT INTO orders_pointmanifest"
            " (sales_round_id, point_id, orders, value, weight_kg, created_at)"
            " SELECT %(round)s, o.point_id, COUNT(*), SUM(o.value), SUM(o.weight_kg),"
            " %(now)s FROM orders_order o"
            " WHERE o.sales_round_id = %(round)s AND o.status <> %(cancelled)s"
            " GROUP BY o.point_id",
            params,
        )
        cursor.execute(
            "INSERT INTO orders_manifestline"
            " (manifest_id, round_product_id, quantity, weight_kg)"
            " SELECT m.id, t.round_product_id, t.quantity, t.weight_kg"
            " FROM (SELECT o.point_id, l.round_product_id,"
            " SUM(l.quantity) AS quantity, SUM(l.weight_kg) AS weight_kg"
            + counted
            + " GROUP BY o.point_id, l.round_product_id) t"
            " JOIN orders_pointmanifest m ON m.point_id = t.point_id"
            " AND m.sales_round_id = %(round)s",
            params,
        )
    sales_round.status = SalesRound.Status.CONSOLIDATED
    sales_round.consolidated_at = now
    sales_round.save(update_fields=["status", "consolidated_at"])
    audit.record(actor=actor, action="round.consolidated", obj=sales_round)
    logger.info("Round %s consolidated", sales_round.pk)
    return sales_round


# The fee of each counted line, in one statement. Rounding rule: a percentage
# or per-kg amount is floored per line; an amount per order (or per trip to a
# point) is split over the order's (the point's) lines in proportion to value,
# floored, and the đồng left over go to the line of highest value (lowest id
# on a tie), so the parts add up exactly to the amount.
LINE_FEES_SQL = """
WITH counted AS (
    SELECT l.id, l.order_id, o.point_id, l.value, l.weight_kg
    FROM orders_orderline l JOIN orders_order o ON o.id = l.order_id
    WHERE o.sales_round_id = %(round)s AND o.status <> ALL(%(excluded)s)
),
shares AS (
    SELECT c.*,
        SUM(c.value) OVER (PARTITION BY c.order_id) AS order_value,
        COUNT(*) OVER (PARTITION BY c.order_id) AS order_lines,
        ROW_NUMBER() OVER (PARTITION BY c.order_id ORDER BY c.value DESC, c.id)
            AS order_rank,
        SUM(c.value) OVER (PARTITION BY c.point_id) AS point_value,
        COUNT(*) OVER (PARTITION BY c.point_id) AS point_lines,
        ROW_NUMBER() OVER (PARTITION BY c.point_id ORDER BY c.value DESC, c.id)
            AS point_rank
    FROM counted c
),
floored AS (
    SELECT s.*,
        CASE %(handling_kind)s
            WHEN 'percent' THEN FLOOR(s.value * %(handling)s / 10000.0)
            WHEN 'per_kg' THEN FLOOR(s.weight_kg * %(handling)s)
            ELSE CASE WHEN s.order_value > 0
                THEN FLOOR(%(handling)s * s.value / s.order_value::numeric)
                ELSE CASE WHEN s.order_rank = 1 THEN %(handling)s ELSE 0 END END
        END AS handling_part,
        CASE %(transport_kind)s
            WHEN 'per_kg' THEN FLOOR(s.weight_kg * %(transport)s)
            ELSE CASE WHEN s.point_value > 0
                THEN FLOOR(%(transport)s * s.value / s.point_value::numeric)
                ELSE CASE WHEN s.point_rank = 1 THEN %(transport)s ELSE 0 END END
        END AS transport_part
    FROM shares s
),
fees AS (
    SELECT f.id,
        f.handling_part + CASE
            WHEN %(handling_kind)s = 'per_order' AND f.order_rank = 1
            THEN %(handling)s - SUM(f.handling_part) OVER (PARTITION BY f.order_id)
            ELSE 0 END AS handling_fee,
        f.transport_part + CASE
            WHEN %(transport_kind)s = 'per_trip' AND f.point_rank = 1
            THEN %(transport)s - SUM(f.transport_part) OVER (PARTITION BY f.point_id)
            ELSE 0 END AS transport_support
    FROM floored f
)
UPDATE orders_orderline l
SET handling_fee = fees.handling_fee, transport_support = fees.transport_support
FROM fees WHERE fees.id = l.id
"""

# Settlement counts what was handed over or still waits at the point; goods a
# member never collected and cancelled orders earn nobody anything.
NOT_SETTLED = [Order.Status.CANCELLED, Order.Status.NOT_COLLECTED]


@transaction.atomic
def settle_round(*, actor: Any, sales_round: SalesRound) -> SalesRound:
    """Fees per line, then one statement per point and per producer."""
    from .models import Settlement

    sales_round = SalesRound.objects.select_for_update().get(pk=sales_round.pk)
    if sales_round.status not in {
        SalesRound.Status.CONSOLIDATED,
        SalesRound.Status.SETTLED,
    }:
        raise ValidationError(
            _("Only a consolidated round can be settled."), code="status"
        )
    params = {
        "round": sales_round.pk,
        "excluded": [str(status) for status in NOT_SETTLED],
        "handling_kind": sales_round.handling_fee_kind,
        "handling": sales_round.handling_fee_value,
        "transport_kind": sales_round.transport_kind,
        "transport": sales_round.transport_value,
        "now": timezone.now(),
    }
    grouped = """
        SELECT {key}, COUNT(DISTINCT o.id), COALESCE(SUM(l.weight_kg), 0),
            SUM(l.value), SUM(l.handling_fee), SUM(l.transport_support), {net},
            %(now)s, %(round)s, %(kind)s
        FROM orders_orderline l
        JOIN orders_order o ON o.id = l.order_id
        JOIN orders_roundproduct rp ON rp.id = l.round_product_id
        JOIN catalog_product p ON p.id = rp.product_id
        WHERE o.sales_round_id = %(round)s AND o.status <> ALL(%(excluded)s)
        GROUP BY {key}
    """
    columns = (
        "orders, weight_kg, gross, handling_fee, transport_support, net,"
        " created_at, sales_round_id, kind"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE orders_orderline l SET handling_fee = 0, transport_support = 0"
            " FROM orders_order o WHERE o.id = l.order_id"
            " AND o.sales_round_id = %(round)s",
            params,
        )
        cursor.execute(LINE_FEES_SQL, params)
        cursor.execute(
            "DELETE FROM orders_settlement WHERE sales_round_id = %(round)s", params
        )
        cursor.execute(
            f"INSERT INTO orders_settlement (point_id, {columns}) "
            + grouped.format(
                key="o.point_id",
                net="SUM(l.handling_fee) + SUM(l.transport_support)",
            ),
            {**params, "kind": Settlement.Kind.POINT.value},
        )
        cursor.execute(
            f"INSERT INTO orders_settlement (producer_id, {columns}) "
            + grouped.format(
                key="p.producer_id",
                net="SUM(l.value) - SUM(l.handling_fee) - SUM(l.transport_support)",
            ),
            {**params, "kind": Settlement.Kind.PRODUCER.value},
        )
    sales_round.status = SalesRound.Status.SETTLED
    sales_round.settled_at = params["now"]
    sales_round.save(update_fields=["status", "settled_at"])
    audit.record(actor=actor, action="round.settled", obj=sales_round)
    api_notify()
    return sales_round


# --- orders --------------------------------------------------------------------


@transaction.atomic
def place_order(
    *,
    actor: Any,
    member: Member,
    sales_round: SalesRound,
    point: PickupPoint | None,
    quantities: Mapping[Any, Any],
    idempotency_key: str,
    payment_method: str = Order.Payment.CASH,
    deliver_to_address: bool = False,
    delivery_address: str = "",
    livestream_id: int | None = None,
) -> Order:
    """Place a member's order; the same key again returns the first order.

    The rows every order of a flash sale competes for (the point's count, the
    offers, the products) are updated last, just before the commit, so each
    order holds their locks for as short a time as possible.
    """
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise ValidationError(_("The form has expired; please try again."))
    # Locking the member serialises a double tap: the second request waits,
    # then finds the first one's order.
    active, existing_id = _lock_member(member, key)
    if existing_id is not None:
        return Order.objects.get(pk=existing_id)
    if not active:
        raise ValidationError(_("This membership is not active."), code="inactive")
    if payment_method not in Order.Payment.values:
        raise ValidationError(_("Choose a way to pay."), code="payment")
    sales_round = _lock_round_open(sales_round)
    refuse_marked_sold_out(quantities)
    if point is None:
        raise _point_not_in_round()
    address = _delivery_address(point, deliver_to_address, delivery_address)
    lines = _lines(sales_round, quantities)
    order = Order(
        sales_round=sales_round,
        member=member,
        point=point,
        deliver_to_address=deliver_to_address,
        delivery_address=address,
        payment_method=payment_method,
        reference=_new_reference(),
        idempotency_key=key,
        placed_by=actor if getattr(actor, "is_authenticated", False) else None,
        livestream_id=livestream_id,
    )
    _set_totals(order, lines)
    order.save(force_insert=True)
    _write_lines(order, lines)
    OrderEvent.objects.create(
        order=order,
        actor=order.placed_by,
        action="placed",
        after=_snapshot(order, lines),
    )
    _take_place(sales_round, point)
    _move_stock(
        {line.offer.pk: (line.offer, line.quantity, line.stock_drawn) for line in lines}
    )
    _notify_member(order.pk, "confirmation")
    _record_livestream(order)
    api_notify()
    return order


def _lock_member(member: Member, key: str) -> tuple[bool, int | None]:
    """Lock the member's row; answer whether it is active and its order by key.

    Two statements: the second takes its snapshot after the lock is granted,
    so it sees an order that a concurrent double tap has just committed.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT active FROM network_member WHERE id = %s FOR NO KEY UPDATE",
            [member.pk],
        )
        row = cursor.fetchone()
        if row is None:
            raise ValidationError(_("This membership is not active."), code="inactive")
        cursor.execute(
            "SELECT id FROM orders_order WHERE member_id = %s AND idempotency_key = %s",
            [member.pk, key],
        )
        existing = cursor.fetchone()
    return row[0], existing[0] if existing else None


def _lock_order(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("sales_round", "member", "point")
        .get(pk=order.pk)
    )


@transaction.atomic
def change_order(
    *,
    actor: Any,
    order: Order,
    quantities: Mapping[Any, Any],
    point: PickupPoint | None = None,
    deliver_to_address: bool | None = None,
    delivery_address: str | None = None,
) -> Order:
    """Replace an order's lines (and maybe its point) while the round is open."""
    order = _lock_order(order)
    if order.status != Order.Status.CONFIRMED:
        raise ValidationError(
            _("Only a confirmed order can be changed."), code="status"
        )
    sales_round = _lock_round_open(order.sales_round)
    point = point or order.point
    deliver = (
        order.deliver_to_address if deliver_to_address is None else deliver_to_address
    )
    address = _check_point(
        sales_round,
        point,
        deliver,
        order.delivery_address if delivery_address is None else delivery_address,
    )
    if point.pk != order.point_id:
        _move_place(sales_round, order.point_id, point)
    before = _snapshot(order)
    new_lines = _lines(sales_round, quantities)
    changes: dict[int, tuple[RoundProduct, Decimal, int]] = {}
    old_lines = list(order.lines.select_related("round_product__product"))
    for old in old_lines:
        changes[old.round_product_id] = (
            old.round_product,
            -old.quantity,
            -old.stock_drawn,
        )
    for line in new_lines:
        offer, delta, stock = changes.get(line.offer.pk, (line.offer, Decimal(0), 0))
        changes[line.offer.pk] = (
            line.offer,
            delta + line.quantity,
            stock + line.stock_drawn,
        )
    _move_stock(changes)
    # The lines are replaced; their earlier quantities stay in the event.
    order.lines.all().delete()
    _write_lines(order, new_lines)
    order.point = point
    order.deliver_to_address = deliver
    order.delivery_address = address
    order.save()
    OrderEvent.objects.create(
        order=order,
        actor=_user(actor),
        action="changed",
        before=before,
        after=_snapshot(order, new_lines),
    )
    api_notify()
    return order


@transaction.atomic
def cancel_order(*, actor: Any, order: Order, reason: str = "") -> Order:
    """Cancel and give the quantities back. Members only while the round is open."""
    order = _lock_order(order)
    if order.status != Order.Status.CONFIRMED:
        raise ValidationError(
            _("Only a confirmed order can be cancelled."), code="status"
        )
    # Staff may still cancel after closing, e.g. a producer's shortfall.
    if not is_staff(actor):
        _lock_round_open(order.sales_round)
    before = _snapshot(order)
    lines = list(order.lines.select_related("round_product__product"))
    _give_place_back(order.sales_round_id, order.point_id)
    _move_stock(
        {
            line.round_product_id: (
                line.round_product,
                -line.quantity,
                -line.stock_drawn,
            )
            for line in lines
        }
    )
    order.status = Order.Status.CANCELLED
    order.save(update_fields=["status", "updated_at"])
    OrderEvent.objects.create(
        order=order,
        actor=_user(actor),
        action="cancelled",
        before=before,
        after={"status": order.status, "reason": reason},
    )
    api_notify()
    return order


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def mark_paid(*, actor: Any, order: Order) -> Order:
    order = _lock_order(order)
    if order.status == Order.Status.CANCELLED:
        raise ValidationError(_("A cancelled order cannot be paid."), code="status")
    if order.paid_at is not None:
        return order
    order.paid_at = timezone.now()
    order.paid_by = _user(actor)
    order.save(update_fields=["paid_at", "paid_by", "updated_at"])
    OrderEvent.objects.create(
        order=order, actor=_user(actor), action="paid", after={"value": order.value}
    )
    audit.record(actor=actor, action="order.paid", obj=order, value=order.value)
    return order


# Which status each hand-over step may start from.
TRANSITIONS = {
    Order.Status.DELIVERED: {Order.Status.CONFIRMED},
    Order.Status.COLLECTED: {Order.Status.DELIVERED, Order.Status.NOT_COLLECTED},
    Order.Status.NOT_COLLECTED: {Order.Status.DELIVERED},
}


def _move(actor: Any, order: Order, status: str) -> Order:
    order = _lock_order(order)
    if order.status not in TRANSITIONS[status]:
        raise ValidationError(
            _("The order is %(status)s; this step does not apply.")
            % {"status": order.get_status_display().lower()},
            code="status",
        )
    if order.sales_round.status in {SalesRound.Status.DRAFT, SalesRound.Status.OPEN}:
        raise ValidationError(
            _("Goods are handed over only after the round has closed."),
            code="round_open",
        )
    before = order.status
    order.status = status
    order.save(update_fields=["status", "updated_at"])
    OrderEvent.objects.create(
        order=order,
        actor=_user(actor),
        action=status,
        before={"status": before},
        after={"status": status},
    )
    api_notify()
    return order


@transaction.atomic
def mark_delivered_to_point(*, actor: Any, order: Order) -> Order:
    order = _move(actor, order, Order.Status.DELIVERED)
    _notify_member(order.pk, "ready")
    return order


@transaction.atomic
def mark_collected(*, actor: Any, order: Order) -> Order:
    return _move(actor, order, Order.Status.COLLECTED)


@transaction.atomic
def mark_not_collected(*, actor: Any, order: Order) -> Order:
    return _move(actor, order, Order.Status.NOT_COLLECTED)
