"""The staff list as an Excel workbook ("Xuất danh sách"): what the screen lists, one person a row, in words, never
codes. Every text cell goes through ``telework.core.spreadsheets``, so a name typed as ``=HYPERLINK(…)`` stays text.
(The import layout, for export → edit → re-import, is the importer's export.)"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from telework.core import spreadsheets
from telework.organization.models import Equipment, Staff

DATE_FORMAT = "DD/MM/YYYY"


def _columns(with_personal_data: bool) -> list[tuple[str, Any, int]]:
    """(header, value of a person, width)."""
    equipment = dict(Equipment.choices)
    columns: list[tuple[str, Any, int]] = [
        (_("Staff code"), lambda person: person.code, 14),
        (_("Full name"), lambda person: person.full_name, 28),
        (_("Agency"), lambda person: person.unit.agency.name, 28),
        (_("Unit"), lambda person: person.unit.name, 28),
        (_("Job position"), lambda person: person.position.name, 28),
        (_("Title"), lambda person: person.title, 20),
        (_("Staff type"), lambda person: str(person.get_staff_type_display()), 22),
        (_("Leader"), lambda person: pgettext("staff record", "Deputy") if person.is_deputy else _("Yes") if person.is_leader else "", 10),
        (_("Direct superior"), lambda person: f"{person.direct_superior.full_name} ({person.direct_superior.code})" if person.direct_superior else "", 28),
        (_("Phone"), lambda person: person.phone, 16),
        (_("Email"), lambda person: person.email, 28),
        (_("Equipment at home"), lambda person: ", ".join(str(equipment[value]) for value in person.equipment or [] if value in equipment), 30),
        (_("Joined the agency on"), lambda person: person.started_on, 14),
        (_("On the staff"), lambda person: _("Yes") if person.is_active else _("No"), 10),
        (_("Left on"), lambda person: person.ended_on, 14),
        (_("Reason for leaving"), lambda person: str(person.get_end_reason_display()) if person.end_reason else "", 24),
        (pgettext("staff list", "Account"), lambda person: person.user.username if person.user_id and person.user else "", 16),
    ]
    if with_personal_data:
        columns[2:2] = [
            (_("Date of birth"), lambda person: person.date_of_birth, 14),
            (_("Sex"), lambda person: str(person.get_sex_display()) if person.sex else "", 8),
        ]
    return columns


def staff_workbook(people: Iterable[Staff], *, title: str, with_personal_data: bool = False) -> bytes:
    """The .xlsx bytes of ``people`` (select their unit, agency, position, superior and user). Date of birth and sex
    only with ``with_personal_data`` (an agency that keeps them, Decree 13/2023/ND-CP)."""
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = _("Staff")[:31]
    columns = _columns(with_personal_data)
    spreadsheets.write(sheet, row=1, column=1, value=title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    for index, (header, _value, width) in enumerate(columns, start=1):
        spreadsheets.write(sheet, row=3, column=index, value=header).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(row=3, column=index).column_letter].width = width
    row = 3
    for row, person in enumerate(people, start=4):  # noqa: B007 - the last row is read below
        for index, (_header, value, _width) in enumerate(columns, start=1):
            cell = spreadsheets.write(sheet, row=row, column=index, value=value(person))
            if cell.value is not None and hasattr(cell.value, "year"):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "C4"
    if row > 3:
        sheet.auto_filter.ref = f"A3:{sheet.cell(row=3, column=len(columns)).column_letter}{row}"
    return spreadsheets.workbook_bytes(workbook)
