"""The rules of reading an office's staff list, as plain Python: headers as offices write them, the header row found
among title lines, two-row and merged headers, the signature footer, formulas, "Chức vụ" and the proposed direct
superior. No database."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from django.utils import translation
from openpyxl import Workbook

from telework.organization import importing
from telework.organization.importing import Person, propose_superiors, rank_of_title, recognise_header
from telework.organization.importing.layout import is_footer_text

TODAY = dt.date(2026, 11, 18)


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Họ và tên", "full_name"),
        ("Họ tên", "full_name"),
        ("HO TEN", "full_name"),
        ("Phòng/Bộ phận", "unit_name"),
        ("Đơn vị", "unit_name"),
        ("Phòng ban", "unit_name"),
        ("Vị trí việc làm", "position_name"),
        ("VTVL", "position_name"),
        ("Chức vụ", "title"),
        ("chuc vu", "title"),
        ("Ngày sinh", "date_of_birth"),
        ("Ngày, tháng, năm sinh", "date_of_birth"),
        ("Giới tính", "sex"),
        ("Số điện thoại", "phone"),
        ("Điện thoại", "phone"),
        ("Email", "email"),
        ("Thư điện tử", "email"),
        ("Mã CB", "code"),
        ("Mã cán bộ", "code"),
        ("Mã số", "code"),
        ("Đối tượng", "staff_type"),
        ("STT", ""),
        (unicodedata.normalize("NFD", "Số TT"), ""),
        ("Trình độ chuyên môn", None),
    ],
)
def test_headers_are_recognised_as_offices_write_them_with_or_without_diacritics(header, key):
    assert recognise_header(header) == key


def test_the_agency_remembered_mapping_wins_over_the_known_spellings():
    mapping = {"trinh do chuyen mon": "", "don vi": "unit_code"}

    assert (recognise_header("Trình độ chuyên môn", mapping), recognise_header("Đơn vị", mapping), recognise_header("Họ tên", mapping)) == (
        "",
        "unit_code",
        "full_name",
    )


@pytest.mark.parametrize(
    ("title", "rank"),
    [
        ("Trưởng phòng", (True, False, False)),
        ("Chánh Văn phòng", (True, False, False)),
        ("Trưởng ban", (True, False, False)),
        ("Giám đốc", (True, False, True)),
        ("Giám đốc Trung tâm Phục vụ hành chính công", (True, False, False)),
        ("Chủ tịch UBND phường", (True, False, True)),
        ("Chi cục trưởng", (True, False, True)),
        ("Phó Trưởng phòng", (True, True, False)),
        ("PHÓ CHỦ TỊCH", (True, True, True)),
        ("Quyền Trưởng phòng", (True, False, False)),
        ("Chuyên viên", (False, False, False)),
        ("Cán sự", (False, False, False)),
        ("Nhân viên", (False, False, False)),
    ],
)
def test_a_title_states_leader_deputy_and_agency_head(title, rank):
    parsed = rank_of_title(title)
    assert parsed is not None
    assert (parsed.is_leader, parsed.is_deputy, parsed.heads_agency) == rank


def test_a_blank_title_says_nothing():
    assert (rank_of_title(""), rank_of_title("   "), rank_of_title(None)) == (None, None, None)


def test_superiors_follow_the_unit_and_the_rank():
    people = [
        Person("CT", "LD", is_leader=True, is_deputy=False, heads_agency=True),
        Person("PCT", "LD", is_leader=True, is_deputy=True, heads_agency=True),
        Person("TP", "P1", is_leader=True, is_deputy=False),
        Person("PTP", "P1", is_leader=True, is_deputy=True),
        Person("CV", "P1", is_leader=False, is_deputy=False),
        Person("TO", "P1A", is_leader=True, is_deputy=False),  # heads a team inside P1
        Person("CV2", "P1A", is_leader=False, is_deputy=False),
        Person("CV3", "P2", is_leader=False, is_deputy=False),  # a unit without a head
    ]
    parents = {"LD": None, "P1": None, "P1A": "P1", "P2": None}

    assert propose_superiors(people, parents) == {
        "CT": None,
        "PCT": "CT",
        "TP": "CT",
        "PTP": "TP",
        "CV": "TP",
        "TO": "TP",
        "CV2": "TO",
        "CV3": "CT",
    }


def test_without_an_agency_head_a_top_unit_head_has_no_proposal():
    people = [Person("TP", "P1", True, False), Person("CV", "P1", False, False)]
    assert propose_superiors(people, {"P1": None}) == {"TP": None, "CV": "TP"}


@pytest.mark.parametrize(
    "text",
    [
        "Người lập biểu",
        "NGƯỜI LẬP BIỂU",
        "Thủ trưởng đơn vị",
        "(Ký, ghi rõ họ tên)",
        "(Ký tên, đóng dấu)",
        "TP. Hồ Chí Minh, ngày 15 tháng 11 năm 2026",
        "TP. Hồ Chí Minh, ngày ... tháng ... năm ...",
        "Tổng cộng",
        "Tổng cộng: 300 người",
        "TỔNG SỐ 300",
    ],
)
def test_footer_lines_are_recognised(text):
    assert is_footer_text(text) is True


@pytest.mark.parametrize("text", ["Tống Công Minh", "Nguyễn Văn Ngày", "Phòng Tổng hợp", "Chuyên viên", "0901234567", None])
def test_people_and_their_cells_are_not_footer_lines(text):
    assert is_footer_text(text) is False


def office_workbook(*, merged: bool = True, extra_rows: list[list[object]] | None = None) -> bytes:
    """A small list in an office's layout: motto, title, two-row header, column numbers, data, totals, footer."""
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "ỦY BAN NHÂN DÂN PHƯỜNG THỬ"
    sheet["F1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    sheet["F2"] = "Độc lập - Tự do - Hạnh phúc"
    sheet["A4"] = "DANH SÁCH CÁN BỘ, CÔNG CHỨC"
    top = ["STT", "Họ và tên", "Mã CB", "Thông tin cá nhân", None, "Đối tượng", "Phòng/Bộ phận", "Chức vụ", "Vị trí việc làm"]
    bottom = [None, None, None, "Ngày sinh", "Giới tính", None, None, None, None]
    for column, (upper, lower) in enumerate(zip(top, bottom, strict=True), start=1):
        sheet.cell(row=6, column=column, value=upper)
        sheet.cell(row=7, column=column, value=lower)
    if merged:
        for letter in "ABCFGHI":
            sheet.merge_cells(f"{letter}6:{letter}7")
        sheet.merge_cells("D6:E6")
    for column in range(1, 10):
        sheet.cell(row=8, column=column, value=column)
    rows = [
        [1, "Trần Văn Trưởng", "T01", "02/03/1975", "Nam", "Công chức", "Văn phòng", "Chánh Văn phòng", "Chánh Văn phòng"],
        ["=A9+1", "Lê Thị Phó", "T02", dt.datetime(1985, 6, 1), "Nữ", "Công chức", "Văn phòng", "Phó Chánh Văn phòng", "Phó Chánh Văn phòng"],
        ["=A10+1", "Phạm Văn Chuyên", "T03", "31/12/1990", "Nam", "Viên chức", "Văn phòng", "Chuyên viên", "Chuyên viên tổng hợp"],
        *(extra_rows or []),
    ]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=9 + offset, column=column, value=value)
    end = 9 + len(rows)
    sheet.cell(row=end, column=2, value="Tổng cộng")
    sheet.cell(row=end, column=3, value=f"=COUNTA(C9:C{end - 1})")
    sheet.cell(row=end + 2, column=6, value="TP. Hồ Chí Minh, ngày 15 tháng 11 năm 2026")
    sheet.cell(row=end + 3, column=2, value="NGƯỜI LẬP BIỂU")
    sheet.cell(row=end + 3, column=6, value="THỦ TRƯỞNG ĐƠN VỊ")
    sheet.cell(row=end + 4, column=2, value="(Ký, ghi rõ họ tên)")
    sheet.cell(row=end + 7, column=2, value="Lê Thị Lập")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("merged", [True, False])
def test_the_header_is_found_under_the_title_block_over_two_rows_and_the_footer_is_not_read(merged):
    table = importing.read_table("ds.xlsx", office_workbook(merged=merged))

    assert table.problems == []
    assert table.header_row == (7 if merged else 6)
    assert {key: table.headers[key] for key in ("full_name", "code", "date_of_birth", "sex", "unit_name", "title", "position_name")} == {
        "full_name": "Họ và tên",
        "code": "Mã CB",
        "date_of_birth": "Ngày sinh",
        "sex": "Giới tính",
        "unit_name": "Phòng/Bộ phận",
        "title": "Chức vụ",
        "position_name": "Vị trí việc làm",
    }
    # The column numbers (row 8), the totals line and everything under it are not rows.
    assert [number for number, _cells in table.rows] == [9, 10, 11]
    assert table.footer_row == 12
    assert table.needs_mapping is False


def test_a_formula_in_a_read_column_is_reported_as_a_formula_not_read_as_empty():
    content = office_workbook(extra_rows=[["=A11+1", "Võ Văn Công Thức", "T04", "01/01/1990", "Nam", "Công chức", "=G11", "Chuyên viên", "Chuyên viên"]])
    table = importing.read_table("ds.xlsx", content)

    rows = importing.parse_rows(table, today=TODAY)

    assert [(problem.code, problem.column, problem.params) for problem in rows[3].problems] == [("formula", "Phòng/Bộ phận", {"formula": "=G11"})]
    with translation.override("vi"):
        assert rows[3].problems[0].text() == "Ô này chứa công thức (=G11), không phải giá trị: hãy nhập trực tiếp giá trị."
    assert all(not row.problems for row in rows[:3])  # the running numbers are formulas too, in a column set aside


def test_date_of_birth_and_sex_are_set_aside_with_one_notice_when_the_agency_does_not_keep_them():
    table = importing.read_table("ds.xlsx", office_workbook())

    rows = importing.parse_rows(table, today=TODAY, keeps_personal_data=False)

    assert [(notice.code, notice.params) for notice in table.notices] == [("personal_data_not_kept", {"columns": "“Ngày sinh”, “Giới tính”"})]
    assert [(row.date_of_birth, row.sex, row.problems) for row in rows] == [(None, None, [])] * 3


def test_date_of_birth_and_sex_are_read_when_the_agency_keeps_them():
    table = importing.read_table("ds.xlsx", office_workbook())

    rows = importing.parse_rows(table, today=TODAY, keeps_personal_data=True)

    assert table.notices == []
    assert [(row.date_of_birth, row.sex) for row in rows] == [
        (dt.date(1975, 3, 2), "male"),
        (dt.date(1985, 6, 1), "female"),
        (dt.date(1990, 12, 31), "male"),
    ]


@pytest.mark.parametrize(
    ("born", "code"),
    [
        ("31/02/1980", "impossible_date"),
        ("19/11/2026", "birth_in_future"),
        ("01/01/2015", "implausible_age"),
        ("01/01/1940", "implausible_age"),
        ("ngày sinh", "bad_date"),
    ],
)
def test_impossible_dates_of_birth_are_reported_on_their_row(born, code):
    content = office_workbook(extra_rows=[[4, "Võ Văn Sai", "T04", born, "Nam", "Công chức", "Văn phòng", "Chuyên viên", "Chuyên viên"]])
    table = importing.read_table("ds.xlsx", content)

    rows = importing.parse_rows(table, today=TODAY, keeps_personal_data=True)

    assert [(problem.code, problem.column) for problem in rows[3].problems] == [(code, "Ngày sinh")]
    assert rows[3].date_of_birth is None


def test_names_without_codes_plan_new_units_and_positions_and_propose_superiors():
    table = importing.read_table("ds.xlsx", office_workbook())
    rows = importing.parse_rows(table, today=TODAY)

    report = importing.plan_import(table, rows, importing.AgencySnapshot(agency_code="PT"))

    assert [(kind, plan.code, plan.action, plan.values["name"]) for kind, plan in report.structure_changes] == [
        ("unit", "PT-DV01", importing.CREATE, "Văn phòng"),
        ("position", "VT01", importing.CREATE, "Chánh Văn phòng"),
        ("position", "VT02", importing.CREATE, "Phó Chánh Văn phòng"),
        ("position", "VT03", importing.CREATE, "Chuyên viên tổng hợp"),
    ]
    assert [(row.code, row.values["title"], row.values["is_leader"], row.values["is_deputy"], row.values.get("direct_superior")) for row in report.rows] == [
        ("T01", "Chánh Văn phòng", True, False, None),
        ("T02", "Phó Chánh Văn phòng", True, True, "T01"),
        ("T03", "Chuyên viên", False, False, "T01"),
    ]
    assert [row.superior_label for row in report.rows] == ["", "Trần Văn Trưởng (T01)", "Trần Văn Trưởng (T01)"]


def test_units_and_positions_are_matched_by_name_without_regard_to_case_diacritics_or_spacing():
    table = importing.read_table("ds.xlsx", office_workbook())
    rows = importing.parse_rows(table, today=TODAY)
    snapshot = importing.AgencySnapshot(
        units={"PT-VP": importing.ExistingUnit("PT-VP", "VĂN  PHÒNG", None)},
        positions={
            "CVP": importing.ExistingPosition("CVP", "chanh van phong", False, False, False, False),
            "PCVP": importing.ExistingPosition("PCVP", "Phó Chánh Văn Phòng", False, False, False, False),
            "CVTH": importing.ExistingPosition("CVTH", "Chuyên viên tổng hợp", False, False, False, False),
        },
        agency_code="PT",
    )

    report = importing.plan_import(table, rows, snapshot)

    assert report.structure_changes == []
    assert [(row.values["unit"], row.values["position"]) for row in report.rows] == [("PT-VP", "CVP"), ("PT-VP", "PCVP"), ("PT-VP", "CVTH")]


def test_a_name_two_units_share_is_refused_on_the_row():
    table = importing.read_table("ds.xlsx", office_workbook())
    rows = importing.parse_rows(table, today=TODAY)
    snapshot = importing.AgencySnapshot(
        units={"A": importing.ExistingUnit("A", "Văn phòng", None), "B": importing.ExistingUnit("B", "Văn Phòng", "A")}, agency_code="PT"
    )

    report = importing.plan_import(table, rows, snapshot)

    assert {problem.code for row in report.rows for problem in row.problems} == {"unit_name_ambiguous"}
    assert report.error_rows == 3


def test_a_semicolon_csv_with_a_title_line_above_the_header_is_read():
    content = "DANH SÁCH CÁN BỘ, CÔNG CHỨC;;;;\r\nHọ tên;Mã CB;Đối tượng;Phòng ban;VTVL\r\nLê Văn Một;X1;Công chức;Văn phòng;Chuyên viên\r\n".encode()

    table = importing.read_table("ds.csv", content)

    assert (table.problems, table.header_row, table.rows) == (
        [],
        2,
        [(3, {"full_name": "Lê Văn Một", "code": "X1", "staff_type": "Công chức", "unit_name": "Văn phòng", "position_name": "Chuyên viên"})],
    )


def test_a_merged_range_over_the_whole_sheet_width_is_filled_only_where_cells_are():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"] = "DANH SÁCH"
    sheet.merge_cells("A1:XFD1")
    for column, header in enumerate(["Họ tên", "Mã CB", "Đối tượng", "Phòng ban", "VTVL"], start=1):
        sheet.cell(row=2, column=column, value=header)
        sheet.cell(row=3, column=column, value=["Lê Văn Một", "X1", "Công chức", "Văn phòng", "Chuyên viên"][column - 1])
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = importing.read_table("ds.xlsx", buffer.getvalue())

    assert (table.problems, table.header_row, len(table.rows)) == ([], 2, 1)


def test_a_person_without_a_staff_code_is_refused_on_the_row_with_the_reason():
    content = office_workbook(extra_rows=[[4, "Võ Văn Không Mã", None, "01/01/1990", "Nam", "Công chức", "Văn phòng", "Chuyên viên", "Chuyên viên"]])
    table = importing.read_table("ds.xlsx", content)
    rows = importing.parse_rows(table, today=TODAY)

    report = importing.plan_import(table, rows, importing.AgencySnapshot(agency_code="PT"))

    assert [(row.number, [(problem.code, problem.column) for problem in row.problems]) for row in report.rows if row.problems] == [
        (12, [("staff_code_missing", "Mã CB")])
    ]
    assert report.error_rows == 1


def test_section_headings_between_groups_are_skipped_and_a_person_with_only_a_name_is_not():
    workbook = Workbook()
    sheet = workbook.active
    for column, header in enumerate(["STT", "Họ tên", "Mã CB", "Đối tượng", "Phòng ban", "VTVL"], start=1):
        sheet.cell(row=1, column=column, value=header)
    sheet["A2"] = "I. VĂN PHÒNG"
    sheet.merge_cells("A2:F2")
    for column, value in enumerate([1, "Lê Văn Một", "X1", "Công chức", "Văn phòng", "Chuyên viên"], start=1):
        sheet.cell(row=3, column=column, value=value)
    sheet["B4"] = "II. Phòng Kinh tế"
    sheet["B5"] = "Trần Thị Chỉ Tên"
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = importing.read_table("ds.xlsx", buffer.getvalue())

    assert (table.section_rows, [number for number, _cells in table.rows]) == ([2, 4], [3, 5])
