from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Booth, Fair, Livestream
from .validation import check_period


class BoothApplicationForm(forms.Form):
    producer_name = forms.CharField(
        label=_("Producer or business name"), max_length=200
    )
    products_note = forms.CharField(
        label=_("Products you will bring"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class ReminderForm(forms.Form):
    email = forms.EmailField(label=_("Your email"))


class FairAdminForm(forms.ModelForm):
    class Meta:
        model = Fair
        fields = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "venue",
            "ward_code",
            "organisers",
            "description",
            "status",
        ]

    def clean(self):
        data = super().clean()
        check_period(data.get("starts_at"), data.get("ends_at"))
        return data


class BoothSaleForm(forms.Form):
    amount = forms.IntegerField(label=_("Sales (đồng)"), min_value=0)
    weight_kg = forms.DecimalField(
        label=_("Weight sold (kg)"), min_value=0, decimal_places=3, initial=0
    )
    orders_count = forms.IntegerField(label=_("Orders"), min_value=0, initial=0)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class BoothDecisionForm(forms.Form):
    label = forms.CharField(label=_("Booth number"), max_length=20, required=False)
    note = forms.CharField(label=_("Reason or note"), max_length=300, required=False)


class LivestreamResultsForm(forms.ModelForm):
    class Meta:
        model = Livestream
        fields = ["recorded_views"]


__all__ = [
    "BoothApplicationForm",
    "BoothDecisionForm",
    "BoothSaleForm",
    "FairAdminForm",
    "LivestreamResultsForm",
    "ReminderForm",
    "Booth",
]
