"""Import of the lists staff already keep in Excel or CSV.

Reading a file gives a preview: every row with its problems, nothing
written. Committing writes either every valid row or, if the user chose so,
nothing at all when any row has a problem. Each kind of list is an `Importer`
subclass registered with `register`; the catalog adds its producers the
same way.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .units import fold

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
EXTENSIONS = (".xlsx", ".csv")


class Mode:
    VALID_ROWS = "valid"
    ALL_OR_NOTHING = "all"


@dataclass(frozen=True)
class ImportColumn:
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: str = ""

    def matches(self, header: str) -> bool:
        folded = fold(header)
        return folded in {fold(self.label), *(fold(a) for a in self.aliases)}


@dataclass
class RowResult:
    number: int  # as the spreadsheet shows it, header row included
    raw: dict[str, str]
    cleaned: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Preview:
    kind: str
    columns: list[ImportColumn]
    rows: list[RowResult]
    ignored_headers: list[str]

    @property
    def valid_rows(self) -> list[RowResult]:
        return [row for row in self.rows if row.ok]

    @property
    def bad_rows(self) -> list[RowResult]:
        return [row for row in self.rows if not row.ok]


@dataclass
class ImportResult:
    written: int
    skipped: int
    refused: bool = False


class Importer:
    """One kind of list. Subclasses declare columns and clean and save rows."""

    kind: ClassVar[str]
    label: ClassVar[Any]
    columns: ClassVar[tuple[ImportColumn, ...]]

    def __init__(self, *, actor: Any) -> None:
        self.actor = actor

    def prepare(self, rows: list[dict[str, str]]) -> None:
        """Load what the rows refer to, in a few queries for the whole file."""

    def clean_row(self, values: dict[str, str]) -> dict[str, Any]:
        raise NotImplementedError

    def save(self, rows: list[dict[str, Any]]) -> int:
        raise NotImplementedError


REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    REGISTRY[importer.kind] = importer
    return importer


def importer_choices() -> list[tuple[str, Any]]:
    return [(kind, importer.label) for kind, importer in REGISTRY.items()]


# --- reading files ------------------------------------------------------------


def file_problem(message: str, code: str = "bad_file") -> ValidationError:
    return ValidationError(message, code=code)


def read_table(data: bytes, filename: str) -> list[list[str]]:
    """The rows of the first sheet of an .xlsx or of a .csv, as text cells."""
    if len(data) > MAX_BYTES:
        raise file_problem(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // 2**20},
            "too_large",
        )
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _read_xlsx(data)
    elif name.endswith(".csv"):
        table = _read_csv(data)
    else:
        raise file_problem(
            _("Upload an Excel (.xlsx) or CSV (.csv) file."), "wrong_type"
        )
    table = [row for row in table if any(cell for cell in row)]
    if not table:
        raise file_problem(_("The file has no rows."), "empty")
    if len(table) - 1 > MAX_ROWS:
        raise file_problem(
            _("The file has more than %(rows)s rows; split it into smaller files.")
            % {"rows": f"{MAX_ROWS:,}".replace(",", ".")},
            "too_many_rows",
        )
    return table


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # Excel stores phone numbers typed as numbers as floats.
        value = int(value)
    return str(value).strip()


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise file_problem(
            _("This file cannot be read as an Excel workbook."), "malformed"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(value) for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise file_problem(
            _("This file cannot be read as an Excel workbook."), "malformed"
        ) from None
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # What Excel on Vietnamese Windows writes when it saves "CSV".
        return data.decode("cp1258")
    except UnicodeDecodeError:
        raise file_problem(
            _("The file's text encoding is not recognised; save it as CSV UTF-8."),
            "encoding",
        ) from None


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise file_problem(_("This file is not a CSV text file."), "malformed")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text), dialect)
        ]
    except csv.Error:
        raise file_problem(_("This CSV file is malformed."), "malformed") from None


# --- preview and commit -------------------------------------------------------


def _map_headers(
    importer: type[Importer], headers: list[str]
) -> tuple[dict[int, str], list[str]]:
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        column = next((c for c in importer.columns if c.matches(header)), None)
        if column is None or column.name in mapping.values():
            if header:
                ignored.append(header)
            continue
        mapping[index] = column.name
    missing = [
        c.label
        for c in importer.columns
        if c.required and c.name not in mapping.values()
    ]
    if missing:
        raise file_problem(
            _("Missing columns: %(columns)s. The first row must hold the headers.")
            % {"columns": ", ".join(str(label) for label in missing)},
            "missing_columns",
        )
    return mapping, ignored


def preview(importer: Importer, data: bytes, filename: str) -> Preview:
    """Read and check every row; write nothing."""
    table = read_table(data, filename)
    mapping, ignored = _map_headers(type(importer), table[0])
    raw_rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {name: "" for name in mapping.values()}
        for index, name in mapping.items():
            if index < len(cells):
                values[name] = cells[index]
        raw_rows.append((number, values))

    importer.prepare([values for _number, values in raw_rows])
    rows = []
    for number, values in raw_rows:
        result = RowResult(number=number, raw=values)
        try:
            result.cleaned = importer.clean_row(values)
        except ValidationError as error:
            result.problems = list(error.messages)
        rows.append(result)
    return Preview(importer.kind, list(importer.columns), rows, ignored)


def commit(
    importer: Importer, data: bytes, filename: str, *, mode: str
) -> ImportResult:
    """Check the file again and write it in one transaction.

    The file is read again rather than trusting the preview the user saw,
    because the province's data may have changed in between.
    """
    with transaction.atomic():
        checked = preview(importer, data, filename)
        bad = len(checked.bad_rows)
        if mode == Mode.ALL_OR_NOTHING and bad:
            return ImportResult(written=0, skipped=len(checked.rows), refused=True)
        written = importer.save([row.cleaned for row in checked.valid_rows])
    return ImportResult(written=written, skipped=bad)


def template_workbook(importer: type[Importer]) -> bytes:
    """An .xlsx with the headers and one example row, for staff to fill in."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(importer.label)[:31]
    sheet.append([str(column.label) for column in importer.columns])
    sheet.append([column.example for column in importer.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(importer.columns):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = max(14, len(str(column.label)) + 4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse_date(text: str) -> datetime.date | None:
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(
        _("“%(value)s” is not a date (use dd/mm/yyyy)."),
        code="bad_date",
        params={"value": text},
    )


def collect(checks: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Run named checks, gathering every problem of a row rather than the first."""
    cleaned: dict[str, Any] = {}
    problems: list[str] = []
    for name, check in checks:
        try:
            cleaned[name] = check()
        except ValidationError as error:
            problems.extend(error.messages)
    if problems:
        raise ValidationError(problems)
    return cleaned
