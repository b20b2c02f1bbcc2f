"""Reading the one-stop system's daily export (hồ sơ một cửa) and the public-service portal's rating export.

Pure: bytes in, rows with their problems out — no ORM. The file is the provincial one-stop system's Excel or CSV
export with Vietnamese headers, recognised with or without diacritics ("Mã hồ sơ" or "Ma ho so"), under a title block
or not; each row is read on its own and its problems are said in words. Which unit, desk, staff member or procedure
a code names is the service's business (``dossiers.imports``). The generic pieces (header normalisation, footer
lines, the problem record, cell cleaning, dates) are the staff import's (``organization.importing``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_noop

from telework.core import tabular
from telework.core.tabular import Formula
from telework.organization.importing.layout import ERROR, WARNING, FoundColumn, Problem, is_footer_text, normalize
from telework.organization.importing.reading import clean_text, is_blank, parse_date

# A day of HCMC's one-stop system is about 12,000 dossiers; a file holds at most a fortnight of the whole city.
MAX_ROWS = 200_000
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_WORKBOOK_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
HEADER_SEARCH_ROWS = 20
HEADER_MIN_KNOWN = 3
MAX_CODE_LENGTH = 64
MAX_PROCEDURE_NAME_LENGTH = 400
# A procedure's legal handling time (Decree 61/2018 Art. 18: as the procedure's legal text sets it) is at most a few
# months of working days; anything longer is a typing error.
MAX_LEGAL_WORKING_DAYS = 365
# A due date given without a time is the end of that office day.
END_OF_OFFICE_DAY = dt.time(17, 0)

# Column key → the header the one-stop system writes and the other spellings met in exports (normalised).
DOSSIER_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("Mã hồ sơ", "so ho so", "ma ho so tthc", "so bien nhan"),
    "procedure_code": ("Mã thủ tục", "ma tthc", "ma thu tuc hanh chinh"),
    "procedure_name": ("Tên thủ tục", "thu tuc", "ten tthc", "ten thu tuc hanh chinh"),
    "legal_days": ("Thời hạn giải quyết", "thoi han giai quyet ngay lam viec", "thoi han giai quyet ngay", "so ngay giai quyet", "thoi han"),
    "unit": ("Đơn vị tiếp nhận", "co quan", "co quan tiep nhan", "don vi", "don vi giai quyet", "co quan giai quyet"),
    "desk": ("Quầy", "bo phan tiep nhan", "quay tiep nhan", "ma quay", "bo phan mot cua"),
    "received": ("Ngày tiếp nhận", "ngay nhan", "thoi gian tiep nhan", "ngay gio tiep nhan"),
    "due": ("Ngày hẹn trả", "ngay hen tra ket qua", "han giai quyet", "ngay hen"),
    "returned": ("Ngày trả kết quả", "ngay tra", "ngay hoan thanh", "thoi gian tra ket qua"),
    "online_level": ("Mức độ", "hinh thuc", "muc do dvc", "muc do dich vu cong"),
    "channel": ("Kênh nộp", "kenh nop ho so", "hinh thuc nop", "phuong thuc nop"),
    "status": ("Trạng thái", "tinh trang", "trang thai ho so"),
    "handlers": ("Cán bộ xử lý", "can bo giai quyet", "nguoi xu ly", "ma can bo xu ly"),
    "apology_due": ("Ngày hẹn lại", "ngay hen tra lai", "ngay hen moi"),
    "apology_at": ("Ngày xin lỗi", "ngay phieu xin loi", "ngay gui phieu xin loi"),
}
DOSSIER_REQUIRED = ("code", "procedure_code", "unit", "received")

RATING_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("Mã hồ sơ", "so ho so"),
    "level": ("Mức độ hài lòng", "muc do hai long chung", "danh gia chung"),
    **{f"indicator_{number}": (f"Chỉ số {number}", f"chi tieu {number}", f"tieu chi {number}") for number in range(1, 10)},
    "rated_at": ("Ngày đánh giá", "thoi gian danh gia", "ngay gio danh gia"),
}
RATING_REQUIRED = ("code", "level", "rated_at")

IGNORED_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu", "ghi chu"})
# File problems the mapping step can mend (a column the user names).
MAPPING_PROBLEMS = ("missing_column", "duplicate_column")

ONLINE_LEVEL_WORDS = {
    "toan trinh": "fully_online",
    "truc tuyen toan trinh": "fully_online",
    "dich vu cong truc tuyen toan trinh": "fully_online",
    "muc do 4": "fully_online",
    "4": "fully_online",
    "mot phan": "partly_online",
    "truc tuyen mot phan": "partly_online",
    "dich vu cong truc tuyen mot phan": "partly_online",
    "muc do 3": "partly_online",
    "3": "partly_online",
    "truc tiep": "in_person",
    "khong truc tuyen": "in_person",
    "muc do 2": "in_person",
    "2": "in_person",
}
CHANNEL_WORDS = {
    "truc tiep": "desk",
    "tai quay": "desk",
    "tai bo phan mot cua": "desk",
    "truc tuyen": "online",
    "qua mang": "online",
    "dich vu cong": "online",
    "cong dich vu cong": "online",
    "online": "online",
    "buu chinh": "post",
    "buu chinh cong ich": "post",
    "buu dien": "post",
    "qua buu dien": "post",
}
STATUS_WORDS = {
    "moi tiep nhan": "received",
    "da tiep nhan": "received",
    "tiep nhan": "received",
    "dang xu ly": "in_progress",
    "dang giai quyet": "in_progress",
    "dang thu ly": "in_progress",
    "da tra ket qua": "returned",
    "da tra": "returned",
    "hoan thanh": "returned",
    "da giai quyet": "returned",
    "cho bo sung": "supplement",
    "yeu cau bo sung": "supplement",
    "bo sung ho so": "supplement",
    "da rut": "withdrawn",
    "rut ho so": "withdrawn",
    "cong dan rut ho so": "withdrawn",
    "tu choi": "refused",
    "khong giai quyet": "refused",
    "tra lai ho so": "refused",
}
LEVEL_WORDS = {
    "rat hai long": "very_satisfied",
    "hai long": "satisfied",
    "khong hai long": "not_satisfied",
    "chua hai long": "not_satisfied",
}
INDICATOR_COUNT = 9
INDICATOR_MAX = 2


@lru_cache(maxsize=65_536)
def normalize_cached(text: str) -> str:
    """``normalize`` remembered: an export repeats the same few words (levels, channels, statuses, units, desks) on
    every one of its rows."""
    return normalize(text)


def _clean(value: Any) -> str:
    """``clean_text`` with a fast path for text cells, read on every row of a 100,000-row export."""
    if isinstance(value, str) and not isinstance(value, Formula):
        # ASCII text is already in NFC: most cells of an export (codes, dates, numbers) skip the normalisation.
        return " ".join((value if value.isascii() else unicodedata.normalize("NFC", value)).split())
    return clean_text(value)


def _lookup(headers: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalize(spelling): key for key, spellings in headers.items() for spelling in spellings}


DOSSIER_LOOKUP = _lookup(DOSSIER_HEADERS)
RATING_LOOKUP = _lookup(RATING_HEADERS)


@dataclass
class RawTable:
    """The rows under the header, keyed by column, with the file-level problems. Row numbers are those Excel shows."""

    headers: dict[str, str] = field(default_factory=dict)  # column key → header as written in the file
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    # Every column of the header as found, with its first values: what the mapping step shows.
    found: list[FoundColumn] = field(default_factory=list)
    header_row: int = 0

    @property
    def needs_mapping(self) -> bool:
        """The user must say what some columns are: a header not recognised, or a required column not found."""
        return any(column.key is None for column in self.found) or any(problem.code in MAPPING_PROBLEMS for problem in self.problems)

    def header(self, key: str, layout: Mapping[str, tuple[str, ...]]) -> str:
        return self.headers.get(key) or layout[key][0]


def _file_problem(code: str, message: str, **params: Any) -> Problem:
    return Problem(ERROR, code, message, params)


# What each refusal of ``core.tabular`` tells the one-stop clerk: an export's own advice.
FILE_MESSAGES = {
    tabular.FILE_TOO_LARGE: gettext_noop("The file is %(size_mb)s MB; an export may be at most %(max_mb)s MB. Export fewer days at a time."),
    tabular.TOO_MANY_ROWS: gettext_noop("The file holds more than %(max)s rows; an export may hold at most %(max)s. Export fewer days at a time."),
    tabular.WORKBOOK_TOO_LARGE: gettext_noop(
        "Unzipped, the workbook holds %(size_mb)s MB; an export may hold at most %(max_mb)s MB. Export fewer days at a time."
    ),
    tabular.OLD_EXCEL: gettext_noop("Old .xls workbooks are not read: save the file as .xlsx (Excel Workbook) or CSV UTF-8."),
    tabular.FILE_TYPE: gettext_noop("Send an .xlsx workbook or a .csv file."),
    tabular.ENCODING: gettext_noop("The CSV file is not in UTF-8, so Vietnamese letters would be garbled. In Excel choose “CSV UTF-8”."),
    tabular.UNREADABLE: gettext_noop("The file cannot be read as an Excel workbook (.xlsx)."),
}


def read_table(
    file_name: str, content: bytes, *, layout: Mapping[str, tuple[str, ...]], required: Iterable[str], mapping: Mapping[str, str] | None = None
) -> RawTable:
    """Read the first sheet of an .xlsx workbook or a UTF-8 .csv (comma, semicolon or tab) into a ``RawTable``.

    The header is the row among the first twenty with the most known headers (at least three); ``mapping``
    (normalised header → column key, "" to set the column aside) overrides the known spellings — the import
    screen's mapping step. Rows under a signature footer or a totals line are not read; blank rows are skipped.
    Refused whole, before any row is read (``core.tabular``): a file over ``MAX_FILE_BYTES`` or ``MAX_ROWS`` rows,
    an old .xls, a CSV not in UTF-8, an unreadable workbook; and a header missing a required column.
    """
    table = RawTable()
    lookup = _lookup(layout)
    limits = tabular.Limits(
        max_file_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS, max_unzipped_bytes=MAX_WORKBOOK_UNCOMPRESSED_BYTES, header_rows=HEADER_SEARCH_ROWS
    )
    try:
        raw_rows = tabular.read_rows(file_name, content, limits=limits, is_known_header=lambda cell: normalize(cell) in lookup)
    except tabular.TableRefused as refusal:
        table.problems.append(_file_problem(refusal.code, FILE_MESSAGES[refusal.code], **refusal.params))
        return table
    _locate_header(table, raw_rows, layout, lookup, tuple(required), mapping or {})
    return table


def _recognise(cell: Any, lookup: Mapping[str, str], mapping: Mapping[str, str]) -> str | None:
    """The column key a header stands for: the user's choice on the mapping step first, then the known spellings.
    "" means "set aside"; None means "not recognised"."""
    if cell is None or isinstance(cell, Formula):
        return None
    key = normalize(cell)
    if not key:
        return None
    if key in mapping:
        return mapping[key]
    if key in IGNORED_HEADERS:
        return ""
    return lookup.get(key)


def _locate_header(
    table: RawTable,
    raw_rows: list[tuple[Any, ...]],
    layout: Mapping[str, tuple[str, ...]],
    lookup: Mapping[str, str],
    required: tuple[str, ...],
    mapping: Mapping[str, str],
) -> None:
    scores = [sum(1 for cell in raw if _recognise(cell, lookup, mapping)) for raw in raw_rows[:HEADER_SEARCH_ROWS]]
    if not scores or max(scores) < HEADER_MIN_KNOWN:
        table.problems.append(
            _file_problem(
                "no_header",
                gettext_noop("No header row was found in the first %(rows)s rows: the export needs headers such as %(examples)s."),
                rows=HEADER_SEARCH_ROWS,
                examples=", ".join(f"“{layout[key][0]}”" for key in required),
            )
        )
        return
    index = scores.index(max(scores))
    table.header_row = index + 1
    positions: dict[str, int] = {}
    first_rows = [raw for raw in raw_rows[index + 1 : index + 8] if any(not is_blank(cell) for cell in raw)][:3]
    for position, cell in enumerate(raw_rows[index]):
        if is_blank(cell) or isinstance(cell, Formula):
            continue
        key = _recognise(cell, lookup, mapping)
        samples = tuple(clean_text(raw[position]) for raw in first_rows if position < len(raw) and not is_blank(raw[position]))
        table.found.append(FoundColumn(position, tabular.column_letter(position), clean_text(cell), normalize(cell), key, samples))
        if not key:
            if key is None:
                table.ignored_headers.append(clean_text(cell))
            continue
        if key in positions:
            table.problems.append(
                _file_problem("duplicate_column", gettext_noop("The column “%(column)s” appears twice in the header."), column=clean_text(cell))
            )
            continue
        positions[key] = position
        table.headers[key] = clean_text(cell)
    missing = [layout[key][0] for key in required if key not in positions]
    if missing:
        table.problems.append(_file_problem("missing_column", gettext_noop("Required columns are missing: %(columns)s."), columns=", ".join(missing)))
        return
    if table.problems:
        return
    # A signature or totals line fills a few cells; a dossier fills its required ones: only sparse rows are read for
    # a footer (the text check costs more than the rest of reading a row).
    sparse = max(len(required) - 1, 1)
    for number, raw in enumerate(raw_rows[index + 1 :], start=index + 2):
        filled = [cell for cell in raw if not is_blank(cell)]
        if not filled:
            continue
        if len(filled) <= sparse and any(is_footer_text(cell) for cell in filled if isinstance(cell, str) and not isinstance(cell, Formula)):
            break
        cells = {key: raw[position] if position < len(raw) else None for key, position in positions.items()}
        if all(is_blank(value) for value in cells.values()):
            continue
        table.rows.append((number, cells))


# --- One row on its own -----------------------------------------------------------------------------------------

_HANDLER_SEPARATORS = re.compile(r"[,;\s]+")
_DATE_TIME = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?")


@dataclass
class DossierRow:
    """One row of the one-stop export after reading its cells; ``digest`` fingerprints what was read."""

    number: int
    code: str = ""
    procedure_code: str = ""
    procedure_name: str = ""
    legal_days: int | None = None
    unit: str = ""
    desk: str = ""
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    online_level: str = ""
    channel: str = ""
    status: str = ""
    handler_codes: tuple[str, ...] = ()
    apology_due_at: dt.datetime | None = None
    apology_at: dt.datetime | None = None
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""

    @property
    def has_error(self) -> bool:
        return any(problem.is_error for problem in self.problems)


@dataclass
class RatingRow:
    """One row of the portal's rating export: the dossier's code, the satisfaction level, the nine indicators."""

    number: int
    code: str = ""
    level: str = ""
    scores: list[int | None] = field(default_factory=list)
    rated_at: dt.datetime | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def has_error(self) -> bool:
        return any(problem.is_error for problem in self.problems)


class _Cells:
    def __init__(
        self,
        table: RawTable,
        layout: Mapping[str, tuple[str, ...]],
        number: int,
        cells: Mapping[str, Any],
        zone: ZoneInfo,
        moments: dict[tuple[str, dt.time], dt.datetime] | None = None,
    ) -> None:
        self.table = table
        self.layout = layout
        self.number = number
        self.cells = cells
        self.zone = zone
        self.problems: list[Problem] = []
        # Date-times read from text, shared by the rows of one file: an export repeats the same minutes many times.
        self.moments = {} if moments is None else moments

    def problem(self, key: str, code: str, message: str, severity: str = ERROR, **params: Any) -> None:
        self.problems.append(Problem(severity, code, message, params, self.table.header(key, self.layout), self.number))

    def value(self, key: str) -> Any:
        value = self.cells.get(key)
        if isinstance(value, Formula):
            self.problem(key, "formula", gettext_noop("This cell holds a formula (%(formula)s), not a value: type the value itself."), formula=str(value)[:60])
            return None
        return value

    def text(self, key: str, *, required: bool = False, max_length: int = MAX_CODE_LENGTH) -> str:
        value = _clean(self.value(key))
        if required and not value:
            self.problem(key, "required", gettext_noop("This cell is empty; the column is required."))
        if len(value) > max_length:
            self.problem(key, "too_long", gettext_noop("At most %(limit)s characters (%(length)s given)."), limit=max_length, length=len(value))
            value = value[:max_length]
        return value

    def code(self, key: str, *, required: bool = False) -> str:
        value = self.text(key, required=required)
        if value and " " in value:  # ``_clean`` has made every run of white space one space
            self.problem(key, "bad_code", gettext_noop("The code “%(value)s” may not contain spaces."), value=value)
        return value

    def word(self, key: str, words: Mapping[str, str], message: str) -> str:
        value = _clean(self.value(key))
        if not value:
            return ""
        found = words.get(normalize_cached(value))
        if found is None:
            self.problem(key, "unknown_word", message, value=value)
            return ""
        return found

    def moment(self, key: str, *, default_time: dt.time = dt.time(0, 0), required: bool = False) -> dt.datetime | None:
        """A date-time written dd/mm/yyyy [HH:MM[:SS]] (or an Excel date), in the city's time zone."""
        value = self.value(key)
        if is_blank(value):
            if required:
                self.problem(key, "required", gettext_noop("This cell is empty; the column is required."))
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=self.zone) if value.tzinfo is None else value
        remembered = self.moments.get((value, default_time)) if isinstance(value, str) else None
        if remembered is not None:
            return remembered
        text = _clean(value)
        match = _DATE_TIME.fullmatch(text)
        try:
            if match:
                day = dt.date(int(match[3]), int(match[2]), int(match[1]))
                clock_time = dt.time(int(match[4]), int(match[5]), int(match[6] or 0)) if match[4] else default_time
                moment = dt.datetime.combine(day, clock_time, tzinfo=self.zone)
                if isinstance(value, str):
                    self.moments[(value, default_time)] = moment
                return moment
        except ValueError:
            self.problem(key, "impossible_date", gettext_noop("%(value)s is not a day of the calendar."), value=text)
            return None
        day_only = parse_date(value)
        if day_only is None:
            self.problem(
                key, "bad_date_time", gettext_noop("“%(value)s” is not a date: write dd/mm/yyyy or dd/mm/yyyy HH:MM, e.g. 16/11/2026 08:30."), value=text
            )
            return None
        return dt.datetime.combine(day_only, default_time, tzinfo=self.zone)


def _digest(*values: Any) -> str:
    text = "\x1f".join("" if value is None else value.isoformat() if isinstance(value, dt.datetime) else str(value) for value in values)
    return hashlib.sha256(text.encode()).hexdigest()


def parse_dossier_rows(table: RawTable, *, now: dt.datetime, zone: ZoneInfo) -> list[DossierRow]:
    """Read each row of the one-stop export on its own (Decree 61/2018 Art. 18–19: received, due, returned, the
    apology letter's new date).

    A row is refused (error) for: no dossier code or procedure code, no unit, no or a future reception moment, a
    return before reception or in the future, a due date before reception, a legal time that is not 1–365 working
    days, an apology's new date not after the first due date, an unknown level, channel or status. A blank level
    or channel is taken from the other (online → partly online, at the desk or by post → in person); a blank
    status is "returned" when the row has a return date, else "being handled".
    """
    rows = []
    moments: dict[tuple[str, dt.time], dt.datetime] = {}
    for number, cells in table.rows:
        reader = _Cells(table, DOSSIER_HEADERS, number, cells, zone, moments)
        row = DossierRow(number=number)
        row.code = reader.code("code", required=True)
        row.procedure_code = reader.code("procedure_code", required=True)
        row.procedure_name = reader.text("procedure_name", max_length=MAX_PROCEDURE_NAME_LENGTH) if "procedure_name" in cells else ""
        row.unit = reader.text("unit", required=True, max_length=200)
        row.desk = reader.text("desk", max_length=200) if "desk" in cells else ""
        if "legal_days" in cells:
            row.legal_days = _legal_days(reader)
        row.received_at = reader.moment("received", required=True)
        row.due_at = reader.moment("due", default_time=END_OF_OFFICE_DAY) if "due" in cells else None
        row.returned_at = reader.moment("returned") if "returned" in cells else None
        row.online_level = reader.word(
            "online_level", ONLINE_LEVEL_WORDS, gettext_noop("Unknown online level “%(value)s”: write Toàn trình, Một phần or Trực tiếp.")
        )
        row.channel = reader.word("channel", CHANNEL_WORDS, gettext_noop("Unknown channel “%(value)s”: write Trực tiếp, Trực tuyến or Bưu chính."))
        row.status = reader.word(
            "status",
            STATUS_WORDS,
            gettext_noop("Unknown status “%(value)s”: write Đã tiếp nhận, Đang xử lý, Đã trả kết quả, Chờ bổ sung, Đã rút or Từ chối."),
        )
        if "handlers" in cells:
            row.handler_codes = tuple(dict.fromkeys(code for code in _HANDLER_SEPARATORS.split(_clean(reader.value("handlers"))) if code))
        row.apology_due_at = reader.moment("apology_due", default_time=END_OF_OFFICE_DAY) if "apology_due" in cells else None
        row.apology_at = reader.moment("apology_at") if "apology_at" in cells else None
        _fill_defaults(row)
        _check_moments(reader, row, now)
        row.problems = reader.problems
        row.digest = _digest(
            row.code,
            row.procedure_code,
            row.procedure_name,
            row.legal_days,
            normalize_cached(row.unit),
            normalize_cached(row.desk),
            row.received_at,
            row.due_at,
            row.returned_at,
            row.online_level,
            row.channel,
            row.status,
            ",".join(row.handler_codes),
            row.apology_due_at,
            row.apology_at,
        )
        rows.append(row)
    return rows


def _legal_days(reader: _Cells) -> int | None:
    value = reader.value("legal_days")
    if is_blank(value):
        return None
    text = _clean(value)
    if text.isascii() and text.isdigit() and len(text) <= 3:  # the usual cell: the number alone
        days: int | None = int(text)
    else:
        found = re.fullmatch(r"(\d{1,3})(?:\s*(?:ngay( lam viec)?))?", normalize_cached(text))
        days = int(found[1]) if found else None
    if days is None or not 1 <= days <= MAX_LEGAL_WORKING_DAYS:
        reader.problem(
            "legal_days",
            "bad_legal_days",
            gettext_noop("“%(value)s” is not a handling time: write the number of working days, from 1 to %(max)s."),
            value=text,
            max=MAX_LEGAL_WORKING_DAYS,
        )
        return None
    return days


def _fill_defaults(row: DossierRow) -> None:
    if not row.channel:
        row.channel = "online" if row.online_level in ("fully_online", "partly_online") else "desk"
    if not row.online_level:
        row.online_level = "partly_online" if row.channel == "online" else "in_person"
    if not row.status:
        row.status = "returned" if row.returned_at else "in_progress"


def _check_moments(reader: _Cells, row: DossierRow, now: dt.datetime) -> None:
    received = row.received_at
    if received is not None and received > now:
        reader.problem("received", "received_in_future", gettext_noop("The dossier cannot be received in the future (%(value)s)."), value=_shown(received))
        row.received_at = received = None
    if received is None:
        return
    if row.due_at is not None and row.due_at < received:
        reader.problem("due", "due_before_received", gettext_noop("The due date %(value)s is before the dossier was received."), value=_shown(row.due_at))
    if row.returned_at is not None:
        if row.returned_at < received:
            reader.problem(
                "returned",
                "returned_before_received",
                gettext_noop("The result cannot be returned (%(value)s) before the dossier was received."),
                value=_shown(row.returned_at),
            )
        elif row.returned_at > now:
            reader.problem(
                "returned", "returned_in_future", gettext_noop("The result cannot be returned in the future (%(value)s)."), value=_shown(row.returned_at)
            )
    if row.apology_at is not None and row.apology_due_at is None:
        reader.problem("apology_due", "apology_without_date", gettext_noop("An apology letter needs its new due date (“Ngày hẹn lại”)."))
    first_due = row.due_at or received
    if row.apology_due_at is not None and row.apology_due_at <= first_due:
        reader.problem(
            "apology_due",
            "apology_not_later",
            gettext_noop("The new date %(value)s set by the apology letter must be after the first due date."),
            value=_shown(row.apology_due_at),
        )


def _shown(moment: dt.datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M")


def parse_rating_rows(table: RawTable, *, now: dt.datetime, zone: ZoneInfo) -> list[RatingRow]:
    """Read each row of the portal's rating export (Circular 01/2018/TT-VPCP form: three satisfaction levels, nine
    indicators of 0–2 points, a blank one allowed) on its own."""
    rows = []
    moments: dict[tuple[str, dt.time], dt.datetime] = {}
    for number, cells in table.rows:
        reader = _Cells(table, RATING_HEADERS, number, cells, zone, moments)
        row = RatingRow(number=number)
        row.code = reader.code("code", required=True)
        row.level = reader.word("level", LEVEL_WORDS, gettext_noop("Unknown satisfaction level “%(value)s”: write Rất hài lòng, Hài lòng or Không hài lòng."))
        if not row.level and not reader.problems:
            reader.problem("level", "required", gettext_noop("This cell is empty; the column is required."))
        row.scores = [_score(reader, f"indicator_{index}") for index in range(1, INDICATOR_COUNT + 1)]
        row.rated_at = reader.moment("rated_at", required=True)
        if row.rated_at is not None and row.rated_at > now:
            reader.problem("rated_at", "rated_in_future", gettext_noop("A rating cannot be given in the future (%(value)s)."), value=_shown(row.rated_at))
            row.rated_at = None
        row.problems = reader.problems
        rows.append(row)
    return rows


def _score(reader: _Cells, key: str) -> int | None:
    if key not in reader.cells:
        return None
    value = reader.value(key)
    if is_blank(value):
        return None
    text = _clean(value)
    if text in ("0", "1", "2"):
        return int(text)
    reader.problem(key, "bad_score", gettext_noop("“%(value)s” is not a score: write 0, 1 or 2, or leave the cell blank."), value=text)
    return None


__all__ = [
    "DOSSIER_HEADERS",
    "DOSSIER_REQUIRED",
    "ERROR",
    "MAX_ROWS",
    "RATING_HEADERS",
    "RATING_REQUIRED",
    "WARNING",
    "DossierRow",
    "RatingRow",
    "RawTable",
    "parse_dossier_rows",
    "parse_rating_rows",
    "read_table",
]
