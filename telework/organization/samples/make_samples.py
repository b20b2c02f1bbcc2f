"""Build the sample staff lists next to this script (run from the repository root):

    uv run python telework/organization/samples/make_samples.py

- ``staff_valid.xlsx``: a small agency of 12 staff in 4 units (one under another), positions including a
  one-stop desk and a duty post, leaders and direct superiors, real Excel dates, one phone typed as a number;
- ``staff_valid.csv``: the same people as UTF-8 with a BOM, semicolon-separated, dates as dd/mm/yyyy;
- ``staff_errors.xlsx``: 12 rows of which 8 are refused (one problem of each kind) and one is kept with a
  warning because its direct superior's row is refused.

Codes start with MAU ("mẫu", sample) so they never collide with the demo city. Import them with
``uv run python manage.py import_staff telework/organization/samples/staff_valid.xlsx --agency CODE``.
The files are deterministic: running the script again rewrites identical bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from openpyxl import Workbook  # noqa: E402

from telework.organization.importing import COLUMNS, workbook_bytes  # noqa: E402

HEADERS = [column.header for column in COLUMNS]

# Columns: code, name, type, unit code, unit name, parent unit, position code, position name,
# faces citizens, dossiers, one-stop desk, duty post, leader, superior, phone, email, equipment, training.
# fmt: off
VALID: list[list[Any]] = [
    ["MAU0002", "Trần Thị Bình", "Công chức", "MAU-VP", "Văn phòng", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "MAU0001", "0902000002", "ttbinh@mau.gov.vn", "Điện thoại, Máy tính, Máy in, Internet", dt.date(2025, 3, 15)],
    ["MAU0001", "Nguyễn Văn An", "Công chức", "MAU-VP", "Văn phòng", "", "LD", "Lãnh đạo phòng", "Không", "Không", "Không", "Không", "Có", "", "0902000001", "nvan@mau.gov.vn", "Điện thoại, Máy tính, Internet", dt.date(2025, 3, 15)],
    ["MAU0003", "Lê Hoàng Cường", "Viên chức", "MAU-VP", "Văn phòng", "", "VT-TRUC", "Nhân viên trực cơ quan", "Không", "Không", "Không", "Có", "Không", "MAU0001", 902000003, "lhcuong@mau.gov.vn", "Điện thoại", None],
    ["MAU0005", "Hoàng Minh Đức", "Công chức", "MAU-MC", "Bộ phận một cửa", "MAU-VP", "LD", "Lãnh đạo phòng", "", "", "", "", "Có", "MAU0001", "0902000005", "hmduc@mau.gov.vn", "Điện thoại, Máy tính, Máy in, Internet", dt.date(2025, 4, 2)],
    ["MAU0004", "Phạm Thị Dung", "Công chức", "MAU-MC", "Bộ phận một cửa", "MAU-VP", "MC", "Cán bộ một cửa", "Có", "Có", "Có", "Không", "Không", "MAU0005", "0902000004", "ptdung@mau.gov.vn", "Điện thoại, Máy tính", None],
    ["MAU0006", "Võ Thị Én", "Công chức", "MAU-MC", "", "", "MC", "", "Có", "Có", "Có", "Không", "Không", "MAU0005", "0902000006", "vten@mau.gov.vn", "Điện thoại, Máy tính", None],
    ["MAU0007", "Đặng Quốc Giang", "Công chức", "MAU-TCCB", "Phòng Tổ chức cán bộ", "", "LD", "Lãnh đạo phòng", "Không", "Không", "Không", "Không", "Có", "", "0902000007", "dqgiang@mau.gov.vn", "Điện thoại, Máy tính, Máy in, Internet", dt.date(2025, 3, 15)],
    ["MAU0008", "Bùi Thị Hạnh", "Công chức", "MAU-TCCB", "Phòng Tổ chức cán bộ", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "MAU0007", "0902000008", "bthanh@mau.gov.vn", "Điện thoại, Máy tính, Máy in, Internet", dt.date(2025, 3, 15)],
    ["MAU0009", "Đỗ Văn Khánh", "Người lao động", "MAU-TCCB", "Phòng Tổ chức cán bộ", "", "CV-TH", "Chuyên viên tổng hợp", "", "", "", "", "Không", "MAU0007", "", "", "Điện thoại, Máy tính, Internet", None],
    ["MAU0011", "Dương Văn Minh", "Viên chức", "MAU-CCHC", "Phòng Cải cách hành chính", "", "CV-TCD", "Chuyên viên tiếp công dân", "Có", "Không", "Không", "Không", "Không", "MAU0010", "0902000011", "dvminh@mau.gov.vn", "Điện thoại, Máy tính, Máy in, Internet", dt.date(2025, 5, 20)],
    ["MAU0012", "Lý Thị Ngọc", "Công chức", "MAU-CCHC", "Phòng Cải cách hành chính", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "MAU0010", "0902000012", "ltngoc@mau.gov.vn", "Điện thoại, Máy tính, Máy in, Internet", None],
    ["MAU0010", "Ngô Thị Lan", "Công chức", "MAU-CCHC", "Phòng Cải cách hành chính", "", "LD", "Lãnh đạo phòng", "Không", "Không", "Không", "Không", "Có", "", "0902000010", "ntlan@mau.gov.vn", "Điện thoại, Máy tính, Máy in, Internet", dt.date(2025, 3, 15)],
]

# One problem per refused row; MAU0110 is kept with a warning (its superior MAU0104 is refused).
ERRORS: list[list[Any]] = [
    ["MAU0101", "Phan Văn Phúc", "Công chức", "MAU-VP", "Văn phòng", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "", "0903000101", "pvphuc@mau.gov.vn", "Điện thoại, Máy tính, Internet", "01/06/2025"],
    ["MAU0102", "", "Công chức", "MAU-VP", "Văn phòng", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "", "", "", "", ""],
    ["MAU0103", "Trịnh Thị Quỳnh", "Công nhân", "MAU-VP", "Văn phòng", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "", "", "", "", ""],
    ["MAU0104", "Mai Văn Sơn", "Công chức", "MAU-VP", "Văn phòng", "", "LD", "Lãnh đạo phòng", "Không", "Không", "Không", "Không", "Có", "", "0903000104", "mvson@", "Điện thoại", ""],
    ["MAU0105", "Lâm Thị Thu", "Viên chức", "MAU-VP", "Văn phòng", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "", "12345", "", "", ""],
    ["MAU0106", "Tạ Văn Uy", "Công chức", "MAU-VP", "Văn phòng", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "", "", "", "", "31/02/2025"],
    ["MAU0107", "Hồ Thị Vân", "Công chức", "MAU-VP", "Văn phòng", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "MAU9999", "", "", "", ""],
    ["MAU0108", "Châu Văn Xuân", "Công chức", "MAU-XX", "Tổ công tác đặc biệt", "MAU-KHONGCO", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "", "", "", "", ""],
    ["MAU0109", "Kiều Thị Yến", "Công chức", "MAU-VP", "Văn phòng", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "", "", "", "", ""],
    ["MAU0109", "Kiều Thị Yến", "Công chức", "MAU-VP", "Văn phòng", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "", "", "", "", ""],
    ["MAU0110", "Quách Văn Zũng", "Công chức", "MAU-VP", "Văn phòng", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "MAU0104", "0903000110", "qvzung@mau.gov.vn", "Điện thoại, Máy tính, Internet", "01/06/2025"],
    ["MAU0111", "Âu Thị Ánh", "Công chức", "MAU-VP", "Văn phòng", "", "CV-TH", "Chuyên viên tổng hợp", "Không", "Không", "Không", "Không", "Không", "", "0903000111", "autanh@mau.gov.vn", "Điện thoại, Máy tính, Máy in, Internet", "02/06/2025"],
]
# fmt: on


def write_xlsx(path: Path, rows: list[list[Any]], *, title: str | None = None) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Danh sách cán bộ"
    if title:
        sheet.append([title])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
        if isinstance(row[-1], dt.date):
            sheet.cell(row=sheet.max_row, column=len(HEADERS)).number_format = "DD/MM/YYYY"
    path.write_bytes(workbook_bytes(workbook))


def write_csv(path: Path, rows: list[list[Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else ("" if value is None else value) for value in row])
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


def main() -> None:
    write_xlsx(HERE / "staff_valid.xlsx", VALID, title="DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC (mẫu)")
    write_csv(HERE / "staff_valid.csv", VALID)
    write_xlsx(HERE / "staff_errors.xlsx", ERRORS)
    for name in ("staff_valid.xlsx", "staff_valid.csv", "staff_errors.xlsx"):
        print(HERE / name)


if __name__ == "__main__":
    main()
