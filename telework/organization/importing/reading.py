"""Reading the file into rows keyed by column, then each row on its own: required cells, staff type, Có/Không
flags, dates, e-mail, phone, equipment. Cross-row checks are ``planning``'s."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_noop

from telework.core import tabular
from telework.core.tabular import Formula
from telework.organization.importing.layout import (
    COLUMNS_BY_KEY,
    EQUIPMENT_WORDS,
    ERROR,
    FALSE_WORDS,
    FLAG_KEYS,
    HEADER_LOOKUP,
    HEADER_MIN_KNOWN,
    HEADER_SEARCH_ROWS,
    MAX_AGE,
    MAX_CODE_LENGTH,
    MAX_IMPORT_FILE_BYTES,
    MAX_IMPORT_ROWS,
    MAX_NAME_LENGTH,
    MAX_WORKBOOK_UNCOMPRESSED_BYTES,
    MIN_AGE,
    PERSONAL_DATA_KEYS,
    REQUIRED_KEYS,
    REQUIRED_ONE_OF,
    SEX_WORDS,
    STAFF_TYPE_WORDS,
    TRUE_WORDS,
    WARNING,
    FoundColumn,
    Problem,
    Table,
    is_footer_text,
    normalize,
    recognise_header,
)
from telework.organization.importing.titles import rank_of_title

TITLE_MAX_LENGTH = 120

# --- Reading the file -------------------------------------------------------------------------------------

LIMITS = tabular.Limits(
    max_file_bytes=MAX_IMPORT_FILE_BYTES, max_rows=MAX_IMPORT_ROWS, max_unzipped_bytes=MAX_WORKBOOK_UNCOMPRESSED_BYTES, header_rows=HEADER_SEARCH_ROWS
)
# What each refusal of ``core.tabular`` tells the HR office: the staff list's own advice.
FILE_MESSAGES = {
    tabular.FILE_TOO_LARGE: gettext_noop("The file is %(size_mb)s MB; a staff list may be at most %(max_mb)s MB. Split it by unit and import each part."),
    tabular.TOO_MANY_ROWS: gettext_noop("The file holds more than %(max)s rows; a staff list may hold at most %(max)s. Split it by unit and import each part."),
    tabular.WORKBOOK_TOO_LARGE: gettext_noop(
        "Unzipped, the workbook holds %(size_mb)s MB; a staff list may hold at most %(max_mb)s MB. Split it by unit and import each part."
    ),
    tabular.OLD_EXCEL: gettext_noop("Old .xls workbooks are not read: save the file as .xlsx (Excel Workbook) or CSV UTF-8."),
    tabular.FILE_TYPE: gettext_noop("Send an .xlsx workbook or a .csv file."),
    tabular.ENCODING: gettext_noop("The CSV file is not in UTF-8, so Vietnamese letters would be garbled. In Excel choose “CSV UTF-8”."),
    tabular.UNREADABLE: gettext_noop("The file cannot be read as an Excel workbook (.xlsx)."),
}


def read_table(file_name: str, content: bytes, *, mapping: Mapping[str, str] | None = None) -> Table:
    """Read the first sheet of an .xlsx workbook or a UTF-8 .csv (comma or semicolon) into a ``Table``.

    The file may be laid out as an office keeps it: a title block above the header (the national motto, the
    agency, the list's title), a header over two rows with merged cells, a row numbering the columns, blank rows,
    and a signature footer or a totals line under the list. The header is the row among the first twenty with
    the most known headers (at least three); ``mapping`` (normalised header → column key, "" to set the column
    aside) overrides the recognised spellings. Merged cells read as their top-left value. A formula is read as
    the formula, never as its last computed value. Row numbers stay those the user sees in Excel. The file itself
    is read by ``core.tabular`` within ``LIMITS``; a refusal becomes the table's one problem.
    """
    table = Table(file_name=file_name)
    try:
        raw_rows = tabular.read_rows(file_name, content, limits=LIMITS, is_known_header=lambda cell: normalize(cell) in HEADER_LOOKUP, merged_cells=True)
    except tabular.TableRefused as refusal:
        table.problems.append(_file_problem(refusal.code, FILE_MESSAGES[refusal.code], **refusal.params))
        return table
    _locate_header(table, raw_rows, mapping or {})
    return table


def _file_problem(code: str, message: str, **params: Any) -> Problem:
    return Problem(ERROR, code, message, params)


def _known(cell: Any, mapping: Mapping[str, str]) -> bool:
    return cell is not None and not isinstance(cell, Formula) and recognise_header(cell, mapping) is not None


def _header_index(raw_rows: list[tuple[Any, ...]], mapping: Mapping[str, str]) -> int | None:
    """The row among the first ``HEADER_SEARCH_ROWS`` with the most known headers, at least ``HEADER_MIN_KNOWN``;
    failing that, the first row holding the staff-code header (a short file of the template's columns)."""
    scores = [sum(1 for cell in raw if _known(cell, mapping)) for raw in raw_rows[:HEADER_SEARCH_ROWS]]
    if scores and max(scores) >= HEADER_MIN_KNOWN:
        return scores.index(max(scores))
    for index, raw in enumerate(raw_rows[:HEADER_SEARCH_ROWS]):
        if any(_known(cell, mapping) and recognise_header(cell, mapping) == "code" for cell in raw):
            return index
    return None


def _header_cells(raw_rows: list[tuple[Any, ...]], index: int, mapping: Mapping[str, str]) -> tuple[list[Any], int]:
    """The header's cells, completed from the row under it when the header spans two rows without merged cells
    ("Thông tin cá nhân" above "Ngày sinh", "Giới tính"), and the index of the first row after the header."""
    header = list(raw_rows[index])
    after = index + 1
    if after < len(raw_rows):
        below = raw_rows[after]
        # The row under the header belongs to it when it only adds known headers where the header has none.
        additions = [
            position for position, cell in enumerate(below) if _known(cell, mapping) and (position >= len(header) or not _known(header[position], mapping))
        ]
        data_like = [cell for position, cell in enumerate(below) if not _is_blank(cell) and position not in additions and not _known(cell, mapping)]
        if additions and not data_like:
            header.extend([None] * (len(below) - len(header)))
            for position in additions:
                header[position] = below[position]
            after += 1
    return header, after


_COLUMN_NUMBER = re.compile(r"\(?\d{1,2}\)?")


def _is_column_numbers(raw: tuple[Any, ...]) -> bool:
    """A row numbering the columns under the header ("1 2 3 ..." or "(1) (2) (3) ..."), as official forms have."""
    cells = [_clean_text(cell) for cell in raw if not _is_blank(cell)]
    return len(cells) >= HEADER_MIN_KNOWN and all(_COLUMN_NUMBER.fullmatch(cell) for cell in cells)


_SECTION_NUMBER = re.compile(r"([IVXLC]+|[A-Z]|\d{1,2})[.)] +\S.*")


def _is_section_heading(raw: tuple[Any, ...]) -> bool:
    """A heading between groups of people ("I. VĂN PHÒNG", "2) Phòng Kinh tế"): one numbered text alone on its row,
    or one text merged across the row. A person with only a name filled in is not one: that row is reported."""
    cells = [_clean_text(cell) for cell in raw if not _is_blank(cell) and not isinstance(cell, Formula)]
    if not cells:
        return False
    if len(cells) >= HEADER_MIN_KNOWN and len(set(cells)) == 1:
        return True
    return len(cells) == 1 and _SECTION_NUMBER.fullmatch(cells[0]) is not None


def _locate_header(table: Table, raw_rows: list[tuple[Any, ...]], mapping: Mapping[str, str]) -> None:
    index = _header_index(raw_rows, mapping)
    if index is None:
        table.problems.append(
            _file_problem(
                "no_header",
                gettext_noop(
                    "No header row was found in the first %(rows)s rows: the list needs a row of headers such as “Họ và tên”, “Mã cán bộ”, “Phòng/Bộ phận”."
                ),
                rows=HEADER_SEARCH_ROWS,
            )
        )
        return
    raw, data_start = _header_cells(raw_rows, index, mapping)
    numbers_row = data_start < len(raw_rows) and _is_column_numbers(raw_rows[data_start])
    if numbers_row:
        data_start += 1
    table.header_row = index + 1
    positions: dict[str, int] = {}
    found: list[FoundColumn] = []
    # The first people under the header, shown on the mapping step (headings between groups left out).
    people = [row for row in raw_rows[data_start : data_start + 10] if not _is_section_heading(row)]
    for position, cell in enumerate(raw):
        if _is_blank(cell) or isinstance(cell, Formula):
            continue
        key = recognise_header(cell, mapping)
        samples = tuple(_clean_text(row[position]) for row in people[:3] if position < len(row) and not _is_blank(row[position]))
        found.append(FoundColumn(position, tabular.column_letter(position), _clean_text(cell), normalize(cell), key, samples))
        if not key:
            if key is None:
                table.ignored_headers.append(_clean_text(cell))
            continue
        if key in positions:
            table.problems.append(
                _file_problem("duplicate_column", gettext_noop("The column “%(column)s” appears twice in the header."), column=COLUMNS_BY_KEY[key].header)
            )
            continue
        positions[key] = position
        table.headers[key] = _clean_text(cell)
    table.found = found
    missing = [COLUMNS_BY_KEY[key].header for key in REQUIRED_KEYS if key not in positions]
    missing += [
        f"{COLUMNS_BY_KEY[first].header} / {COLUMNS_BY_KEY[second].header}"
        for first, second in REQUIRED_ONE_OF
        if first not in positions and second not in positions
    ]
    if missing:
        table.problems.append(_file_problem("missing_column", gettext_noop("Required columns are missing: %(columns)s."), columns=", ".join(missing)))
    if table.problems:
        return
    for number, raw_row in enumerate(raw_rows[data_start:], start=data_start + 1):
        if any(is_footer_text(cell) for cell in raw_row if not isinstance(cell, Formula)):
            table.footer_row = number
            break
        cells = {key: raw_row[position] if position < len(raw_row) else None for key, position in positions.items()}
        if all(_is_blank(value) for value in cells.values()):
            continue
        if _is_section_heading(raw_row):
            table.section_rows.append(number)
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
    title: str | None = None
    is_deputy: bool | None = None
    date_of_birth: dt.date | None = None
    sex: str | None = None
    problems: list[Problem] = field(default_factory=list)
    # Set by planning: the unit or position was found (or will be created) by its name, not by a code.
    unit_by_name: bool = False
    position_by_name: bool = False
    superior_proposed: bool = False

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

    def value(self, key: str) -> Any:
        """The cell's value; a formula is reported (its result is not in the file for sure) and read as empty."""
        value = self.cells.get(key)
        if isinstance(value, Formula):
            self.problem(
                key,
                "formula",
                gettext_noop("This cell holds a formula (%(formula)s), not a value: type the value itself."),
                formula=str(value)[:60],
            )
            return None
        return value

    def text(self, key: str, *, required: bool = False, max_length: int = MAX_NAME_LENGTH) -> str:
        value = _clean_text(self.value(key))
        if required and not value and not isinstance(self.cells.get(key), Formula):
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
        value = self.value(key)
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
        value = _clean_text(self.value("staff_type"))
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
        value = self.value("phone")
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
        value = _clean_text(self.value("email"))
        if not value:
            return ""
        try:
            validate_email(value)
        except ValidationError:
            self.problem("email", "bad_email", gettext_noop("“%(value)s” is not a valid e-mail address."), value=value)
            return ""
        return value

    def equipment(self) -> tuple[str, ...]:
        value = _clean_text(self.value("equipment"))
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
        value = self.value(key)
        if _is_blank(value):
            return None
        parsed = _parse_date(value)
        if parsed is None:
            self.problem(key, "bad_date", gettext_noop("“%(value)s” is not a date: write dd/mm/yyyy, e.g. 15/03/2025."), value=_clean_text(value))
        elif parsed > self.today:
            self.problem(key, "future_date", gettext_noop("%(value)s is in the future."), value=parsed)
            return None
        return parsed

    def date_of_birth(self) -> dt.date | None:
        value = self.value("date_of_birth")
        if _is_blank(value):
            return None
        parsed = _parse_date(value)
        if parsed is None:
            text = _clean_text(value)
            if _DMY.fullmatch(text) or _ISO.fullmatch(text):
                self.problem("date_of_birth", "impossible_date", gettext_noop("%(value)s is not a day of the calendar."), value=text)
            else:
                self.problem("date_of_birth", "bad_date", gettext_noop("“%(value)s” is not a date: write dd/mm/yyyy, e.g. 15/03/2025."), value=text)
            return None
        if parsed > self.today:
            self.problem("date_of_birth", "birth_in_future", gettext_noop("A date of birth after today (%(value)s) is impossible."), value=parsed)
            return None
        age = self.today.year - parsed.year - ((self.today.month, self.today.day) < (parsed.month, parsed.day))
        if not MIN_AGE <= age <= MAX_AGE:
            self.problem(
                "date_of_birth",
                "implausible_age",
                gettext_noop("Born on %(value)s, the person would be %(age)s: a staff member is between %(min)s and %(max)s."),
                value=parsed,
                age=age,
                min=MIN_AGE,
                max=MAX_AGE,
            )
            return None
        return parsed

    def sex(self) -> str:
        value = _clean_text(self.value("sex"))
        if not value:
            return ""
        sex = SEX_WORDS.get(normalize(value))
        if sex is None:
            self.problem("sex", "unknown_sex", gettext_noop("“%(value)s” is not Nam or Nữ."), value=value)
            return ""
        return sex


def parse_rows(table: Table, *, today: dt.date, keeps_personal_data: bool = False) -> list[StaffRow]:
    """Read every row of ``table`` on its own: required cells, staff type, Có/Không flags, dates, e-mail,
    phone, equipment, title, date of birth and sex. Cross-row checks are ``plan_import``'s.

    Date of birth and sex are personal data (Decree 13/2023/NĐ-CP art. 2): read only when the agency keeps them
    (``keeps_personal_data``); otherwise their columns are set aside with one notice for the whole file.
    """
    present = set(table.headers)
    personal = [key for key in PERSONAL_DATA_KEYS if key in present]
    if personal and not keeps_personal_data:
        table.notices.append(
            Problem(
                WARNING,
                "personal_data_not_kept",
                gettext_noop("The columns %(columns)s were set aside: this agency does not keep date of birth and sex (Decree 13/2023 on personal data)."),
                {"columns": ", ".join(f"“{table.headers[key]}”" for key in personal)},
            )
        )
        present -= set(personal)
        for key in personal:  # set aside for the rest of the import: nothing is read or written from them
            table.ignored_headers.append(table.headers.pop(key))
    rows = []
    for number, cells in table.rows:
        reader = _RowReader(table, number, cells, today)
        row = StaffRow(number=number)
        row.code = reader.code("code")
        if not row.code and not isinstance(cells.get("code"), Formula):
            # Codes are never made up: the code is the person's username and their key in every later import.
            reader.problem(
                "code",
                "staff_code_missing",
                gettext_noop("No staff code: every person needs one (it becomes their username and matches them in the next import). Type it in this column."),
            )
        row.full_name = reader.text("full_name", required=True)
        row.staff_type = reader.staff_type()
        row.unit_code = reader.code("unit_code", required="unit_name" not in present) if "unit_code" in present else ""
        row.unit_name = reader.text("unit_name", required="unit_code" not in present) if "unit_name" in present else ""
        row.parent_unit_code = reader.code("parent_unit_code") if "parent_unit_code" in present else ""
        row.position_code = reader.code("position_code", required="position_name" not in present) if "position_code" in present else ""
        row.position_name = reader.text("position_name", required="position_code" not in present) if "position_name" in present else ""
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
        if "title" in present:
            row.title = reader.text("title", max_length=TITLE_MAX_LENGTH)
            rank = rank_of_title(row.title)
            if rank is not None:
                row.is_deputy = rank.is_deputy
                if "is_leader" not in present:
                    row.is_leader = rank.is_leader
        if "date_of_birth" in present:
            row.date_of_birth = reader.date_of_birth()
        if "sex" in present:
            row.sex = reader.sex()
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


# Public names of the generic cell helpers, for the other imports that read exports the same way (the dossier register).
clean_text = _clean_text
is_blank = _is_blank
parse_date = _parse_date
