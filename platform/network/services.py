"""Writes of the union network. Views, imports and commands call these."""

import datetime
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from api.changes import counts_for_reports

from . import audit
from .models import Member, OrgUnit, PickupPoint, SupportGroup
from .units import check_ward_in_province
from .validation import clean_name, clean_phone

logger = logging.getLogger(__name__)

Level = OrgUnit.Level
LEVEL_RANK = {Level.PROVINCE: 0, Level.COMMUNE: 1, Level.BRANCH: 2, Level.GROUP: 3}
MEMBER_UNIT_LEVELS = (Level.BRANCH, Level.GROUP)

# --- union units --------------------------------------------------------------


def needs_parent_message() -> str:
    return _("A branch or group must belong to a higher unit.")


def _check_placement(level: str, parent: OrgUnit | None) -> None:
    if level not in LEVEL_RANK:
        raise ValidationError(_("Unknown unit level."), code="bad_level")
    if parent is None:
        if level not in (Level.PROVINCE, Level.COMMUNE):
            raise ValidationError(needs_parent_message(), code="needs_parent")
        return
    if level == Level.PROVINCE:
        raise ValidationError(
            _("The province union is the top of the tree."), code="province_top"
        )
    if LEVEL_RANK[level] < LEVEL_RANK[parent.level]:
        raise ValidationError(
            _("A %(level)s cannot sit under a %(parent)s.")
            % {
                "level": Level(level).label.lower(),
                "parent": Level(parent.level).label.lower(),
            },
            code="level_order",
        )


def _unit_ward(level: str, parent: OrgUnit | None, ward_code: str) -> str:
    if ward_code:
        return check_ward_in_province(ward_code)
    if level == Level.COMMUNE:
        raise ValidationError(
            _("Choose the commune or ward of this union."), code="ward_missing"
        )
    # Branches and groups belong to their commune's ward.
    return parent.ward_code if parent is not None else ""


@counts_for_reports
@transaction.atomic
def create_org_unit(
    *,
    actor: Any,
    name: str,
    level: str,
    parent: OrgUnit | None = None,
    ward_code: str = "",
    code: str = "",
    legacy_district: str = "",
) -> OrgUnit:
    name = clean_name(name, field=_("Name"))
    if parent is not None:
        parent = OrgUnit.objects.select_for_update().get(pk=parent.pk)
    _check_placement(level, parent)
    code = code.strip()
    _check_code_free(code)
    fields = {
        "name": name,
        "level": level,
        "code": code,
        "ward_code": _unit_ward(level, parent, ward_code),
        "legacy_district": legacy_district.strip(),
    }
    if parent is None:
        unit = OrgUnit.add_root(**fields)
    else:
        unit = parent.add_child(**fields)
    audit.record(actor=actor, action="orgunit.created", obj=unit, **fields)
    return unit


def _check_code_free(code: str, *, exclude: OrgUnit | None = None) -> None:
    if not code:
        return
    taken = OrgUnit.objects.filter(code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError(
            _("Another unit already has the code %(code)s."),
            code="code_taken",
            params={"code": code},
        )


UNIT_FIELDS = ("name", "code", "ward_code", "legacy_district", "active")


@counts_for_reports
@transaction.atomic
def update_org_unit(*, actor: Any, unit: OrgUnit, **changes: Any) -> OrgUnit:
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    before = {field: getattr(unit, field) for field in changes}
    if "name" in changes:
        changes["name"] = clean_name(changes["name"], field=_("Name"))
    if "code" in changes:
        changes["code"] = (changes["code"] or "").strip()
        _check_code_free(changes["code"], exclude=unit)
    if "ward_code" in changes:
        parent = unit.get_parent()
        changes["ward_code"] = _unit_ward(unit.level, parent, changes["ward_code"])
    for field, value in changes.items():
        setattr(unit, field, value)
    unit.save(update_fields=list(changes))
    if "ward_code" in changes and before["ward_code"] != unit.ward_code:
        _restamp_descendants(unit, old=before["ward_code"])
    diff = audit.changes(before, changes)
    if diff:
        audit.record(actor=actor, action="orgunit.changed", obj=unit, changes=diff)
    return unit


def _restamp_descendants(unit: OrgUnit, *, old: str) -> None:
    # Descendants that inherited the old ward follow the unit to its new one.
    OrgUnit.objects.filter(path__startswith=unit.path, ward_code=old).exclude(
        pk=unit.pk
    ).update(ward_code=unit.ward_code)


@counts_for_reports
@transaction.atomic
def move_org_unit(*, actor: Any, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Put a unit and its whole subtree under another unit."""
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    new_parent = OrgUnit.objects.select_for_update().get(pk=new_parent.pk)
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise ValidationError(
            _("A unit cannot be moved under itself or one of its own units."),
            code="cycle",
        )
    _check_placement(unit.level, new_parent)
    old_parent = unit.get_parent()
    old_ward = unit.ward_code
    unit.move(new_parent, pos="last-child")
    unit.refresh_from_db()
    if unit.level != Level.COMMUNE and new_parent.ward_code != old_ward:
        unit.ward_code = new_parent.ward_code
        unit.save(update_fields=["ward_code"])
        _restamp_descendants(unit, old=old_ward)
    audit.record(
        actor=actor,
        action="orgunit.moved",
        obj=unit,
        old_parent=old_parent.pk if old_parent else None,
        new_parent=new_parent.pk,
    )
    logger.info("Unit %s moved under %s", unit.pk, new_parent.pk)
    return unit


# --- members ------------------------------------------------------------------


def _check_member_unit(branch: OrgUnit) -> None:
    if branch.level not in MEMBER_UNIT_LEVELS:
        raise ValidationError(
            _("Members belong to a branch or a group, not to a %(level)s.")
            % {"level": Level(branch.level).label.lower()},
            code="member_unit",
        )
    if not branch.active:
        raise ValidationError(
            _("The branch %(name)s is no longer active.") % {"name": branch.name},
            code="unit_inactive",
        )


def _check_phone_free(phone: Any, *, exclude: Member | None = None) -> None:
    taken = Member.objects.filter(phone=phone)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError(
            _("A member with the phone number %(phone)s already exists."),
            code="phone_taken",
            params={"phone": phone.as_national},
        )


@counts_for_reports
@transaction.atomic
def add_member(
    *,
    actor: Any,
    full_name: str,
    phone: Any,
    branch: OrgUnit,
    email: str = "",
    address: str = "",
    ward_code: str = "",
    joined_on: datetime.date | None = None,
    user: Any = None,
) -> Member:
    member = Member(
        full_name=clean_name(full_name, field=_("Full name")),
        phone=clean_phone(phone),
        email=(email or "").strip().lower(),
        branch=branch,
        address=(address or "").strip(),
        ward_code=check_ward_in_province(ward_code) if ward_code else branch.ward_code,
        joined_on=joined_on,
        user=user,
    )
    _check_member_unit(branch)
    _check_phone_free(member.phone)
    member.save()
    audit.record(actor=actor, action="member.added", obj=member, branch=branch.pk)
    return member


MEMBER_FIELDS = (
    "full_name",
    "phone",
    "email",
    "branch",
    "address",
    "ward_code",
    "joined_on",
    "active",
    "user",
)


@counts_for_reports
@transaction.atomic
def update_member(*, actor: Any, member: Member, **changes: Any) -> Member:
    unknown = set(changes) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    member = Member.objects.select_for_update().get(pk=member.pk)
    before = {field: getattr(member, field) for field in changes}
    if "full_name" in changes:
        changes["full_name"] = clean_name(changes["full_name"], field=_("Full name"))
    if "phone" in changes:
        changes["phone"] = clean_phone(changes["phone"])
        _check_phone_free(changes["phone"], exclude=member)
    if "branch" in changes and changes["branch"].pk != member.branch_id:
        _check_member_unit(changes["branch"])
    if changes.get("ward_code"):
        changes["ward_code"] = check_ward_in_province(changes["ward_code"])
    if "email" in changes:
        changes["email"] = (changes["email"] or "").strip().lower()
    for field, value in changes.items():
        setattr(member, field, value)
    member.save()
    diff = audit.changes(before, changes)
    if diff:
        audit.record(actor=actor, action="member.changed", obj=member, changes=diff)
    return member


def deactivate_member(*, actor: Any, member: Member) -> Member:
    return update_member(actor=actor, member=member, active=False)


# --- pickup points ------------------------------------------------------------

POINT_FIELDS = (
    "name",
    "host",
    "org_unit",
    "address",
    "ward_code",
    "opening_hours",
    "capacity",
    "has_cold_storage",
    "offers_home_delivery",
    "active",
)


def _clean_point(fields: dict[str, Any]) -> dict[str, Any]:
    if "name" in fields:
        fields["name"] = clean_name(fields["name"], field=_("Name"))
    if "address" in fields:
        fields["address"] = clean_name(fields["address"], field=_("Address"))
    if "ward_code" in fields:
        fields["ward_code"] = check_ward_in_province(fields["ward_code"])
    if "host" in fields and not fields["host"].active:
        raise ValidationError(
            _("The host %(name)s is not an active member.")
            % {"name": fields["host"].full_name},
            code="host_inactive",
        )
    if "capacity" in fields and (fields["capacity"] is None or fields["capacity"] < 1):
        raise ValidationError(
            _("Capacity must be at least one order per round."), code="capacity"
        )
    return fields


@counts_for_reports
@transaction.atomic
def create_pickup_point(
    *,
    actor: Any,
    name: str,
    host: Member,
    address: str,
    ward_code: str,
    opening_hours: str = "",
    capacity: int = 50,
    has_cold_storage: bool = False,
    offers_home_delivery: bool = False,
    org_unit: OrgUnit | None = None,
    coordinators: Any = (),
) -> PickupPoint:
    fields = _clean_point(
        {
            "name": name,
            "host": host,
            "address": address,
            "ward_code": ward_code,
            "opening_hours": (opening_hours or "").strip(),
            "capacity": capacity,
            "has_cold_storage": has_cold_storage,
            "offers_home_delivery": offers_home_delivery,
            "org_unit": org_unit,
        }
    )
    point = PickupPoint.objects.create(**fields)
    point.coordinators.set(coordinators)
    audit.record(
        actor=actor,
        action="pickuppoint.created",
        obj=point,
        host=host.pk,
        coordinators=[user.pk for user in coordinators],
    )
    return point


@counts_for_reports
@transaction.atomic
def update_pickup_point(
    *, actor: Any, point: PickupPoint, coordinators: Any = None, **changes: Any
) -> PickupPoint:
    unknown = set(changes) - set(POINT_FIELDS)
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    point = PickupPoint.objects.select_for_update().get(pk=point.pk)
    before = {field: getattr(point, field) for field in changes}
    changes = _clean_point(changes)
    for field, value in changes.items():
        setattr(point, field, value)
    point.save()
    diff = audit.changes(before, changes)
    if coordinators is not None:
        old = sorted(point.coordinators.values_list("pk", flat=True))
        new = sorted(user.pk for user in coordinators)
        if old != new:
            point.coordinators.set(coordinators)
            diff["coordinators"] = [old, new]
    if diff:
        audit.record(actor=actor, action="pickuppoint.changed", obj=point, changes=diff)
    return point


# --- support groups -----------------------------------------------------------


@counts_for_reports
@transaction.atomic
def create_support_group(
    *,
    actor: Any,
    name: str,
    area: str = "",
    notes: str = "",
    org_unit: OrgUnit | None = None,
    coordinators: Any = (),
    members: Any = (),
) -> SupportGroup:
    group = SupportGroup.objects.create(
        name=clean_name(name, field=_("Name")),
        area=(area or "").strip(),
        notes=notes or "",
        org_unit=org_unit,
    )
    group.coordinators.set(coordinators)
    group.members.set(members)
    audit.record(actor=actor, action="supportgroup.created", obj=group)
    return group


GROUP_FIELDS = ("name", "area", "notes", "org_unit", "active")


@counts_for_reports
@transaction.atomic
def update_support_group(
    *,
    actor: Any,
    group: SupportGroup,
    coordinators: Any = None,
    members: Any = None,
    **changes: Any,
) -> SupportGroup:
    unknown = set(changes) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    group = SupportGroup.objects.select_for_update().get(pk=group.pk)
    before = {field: getattr(group, field) for field in changes}
    if "name" in changes:
        changes["name"] = clean_name(changes["name"], field=_("Name"))
    for field, value in changes.items():
        setattr(group, field, value)
    group.save()
    diff = audit.changes(before, changes)
    for relation, wanted in (("coordinators", coordinators), ("members", members)):
        if wanted is None:
            continue
        manager = getattr(group, relation)
        old = sorted(manager.values_list("pk", flat=True))
        new = sorted(item.pk for item in wanted)
        if old != new:
            manager.set(wanted)
            diff[relation] = [old, new]
    if diff:
        audit.record(
            actor=actor, action="supportgroup.changed", obj=group, changes=diff
        )
    return group


# --- imports ------------------------------------------------------------------


@counts_for_reports
@transaction.atomic
def import_org_units(*, actor: Any, rows: list[dict[str, Any]]) -> list[OrgUnit]:
    """Create units from checked import rows, in file order.

    A row's `parent` is a stored unit or the `key` of an earlier row of the
    same import, so a list may hold communes and then their branches.
    """
    from .tree import PathAllocator

    allocator = PathAllocator()
    built: dict[str, OrgUnit] = {}
    by_path: dict[str, OrgUnit] = {}
    units = []
    for row in rows:
        parent = row["parent"]
        if isinstance(parent, str):
            parent = built[parent]
        unit = OrgUnit(
            name=row["name"],
            level=row["level"],
            code=row.get("code", ""),
            ward_code=row.get("ward_code") or parent.ward_code,
            legacy_district=row.get("legacy_district", ""),
            depth=parent.depth + 1,
            path=allocator.child_path(parent.path),
            numchild=0,
        )
        built[row["key"]] = unit
        by_path[unit.path] = unit
        units.append(unit)
    allocator.update_numchild(by_path)
    OrgUnit.objects.bulk_create(units, batch_size=2000)
    audit.record_many(actor=actor, action="orgunit.imported", objects=units)
    logger.info("Imported %s union units", len(units))
    return units


@counts_for_reports
@transaction.atomic
def import_members(*, actor: Any, rows: list[dict[str, Any]]) -> list[Member]:
    """Create members from checked import rows (phones already free and valid)."""
    members = [
        Member(
            full_name=row["full_name"],
            phone=row["phone"],
            email=row.get("email", ""),
            branch=row["branch"],
            address=row.get("address", ""),
            ward_code=row.get("ward_code") or row["branch"].ward_code,
            joined_on=row.get("joined_on"),
        )
        for row in rows
    ]
    Member.objects.bulk_create(members, batch_size=2000)
    audit.record_many(actor=actor, action="member.imported", objects=members)
    logger.info("Imported %s members", len(members))
    return members
