"""Reading the file into rows keyed by column, then each row on its own: required cells, staff type, Có/Không
flags, dates, e-mail, phone, equipment. Cross-row checks are ``planning``'s."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_noop

from telework.organization.importing.layout import (
    COLUMNS,
    COLUMNS_BY_KEY,
    EQUIPMENT_WORDS,
    ERROR,
    FALSE_WORDS,
    FLAG_KEYS,
    HEADER_LOOKUP,
    HEADER_SEARCH_ROWS,
    MAX_CODE_LENGTH,
    MAX_IMPORT_FILE_BYTES,
    MAX_IMPORT_ROWS,
    MAX_NAME_LENGTH,
    MAX_WORKBOOK_UNCOMPRESSED_BYTES,
    STAFF_TYPE_WORDS,
    TRUE_WORDS,
    WARNING,
    Problem,
    Table,
    normalize,
)

# --- Reading the file -------------------------------------------------------------------------------------


def read_table(file_name: str, content: bytes) -> Table:
    """Read the first sheet of an .xlsx workbook or a UTF-8 .csv (comma or semicolon) into a ``Table``.

    The header row is the first of the first ten rows that holds a "Mã cán bộ" column, so a title above it
    is allowed. Fully blank rows are skipped; row numbers stay those the user sees in Excel.
    """
    table = Table(file_name=file_name)
    lowered = file_name.lower()
    if len(content) > MAX_IMPORT_FILE_BYTES:
        table.problems.append(
            _file_problem(
                "file_too_large",
                gettext_noop("The file is %(size_mb)s MB; a staff list may be at most %(max_mb)s MB. Split it by unit and import each part."),
                size_mb=_megabytes(len(content)),
                max_mb=MAX_IMPORT_FILE_BYTES // (1024 * 1024),
            )
        )
        return table
    if lowered.endswith(".xls"):
        table.problems.append(
            _file_problem("old_excel", gettext_noop("Old .xls workbooks are not read: save the file as .xlsx (Excel Workbook) or CSV UTF-8."))
        )
        return table
    try:
        if content[:2] == b"PK" or lowered.endswith(".xlsx"):
            raw_rows = _xlsx_rows(content)
        elif lowered.endswith(".csv") or lowered.endswith(".txt"):
            raw_rows = _csv_rows(content)
        else:
            table.problems.append(_file_problem("file_type", gettext_noop("Send an .xlsx workbook or a .csv file.")))
            return table
    except UnicodeDecodeError:
        table.problems.append(
            _file_problem("encoding", gettext_noop("The CSV file is not in UTF-8, so Vietnamese letters would be garbled. In Excel choose “CSV UTF-8”."))
        )
        return table
    except _TooLarge as refusal:
        table.problems.append(refusal.problem)
        return table
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        table.problems.append(_file_problem("unreadable", gettext_noop("The file cannot be read as an Excel workbook (.xlsx).")))
        return table
    _locate_header(table, raw_rows)
    return table


def _file_problem(code: str, message: str, **params: Any) -> Problem:
    return Problem(ERROR, code, message, params)


class _TooLarge(Exception):
    """The file passes a limit; raised while reading, before the rest of it is parsed."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def _megabytes(size: int) -> float:
    return round(size / 1024 / 1024, 1)


def _check_unzipped_size(content: bytes) -> None:
    """Refuse a workbook whose parts unzip past MAX_WORKBOOK_UNCOMPRESSED_BYTES, from the sizes its ZIP directory
    declares (Python's zipfile never inflates a part past its declared size), before openpyxl opens it."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    if unzipped > MAX_WORKBOOK_UNCOMPRESSED_BYTES:
        raise _TooLarge(
            _file_problem(
                "workbook_too_large",
                gettext_noop(
                    "Unzipped, the workbook holds %(size_mb)s MB; a staff list may hold at most %(max_mb)s MB. Split it by unit and import each part."
                ),
                size_mb=_megabytes(unzipped),
                max_mb=MAX_WORKBOOK_UNCOMPRESSED_BYTES // (1024 * 1024),
            )
        )


def _bounded(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows, read one by one and refused as soon as there are more than the header rows and MAX_IMPORT_ROWS."""
    kept = []
    for row in rows:
        kept.append(row)
        if len(kept) > MAX_IMPORT_ROWS + HEADER_SEARCH_ROWS:
            raise _TooLarge(
                _file_problem(
                    "too_many_rows",
                    gettext_noop("The file holds more than %(max)s rows; a staff list may hold at most %(max)s. Split it by unit and import each part."),
                    max=MAX_IMPORT_ROWS,
                )
            )
    return kept


def _xlsx_rows(content: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    _check_unzipped_size(content)
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return _bounded(tuple(row) for row in sheet.iter_rows(values_only=True))
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> list[tuple[Any, ...]]:
    text = content.decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    # The separator that splits the header into more known columns wins (Excel in Vietnamese locale saves ";").
    best = max((",", ";", "\t"), key=lambda sep: (sum(normalize(cell) in HEADER_LOOKUP for cell in next(csv.reader([first_line], delimiter=sep))), sep == ","))
    return _bounded(tuple(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=best))


def _header_index(raw_rows: list[tuple[Any, ...]]) -> int | None:
    for index, raw in enumerate(raw_rows[:HEADER_SEARCH_ROWS]):
        if any(cell is not None and HEADER_LOOKUP.get(normalize(cell)) == "code" for cell in raw):
            return index
    return None


def _locate_header(table: Table, raw_rows: list[tuple[Any, ...]]) -> None:
    index = _header_index(raw_rows)
    if index is None:
        table.problems.append(
            _file_problem(
                "no_header", gettext_noop("No “Mã cán bộ” column was found in the first %(rows)s rows: use the template's headers."), rows=HEADER_SEARCH_ROWS
            )
        )
        return
    raw = raw_rows[index]
    keys = [HEADER_LOOKUP.get(normalize(cell)) if cell is not None else None for cell in raw]
    table.header_row = index + 1
    positions: dict[str, int] = {}
    for position, (key, cell) in enumerate(zip(keys, raw, strict=True)):
        if key is None:
            if cell is not None and str(cell).strip():
                table.ignored_headers.append(str(cell).strip())
            continue
        if key in positions:
            table.problems.append(
                _file_problem("duplicate_column", gettext_noop("The column “%(column)s” appears twice in the header."), column=COLUMNS_BY_KEY[key].header)
            )
            continue
        positions[key] = position
        table.headers[key] = _clean_text(cell)
    missing = [column.header for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        table.problems.append(_file_problem("missing_column", gettext_noop("Required columns are missing: %(columns)s."), columns=", ".join(missing)))
    if table.problems:
        return
    for number, raw in enumerate(raw_rows[index + 1 :], start=index + 2):
        cells = {key: raw[position] if position < len(raw) else None for key, position in positions.items()}
        if all(_is_blank(value) for value in cells.values()):
            continue
        table.rows.append((number, cells))


# --- One row on its own -----------------------------------------------------------------------------------


@dataclass
class StaffRow:
    """One row after reading its cells. Fields whose column is absent from the file are None."""

    number: int
    code: str = ""
    full_name: str = ""
    staff_type: str | None = None
    unit_code: str = ""
    unit_name: str = ""
    parent_unit_code: str = ""
    position_code: str = ""
    position_name: str = ""
    flags: dict[str, bool | None] = field(default_factory=dict)
    is_leader: bool | None = None
    superior_code: str | None = None
    phone: str | None = None
    email: str | None = None
    equipment: tuple[str, ...] | None = None
    training_completed_on: dt.date | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_error(self) -> bool:
        return any(problem.is_error for problem in self.problems)


class _RowReader:
    def __init__(self, table: Table, number: int, cells: Mapping[str, Any], today: dt.date) -> None:
        self.table = table
        self.number = number
        self.cells = cells
        self.today = today
        self.problems: list[Problem] = []

    def problem(self, key: str, code: str, message: str, severity: str = ERROR, **params: Any) -> None:
        self.problems.append(Problem(severity, code, message, params, self.table.header(key), self.number))

    def text(self, key: str, *, required: bool = False, max_length: int = MAX_NAME_LENGTH) -> str:
        value = _clean_text(self.cells.get(key))
        if required and not value:
            self.problem(key, "required", gettext_noop("This cell is empty; the column is required."))
        if len(value) > max_length:
            self.problem(key, "too_long", gettext_noop("At most %(limit)s characters (%(length)s given)."), limit=max_length, length=len(value))
            value = value[:max_length]
        return value

    def code(self, key: str, *, required: bool = False) -> str:
        value = self.text(key, required=required, max_length=MAX_CODE_LENGTH)
        if value and (re.search(r"\s", value) or "/" in value):
            self.problem(key, "bad_code", gettext_noop("The code “%(value)s” may not contain spaces or “/”."), value=value)
        return value

    def flag(self, key: str) -> bool | None:
        value = self.cells.get(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        word = normalize(value) if value is not None else ""
        if not word:
            return None
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.problem(key, "bad_flag", gettext_noop("“%(value)s” is not Có or Không (x, 1 and 0 are accepted too)."), value=_clean_text(value))
        return None

    def staff_type(self) -> str | None:
        value = _clean_text(self.cells.get("staff_type"))
        if not value:
            self.problem("staff_type", "required", gettext_noop("This cell is empty; the column is required."))
            return None
        staff_type = STAFF_TYPE_WORDS.get(normalize(value))
        if staff_type is None:
            self.problem(
                "staff_type",
                "unknown_staff_type",
                gettext_noop("Unknown staff type “%(value)s”: write Công chức, Viên chức or Người lao động."),
                value=value,
            )
        return staff_type

    def phone(self) -> str:
        value = self.cells.get("phone")
        if _is_blank(value):
            return ""
        digits = _clean_text(value)
        digits = re.sub(r"^\(?\+84\)?", "0", digits.replace(" ", ""))
        digits = re.sub(r"[\s.\-()]", "", digits)
        if digits.isdigit() and len(digits) == 9 and not digits.startswith("0"):
            # Excel stores 0901234567 typed into a number cell as 901234567.
            digits = "0" + digits
            self.problem("phone", "phone_leading_zero", gettext_noop("The leading 0 lost by Excel was restored: %(value)s."), WARNING, value=digits)
        if not re.fullmatch(r"0\d{9,10}", digits):
            self.problem(
                "phone",
                "bad_phone",
                gettext_noop("“%(value)s” is not a phone number: 10 or 11 digits starting with 0 (or +84)."),
                value=_clean_text(value),
            )
            return ""
        return digits

    def email(self) -> str:
        value = _clean_text(self.cells.get("email"))
        if not value:
            return ""
        try:
            validate_email(value)
        except ValidationError:
            self.problem("email", "bad_email", gettext_noop("“%(value)s” is not a valid e-mail address."), value=value)
            return ""
        return value

    def equipment(self) -> tuple[str, ...]:
        value = _clean_text(self.cells.get("equipment"))
        found: set[str] = set()
        for item in re.split(r"[,;/+\n]", value):
            word = normalize(item)
            if not word:
                continue
            if word not in EQUIPMENT_WORDS:
                self.problem(
                    "equipment",
                    "unknown_equipment",
                    gettext_noop("Unknown equipment “%(value)s”: write Điện thoại, Máy tính, Máy in or Internet."),
                    value=item.strip(),
                )
                continue
            found.add(EQUIPMENT_WORDS[word])
        return tuple(sorted(found))

    def date(self, key: str) -> dt.date | None:
        value = self.cells.get(key)
        if _is_blank(value):
            return None
        parsed = _parse_date(value)
        if parsed is None:
            self.problem(key, "bad_date", gettext_noop("“%(value)s” is not a date: write dd/mm/yyyy, e.g. 15/03/2025."), value=_clean_text(value))
        elif parsed > self.today:
            self.problem(key, "future_date", gettext_noop("%(value)s is in the future."), value=parsed)
            return None
        return parsed


def parse_rows(table: Table, *, today: dt.date) -> list[StaffRow]:
    """Read every row of ``table`` on its own: required cells, staff type, Có/Không flags, dates, e-mail,
    phone, equipment. Cross-row checks are ``plan_import``'s."""
    present = set(table.headers)
    rows = []
    for number, cells in table.rows:
        reader = _RowReader(table, number, cells, today)
        row = StaffRow(number=number)
        row.code = reader.code("code", required=True)
        row.full_name = reader.text("full_name", required=True)
        row.staff_type = reader.staff_type()
        row.unit_code = reader.code("unit_code", required=True)
        row.unit_name = reader.text("unit_name") if "unit_name" in present else ""
        row.parent_unit_code = reader.code("parent_unit_code") if "parent_unit_code" in present else ""
        row.position_code = reader.code("position_code", required=True)
        row.position_name = reader.text("position_name") if "position_name" in present else ""
        row.flags = {key: reader.flag(key) for key in FLAG_KEYS if key in present}
        if "is_leader" in present:
            row.is_leader = bool(reader.flag("is_leader"))
        if "superior_code" in present:
            row.superior_code = reader.code("superior_code")
        if "phone" in present:
            row.phone = reader.phone()
        if "email" in present:
            row.email = reader.email()
        if "equipment" in present:
            row.equipment = reader.equipment()
        if "training_completed_on" in present:
            row.training_completed_on = reader.date("training_completed_on")
        row.problems = reader.problems
        rows.append(row)
    return rows


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?")


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell without a date format: Excel's serial day number (1 = 01/01/1900).
        if 1 <= value < 2958466:
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        return None
    text = _clean_text(value)
    try:
        if match := _DMY.fullmatch(text):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if match := _ISO.fullmatch(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None
