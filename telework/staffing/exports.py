"""The round's aggregate as the People's Committee reads it: an Excel sheet and a PDF in the administrative document
layout (Decree 30/2020/NĐ-CP: issuing body and national motto side by side, number, place and date line, title,
the table, "Nơi nhận" and the signature block). Always in Vietnamese: the document goes to a Vietnamese authority.
User text reaches Excel as text, never a formula (``telework.core.spreadsheets``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from telework.core import clock, spreadsheets
from telework.staffing.models import ReportRound
from telework.staffing.selectors import Aggregate


@dataclass(frozen=True)
class Document:
    """The words around the table, translated once for both formats."""

    authority: str
    issuing_body: str
    motto: str
    motto_line: str
    number: str
    date_line: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    totals: list[Any]
    recipients_label: str
    recipients: list[str]
    signer_title: str
    signer_name: str


def _document(aggregate: Aggregate) -> Document:
    report_round = aggregate.report_round
    today = clock.today()
    rows = []
    for index, line in enumerate(aggregate.lines, start=1):
        row = line.row
        decision = line.decision
        rows.append(
            [
                index,
                row.unit.name,
                row.unit.agency.name,
                row.total_staff,
                row.needed_on_site if row.is_filled else "",
                row.proposed_at_home if row.is_filled else "",
                row.reason,
                line.status_label,
                timezone.localtime(row.filled_at).strftime("%H:%M %d/%m/%Y") if row.filled_at else "",
                (row.signed_off_by.get_full_name() or row.signed_off_by.get_username()) if row.signed_off_by else "",
                _("on site ≥ %(minimum)s, at home ≤ %(cap)s (%(start)s–%(end)s)")
                % {"minimum": decision.on_site_minimum, "cap": decision.home_cap, "start": f"{decision.starts_on:%d/%m}", "end": f"{decision.ends_on:%d/%m/%Y}"}
                if decision
                else "",
            ]
        )
    opener = report_round.opened_by
    return Document(
        authority=_("HO CHI MINH CITY PEOPLE'S COMMITTEE"),
        issuing_body=_("DEPARTMENT OF HOME AFFAIRS"),
        motto=_("SOCIALIST REPUBLIC OF VIETNAM"),
        motto_line=_("Independence - Freedom - Happiness"),
        number=_("No.: %(number)s") % {"number": report_round.reference_number or "……"},
        date_line=_("Ho Chi Minh City, day %(day)s month %(month)s year %(year)s")
        % {"day": f"{today.day:02d}", "month": f"{today.month:02d}", "year": today.year},
        title=report_round.title,
        headers=[
            _("No."),
            _("Unit"),
            _("Agency"),
            _("Total staff"),
            _("Needed on site"),
            _("Proposed at home"),
            _("Reason"),
            _("Status"),
            _("Filled at"),
            _("Signed off by"),
            _("Decision"),
        ],
        rows=rows,
        totals=[_("City total"), aggregate.total_staff, aggregate.needed_on_site, aggregate.proposed_at_home],
        recipients_label=_("Recipients:"),
        recipients=[line.strip() for line in report_round.recipients.splitlines() if line.strip()],
        signer_title=_("FOR THE DIRECTOR"),
        signer_name=opener.get_full_name() or opener.get_username(),
    )


def document(aggregate: Aggregate, *, language: str = "vi") -> Document:
    with translation.override(language):
        return _document(aggregate)


def round_html(aggregate: Aggregate, *, language: str = "vi") -> str:
    """The PDF's HTML (tests read it; WeasyPrint prints it)."""
    with translation.override(language):
        return render_to_string("staffing/exports/round_pdf.html", {"doc": _document(aggregate), "aggregate": aggregate, "language": language})


def round_pdf(aggregate: Aggregate, *, language: str = "vi") -> bytes:
    from weasyprint import HTML

    return HTML(string=round_html(aggregate, language=language)).write_pdf()  # type: ignore[no-any-return]


def round_xlsx(aggregate: Aggregate, *, language: str = "vi") -> bytes:
    """One sheet: the document header, the table, the city total, recipients and signer."""
    doc = document(aggregate, language=language)
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = "Bao cao"
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="top", wrap_text=True)
    width = len(doc.headers)
    for row_number, (left, right) in enumerate([(doc.authority, doc.motto), (doc.issuing_body, doc.motto_line), (doc.number, doc.date_line)], start=1):
        spreadsheets.write(sheet, row=row_number, column=1, value=left).font = bold
        sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=4)
        spreadsheets.write(sheet, row=row_number, column=5, value=right).font = bold
        sheet.merge_cells(start_row=row_number, start_column=5, end_row=row_number, end_column=width)
        sheet.cell(row=row_number, column=1).alignment = centre
        sheet.cell(row=row_number, column=5).alignment = centre
    title = spreadsheets.write(sheet, row=5, column=1, value=doc.title)
    title.font = Font(bold=True, size=13)
    title.alignment = centre
    sheet.merge_cells(start_row=5, start_column=1, end_row=5, end_column=width)
    header_row = 7
    for column, header in enumerate(doc.headers, start=1):
        cell = spreadsheets.write(sheet, row=header_row, column=column, value=header)
        cell.font = bold
        cell.alignment = centre
    for offset, values in enumerate(doc.rows, start=1):
        for column, value in enumerate(values, start=1):
            spreadsheets.write(sheet, row=header_row + offset, column=column, value=value)
    total_row = header_row + len(doc.rows) + 1
    spreadsheets.write(sheet, row=total_row, column=2, value=doc.totals[0]).font = bold
    for column, value in zip((4, 5, 6), doc.totals[1:], strict=True):
        spreadsheets.write(sheet, row=total_row, column=column, value=value).font = bold
    footer = total_row + 2
    spreadsheets.write(sheet, row=footer, column=1, value=doc.recipients_label).font = Font(bold=True, italic=True)
    for offset, recipient in enumerate(doc.recipients, start=1):
        spreadsheets.write(sheet, row=footer + offset, column=1, value=f"- {recipient}")
    spreadsheets.write(sheet, row=footer, column=8, value=doc.signer_title).font = bold
    spreadsheets.write(sheet, row=footer + 4, column=8, value=doc.signer_name).font = bold
    for letter, column_width in zip("ABCDEFGHIJK", (6, 28, 28, 10, 10, 10, 36, 18, 16, 20, 30), strict=True):
        sheet.column_dimensions[letter].width = column_width
    sheet.page_setup.orientation = "landscape"
    return spreadsheets.workbook_bytes(workbook)


def filename(report_round: ReportRound, extension: str) -> str:
    """ "bao-cao-nhu-cau-nhan-su-<id>-<date>.xlsx"."""
    ascii_text = unicodedata.normalize("NFKD", report_round.title.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "bao-cao"
    return f"nhu-cau-nhan-su-{report_round.pk}-{slug}.{extension}"
