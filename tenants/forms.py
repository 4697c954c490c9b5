from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from .units import province_choices
from .validation import (
    SUBDOMAIN_MAX_LENGTH,
    check_province_free,
    check_subdomain_free,
    check_subdomain_shape,
)


class SignupForm(forms.Form):
    province_code = forms.TypedChoiceField(
        label=_("Province or city"),
        coerce=int,
        choices=lambda: [("", _("— choose —")), *province_choices()],
    )
    union_name = forms.CharField(
        label=_("Union name"),
        max_length=200,
        help_text=_("For example: Hội Liên hiệp Phụ nữ tỉnh Huế"),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=120)
    email = forms.EmailField(label=_("Email"))
    phone = PhoneNumberField(
        label=_("Phone"),
        region="VN",
        help_text=_("A Vietnamese number, for example 0912 345 678"),
        error_messages={"invalid": _("Enter a valid Vietnamese phone number.")},
    )
    subdomain = forms.CharField(
        label=_("Wanted subdomain"),
        max_length=SUBDOMAIN_MAX_LENGTH + 20,
        help_text=_("Lowercase letters without accents, digits and hyphens."),
    )

    def clean_subdomain(self) -> str:
        subdomain = self.cleaned_data["subdomain"].strip()
        check_subdomain_shape(subdomain)
        check_subdomain_free(subdomain)
        return subdomain

    def clean_province_code(self) -> int:
        code = self.cleaned_data["province_code"]
        check_province_free(code)
        return code
