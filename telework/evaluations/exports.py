"""Evaluation results on paper: the classification list in Excel and one PDF per person.

The list follows the layout agencies file (danh sách đánh giá, xếp loại chất lượng): the agency at the top left and
the national motto at the top right, the title with the period, one row per person (no., full name, staff code,
position, unit, score, self-proposed level, proposed level, level decided, note: the head's reason or the quota move),
the count per level, and the signature block of the head of the agency (THỦ TRƯỞNG CƠ QUAN). Vietnamese by default.

Functions return bytes; the download views set the headers.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from telework.core import spreadsheets
from telework.evaluations.models import Evaluation, EvaluationPeriod, LevelChoice
from telework.evaluations.selectors import breakdown, quota_citation, quota_reason

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _note(evaluation: Evaluation) -> str:
    if evaluation.is_quota_drop:
        return quota_reason(evaluation)
    return evaluation.change_reason


def classification_xlsx(period: EvaluationPeriod, evaluations: Sequence[Evaluation], *, language: str = "vi") -> bytes:
    """The classification list of ``period`` for ``evaluations`` (already scoped to the reader)."""
    with translation.override(language):
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = _("Classification")
        headers = [
            _("No."),
            _("Full name"),
            _("Staff code"),
            _("Position"),
            _("Unit"),
            _("Score"),
            _("Self-proposed level"),
            _("Proposed level"),
            _("Level decided"),
            _("Note"),
        ]
        widths = [6, 28, 14, 26, 28, 9, 22, 22, 22, 60]
        agency = period.agency.name if period.agency else _("Ho Chi Minh City")
        sheet["A1"] = agency.upper()
        sheet["A1"].font = Font(bold=True)
        sheet["G1"] = _("SOCIALIST REPUBLIC OF VIETNAM")
        sheet["G1"].font = Font(bold=True)
        sheet["G2"] = _("Independence – Freedom – Happiness")
        sheet["G2"].font = Font(bold=True, underline="single")
        sheet["A4"] = _("LIST OF EVALUATION AND CLASSIFICATION OF STAFF")
        sheet["A4"].font = Font(bold=True, size=14)
        sheet["A5"] = f"{period} ({period.starts_on:%d/%m/%Y} – {period.ends_on:%d/%m/%Y})"
        for reference in ("A4", "A5"):
            sheet.merge_cells(f"{reference}:J{reference[1:]}")
            sheet[reference].alignment = Alignment(horizontal="center")
        header_row = 7
        for column, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
            cell = sheet.cell(row=header_row, column=column, value=title)
            cell.font = Font(bold=True)
            cell.border = BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            sheet.column_dimensions[cell.column_letter].width = width
        counts: Counter[str] = Counter()
        row = header_row
        for number, evaluation in enumerate(evaluations, start=1):
            row = header_row + number
            counts[evaluation.final_level] += 1
            values: list[str | float | int | None] = [
                number,
                evaluation.staff.full_name,
                evaluation.staff.code,
                evaluation.staff.position.name,
                evaluation.unit.name,
                float(evaluation.score) if evaluation.score is not None else None,
                evaluation.get_self_level_display() if evaluation.self_level else "",
                evaluation.get_proposed_level_display() if evaluation.proposed_level else _("Not classified"),
                evaluation.get_final_level_display() if evaluation.final_level else "",
                _note(evaluation),
            ]
            for column, value in enumerate(values, start=1):
                data_cell = sheet.cell(row=row, column=column, value=value)
                data_cell.border = BOX
                data_cell.alignment = Alignment(vertical="top", wrap_text=True)
        row += 2
        sheet.cell(row=row, column=2, value=_("Count per level")).font = Font(bold=True)
        for value, label in LevelChoice.choices:
            row += 1
            sheet.cell(row=row, column=2, value=str(label))
            sheet.cell(row=row, column=6, value=counts[value])
        row += 2
        sheet.cell(row=row, column=8, value=_("HEAD OF THE AGENCY")).font = Font(bold=True)
        sheet.cell(row=row + 1, column=8, value=_("(signature, full name and seal)")).font = Font(italic=True)
        sheet.freeze_panes = f"A{header_row + 1}"
        return spreadsheets.workbook_bytes(workbook)


def evaluation_pdf(evaluation: Evaluation, *, language: str = "vi") -> bytes:
    """One person's result: the measured inputs, the breakdown criterion by criterion with the decree and article,
    the level decided and its reasons, the appeal; on A4."""
    from weasyprint import HTML

    return HTML(string=evaluation_pdf_html(evaluation, language=language)).write_pdf()  # type: ignore[no-any-return]


def evaluation_pdf_html(evaluation: Evaluation, *, language: str = "vi") -> str:
    """The HTML the PDF is printed from (a verified article, or the named parameter, for every line)."""
    with translation.override(language):
        return render_to_string(
            "evaluations/exports/evaluation_pdf.html",
            {
                "item": evaluation,
                "assessment": breakdown(evaluation),
                "quota_reason": quota_reason(evaluation),
                "quota_citation": quota_citation(evaluation),
                "language": language,
            },
        )


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def list_filename(period: EvaluationPeriod) -> str:
    """ "xep-loai-quy-3-2026-phuong-phu-tho.xlsx"."""
    return f"xep-loai-{period.kind}-{period.number}-{period.year}-{_slug(period.agency.name if period.agency else 'tphcm')}.xlsx"


def person_filename(evaluation: Evaluation) -> str:
    period = evaluation.period
    return f"ket-qua-danh-gia-{evaluation.staff.code.lower()}-{period.kind}-{period.number}-{period.year}.pdf"
