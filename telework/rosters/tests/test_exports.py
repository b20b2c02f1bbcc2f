"""The notice-board exports: Excel with one sheet per unit-week, PDF in the same layout."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import translation
from openpyxl import load_workbook

from telework.demo.testing import next_monday
from telework.organization.tests.factories import PositionFactory, StaffFactory, UnitFactory
from telework.rosters.exports import export_filename, roster_pdf, roster_xlsx
from telework.rosters.models import LeaveKind
from telework.rosters.services import leave_record, roster_generate
from telework.rosters.tests.test_services import approve_home_days


def _values(sheet) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_excel_has_one_sheet_per_unit_week_with_every_staff_member_and_status(city):
    monday = next_monday()
    approve_home_days(city.staff[0], [monday, monday + dt.timedelta(days=2)])
    leave_record(staff=city.staff[1], starts_on=monday, ends_on=monday, kind=LeaveKind.ANNUAL, actor=city.head_user)
    roster = roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)
    other_unit = UnitFactory(agency=city.agency, name="Phòng Tổng hợp")
    StaffFactory(unit=other_unit, position=PositionFactory(agency=city.agency), is_leader=True, full_name="Đỗ Văn Lãnh Đạo")
    other = roster_generate(unit=other_unit, week_start=monday, actor=None)

    content = roster_xlsx([roster, other])

    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.sheetnames) == 2
    rows = _values(workbook.worksheets[0])
    flat = [str(value) for row in rows for value in row if value is not None]
    assert "LỊCH LÀM VIỆC TẠI CƠ QUAN / TẠI NHÀ" in flat
    assert city.agency.name.upper() in flat
    assert city.unit.name.upper() in flat
    assert "THỦ TRƯỞNG ĐƠN VỊ" in flat
    for member in [city.head, *city.staff, city.clerk]:
        assert member.full_name in flat
    row_of = {row[1]: row for row in rows if row[1]}
    assert row_of[city.staff[0].full_name][3:8] == ["Tại nhà", "Cơ quan", "Tại nhà", "Cơ quan", "Cơ quan"]
    assert row_of[city.staff[1].full_name][3] == "Nghỉ phép"
    assert row_of[city.clerk.full_name][3] == city.desk.name
    assert any("Đỗ Văn Lãnh Đạo" == value for row in _values(workbook.worksheets[1]) for value in row)


def test_pdf_is_a_pdf_in_the_same_layout(city):
    monday = next_monday()
    approve_home_days(city.staff[0], [monday])
    roster = roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)

    content = roster_pdf([roster])

    assert content.startswith(b"%PDF")
    assert len(content) > 5000


def test_english_export_and_a_readable_file_name(city):
    roster = roster_generate(unit=city.unit, week_start=next_monday(), actor=city.head_user)

    workbook = load_workbook(io.BytesIO(roster_xlsx([roster], language="en")))
    flat = [str(value) for row in _values(workbook.active) for value in row if value is not None]

    assert "WORK SCHEDULE AT THE OFFICE / AT HOME" in flat
    assert export_filename(roster, "xlsx") == f"lich-lam-viec-phong-ke-hoach-{roster.iso_week}-v1.xlsx"
    assert translation.get_language() is not None


def test_a_public_holiday_is_a_closed_column_named_in_vietnamese(city):
    import holidays

    from telework.core import calendar

    monday = next_monday()
    while all(calendar.is_working_day(monday + dt.timedelta(days=offset)) for offset in range(5)):
        monday += dt.timedelta(weeks=1)
    holiday = next(monday + dt.timedelta(days=offset) for offset in range(5) if not calendar.is_working_day(monday + dt.timedelta(days=offset)))
    roster = roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)

    workbook = load_workbook(io.BytesIO(roster_xlsx([roster])))

    rows = _values(workbook.active)
    header = next(row for row in rows if row[0] == "STT")
    column = next(index for index, heading in enumerate(header) if heading and f"{holiday:%d/%m}" in str(heading))
    assert str(holidays.country_holidays("VN", years=holiday.year, language="vi")[holiday]) in header[column]
    row_of = {row[1]: row for row in rows if row[1]}
    assert row_of[city.staff[0].full_name][column] == "Nghỉ lễ"
