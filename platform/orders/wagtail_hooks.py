from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ketnoi.access import is_staff

from . import admin_views, services
from .models import Order, SalesRound


class RoundSavedByService:
    """The round form's rows are written by `services.save_round`, never by the form."""

    def form_valid(self, form):
        self.form = form
        try:
            self.object = services.save_round(
                actor=self.request.user, draft=form.save(commit=False)
            )
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
        return self.save_action()


class RoundCreateView(RoundSavedByService, CreateView):
    pass


class RoundEditView(RoundSavedByService, EditView):
    pass


class SalesRoundViewSet(ModelViewSet):
    model = SalesRound
    add_view_class = RoundCreateView
    edit_view_class = RoundEditView
    icon = "date"
    menu_label = _("Sales rounds")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "status", "opens_at", "closes_at", "delivery_on"]
    list_filter = ["status"]
    search_fields = ["name"]
    inspect_view_enabled = True
    panels = [
        FieldPanel("name"),
        FieldRowPanel(
            [FieldPanel("opens_at"), FieldPanel("closes_at"), FieldPanel("delivery_on")]
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("handling_fee_kind"), FieldPanel("handling_fee_value")]
                ),
                FieldRowPanel(
                    [FieldPanel("transport_kind"), FieldPanel("transport_value")]
                ),
            ],
            heading=_("Fees"),
        ),
        InlinePanel("products", label=_("Products"), heading=_("Products")),
        InlinePanel("points", label=_("Pickup points"), heading=_("Pickup points")),
    ]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Orders change only through the services, never through a raw form."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Order, ReadOnlyPolicy(Order))


class OrderIndexView(IndexView):
    def search_queryset(self, queryset):
        # Members give phones as 09…; they are stored as +849….
        query = (self.search_query or "").strip()
        if query.startswith("0") and query[1:].isdigit():
            self.search_query = "+84" + query[1:]
        return super().search_queryset(queryset)


class OrderInspectView(InspectView):
    """The order, its history, and the staff's payment and cancel buttons."""

    template_name = "orders/admin/order_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        staff = is_staff(self.request.user)
        context["events"] = order.events.select_related("actor")
        context["can_mark_paid"] = staff and (
            order.paid_at is None and order.status != Order.Status.CANCELLED
        )
        context["can_cancel"] = staff and order.status == Order.Status.CONFIRMED
        return context


class OrderViewSet(ModelViewSet):
    model = Order
    inspect_view_class = OrderInspectView
    icon = "list-ul"
    menu_label = _("Orders")
    menu_order = 301
    add_to_admin_menu = True
    index_view_class = OrderIndexView
    list_display = [
        "reference",
        "member",
        Column("sales_round", label=_("sales round")),
        "point",
        "value",
        "status",
        "paid_at",
    ]
    list_filter = ["sales_round", "status", "point"]
    search_fields = ["reference", "member__phone", "member__full_name"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "reference",
        "sales_round",
        "member",
        "point",
        "status",
        "payment_method",
        "paid_at",
        "value",
        "market_value",
        "weight_kg",
        "created_at",
    ]
    form_fields = ["status"]

    def get_queryset(self, request):
        return Order.objects.select_related("member", "point", "sales_round")


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [
        SalesRoundViewSet("orders_sales_rounds", url_prefix="orders/rounds"),
        OrderViewSet("orders_orders", url_prefix="orders/orders"),
    ]


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path(
            "orders/round/<int:round_id>/",
            admin_views.round_operations,
            name="orders_round_operations",
        ),
        path(
            "orders/round/<int:round_id>/<str:action>/",
            admin_views.round_action,
            name="orders_round_action",
        ),
        path("orders/report/", admin_views.report, name="orders_report"),
        path(
            "orders/order/<int:order_id>/<str:action>/",
            admin_views.order_action,
            name="orders_order_action",
        ),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return StaffMenuItem(
        _("Sales report"), reverse("orders_report"), icon_name="table", order=302
    )
