"""The unit page's Excel file: one row per indicator, one column per week; numbers stay numbers (shares as
percentages), every text written as text (``core.spreadsheets``)."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from telework.core import spreadsheets
from telework.outcomes import indicators
from telework.outcomes.selectors import UnitPanel


def unit_panel_xlsx(panel: UnitPanel) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Outcome panel")[:31]
    spreadsheets.write(sheet, row=1, column=1, value=f"{panel.unit.name} — {panel.unit.agency.name}").font = Font(bold=True)
    headers = [_("Indicator"), _("Unit of measure"), *[week.strftime("%d/%m/%Y") for week in panel.weeks]]
    for column, header in enumerate(headers, start=1):
        spreadsheets.write(sheet, row=3, column=column, value=header).font = Font(bold=True)
    for offset, row in enumerate(panel.rows):
        line = 4 + offset
        spreadsheets.write(sheet, row=line, column=1, value=str(row.indicator.name))
        spreadsheets.write(sheet, row=line, column=2, value=str(row.indicator.unit_label))
        for index, value in enumerate(row.values):
            cell = spreadsheets.write(sheet, row=line, column=3 + index, value=value)
            if value is not None:
                cell.number_format = "0.0%" if row.indicator.unit == indicators.SHARE else "0.00"
    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 22
    return spreadsheets.workbook_bytes(workbook)


def filename(panel: UnitPanel) -> str:
    plain = unicodedata.normalize("NFKD", panel.unit.name.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower() or "don-vi"
    return f"chi-so-ket-qua-{slug}-{panel.weeks[-1]:%Y%m%d}.xlsx"
