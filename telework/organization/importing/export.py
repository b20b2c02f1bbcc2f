"""The staff list handed back in the layout the import reads: a title block as offices keep it (the national motto,
the agency, the list's title and date), the import's headers, one row per person, a signature footer. Export →
edit → import again changes only what was edited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from telework.core import spreadsheets
from telework.organization.importing.layout import COLUMNS_BY_KEY
from telework.organization.importing.template import workbook_bytes

PERSONAL_KEYS = ("date_of_birth", "sex")
EXPORT_KEYS = (
    "code",
    "full_name",
    "date_of_birth",
    "sex",
    "staff_type",
    "unit_code",
    "unit_name",
    "position_code",
    "position_name",
    "title",
    "is_leader",
    "superior_code",
    "phone",
    "email",
    "equipment",
    "training_completed_on",
)
STAFF_TYPE_TEXT = {"cong_chuc": "Công chức", "vien_chuc": "Viên chức", "nguoi_lao_dong": "Người lao động"}
SEX_TEXT = {"male": "Nam", "female": "Nữ"}
EQUIPMENT_TEXT = {"phone": "Điện thoại", "computer": "Máy tính", "printer": "Máy in", "internet": "Internet"}
# The header sits under a six-row title block, as in the lists offices send.
HEADER_ROW = 7


def _cell_value(key: str, value: Any) -> Any:
    if key == "staff_type":
        return STAFF_TYPE_TEXT.get(value, value)
    if key == "sex":
        return SEX_TEXT.get(value, "")
    if key == "is_leader":
        return "Có" if value else "Không"
    if key == "equipment":
        return ", ".join(EQUIPMENT_TEXT.get(item, item) for item in value or ())
    return value if value not in (None, "") else None


def staff_list_workbook(*, agency_name: str, rows: Sequence[Mapping[str, Any]], keeps_personal_data: bool, today: dt.date) -> bytes:
    """The .xlsx of ``rows`` (``selectors.staff_export_rows``). Date of birth and sex are written only when the
    agency keeps them (Decree 13/2023/NĐ-CP)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    keys = [key for key in EXPORT_KEYS if keeps_personal_data or key not in PERSONAL_KEYS]
    headers = ["STT", *(COLUMNS_BY_KEY[key].header for key in keys)]
    last = get_column_letter(len(headers))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Danh sách cán bộ"
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    middle = get_column_letter(max(len(headers) // 2, 3))
    right = get_column_letter(max(len(headers) // 2 + 1, 4))
    spreadsheets.write(sheet, row=1, column=1, value=agency_name.upper())
    sheet.merge_cells(f"A1:{middle}1")
    spreadsheets.write(sheet, row=1, column=len(headers) // 2 + 1, value="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    sheet.merge_cells(f"{right}1:{last}1")
    spreadsheets.write(sheet, row=2, column=len(headers) // 2 + 1, value="Độc lập - Tự do - Hạnh phúc")
    sheet.merge_cells(f"{right}2:{last}2")
    spreadsheets.write(sheet, row=4, column=1, value="DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC VÀ NGƯỜI LAO ĐỘNG")
    sheet.merge_cells(f"A4:{last}4")
    spreadsheets.write(sheet, row=5, column=1, value=f"(Tính đến ngày {today:%d/%m/%Y})")
    sheet.merge_cells(f"A5:{last}5")
    for row_number in (1, 2, 4, 5):
        for cell in sheet[row_number]:
            cell.font = bold
            cell.alignment = centre
    for column, header in enumerate(headers, start=1):
        cell = spreadsheets.write(sheet, row=HEADER_ROW, column=column, value=header)
        cell.font = bold
        cell.alignment = centre
        sheet.column_dimensions[get_column_letter(column)].width = 6 if column == 1 else max(14, len(header) + 4)
    number = HEADER_ROW
    for index, person in enumerate(rows, start=1):
        number = HEADER_ROW + index
        sheet.cell(row=number, column=1, value=index)
        for column, key in enumerate(keys, start=2):
            value = _cell_value(key, person.get(key))
            cell = spreadsheets.write(sheet, row=number, column=column, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "DD/MM/YYYY"
    footer = number + 2
    spreadsheets.write(sheet, row=footer, column=len(headers) // 2 + 1, value=f"TP. Hồ Chí Minh, ngày {today.day} tháng {today.month} năm {today.year}")
    spreadsheets.write(sheet, row=footer + 1, column=2, value="NGƯỜI LẬP BIỂU")
    spreadsheets.write(sheet, row=footer + 1, column=len(headers) // 2 + 1, value="THỦ TRƯỞNG ĐƠN VỊ")
    spreadsheets.write(sheet, row=footer + 2, column=2, value="(Ký, ghi rõ họ tên)")
    spreadsheets.write(sheet, row=footer + 2, column=len(headers) // 2 + 1, value="(Ký, ghi rõ họ tên, đóng dấu)")
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    return workbook_bytes(workbook)
