"""Admin screens of a province's network, and its audit trail.

The "Network" menu holds units, members, pickup points, support groups and
the list import; the audit trail, which every app writes to, has its own item.
"""

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from ketnoi import access

from . import admin_views, forms, import_views
from .choosers import unit_chooser
from .forms import province_ward_choices
from .models import AuditEntry, Member, OrgUnit, PickupPoint, SupportGroup


class NoDeletePolicy(ModelPermissionPolicy):
    """Network records are deactivated, never deleted: orders and audit keep them."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "delete"])


for _model in (OrgUnit, Member, PickupPoint, SupportGroup):
    register_permission_policy(_model, NoDeletePolicy(_model))


def ward_filter() -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        label=_("Commune or ward"), choices=lambda: province_ward_choices()[1:]
    )


class OrgUnitFilterSet(WagtailFilterSet):
    ward_code = ward_filter()

    class Meta:
        model = OrgUnit
        fields = ["level", "ward_code", "active"]


class MemberFilterSet(WagtailFilterSet):
    ward_code = ward_filter()

    class Meta:
        model = Member
        fields = ["ward_code", "active"]


class PickupPointFilterSet(WagtailFilterSet):
    ward_code = ward_filter()

    class Meta:
        model = PickupPoint
        fields = ["ward_code", "has_cold_storage", "offers_home_delivery", "active"]


class OrgUnitViewSet(ModelViewSet):
    name = "network_orgunit"
    url_prefix = "network/orgunit"
    model = OrgUnit
    icon = "group"
    form_fields = forms.OrgUnitForm.Meta.fields
    search_fields = ["name", "code"]
    filterset_class = OrgUnitFilterSet
    copy_view_enabled = False
    list_per_page = 50
    index_view_class = admin_views.OrgUnitIndexView
    add_view_class = admin_views.OrgUnitCreateView
    edit_view_class = admin_views.OrgUnitEditView
    list_display = [
        Column("name", label=_("Name"), accessor="indented_name"),
        Column("level", label=_("Level"), accessor="get_level_display"),
        Column("ward_name", label=_("Commune or ward")),
        Column("member_count", label=_("Members")),
        BooleanColumn("active", label=_("Active")),
    ]

    def get_form_class(self, for_update=False):
        return forms.OrgUnitForm


class MemberViewSet(ModelViewSet):
    name = "network_member"
    url_prefix = "network/member"
    model = Member
    icon = "user"
    form_fields = forms.MemberForm.Meta.fields
    search_fields = ["full_name", "email"]
    filterset_class = MemberFilterSet
    copy_view_enabled = False
    list_per_page = 50
    index_view_class = admin_views.MemberIndexView
    add_view_class = admin_views.MemberCreateView
    edit_view_class = admin_views.MemberEditView
    list_display = [
        "full_name",
        Column("phone", label=_("Phone number"), accessor="phone_display"),
        Column("branch", label=_("Branch")),
        Column("ward_name", label=_("Commune or ward")),
        BooleanColumn("active", label=_("Active")),
    ]

    def get_form_class(self, for_update=False):
        return forms.MemberForm


class PickupPointViewSet(ModelViewSet):
    name = "network_pickuppoint"
    url_prefix = "network/pickuppoint"
    model = PickupPoint
    icon = "home"
    form_fields = forms.PickupPointForm.Meta.fields
    search_fields = ["name", "address", "host__full_name"]
    filterset_class = PickupPointFilterSet
    copy_view_enabled = False
    index_view_class = admin_views.PickupPointIndexView
    add_view_class = admin_views.PickupPointCreateView
    edit_view_class = admin_views.PickupPointEditView
    list_display = [
        "name",
        Column("host", label=_("Host")),
        Column("ward_name", label=_("Commune or ward")),
        Column("capacity", label=_("Capacity")),
        BooleanColumn("has_cold_storage", label=_("Cold storage")),
        BooleanColumn("active", label=_("Active")),
    ]

    def get_form_class(self, for_update=False):
        return forms.PickupPointForm


class SupportGroupViewSet(ModelViewSet):
    name = "network_supportgroup"
    url_prefix = "network/supportgroup"
    model = SupportGroup
    icon = "group"
    form_fields = forms.SupportGroupForm.Meta.fields
    search_fields = ["name", "area"]
    list_filter = ["active"]
    copy_view_enabled = False
    index_view_class = admin_views.SupportGroupIndexView
    add_view_class = admin_views.SupportGroupCreateView
    edit_view_class = admin_views.SupportGroupEditView
    list_display = [
        "name",
        Column("org_unit", label=_("Union unit")),
        Column("member_count", label=_("Members")),
        BooleanColumn("active", label=_("Active")),
    ]

    def get_form_class(self, for_update=False):
        return forms.SupportGroupForm


class StaffReadOnlyPolicy(ModelPermissionPolicy):
    """The audit trail is read by union staff and written only by services."""

    def user_has_permission(self, user, action):
        return action == "view" and access.is_staff(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and access.is_staff(user)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([])


register_permission_policy(AuditEntry, StaffReadOnlyPolicy(AuditEntry))


def _audit_actions():
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True)
    return [(action, action) for action in actions.distinct()]


class AuditEntryFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(label=_("Action"), choices=_audit_actions)
    at = django_filters.DateFromToRangeFilter(
        label=_("When"), widget=DateRangePickerWidget
    )

    class Meta:
        model = AuditEntry
        fields = ["action", "content_type", "at"]


class AuditTrailIndexView(IndexView):
    def get_base_queryset(self):
        # Exports stream their rows after the view returns: every value must
        # come from the one query, none from a lazy lookup made later.
        return super().get_base_queryset().select_related("actor", "content_type")


class AuditTrailViewSet(ModelViewSet):
    """Who changed what and when, across the province's records, with exports."""

    name = "audit_trail"
    url_prefix = "nhat-ky"
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit trail")
    menu_order = 950
    add_to_admin_menu = True
    filterset_class = AuditEntryFilterSet
    index_view_class = AuditTrailIndexView
    search_fields = ["object_repr", "action", "actor__email"]
    list_per_page = 50
    inspect_view_enabled = True
    copy_view_enabled = False
    # Required by the viewset; the policy allows no one to add or change.
    form_fields = ["action"]
    list_display = [
        Column("at", label=_("When"), sort_key="at"),
        Column("actor", label=_("Who")),
        Column("action", label=_("Action")),
        Column("object_repr", label=_("Record")),
        Column("detail_text", label=_("Detail")),
    ]
    list_export = [
        "at",
        "actor",
        "action",
        "content_type",
        "object_repr",
        "detail_text",
    ]
    export_headings = {
        "at": _("When"),
        "actor": _("Who"),
        "action": _("Action"),
        "content_type": _("Record kind"),
        "object_repr": _("Record"),
        "detail_text": _("Detail"),
    }
    export_filename = "nhat-ky-thay-doi"


@hooks.register("register_admin_viewset")
def register_audit_trail():
    return AuditTrailViewSet()


class NetworkViewSetGroup(ViewSetGroup):
    menu_label = _("Network")
    menu_icon = "site"
    menu_order = 200
    items = (OrgUnitViewSet, MemberViewSet, PickupPointViewSet, SupportGroupViewSet)


@hooks.register("register_admin_viewset")
def register_network_viewsets():
    return NetworkViewSetGroup()


@hooks.register("register_admin_viewset")
def register_unit_chooser():
    return unit_chooser


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("network/import/", import_views.upload, name="network_import"),
        path(
            "network/import/<str:token>/",
            import_views.preview,
            name="network_import_preview",
        ),
        path(
            "network/import-template/<str:kind>.xlsx",
            import_views.template,
            name="network_import_template",
        ),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return import_views.may_import(request.user)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return ImportMenuItem(
        _("Import lists"), reverse("network_import"), icon_name="upload", order=210
    )
