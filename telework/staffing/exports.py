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

from telework.core import clock, documents, spreadsheets
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

    @property
    def head(self) -> documents.DocumentHead:
        return documents.DocumentHead(self.authority, self.issuing_body, self.motto, self.motto_line, self.number, self.date_line, self.title)

    @property
    def foot(self) -> documents.DocumentFoot:
        return documents.DocumentFoot(self.recipients_label, self.recipients, self.signer_title, self.signer_name)


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
    head = documents.head(title=report_round.title, number=report_round.reference_number, day=today)
    foot = documents.foot(recipients=report_round.recipients.splitlines(), signer_name=opener.get_full_name() or opener.get_username())
    return Document(
        authority=head.authority,
        issuing_body=head.issuing_body,
        motto=head.motto,
        motto_line=head.motto_line,
        number=head.number,
        date_line=head.date_line,
        title=head.title,
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
        recipients_label=foot.recipients_label,
        recipients=foot.recipients,
        signer_title=foot.signer_title,
        signer_name=foot.signer_name,
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
    header_row = documents.write_head(sheet, doc.head, width=width)
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
    documents.write_foot(sheet, doc.foot, row=footer, signer_column=8)
    for letter, column_width in zip("ABCDEFGHIJK", (6, 28, 28, 10, 10, 10, 36, 18, 16, 20, 30), strict=True):
        sheet.column_dimensions[letter].width = column_width
    sheet.page_setup.orientation = "landscape"
    return spreadsheets.workbook_bytes(workbook)


def filename(report_round: ReportRound, extension: str) -> str:
    """ "bao-cao-nhu-cau-nhan-su-<id>-<date>.xlsx"."""
    ascii_text = unicodedata.normalize("NFKD", report_round.title.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "bao-cao"
    return f"nhu-cau-nhan-su-{report_round.pk}-{slug}.{extension}"
