"""The timesheet's Excel file is data: names that look like formulas are written as text (``core.spreadsheets``);
the column totals the code writes stay formulas and the figures stay numbers."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telework.core.tests.test_spreadsheets import HOSTILE, as_read_back

pytestmark = pytest.mark.django_db


def test_hostile_names_reach_the_timesheet_as_text_and_totals_stay_formulas(city, client):
    for member, name in zip(city.staff, HOSTILE, strict=False):
        member.full_name = name
        member.save(update_fields=["full_name"])
    city.head.code = "+84901234567"
    city.head.save(update_fields=["code"])
    client.force_login(city.hr)

    response = client.get(reverse("attendance:timesheet_export") + f"?unit={city.unit.pk}&month=2026-12")

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=9, max_row=18)}
    for member, name in zip(city.staff, HOSTILE, strict=False):
        name_cell = rows[member.code][1]
        assert (name_cell.value, name_cell.data_type, name_cell.quotePrefix) == (as_read_back(name), "s", True)
    code_cell = rows["+84901234567"][2]
    assert (code_cell.data_type, code_cell.quotePrefix) == ("s", True)
    assert rows["+84901234567"][0].data_type == "n"
    total_row = [cell for cell in sheet[19] if cell.value is not None]
    assert [cell.data_type for cell in total_row[1:]] == ["f"] * 5
    assert total_row[1].value.startswith("=SUM(")
