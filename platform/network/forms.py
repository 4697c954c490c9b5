"""Admin forms of the network; they collect input, the services decide."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from tenants import roles

from .choosers import unit_widget
from .models import Member, OrgUnit, PickupPoint, SupportGroup
from .units import current_province_code, ward_choices
from .validation import clean_phone


def province_ward_choices(blank_label: str = "") -> list[tuple[str, str]]:
    code = current_province_code()
    return [("", blank_label or "---------")] + list(ward_choices(code) if code else [])


class WardField(forms.ChoiceField):
    """A select of the communes and wards of the tenant's province."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", gettext_lazy("Commune or ward"))
        super().__init__(choices=province_ward_choices, **kwargs)


def coordinator_users():
    return (
        get_user_model()
        .objects.filter(groups__name=roles.COORDINATORS)
        .order_by("first_name", "username")
    )


class OrgUnitForm(WagtailAdminModelForm):
    parent = forms.ModelChoiceField(
        label=gettext_lazy("Belongs to"),
        queryset=OrgUnit.objects.exclude(level=OrgUnit.Level.GROUP),
        required=False,
        help_text=gettext_lazy("Leave empty only for the province union."),
        widget=unit_widget(
            OrgUnit.Level.PROVINCE, OrgUnit.Level.COMMUNE, OrgUnit.Level.BRANCH
        ),
    )
    ward_code = WardField(
        required=False,
        help_text=gettext_lazy("Branches and groups take their commune's by default."),
    )

    class Meta:
        model = OrgUnit
        fields = ["name", "level", "code", "ward_code", "legacy_district", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["level"].disabled = True
            self.initial.setdefault(
                "parent", getattr(self.instance.get_parent(), "pk", None)
            )
            # A unit cannot go under itself or its own units.
            self.fields["parent"].queryset = self.fields["parent"].queryset.exclude(
                path__startswith=self.instance.path
            )
        else:
            del self.fields["active"]


class MemberForm(WagtailAdminModelForm):
    phone = forms.CharField(label=gettext_lazy("Phone number"), max_length=30)
    branch = forms.ModelChoiceField(
        label=gettext_lazy("Branch or group"),
        queryset=OrgUnit.objects.filter(
            level__in=[OrgUnit.Level.BRANCH, OrgUnit.Level.GROUP], active=True
        ),
        widget=unit_widget(OrgUnit.Level.BRANCH, OrgUnit.Level.GROUP),
    )
    ward_code = WardField(
        required=False, help_text=gettext_lazy("Empty: the branch's commune.")
    )

    class Meta:
        model = Member
        fields = [
            "full_name",
            "phone",
            "email",
            "branch",
            "address",
            "ward_code",
            "joined_on",
            "active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["phone"] = self.instance.phone.as_national
        else:
            del self.fields["active"]

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])


class HostPhoneMixin(forms.Form):
    host_phone = forms.CharField(
        label=gettext_lazy("Host's phone number"),
        max_length=30,
        help_text=gettext_lazy("The member who hosts the point, found by phone."),
    )

    def clean_host_phone(self) -> Member:
        phone = clean_phone(self.cleaned_data["host_phone"])
        member = Member.objects.filter(phone=phone).first()
        if member is None:
            raise ValidationError(
                _("No member has the phone number %(phone)s."),
                code="host_unknown",
                params={"phone": phone.as_national},
            )
        return member


class PickupPointForm(WagtailAdminModelForm):
    host_phone = HostPhoneMixin.base_fields["host_phone"]
    clean_host_phone = HostPhoneMixin.clean_host_phone
    ward_code = WardField()
    org_unit = forms.ModelChoiceField(
        label=gettext_lazy("Union unit"),
        queryset=OrgUnit.objects.exclude(level=OrgUnit.Level.GROUP),
        required=False,
        widget=unit_widget(
            OrgUnit.Level.PROVINCE, OrgUnit.Level.COMMUNE, OrgUnit.Level.BRANCH
        ),
    )
    coordinators = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Coordinators"),
        queryset=coordinator_users(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PickupPoint
        fields = [
            "name",
            "host_phone",
            "org_unit",
            "address",
            "ward_code",
            "opening_hours",
            "capacity",
            "has_cold_storage",
            "offers_home_delivery",
            "coordinators",
            "active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinators"].queryset = coordinator_users()
        if self.instance.pk:
            self.initial["host_phone"] = self.instance.host.phone.as_national
        else:
            del self.fields["active"]


class SupportGroupForm(WagtailAdminModelForm):
    org_unit = PickupPointForm.base_fields["org_unit"]
    coordinators = PickupPointForm.base_fields["coordinators"]
    member_phones = forms.CharField(
        label=gettext_lazy("Members' phone numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("One phone number per line."),
    )

    class Meta:
        model = SupportGroup
        fields = [
            "name",
            "org_unit",
            "area",
            "notes",
            "coordinators",
            "member_phones",
            "active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinators"].queryset = coordinator_users()
        if self.instance.pk:
            phones = self.instance.members.values_list("phone", flat=True)
            self.initial["member_phones"] = "\n".join(p.as_national for p in phones)
        else:
            del self.fields["active"]

    def clean_member_phones(self) -> list[Member]:
        lines = [
            line.strip()
            for line in self.cleaned_data["member_phones"].splitlines()
            if line.strip()
        ]
        problems, phones = [], []
        for line in lines:
            try:
                phones.append(clean_phone(line))
            except ValidationError as error:
                problems.extend(error.messages)
        members = list(Member.objects.filter(phone__in=phones))
        known = {str(member.phone) for member in members}
        for phone in phones:
            if str(phone) not in known:
                problems.append(
                    _("No member has the phone number %(phone)s.")
                    % {"phone": phone.as_national}
                )
        if problems:
            raise ValidationError(problems)
        return members
