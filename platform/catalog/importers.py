"""The catalog's import list: producers, from the tables staff already keep.

Imported producers start as applications, exactly as if they had applied on
the site: staff verify each one before its products can be listed.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.importers import WARD_COLUMN
from network.importing import ImportColumn, Importer, collect, register
from network.units import current_province_code, find_ward, fold
from network.validation import clean_name, clean_phone
from tenants.units import province_choices

from . import services
from .models import Producer

Kind = Producer.Kind

# Folded (lower case, no diacritics) words staff write for each kind.
KIND_WORDS = {
    Kind.ENTERPRISE: (
        "doanh nghiep",
        "dn",
        "cong ty",
        "cong ty tnhh",
        "cong ty co phan",
        "enterprise",
    ),
    Kind.COOPERATIVE: ("hop tac xa", "htx", "to hop tac", "cooperative"),
    Kind.HOUSEHOLD: (
        "ho kinh doanh",
        "hkd",
        "ho kinh doanh ca the",
        "ho gia dinh",
        "household",
        "household business",
    ),
    Kind.FARMER: ("nong dan", "nong ho", "ho nong dan", "farmer"),
}

YES_WORDS = ("co", "x", "1", "yes", "y", "true", "dung", "phai")
NO_WORDS = ("khong", "k", "0", "no", "n", "false", "")

PROVINCE_PREFIXES = ("tinh ", "thanh pho ", "tp. ", "tp ")


def parse_kind(text: str) -> str:
    folded = fold(text).rstrip(".")
    for kind, words in KIND_WORDS.items():
        if folded in words:
            return kind
    raise ValidationError(
        _(
            "“%(value)s” is not a kind of producer (doanh nghiệp, HTX, "
            "hộ kinh doanh or nông dân)."
        )
        % {"value": text},
        code="bad_kind",
    )


def parse_yes_no(text: str) -> bool:
    folded = fold(text)
    if folded in YES_WORDS:
        return True
    if folded in NO_WORDS:
        return False
    raise ValidationError(
        _("“%(value)s” is not yes or no (write có or không).") % {"value": text},
        code="bad_yes_no",
    )


def _province_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    for code, name in province_choices():
        folded = fold(name)
        lookup[folded] = code
        for prefix in PROVINCE_PREFIXES:
            if folded.startswith(prefix):
                lookup[folded.removeprefix(prefix)] = code
    return lookup


def parse_province(text: str, default: int | None) -> int:
    text = (text or "").strip()
    if not text:
        if default is None:
            raise ValidationError(
                _("Say in which province the producer works."),
                code="province_missing",
            )
        return default
    codes = {code for code, _name in province_choices()}
    if text.isdigit() and int(text) in codes:
        return int(text)
    folded = fold(text)
    for prefix in PROVINCE_PREFIXES:
        folded = folded.removeprefix(prefix)
    code = _province_lookup().get(folded)
    if code is None:
        raise ValidationError(
            _("No province called “%(name)s”.") % {"name": text},
            code="province_unknown",
        )
    return code


def clean_email(text: str) -> str:
    email = (text or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not an email address.") % {"value": text},
                code="bad_email",
            ) from None
    return email


@register
class ProducerImporter(Importer):
    kind = "producers"
    label = gettext_lazy("Producers")
    columns = (
        ImportColumn(
            "name",
            gettext_lazy("Producer name"),
            aliases=(
                "Tên cơ sở",
                "Tên nhà sản xuất",
                "Tên doanh nghiệp",
                "Tên HTX",
                "Cơ sở sản xuất",
                "Nhà sản xuất",
                "Tên",
                "Name",
            ),
            required=True,
            example="HTX Mây tre đan Phú Vinh",
        ),
        ImportColumn(
            "kind",
            gettext_lazy("Kind"),
            aliases=("Loại hình", "Loại hình sản xuất", "Loại", "Kind"),
            required=True,
            example="HTX",
        ),
        ImportColumn(
            "women_owned",
            gettext_lazy("Women-owned"),
            aliases=(
                "Do nữ làm chủ",
                "Do phụ nữ làm chủ",
                "Nữ làm chủ",
                "Chủ là nữ",
                "Women owned",
            ),
            example="có",
        ),
        ImportColumn(
            "contact_name",
            gettext_lazy("Owner or contact"),
            aliases=(
                "Chủ cơ sở",
                "Người liên hệ",
                "Người đại diện",
                "Chủ hộ",
                "Họ và tên chủ cơ sở",
                "Contact",
            ),
            required=True,
            example="Nguyễn Thị Lan",
        ),
        ImportColumn(
            "phone",
            gettext_lazy("Phone number"),
            aliases=("Điện thoại", "Số điện thoại", "SĐT", "Phone"),
            required=True,
            example="0983 123 456",
        ),
        ImportColumn("email", gettext_lazy("Email"), aliases=("Thư điện tử",)),
        ImportColumn(
            "address",
            gettext_lazy("Address"),
            aliases=("Địa chỉ", "Địa chỉ sản xuất"),
            example="Thôn Văn Đức",
        ),
        WARD_COLUMN,
        ImportColumn(
            "province",
            gettext_lazy("Production province"),
            aliases=(
                "Tỉnh nơi sản xuất",
                "Tỉnh/Thành phố",
                "Tỉnh/thành",
                "Tỉnh",
                "Province",
            ),
            example="Hà Nội",
        ),
        ImportColumn(
            "story",
            gettext_lazy("Description"),
            aliases=("Mô tả", "Giới thiệu", "Câu chuyện", "Description"),
        ),
    )

    def prepare(self, rows: list[dict[str, str]]) -> None:
        self.home_province = current_province_code()
        # A province lists a few thousand producers at most: load them once.
        self.names_taken: set[str] = set()
        self.phones_taken: set[str] = set()
        for name, phone in Producer.objects.values_list("name", "phone"):
            self.names_taken.add(fold(name))
            self.phones_taken.add(str(phone))
        # Name and phone of each valid row so far, with its row number.
        self.names_in_file: dict[str, int] = {}
        self.phones_in_file: dict[str, int] = {}
        self.row_number = 1

    def _name(self, text: str) -> str:
        name = clean_name(text, field=_("Producer name"))
        if fold(name) in self.names_taken:
            raise ValidationError(
                _("A producer called “%(name)s” already exists in this province.")
                % {"name": name},
                code="name_taken",
            )
        if fold(name) in self.names_in_file:
            raise ValidationError(
                _("The name “%(name)s” is already on row %(row)s of this file.")
                % {"name": name, "row": self.names_in_file[fold(name)]},
                code="name_twice",
            )
        return name

    def _phone(self, text: str) -> Any:
        phone = clean_phone(text)
        if str(phone) in self.phones_taken:
            raise ValidationError(
                _("A producer with the phone number %(phone)s already exists.")
                % {"phone": phone.as_national},
                code="phone_taken",
            )
        if str(phone) in self.phones_in_file:
            raise ValidationError(
                _("The phone number %(phone)s is already on row %(row)s of this file.")
                % {"phone": phone.as_national, "row": self.phones_in_file[str(phone)]},
                code="phone_twice",
            )
        return phone

    def _place(self, values: dict[str, str]) -> tuple[int, int | None]:
        province_code = parse_province(values.get("province", ""), self.home_province)
        ward_text = values.get("ward", "").strip()
        if not ward_text:
            return province_code, None
        return province_code, int(find_ward(ward_text, province_code))

    def clean_row(self, values: dict[str, str]) -> dict[str, Any]:
        # The framework cleans rows in file order, the first data row being 2.
        self.row_number += 1
        cleaned = collect(
            [
                ("name", lambda: self._name(values.get("name", ""))),
                ("kind", lambda: parse_kind(values.get("kind", ""))),
                (
                    "women_owned",
                    lambda: parse_yes_no(values.get("women_owned", "")),
                ),
                (
                    "contact_name",
                    lambda: clean_name(
                        values.get("contact_name"), field=_("Owner or contact")
                    ),
                ),
                ("phone", lambda: self._phone(values.get("phone", ""))),
                ("email", lambda: clean_email(values.get("email", ""))),
                ("place", lambda: self._place(values)),
            ]
        )
        # Only a valid row claims its name and phone: a refused row does not
        # make a later, good copy of it a duplicate.
        self.names_in_file[fold(cleaned["name"])] = self.row_number
        self.phones_in_file[str(cleaned["phone"])] = self.row_number
        cleaned["province_code"], cleaned["ward_code"] = cleaned.pop("place")
        cleaned["address"] = " ".join(values.get("address", "").split())
        cleaned["story"] = values.get("story", "").strip()
        return cleaned

    def save(self, rows: list[dict[str, Any]]) -> int:
        return len(services.import_producers(actor=self.actor, rows=rows))
