from django import forms
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.log_actions import log

from ketnoi import access

from . import admin_views, services
from .models import Fair, Livestream


class SavedByService:
    """Admin create and edit views that write through the events services.

    The service checks the rules, writes the audit row and marks the national
    figures; a rule it refuses shows on the form and nothing is written.
    """

    def save_through_service(self):
        raise NotImplementedError

    def save_instance(self):
        instance = self.save_through_service()
        action = (
            "wagtail.edit" if isinstance(self, generic.EditView) else "wagtail.create"
        )
        log(instance, action, user=self.request.user)
        return instance

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)


class FairSaving(SavedByService):
    def save_through_service(self):
        return services.save_fair(actor=self.request.user, fair=self.form.instance)


class LivestreamSaving(SavedByService):
    def save_through_service(self):
        products = self.form.cleaned_data.get("featured_products")
        return services.save_livestream(
            actor=self.request.user,
            livestream=self.form.instance,
            featured_products=list(products) if products is not None else None,
        )


class FairCreateView(FairSaving, generic.CreateView):
    pass


class FairEditView(FairSaving, generic.EditView):
    pass


class LivestreamCreateView(LivestreamSaving, generic.CreateView):
    pass


class LivestreamEditView(LivestreamSaving, generic.EditView):
    pass


class FairViewSet(ModelViewSet):
    model = Fair
    add_view_class = FairCreateView
    edit_view_class = FairEditView
    icon = "date"
    menu_label = _("Fairs and market sessions")
    list_display = ["title", "kind", "starts_at", "venue", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "venue", "organisers"]
    copy_view_enabled = False
    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("venue"),
        FieldPanel("ward_code"),
        FieldPanel("organisers"),
        FieldPanel("description"),
    ]


class FeaturedProductsWidget(forms.SelectMultiple):
    """A plain multiple select; tall enough to pick a stream's few products."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"size": 12, **(attrs or {})})


class LivestreamViewSet(ModelViewSet):
    model = Livestream
    add_view_class = LivestreamCreateView
    edit_view_class = LivestreamEditView
    icon = "media"
    menu_label = _("Livestreams")
    list_display = ["title", "channel", "scheduled_at", "host_name", "status"]
    list_filter = ["channel", "status"]
    search_fields = ["title", "host_name"]
    copy_view_enabled = False
    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("scheduled_at"), FieldPanel("channel")]),
        FieldPanel("url"),
        FieldPanel("host_name"),
        FieldPanel("fair"),
        FieldPanel("description"),
        FieldPanel("featured_products", widget=FeaturedProductsWidget),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("recorded_views"),
                FieldPanel("attributed_orders", read_only=True),
                FieldPanel("attributed_value", read_only=True),
                FieldPanel("code", read_only=True),
            ],
            heading=_("After the stream"),
        ),
    ]


class EventsGroup(ModelViewSetGroup):
    menu_label = _("Events")
    menu_icon = "date"
    menu_order = 300
    items = (FairViewSet("fairs"), LivestreamViewSet("livestreams"))


@hooks.register("register_admin_viewset")
def register_events() -> EventsGroup:
    return EventsGroup()


@hooks.register("register_admin_urls")
def booth_urls():
    return [
        path(
            "events/booths/",
            admin_views.booth_applications,
            name="events_booth_applications",
        ),
        path(
            "events/booths/<int:pk>/decide/",
            admin_views.decide_booth,
            name="events_decide_booth",
        ),
        path(
            "events/booths/<int:pk>/sales/",
            admin_views.record_sale,
            name="events_record_sale",
        ),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return access.is_staff(request.user)


@hooks.register("register_admin_menu_item")
def booth_menu_item() -> MenuItem:
    return StaffMenuItem(
        _("Booth applications"),
        reverse("events_booth_applications"),
        icon_name="group",
        order=310,
    )
