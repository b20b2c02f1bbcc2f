"""Excel files are data, never formulas: the one helper every export saves through (``telework.core.spreadsheets``)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from telework.core import spreadsheets

# What a hostile user could type as a name; the CR is read back as the line break XML makes of it.
HOSTILE = ['=HYPERLINK("http://evil.example/","Bấm vào đây")', "+1", "@SUM(A1:A2)", "-2", "\tTab", "\rCR"]


def as_read_back(text: str) -> str:
    return text.replace("\r", "\n")


def reopened(workbook: Workbook):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(spreadsheets.workbook_bytes(workbook))).active


@pytest.mark.parametrize("text", HOSTILE)
def test_a_formula_like_text_is_saved_as_text_and_reads_back_as_written(text):
    workbook = Workbook()
    workbook.active.cell(row=1, column=1, value=text)  # written the plain openpyxl way: "=..." would be a formula

    cell = reopened(workbook)["A1"]

    assert cell.data_type == "s"
    assert cell.value == as_read_back(text)
    assert cell.quotePrefix is True


def test_declared_formulas_numbers_and_dates_are_kept():
    workbook = Workbook()
    sheet = workbook.active
    sheet.cell(row=1, column=1, value=2)
    sheet.cell(row=2, column=1, value=3.5)
    sheet.cell(row=3, column=1, value=dt.date(2026, 11, 18))
    spreadsheets.write_formula(sheet, row=4, column=1, formula="=SUM(A1:A2)")
    spreadsheets.write(sheet, row=5, column=1, value="Lê Văn A")

    reread = reopened(workbook)

    assert [reread.cell(row=row, column=1).data_type for row in range(1, 6)] == ["n", "n", "d", "f", "s"]
    assert reread["A4"].value == "=SUM(A1:A2)"
    assert reread["A5"].value == "Lê Văn A"
    assert reread["A5"].quotePrefix is False


def test_write_stores_a_hostile_string_as_text():
    workbook = Workbook()
    cell = spreadsheets.write(workbook.active, row=1, column=1, value="=1+1")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)


def test_a_declared_formula_must_be_a_formula():
    workbook = Workbook()
    with pytest.raises(ValueError, match="starts with"):
        spreadsheets.write_formula(workbook.active, row=1, column=1, formula="SUM(A1)")
