"""Reading the one-stop export and the portal's rating export: headers with or without diacritics, dates, words,
and each bad row refused in words."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from openpyxl import Workbook

from telework.dossiers import importing

HCMC = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 11, 18, 9, 30, tzinfo=HCMC)
HEADER = "Mã hồ sơ,Mã thủ tục,Tên thủ tục,Thời hạn giải quyết,Đơn vị tiếp nhận,Quầy,Ngày tiếp nhận,Ngày hẹn trả,Ngày trả kết quả,Mức độ,Kênh nộp,Trạng thái,Cán bộ xử lý,Ngày hẹn lại,Ngày xin lỗi"


def dossier_rows(*lines: str, header: str = HEADER) -> list[importing.DossierRow]:
    content = "\n".join((header, *lines)).encode()
    table = importing.read_table("hoso.csv", content, layout=importing.DOSSIER_HEADERS, required=importing.DOSSIER_REQUIRED)
    assert table.problems == []
    return importing.parse_dossier_rows(table, now=NOW, zone=HCMC)


def messages(row: importing.DossierRow | importing.RatingRow) -> list[str]:
    with translation.override("en"):
        return [problem.text() for problem in row.problems]


def test_a_full_row_is_read_with_its_moments_words_and_handlers():
    (row,) = dossier_rows(
        'H29.1-261116-0001,1.001234,Chứng thực bản sao,3,PKH,QUAY1,16/11/2026 08:15,19/11/2026,17/11/2026 10:05,Toàn trình,Trực tuyến,Đã trả kết quả,"CB01, CB02",,'
    )

    assert row.problems == []
    assert (row.code, row.procedure_code, row.procedure_name, row.legal_days, row.unit, row.desk) == (
        "H29.1-261116-0001",
        "1.001234",
        "Chứng thực bản sao",
        3,
        "PKH",
        "QUAY1",
    )
    assert row.received_at == dt.datetime(2026, 11, 16, 8, 15, tzinfo=HCMC)
    assert row.due_at == dt.datetime(2026, 11, 19, 17, 0, tzinfo=HCMC)  # a due day without a time: end of the office day
    assert row.returned_at == dt.datetime(2026, 11, 17, 10, 5, tzinfo=HCMC)
    assert (row.online_level, row.channel, row.status, row.handler_codes) == ("fully_online", "online", "returned", ("CB01", "CB02"))
    assert len(row.digest) == 64


def test_headers_are_recognised_without_diacritics_under_a_title_block_with_semicolons():
    content = "\n".join(
        (
            "UBND THÀNH PHỐ HỒ CHÍ MINH;;;",
            "DANH SÁCH HỒ SƠ;;;",
            "STT;Ma ho so;Ma thu tuc;Thu tuc;Co quan;Ngay tiep nhan;Hinh thuc;Kenh nop",
            "1;HS-1;1.0001;Cấp phép;PKH;16/11/2026 08:00;Một phần;Bưu chính",
            ";;;;;;;",
            "Người lập biểu;;;;;;;",
            "2;HS-2;1.0001;Cấp phép;PKH;16/11/2026 08:00;Một phần;Bưu chính",
        )
    ).encode()
    table = importing.read_table("export.csv", content, layout=importing.DOSSIER_HEADERS, required=importing.DOSSIER_REQUIRED)

    assert table.problems == []
    assert set(table.headers) == {"code", "procedure_code", "procedure_name", "unit", "received", "online_level", "channel"}
    (row,) = importing.parse_dossier_rows(table, now=NOW, zone=HCMC)  # the footer ends the list
    assert (row.number, row.code, row.online_level, row.channel, row.status) == (4, "HS-1", "partly_online", "post", "in_progress")


def test_an_xlsx_export_with_real_date_cells_is_read():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã hồ sơ", "Mã thủ tục", "Đơn vị tiếp nhận", "Ngày tiếp nhận", "Ngày trả kết quả"])
    sheet.append(["HS-9", "1.0002", "PKH", dt.datetime(2026, 11, 16, 14, 0), dt.datetime(2026, 11, 17, 9, 0)])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = importing.read_table("export.xlsx", buffer.getvalue(), layout=importing.DOSSIER_HEADERS, required=importing.DOSSIER_REQUIRED)
    (row,) = importing.parse_dossier_rows(table, now=NOW, zone=HCMC)

    assert row.problems == []
    assert row.received_at == dt.datetime(2026, 11, 16, 14, 0, tzinfo=HCMC)
    assert (row.status, row.channel, row.online_level) == ("returned", "desk", "in_person")


def test_a_file_without_the_required_columns_is_refused_in_words():
    content = "Mã hồ sơ,Mã thủ tục,Trạng thái\nHS-1,1.0001,Đang xử lý\n".encode()
    table = importing.read_table("export.csv", content, layout=importing.DOSSIER_HEADERS, required=importing.DOSSIER_REQUIRED)

    with translation.override("en"):
        assert [problem.text() for problem in table.problems] == ["Required columns are missing: Đơn vị tiếp nhận, Ngày tiếp nhận."]
    with translation.override("vi"):
        assert table.problems[0].text() == "Thiếu các cột bắt buộc: Đơn vị tiếp nhận, Ngày tiếp nhận."
    assert table.rows == []


def test_a_csv_not_in_utf8_and_an_old_xls_are_refused():
    content = (HEADER + "\nHS-1,1.0001,Chứng thực").encode("utf-16")
    assert [
        problem.code for problem in importing.read_table("x.csv", content, layout=importing.DOSSIER_HEADERS, required=importing.DOSSIER_REQUIRED).problems
    ] == ["encoding"]
    assert [
        problem.code for problem in importing.read_table("x.xls", b"x", layout=importing.DOSSIER_HEADERS, required=importing.DOSSIER_REQUIRED).problems
    ] == ["old_excel"]


def test_a_file_over_the_row_limit_is_refused_before_any_row_is_read(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 3)
    content = "\n".join((HEADER, *(f"HS-{n},1.0001,,3,PKH,,16/11/2026,,,,,,,," for n in range(30)))).encode()

    table = importing.read_table("export.csv", content, layout=importing.DOSSIER_HEADERS, required=importing.DOSSIER_REQUIRED)

    assert [problem.code for problem in table.problems] == ["too_many_rows"]
    assert table.rows == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            ",1.0001,,3,PKH,,16/11/2026 08:00,,,,,,,,",
            ["This cell is empty; the column is required."],
        ),
        (
            "HS-1,1.0001,,3,PKH,,31/02/2026 08:00,,,,,,,,",
            ["31/02/2026 08:00 is not a day of the calendar."],
        ),
        (
            "HS-1,1.0001,,3,PKH,,hôm qua,,,,,,,,",
            ["“hôm qua” is not a date: write dd/mm/yyyy or dd/mm/yyyy HH:MM, e.g. 16/11/2026 08:30."],
        ),
        (
            "HS-1,1.0001,,3,PKH,,20/11/2026 08:00,,,,,,,,",
            ["The dossier cannot be received in the future (20/11/2026 08:00)."],
        ),
        (
            "HS-1,1.0001,,3,PKH,,16/11/2026 08:00,15/11/2026,,,,,,,",
            ["The due date 15/11/2026 17:00 is before the dossier was received."],
        ),
        (
            "HS-1,1.0001,,3,PKH,,16/11/2026 08:00,,15/11/2026 08:00,,,,,,",
            ["The result cannot be returned (15/11/2026 08:00) before the dossier was received."],
        ),
        (
            "HS-1,1.0001,,ba ngày,PKH,,16/11/2026 08:00,,,,,,,,",
            ["“ba ngày” is not a handling time: write the number of working days, from 1 to 365."],
        ),
        (
            "HS-1,1.0001,,3,PKH,,16/11/2026 08:00,,,Mức độ 9,Fax,Đang bay,,,",
            [
                "Unknown online level “Mức độ 9”: write Toàn trình, Một phần or Trực tiếp.",
                "Unknown channel “Fax”: write Trực tiếp, Trực tuyến or Bưu chính.",
                "Unknown status “Đang bay”: write Đã tiếp nhận, Đang xử lý, Đã trả kết quả, Chờ bổ sung, Đã rút or Từ chối.",
            ],
        ),
        (
            "HS-1,1.0001,,3,PKH,,16/11/2026 08:00,19/11/2026,,,,,,18/11/2026,",
            ["The new date 18/11/2026 17:00 set by the apology letter must be after the first due date."],
        ),
        (
            "HS 1,1.0001,,3,PKH,,16/11/2026 08:00,,,,,,,,",
            ["The code “HS 1” may not contain spaces."],
        ),
    ],
)
def test_each_bad_row_is_refused_in_words(line, expected):
    (row,) = dossier_rows(line)

    assert row.has_error
    assert messages(row) == expected


def test_row_problems_read_in_vietnamese():
    (row,) = dossier_rows("HS-1,1.0001,,3,PKH,,16/11/2026 08:00,,,,Fax,,,,")

    with translation.override("vi"):
        assert [problem.text() for problem in row.problems] == ["Kênh nộp “Fax” không đúng: ghi Trực tiếp, Trực tuyến hoặc Bưu chính."]
    assert row.problems[0].column == "Kênh nộp"
    assert row.problems[0].row == 2


def test_the_digest_changes_with_the_content_only():
    first, same, changed = dossier_rows(
        "HS-1,1.0001,,3,PKH,,16/11/2026 08:00,,,,,Đang xử lý,,,",
        "HS-1,1.0001,,3,PKH,,16/11/2026 08:00,,,,,Dang xu ly,,,",
        "HS-1,1.0001,,3,PKH,,16/11/2026 08:00,,17/11/2026 08:00,,,Đã trả kết quả,,,",
    )

    assert first.digest == same.digest
    assert first.digest != changed.digest


def test_the_rating_export_is_read_with_blank_indicators_allowed():
    header = "Mã hồ sơ,Mức độ hài lòng," + ",".join(f"Chỉ số {n}" for n in range(1, 10)) + ",Ngày đánh giá"
    content = "\n".join(
        (
            header,
            "HS-1,Rất hài lòng,2,2,2,2,2,2,2,2,2,17/11/2026 10:00",
            "HS-2,Khong hai long,0,1,,2,,,,,,17/11/2026",
            "HS-3,Tạm được,3,,,,,,,,,17/11/2026",
        )
    ).encode()
    table = importing.read_table("danhgia.csv", content, layout=importing.RATING_HEADERS, required=importing.RATING_REQUIRED)
    good, blanks, bad = importing.parse_rating_rows(table, now=NOW, zone=HCMC)

    assert (good.level, good.scores, good.rated_at, good.problems) == ("very_satisfied", [2] * 9, dt.datetime(2026, 11, 17, 10, 0, tzinfo=HCMC), [])
    assert (blanks.level, blanks.scores, blanks.problems) == ("not_satisfied", [0, 1, None, 2, None, None, None, None, None], [])
    assert messages(bad) == [
        "Unknown satisfaction level “Tạm được”: write Rất hài lòng, Hài lòng or Không hài lòng.",
        "“3” is not a score: write 0, 1 or 2, or leave the cell blank.",
    ]
