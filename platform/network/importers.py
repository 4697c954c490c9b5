"""The network's import lists: union units (branches) and members."""

from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .importing import ImportColumn, Importer, collect, parse_date, register
from .models import Member, OrgUnit
from .units import find_ward, fold
from .validation import clean_name, clean_phone

Level = OrgUnit.Level

WARD_COLUMN = ImportColumn(
    "ward",
    gettext_lazy("Commune/ward"),
    aliases=("Phường/Xã", "Xã/Phường", "Phường", "Xã", "Mã phường/xã", "Ward"),
    example="Phường Hoàn Kiếm",
)

LEVEL_WORDS = {
    Level.COMMUNE: ("xa", "phuong", "hoi lhpn xa", "hoi lhpn phuong", "commune"),
    Level.BRANCH: ("chi hoi", "branch", ""),
    Level.GROUP: ("to", "to phu nu", "group"),
}


def parse_level(text: str) -> str:
    folded = fold(text)
    for level, words in LEVEL_WORDS.items():
        if folded in words:
            return level
    raise ValidationError(
        _("“%(value)s” is not a level (Commune, Chi hội or Tổ)."),
        code="bad_level",
        params={"value": text},
    )


class UnitLookup:
    """Find a stored unit by code or by name, as people write it in a list."""

    def __init__(self, units) -> None:
        self.by_code: dict[str, OrgUnit] = {}
        self.by_name: dict[str, list[OrgUnit]] = defaultdict(list)
        self.communes_by_ward: dict[str, list[OrgUnit]] = defaultdict(list)
        for unit in units:
            self.add(unit, unit)

    def add(self, unit: Any, target: Any) -> None:
        if unit.code:
            self.by_code[fold(unit.code)] = target
        self.by_name[fold(unit.name)].append(target)
        if unit.level == Level.COMMUNE:
            self.communes_by_ward[unit.ward_code].append(target)

    def find(self, text: str, *, ward_code: str = "", what: str) -> Any:
        key = fold(text)
        if key in self.by_code:
            return self.by_code[key]
        found = self.by_name.get(key, [])
        if len(found) > 1 and ward_code:
            found = [unit for unit in found if unit.ward_code == ward_code]
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                _("No %(what)s called “%(name)s”.") % {"what": what, "name": text},
                code="unit_unknown",
            )
        raise ValidationError(
            _("Several units are called “%(name)s”; use its code.") % {"name": text},
            code="unit_ambiguous",
        )


class _Pending:
    """A unit of the same file, not stored yet; enough to look it up."""

    def __init__(self, key: str, name: str, code: str, level: str, ward_code: str):
        self.pk = None
        self.key, self.name, self.code = key, name, code
        self.level, self.ward_code = level, ward_code


@register
class OrgUnitImporter(Importer):
    kind = "units"
    label = gettext_lazy("Branches and union units")
    columns = (
        ImportColumn(
            "name",
            gettext_lazy("Unit name"),
            aliases=("Tên chi hội", "Chi hội", "Tên đơn vị", "Tên", "Name"),
            required=True,
            example="Chi hội Hàng Bạc",
        ),
        ImportColumn(
            "level", gettext_lazy("Level"), aliases=("Cấp", "Loại"), example="Chi hội"
        ),
        ImportColumn(
            "code",
            gettext_lazy("Unit code"),
            aliases=("Mã", "Mã chi hội", "Mã đơn vị", "Code"),
            example="HK-HB",
        ),
        ImportColumn(
            "parent",
            gettext_lazy("Belongs to"),
            aliases=("Thuộc", "Đơn vị cấp trên", "Hội LHPN xã/phường", "Parent"),
            example="Hội LHPN phường Hoàn Kiếm",
        ),
        WARD_COLUMN,
        ImportColumn(
            "legacy_district",
            gettext_lazy("Former district"),
            aliases=("Quận/Huyện cũ", "Quận/Huyện", "Quận", "Huyện"),
        ),
    )

    def prepare(self, rows: list[dict[str, str]]) -> None:
        units = OrgUnit.objects.only(
            "name", "code", "level", "ward_code", "path", "depth"
        )
        self.lookup = UnitLookup(units)
        self.roots = [unit for unit in units if unit.depth == 1]
        self.codes_in_file: set[str] = set()

    def _parent(self, values: dict[str, str], level: str, ward_code: str) -> Any:
        text = values.get("parent", "")
        if text:
            parent = self.lookup.find(text, ward_code=ward_code, what=_("parent unit"))
        elif level == Level.COMMUNE:
            provinces = [unit for unit in self.roots if unit.level == Level.PROVINCE]
            if len(provinces) != 1:
                raise ValidationError(
                    _("Create the province union first; communes go under it."),
                    code="no_province_unit",
                )
            parent = provinces[0]
        else:
            communes = self.lookup.communes_by_ward.get(ward_code, [])
            if len(communes) != 1:
                raise ValidationError(
                    _("Say which unit it belongs to (no single commune union here)."),
                    code="parent_unknown",
                )
            parent = communes[0]
        if services.LEVEL_RANK[level] < services.LEVEL_RANK[parent.level]:
            raise ValidationError(
                _("A %(level)s cannot sit under a %(parent)s.")
                % {
                    "level": Level(level).label.lower(),
                    "parent": Level(parent.level).label.lower(),
                },
                code="level_order",
            )
        return parent

    def clean_row(self, values: dict[str, str]) -> dict[str, Any]:
        cleaned = collect(
            [
                ("name", lambda: clean_name(values.get("name"), field=_("Unit name"))),
                ("level", lambda: parse_level(values.get("level", ""))),
                ("code", lambda: self._free_code(values.get("code", "").strip())),
                (
                    "ward_code",
                    lambda: find_ward(values["ward"]) if values.get("ward") else "",
                ),
            ]
        )
        if cleaned["level"] == Level.COMMUNE and not cleaned["ward_code"]:
            raise ValidationError(
                _("A commune union needs its commune or ward."), code="ward_missing"
            )
        parent = self._parent(values, cleaned["level"], cleaned["ward_code"])
        key = f"row-{len(self.codes_in_file)}-{id(values)}"
        cleaned["parent"] = parent.key if isinstance(parent, _Pending) else parent
        cleaned["key"] = key
        cleaned["legacy_district"] = values.get("legacy_district", "").strip()
        # Later rows may name this one as their parent.
        pending = _Pending(
            key,
            cleaned["name"],
            cleaned["code"],
            cleaned["level"],
            cleaned["ward_code"] or parent.ward_code,
        )
        self.lookup.add(pending, pending)
        if cleaned["code"]:
            self.codes_in_file.add(fold(cleaned["code"]))
        return cleaned

    def _free_code(self, code: str) -> str:
        if code and (
            fold(code) in self.lookup.by_code or fold(code) in self.codes_in_file
        ):
            raise ValidationError(
                _("Another unit already has the code %(code)s.") % {"code": code},
                code="code_taken",
            )
        return code

    def save(self, rows: list[dict[str, Any]]) -> int:
        # A row whose parent row was refused cannot be written either.
        written_keys = {row["key"] for row in rows}
        kept = [
            row
            for row in rows
            if not isinstance(row["parent"], str) or row["parent"] in written_keys
        ]
        return len(services.import_org_units(actor=self.actor, rows=kept))


@register
class MemberImporter(Importer):
    kind = "members"
    label = gettext_lazy("Members")
    columns = (
        ImportColumn(
            "full_name",
            gettext_lazy("Full name"),
            aliases=("Họ và tên", "Họ tên", "Tên hội viên", "Name"),
            required=True,
            example="Nguyễn Thị Lan",
        ),
        ImportColumn(
            "phone",
            gettext_lazy("Phone number"),
            aliases=("Số điện thoại", "SĐT", "Điện thoại", "Phone"),
            required=True,
            example="0912 345 678",
        ),
        ImportColumn(
            "branch",
            gettext_lazy("Branch"),
            aliases=("Chi hội", "Tổ", "Mã chi hội", "Branch"),
            required=True,
            example="Chi hội Hàng Bạc",
        ),
        WARD_COLUMN,
        ImportColumn(
            "address",
            gettext_lazy("Address"),
            aliases=("Địa chỉ",),
            example="12 Hàng Bạc",
        ),
        ImportColumn("email", gettext_lazy("Email"), aliases=("Thư điện tử",)),
        ImportColumn(
            "joined_on",
            gettext_lazy("Joined on"),
            aliases=("Ngày vào Hội", "Ngày vào hội", "Ngày tham gia"),
            example="08/03/2020",
        ),
    )

    def prepare(self, rows: list[dict[str, str]]) -> None:
        units = OrgUnit.objects.filter(
            level__in=services.MEMBER_UNIT_LEVELS, active=True
        ).only("name", "code", "level", "ward_code")
        self.lookup = UnitLookup(units)
        phones = set()
        for row in rows:
            try:
                phones.add(clean_phone(row.get("phone")))
            except ValidationError:
                continue
        self.taken: set[str] = set()
        phone_list = list(phones)
        for start in range(0, len(phone_list), 5000):
            chunk = phone_list[start : start + 5000]
            self.taken.update(
                str(phone)
                for phone in Member.objects.filter(phone__in=chunk).values_list(
                    "phone", flat=True
                )
            )
        self.seen: dict[str, int] = {}

    def _phone(self, text: str):
        phone = clean_phone(text)
        if str(phone) in self.taken:
            raise ValidationError(
                _("A member with the phone number %(phone)s already exists.")
                % {"phone": phone.as_national},
                code="phone_taken",
            )
        if str(phone) in self.seen:
            raise ValidationError(
                _("The phone number %(phone)s is already on another row of this file.")
                % {"phone": phone.as_national},
                code="phone_twice",
            )
        self.seen[str(phone)] = 1
        return phone

    def clean_row(self, values: dict[str, str]) -> dict[str, Any]:
        cleaned = collect(
            [
                (
                    "full_name",
                    lambda: clean_name(values.get("full_name"), field=_("Full name")),
                ),
                ("phone", lambda: self._phone(values.get("phone", ""))),
                (
                    "ward_code",
                    lambda: find_ward(values["ward"]) if values.get("ward") else "",
                ),
                ("joined_on", lambda: parse_date(values.get("joined_on", ""))),
            ]
        )
        cleaned["branch"] = self.lookup.find(
            values.get("branch", ""), ward_code=cleaned["ward_code"], what=_("branch")
        )
        cleaned["address"] = values.get("address", "").strip()
        cleaned["email"] = values.get("email", "").strip().lower()
        return cleaned

    def save(self, rows: list[dict[str, Any]]) -> int:
        return len(services.import_members(actor=self.actor, rows=rows))
