"""The monthly timesheet as an Excel file in the layout an HR office files (bảng chấm công): the agency and unit
at the top, one row per person, one column per day with the mode letter and hours, totals per person, the legend,
and the signature block (the person who kept the sheet, the head of the unit).

Written in Vietnamese whatever the page's language: it is a document of the administration.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from telework.attendance import rules
from telework.attendance.selectors import Timesheet
from telework.core import calendar, spreadsheets
from telework.core.ui import WEEKDAY_SHORT_NAMES

WEEKDAY_LETTERS = WEEKDAY_SHORT_NAMES
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CLOSED_FILL = PatternFill("solid", fgColor="E7E6E6")
FLAG_FILL = PatternFill("solid", fgColor="FCE4D6")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
FIXED_COLUMNS = 4  # No., full name, staff code, position


def legend() -> list[tuple[str, str]]:
    """The letters of the sheet and what they mean, in the active language."""
    return [
        (rules.LETTER_OFFICE, _("worked at the office (hours worked beside it)")),
        (rules.LETTER_HOME, _("worked at home (hours worked beside it)")),
        (rules.LETTER_LEAVE, _("on leave or business trip recorded by the head or HR")),
        (rules.LETTER_HOLIDAY, _("public holiday")),
        (rules.LETTER_MISSING, _("the published roster expected a check-in and none was made (no leave recorded)")),
    ]


def timesheet_filename(sheet: Timesheet) -> str:
    """e.g. "bang-cham-cong-phong-ke-hoach-2026-11.xlsx"."""
    ascii_name = unicodedata.normalize("NFKD", sheet.unit.name.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "don-vi"
    return f"bang-cham-cong-{slug}-{sheet.iso_month}.xlsx"


def timesheet_xlsx(sheet: Timesheet) -> bytes:
    """The timesheet of one unit and month as .xlsx bytes (one worksheet, A4 landscape, fitted to one page wide)."""
    with translation.override("vi"):
        return _build(sheet)


def _build(sheet: Timesheet) -> bytes:
    workbook = Workbook()
    worksheet: Any = workbook.active
    worksheet.title = f"{sheet.month:%m-%Y}"
    day_count = len(sheet.days)
    totals_start = FIXED_COLUMNS + day_count + 1
    last_column = totals_start + 4
    last_letter = get_column_letter(last_column)

    worksheet["A1"] = sheet.unit.agency.name.upper()
    worksheet["A1"].font = Font(bold=True)
    worksheet["A2"] = _("Unit: %(unit)s") % {"unit": sheet.unit.name}
    worksheet.merge_cells(f"A1:{get_column_letter(FIXED_COLUMNS + 6)}1")
    worksheet.merge_cells(f"A2:{get_column_letter(FIXED_COLUMNS + 6)}2")
    worksheet["A4"] = _("ATTENDANCE SHEET")
    worksheet["A4"].font = Font(bold=True, size=14)
    worksheet["A5"] = _("Month %(month)s year %(year)s") % {"month": f"{sheet.month:%m}", "year": sheet.month.year}
    worksheet["A5"].font = Font(italic=True)
    for row in (4, 5):
        worksheet.merge_cells(f"A{row}:{last_letter}{row}")
        worksheet[f"A{row}"].alignment = CENTER

    header, subheader = 7, 8
    fixed_titles = [_("No."), _("Full name"), _("Staff code"), _("Position")]
    for index, title in enumerate(fixed_titles, start=1):
        worksheet.cell(row=header, column=index, value=title)
        worksheet.merge_cells(start_row=header, start_column=index, end_row=subheader, end_column=index)
    worksheet.cell(row=header, column=FIXED_COLUMNS + 1, value=_("Days of the month"))
    worksheet.merge_cells(start_row=header, start_column=FIXED_COLUMNS + 1, end_row=header, end_column=FIXED_COLUMNS + day_count)
    for offset, day in enumerate(sheet.days):
        worksheet.cell(row=subheader, column=FIXED_COLUMNS + 1 + offset, value=f"{day.day}\n{WEEKDAY_LETTERS[day.weekday()]}")
    worksheet.cell(row=header, column=totals_start, value=_("Totals"))
    worksheet.merge_cells(start_row=header, start_column=totals_start, end_row=header, end_column=last_column)
    total_titles = [
        _("Days at the office (CQ)"),
        _("Days at home (TN)"),
        _("Days on leave (P)"),
        _("Working days without check-in (—)"),
        _("Hours worked"),
    ]
    for offset, title in enumerate(total_titles):
        worksheet.cell(row=subheader, column=totals_start + offset, value=title)
    for row in (header, subheader):
        for column in range(1, last_column + 1):
            cell = worksheet.cell(row=row, column=column)
            cell.font = Font(bold=True)
            cell.alignment = CENTER
            cell.border = BORDER
            cell.fill = HEADER_FILL
    for offset, day in enumerate(sheet.days):
        if not calendar.is_working_day(day):
            worksheet.cell(row=subheader, column=FIXED_COLUMNS + 1 + offset).fill = CLOSED_FILL

    row_number = subheader
    for number, person in enumerate(sheet.rows, start=1):
        row_number += 1
        values = [number, person.staff.full_name, person.staff.code, person.staff.position.name]
        for column, value in enumerate(values, start=1):
            cell = worksheet.cell(row=row_number, column=column, value=value)
            cell.border = BORDER
            cell.alignment = LEFT if column in (2, 4) else CENTER
        for offset, timesheet_cell in enumerate(person.cells):
            hours = rules.hours_text(timesheet_cell.minutes)
            text = f"{timesheet_cell.letter}\n{hours}" if timesheet_cell.letter and hours else timesheet_cell.letter
            if (person.staff.pk, sheet.days[offset]) in sheet.corrections:
                text = f"{text}*"  # corrected by a head: listed under the legend
            cell = worksheet.cell(row=row_number, column=FIXED_COLUMNS + 1 + offset, value=text or None)
            cell.alignment = CENTER
            cell.border = BORDER
            if timesheet_cell.is_flagged:
                cell.fill = FLAG_FILL
            elif timesheet_cell.is_closed:
                cell.fill = CLOSED_FILL
        totals = person.totals
        for offset, value in enumerate([totals.office_days, totals.home_days, totals.leave_days, totals.missing_days, round(totals.minutes / 60, 1)]):
            cell = worksheet.cell(row=row_number, column=totals_start + offset, value=value)
            cell.alignment = CENTER
            cell.border = BORDER
            if offset == 4:
                cell.number_format = "0.0"
        worksheet.row_dimensions[row_number].height = 30

    row_number += 1
    worksheet.cell(row=row_number, column=2, value=_("Total")).font = Font(bold=True)
    for offset in range(5):
        column = totals_start + offset
        letter = get_column_letter(column)
        first_data = subheader + 1
        if sheet.rows:
            cell = spreadsheets.write_formula(worksheet, row=row_number, column=column, formula=f"=SUM({letter}{first_data}:{letter}{row_number - 1})")
        else:
            cell = worksheet.cell(row=row_number, column=column, value=0)
        cell.font = Font(bold=True)
        cell.alignment = CENTER
        cell.border = BORDER
        if offset == 4:
            cell.number_format = "0.0"

    row_number += 2
    worksheet.cell(row=row_number, column=2, value=_("Legend:")).font = Font(bold=True)
    for letter, meaning in legend():
        row_number += 1
        worksheet.cell(row=row_number, column=2, value=f"{letter}: {meaning}")
    row_number += 1
    worksheet.cell(row=row_number, column=2, value=_("Shaded orange: not as in the published roster, or no check-out (hours unknown)."))
    row_number += 1
    worksheet.cell(
        row=row_number,
        column=2,
        value=_("Hours run from check-in to check-out as recorded by the staff member. No location is recorded. Working days in the month: %(days)s.")
        % {"days": sheet.working_days},
    )

    if sheet.corrections:
        row_number += 1
        worksheet.cell(row=row_number, column=2, value=_("*: corrected by a head:")).font = Font(bold=True)
        names = {person.staff.pk: person.staff.full_name for person in sheet.rows}
        for (staff_id, day), correction in sorted(sheet.corrections.items(), key=lambda item: (item[0][1], names.get(item[0][0], ""))):
            row_number += 1
            # The reason is the head's own text: written as text, never as a formula.
            line = _("%(date)s, %(person)s: corrected by %(head)s: %(reason)s") % {
                "date": f"{day:%d/%m}",
                "person": names.get(staff_id, ""),
                "head": correction.corrected_by_name,
                "reason": correction.reason,
            }
            spreadsheets.write(worksheet, row=row_number, column=2, value=line)

    row_number += 2
    signature_columns = (2, FIXED_COLUMNS + day_count // 2, totals_start)
    worksheet.cell(row=row_number, column=totals_start, value=_("Date ..... month ..... year ........")).font = Font(italic=True)
    row_number += 1
    for column, title in zip(signature_columns, (_("Prepared by"), _("Head of the unit"), _("Head of the agency")), strict=True):
        worksheet.cell(row=row_number, column=column, value=title).font = Font(bold=True)
        worksheet.cell(row=row_number + 1, column=column, value=_("(signature, full name)")).font = Font(italic=True)

    worksheet.column_dimensions["A"].width = 5
    worksheet.column_dimensions["B"].width = 26
    worksheet.column_dimensions["C"].width = 11
    worksheet.column_dimensions["D"].width = 22
    for offset in range(day_count):
        worksheet.column_dimensions[get_column_letter(FIXED_COLUMNS + 1 + offset)].width = 5.2
    for offset in range(5):
        worksheet.column_dimensions[get_column_letter(totals_start + offset)].width = 11
    worksheet.row_dimensions[subheader].height = 48
    worksheet.freeze_panes = worksheet.cell(row=subheader + 1, column=FIXED_COLUMNS + 1)
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
    worksheet.page_setup.fitToWidth = 1
    worksheet.page_setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_title_rows = f"{header}:{subheader}"

    return spreadsheets.workbook_bytes(workbook)
