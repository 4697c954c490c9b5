"""Compile the project's .po files to .mo with polib (no gettext tools needed)."""

from pathlib import Path

import polib

from .settings import BASE_DIR


def po_files() -> list[Path]:
    return sorted((BASE_DIR / "locale").glob("*/LC_MESSAGES/*.po"))


def compile_translations(force: bool = False) -> int:
    compiled = 0
    for po_path in po_files():
        mo_path = po_path.with_suffix(".mo")
        if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled += 1
    return compiled
