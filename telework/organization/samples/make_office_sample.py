"""Build ``staff_office_300.xlsx`` next to this script: a ward's staff list of 300 people as its HR office sends it
(run from the repository root):

    uv run python telework/organization/samples/make_office_sample.py [--seed 2026]

The layout of the lists offices actually send, not the import template's: the national motto and the agency in a
title block, "DANH SÁCH CÁN BỘ, CÔNG CHỨC...", a header over two rows with merged cells ("Thông tin cá nhân" over
"Ngày sinh" and "Giới tính"), a row numbering the columns, units and positions by **name** (no unit or position
codes), "Chức vụ", a numbered heading before each unit's people ("I. VĂN PHÒNG..."), a unit's name merged down its people, the running number as formulas, a column the import does not
know ("Trình độ chuyên môn"), a totals line and a signature footer. Staff codes ("Mã số") start with BM, the agency
code the tests use (``Agency(code="BM")``). Deterministic: the same seed writes the same bytes.

Import it with ``uv run python manage.py import_staff telework/organization/samples/staff_office_300.xlsx --agency BM
--valid-only --accept-structure``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Font  # noqa: E402

from telework.core import spreadsheets  # noqa: E402
from telework.organization.importing import workbook_bytes  # noqa: E402

OUTPUT = HERE / "staff_office_300.xlsx"
SIZE = 300
AGENCY = "Bến Mẫu"

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Tống"]
MALE_MIDDLE = ["Văn", "Minh", "Hữu", "Đức", "Quốc", "Thanh", "Công", "Hoàng"]
FEMALE_MIDDLE = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bích", "Mỹ", "Hồng"]
MALE_GIVEN = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quang", "Sơn", "Tâm", "Thắng", "Tuấn", "Việt"]
FEMALE_GIVEN = ["Anh", "Châu", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Phương", "Thảo", "Trang", "Vy"]
EDUCATION = ["Đại học Luật", "Đại học Kinh tế", "Thạc sĩ Quản lý công", "Đại học Xây dựng", "Cao đẳng Văn thư", "Trung cấp Kế toán"]

# (unit name, head title and position, deputy title and position, number of deputies, members' positions, headcount)
UNITS = [
    ("Lãnh đạo UBND phường", "Chủ tịch UBND phường", "Chủ tịch UBND", "Phó Chủ tịch UBND phường", "Phó Chủ tịch UBND", 3, [], 4),
    (
        "Văn phòng HĐND và UBND",
        "Chánh Văn phòng",
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        2,
        ["Chuyên viên tổng hợp", "Văn thư", "Kế toán", "Nhân viên phục vụ"],
        70,
    ),
    (
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Trưởng phòng",
        "Trưởng phòng",
        "Phó Trưởng phòng",
        "Phó Trưởng phòng",
        2,
        ["Chuyên viên quản lý đô thị", "Chuyên viên kinh tế"],
        72,
    ),
    (
        "Phòng Văn hóa - Xã hội",
        "Trưởng phòng",
        "Trưởng phòng",
        "Phó Trưởng phòng",
        "Phó Trưởng phòng",
        2,
        ["Chuyên viên văn hóa", "Chuyên viên lao động - xã hội", "Chuyên viên y tế - giáo dục"],
        74,
    ),
    (
        "Trung tâm Phục vụ hành chính công",
        "Giám đốc Trung tâm",
        "Giám đốc Trung tâm",
        "Phó Giám đốc Trung tâm",
        "Phó Giám đốc Trung tâm",
        1,
        ["Chuyên viên một cửa", "Chuyên viên tư pháp - hộ tịch"],
        80,
    ),
]
MEMBER_TITLES = {"Văn thư": "Nhân viên", "Kế toán": "Cán sự", "Nhân viên phục vụ": "Nhân viên"}
HEADERS = [
    "STT",
    "Họ và tên",
    "Mã số",
    "Ngày sinh",
    "Giới tính",
    "Đối tượng",
    "Phòng/Bộ phận",
    "Chức vụ",
    "Vị trí việc làm",
    "Số điện thoại",
    "Email",
    "Trình độ chuyên môn",
    "Ghi chú",
]
HEADER_TOP, HEADER_BOTTOM = 7, 8
ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


def people(seed: int) -> list[dict[str, object]]:
    generator = random.Random(seed)
    rows: list[dict[str, object]] = []
    for unit, head_title, head_position, deputy_title, deputy_position, deputies, members, headcount in UNITS:
        slots = [(head_title, head_position)] + [(deputy_title, deputy_position)] * deputies
        while len(slots) < headcount:
            position = generator.choice(members)
            slots.append((MEMBER_TITLES.get(position, "Chuyên viên"), position))
        for title, position in slots:
            female = generator.random() < 0.55
            name = " ".join(
                [
                    generator.choice(SURNAMES),
                    generator.choice(FEMALE_MIDDLE if female else MALE_MIDDLE),
                    generator.choice(FEMALE_GIVEN if female else MALE_GIVEN),
                ]
            )
            number = len(rows) + 1
            staff_type = "Viên chức" if unit.startswith("Trung tâm") and title == "Chuyên viên" else "Người lao động" if title == "Nhân viên" else "Công chức"
            born = dt.date(1966, 1, 1) + dt.timedelta(days=generator.randrange(0, 35 * 365))
            rows.append(
                {
                    "name": name,
                    "code": f"BM{number:04d}",
                    "born": born,
                    "sex": "Nữ" if female else "Nam",
                    "type": staff_type,
                    "unit": unit,
                    "title": title,
                    "position": position,
                    "phone": f"09{generator.randrange(10**7, 10**8):08d}" if generator.random() < 0.9 else "",
                    "email": f"bm{number:04d}@benmau.example.gov.vn" if generator.random() < 0.8 else "",
                    "education": generator.choice(EDUCATION),
                }
            )
    assert len(rows) == SIZE, len(rows)
    return rows


def build(seed: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "DS CBCCVC"
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def put(cell: str, value: str, *, merge: str = "", font: Font = bold) -> None:
        sheet[cell] = value
        sheet[cell].font = font
        sheet[cell].alignment = centre
        if merge:
            sheet.merge_cells(f"{cell}:{merge}")

    put("A1", "ỦY BAN NHÂN DÂN", merge="E1")
    put("A2", f"PHƯỜNG {AGENCY.upper()}", merge="E2")
    put("H1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", merge="M1")
    put("H2", "Độc lập - Tự do - Hạnh phúc", merge="M2")
    put("A4", "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC VÀ NGƯỜI LAO ĐỘNG", merge="M4")
    put("A5", f"(Kèm theo Báo cáo số 245/BC-UBND của Ủy ban nhân dân phường {AGENCY})", merge="M5", font=Font(italic=True))
    for index, header in enumerate(HEADERS, start=1):
        letter = chr(64 + index)
        if header in ("Ngày sinh", "Giới tính"):
            put(f"{letter}{HEADER_BOTTOM}", header)
            continue
        put(f"{letter}{HEADER_TOP}", header, merge=f"{letter}{HEADER_BOTTOM}")
    put(f"D{HEADER_TOP}", "Thông tin cá nhân", merge=f"E{HEADER_TOP}")
    for index in range(1, len(HEADERS) + 1):
        put(f"{chr(64 + index)}{HEADER_BOTTOM + 1}", f"({index})", font=Font(italic=True))
    first = HEADER_BOTTOM + 2
    rows = people(seed)
    number = first - 1
    previous = 0  # the row of the previous person, for the running number's formula
    unit_start = first
    sections = 0
    for offset, person in enumerate(rows):
        number += 1
        if offset == 0 or rows[offset - 1]["unit"] != person["unit"]:
            # A heading before each unit's people, merged across the row: "I. LÃNH ĐẠO UBND PHƯỜNG".
            sections += 1
            put(f"A{number}", f"{ROMAN[sections]}. {str(person['unit']).upper()}", merge=f"M{number}")
            sheet[f"A{number}"].alignment = Alignment(horizontal="left")
            number += 1
            unit_start = number
        if offset == 0:
            sheet.cell(row=number, column=1, value=1)
        else:
            spreadsheets.write_formula(sheet, row=number, column=1, formula=f"=A{previous}+1")
        previous = number
        born = person["born"]
        assert isinstance(born, dt.date)
        # Half the dates are real Excel dates, half typed as text, as lists pasted together from several units are.
        birth: object = dt.datetime(born.year, born.month, born.day) if offset % 2 == 0 else born.strftime("%d/%m/%Y")  # noqa: DTZ001
        values = [
            person["name"],
            person["code"],
            birth,
            person["sex"],
            person["type"],
            person["unit"],
            person["title"],
            person["position"],
            person["phone"],
            person["email"],
            person["education"],
            "",
        ]
        for column, value in enumerate(values, start=2):
            if value == "":
                continue
            cell = spreadsheets.write(sheet, row=number, column=column, value=value)
            if isinstance(value, dt.datetime):
                cell.number_format = "DD/MM/YYYY"
        last_of_unit = offset + 1 == len(rows) or rows[offset + 1]["unit"] != person["unit"]
        if last_of_unit:
            for blank in range(unit_start + 1, number + 1):
                sheet.cell(row=blank, column=7).value = None
            if number > unit_start:
                sheet.merge_cells(f"G{unit_start}:G{number}")
    end = number
    total = end + 1
    sheet.cell(row=total, column=2, value="Tổng cộng")
    spreadsheets.write_formula(sheet, row=total, column=3, formula=f"=COUNTA(C{first}:C{end})")
    sheet.cell(row=total + 2, column=8, value=f"{AGENCY}, ngày 15 tháng 11 năm 2026")
    sheet.cell(row=total + 3, column=2, value="NGƯỜI LẬP BIỂU")
    sheet.cell(row=total + 3, column=8, value="CHỦ TỊCH")
    sheet.cell(row=total + 4, column=2, value="(Ký, ghi rõ họ tên)")
    sheet.cell(row=total + 4, column=8, value="(Ký tên, đóng dấu)")
    sheet.cell(row=total + 8, column=2, value="Lê Thị Lập")
    sheet.cell(row=total + 8, column=8, value=str(rows[0]["name"]))
    for letter, width in zip("ABCDEFGHIJKLM", (6, 26, 10, 12, 9, 14, 30, 24, 30, 13, 30, 22, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(workbook)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()
    OUTPUT.write_bytes(build(options.seed))
    print(f"wrote {OUTPUT.relative_to(Path.cwd()) if OUTPUT.is_relative_to(Path.cwd()) else OUTPUT}")


if __name__ == "__main__":
    main()
