"""Excel files we hand out are data, never formulas.

A staff member, unit or agency named ``=HYPERLINK("http://…","Bấm vào đây")``, ``+1``, ``-2``, ``@SUM(A1)`` or
starting with a tab or a carriage return must reach the spreadsheet as that text: openpyxl stores any string
starting with ``=`` as a formula, and a spreadsheet program re-reads a cell starting with ``+``, ``-``, ``@``, tab
or CR as a formula as soon as someone edits it (the "CSV/formula injection" of OWASP). Every export saves its
workbook through :func:`workbook_bytes`, which writes each such string as text (``data_type`` "s") with Excel's
quote prefix (the leading apostrophe a clerk would type), so it stays text after an edit too. The formulas the code
itself writes (a column total) are declared with :func:`write_formula` and kept; numbers and dates stay numbers and
dates.

XML turns a carriage return into a line feed when the file is read (XML 1.0 §2.11), so a CR is written as the line
break it stands for: the text reads back as written.
"""

from __future__ import annotations

import io
import weakref
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

# What a spreadsheet program may take for the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# The formulas the code declared, per worksheet (coordinates such as "AH12"); everything else is text.
_DECLARED_FORMULAS: weakref.WeakKeyDictionary[Worksheet, set[str]] = weakref.WeakKeyDictionary()


def is_formula_like(value: object) -> bool:
    """Whether a spreadsheet program could read ``value`` as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def set_text(cell: Cell, value: str) -> Cell:
    """Store ``value`` in ``cell`` as text, whatever it starts with."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    cell.value = text
    cell.data_type = "s"
    if is_formula_like(value):
        cell.quotePrefix = True
    return cell


def write(worksheet: Any, *, row: int, column: int, value: Any) -> Cell:
    """``worksheet.cell(row, column, value)`` where any string is text (never a formula)."""
    cell: Cell = worksheet.cell(row=row, column=column)
    if isinstance(value, str):
        return set_text(cell, value)
    cell.value = value
    return cell


def write_formula(worksheet: Any, *, row: int, column: int, formula: str) -> Cell:
    """A formula the code itself builds (``=SUM(AH9:AH20)``): kept as a formula when the workbook is saved."""
    if not formula.startswith("="):
        raise ValueError(f"a formula starts with '=': {formula!r}")
    cell: Cell = worksheet.cell(row=row, column=column, value=formula)
    _DECLARED_FORMULAS.setdefault(worksheet, set()).add(cell.coordinate)
    return cell


def neutralise(workbook: Workbook) -> None:
    """Turn every string cell not declared with :func:`write_formula` into text (see the module docstring)."""
    for worksheet in workbook.worksheets:
        declared = _DECLARED_FORMULAS.get(worksheet, set())
        cell: Any
        for cell in worksheet._cells.values():  # only the cells that exist; iter_rows would create the empty ones
            value = cell.value
            if not isinstance(value, str) or cell.coordinate in declared:
                continue
            if cell.data_type == "f" or is_formula_like(value) or "\r" in value:
                set_text(cell, value)


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as .xlsx bytes, every user-supplied text written as text."""
    neutralise(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
