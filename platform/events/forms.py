from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from catalog.models import Producer, Product

from .models import Booth, Fair, Livestream
from .validation import check_period


class BoothApplicationForm(forms.Form):
    """Applies for one of the signed-in user's producers, with its own products."""

    producer = forms.ModelChoiceField(
        label=_("Producer"), queryset=Producer.objects.none(), empty_label=None
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products you will bring"),
        queryset=Product.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    products_note = forms.CharField(
        label=_("Anything else about your stall"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, producers: QuerySet[Producer], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers
        self.fields["products"].queryset = (
            Product.objects.filter(producer__in=producers, active=True)
            .select_related("producer")
            .order_by("name", "pk")
        )
        if len(producers) == 1:
            # One producer needs no choice; a product list names its owner otherwise.
            self.fields["producer"].initial = producers[0]
            self.fields["producer"].widget = forms.HiddenInput()
        else:
            self.fields["products"].label_from_instance = lambda product: (
                f"{product.name} ({product.producer.name})"
            )

    def clean(self):
        data = super().clean()
        producer = data.get("producer")
        products = data.get("products") or []
        if producer and any(p.producer_id != producer.pk for p in products):
            self.add_error(
                "products", _("Choose only the chosen producer's own products.")
            )
        return data


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
