"""Reading tabular uploads (.xlsx, .csv) and reporting bad rows: the pieces every bulk import
uses (members and organisations in lms.accounts.importing, questions in quizzes.importing).

A report lists each bad row with its spreadsheet row number, the column and the reason in the
user's language, so a dry run can show every problem at once.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, no header, too many rows)."""


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy translation: the header in the template, in the admin's language
    required: bool = False
    example: str = ""

    def headers(self) -> set[str]:
        """Every header text accepted for this column: its label in each language and its key."""
        names = {self.key}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                names.add(str(self.label))
        return {normalise_header(n) for n in names}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """What an import found (dry run) or did."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, row: int, column: Column | None, message: str) -> None:
        self.errors.append(RowError(row, str(column.label) if column else "", message))


def normalise_header(text: str) -> str:
    """A header as compared: no spaces, stars or colons, lower case."""
    return re.sub(r"[\s*＊:：]", "", str(text)).lower()


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value to write into any .xlsx or .csv the platform produces: text that a spreadsheet
    would run as a formula (`=HYPERLINK(…)`, `+1`, `@SUM(…)`) gets a leading apostrophe, so it
    shows as the text it is. Numbers and dates are written as they are. `cell_text` takes the
    apostrophe off again when such a file is imported back."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def cell_text(value: Any) -> Any:
    """A cell as text (dates stay dates): Excel's 13800138000.0 becomes "13800138000"."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores phone numbers and codes as numbers
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        text = text[1:]  # written by safe_cell
    return text.strip()


def read_table(upload: IO[bytes], filename: str) -> tuple[list[str], list[tuple[int, list]]]:
    """Rows of the first sheet of an .xlsx, or of a .csv (UTF-8, UTF-8 with BOM or GB18030).

    Returns the header cells and `(row number, cells)` for each non-empty row; row numbers are
    the ones a spreadsheet shows (the header is row 1).
    """
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(upload, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ImportFileError(_("The file is not a valid .xlsx workbook.")) from exc
        sheet = workbook.worksheets[0]
        raw_rows = sheet.iter_rows(values_only=True)
    elif name.endswith(".csv"):
        data = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("The CSV file is neither UTF-8 nor GB18030 text."))
        raw_rows = csv.reader(io.StringIO(text))
    else:
        raise ImportFileError(_("Upload an .xlsx or .csv file."))

    header: list[str] | None = None
    rows: list[tuple[int, list]] = []
    for number, raw in enumerate(raw_rows, start=1):
        cells = [cell_text(v) for v in raw]
        if not any(c not in ("", None) for c in cells):
            continue
        if header is None:
            header = [str(c) for c in cells]
            continue
        rows.append((number, cells))
        if len(rows) > settings.IMPORT_MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)d rows; split it into smaller files.")
                % {"limit": settings.IMPORT_MAX_ROWS}
            )
    if header is None:
        raise ImportFileError(_("The file is empty."))
    return header, rows


def map_columns(
    header: list[str], columns: list[Column], report: ImportReport
) -> dict[str, int] | None:
    """Where each column is in the file (by its header in any language, or its key); reports
    missing required columns on row 1 and returns None then."""
    positions: dict[str, int] = {}
    normalised = [normalise_header(h) for h in header]
    for column in columns:
        accepted = column.headers()
        for index, text in enumerate(normalised):
            if text in accepted:
                positions[column.key] = index
                break
    missing = [str(c.label) for c in columns if c.required and c.key not in positions]
    if missing:
        report.add(
            1,
            None,
            _("Required columns are missing: %(columns)s. Download the template to see them.")
            % {"columns": "、".join(missing)},
        )
        return None
    return positions


def records(rows, positions: dict[str, int]) -> list[tuple[int, dict[str, Any]]]:
    """Each row as `(row number, {column key: cell})`."""
    records = []
    for number, cells in rows:
        record = {}
        for key, index in positions.items():
            record[key] = cells[index] if index < len(cells) else ""
        records.append((number, record))
    return records


def choice_lookup(choices) -> dict[str, str]:
    """Accept a choice by its stored value or its label in any language."""
    lookup: dict[str, str] = {}
    for value, label in choices:
        lookup[str(value).lower()] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                lookup[str(label).lower()] = value
    return lookup


def allowed_labels(choices) -> str:
    """The choices' labels as a list for an error message (正式党员、预备党员…)."""
    return "、".join(str(label) for _value, label in choices)
