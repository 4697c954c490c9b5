"""Forms of the public application and the producer portal.

They only shape input; the services validate and write, and their errors
are put back on the form by `add_service_errors`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tenants.units import province_choices

from .models import Category, Certificate, Producer, Unit


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Name of the enterprise, cooperative or household"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Producer.Kind.choices)
    women_owned = forms.BooleanField(label=_("Owned or run by a woman"), required=False)
    contact_name = forms.CharField(label=_("Owner or contact"))
    phone = forms.CharField(label=_("Mobile phone"), help_text=_("e.g. 0912 345 678"))
    email = forms.EmailField(
        label=_("Email"), help_text=_("You sign in to the producer portal with it.")
    )
    password = forms.CharField(
        label=_("Password for the portal"), widget=forms.PasswordInput, min_length=8
    )
    province_code = forms.TypedChoiceField(
        label=_("Province where you produce"), coerce=int, choices=()
    )
    address = forms.CharField(label=_("Address"), required=False)
    story = forms.CharField(
        label=_("Your story"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province_code"].choices = province_choices()


class ProductForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all()
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    unit_weight_kg = forms.DecimalField(
        label=_("Weight of one unit (kg)"),
        required=False,
        help_text=_("Needed for boxes, bunches, bottles and other pieces."),
    )
    price = forms.IntegerField(label=_("Member price (đồng)"))
    market_price = forms.IntegerField(label=_("Market price (đồng)"))
    confirm_above_market = forms.BooleanField(
        label=_("Yes, the member price is above the market price"), required=False
    )
    stock = forms.IntegerField(
        label=_("Stock"),
        required=False,
        help_text=_("Leave empty if always available."),
    )
    origin = forms.CharField(label=_("Origin"), required=False, max_length=300)
    story = forms.CharField(
        label=_("Story"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    traceability_code = forms.CharField(
        label=_("Traceability code"), required=False, max_length=100
    )
    traceability_url = forms.URLField(
        label=_("Traceability link"), required=False, assume_scheme="https"
    )
    vietnamese_goods = forms.BooleanField(
        label=_("“Vietnamese goods” mark"), required=False
    )
    active = forms.BooleanField(label=_("On sale"), required=False, initial=True)
    photo = forms.ImageField(label=_("Photo"), required=False)


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Certificate.Kind.choices)
    ocop_stars = forms.TypedChoiceField(
        label=_("OCOP stars"),
        choices=[("", "—"), (3, "3"), (4, "4"), (5, "5")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    number = forms.CharField(label=_("Number"), required=False)
    issuer = forms.CharField(label=_("Issued by"), required=False)
    issued_on = forms.DateField(
        label=_("Issued on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    product = forms.ModelChoiceField(
        label=_("Only for this product"),
        queryset=None,
        required=False,
        help_text=_("Leave empty if it covers the whole establishment."),
    )
    scan = forms.FileField(label=_("Scan (PDF or photo, at most 5 MB)"), required=False)

    def __init__(self, *args, producer: Producer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = producer.products.all()
