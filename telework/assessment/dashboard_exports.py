"""The dashboard's Excel file: one sheet per chart with the numbers the chart draws (numbers stay numbers, shares as
percentages, Σ numerators and Σ denominators beside each pooled value) and the filters in words; every text is
written as text (``core.spreadsheets``), so a unit named ``=…`` stays a name."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from telework.assessment.dashboard import Dashboard, WeeklyFigure
from telework.core import spreadsheets
from telework.outcomes import indicators
from telework.outcomes.indicators import Indicator


def _number_format(indicator: Indicator) -> str:
    return "0.0%" if indicator.unit == indicators.SHARE else "0" if indicator.unit == indicators.COUNT else "0.00"


def _header(sheet: Any, row: int, headers: list[str]) -> None:
    for column, header in enumerate(headers, start=1):
        spreadsheets.write(sheet, row=row, column=column, value=header).font = Font(bold=True)


def _value(sheet: Any, row: int, column: int, value: float | None, number_format: str) -> None:
    cell = spreadsheets.write(sheet, row=row, column=column, value=value)
    if value is not None:
        cell.number_format = number_format


def _title(sheet: Any, board: Dashboard, what: str) -> None:
    spreadsheets.write(sheet, row=1, column=1, value=f"{what} — {board.title}").font = Font(bold=True)
    phase = f"{board.phase.pilot.name} · {board.phase.name}" if board.phase is not None else _("No phase")
    spreadsheets.write(
        sheet,
        row=2,
        column=1,
        value=_("%(indicator)s · weeks from %(start)s to %(end)s · %(phase)s")
        % {"indicator": board.indicator.name, "start": board.date_from.strftime("%d/%m/%Y"), "end": board.date_to.strftime("%d/%m/%Y"), "phase": phase},
    )


def _weekly_sheet(workbook: Workbook, board: Dashboard, figure: WeeklyFigure, title: str) -> None:
    sheet = workbook.create_sheet(title[:31])
    _title(sheet, board, str(figure.indicator.name))
    headers = [pgettext("dashboard", "Week starting")]
    for series in figure.series:
        headers += [f"{series.label}: {figure.indicator.name}", f"{series.label}: {_('numerator')}", f"{series.label}: {_('denominator')}"]
    _header(sheet, 4, headers)
    number_format = _number_format(figure.indicator)
    for offset, week in enumerate(figure.weeks):
        line = 5 + offset
        cell = spreadsheets.write(sheet, row=line, column=1, value=week)
        cell.number_format = "DD/MM/YYYY"
        for index, series in enumerate(figure.series):
            point = series.points[offset]
            _value(sheet, line, 2 + 3 * index, point.value, number_format)
            _value(sheet, line, 3 + 3 * index, point.numerator, "0.##")
            _value(sheet, line, 4 + 3 * index, point.denominator, "0.##")
    sheet.column_dimensions["A"].width = 14
    for letter in "BCDEFGHIJ":
        sheet.column_dimensions[letter].width = 18


def dashboard_xlsx(board: Dashboard) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None  # noqa: S101 - a new workbook has a sheet
    summary.title = pgettext("dashboard sheet", "By unit")[:31]
    _title(summary, board, pgettext("dashboard sheet", "By unit"))
    start = board.start.strftime("%d/%m/%Y") if board.start else ""
    _header(
        summary,
        4,
        [
            pgettext("dashboard", "Agency or unit"),
            pgettext("dashboard", "Arm"),
            _("Before %(date)s") % {"date": start} if start else _("Before the start"),
            _("numerator"),
            _("denominator"),
            _("Since %(date)s") % {"date": start} if start else _("Whole period"),
            _("numerator"),
            _("denominator"),
        ],
    )
    number_format = _number_format(board.indicator)
    for offset, row in enumerate(board.breakdown):
        line = 5 + offset
        spreadsheets.write(summary, row=line, column=1, value=row.label)
        spreadsheets.write(summary, row=line, column=2, value=row.arm)
        for column, pooled in ((3, row.before), (6, row.since)):
            _value(summary, line, column, pooled.value, number_format)
            _value(summary, line, column + 1, pooled.numerator, "0.##")
            _value(summary, line, column + 2, pooled.denominator, "0.##")
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["B"].width = 26
    _weekly_sheet(workbook, board, board.trend, pgettext("dashboard sheet", "Trend"))
    _weekly_sheet(workbook, board, board.satisfaction, pgettext("dashboard sheet", "Satisfaction"))

    participation = workbook.create_sheet(pgettext("dashboard sheet", "Participation")[:31])
    _title(participation, board, pgettext("dashboard sheet", "Participation"))
    _header(
        participation,
        4,
        [
            pgettext("dashboard", "Week starting"),
            _("Staff in the week's rosters"),
            _("At home at least one day"),
            _("Share at home"),
            _("One day a week"),
            _("Two days a week"),
            _("Three or more days"),
        ],
    )
    for offset, week in enumerate(board.participation):
        line = 5 + offset
        spreadsheets.write(participation, row=line, column=1, value=week.week).number_format = "DD/MM/YYYY"
        _value(participation, line, 2, week.people, "0")
        _value(participation, line, 3, week.at_home, "0")
        _value(participation, line, 4, week.share, "0.0%")
        _value(participation, line, 5, week.one_day, "0")
        _value(participation, line, 6, week.two_days, "0")
        _value(participation, line, 7, week.three_plus, "0")
    for letter in "ABCDEFG":
        participation.column_dimensions[letter].width = 18
    extra_sheets(workbook, board)
    return spreadsheets.workbook_bytes(workbook)


def extra_sheets(workbook: Workbook, board: Dashboard) -> None:
    """The verdict in words and the event study's numbers, from the latest stored estimate (or why there is none)."""
    sheet = workbook.create_sheet(pgettext("dashboard sheet", "Estimate")[:31])
    _title(sheet, board, pgettext("dashboard sheet", "Estimate"))
    if board.verdict is None:
        spreadsheets.write(sheet, row=4, column=1, value=_("No estimate has been stored yet for this outcome and phase."))
        return
    line = 4
    for paragraph in board.verdict.paragraphs():
        spreadsheets.write(sheet, row=line, column=1, value=paragraph)
        line += 1
    line += 1
    _header(
        sheet,
        line,
        [
            _("Four-week period from the start (0: the first; −1: the reference)"),
            pgettext("dashboard", "Estimate"),
            _("95% interval: low"),
            _("95% interval: high"),
        ],
    )
    number_format = "0.0%" if board.indicator.unit == indicators.SHARE else "0.00"
    for row in board.event_study:
        line += 1
        spreadsheets.write(sheet, row=line, column=1, value=row.period)
        _value(sheet, line, 2, row.estimate, number_format)
        _value(sheet, line, 3, row.ci_low, number_format)
        _value(sheet, line, 4, row.ci_high, number_format)
    sheet.column_dimensions["A"].width = 60
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 18


def filename(board: Dashboard) -> str:
    plain = unicodedata.normalize("NFKD", board.title.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower() or "thanh-pho"
    return f"danh-gia-thi-diem-{slug}-{board.date_to:%Y%m%d}.xlsx"
