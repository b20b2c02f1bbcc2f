"""The staff import: the HR layout read from .xlsx and .csv, row-by-row checks, all-or-nothing unless valid-only,
re-import without duplicates, one transaction with its audit rows, bounded queries on large files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook

from telework.core.exceptions import NotPermitted
from telework.core.models import AuditEvent
from telework.organization import importing
from telework.organization.models import Agency, Position, Staff, Unit
from telework.organization.services import ImportRefused, staff_import, staff_import_preview
from telework.organization.tests.factories import AgencyFactory

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TODAY = dt.date(2025, 11, 3)
HEADERS = [column.header for column in importing.COLUMNS]

# (code, full name, type, unit, position, leader, superior, phone, email, equipment, training) of staff_valid.*
EXPECTED_VALID = {
    (
        "MAU0001",
        "Nguyễn Văn An",
        "cong_chuc",
        "MAU-VP",
        "LD",
        True,
        None,
        "0902000001",
        "nvan@mau.gov.vn",
        ("computer", "internet", "phone"),
        dt.date(2025, 3, 15),
    ),
    (
        "MAU0002",
        "Trần Thị Bình",
        "cong_chuc",
        "MAU-VP",
        "CV-TH",
        False,
        "MAU0001",
        "0902000002",
        "ttbinh@mau.gov.vn",
        ("computer", "internet", "phone", "printer"),
        dt.date(2025, 3, 15),
    ),
    ("MAU0003", "Lê Hoàng Cường", "vien_chuc", "MAU-VP", "VT-TRUC", False, "MAU0001", "0902000003", "lhcuong@mau.gov.vn", ("phone",), None),
    ("MAU0004", "Phạm Thị Dung", "cong_chuc", "MAU-MC", "MC", False, "MAU0005", "0902000004", "ptdung@mau.gov.vn", ("computer", "phone"), None),
    (
        "MAU0005",
        "Hoàng Minh Đức",
        "cong_chuc",
        "MAU-MC",
        "LD",
        True,
        "MAU0001",
        "0902000005",
        "hmduc@mau.gov.vn",
        ("computer", "internet", "phone", "printer"),
        dt.date(2025, 4, 2),
    ),
    ("MAU0006", "Võ Thị Én", "cong_chuc", "MAU-MC", "MC", False, "MAU0005", "0902000006", "vten@mau.gov.vn", ("computer", "phone"), None),
    (
        "MAU0007",
        "Đặng Quốc Giang",
        "cong_chuc",
        "MAU-TCCB",
        "LD",
        True,
        None,
        "0902000007",
        "dqgiang@mau.gov.vn",
        ("computer", "internet", "phone", "printer"),
        dt.date(2025, 3, 15),
    ),
    (
        "MAU0008",
        "Bùi Thị Hạnh",
        "cong_chuc",
        "MAU-TCCB",
        "CV-TH",
        False,
        "MAU0007",
        "0902000008",
        "bthanh@mau.gov.vn",
        ("computer", "internet", "phone", "printer"),
        dt.date(2025, 3, 15),
    ),
    ("MAU0009", "Đỗ Văn Khánh", "nguoi_lao_dong", "MAU-TCCB", "CV-TH", False, "MAU0007", "", "", ("computer", "internet", "phone"), None),
    (
        "MAU0010",
        "Ngô Thị Lan",
        "cong_chuc",
        "MAU-CCHC",
        "LD",
        True,
        None,
        "0902000010",
        "ntlan@mau.gov.vn",
        ("computer", "internet", "phone", "printer"),
        dt.date(2025, 3, 15),
    ),
    (
        "MAU0011",
        "Dương Văn Minh",
        "vien_chuc",
        "MAU-CCHC",
        "CV-TCD",
        False,
        "MAU0010",
        "0902000011",
        "dvminh@mau.gov.vn",
        ("computer", "internet", "phone", "printer"),
        dt.date(2025, 5, 20),
    ),
    (
        "MAU0012",
        "Lý Thị Ngọc",
        "cong_chuc",
        "MAU-CCHC",
        "CV-TH",
        False,
        "MAU0010",
        "0902000012",
        "ltngoc@mau.gov.vn",
        ("computer", "internet", "phone", "printer"),
        None,
    ),
}


def staff_table(agency: Agency) -> set[tuple[object, ...]]:
    return {
        (
            staff.code,
            staff.full_name,
            staff.staff_type,
            staff.unit.code,
            staff.position.code,
            staff.is_leader,
            staff.direct_superior.code if staff.direct_superior else None,
            staff.phone,
            staff.email,
            tuple(sorted(staff.equipment)),
            staff.training_completed_on,
        )
        for staff in Staff.objects.filter(unit__agency=agency).select_related("unit", "position", "direct_superior")
    }


def csv_bytes(rows: list[list[str]], *, headers: list[str] | None = None, separator: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(headers or HEADERS)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode("utf-8")


def row(code: str, name: str = "Nguyễn Văn Thử", **values: str) -> list[str]:
    """A CSV row in the template's column order; unspecified cells get valid defaults."""
    defaults = {
        "staff_type": "Công chức",
        "unit_code": "T-VP",
        "unit_name": "Văn phòng",
        "parent_unit_code": "",
        "position_code": "CV",
        "position_name": "Chuyên viên",
        "faces_citizens": "Không",
        "handles_dossiers": "Không",
        "is_one_stop_desk": "Không",
        "is_duty_post": "Không",
        "is_leader": "Không",
        "superior_code": "",
        "phone": "",
        "email": "",
        "equipment": "Điện thoại, Máy tính, Internet",
        "training_completed_on": "",
        "title": "",
        "date_of_birth": "",
        "sex": "",
    }
    defaults.update(values)
    cells = {"code": code, "full_name": name, **defaults}
    return [cells[column.key] for column in importing.COLUMNS]


@pytest.fixture
def agency(db: None) -> Agency:
    return AgencyFactory(code="MAU", name="Sở Mẫu")


def run(actor: object, agency: Agency, name: str, content: bytes, **kwargs: object):  # type: ignore[no-untyped-def]
    kwargs.setdefault("accept_structure", True)
    return staff_import(actor=actor, agency=agency, file_name=name, content=content, today=TODAY, **kwargs)  # type: ignore[arg-type]


# --- Valid files ------------------------------------------------------------------------------------------------


def test_valid_xlsx_creates_exactly_the_rows(city, agency):
    result = run(city.home_affairs, agency, "staff_valid.xlsx", (SAMPLES / "staff_valid.xlsx").read_bytes())

    assert staff_table(agency) == EXPECTED_VALID
    assert result.report.header_row == 2  # a title row sits above the headers
    assert result.report.counts() == {
        "rows": 12,
        "created": 12,
        "updated": 0,
        "unchanged": 0,
        "refused": 0,
        "warnings": 1,
        "units_created": 4,
        "units_updated": 0,
        "positions_created": 5,
        "positions_updated": 0,
    }
    units = {unit.code: unit for unit in Unit.objects.filter(agency=agency)}
    assert sorted(units) == ["MAU-CCHC", "MAU-MC", "MAU-TCCB", "MAU-VP"]
    assert units["MAU-MC"].parent == units["MAU-VP"]
    assert units["MAU-MC"].path == f"/{units['MAU-VP'].pk}/{units['MAU-MC'].pk}/"
    assert units["MAU-VP"].path == f"/{units['MAU-VP'].pk}/"
    flags = {
        position.code: (position.faces_citizens, position.handles_dossiers, position.is_one_stop_desk, position.is_duty_post)
        for position in Position.objects.filter(agency=agency)
    }
    assert flags == {
        "CV-TCD": (True, False, False, False),
        "CV-TH": (False, False, False, False),
        "LD": (False, False, False, False),
        "MC": (True, True, True, False),
        "VT-TRUC": (False, False, False, True),
    }


def test_a_phone_number_typed_as_a_number_gets_its_leading_zero_back_with_a_warning(city, agency):
    report = staff_import_preview(
        actor=city.home_affairs, agency=agency, file_name="staff_valid.xlsx", content=(SAMPLES / "staff_valid.xlsx").read_bytes(), today=TODAY
    )

    warned = [(row.number, row.code, [(problem.code, problem.column) for problem in row.problems]) for row in report.rows if row.problems]
    assert warned == [(5, "MAU0003", [("phone_leading_zero", "Điện thoại")])]


def test_valid_csv_with_bom_and_semicolons_creates_the_same_rows(city, agency):
    result = run(city.home_affairs, agency, "staff_valid.csv", (SAMPLES / "staff_valid.csv").read_bytes())

    assert staff_table(agency) == EXPECTED_VALID
    assert result.report.header_row == 1
    assert result.report.count(importing.CREATE) == 12


def test_preview_writes_nothing(city, agency):
    report = staff_import_preview(
        actor=city.home_affairs, agency=agency, file_name="staff_valid.xlsx", content=(SAMPLES / "staff_valid.xlsx").read_bytes(), today=TODAY
    )

    assert report.count(importing.CREATE) == 12
    assert Staff.objects.filter(unit__agency=agency).count() == 0
    assert Unit.objects.filter(agency=agency).count() == 0
    assert not AuditEvent.objects.filter(action="organization.import").exists()


# --- Re-import ----------------------------------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing_and_reports_unchanged(city, agency):
    content = (SAMPLES / "staff_valid.xlsx").read_bytes()
    run(city.home_affairs, agency, "staff_valid.xlsx", content)
    staff_before = Staff.objects.count()
    units_before = Unit.objects.count()
    staff_events_before = AuditEvent.objects.filter(action__in=["staff.create", "staff.update"]).count()

    again = run(city.home_affairs, agency, "staff_valid.xlsx", content)

    assert again.report.count(importing.UNCHANGED) == 12
    assert again.report.count(importing.CREATE) == again.report.count(importing.UPDATE) == 0
    assert Staff.objects.count() == staff_before
    assert Unit.objects.count() == units_before
    assert AuditEvent.objects.filter(action__in=["staff.create", "staff.update"]).count() == staff_events_before


def test_reimport_updates_changed_rows_matched_by_code_and_never_duplicates(city, agency):
    run(city.home_affairs, agency, "v1.xlsx", (SAMPLES / "staff_valid.xlsx").read_bytes())
    dung = Staff.objects.get(code="MAU0004")
    text = (SAMPLES / "staff_valid.csv").read_bytes().decode("utf-8-sig")
    text = text.replace("MAU0004;Phạm Thị Dung;Công chức;MAU-MC;Bộ phận một cửa;MAU-VP;", "MAU0004;Phạm Thị Dung;Viên chức;MAU-TCCB;Phòng Tổ chức cán bộ;;")
    text = text.replace("0902000004;ptdung@mau.gov.vn;Điện thoại, Máy tính;", "0902999004;ptdung@mau.gov.vn;Điện thoại, Máy tính, Máy in, Internet;")
    text = text.replace("MAU-MC;Bộ phận một cửa;MAU-VP;LD", "MAU-MC;Bộ phận Tiếp nhận;MAU-VP;LD")

    result = run(city.home_affairs, agency, "v2.csv", text.encode())

    assert Staff.objects.filter(code="MAU0004").count() == 1
    assert Staff.objects.filter(unit__agency=agency).count() == 12
    dung.refresh_from_db()
    assert (dung.pk, dung.staff_type, dung.unit.code, dung.phone, sorted(dung.equipment)) == (
        Staff.objects.get(code="MAU0004").pk,
        "vien_chuc",
        "MAU-TCCB",
        "0902999004",
        ["computer", "internet", "phone", "printer"],
    )
    updated = [(row.code, sorted(row.changes)) for row in result.report.rows if row.action == importing.UPDATE]
    assert updated == [("MAU0004", ["equipment", "phone", "staff_type", "unit"])]
    # A row never renames a unit: the other name is listed among the structure changes, the record's name stays.
    assert [(plan.code, plan.action, plan.name_in_file) for plan in result.report.units if plan.needs_confirmation] == [
        ("MAU-MC", importing.UNCHANGED, "Bộ phận Tiếp nhận")
    ]
    assert Unit.objects.get(code="MAU-MC").name == "Bộ phận một cửa"
    event = AuditEvent.objects.get(action="staff.update", object_id=str(dung.pk))
    assert event.before == {"staff_type": "cong_chuc", "unit": "MAU-MC", "phone": "0902000004", "equipment": ["computer", "phone"]}
    assert event.after == {"staff_type": "vien_chuc", "unit": "MAU-TCCB", "phone": "0902999004", "equipment": ["computer", "internet", "phone", "printer"]}


def test_a_column_left_out_of_the_file_leaves_the_field_as_it_is(city, agency):
    run(city.home_affairs, agency, "v1.xlsx", (SAMPLES / "staff_valid.xlsx").read_bytes())
    headers = ["Mã cán bộ", "Họ và tên", "Loại cán bộ", "Mã đơn vị", "Mã vị trí việc làm"]

    result = run(city.home_affairs, agency, "names.csv", csv_bytes([["MAU0002", "Trần Thị Bình", "Công chức", "MAU-VP", "CV-TH"]], headers=headers))

    assert result.report.rows[0].action == importing.UNCHANGED
    binh = Staff.objects.get(code="MAU0002")
    assert (binh.phone, binh.email, binh.direct_superior.code if binh.direct_superior else None) == ("0902000002", "ttbinh@mau.gov.vn", "MAU0001")


# --- Files with errors --------------------------------------------------------------------------------------------


def test_a_file_with_bad_rows_imports_nothing_and_the_report_names_row_and_column(city, agency):
    staff_before, units_before, positions_before, events_before = (
        Staff.objects.count(),
        Unit.objects.count(),
        Position.objects.count(),
        AuditEvent.objects.count(),
    )

    with pytest.raises(ImportRefused) as refused:
        run(city.home_affairs, agency, "staff_errors.xlsx", (SAMPLES / "staff_errors.xlsx").read_bytes())

    assert refused.value.rule == "import_all_rows_valid"
    assert refused.value.params == {"rows_with_errors": 9, "valid_rows": 3}
    problems = [(problem.row, problem.column, problem.code, problem.severity) for problem in refused.value.report.problems()]
    assert problems == [
        (3, "Họ và tên", "required", "error"),
        (4, "Loại cán bộ", "unknown_staff_type", "error"),
        (5, "Email", "bad_email", "error"),
        (6, "Điện thoại", "bad_phone", "error"),
        (7, "Ngày hoàn thành tập huấn", "bad_date", "error"),
        (8, "Mã cấp trên trực tiếp", "superior_not_found", "error"),
        (9, "Mã đơn vị cấp trên", "parent_unit_not_found", "error"),
        (10, "Mã cán bộ", "duplicate_code", "error"),
        (11, "Mã cán bộ", "duplicate_code", "error"),
        (12, "Mã cấp trên trực tiếp", "superior_row_refused", "warning"),
    ]
    assert refused.value.details[0]["row"] == 3
    assert refused.value.details[0]["column"] == "Họ và tên"
    assert (Staff.objects.count(), Unit.objects.count(), Position.objects.count(), AuditEvent.objects.count()) == (
        staff_before,
        units_before,
        positions_before,
        events_before,
    )


def test_messages_are_in_vietnamese_with_the_value_quoted(city, agency):
    from django.utils import translation

    report = staff_import_preview(actor=city.home_affairs, agency=agency, file_name="e.xlsx", content=(SAMPLES / "staff_errors.xlsx").read_bytes(), today=TODAY)
    email_problem = report.rows[3].problems[0]

    with translation.override("vi"):
        assert email_problem.text() == "“mvson@” không phải là địa chỉ email hợp lệ."


def test_valid_only_imports_the_valid_rows_and_links_nobody_to_a_refused_superior(city, agency):
    result = run(city.home_affairs, agency, "staff_errors.xlsx", (SAMPLES / "staff_errors.xlsx").read_bytes(), valid_only=True)

    assert sorted(Staff.objects.filter(unit__agency=agency).values_list("code", flat=True)) == ["MAU0101", "MAU0110", "MAU0111"]
    assert Staff.objects.get(code="MAU0110").direct_superior is None
    assert sorted(Unit.objects.filter(agency=agency).values_list("code", flat=True)) == ["MAU-VP"]
    assert result.report.counts()["refused"] == 9
    summary = AuditEvent.objects.get(action="organization.import")
    assert (summary.after["created"], summary.after["refused"], summary.after["valid_only"]) == (3, 9, True)


def test_a_superior_refused_in_the_file_but_already_on_file_stays_linked(city, agency):
    run(city.home_affairs, agency, "v1.xlsx", (SAMPLES / "staff_valid.xlsx").read_bytes())
    rows = [
        row("MAU0001", "Nguyễn Văn An", email="sai@", unit_code="MAU-VP", position_code="LD"),
        row("MAU0020", "Người Mới", superior_code="MAU0001", unit_code="MAU-VP", position_code="CV-TH"),
    ]

    run(city.home_affairs, agency, "f.csv", csv_bytes(rows), valid_only=True)

    assert Staff.objects.get(code="MAU0020").direct_superior == Staff.objects.get(code="MAU0001")


def test_a_staff_code_of_another_agency_is_refused_and_changes_nothing(city, agency):
    outsider = city.outsider
    before = (outsider.full_name, outsider.unit_id)

    with pytest.raises(ImportRefused) as refused:
        run(city.home_affairs, agency, "f.csv", csv_bytes([row(outsider.code, "Tên Khác")]))

    problem = refused.value.report.rows[0].problems[0]
    assert (problem.code, problem.column, problem.params["agency"]) == ("staff_in_other_agency", "Mã cán bộ", outsider.unit.agency.name)
    outsider.refresh_from_db()
    assert (outsider.full_name, outsider.unit_id) == before
    assert not Staff.objects.filter(unit__agency=agency).exists()


def test_a_unit_code_of_another_agency_is_refused(city, agency):
    with pytest.raises(ImportRefused) as refused:
        run(city.home_affairs, agency, "f.csv", csv_bytes([row("T1", unit_code=city.unit.code), row("T2", unit_code=city.unit.code)]))

    codes = [[problem.code for problem in report.problems] for report in refused.value.report.rows]
    assert codes == [["unit_in_other_agency"], ["unit_refused"]]


@pytest.mark.parametrize(
    ("values", "code", "column"),
    [
        ({"superior_code": "T1"}, "own_superior", "Mã cấp trên trực tiếp"),
        ({"unit_code": "T-NEW", "unit_name": ""}, "unit_name_required", "Tên đơn vị"),
        ({"position_code": "P-NEW", "position_name": ""}, "position_name_required", "Tên vị trí việc làm"),
        ({"parent_unit_code": "T-VP"}, "unit_own_parent", "Mã đơn vị cấp trên"),
        ({"faces_citizens": "Có lẽ"}, "bad_flag", "Tiếp công dân"),
        ({"equipment": "Điện thoại, Máy fax"}, "unknown_equipment", "Thiết bị"),
        ({"training_completed_on": "01/01/2030"}, "future_date", "Ngày hoàn thành tập huấn"),
        ({"staff_type": ""}, "required", "Loại cán bộ"),
        ({"unit_code": "T VP"}, "bad_code", "Mã đơn vị"),
    ],
)
def test_each_row_problem_names_its_column(city, agency, values, code, column):
    report = staff_import_preview(actor=city.home_affairs, agency=agency, file_name="f.csv", content=csv_bytes([row("T1", **values)]), today=TODAY)

    assert [(problem.code, problem.column, problem.row) for problem in report.rows[0].problems] == [(code, column, 2)]
    assert report.rows[0].action == importing.REFUSED


def test_a_loop_of_direct_superiors_is_refused(city, agency):
    report = staff_import_preview(
        actor=city.home_affairs,
        agency=agency,
        file_name="f.csv",
        content=csv_bytes([row("T1", superior_code="T2"), row("T2", superior_code="T1"), row("T3", superior_code="T1")]),
        today=TODAY,
    )

    assert [(row.code, [problem.code for problem in row.problems]) for row in report.rows] == [
        ("T1", ["superior_loop"]),
        ("T2", ["superior_loop"]),
        ("T3", ["superior_row_refused"]),
    ]


def test_a_loop_of_parent_units_is_refused(city, agency):
    rows = [row("T1", unit_code="U-A", unit_name="A", parent_unit_code="U-B"), row("T2", unit_code="U-B", unit_name="B", parent_unit_code="U-A")]

    report = staff_import_preview(actor=city.home_affairs, agency=agency, file_name="f.csv", content=csv_bytes(rows), today=TODAY)

    assert [[problem.code for problem in row.problems] for row in report.rows] == [["unit_loop"], ["unit_loop"]]


def test_a_position_flagged_differently_on_two_rows_refuses_the_second_row(city, agency):
    rows = [
        row("T1", position_code="MC", position_name="Một cửa", faces_citizens="Có"),
        row("T2", position_code="MC", position_name="Một cửa", faces_citizens="Không"),
    ]

    report = staff_import_preview(actor=city.home_affairs, agency=agency, file_name="f.csv", content=csv_bytes(rows), today=TODAY)

    assert [row.action for row in report.rows] == [importing.CREATE, importing.REFUSED]
    problem = report.rows[1].problems[0]
    assert (problem.code, problem.column, problem.params["row"]) == ("conflicting_definition", "Tiếp công dân", 2)


def test_a_new_position_without_any_flag_is_imported_with_a_warning(city, agency):
    rows = [row("T1", faces_citizens="", handles_dossiers="", is_one_stop_desk="", is_duty_post="")]

    result = run(city.home_affairs, agency, "f.csv", csv_bytes(rows))

    assert [problem.code for problem in result.report.rows[0].problems] == ["position_flags_missing"]
    position = Position.objects.get(agency=agency, code="CV")
    assert (position.faces_citizens, position.handles_dossiers, position.is_one_stop_desk, position.is_duty_post) == (False, False, False, False)


def test_an_empty_file_and_an_unknown_layout_are_refused_as_a_whole(city, agency):
    with pytest.raises(ImportRefused) as no_header:
        run(city.home_affairs, agency, "f.csv", "Tên;Tuổi\r\nAn;30\r\n".encode())
    with pytest.raises(ImportRefused) as missing:
        run(city.home_affairs, agency, "f.csv", csv_bytes([], headers=["Mã cán bộ", "Họ và tên"]))
    with pytest.raises(ImportRefused) as utf16:
        run(city.home_affairs, agency, "f.csv", "Mã cán bộ\tHọ và tên\r\n".encode("utf-16"))

    assert [no_header.value.rule, missing.value.rule, utf16.value.rule] == ["import_file_readable"] * 3
    assert [no_header.value.report.file_problems[0].code, missing.value.report.file_problems[0].code, utf16.value.report.file_problems[0].code] == [
        "no_header",
        "missing_column",
        "encoding",
    ]
    assert missing.value.report.file_problems[0].params == {"columns": "Loại cán bộ, Mã đơn vị / Tên đơn vị, Mã vị trí việc làm / Tên vị trí việc làm"}
    assert not Staff.objects.filter(unit__agency=agency).exists()


# --- Headers, diacritics, dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code_header",
    ["Mã cán bộ", "MÃ CÁN BỘ", "ma can bo", "  Mã   cán  bộ ", "Ma_can_bo", "Mã CB", unicodedata.normalize("NFD", "Mã cán bộ")],
)
def test_header_variants_are_accepted(city, agency, code_header):
    headers = [code_header, "HỌ VÀ TÊN", "loai can bo", "Mã đơn vị", "Tên đơn vị", "Mã vị trí việc làm", "Tên vị trí việc làm"]

    result = run(city.home_affairs, agency, "f.csv", csv_bytes([["T1", "Lê Thị Hoa", "Viên chức", "T-VP", "Văn phòng", "CV", "Chuyên viên"]], headers=headers))

    assert result.report.count(importing.CREATE) == 1
    assert Staff.objects.get(code="T1").staff_type == "vien_chuc"


def test_decomposed_diacritics_are_stored_composed_and_dates_parsed_in_every_form(city, agency):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
    rows = [
        row("T1", decomposed, training_completed_on="5/3/2025"),
        row("T2", training_completed_on="05.03.2025"),
        row("T3", training_completed_on="2025-03-05"),
        row("T4", training_completed_on="05/03/2025 00:00:00"),
    ]

    run(city.home_affairs, agency, "f.csv", csv_bytes(rows))

    assert Staff.objects.get(code="T1").full_name == "Nguyễn Thị Ánh Tuyết"
    assert set(Staff.objects.filter(code__in=["T1", "T2", "T3", "T4"]).values_list("training_completed_on", flat=True)) == {dt.date(2025, 3, 5)}


def test_real_excel_dates_and_serial_numbers_are_read_as_dates(city, agency):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    base = ["Công chức", "T-VP", "Văn phòng", "", "CV", "Chuyên viên", "Không", "Không", "Không", "Không", "Không", "", "", "", ""]
    sheet.append(["T1", "Lê Văn Một", *base, dt.datetime(2025, 3, 5)])
    sheet.append(["T2", "Lê Văn Hai", *base, 45721])  # the serial number of 05/03/2025, in a cell without a date format
    buffer = io.BytesIO()
    workbook.save(buffer)

    run(city.home_affairs, agency, "f.xlsx", buffer.getvalue())

    assert list(Staff.objects.filter(code__in=["T1", "T2"]).order_by("code").values_list("training_completed_on", flat=True)) == [dt.date(2025, 3, 5)] * 2


def test_yes_no_flags_accept_x_1_and_0(city, agency):
    rows = [
        row("T1", position_code="A", position_name="A", faces_citizens="x", handles_dossiers="1", is_one_stop_desk="0", is_duty_post="KHÔNG", is_leader="có")
    ]

    run(city.home_affairs, agency, "f.csv", csv_bytes(rows))

    position = Position.objects.get(agency=agency, code="A")
    assert (position.faces_citizens, position.handles_dossiers, position.is_one_stop_desk, position.is_duty_post) == (True, True, False, False)
    assert Staff.objects.get(code="T1").is_leader is True


def test_phone_numbers_are_normalised(city, agency):
    rows = [row("T1", phone="+84 902 000 001"), row("T2", phone="0283.829.1234"), row("T3", phone="(+84)902-000-003")]

    run(city.home_affairs, agency, "f.csv", csv_bytes(rows, separator=";"))

    assert dict(Staff.objects.filter(code__in=["T1", "T2", "T3"]).values_list("code", "phone")) == {"T1": "0902000001", "T2": "02838291234", "T3": "0902000003"}


# --- Permission and audit --------------------------------------------------------------------------------------------


def test_a_unit_head_cannot_import(city):
    staff_before = Staff.objects.count()

    with pytest.raises(NotPermitted):
        run(city.head_user, city.agency, "f.csv", csv_bytes([row("T1")]))

    assert Staff.objects.count() == staff_before


def test_agency_hr_cannot_import_into_another_agency(city):
    staff_before = Staff.objects.count()

    with pytest.raises(NotPermitted) as refused:
        run(city.hr, city.other_agency, "f.csv", csv_bytes([row("T1")]))

    assert refused.value.rule == "can_manage_organisation"
    assert Staff.objects.count() == staff_before
    assert not AuditEvent.objects.filter(action="organization.import").exists()


def test_agency_hr_imports_into_their_own_agency(city):
    result = run(city.hr, city.agency, "f.csv", csv_bytes([row("T1")]))

    assert Staff.objects.get(code="T1").unit.agency == city.agency
    assert result.audit_event.actor == city.hr


def test_an_import_is_audited_once_with_counts_and_once_per_change(city, agency):
    result = run(city.home_affairs, agency, "staff_valid.xlsx", (SAMPLES / "staff_valid.xlsx").read_bytes())

    summary = result.audit_event
    assert (summary.action, summary.object_type, summary.object_id, summary.agency_id, summary.actor) == (
        "organization.import",
        "organization.agency",
        str(agency.pk),
        agency.pk,
        city.home_affairs,
    )
    assert {key: summary.after[key] for key in ("rows", "created", "updated", "refused", "units_created", "positions_created", "file")} == {
        "rows": 12,
        "created": 12,
        "updated": 0,
        "refused": 0,
        "units_created": 4,
        "positions_created": 5,
        "file": "staff_valid.xlsx",
    }
    per_object = AuditEvent.objects.exclude(pk=summary.pk).filter(agency_id=agency.pk)
    assert set(per_object.values_list("action", flat=True)) == {"position.create", "staff.create", "unit.create", "account.create"}
    assert per_object.filter(action="staff.create").count() == 12
    an = per_object.get(action="staff.create", object_id=str(Staff.objects.get(code="MAU0002").pk))
    assert (an.before, an.after["direct_superior"], an.after["unit"], an.after["training_completed_on"]) == (None, "MAU0001", "MAU-VP", "2025-03-15")
    assert str(summary.pk) in an.reason


# --- Large files -----------------------------------------------------------------------------------------------------


def big_file(count: int, *, units: int) -> bytes:
    rows = []
    for index in range(count):
        unit = index % units
        leader = index < units
        rows.append(
            row(
                f"B{index:05d}",
                f"Nguyễn Văn Số {index}",
                unit_code=f"BU{unit:03d}",
                unit_name=f"Phòng {unit}",
                parent_unit_code="" if unit % 10 == 0 else f"BU{unit // 10 * 10:03d}",
                position_code=f"P{index % 7}",
                position_name=f"Vị trí {index % 7}",
                is_leader="Có" if leader else "Không",
                superior_code="" if leader else f"B{unit:05d}",
                phone=f"09{index:08d}",
                email=f"b{index}@example.gov.vn",
                training_completed_on="15/03/2025",
            )
        )
    return csv_bytes(rows)


def test_a_large_import_runs_in_a_bounded_number_of_queries(city, agency, django_assert_max_num_queries):
    content = big_file(3000, units=150)

    # SQLite binds at most 999 parameters per statement, so inserts go in batches of a few dozen rows:
    # about 110 queries in all for 3,000 staff and their audit rows, and about 85 more for their 3,000 new accounts
    # and their audit rows (telework.organization.accounts). A query per row would be over 3,000. Audit rows carry their
    # hash chain (two more columns, so smaller batches on SQLite, and one read of the chain's head per batch).
    with django_assert_max_num_queries(245):
        result = run(city.home_affairs, agency, "big.csv", content)

    assert result.report.count(importing.CREATE) == 3000
    assert Staff.objects.filter(unit__agency=agency).count() == 3000
    assert Staff.objects.get(code="B00151").direct_superior.code == "B00001"
    assert Unit.objects.get(code="BU011").path == f"/{Unit.objects.get(code='BU010').pk}/{Unit.objects.get(code='BU011').pk}/"

    with django_assert_max_num_queries(20):
        again = run(city.home_affairs, agency, "big.csv", content)
    assert again.report.count(importing.UNCHANGED) == 3000
