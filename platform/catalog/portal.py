"""The producer portal: a producer's own products and certificates, on a phone.

Every record is reached through the signed-in user's producers, so another
producer's product answers 404 just like a missing one.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.images import get_image_model

from ketnoi import access

from . import selectors, services
from .forms import CertificateForm, ProductForm, add_service_errors
from .models import Producer, Product

LOGIN_URL = reverse_lazy("catalog:portal_login")


class PortalLoginView(LoginView):
    template_name = "catalog/portal/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse_lazy("catalog:portal")


def _own_producer(request: HttpRequest) -> Producer:
    access.require(access.is_producer(request.user))
    producer = selectors.producers_of(request.user).order_by("pk").first()
    access.require(producer is not None)
    return producer


# What the union did with the producer's records, as the portal tells it.
HISTORY_LABELS = {
    "applied": gettext_lazy("Application received"),
    "imported": gettext_lazy("Added from the union's list"),
    "verified": gettext_lazy("Producer verified"),
    "rejected": gettext_lazy("Application not accepted"),
    "suspended": gettext_lazy("Producer suspended"),
    "producer_updated": gettext_lazy("Details corrected by the union"),
    "certificate_added": gettext_lazy("Certificate added"),
    "certificate_verified": gettext_lazy("Certificate verified"),
    "certificate_rejected": gettext_lazy("Certificate not accepted"),
    "product_created": gettext_lazy("Product added"),
    "price_changed": gettext_lazy("Price changed"),
    "price_change_proposed": gettext_lazy("Price change sent for review"),
    "price_change_approved": gettext_lazy("Price change approved"),
    "price_change_rejected": gettext_lazy("Price change not approved"),
    "delisted": gettext_lazy("Product taken off the list"),
}


@login_required(login_url=LOGIN_URL)
def home(request: HttpRequest) -> HttpResponse:
    producer = _own_producer(request)
    listed = set(
        selectors.listed_products()
        .filter(producer=producer)
        .values_list("pk", flat=True)
    )
    products = producer.products.select_related("category").prefetch_related("changes")
    return render(
        request,
        "catalog/portal/home.html",
        {
            "producer": producer,
            "products": products,
            "listed": listed,
            "certificates": producer.certificates.select_related("product"),
            "history": [
                (entry, HISTORY_LABELS.get(entry.action, entry.action))
                for entry in selectors.producer_history(producer)
            ],
        },
    )


def _save_photo(upload, title: str):
    if not upload:
        return None
    return get_image_model().objects.create(title=title[:255], file=upload)


@login_required(login_url=LOGIN_URL)
def product_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    producer = _own_producer(request)
    product = None
    if pk is not None:
        product = access.get_visible_or_404(
            Product.objects.filter(producer__users=request.user), pk=pk
        )
    initial = {}
    if product:
        initial = {
            field: getattr(product, field)
            for field in services.PRODUCT_FIELDS
            if field != "photo"
        }
    form = ProductForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        confirm = data.pop("confirm_above_market")
        upload = data.pop("photo")
        try:
            if upload:
                data["photo"] = _save_photo(upload, data["name"])
            if product is None:
                services.create_product(
                    producer=producer,
                    actor=request.user,
                    confirm_above_market=confirm,
                    **data,
                )
                messages.success(request, _("Product added."))
            else:
                _product, change = services.update_product(
                    product=product,
                    actor=request.user,
                    confirm_above_market=confirm,
                    **data,
                )
                if change:
                    messages.info(
                        request,
                        _(
                            "Saved. The new price or origin waits for the "
                            "staff's review."
                        ),
                    )
                else:
                    messages.success(request, _("Saved."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("catalog:portal")
    title = _("Edit product") if product else _("New product")
    return render(
        request,
        "catalog/portal/form.html",
        {"form": form, "title": title, "producer": producer, "product": product},
    )


@login_required(login_url=LOGIN_URL)
def certificate_form(request: HttpRequest) -> HttpResponse:
    producer = _own_producer(request)
    form = CertificateForm(
        request.POST or None, request.FILES or None, producer=producer
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_certificate(
                producer=producer, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Certificate sent for verification."))
            return redirect("catalog:portal")
    return render(
        request,
        "catalog/portal/form.html",
        {"form": form, "title": _("New certificate"), "producer": producer},
    )
