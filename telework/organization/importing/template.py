"""The files we hand out: the .xlsx template, and byte-stable workbooks."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

from django.utils.translation import gettext

from telework.core import spreadsheets
from telework.organization.importing.layout import COLUMNS, FLAG_KEYS

# --- Files we hand out ------------------------------------------------------------------------------------


def template_workbook(*, example: bool = True) -> bytes:
    """The .xlsx template: the headers, one example row, Có/Không lists, and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Danh sách cán bộ"
    sheet.append([column.header for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    if example:
        sheet.append([column.example or None for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 4)
    yes_no = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
    staff_types = DataValidation(type="list", formula1='"Công chức,Viên chức,Người lao động"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    sheet.add_data_validation(staff_types)
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        if column.key in (*FLAG_KEYS, "is_leader"):
            yes_no.add(f"{letter}2:{letter}20000")
        elif column.key == "staff_type":
            staff_types.add(f"{letter}2:{letter}20000")
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Bắt buộc", "Cách ghi"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    from django.utils import translation

    with translation.override("vi"):
        for column in COLUMNS:
            guide.append([column.header, "Có" if column.required else "", gettext(column.help)])
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 90
    return workbook_bytes(workbook)


_FIXED_TIME = (2025, 1, 1, 0, 0, 0)


def workbook_bytes(workbook: Any) -> bytes:
    """Save an openpyxl workbook with fixed timestamps, so the same content always gives the same bytes (the
    committed samples stay stable in git; a downloaded template has a constant ETag)."""
    workbook.properties.creator = "telework"
    workbook.properties.created = dt.datetime(*_FIXED_TIME)  # noqa: DTZ001
    spreadsheets.neutralise(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    stable = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:modified([^>]*)>[^<]*<", rb"<dcterms:modified\1>2025-01-01T00:00:00Z<", data)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME), data, compress_type=zipfile.ZIP_DEFLATED)
    return stable.getvalue()
