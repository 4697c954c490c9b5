"""The official provincial units (post-2025), from the vietnam-provinces package."""

from functools import cache

from vietnam_provinces import Province as OfficialProvince
from vietnam_provinces import ProvinceCode


@cache
def province_choices() -> list[tuple[int, str]]:
    units = sorted(OfficialProvince.iter_all(), key=lambda unit: int(unit.code))
    return [(int(unit.code), unit.name) for unit in units]


def province_name(code: int) -> str:
    return OfficialProvince.from_code(ProvinceCode(code)).name
