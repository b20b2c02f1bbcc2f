"""The classification list's Excel file is data: names and notes that look like formulas are written as text
(``core.spreadsheets``); scores stay numbers."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telework.core.tests.test_spreadsheets import HOSTILE, as_read_back
from telework.evaluations.tests.test_exports import published

pytestmark = pytest.mark.django_db


def test_hostile_names_reach_the_classification_list_as_text(client, city):
    for member, name in zip(city.staff, HOSTILE, strict=False):
        member.full_name = name
        member.save(update_fields=["full_name"])
    city.unit.name = "@Phòng"
    city.unit.save(update_fields=["name"])
    period = published(city)
    client.force_login(city.head_user)

    response = client.get(reverse("evaluations:period_xlsx", args=[period.pk]))

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[2].value: row for row in sheet.iter_rows(min_row=8, max_row=17)}
    for member, name in zip(city.staff, HOSTILE, strict=False):
        name_cell = rows[member.code][1]
        assert (name_cell.value, name_cell.data_type, name_cell.quotePrefix) == (as_read_back(name), "s", True)
        unit_cell = rows[member.code][4]
        assert (unit_cell.value, unit_cell.data_type, unit_cell.quotePrefix) == ("@Phòng", "s", True)
        assert rows[member.code][5].data_type == "n"
