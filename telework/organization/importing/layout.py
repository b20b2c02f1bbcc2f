"""The layout an agency's HR office sends: the columns and the spellings of their headers, the words accepted in
the cells, how a problem with a cell is reported, and how values are shown back to the user."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_lazy, gettext_noop

ERROR = "error"
WARNING = "warning"

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
REFUSED = "error"

ACTION_LABELS = {
    CREATE: gettext_lazy("create"),
    UPDATE: gettext_lazy("update"),
    UNCHANGED: gettext_lazy("unchanged"),
    REFUSED: gettext_lazy("refused"),
}
FIELD_LABELS = {
    "full_name": gettext_lazy("full name"),
    "staff_type": gettext_lazy("staff type"),
    "unit": gettext_lazy("unit"),
    "position": gettext_lazy("position"),
    "is_leader": gettext_lazy("leader"),
    "direct_superior": gettext_lazy("direct superior"),
    "phone": gettext_lazy("phone"),
    "email": gettext_lazy("email"),
    "equipment": gettext_lazy("equipment on file"),
    "training_completed_on": gettext_lazy("telework training completed on"),
    "name": gettext_lazy("name"),
    "parent": gettext_lazy("parent unit"),
    "faces_citizens": gettext_lazy("faces citizens or businesses"),
    "handles_dossiers": gettext_lazy("receives or returns administrative dossiers"),
    "is_one_stop_desk": gettext_lazy("one-stop desk"),
    "is_duty_post": gettext_lazy("duty post"),
    "code": gettext_lazy("staff code"),
    "unit_code": gettext_lazy("unit code"),
    "unit_name": gettext_lazy("unit name"),
    "parent_unit_code": gettext_lazy("parent unit code"),
    "position_code": gettext_lazy("position code"),
    "position_name": gettext_lazy("position name"),
    "superior_code": gettext_lazy("direct superior's staff code"),
    "title": gettext_lazy("title (chức vụ)"),
    "is_deputy": gettext_lazy("deputy"),
    "date_of_birth": gettext_lazy("date of birth"),
    "sex": gettext_lazy("sex"),
}
# The same message ids as the model choices, so one translation serves both.
VALUE_LABELS = {
    "cong_chuc": gettext_lazy("Civil servant (công chức)"),
    "vien_chuc": gettext_lazy("Public employee (viên chức)"),
    "nguoi_lao_dong": gettext_lazy("Contract worker (người lao động)"),
    "phone": gettext_lazy("Phone"),
    "computer": gettext_lazy("Computer"),
    "printer": gettext_lazy("Printer"),
    "internet": gettext_lazy("Internet"),
    "female": gettext_lazy("Female"),
    "male": gettext_lazy("Male"),
}


def field_label(name: str) -> str:
    return str(FIELD_LABELS.get(name, name))


def display_value(value: Any) -> str:
    """A value of the report as the user reads it: Có/Không, dd/mm/yyyy, translated choices, "—" for nothing."""
    if value is None or value == "" or value == ():
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(VALUE_LABELS.get(item, item)) for item in value)
    return str(VALUE_LABELS.get(value, value))


# How many rows above the header may hold a title block (the national motto, the agency, "DANH SÁCH CÁN BỘ, CÔNG
# CHỨC ...", the date): offices use six to ten.
HEADER_SEARCH_ROWS = 20
# A row is the header when at least this many of its cells are known headers (a title line never is).
HEADER_MIN_KNOWN = 3
# Limits checked before a file is parsed. 300,000 duplicated rows once took 14 GB and killed the worker: an
# agency's staff list holds a few thousand rows (HCMC's whole civil service is about 19,000 people).
MAX_IMPORT_ROWS = 25_000
MAX_IMPORT_FILE_BYTES = 20 * 1024 * 1024
# The parts of an .xlsx once unzipped (openpyxl holds the shared strings whole): a 25,000-row list is ~15 MB.
MAX_WORKBOOK_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
# Row numbers a message lists before it says "and N more".
ROWS_LISTED = 5


def row_numbers(numbers: list[int], *, shown: int = ROWS_LISTED) -> tuple[str, int]:
    """The first ``shown`` row numbers, comma-separated, and how many more there are: a message lists "rows 3, 5,
    9, 11, 12 and 1,204 more", never three hundred thousand numbers."""
    return ", ".join(str(number) for number in numbers[:shown]), max(len(numbers) - shown, 0)


MAX_CODE_LENGTH = 32
MAX_NAME_LENGTH = 200


def normalize(text: Any) -> str:
    """Lower case, without Vietnamese diacritics, words separated by one space: "Mã  CÁN BỘ" → "ma can bo"."""
    decomposed = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^0-9a-z]+", " ", plain.lower()).strip()


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as written in the template
    aliases: tuple[str, ...]  # normalised spellings accepted besides the header
    required: bool = False
    help: str = ""  # English message id shown in the template's instructions
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "Mã cán bộ",
        ("ma cb", "ma so can bo", "ma nhan vien", "ma cbccvc", "ma so", "ma so cbcc", "ma so cbccvc", "ma cbcc", "ma so cong chuc", "ma can bo cong chuc"),
        True,
        gettext_noop("Unique in the city. Required."),
        "MAU0001",
    ),
    Column("full_name", "Họ và tên", ("ho ten", "ho va ten can bo", "ho ten can bo", "ho va ten cbccvc"), True, gettext_noop("Required."), "Nguyễn Thị Hồng"),
    Column(
        "staff_type",
        "Loại cán bộ",
        ("loai cb", "loai", "doi tuong", "loai can bo cong chuc", "cong chuc vien chuc", "loai hinh"),
        True,
        gettext_noop("Công chức, Viên chức or Người lao động. Required."),
        "Công chức",
    ),
    Column("unit_code", "Mã đơn vị", ("ma phong ban", "ma phong", "ma bo phan"), False, gettext_noop("Code of the unit (phòng, ban). Required."), "MAU-VP"),
    Column(
        "unit_name",
        "Tên đơn vị",
        ("don vi", "phong ban", "ten phong ban", "phong bo phan", "bo phan", "phong", "don vi cong tac", "phong ban don vi", "noi cong tac", "ten bo phan"),
        False,
        gettext_noop("The unit's name; without “Mã đơn vị” the unit is found by its name. Required for a unit not yet on file."),
        "Văn phòng",
    ),
    Column(
        "parent_unit_code",
        "Mã đơn vị cấp trên",
        ("ma don vi cha", "don vi cap tren"),
        False,
        gettext_noop("Optional: the unit this unit belongs to, for the tree."),
        "",
    ),
    Column("position_code", "Mã vị trí việc làm", ("ma vi tri", "ma vtvl"), False, gettext_noop("Code of the job position in the agency. Required."), "CV-TH"),
    Column(
        "position_name",
        "Tên vị trí việc làm",
        ("vi tri viec lam", "ten vi tri", "vtvl", "ten vtvl", "vi tri"),
        False,
        gettext_noop("The position's name; without “Mã vị trí việc làm” the position is found by its name. Required for a position not yet on file."),
        "Chuyên viên tổng hợp",
    ),
    Column("faces_citizens", "Tiếp công dân", ("tiep dan",), False, gettext_noop("Có or Không (also x, 1, 0): the position receives citizens."), "Không"),
    Column(
        "handles_dossiers",
        "Tiếp nhận, trả hồ sơ TTHC",
        ("tiep nhan tra ho so", "tiep nhan va tra ho so tthc", "tiep nhan tra ho so thu tuc hanh chinh"),
        False,
        gettext_noop("Có or Không: the position receives or returns administrative dossiers."),
        "Không",
    ),
    Column("is_one_stop_desk", "Bộ phận một cửa", ("mot cua",), False, gettext_noop("Có or Không: the position is a one-stop desk post."), "Không"),
    Column("is_duty_post", "Trực", ("vi tri truc", "truc co quan"), False, gettext_noop("Có or Không: the position is a duty post."), "Không"),
    Column("is_leader", "Lãnh đạo", ("la lanh dao",), False, gettext_noop("Có or Không: the staff member is a leader."), "Không"),
    Column(
        "superior_code",
        "Mã cấp trên trực tiếp",
        ("ma cap tren", "cap tren truc tiep", "ma nguoi quan ly truc tiep"),
        False,
        gettext_noop("Staff code of the direct superior, in the file or already on file."),
        "",
    ),
    Column(
        "phone", "Điện thoại", ("so dien thoai", "sdt", "dien thoai di dong"), False, gettext_noop("10 or 11 digits starting with 0 (or +84)."), "0901234567"
    ),
    Column("email", "Email", ("e mail", "thu dien tu", "dia chi email"), False, gettext_noop("A valid e-mail address."), "nthong@example.gov.vn"),
    Column(
        "equipment",
        "Thiết bị",
        ("thiet bi lam viec", "dieu kien lam viec"),
        False,
        gettext_noop("Comma-separated: Điện thoại, Máy tính, Máy in, Internet."),
        "Điện thoại, Máy tính, Máy in, Internet",
    ),
    Column(
        "training_completed_on",
        "Ngày hoàn thành tập huấn",
        ("ngay tap huan", "hoan thanh tap huan"),
        False,
        gettext_noop("Date of the telework training, dd/mm/yyyy."),
        "15/03/2025",
    ),
    Column(
        "title",
        "Chức vụ",
        ("chuc vu hien tai", "chuc vu chuc danh", "chuc danh lanh dao"),
        False,
        gettext_noop("Trưởng phòng, Phó Trưởng phòng, Chánh Văn phòng, Chủ tịch, Chuyên viên…: sets leader and deputy."),
        "Chuyên viên",
    ),
    Column(
        "date_of_birth",
        "Ngày sinh",
        ("ngay thang nam sinh", "sinh ngay", "ngay sinh dd mm yyyy"),
        False,
        gettext_noop("dd/mm/yyyy. Kept only if the agency keeps personal data (Decree 13/2023)."),
        "20/05/1988",
    ),
    Column(
        "sex",
        "Giới tính",
        ("gioi", "nam nu", "phai"),
        False,
        gettext_noop("Nam or Nữ. Kept only if the agency keeps personal data (Decree 13/2023)."),
        "Nữ",
    ),
)
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
FLAG_KEYS = ("faces_citizens", "handles_dossiers", "is_one_stop_desk", "is_duty_post")
HEADER_LOOKUP = {normalize(alias): column.key for column in COLUMNS for alias in (column.header, *column.aliases)}
# Headers recognised and left aside: the running number of the row ("STT") and remarks.
IGNORED_HEADERS = frozenset({"stt", "tt", "so tt", "so thu tu", "ghi chu"})
# Without a code column, a unit (or position) is found by its name: one of these pairs must be present.
REQUIRED_KEYS = ("code", "full_name", "staff_type")
REQUIRED_ONE_OF = (("unit_code", "unit_name"), ("position_code", "position_name"))
PERSONAL_DATA_KEYS = ("date_of_birth", "sex")
SEX_WORDS = {"nam": "male", "nu": "female", "male": "male", "female": "female", "m": "male", "f": "female"}
# A staff member is between these ages on the day of the import (Labour Code 2019 art. 143 and 169: work from 15,
# retirement at 60-62; a civil servant is recruited from 18): anything else is a typing error.
MIN_AGE = 16
MAX_AGE = 80

# A row holding one of these ends the list: the signature block and totals under it ("Người lập biểu", "Thủ trưởng
# đơn vị", "(Ký, ghi rõ họ tên)", "Tổng cộng"), or the place and date line "TP. Hồ Chí Minh, ngày ... tháng ... năm".
FOOTER_STARTS = (
    "nguoi lap bieu",
    "nguoi lap",
    "thu truong don vi",
    "thu truong co quan",
    "ky ghi ro ho ten",
    "ky va ghi ro ho ten",
    "ky ten dong dau",
    "xac nhan cua",
)
# "Tổng cộng: 300 người", "TỔNG SỐ 300" (but not a person named Tống Công Minh).
FOOTER_TOTAL = re.compile(r"(tong cong|tong so|cong)( \d.*| nguoi.*| can bo.*)?")
FOOTER_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")


def is_footer_text(value: Any) -> bool:
    """Whether a cell belongs to the signature footer or a totals line rather than to a person."""
    if value is None:
        return False
    text = normalize(value)
    return bool(text) and (text.startswith(FOOTER_STARTS) or FOOTER_TOTAL.fullmatch(text) is not None or FOOTER_DATE_LINE.search(text) is not None)


def recognise_header(text: Any, mapping: Mapping[str, str] | None = None) -> str | None:
    """The column key a header stands for: the agency's remembered choice first, then the known spellings.
    "" means "ignore this column"; None means "not recognised"."""
    key = normalize(text)
    if not key:
        return None
    if mapping and key in mapping:
        return mapping[key]
    if key in IGNORED_HEADERS:
        return ""
    return HEADER_LOOKUP.get(key)


STAFF_TYPE_WORDS = {
    "cong chuc": "cong_chuc",
    "cc": "cong_chuc",
    "vien chuc": "vien_chuc",
    "vc": "vien_chuc",
    "nguoi lao dong": "nguoi_lao_dong",
    "nld": "nguoi_lao_dong",
    "lao dong hop dong": "nguoi_lao_dong",
    "hop dong lao dong": "nguoi_lao_dong",
}
EQUIPMENT_WORDS = {
    "dien thoai": "phone",
    "dt": "phone",
    "dien thoai di dong": "phone",
    "dien thoai thong minh": "phone",
    "smartphone": "phone",
    "may tinh": "computer",
    "may vi tinh": "computer",
    "may tinh xach tay": "computer",
    "may tinh de ban": "computer",
    "laptop": "computer",
    "pc": "computer",
    "may in": "printer",
    "internet": "internet",
    "mang internet": "internet",
    "ket noi internet": "internet",
    "wifi": "internet",
}
TRUE_WORDS = frozenset({"co", "c", "x", "1", "yes", "y", "true", "dung"})
FALSE_WORDS = frozenset({"khong", "k", "0", "no", "n", "false", "sai"})


@dataclass(frozen=True)
class Problem:
    """One finding on one row (or on the whole file when ``row`` is None), in the column it concerns."""

    severity: str
    code: str
    message: str  # English message id with %(name)s placeholders
    params: Mapping[str, Any] = field(default_factory=dict)
    column: str = ""  # the header as written in the file
    row: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def text(self) -> str:
        """The message in the active language."""
        params = {key: value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value for key, value in self.params.items()}
        return gettext(self.message) % params


@dataclass(frozen=True)
class FoundColumn:
    """A column of the file's header: where it is, how it is written, what it was recognised as (None: not
    recognised; "": set aside) and the first values under it."""

    index: int
    letter: str
    header: str
    normalized: str
    key: str | None
    samples: tuple[str, ...] = ()


@dataclass
class Table:
    """The rows of the file, keyed by column, with the header as the file spells it."""

    file_name: str
    header_row: int = 0
    headers: dict[str, str] = field(default_factory=dict)  # column key → header text in the file
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row number in the file, cells)
    problems: list[Problem] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    # Every column of the header as found: what the mapping step shows.
    found: list[FoundColumn] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)  # file-level warnings (columns set aside)
    footer_row: int | None = None  # where the signature footer or a totals line starts
    section_rows: list[int] = field(default_factory=list)  # headings between groups of people ("I. VĂN PHÒNG")

    @property
    def unrecognised(self) -> list[FoundColumn]:
        return [column for column in self.found if column.key is None]

    @property
    def needs_mapping(self) -> bool:
        """The user must say what some columns are: a header not recognised, or a required field not found."""
        return bool(self.unrecognised) or any(problem.code == "missing_column" for problem in self.problems)

    def header(self, key: str) -> str:
        return self.headers.get(key) or COLUMNS_BY_KEY[key].header
