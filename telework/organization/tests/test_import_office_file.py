"""The office's own file, end to end through the service, the command and the export: the 300-row sample imports
without editing, nothing in the structure changes without confirmation, a record's names are never overwritten,
and export → re-import changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from telework.core.models import AuditEvent
from telework.organization import importing, selectors
from telework.organization.models import Agency, Position, Staff, Unit
from telework.organization.services import ImportRefused, staff_import, staff_import_preview
from telework.organization.tests.factories import AgencyFactory, PositionFactory, StaffFactory, UnitFactory

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "staff_office_300.xlsx"

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(db: None) -> Agency:
    return AgencyFactory(code="BM", name="Ủy ban nhân dân phường Bến Mẫu", keeps_personal_data=True)


def structure(agency: Agency) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    return (
        sorted(Unit.objects.filter(agency=agency).values_list("code", "name")),
        sorted(Position.objects.filter(agency=agency).values_list("code", "name")),
    )


def test_the_office_sample_imports_without_editing_once_the_structure_is_confirmed(city, ward):
    result = staff_import(actor=city.home_affairs, agency=ward, file_name=SAMPLE.name, content=SAMPLE.read_bytes(), accept_structure=True)

    assert result.report.counts()["created"] == 300
    assert (result.report.error_rows, result.report.header_row, result.report.footer_row) == (0, 8, 315)
    assert result.report.section_rows == [10, 15, 86, 159, 234]  # "I. LÃNH ĐẠO UBND PHƯỜNG" ... "V. TRUNG TÂM ..."
    assert Staff.objects.filter(unit__agency=ward).count() == 300
    assert Unit.objects.filter(agency=ward).count() == 5
    chair = Staff.objects.get(code="BM0001")
    deputy_chair = Staff.objects.get(code="BM0002")
    chief_of_office = Staff.objects.get(code="BM0005")
    clerk = Staff.objects.get(code="BM0008")
    assert (chair.title, chair.is_leader, chair.is_deputy, chair.direct_superior) == ("Chủ tịch UBND phường", True, False, None)
    assert (deputy_chair.is_leader, deputy_chair.is_deputy, deputy_chair.direct_superior) == (True, True, chair)
    assert (chief_of_office.unit.name, chief_of_office.direct_superior) == ("Văn phòng HĐND và UBND", chair)
    assert (clerk.is_leader, clerk.direct_superior) == (False, chief_of_office)
    assert Staff.objects.filter(unit__agency=ward, direct_superior__isnull=True).count() == 1
    assert (chair.date_of_birth, chair.sex) == (dt.date(1992, 12, 17), "female")
    assert AuditEvent.objects.get(action="organization.import").after["proposed_superiors"] == 299


def test_structure_changes_without_confirmation_apply_nothing(city, ward):
    before = structure(ward)

    with pytest.raises(ImportRefused) as refused:
        staff_import(actor=city.home_affairs, agency=ward, file_name=SAMPLE.name, content=SAMPLE.read_bytes())

    assert refused.value.rule == "import_structure_confirmed"
    assert refused.value.params == {"structure_changes": 24}
    assert structure(ward) == before
    assert not Staff.objects.filter(unit__agency=ward).exists()
    assert not AuditEvent.objects.filter(action="organization.import").exists()


def test_an_existing_position_or_unit_name_is_never_overwritten_by_a_row(city, ward):
    unit = UnitFactory(agency=ward, code="BM-VP", name="Văn phòng")
    position = PositionFactory(agency=ward, code="CV", name="Chuyên viên")
    content = (
        "Mã cán bộ;Họ và tên;Loại cán bộ;Mã đơn vị;Tên đơn vị;Mã vị trí việc làm;Tên vị trí việc làm\r\n"
        "BM9001;Lê Văn Một;Công chức;BM-VP;Văn phòng UBND;CV;Chuyên viên chính\r\n"
    ).encode()

    with pytest.raises(ImportRefused) as refused:
        staff_import(actor=city.home_affairs, agency=ward, file_name="f.csv", content=content)
    assert refused.value.rule == "import_structure_confirmed"
    assert not Staff.objects.filter(code="BM9001").exists()

    result = staff_import(actor=city.home_affairs, agency=ward, file_name="f.csv", content=content, accept_structure=True)

    unit.refresh_from_db()
    position.refresh_from_db()
    assert (unit.name, position.name) == ("Văn phòng", "Chuyên viên")
    assert [(kind, plan.action, plan.name_in_file) for kind, plan in result.report.structure_changes] == [
        ("unit", importing.UNCHANGED, "Văn phòng UBND"),
        ("position", importing.UNCHANGED, "Chuyên viên chính"),
    ]
    assert Staff.objects.get(code="BM9001").position == position
    assert not AuditEvent.objects.filter(action__in=["unit.update", "position.update"]).exists()


def test_a_row_that_names_its_superior_is_not_given_a_proposal(city, ward):
    content = (
        "Mã cán bộ;Họ và tên;Loại cán bộ;Tên đơn vị;Tên vị trí việc làm;Chức vụ;Mã cấp trên trực tiếp\r\n"
        "BM1;Trần Trưởng;Công chức;Văn phòng;Chánh Văn phòng;Chánh Văn phòng;\r\n"
        "BM2;Lê Phó;Công chức;Văn phòng;Phó Chánh Văn phòng;Phó Chánh Văn phòng;\r\n"
        "BM3;Võ Viên;Công chức;Văn phòng;Chuyên viên;Chuyên viên;BM2\r\n"
    ).encode()

    report = staff_import_preview(actor=city.home_affairs, agency=ward, file_name="f.csv", content=content)

    assert [(row.code, row.values.get("direct_superior"), row.superior_proposed) for row in report.rows] == [
        ("BM1", None, False),
        ("BM2", "BM1", True),
        ("BM3", "BM2", False),
    ]


def test_a_superior_on_record_is_kept_when_the_row_names_none(city, ward):
    unit = UnitFactory(agency=ward, code="BM-VP", name="Văn phòng")
    position = PositionFactory(agency=ward, code="CV", name="Chuyên viên")
    StaffFactory(code="BM1", unit=unit, position=position, is_leader=True)  # the unit's head: the proposal would be them
    other = StaffFactory(code="BM2", unit=unit, position=position)
    StaffFactory(code="BM3", unit=unit, position=position, direct_superior=other, full_name="Võ Viên")
    content = (
        "Mã cán bộ;Họ và tên;Loại cán bộ;Mã đơn vị;Mã vị trí việc làm;Chức vụ;Mã cấp trên trực tiếp\r\nBM3;Võ Viên;Công chức;BM-VP;CV;Chuyên viên;\r\n"
    ).encode()

    report = staff_import_preview(actor=city.home_affairs, agency=ward, file_name="f.csv", content=content)

    assert report.rows[0].values["direct_superior"] == "BM2"
    assert "direct_superior" not in report.rows[0].changes


def test_export_then_reimport_changes_nothing(city, ward):
    staff_import(actor=city.home_affairs, agency=ward, file_name=SAMPLE.name, content=SAMPLE.read_bytes(), accept_structure=True)
    exported = importing.staff_list_workbook(
        agency_name=ward.name, rows=selectors.staff_export_rows(agency=ward), keeps_personal_data=True, today=dt.date(2026, 11, 18)
    )
    before = list(Staff.objects.filter(unit__agency=ward).order_by("code").values())

    result = staff_import(actor=city.home_affairs, agency=ward, file_name="export.xlsx", content=exported)

    assert result.report.counts()["unchanged"] == 300
    assert (result.report.error_rows, result.report.structure_changes, list(result.report.problems())) == (0, [], [])
    assert list(Staff.objects.filter(unit__agency=ward).order_by("code").values()) == before


def test_an_edited_export_reimports_only_the_edit(city, ward):
    from openpyxl import load_workbook

    staff_import(actor=city.home_affairs, agency=ward, file_name=SAMPLE.name, content=SAMPLE.read_bytes(), accept_structure=True)
    exported = importing.staff_list_workbook(
        agency_name=ward.name, rows=selectors.staff_export_rows(agency=ward), keeps_personal_data=True, today=dt.date(2026, 11, 18)
    )
    workbook = load_workbook(io.BytesIO(exported))  # the person on the first data row (row 8, under the header) is edited
    sheet = workbook.active
    headers = [cell.value for cell in sheet[7]]
    sheet.cell(row=8, column=headers.index("Điện thoại") + 1, value="0911222333")
    buffer = io.BytesIO()
    workbook.save(buffer)

    result = staff_import(actor=city.home_affairs, agency=ward, file_name="export.xlsx", content=buffer.getvalue())

    code = sheet.cell(row=8, column=2).value
    assert [(row.code, sorted(row.changes)) for row in result.report.rows if row.action == importing.UPDATE] == [(code, ["phone"])]
    assert result.report.counts()["unchanged"] == 299
    assert Staff.objects.get(code=code).phone == "0911222333"


def test_the_mapping_used_is_remembered_for_the_agency(city, ward):
    staff_import(
        actor=city.home_affairs,
        agency=ward,
        file_name=SAMPLE.name,
        content=SAMPLE.read_bytes(),
        accept_structure=True,
        mapping={"trinh do chuyen mon": ""},
    )

    ward.refresh_from_db()
    assert ward.import_mapping["trinh do chuyen mon"] == ""
    assert ward.import_mapping["phong bo phan"] == "unit_name"
    report = staff_import_preview(actor=city.home_affairs, agency=ward, file_name=SAMPLE.name, content=SAMPLE.read_bytes())
    assert report.needs_mapping is False


def command(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command("import_staff", *args, stdout=out)
    return out.getvalue()


def test_the_command_lists_structure_changes_and_changes_nothing_without_accept_structure(ward):
    out = io.StringIO()

    with pytest.raises(CommandError, match=r"changes the agency's structure.*--accept-structure.*\[import_structure_confirmed\]"), translation.override("en"):
        call_command("import_staff", str(SAMPLE), "--agency", "BM", "--valid-only", stdout=out)

    assert "New unit “Văn phòng HĐND và UBND” (code BM-DV02)." in out.getvalue()
    assert "New position “Chuyên viên một cửa” (code VT19)." in out.getvalue()
    assert (Unit.objects.filter(agency=ward).count(), Position.objects.filter(agency=ward).count(), Staff.objects.filter(unit__agency=ward).count()) == (
        0,
        0,
        0,
    )


def test_the_command_imports_the_office_sample_with_accept_structure(ward):
    output = command(str(SAMPLE), "--agency", "BM", "--valid-only", "--accept-structure")

    assert "300 rows: 300 to create, 0 to update, 0 unchanged, 0 refused" in output
    assert "The list ends at row 315" in output
    assert "a new one gets its code from the import" in output
    assert "299 direct superiors proposed from “Chức vụ” and the unit" in output
    assert Staff.objects.filter(unit__agency=ward).count() == 300


def test_a_proposal_never_closes_a_loop_of_superiors(city, ward):
    unit = UnitFactory(agency=ward, code="BM-VP", name="Văn phòng")
    position = PositionFactory(agency=ward, code="CV", name="Chuyên viên")
    # On record: the office's head answers (wrongly) to one of their own staff, who has no superior yet.
    staff = StaffFactory(code="BM2", unit=unit, position=position, full_name="Lê Viên")
    StaffFactory(code="BM1", unit=unit, position=position, is_leader=True, title="Chánh Văn phòng", direct_superior=staff)
    content = "Mã cán bộ;Họ và tên;Loại cán bộ;Mã đơn vị;Mã vị trí việc làm;Chức vụ\r\nBM2;Lê Viên;Công chức;BM-VP;CV;Chuyên viên\r\n".encode()

    report = staff_import_preview(actor=city.home_affairs, agency=ward, file_name="f.csv", content=content)

    assert (report.rows[0].superior_proposed, report.rows[0].values.get("direct_superior")) == (False, None)
