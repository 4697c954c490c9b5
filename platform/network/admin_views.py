"""Wagtail admin views of the network that save through the services."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Value
from wagtail.admin.views import generic

from ketnoi.search import Unaccented

from . import services
from .models import OrgUnit

# Which form field shows a service's error, by the error's code.
ERROR_FIELDS = {
    "phone_missing": "phone",
    "phone_invalid": "phone",
    "phone_taken": "phone",
    "ward_elsewhere": "ward_code",
    "ward_missing": "ward_code",
    "bad_ward": "ward_code",
    "code_taken": "code",
    "level_order": "parent",
    "needs_parent": "parent",
    "province_top": "parent",
    "cycle": "parent",
    "member_unit": "branch",
    "unit_inactive": "branch",
    "host_inactive": "host_phone",
    "capacity": "capacity",
}


class ServiceFormMixin:
    """Turn a service's ValidationError into form errors, with nothing saved."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            field = ERROR_FIELDS.get(getattr(error, "code", None) or "")
            form.add_error(field if field in form.fields else None, error)
            return self.form_invalid(form)

    def fields_of(self, *names: str) -> dict[str, Any]:
        data = self.form.cleaned_data
        return {name: data[name] for name in names if name in data}


# --- union units --------------------------------------------------------------


class OrgUnitIndexView(generic.IndexView):
    def get_base_queryset(self):
        # The number of members per unit, in the same query.
        return (
            super()
            .get_base_queryset()
            .annotate(member_count=Count("members", filter=Q(members__active=True)))
        )


class OrgUnitCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.create_org_unit(
            actor=self.request.user,
            parent=data.get("parent"),
            **self.fields_of("name", "level", "code", "ward_code", "legacy_district"),
        )


class OrgUnitEditView(ServiceFormMixin, generic.EditView):
    def save_instance(self):
        unit = self.form.instance
        parent = self.form.cleaned_data.get("parent")
        current = OrgUnit.objects.get(pk=unit.pk).get_parent()
        if parent is not None and parent != current:
            unit = services.move_org_unit(
                actor=self.request.user, unit=unit, new_parent=parent
            )
        elif parent is None and current is not None:
            raise ValidationError(services.needs_parent_message(), code="needs_parent")
        return services.update_org_unit(
            actor=self.request.user,
            unit=unit,
            **self.fields_of("name", "code", "ward_code", "legacy_district", "active"),
        )


# --- members ------------------------------------------------------------------


class MemberIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("branch")

    def search_queryset(self, queryset):
        # A phone number finds its member through the unique index, which
        # matters when a province has hundreds of thousands of members.
        query = self.search_query.strip() if self.is_searching else ""
        if query and query.replace(" ", "").lstrip("+").isdigit():
            from .validation import clean_phone

            try:
                return queryset.filter(phone=clean_phone(query))
            except ValidationError:
                return queryset.none()
        if "@" in query:
            return queryset.filter(email__istartswith=query)
        if query:
            # Any part of the name, accents and case aside, through the
            # trigram index on the unaccented name.
            typed = Unaccented(Value(" ".join(query.split())))
            return queryset.alias(typed=typed).filter(search_name__contains=F("typed"))
        return super().search_queryset(queryset)


class MemberCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        return services.add_member(
            actor=self.request.user,
            **self.fields_of(
                "full_name",
                "phone",
                "email",
                "branch",
                "address",
                "ward_code",
                "joined_on",
            ),
        )


class MemberEditView(ServiceFormMixin, generic.EditView):
    def save_instance(self):
        changes = self.fields_of(
            "full_name",
            "phone",
            "email",
            "branch",
            "address",
            "ward_code",
            "joined_on",
            "active",
        )
        return services.update_member(
            actor=self.request.user, member=self.form.instance, **changes
        )


# --- pickup points and support groups -----------------------------------------

POINT_FORM_FIELDS = (
    "name",
    "org_unit",
    "address",
    "ward_code",
    "opening_hours",
    "capacity",
    "has_cold_storage",
    "offers_home_delivery",
)


class PickupPointIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("host", "org_unit")


class PickupPointCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.create_pickup_point(
            actor=self.request.user,
            host=data["host_phone"],
            coordinators=list(data.get("coordinators") or []),
            **self.fields_of(*POINT_FORM_FIELDS),
        )


class PickupPointEditView(ServiceFormMixin, generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.update_pickup_point(
            actor=self.request.user,
            point=self.form.instance,
            host=data["host_phone"],
            coordinators=list(data.get("coordinators") or []),
            **self.fields_of(*POINT_FORM_FIELDS, "active"),
        )


class SupportGroupIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("org_unit")
            .annotate(member_count=Count("members", distinct=True))
        )


class SupportGroupCreateView(ServiceFormMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.create_support_group(
            actor=self.request.user,
            coordinators=list(data.get("coordinators") or []),
            members=data.get("member_phones") or [],
            **self.fields_of("name", "org_unit", "area", "notes"),
        )


class SupportGroupEditView(ServiceFormMixin, generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return services.update_support_group(
            actor=self.request.user,
            group=self.form.instance,
            coordinators=list(data.get("coordinators") or []),
            members=data.get("member_phones") or [],
            **self.fields_of("name", "org_unit", "area", "notes", "active"),
        )
