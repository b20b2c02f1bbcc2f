"""Rosters on paper: Excel and PDF in the layout an office posts on its notice board.

The layout follows the administration's habit for a weekly schedule (lịch làm việc): the agency and unit at the top
left and the national motto at the top right, the title "LỊCH LÀM VIỆC TẠI CƠ QUAN / TẠI NHÀ", the week's dates, one
row per staff member (name, position) and one column per day (public holidays shown as such), the day's totals, a
legend, and the signature block of the head of the unit (THỦ TRƯỞNG ĐƠN VỊ). Vietnamese by default.

Functions return bytes; the download views and the API set the headers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from telework.core import clock, spreadsheets
from telework.rosters.models import EntryStatus, Roster
from telework.rosters.selectors import RosterGrid, roster_grid, weekday_name
from telework.rosters.selectors.regime import Regime, regimes_for

# Fill colours per status (ARGB without alpha for openpyxl, CSS hex for the PDF): office neutral, home green, leave
# grey, desk blue; printed in black and white the labels still say everything.
COLOURS = {EntryStatus.OFFICE: "FFFFFF", EntryStatus.HOME: "D9EAD3", EntryStatus.LEAVE: "E7E6E6", EntryStatus.DESK: "CFE2F3", "holiday": "F4CCCC"}


@dataclass
class SheetDay:
    day: dt.date
    heading: str
    holiday: str  # the holiday's name, "" on a working day


@dataclass
class SheetRow:
    number: int
    name: str
    position: str
    cells: list[tuple[str, str]]  # (label, status) per SheetDay; ("", "holiday") on a holiday


@dataclass
class Sheet:
    """One unit-week, ready to write: the same data for Excel and PDF."""

    roster: Roster
    agency: str
    unit: str
    title: str
    period: str
    version_line: str
    days: list[SheetDay]
    rows: list[SheetRow]
    totals: list[tuple[str, list[str]]]  # (label, one value per SheetDay)
    legend: list[tuple[str, str, str]]  # (label, meaning, status)
    # The regime the week is planned under (pilot or distancing) and its presence cap, in words (issue 14 pt 3).
    regime_line: str
    signature_place_date: str
    signature_title: str
    signature_note: str
    motto: tuple[str, str]


def _sheet(roster: Roster, grid: RosterGrid, regime: Regime) -> Sheet:
    monday = roster.week_start
    holidays = dict(grid.holidays)
    working = set(grid.days)
    sheet_days = [
        SheetDay(day=day, heading=f"{weekday_name(day)}\n{day:%d/%m}", holiday=holidays.get(day, ""))
        for day in (monday + dt.timedelta(days=n) for n in range(5))
    ]
    sheet_days = [day for day in sheet_days if day.day in working or day.holiday]
    rows = []
    for number, row in enumerate(grid.rows, start=1):
        cells_by_day = {cell.day: cell for cell in row.cells}
        cells = []
        for sheet_day in sheet_days:
            cell = cells_by_day.get(sheet_day.day)
            cells.append((cell.label, cell.status) if cell is not None else (_("Public holiday"), "holiday"))
        position = row.position_name + (f" ({_('leader')})" if row.is_leader and _("leader") not in row.position_name.lower() else "")
        rows.append(SheetRow(number=number, name=row.staff.full_name, position=position, cells=cells))
    totals_by_day = {total.day: total for total in grid.totals}

    def per_day(value: Any) -> list[str]:
        return [str(value(totals_by_day[day.day])) if day.day in totals_by_day else "" for day in sheet_days]

    totals = [
        (_("At the office (incl. desks)"), per_day(lambda total: total.on_site)),
        (_("At home / at most"), per_day(lambda total: f"{total.home}/{total.home_limit}")),
        (_("On leave"), per_day(lambda total: total.leave)),
    ]
    if regime.has_cap:
        # On site against the presence cap of the day (the share of those present, the headcount, the seats).
        totals.insert(1, (_("On site / at most (presence cap)"), per_day(lambda total: f"{total.on_site}/{regime.cap(total.present)}")))
    # Each desk and duty post: staff at it against that day's need (which may differ by weekday).
    points = grid.totals[0].points if grid.totals else []
    for index, staffing in enumerate(points):
        totals.append(
            (
                _("%(point)s: at the desk / needed") % {"point": staffing.point.name},
                per_day(lambda total, index=index: f"{total.points[index].staffed}/{total.points[index].required}"),
            )
        )
    legend: list[tuple[str, str, str]] = [
        (_("Office"), _("works at the agency"), EntryStatus.OFFICE),
        (
            _("At home"),
            _("works from home on a day assigned by the unit (distancing), reachable by phone")
            if regime.is_distancing
            else _("works from home on a registered and approved day, reachable by phone"),
            EntryStatus.HOME,
        ),
        (_("On leave"), _("approved leave or business trip"), EntryStatus.LEAVE),
        (_("Desk name"), _("on site, staffing that one-stop desk or duty post"), EntryStatus.DESK),
    ]
    if any(day.holiday for day in sheet_days):
        legend.append((_("Public holiday"), _("not a working day"), "holiday"))
    friday = monday + dt.timedelta(days=4)
    status = _("Published") if roster.is_published else _("Draft – not yet published")
    return Sheet(
        roster=roster,
        agency=roster.unit.agency.name.upper(),
        unit=roster.unit.name.upper(),
        title=_("WORK SCHEDULE AT THE OFFICE / AT HOME"),
        period=_("Week %(week)s, from %(start)s to %(end)s") % {"week": roster.iso_week, "start": f"{monday:%d/%m/%Y}", "end": f"{friday:%d/%m/%Y}"},
        version_line=_("Version %(version)s – %(status)s") % {"version": roster.version, "status": status},
        days=sheet_days,
        rows=rows,
        totals=totals,
        legend=legend,
        regime_line=f"{regime.name}: {regime.summary()}" if regime.summary() else regime.name,
        signature_place_date=_("……, day … month … year ……"),
        signature_title=_("HEAD OF UNIT"),
        signature_note=_("(Signature and full name)"),
        motto=(_("SOCIALIST REPUBLIC OF VIETNAM"), _("Independence – Freedom – Happiness")),
    )


def sheets(rosters: Sequence[Roster], *, language: str = "vi") -> list[Sheet]:
    """The notice-board data of each roster, in ``language``."""
    with translation.override(language):
        regimes = regimes_for({roster.unit for roster in rosters}, min((roster.week_start for roster in rosters), default=clock.today()))
        return [_sheet(roster, roster_grid(roster=roster), regimes[roster.unit_id]) for roster in rosters]


def _sheet_title(sheet: Sheet, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ ; unique in the workbook.
    base = re.sub(r"[\[\]:*?/\\]", " ", sheet.roster.unit.name).strip()
    suffix = f" {sheet.roster.iso_week[-3:]}"
    title = (base[: 31 - len(suffix)] + suffix).strip()
    number = 2
    while title.lower() in used:
        extra = f" ({number})"
        title = (base[: 31 - len(suffix) - len(extra)] + suffix + extra).strip()
        number += 1
    used.add(title.lower())
    return title


def roster_xlsx(rosters: Sequence[Roster], *, language: str = "vi") -> bytes:
    """An Excel workbook with one sheet per unit-week, ready to print (A4 landscape, fit to width)."""
    # The headings too are in ``language``, whatever the page's language is.
    with translation.override(language):
        return _roster_xlsx(rosters, language=language)


def _roster_xlsx(rosters: Sequence[Roster], *, language: str) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    used: set[str] = set()
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    for sheet in sheets(rosters, language=language):
        worksheet = workbook.create_sheet(_sheet_title(sheet, used))
        last_column = 3 + len(sheet.days)
        last_letter = get_column_letter(last_column)
        middle = max(3, last_column - 3)
        worksheet["A1"] = sheet.agency
        worksheet["A1"].font = Font(bold=True, size=11)
        worksheet["A2"] = sheet.unit
        worksheet["A2"].font = Font(bold=True, size=11, underline="single")
        worksheet.cell(row=1, column=middle + 1, value=sheet.motto[0]).font = Font(bold=True, size=11)
        worksheet.cell(row=2, column=middle + 1, value=sheet.motto[1]).font = Font(bold=True, size=11, underline="single")
        worksheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=middle)
        worksheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=middle)
        worksheet.merge_cells(start_row=1, start_column=middle + 1, end_row=1, end_column=last_column)
        worksheet.merge_cells(start_row=2, start_column=middle + 1, end_row=2, end_column=last_column)
        for row in (1, 2):
            worksheet.cell(row=row, column=1).alignment = centre
            worksheet.cell(row=row, column=middle + 1).alignment = centre
        for row, text, font in (
            (4, sheet.title, Font(bold=True, size=14)),
            (5, sheet.period, Font(italic=True, size=11)),
            (6, sheet.version_line, Font(size=10)),
            (7, sheet.regime_line, Font(bold=True, size=10)),
        ):
            worksheet[f"A{row}"] = text
            worksheet[f"A{row}"].font = font
            worksheet[f"A{row}"].alignment = centre
            worksheet.merge_cells(f"A{row}:{last_letter}{row}")
        header_row = 8
        headings = [_("No."), _("Full name"), _("Position"), *[day.heading + (f"\n({day.holiday})" if day.holiday else "") for day in sheet.days]]
        for column, heading in enumerate(headings, start=1):
            cell = worksheet.cell(row=header_row, column=column, value=heading)
            cell.font = Font(bold=True)
            cell.alignment = centre
            cell.border = border
            cell.fill = PatternFill("solid", fgColor="D9D9D9")
        worksheet.row_dimensions[header_row].height = 32
        row_number = header_row
        for sheet_row in sheet.rows:
            row_number += 1
            for column, value in enumerate((sheet_row.number, sheet_row.name, sheet_row.position), start=1):
                cell = worksheet.cell(row=row_number, column=column, value=value)
                cell.border = border
                cell.alignment = centre if column == 1 else left
            for offset, (label, status) in enumerate(sheet_row.cells):
                cell = worksheet.cell(row=row_number, column=4 + offset, value=label)
                cell.border = border
                cell.alignment = centre
                cell.fill = PatternFill("solid", fgColor=COLOURS.get(status, "FFFFFF"))
                if status == EntryStatus.HOME:
                    cell.font = Font(bold=True)
        for label, values in sheet.totals:
            row_number += 1
            cell = worksheet.cell(row=row_number, column=1, value=label)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="right")
            worksheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=3)
            for column in range(1, 4):
                worksheet.cell(row=row_number, column=column).border = border
            for offset, value in enumerate(values):
                cell = worksheet.cell(row=row_number, column=4 + offset, value=value)
                cell.border = border
                cell.alignment = centre
                cell.font = Font(bold=True)
        row_number += 2
        worksheet.cell(row=row_number, column=1, value=_("Legend")).font = Font(bold=True)
        for label, meaning, status in sheet.legend:
            row_number += 1
            sample = worksheet.cell(row=row_number, column=2, value=label)
            sample.fill = PatternFill("solid", fgColor=COLOURS.get(status, "FFFFFF"))
            sample.border = border
            sample.alignment = centre
            worksheet.cell(row=row_number, column=3, value=meaning)
            worksheet.merge_cells(start_row=row_number, start_column=3, end_row=row_number, end_column=last_column)
        row_number += 2
        for text, font in (
            (sheet.signature_place_date, Font(italic=True)),
            (sheet.signature_title, Font(bold=True)),
            (sheet.signature_note, Font(italic=True, size=9)),
        ):
            cell = worksheet.cell(row=row_number, column=middle + 1, value=text)
            cell.font = font
            cell.alignment = centre
            worksheet.merge_cells(start_row=row_number, start_column=middle + 1, end_row=row_number, end_column=last_column)
            row_number += 1
        worksheet.column_dimensions["A"].width = 6
        worksheet.column_dimensions["B"].width = 28
        worksheet.column_dimensions["C"].width = 26
        for offset in range(len(sheet.days)):
            worksheet.column_dimensions[get_column_letter(4 + offset)].width = 16
        worksheet.freeze_panes = worksheet.cell(row=header_row + 1, column=4)
        worksheet.page_setup.orientation = "landscape"
        worksheet.page_setup.paperSize = worksheet.PAPERSIZE_A4
        worksheet.page_setup.fitToWidth = 1
        worksheet.page_setup.fitToHeight = 0
        worksheet.sheet_properties.pageSetUpPr.fitToPage = True
        worksheet.print_title_rows = f"{header_row}:{header_row}"
    if not workbook.sheetnames:
        workbook.create_sheet(_("Roster"))
    return spreadsheets.workbook_bytes(workbook)


def roster_pdf(rosters: Sequence[Roster], *, language: str = "vi") -> bytes:
    """A PDF with one landscape A4 page (or more, for a large unit) per unit-week, the same layout as the Excel file."""
    from weasyprint import HTML

    data = sheets(rosters, language=language)
    with translation.override(language):
        html = render_to_string(
            "rosters/exports/roster_pdf.html",
            {"sheets": data, "colours": {status: f"#{colour}" for status, colour in COLOURS.items()}, "language": language},
        )
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def export_filename(roster: Roster, extension: str) -> str:
    """A file name a clerk can read and sort: "lich-lam-viec-phong-ke-hoach-2026-W49-v2.xlsx"."""
    return f"lich-lam-viec-{_slug(roster.unit.name)}-{roster.iso_week}-v{roster.version}.{extension}"
