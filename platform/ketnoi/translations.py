"""Compile the project's .po files to .mo with polib (no gettext tools needed).

Each app keeps its own `locale/` folder beside its code; the project-wide one
is `locale/` at the root.
"""

from pathlib import Path

import polib

from .settings import BASE_DIR

SOURCE_FOLDERS = ("locale", "platform", "tenants", "cms", "api")


def po_files() -> list[Path]:
    found: list[Path] = []
    for folder in SOURCE_FOLDERS:
        found.extend((BASE_DIR / folder).glob("**/locale/*/LC_MESSAGES/*.po"))
        found.extend((BASE_DIR / folder).glob("*/LC_MESSAGES/*.po"))
    return sorted(set(found))


def compile_translations(force: bool = False) -> int:
    compiled = 0
    for po_path in po_files():
        mo_path = po_path.with_suffix(".mo")
        fresh = mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime
        if fresh and not force:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled += 1
    return compiled
