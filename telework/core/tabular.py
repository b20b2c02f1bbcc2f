"""Reading an uploaded table — the first sheet of an .xlsx workbook or a UTF-8 .csv — into raw rows, within limits.

Every import of the product (the staff list, the one-stop system's dossier export, the portal's rating export) reads
its file here: which reader by the name and the first bytes, an old .xls refused, the file's size, its row count and,
for a workbook, the size of its parts once unzipped bounded before the rest is parsed, the CSV separator (comma,
semicolon as Excel writes it in a Vietnamese locale, or tab) chosen by the header it splits best, a formula read as
the formula (never its cached value), merged cells read as their top-left value when asked.

A file that cannot be read raises a ``TableRefused``: ``TableTooLarge`` (``file_too_large``, ``too_many_rows``,
``workbook_too_large``, with the figures) or ``TableUnreadable`` (``old_excel``, ``file_type``, ``encoding``,
``unreadable``). The error carries a code and its parameters, no sentence: each import says it in its own words
("split it by unit", "export fewer days at a time"). Knows no app.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

# Header rows above the data that count neither against the row limit nor as data.
HEADER_SEARCH_ROWS = 20

FILE_TOO_LARGE = "file_too_large"
TOO_MANY_ROWS = "too_many_rows"
WORKBOOK_TOO_LARGE = "workbook_too_large"
OLD_EXCEL = "old_excel"
FILE_TYPE = "file_type"
ENCODING = "encoding"
UNREADABLE = "unreadable"


class TableRefused(Exception):
    """The file is refused whole, before any row is read: ``code`` says why, ``params`` holds the figures."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class TableTooLarge(TableRefused):
    """The file passes a limit: its size (``size_mb``/``max_mb``), its rows (``max``) or its unzipped parts."""


class TableUnreadable(TableRefused):
    """The file is not an .xlsx workbook or a UTF-8 CSV that can be read."""


@dataclass(frozen=True)
class Limits:
    """The bounds of one import: checked before the file is parsed (300,000 duplicated rows once took 14 GB)."""

    max_file_bytes: int
    max_rows: int
    max_unzipped_bytes: int
    header_rows: int = HEADER_SEARCH_ROWS


class Formula(str):
    """A cell that holds a formula (``=SUM(D10:D20)``): reported as such, never read as a value."""

    __slots__ = ()


def megabytes(size: int) -> float:
    return round(size / 1024 / 1024, 1)


def read_rows(
    file_name: str,
    content: bytes,
    *,
    limits: Limits,
    is_known_header: Callable[[str], bool],
    merged_cells: bool = False,
) -> list[tuple[Any, ...]]:
    """The rows of the file's first sheet as tuples of cell values (CSV cells are strings, workbook cells what
    openpyxl reads, a formula a ``Formula``). ``is_known_header`` tells a known header cell from another, to choose
    the CSV separator. With ``merged_cells`` every cell of a merged range reads as its top-left cell.

    Raises ``TableTooLarge`` or ``TableUnreadable``; nothing past a limit is parsed.
    """
    lowered = file_name.lower()
    if len(content) > limits.max_file_bytes:
        raise TableTooLarge(FILE_TOO_LARGE, size_mb=megabytes(len(content)), max_mb=limits.max_file_bytes // (1024 * 1024))
    if lowered.endswith(".xls"):
        raise TableUnreadable(OLD_EXCEL)
    try:
        if content[:2] == b"PK" or lowered.endswith(".xlsx"):
            return _xlsx_rows(content, limits, merged_cells=merged_cells)
        if lowered.endswith((".csv", ".txt")):
            return _csv_rows(content, limits, is_known_header)
    except UnicodeDecodeError as error:
        raise TableUnreadable(ENCODING) from error
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise TableUnreadable(UNREADABLE) from error
    raise TableUnreadable(FILE_TYPE)


def _bounded(rows: Iterable[tuple[Any, ...]], limits: Limits) -> list[tuple[Any, ...]]:
    """The rows, read one by one and refused as soon as there are more than the header rows and ``max_rows``."""
    kept = []
    ceiling = limits.max_rows + limits.header_rows
    for row in rows:
        kept.append(row)
        if len(kept) > ceiling:
            raise TableTooLarge(TOO_MANY_ROWS, max=limits.max_rows)
    return kept


def _check_unzipped_size(content: bytes, limits: Limits) -> None:
    """Refuse a workbook whose parts unzip past the limit, from the sizes its ZIP directory declares (Python's
    zipfile never inflates a part past its declared size), before openpyxl opens it."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    if unzipped > limits.max_unzipped_bytes:
        raise TableTooLarge(WORKBOOK_TOO_LARGE, size_mb=megabytes(unzipped), max_mb=limits.max_unzipped_bytes // (1024 * 1024))


def _xlsx_rows(content: bytes, limits: Limits, *, merged_cells: bool) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    _check_unzipped_size(content, limits)
    # data_only=False: a formula reads as "=...", so it is reported, not silently taken as its cached value.
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        rows = _bounded(
            (
                tuple(Formula(cell.value) if getattr(cell, "data_type", None) == "f" and isinstance(cell.value, str) else cell.value for cell in row)
                for row in sheet.iter_rows()
            ),
            limits,
        )
    finally:
        workbook.close()
    return _fill_merged(rows, _merged_ranges(content)) if merged_cells else rows


def _csv_rows(content: bytes, limits: Limits, is_known_header: Callable[[str], bool]) -> list[tuple[Any, ...]]:
    text = content.decode("utf-8-sig")
    first_lines = text.split("\n", limits.header_rows)[: limits.header_rows]

    def known_headers(separator: str) -> int:
        # The header may sit under a title block: the line with the most known headers counts.
        return max((sum(is_known_header(cell) for cell in row) for row in csv.reader(first_lines, delimiter=separator)), default=0)

    # The separator that splits the header into more known columns wins (Excel in a Vietnamese locale saves ";").
    best = max((",", ";", "\t"), key=lambda separator: (known_headers(separator), separator == ","))
    return _bounded((tuple(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=best)), limits)


_MERGE_REF = re.compile(rb'<mergeCell[^>]*ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _merged_ranges(content: bytes) -> list[tuple[int, int, int, int]]:
    """The merged ranges of the first sheet as (first row, first column, last row, last column), 0-based; read from
    the sheet's XML because openpyxl's read-only mode does not keep them."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        workbook_xml = archive.read("xl/workbook.xml")
        first = re.search(rb'<(?:\w+:)?sheet\b[^>]*\br:id="([^"]+)"', workbook_xml) or re.search(rb'<(?:\w+:)?sheet\b[^>]*\bid="([^"]+)"', workbook_xml)
        if first is None:
            return []
        relations = archive.read("xl/_rels/workbook.xml.rels")
        target = None
        for relation in re.finditer(rb"<Relationship\b[^>]*>", relations):
            tag = relation.group(0)
            if re.search(rb'\bId="' + re.escape(first.group(1)) + rb'"', tag):
                found = re.search(rb'\bTarget="([^"]+)"', tag)
                target = found.group(1).decode() if found else None
        if target is None:
            return []
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        sheet_xml = archive.read(path)
    ranges = []
    for match in _MERGE_REF.finditer(sheet_xml):
        ranges.append((int(match[2]) - 1, _column_number(match[1]) - 1, int(match[4]) - 1, _column_number(match[3]) - 1))
    return ranges


def _fill_merged(rows: list[tuple[Any, ...]], ranges: list[tuple[int, int, int, int]]) -> list[tuple[Any, ...]]:
    """Every cell of a merged range reads as its top-left cell: a header merged over two rows is in both, a unit
    merged down the rows of its staff is on each of them."""
    if not ranges:
        return rows
    grid = [list(row) for row in rows]
    width = max((len(row) for row in grid), default=0)
    for first_row, first_column, last_row, last_column in ranges:
        # A range may claim the sheet's 16,384 columns: only the columns that hold cells are filled.
        last_column = min(last_column, width - 1)
        if first_row >= len(grid):
            continue
        source = grid[first_row]
        value = source[first_column] if first_column < len(source) else None
        if value is None:
            continue
        for number in range(first_row, min(last_row, len(grid) - 1) + 1):
            row = grid[number]
            if len(row) <= last_column:
                row.extend([None] * (last_column + 1 - len(row)))
            for column in range(first_column, last_column + 1):
                if row[column] is None:
                    row[column] = value
    return [tuple(row) for row in grid]


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
