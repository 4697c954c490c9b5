"""Writes of the catalog: one function per domain action.

Each takes the acting user, checks that the user may act, validates, writes
in one transaction and leaves an audit row for every verification and every
change of price. Mail goes out after commit.
"""

import functools
import logging
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import to_python as to_phone
from vietnam_provinces import Ward, WardCode

from api.changes import counts_for_reports
from ketnoi import access
from network import audit as audit_trail
from network.models import AuditEntry
from tenants import roles
from tenants.units import province_choices

from . import selectors
from .models import (
    MAX_PRICE,
    UNIT_WEIGHTS_KG,
    Category,
    Certificate,
    Producer,
    Product,
    ProductChange,
    Unit,
)
from .validators import validate_scan

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

# The longest a certificate of each kind may run, in months. OCOP ratings run
# 36 months, VietGAP at most 24, food-safety certificates 36; the others get a
# generous ceiling that still catches a mistyped year.
MAX_VALIDITY_MONTHS = {
    Certificate.Kind.OCOP: 36,
    Certificate.Kind.VIETGAP: 24,
    Certificate.Kind.FOOD_SAFETY: 36,
    Certificate.Kind.ORGANIC: 36,
    Certificate.Kind.GLOBALGAP: 36,
    Certificate.Kind.HACCP_ISO22000: 36,
}

PRICE_FIELDS = ("price", "market_price", "origin")
PRODUCT_FIELDS = (
    "category",
    "name",
    "unit",
    "unit_weight_kg",
    "price",
    "market_price",
    "stock",
    "photo",
    "story",
    "origin",
    "traceability_code",
    "traceability_url",
    "vietnamese_goods",
    "active",
)


# --- helpers -----------------------------------------------------------------


def _vn_slug(text: str) -> str:
    # slugify drops "đ", which has no decomposed form; map it first.
    text = text.replace("đ", "d").replace("Đ", "D")
    return slugify(text)[:180] or "muc"


def _unique_slug(model, text: str, exclude_pk: int | None = None) -> str:
    base = _vn_slug(text)
    taken = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, counter = base, 2
    while slug in taken:
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _audit(
    *,
    actor: Any,
    action: str,
    subject: Any,
    producer: Producer | None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
) -> AuditEntry:
    """A row of the province's shared audit trail (`network.audit`).

    `detail` holds the producer concerned, so that a producer's whole
    history can be read, and the values before and after the change.
    """
    detail: dict[str, Any] = {"producer": producer.pk if producer else None}
    if before:
        detail["before"] = before
    if after:
        detail["after"] = after
    if note:
        detail["note"] = note[:300]
    return audit_trail.record(actor=actor, action=action, obj=subject, **detail)


def shown_on_site(service: Callable[P, R]) -> Callable[P, R]:
    """Mark a service whose writes change what the province's pages show.

    The home page lists products and the site counts verified producers, so
    the cached pages are purged once the outermost transaction commits;
    a write that rolls back purges nothing.
    """

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        result = service(*args, **kwargs)
        _purge_site_pages_after_commit()
        return result

    return run


def _purge_site_pages_after_commit() -> None:
    from cms.cache import purge_pages_of

    # The callback may run after the caller has left the province's schema.
    schema_name = connection.schema_name
    transaction.on_commit(lambda: purge_pages_of(schema_name))


def _require_staff(actor: Any) -> None:
    if not access.is_staff(actor):
        raise PermissionDenied


def _require_producer_access(actor: Any, producer: Producer) -> None:
    """Staff act for any producer; a producer's users only for their own."""
    if access.is_staff(actor):
        return
    if actor is None or not access.is_producer(actor):
        raise PermissionDenied
    if not producer.users.filter(pk=actor.pk).exists():
        raise PermissionDenied


def clean_phone(value: Any) -> Any:
    phone = to_phone(value, region="VN")
    if phone is None or not phone.is_valid():
        raise ValidationError(
            {"phone": _("Enter a valid Vietnamese phone number, e.g. 0912 345 678.")},
            code="bad_phone",
        )
    return phone


def _clean_place(province_code: Any, ward_code: Any) -> tuple[int, int | None]:
    codes = {code for code, _name in province_choices()}
    try:
        province_code = int(province_code)
    except (TypeError, ValueError):
        province_code = 0
    if province_code not in codes:
        raise ValidationError(
            {"province_code": _("Choose a province from the list.")},
            code="bad_province",
        )
    if ward_code in (None, ""):
        return province_code, None
    try:
        ward = Ward.from_code(WardCode(int(ward_code)))
    except (TypeError, ValueError):
        ward = None
    if ward is None or int(ward.province_code) != province_code:
        raise ValidationError(
            {"ward_code": _("This commune or ward is not in the chosen province.")},
            code="bad_ward",
        )
    return province_code, int(ward_code)


def _clean_prices(price: Any, market_price: Any, confirm_above_market: bool):
    errors: dict[str, str] = {}
    checked: dict[str, int] = {}
    for field, value in (("price", price), ("market_price", market_price)):
        try:
            amount = int(value)
        except (TypeError, ValueError):
            errors[field] = _("Enter a whole number of đồng.")
            continue
        if amount != value and str(amount) != str(value).strip():
            errors[field] = _("Enter a whole number of đồng.")
        elif amount <= 0:
            errors[field] = _("A price must be more than 0 đồng.")
        elif amount > MAX_PRICE:
            errors[field] = _("This price is too large to be right; check the zeros.")
        else:
            checked[field] = amount
    if errors:
        raise ValidationError(errors, code="bad_price")
    if checked["price"] > checked["market_price"] and not confirm_above_market:
        # Allowed, because a market price can be out of date, but the point of
        # the network is a member price below the market: make it deliberate.
        warning = ValidationError(
            _(
                "The member price is above the market price. Tick the "
                "confirmation box if this is really meant."
            ),
            code="above_market",
        )
        raise ValidationError({"price": warning})
    return checked["price"], checked["market_price"]


def _clean_weight(unit: str, weight: Any) -> Decimal:
    if unit not in Unit.values:
        raise ValidationError({"unit": _("Choose a unit from the list.")}, code="unit")
    fixed = UNIT_WEIGHTS_KG.get(Unit(unit))
    if fixed is not None:
        return fixed.quantize(Decimal("0.001"))
    try:
        weight = Decimal(str(weight))
    except (InvalidOperation, ValueError):
        weight = Decimal(0)
    if not weight.is_finite() or weight <= 0 or weight > 10_000:
        raise ValidationError(
            {"unit_weight_kg": _("Enter the weight of one unit in kg, e.g. 0.5.")},
            code="bad_weight",
        )
    return weight.quantize(Decimal("0.001"))


def _money(product: Product) -> dict:
    return {
        "price": product.price,
        "market_price": product.market_price,
        "origin": product.origin,
    }


# --- producers -----------------------------------------------------------------


def _clean_producer(values: dict[str, Any]) -> dict[str, Any]:
    """A producer's record as stored, or a ValidationError naming each field.

    `values` holds every field of IMPORT_FIELDS; names and kind are checked,
    the phone and the place validated, text trimmed and the email lowered.
    """
    errors = {}
    if not (values["name"] or "").strip():
        errors["name"] = _("Enter the producer's name.")
    if values["kind"] not in Producer.Kind.values:
        errors["kind"] = _("Choose a kind of producer.")
    if not (values["contact_name"] or "").strip():
        errors["contact_name"] = _("Enter the name of the owner or a contact.")
    if errors:
        raise ValidationError(errors)
    cleaned = dict(values)
    cleaned["phone"] = clean_phone(values["phone"])
    cleaned["province_code"], cleaned["ward_code"] = _clean_place(
        values["province_code"], values["ward_code"]
    )
    for field in ("name", "contact_name", "email", "address", "story"):
        cleaned[field] = (values[field] or "").strip()
    cleaned["email"] = cleaned["email"].lower()
    cleaned["women_owned"] = bool(values["women_owned"])
    return cleaned


@counts_for_reports
@transaction.atomic
def apply_producer(
    *,
    name: str,
    kind: str,
    contact_name: str,
    phone: Any,
    province_code: Any,
    ward_code: Any = None,
    women_owned: bool = False,
    email: str = "",
    address: str = "",
    story: str = "",
    user: Any = None,
    password: str | None = None,
    actor: Any = None,
) -> Producer:
    """Record a producer's application; staff verify it later.

    With a password, the applicant also gets a portal account (its email is
    the username) at once, so certificates and products can be prepared
    while staff check the application.
    """
    values = _clean_producer(
        {
            "name": name,
            "kind": kind,
            "women_owned": women_owned,
            "contact_name": contact_name,
            "phone": phone,
            "email": email,
            "province_code": province_code,
            "ward_code": ward_code,
            "address": address,
            "story": story,
        }
    )
    if password:
        user = _portal_account(values["email"], password)

    producer = Producer.objects.create(
        slug=_unique_slug(Producer, values["name"]), **values
    )
    if user is not None:
        producer.users.add(user)
    _audit(actor=actor or user, action="applied", subject=producer, producer=producer)
    logger.info("Producer %s applied", producer.pk)
    return producer


IMPORT_FIELDS = (
    "name",
    "kind",
    "women_owned",
    "contact_name",
    "phone",
    "email",
    "province_code",
    "ward_code",
    "address",
    "story",
)


@counts_for_reports
@transaction.atomic
def import_producers(*, actor: Any, rows: list[dict[str, Any]]) -> list[Producer]:
    """Record producers from a staff member's list, as applications to verify.

    The rows were checked by the import (names and phones free); kind, phone
    and place are checked again here because they decide what the record
    means. Any bad row refuses the whole batch.
    """
    _require_staff(actor)
    # Every slug of the province at once: a few thousand short strings at most.
    taken = set(Producer.objects.values_list("slug", flat=True))
    producers = []
    for row in rows:
        values = _clean_producer({field: row.get(field) for field in IMPORT_FIELDS})
        base = _vn_slug(values["name"])
        slug, counter = base, 2
        while slug in taken:
            slug = f"{base}-{counter}"
            counter += 1
        taken.add(slug)
        producers.append(Producer(slug=slug, **values))

    Producer.objects.bulk_create(producers, batch_size=1000)
    audit_trail.record_many(
        actor=actor,
        action="imported",
        objects=producers,
        after={"status": Producer.Status.APPLIED},
    )
    logger.info("Imported %s producers in %s", len(producers), connection.schema_name)
    return producers


def _portal_account(email: str, password: str) -> Any:
    User = get_user_model()
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": _("Enter an email to sign in with.")})
    if User.objects.filter(username=email).exists():
        raise ValidationError(
            {"email": _("An account with this email already exists.")},
            code="taken",
        )
    user = User(username=email, email=email)
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=roles.PRODUCERS))
    return user


def _decide_producer(
    *, producer: Producer, actor: Any, status: str, action: str, reason: str = ""
) -> Producer:
    _require_staff(actor)
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    if status == Producer.Status.REJECTED and producer.status != "applied":
        raise ValidationError(
            _("Only an application can be rejected; suspend a verified producer."),
            code="wrong_status",
        )
    before = {"status": producer.status}
    producer.status = status
    producer.status_note = reason[:300]
    if status == Producer.Status.VERIFIED:
        producer.verified_by = actor
        producer.verified_at = timezone.now()
    producer.save()
    _audit(
        actor=actor,
        action=action,
        subject=producer,
        producer=producer,
        before=before,
        after={"status": status},
        note=reason,
    )
    logger.info("Producer %s %s", producer.pk, action)
    return producer


@shown_on_site
@counts_for_reports
@transaction.atomic
def verify_producer(*, producer: Producer, actor: Any) -> Producer:
    return _decide_producer(
        producer=producer, actor=actor, status="verified", action="verified"
    )


@shown_on_site
@counts_for_reports
@transaction.atomic
def reject_producer(*, producer: Producer, actor: Any, reason: str = "") -> Producer:
    return _decide_producer(
        producer=producer,
        actor=actor,
        status="rejected",
        action="rejected",
        reason=reason,
    )


@shown_on_site
@counts_for_reports
@transaction.atomic
def suspend_producer(*, producer: Producer, actor: Any, reason: str = "") -> Producer:
    return _decide_producer(
        producer=producer,
        actor=actor,
        status="suspended",
        action="suspended",
        reason=reason,
    )


@shown_on_site
@counts_for_reports
@transaction.atomic
def update_producer_profile(
    *, producer: Producer, actor: Any, story: str, address: str, email: str
) -> Producer:
    """What a producer may change without review: words, not status."""
    _require_producer_access(actor, producer)
    producer.story = story.strip()
    producer.address = address.strip()
    producer.email = email.strip().lower()
    producer.save(update_fields=["story", "address", "email"])
    return producer


def _json_ready(value: Any) -> Any:
    return str(value) if value is not None and not isinstance(value, bool) else value


@shown_on_site
@counts_for_reports
@transaction.atomic
def update_producer(
    *, producer: Producer, actor: Any, users: Any = None, **values
) -> Producer:
    """Staff correct a producer's record; an audit row lists what changed.

    Status changes only through the decisions (verify, reject, suspend).
    With `users`, the portal accounts that act for the producer are set.
    """
    _require_staff(actor)
    unknown = set(values) - set(IMPORT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown producer fields: {sorted(unknown)}")
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    merged = {field: getattr(producer, field) for field in IMPORT_FIELDS}
    merged = _clean_producer({**merged, **values})

    before, after = {}, {}
    for field in IMPORT_FIELDS:
        old, new = getattr(producer, field), merged[field]
        if str(old) != str(new):
            before[field], after[field] = _json_ready(old), _json_ready(new)
        setattr(producer, field, new)
    producer.save()
    if users is not None:
        old_users = set(producer.users.values_list("pk", flat=True))
        producer.users.set(users)
        new_users = set(producer.users.values_list("pk", flat=True))
        if old_users != new_users:
            before["users"], after["users"] = sorted(old_users), sorted(new_users)
    if after:
        _audit(
            actor=actor,
            action="producer_updated",
            subject=producer,
            producer=producer,
            before=before,
            after=after,
        )
    return producer


# --- certificates --------------------------------------------------------------


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@counts_for_reports
@transaction.atomic
def add_certificate(
    *,
    producer: Producer,
    actor: Any,
    kind: str,
    number: str = "",
    issuer: str = "",
    issued_on: date | None = None,
    expires_on: date | None = None,
    ocop_stars: int | None = None,
    product: Product | None = None,
    scan: Any = None,
) -> Certificate:
    """Store a certificate (or an exemption) for staff to verify."""
    _require_producer_access(actor, producer)
    errors: dict[str, str] = {}
    if kind not in Certificate.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of certificate.")})
    if product is not None and product.producer_id != producer.pk:
        raise ValidationError({"product": _("Choose one of this producer's products.")})

    if kind == Certificate.Kind.OCOP:
        if ocop_stars not in (3, 4, 5):
            errors["ocop_stars"] = _("An OCOP rating has 3, 4 or 5 stars.")
    elif ocop_stars:
        errors["ocop_stars"] = _("Only an OCOP rating has stars.")

    if kind == Certificate.Kind.EXEMPT:
        # An exemption is a legal status, not a document with a term.
        expires_on = None
    else:
        if not (number or "").strip():
            errors["number"] = _("Enter the certificate's number.")
        if not (issuer or "").strip():
            errors["issuer"] = _("Enter who issued the certificate.")
        if issued_on is None:
            errors["issued_on"] = _("Enter the date of issue.")
        if expires_on is None:
            errors["expires_on"] = _("Enter the expiry date.")
        if issued_on and expires_on:
            if expires_on <= issued_on:
                errors["expires_on"] = _(
                    "The expiry date must be after the issue date."
                )
            elif expires_on > _add_months(issued_on, MAX_VALIDITY_MONTHS[kind]):
                errors["expires_on"] = _(
                    "A certificate of this kind is valid for at most %(months)s "
                    "months; check the dates."
                ) % {"months": MAX_VALIDITY_MONTHS[kind]}
        if issued_on and issued_on > timezone.localdate():
            errors["issued_on"] = _("The date of issue cannot be in the future.")
    if scan:
        try:
            validate_scan(scan)
        except ValidationError as error:
            errors["scan"] = error.messages[0]
    if errors:
        raise ValidationError(errors)

    certificate = Certificate.objects.create(
        producer=producer,
        product=product,
        kind=kind,
        ocop_stars=ocop_stars if kind == Certificate.Kind.OCOP else None,
        number=(number or "").strip(),
        issuer=(issuer or "").strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        scan=scan or "",
    )
    _audit(
        actor=actor,
        action="certificate_added",
        subject=certificate,
        producer=producer,
        after={"kind": kind, "number": certificate.number},
    )
    return certificate


@shown_on_site
@counts_for_reports
@transaction.atomic
def verify_certificate(*, certificate: Certificate, actor: Any) -> Certificate:
    _require_staff(actor)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.expires_on and certificate.expires_on < timezone.localdate():
        raise ValidationError(
            _("This certificate has expired and cannot be verified."), code="expired"
        )
    before = {"status": certificate.status}
    certificate.status = Certificate.Status.VERIFIED
    certificate.status_note = ""
    certificate.verified_by = actor
    certificate.verified_at = timezone.now()
    certificate.save()
    _audit(
        actor=actor,
        action="certificate_verified",
        subject=certificate,
        producer=certificate.producer,
        before=before,
        after={"status": certificate.status},
    )
    # A product taken down for an expired certificate comes back once a
    # current one covers it again; the listing rule decides the rest.
    covered = Product.objects.filter(producer=certificate.producer_id)
    if certificate.product_id:
        covered = covered.filter(pk=certificate.product_id)
    covered.filter(delisted_at__isnull=False).update(
        delisted_at=None, delisted_reason=""
    )
    return certificate


@shown_on_site
@counts_for_reports
@transaction.atomic
def reject_certificate(
    *, certificate: Certificate, actor: Any, reason: str = ""
) -> Certificate:
    _require_staff(actor)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    before = {"status": certificate.status}
    certificate.status = Certificate.Status.REJECTED
    certificate.status_note = reason[:300]
    certificate.verified_by = actor
    certificate.verified_at = timezone.now()
    certificate.save()
    _audit(
        actor=actor,
        action="certificate_rejected",
        subject=certificate,
        producer=certificate.producer,
        before=before,
        after={"status": certificate.status},
        note=reason,
    )
    return certificate


# --- products ------------------------------------------------------------------


def _clean_product_fields(values: dict, confirm_above_market: bool) -> dict:
    cleaned = dict(values)
    name = (cleaned.get("name") or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter the product's name.")})
    cleaned["name"] = name
    if not isinstance(cleaned.get("category"), Category):
        raise ValidationError({"category": _("Choose a category.")})
    cleaned["price"], cleaned["market_price"] = _clean_prices(
        cleaned.get("price"), cleaned.get("market_price"), confirm_above_market
    )
    cleaned["unit_weight_kg"] = _clean_weight(
        cleaned.get("unit", ""), cleaned.get("unit_weight_kg")
    )
    stock = cleaned.get("stock")
    if stock not in (None, ""):
        try:
            stock = int(stock)
        except (TypeError, ValueError):
            stock = -1
        if stock < 0:
            raise ValidationError({"stock": _("Stock cannot be negative.")})
    cleaned["stock"] = None if stock in (None, "") else stock
    for field in ("story", "origin", "traceability_code", "traceability_url"):
        cleaned[field] = (cleaned.get(field) or "").strip()
    return cleaned


@shown_on_site
@counts_for_reports
@transaction.atomic
def create_product(
    *, producer: Producer, actor: Any, confirm_above_market: bool = False, **values
) -> Product:
    _require_producer_access(actor, producer)
    unknown = set(values) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown product fields: {sorted(unknown)}")
    values.setdefault("active", True)
    values.setdefault("vietnamese_goods", False)
    cleaned = _clean_product_fields(values, confirm_above_market)
    product = Product(producer=producer, **cleaned)
    product.slug = _unique_slug(Product, cleaned["name"])
    product.full_clean(exclude=["search_text", "photo"])
    product.save()
    _audit(
        actor=actor,
        action="product_created",
        subject=product,
        producer=producer,
        after=_money(product),
    )
    return product


@shown_on_site
@counts_for_reports
@transaction.atomic
def update_product(
    *, product: Product, actor: Any, confirm_above_market: bool = False, **changes
) -> tuple[Product, ProductChange | None]:
    """Change a product; a producer's new price or origin of a listed one waits.

    Staff changes apply at once. A producer's change of price, market price
    or origin on a product the public sees becomes a ProductChange for staff
    to review, while the other fields change at once. Every price change,
    applied or proposed, leaves an audit row.
    """
    product = Product.objects.select_for_update().get(pk=product.pk)
    _require_producer_access(actor, product.producer)
    unknown = set(changes) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown product fields: {sorted(unknown)}")
    values = {field: getattr(product, field) for field in PRODUCT_FIELDS}
    values.update(changes)
    cleaned = _clean_product_fields(values, confirm_above_market)

    before = _money(product)
    proposed = {field: cleaned[field] for field in PRICE_FIELDS}
    money_changed = proposed != before
    needs_review = (
        money_changed
        and not access.is_staff(actor)
        and selectors.listed_products().filter(pk=product.pk).exists()
    )

    for field in PRODUCT_FIELDS:
        if needs_review and field in PRICE_FIELDS:
            continue
        setattr(product, field, cleaned[field])
    product.full_clean(exclude=["search_text", "photo", "slug"])
    product.save()

    change = None
    if needs_review:
        # A newer proposal replaces one still waiting.
        product.changes.filter(status=ProductChange.Status.PENDING).delete()
        change = ProductChange.objects.create(
            product=product,
            price=proposed["price"],
            market_price=proposed["market_price"],
            origin=proposed["origin"],
            old_price=before["price"],
            old_market_price=before["market_price"],
            old_origin=before["origin"],
            requested_by=actor,
        )
        _audit(
            actor=actor,
            action="price_change_proposed",
            subject=product,
            producer=product.producer,
            before=before,
            after=proposed,
        )
    elif money_changed:
        _audit(
            actor=actor,
            action="price_changed",
            subject=product,
            producer=product.producer,
            before=before,
            after=proposed,
        )
    return product, change


@shown_on_site
@counts_for_reports
@transaction.atomic
def approve_product_change(*, change: ProductChange, actor: Any) -> Product:
    _require_staff(actor)
    change = ProductChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ProductChange.Status.PENDING:
        raise ValidationError(_("This change has already been decided."))
    product = Product.objects.select_for_update().get(pk=change.product_id)
    before = _money(product)
    product.price = change.price
    product.market_price = change.market_price
    product.origin = change.origin
    product.save(update_fields=["price", "market_price", "origin", "updated_at"])
    change.status = ProductChange.Status.APPROVED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.save()
    _audit(
        actor=actor,
        action="price_change_approved",
        subject=product,
        producer=product.producer,
        before=before,
        after=_money(product),
    )
    return product


@counts_for_reports
@transaction.atomic
def reject_product_change(
    *, change: ProductChange, actor: Any, reason: str = ""
) -> ProductChange:
    _require_staff(actor)
    change = ProductChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ProductChange.Status.PENDING:
        raise ValidationError(_("This change has already been decided."))
    change.status = ProductChange.Status.REJECTED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.note = reason[:300]
    change.save()
    _audit(
        actor=actor,
        action="price_change_rejected",
        subject=change.product,
        producer=change.product.producer,
        before={"price": change.old_price, "market_price": change.old_market_price},
        after={"price": change.price, "market_price": change.market_price},
        note=reason,
    )
    return change


# --- expiry --------------------------------------------------------------------


def _recipients(producer: Producer) -> list[str]:
    emails = {producer.email} if producer.email else set()
    emails.update(user.email for user in producer.users.all() if user.email)
    return sorted(emails)


def _mail_after_commit(subject: str, body: str, to: list[str]) -> None:
    if to:
        transaction.on_commit(lambda: send_mail(subject, body, None, to))


@counts_for_reports
@transaction.atomic
def send_expiry_warnings(*, on: date) -> int:
    """Warn producers and staff 30 and 7 days before a certificate expires."""
    staff = selectors.staff_emails()
    sent = 0
    for days, field in ((7, "warned_7_on"), (30, "warned_30_on")):
        due = selectors.certificates_to_warn(on=on, days=days).select_for_update(
            of=("self",)
        )
        for certificate in due:
            left = (certificate.expires_on - on).days
            subject = _("Certificate %(name)s expires in %(days)s days") % {
                "name": certificate,
                "days": left,
            }
            body = _(
                "The certificate %(name)s of %(producer)s expires on %(date)s. "
                "Upload the renewed certificate in the producer portal, or its "
                "products will leave the catalog on that day."
            ) % {
                "name": certificate,
                "producer": certificate.producer.name,
                "date": certificate.expires_on.strftime("%d/%m/%Y"),
            }
            _mail_after_commit(subject, body, _recipients(certificate.producer))
            _mail_after_commit(subject, body, staff)
            setattr(certificate, field, on)
            if days == 7 and certificate.warned_30_on is None:
                certificate.warned_30_on = on
            certificate.save(update_fields=["warned_30_on", "warned_7_on"])
            sent += 1
    return sent


@shown_on_site
@counts_for_reports
@transaction.atomic
def delist_expired(*, on: date, actor: Any = None) -> list[int]:
    """Record the delisting of products whose covering certificate expired."""
    products = list(selectors.expired_products(on).select_for_update(of=("self",)))
    now = timezone.now()
    reason = _("Certificate expired")
    for product in products:
        product.delisted_at = now
        product.delisted_reason = reason
        product.save(update_fields=["delisted_at", "delisted_reason"])
        _audit(
            actor=actor,
            action="delisted",
            subject=product,
            producer=product.producer,
            note=reason,
        )
        subject = _("%(product)s has left the catalog") % {"product": product.name}
        body = _(
            "The certificate covering %(product)s has expired, so it is no longer "
            "shown to members. Upload a current certificate to list it again."
        ) % {"product": product.name}
        _mail_after_commit(subject, body, _recipients(product.producer))
    if products:
        logger.info("Delisted %s products with expired certificates", len(products))
    return [product.pk for product in products]
