"""Members' ordering pages and the coordinators' order portal.

Views stay thin: they read the form, call a service and show the answer.
"""

import logging
import uuid
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from phonenumber_field.phonenumber import to_python

from events import attribution
from ketnoi.access import get_visible_or_404, is_coordinator, is_staff, require
from network.models import Member, PickupPoint

from . import exports, selectors, services, vietqr
from .models import Order, PaymentSettings, RoundPoint, SalesRound

logger = logging.getLogger(__name__)
LOGIN_URL = "orders:login"


class PhoneOrEmailLoginForm(AuthenticationForm):
    """Members sign in with the phone number the union knows them by."""

    def clean(self):
        typed = (self.cleaned_data.get("username") or "").strip()
        number = to_python(typed, region="VN")
        if number is not None and number.is_valid():
            member = (
                Member.objects.filter(phone=number, user__isnull=False)
                .select_related("user")
                .first()
            )
            if member is not None:
                self.cleaned_data["username"] = member.user.get_username()
        return super().clean()


class MemberLoginView(LoginView):
    template_name = "orders/login.html"
    authentication_form = PhoneOrEmailLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return "/dat-hang/"


def _member(request: HttpRequest) -> Member:
    member = Member.objects.filter(user=request.user, active=True).first()
    require(member is not None)
    return member


def _basket_key(round_id: int) -> str:
    return f"orders-basket-{round_id}"


def _quantities_from(post: Any, offers: Any) -> dict[int, str]:
    # Only the quantity fields are read; prices in the request are ignored.
    found = {}
    for offer in offers:
        raw = post.get(f"qty-{offer.pk}", "").strip()
        if raw and raw not in {"0", "0.0", "0,0"}:
            found[offer.pk] = raw
    return found


def _preview(
    offers: Any, basket: dict[str, str]
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The basket priced from the database, for display only."""
    rows, totals = [], {"value": 0, "market_value": 0}
    by_id = {offer.pk: offer for offer in offers}
    for key, raw in basket.items():
        offer = by_id.get(int(key))
        if offer is None:
            continue
        try:
            quantity = services.parse_quantity(raw)
        except ValidationError:
            continue
        line = services._Line(offer, quantity)
        rows.append({"offer": offer, "quantity": quantity, "value": line.value})
        totals["value"] += line.value
        totals["market_value"] += line.market_value
    totals["savings"] = max(totals["market_value"] - totals["value"], 0)
    return rows, totals


# --- members -------------------------------------------------------------------


@login_required(login_url=LOGIN_URL)
def round_list(request: HttpRequest) -> HttpResponse:
    member = Member.objects.filter(user=request.user).first()
    rounds = list(selectors.open_rounds())
    orders = list(selectors.member_orders(member)[:20]) if member else []
    return render(
        request,
        "orders/round_list.html",
        {"rounds": rounds, "orders": orders, "member": member},
    )


@login_required(login_url=LOGIN_URL)
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    _member(request)
    sales_round = get_visible_or_404(selectors.open_rounds(), pk=round_id)
    offers = list(selectors.round_offers(sales_round))
    basket = request.session.get(_basket_key(sales_round.pk), {})
    if request.method == "POST":
        quantities = _quantities_from(request.POST, offers)
        try:
            if not quantities:
                raise ValidationError(_("The basket is empty."))
            for offer in offers:
                if offer.pk in quantities:
                    services._check_quantity(
                        offer, services.parse_quantity(quantities[offer.pk])
                    )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            basket = {str(key): value for key, value in quantities.items()}
        else:
            request.session[_basket_key(sales_round.pk)] = {
                str(key): value for key, value in quantities.items()
            }
            return redirect("orders:confirm", round_id=sales_round.pk)
    return render(
        request,
        "orders/round_detail.html",
        {"round": sales_round, "offers": offers, "basket": basket},
    )


def _livestream_id(request: HttpRequest) -> int | None:
    livestream = attribution.current_livestream(request)
    return livestream.pk if livestream else None


def _chosen_point(request: HttpRequest) -> PickupPoint | None:
    # Whether the point belongs to the round is the service's check.
    raw = request.POST.get("point", "")
    return PickupPoint.objects.filter(pk=raw).first() if raw.isdigit() else None


@login_required(login_url=LOGIN_URL)
def confirm(request: HttpRequest, round_id: int) -> HttpResponse:
    basket = request.session.get(_basket_key(round_id), {})
    if request.method == "POST" and basket:
        # The late comers of a flash sale are told at once, as the order
        # would be refused for the same reason inside its transaction; but a
        # repeated submit whose first copy took the last unit finds its order.
        try:
            services.refuse_marked_sold_out(basket)
        except ValidationError as error:
            placed = selectors.order_by_key(
                user=request.user, key=request.POST.get("idempotency_key", "")
            )
            if placed is None:
                return _sold_out_page(request, round_id, error)
            return redirect("orders:order", reference=placed)
    member = _member(request)
    sales_round = get_visible_or_404(selectors.open_rounds(), pk=round_id)
    if not basket:
        return redirect("orders:round", round_id=sales_round.pk)
    if request.method == "POST":
        try:
            order = services.place_order(
                actor=request.user,
                member=member,
                sales_round=sales_round,
                point=_chosen_point(request),
                quantities=basket,
                idempotency_key=request.POST.get("idempotency_key", ""),
                payment_method=request.POST.get("payment_method", "cash"),
                deliver_to_address=request.POST.get("deliver") == "1",
                delivery_address=request.POST.get("delivery_address", ""),
                livestream_id=_livestream_id(request),
            )
        except ValidationError as error:
            if error.code == "sold_out":
                # Nothing on the confirmation form can change this answer.
                return _sold_out_page(request, sales_round.pk, error)
            messages.error(request, " ".join(error.messages))
        else:
            request.session.pop(_basket_key(sales_round.pk), None)
            return redirect("orders:order", reference=order.reference)
    rows, totals = _preview(selectors.round_offers(sales_round), basket)
    return render(
        request,
        "orders/confirm.html",
        {
            "round": sales_round,
            "rows": rows,
            "totals": totals,
            "points": selectors.round_points(sales_round),
            "member": member,
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
            "payments": Order.Payment.choices,
        },
    )


def _sold_out_page(
    request: HttpRequest, round_id: int, error: ValidationError
) -> HttpResponse:
    return render(
        request,
        "orders/sold_out.html",
        {"round_id": round_id, "message": " ".join(error.messages)},
    )


def _order_for(request: HttpRequest, reference: str) -> Order:
    """An order its member, its point's coordinators or staff may see."""
    queryset = Order.objects.select_related("sales_round", "point", "member")
    if not is_staff(request.user):
        queryset = queryset.filter(
            Q(member__user=request.user) | Q(point__coordinators=request.user)
        ).distinct()
    return get_visible_or_404(queryset, reference=reference)


def _qr(request: HttpRequest, order: Order) -> str:
    account = PaymentSettings.for_request(request)
    if not account.ready or order.paid_at or order.status == Order.Status.CANCELLED:
        return ""
    data = vietqr.payload(
        bank_bin=account.bank_bin,
        account=account.account_number,
        amount=order.value,
        info=order.reference,
    )
    return vietqr.svg(data)


@login_required(login_url=LOGIN_URL)
def order_detail(request: HttpRequest, reference: str) -> HttpResponse:
    order = _order_for(request, reference)
    lines = order.lines.select_related("round_product__product")
    account = PaymentSettings.for_request(request)
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "lines": lines,
            "qr": _qr(request, order),
            "account": account,
            "can_change": order.status == Order.Status.CONFIRMED
            and order.sales_round.accepts_orders(),
            "events": order.events.select_related("actor"),
        },
    )


@login_required(login_url=LOGIN_URL)
def order_change(request: HttpRequest, reference: str) -> HttpResponse:
    order = _order_for(request, reference)
    require(order.member.user_id == request.user.pk)
    offers = list(selectors.round_offers(order.sales_round))
    points = list(selectors.round_points(order.sales_round))
    current = {str(line.round_product_id): line.quantity for line in order.lines.all()}
    if request.method == "POST":
        point = next(
            (p for p in points if str(p.pk) == request.POST.get("point", "")), None
        )
        try:
            services.change_order(
                actor=request.user,
                order=order,
                quantities=_quantities_from(request.POST, offers),
                point=point,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your order has been changed."))
            return redirect("orders:order", reference=order.reference)
    return render(
        request,
        "orders/order_change.html",
        {"order": order, "offers": offers, "points": points, "current": current},
    )


@login_required(login_url=LOGIN_URL)
@require_POST
def order_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    order = _order_for(request, reference)
    require(order.member.user_id == request.user.pk or is_staff(request.user))
    try:
        services.cancel_order(actor=request.user, order=order)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your order has been cancelled."))
    return redirect("orders:order", reference=order.reference)


# --- coordinators ------------------------------------------------------------------


def _portal_user(request: HttpRequest) -> None:
    require(is_coordinator(request.user) or is_staff(request.user))


def _visible_points(request: HttpRequest):
    if is_staff(request.user):
        return PickupPoint.objects.all()
    return selectors.points_of(request.user)


def _round_point(request: HttpRequest, round_id: int, point_id: int):
    _portal_user(request)
    point = get_visible_or_404(_visible_points(request), pk=point_id)
    sales_round = get_visible_or_404(
        SalesRound.objects.exclude(status=SalesRound.Status.DRAFT), pk=round_id
    )
    require(RoundPoint.objects.filter(sales_round=sales_round, point=point).exists())
    return sales_round, point


@login_required(login_url=LOGIN_URL)
def portal_home(request: HttpRequest) -> HttpResponse:
    _portal_user(request)
    entries = (
        RoundPoint.objects.filter(point__in=_visible_points(request))
        .exclude(sales_round__status=SalesRound.Status.DRAFT)
        .select_related("sales_round", "point")
        .order_by("-sales_round__delivery_on", "point__name")
    )
    return render(request, "orders/portal/home.html", {"entries": entries[:100]})


@login_required(login_url=LOGIN_URL)
def portal_orders(request: HttpRequest, round_id: int, point_id: int) -> HttpResponse:
    sales_round, point = _round_point(request, round_id, point_id)
    orders = selectors.orders_with_lines(
        Order.objects.filter(sales_round=sales_round, point=point).order_by(
            "member__full_name", "pk"
        )
    )
    return render(
        request,
        "orders/portal/orders.html",
        {"round": sales_round, "point": point, "orders": orders},
    )


PORTAL_ACTIONS = {
    "paid": services.mark_paid,
    "delivered": services.mark_delivered_to_point,
    "collected": services.mark_collected,
    "not-collected": services.mark_not_collected,
    "cancel": services.cancel_order,
}


@login_required(login_url=LOGIN_URL)
@require_POST
def portal_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    _portal_user(request)
    require(action in PORTAL_ACTIONS)
    order = get_visible_or_404(
        Order.objects.filter(point__in=_visible_points(request)), reference=reference
    )
    try:
        PORTAL_ACTIONS[action](actor=request.user, order=order)
    except ValidationError as error:
        messages.error(request, f"{order.reference}: {' '.join(error.messages)}")
    return redirect(
        "orders:portal-orders", round_id=order.sales_round_id, point_id=order.point_id
    )


@login_required(login_url=LOGIN_URL)
def portal_on_behalf(
    request: HttpRequest, round_id: int, point_id: int
) -> HttpResponse:
    sales_round, point = _round_point(request, round_id, point_id)
    offers = list(selectors.round_offers(sales_round))
    phone = request.POST.get("phone", request.GET.get("phone", "")).strip()
    member = None
    if phone:
        number = to_python(phone, region="VN")
        if number and number.is_valid():
            member = Member.objects.filter(phone=number, active=True).first()
        if member is None:
            messages.error(request, _("No member has this phone number."))
    if request.method == "POST" and member is not None:
        try:
            order = services.place_order(
                actor=request.user,
                member=member,
                sales_round=sales_round,
                point=point,
                quantities=_quantities_from(request.POST, offers),
                idempotency_key=request.POST.get("idempotency_key", ""),
                payment_method=request.POST.get("payment_method", "cash"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Order %(reference)s placed for %(name)s.")
                % {"reference": order.reference, "name": member.full_name},
            )
            return redirect(
                "orders:portal-orders", round_id=sales_round.pk, point_id=point.pk
            )
    return render(
        request,
        "orders/portal/on_behalf.html",
        {
            "round": sales_round,
            "point": point,
            "offers": offers,
            "member": member,
            "phone": phone,
            "idempotency_key": request.POST.get("idempotency_key") or uuid.uuid4().hex,
            "payments": Order.Payment.choices,
        },
    )


def _manifest_lines(
    sales_round: SalesRound, point: PickupPoint
) -> list[dict[str, Any]]:
    """What arrives at the point: from consolidation once it ran, else live."""
    from .models import ManifestLine

    stored = ManifestLine.objects.filter(
        manifest__sales_round=sales_round, manifest__point=point
    ).select_related("round_product__product")
    if stored.exists():
        source = [(m.round_product, m.quantity, m.weight_kg) for m in stored]
    else:
        totals: dict[int, list[Any]] = {}
        for order in selectors.packing_list(sales_round, point):
            for line in order.lines.all():
                entry = totals.setdefault(
                    line.round_product_id, [line.round_product, Decimal(0), Decimal(0)]
                )
                entry[1] += line.quantity
                entry[2] += line.weight_kg
        source = list(totals.values())
    return [
        {
            "name": offer.product.name,
            "unit": offer.product.get_unit_display(),
            "quantity": quantity,
            "weight_kg": weight,
        }
        for offer, quantity, weight in sorted(source, key=lambda s: s[0].product.name)
    ]


@login_required(login_url=LOGIN_URL)
def portal_manifest(
    request: HttpRequest, round_id: int, point_id: int, export: str = ""
) -> HttpResponse:
    sales_round, point = _round_point(request, round_id, point_id)
    lines = _manifest_lines(sales_round, point)
    orders = list(selectors.packing_list(sales_round, point))
    if export == "xlsx":
        workbook = exports.point_workbook(lines, orders)
        return exports.workbook_response(
            workbook, f"phieu-giao-{sales_round.pk}-{point.pk}.xlsx"
        )
    return render(
        request,
        "orders/portal/manifest.html",
        {"round": sales_round, "point": point, "lines": lines, "orders": orders},
    )
