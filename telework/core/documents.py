"""The administrative document layout (Decree 30/2020/NĐ-CP) shared by every exported report: issuing body and
national motto side by side, number, place and date line, title; at the foot "Nơi nhận" (recipients) and the
signature block. One layout for the PDF (``core/documents/_head.html``, ``_foot.html``, ``_style.html``, printed by
WeasyPrint) and for Excel (``write_head``/``write_foot``); the words are translated by the caller's language (the
documents go to Vietnamese authorities, so callers use Vietnamese). Text reaches Excel as text, never a formula."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font

from telework.core import spreadsheets


@dataclass(frozen=True)
class DocumentHead:
    authority: str
    issuing_body: str
    motto: str
    motto_line: str
    number: str
    date_line: str
    title: str


@dataclass(frozen=True)
class DocumentFoot:
    recipients_label: str
    recipients: list[str]
    signer_title: str
    signer_name: str


def head(*, title: str, number: str, day: dt.date, issuing_body: str | None = None) -> DocumentHead:
    """The head in the active language: the city's People's Committee above the issuing body (the Department of
    Home Affairs unless given), the national motto, "No.: …" (dots when there is no number yet), the date line."""
    return DocumentHead(
        authority=_("HO CHI MINH CITY PEOPLE'S COMMITTEE"),
        issuing_body=issuing_body or _("DEPARTMENT OF HOME AFFAIRS"),
        motto=_("SOCIALIST REPUBLIC OF VIETNAM"),
        motto_line=_("Independence - Freedom - Happiness"),
        number=_("No.: %(number)s") % {"number": number or "……"},
        date_line=_("Ho Chi Minh City, day %(day)s month %(month)s year %(year)s") % {"day": f"{day.day:02d}", "month": f"{day.month:02d}", "year": day.year},
        title=title,
    )


def foot(*, recipients: list[str], signer_name: str, signer_title: str | None = None) -> DocumentFoot:
    """The foot in the active language: "Recipients:" with one line each, and the signature block."""
    return DocumentFoot(
        recipients_label=_("Recipients:"),
        recipients=[line.strip() for line in recipients if line.strip()],
        signer_title=signer_title or _("FOR THE DIRECTOR"),
        signer_name=signer_name,
    )


BOLD = Font(bold=True)
CENTRE = Alignment(horizontal="center", vertical="top", wrap_text=True)


def write_head(sheet: Any, document: DocumentHead, *, width: int, split: int = 4) -> int:
    """Rows 1–3: issuing body (columns 1..split) beside the motto (split+1..width); row 5: the title. Returns the
    first free row after a blank one (7)."""
    lines = [(document.authority, document.motto), (document.issuing_body, document.motto_line), (document.number, document.date_line)]
    for row_number, (left, right) in enumerate(lines, start=1):
        spreadsheets.write(sheet, row=row_number, column=1, value=left).font = BOLD
        sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=split)
        spreadsheets.write(sheet, row=row_number, column=split + 1, value=right).font = BOLD
        sheet.merge_cells(start_row=row_number, start_column=split + 1, end_row=row_number, end_column=max(width, split + 1))
        sheet.cell(row=row_number, column=1).alignment = CENTRE
        sheet.cell(row=row_number, column=split + 1).alignment = CENTRE
    title = spreadsheets.write(sheet, row=5, column=1, value=document.title)
    title.font = Font(bold=True, size=13)
    title.alignment = CENTRE
    sheet.merge_cells(start_row=5, start_column=1, end_row=5, end_column=max(width, 1))
    return 7


def write_foot(sheet: Any, document: DocumentFoot, *, row: int, signer_column: int) -> int:
    """ "Recipients:" and its lines from ``row`` in column 1, the signature block in ``signer_column``. Returns the
    row after the foot."""
    spreadsheets.write(sheet, row=row, column=1, value=document.recipients_label).font = Font(bold=True, italic=True)
    for offset, recipient in enumerate(document.recipients, start=1):
        spreadsheets.write(sheet, row=row + offset, column=1, value=f"- {recipient}")
    spreadsheets.write(sheet, row=row, column=signer_column, value=document.signer_title).font = BOLD
    spreadsheets.write(sheet, row=row + 4, column=signer_column, value=document.signer_name).font = BOLD
    return row + max(len(document.recipients), 4) + 2
