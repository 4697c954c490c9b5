"""The catalog's screens in a province's Wagtail admin, grouped in one menu.

Decisions (verify, reject, approve a price change) go through the services,
from a small confirmation page per record, so that each leaves its audit row.
Producer and product records staff add or edit go through the services too.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from ketnoi import access

from . import services
from .models import Category, Certificate, Producer, Product, ProductChange


class DecisionIndexView(IndexView):
    decisions: list = []
    decision_url_name = ""

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for action, label, statuses in self.decisions:
            if instance.status in statuses:
                url = reverse(
                    self.decision_url_name, kwargs={"pk": instance.pk, "action": action}
                )
                buttons.append(MenuItem(label, url, icon_name="check", priority=5))
        return buttons


class DecisionViewSet(ModelViewSet):
    """A model viewset with decision actions backed by services."""

    index_view_class = DecisionIndexView
    # (action, label, statuses where it applies, service, needs a reason)
    decisions: tuple = ()
    inspect_view_enabled = True

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            decisions=[
                (name, label, statuses) for name, label, statuses, *_x in self.decisions
            ],
            decision_url_name=self.get_url_name("decide"),
            **kwargs,
        )

    def decide_view(self, request, pk, action):
        access.require(access.is_staff(request.user))
        decision = next((d for d in self.decisions if d[0] == action), None)
        if decision is None:
            raise Http404
        _action, label, statuses, service, with_reason = decision
        instance = get_object_or_404(self.model, pk=pk)
        index_url = reverse(self.get_url_name("index"))
        if request.method == "POST":
            arguments = {self.subject: instance, "actor": request.user}
            if with_reason:
                arguments["reason"] = request.POST.get("reason", "")[:300]
            try:
                service(**arguments)
            except (ValidationError, PermissionDenied) as error:
                messages.error(
                    request,
                    " ".join(getattr(error, "messages", [])) or _("Not allowed."),
                )
            else:
                messages.success(
                    request,
                    _("Done: %(label)s — %(item)s")
                    % {"label": label, "item": instance},
                )
            return redirect(index_url)
        return TemplateResponse(
            request,
            "catalog/admin/decide.html",
            {
                "instance": instance,
                "label": label,
                "with_reason": with_reason,
                "index_url": index_url,
                "header_title": label,
                "page_title": label,
            },
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("decide/<int:pk>/<slug:action>/", self.decide_view, name="decide")
        ]


class ServiceErrors:
    """Shows a service's refusal on the form, as the form's own errors are."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            _add_errors(form, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


PRODUCER_FORM_FIELDS = [*services.IMPORT_FIELDS, "users"]


class ProducerCreateView(ServiceErrors, CreateView):
    """Staff record a producer as an application, which they verify next."""

    def save_instance(self):
        data = self.form.cleaned_data
        values = {field: data[field] for field in services.IMPORT_FIELDS}
        producer = services.apply_producer(actor=self.request.user, **values)
        producer.users.set(data["users"])
        return producer


class ProducerEditView(ServiceErrors, EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.update_producer(
            producer=self.object,
            actor=self.request.user,
            users=data["users"],
            **{field: data[field] for field in services.IMPORT_FIELDS},
        )


class ProducerViewSet(DecisionViewSet):
    model = Producer
    subject = "producer"
    icon = "group"
    menu_label = gettext_lazy("Producers")
    list_display = ["name", "kind", "women_owned", "status", "created_at"]
    list_filter = ["status", "kind", "women_owned", "province_code"]
    search_fields = ["name", "contact_name", "email", "phone"]
    form_fields = PRODUCER_FORM_FIELDS
    add_view_class = ProducerCreateView
    edit_view_class = ProducerEditView
    add_to_admin_menu = False
    decisions = (
        (
            "verify",
            gettext_lazy("Verify"),
            ("applied", "suspended"),
            services.verify_producer,
            False,
        ),
        (
            "reject",
            gettext_lazy("Reject"),
            ("applied",),
            services.reject_producer,
            True,
        ),
        (
            "suspend",
            gettext_lazy("Suspend"),
            ("verified",),
            services.suspend_producer,
            True,
        ),
    )


class CertificateViewSet(DecisionViewSet):
    model = Certificate
    subject = "certificate"
    icon = "doc-full"
    menu_label = gettext_lazy("Certificates")
    list_display = ["__str__", "producer", "product", "expires_on", "status"]
    list_filter = ["status", "kind", "expires_on"]
    search_fields = ["number", "issuer", "producer__name"]
    # Certificates arrive through the portal (services.add_certificate); staff
    # decide on them here rather than edit them.
    form_fields = ["status_note"]
    add_to_admin_menu = False
    decisions = (
        (
            "verify",
            gettext_lazy("Verify"),
            ("pending", "rejected"),
            services.verify_certificate,
            False,
        ),
        (
            "reject",
            gettext_lazy("Reject"),
            ("pending", "verified"),
            services.reject_certificate,
            True,
        ),
    )


class ProductChangeViewSet(DecisionViewSet):
    model = ProductChange
    subject = "change"
    icon = "resubmit"
    menu_label = gettext_lazy("Price changes to review")
    list_display = [
        "product",
        "old_price",
        "price",
        "old_market_price",
        "market_price",
        "status",
        "requested_at",
    ]
    list_filter = ["status"]
    search_fields = ["product__name", "product__producer__name"]
    form_fields = ["note"]
    add_to_admin_menu = False
    decisions = (
        (
            "approve",
            gettext_lazy("Approve"),
            ("pending",),
            services.approve_product_change,
            False,
        ),
        (
            "reject",
            gettext_lazy("Reject"),
            ("pending",),
            services.reject_product_change,
            True,
        ),
    )


PRODUCT_FORM_FIELDS = ["producer", *services.PRODUCT_FIELDS]


def _product_values(form) -> dict:
    return {field: form.cleaned_data[field] for field in services.PRODUCT_FIELDS}


class ProductCreateView(ServiceErrors, CreateView):
    def save_instance(self):
        values = _product_values(self.form)
        return services.create_product(
            producer=self.form.cleaned_data["producer"],
            actor=self.request.user,
            confirm_above_market=True,
            **values,
        )


class ProductEditView(ServiceErrors, EditView):
    def save_instance(self):
        product, _change = services.update_product(
            product=self.object,
            actor=self.request.user,
            confirm_above_market=True,
            **_product_values(self.form),
        )
        return product


def _add_errors(form, error: ValidationError) -> None:
    by_field = error.error_dict if hasattr(error, "error_dict") else None
    for field, errors in (by_field or {None: error.error_list}).items():
        form.add_error(field if field in form.fields else None, errors)


class ProductViewSet(ModelViewSet):
    model = Product
    icon = "tag"
    menu_label = gettext_lazy("Products")
    list_display = ["name", "producer", "category", "price", "market_price", "active"]
    list_filter = ["category", "active", "vietnamese_goods", "unit"]
    search_fields = ["name", "origin", "producer__name"]
    form_fields = PRODUCT_FORM_FIELDS
    add_view_class = ProductCreateView
    edit_view_class = ProductEditView
    add_to_admin_menu = False

    def formfield_for_dbfield(self, db_field, **kwargs):
        if isinstance(db_field, models.URLField):
            # A link typed without its scheme is taken as https.
            kwargs.setdefault("assume_scheme", "https")
        return super().formfield_for_dbfield(db_field, **kwargs)


class CategoryViewSet(ModelViewSet):
    model = Category
    icon = "list-ul"
    menu_label = gettext_lazy("Categories")
    list_display = ["name", "slug", "order"]
    search_fields = ["name"]
    form_fields = ["name", "slug", "order"]
    add_to_admin_menu = False


class CatalogGroup(ViewSetGroup):
    menu_label = gettext_lazy("Product catalog")
    menu_icon = "tag"
    menu_order = 200
    items = (
        ProducerViewSet("catalog_producers"),
        CertificateViewSet("catalog_certificates"),
        ProductViewSet("catalog_products"),
        ProductChangeViewSet("catalog_changes"),
        CategoryViewSet("catalog_categories"),
    )


@hooks.register("register_admin_viewset")
def register_catalog_viewsets():
    return CatalogGroup()
