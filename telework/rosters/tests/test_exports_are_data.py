"""The roster's Excel file is data: names that look like formulas are written as text (``core.spreadsheets``)."""

from __future__ import annotations

import io

from django.utils import translation
from openpyxl import load_workbook

from telework.core.tests.test_spreadsheets import HOSTILE, as_read_back
from telework.demo.testing import next_monday
from telework.rosters.exports import roster_xlsx
from telework.rosters.services import roster_generate


def test_hostile_staff_and_position_names_reach_the_roster_sheet_as_text(city):
    for member, name in zip(city.staff, HOSTILE, strict=False):
        member.full_name = name
        member.save(update_fields=["full_name"])
    city.staff[0].position.name = "=1+1"
    city.staff[0].position.save(update_fields=["name"])
    roster = roster_generate(unit=city.unit, week_start=next_monday(), actor=city.head_user)

    sheet = load_workbook(io.BytesIO(roster_xlsx([roster]))).active

    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    for name in [*HOSTILE, "=1+1"]:
        cell = cells[as_read_back(name)]
        assert (cell.data_type, cell.quotePrefix) == ("s", True)
    numbers = [row[0].value for row in sheet.iter_rows(min_row=9, max_row=18)]
    assert numbers == list(range(1, 11))  # the code's own numbers stay numbers


def test_the_vietnamese_export_has_vietnamese_headings_on_an_english_page(city):
    roster = roster_generate(unit=city.unit, week_start=next_monday(), actor=city.head_user)

    with translation.override("en"):
        sheet = load_workbook(io.BytesIO(roster_xlsx([roster]))).active

    assert [sheet.cell(row=8, column=column).value for column in (1, 2, 3)] == ["STT", "Họ và tên", "Vị trí việc làm"]
