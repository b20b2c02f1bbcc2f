"""The monthly timesheet in Excel: the HR office's layout, one row per person, one column per day, totals."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telework.attendance import selectors, services
from telework.attendance.exports import timesheet_filename
from telework.attendance.tests.builders import publish_roster, record_leave
from telework.rosters.models import EntryStatus

pytestmark = pytest.mark.django_db

# December 2026: 23 working days (no public holiday); Monday 7 to Friday 11 is the week the tests fill.
MONDAY = dt.date(2026, 12, 7)
FIXED_COLUMNS = 4


@pytest.fixture
def december(city, clock):
    first, second = city.staff[:2]
    publish_roster(city.unit, MONDAY - dt.timedelta(days=7), {})  # 1–4 December: everyone at the office, nobody checked in
    publish_roster(city.unit, MONDAY, {first: EntryStatus.OFFICE, second: EntryStatus.OFFICE})
    clock.set(MONDAY, 7, 55)
    services.attendance_check_in(actor=first.user, mode="office")
    services.attendance_check_in(actor=second.user, mode="home")  # against the roster: flagged
    clock.set(MONDAY, 17, 25)
    services.attendance_check_out(actor=first.user)
    clock.set(MONDAY + dt.timedelta(days=1), 8, 0)
    services.attendance_check_in(actor=first.user, mode="home")  # never checked out
    record_leave(second, MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2), kind="sick")
    clock.set(MONDAY + dt.timedelta(days=2), 18, 0)
    return city


def workbook(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def row_of(sheet, code):
    for row in sheet.iter_rows(min_row=9):
        if row[2].value == code:
            return row
    raise AssertionError(f"no row for {code}")


def test_the_export_is_the_hr_offices_sheet(december, client):
    city = december
    client.force_login(city.hr)
    response = client.get(reverse("attendance:timesheet_export") + f"?unit={city.unit.pk}&month=2026-12")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="bang-cham-cong-phong-ke-hoach-2026-12.xlsx"'
    sheet = workbook(response)
    assert sheet["A1"].value == city.agency.name.upper()
    assert sheet["A2"].value == "Đơn vị: Phòng Kế hoạch"
    assert sheet["A4"].value == "BẢNG CHẤM CÔNG"
    assert sheet["A5"].value == "Tháng 12 năm 2026"
    assert [sheet.cell(row=7, column=column).value for column in range(1, 6)] == ["STT", "Họ và tên", "Mã cán bộ", "Vị trí việc làm", "Ngày trong tháng"]
    assert sheet.cell(row=8, column=FIXED_COLUMNS + 1).value == "1\nT3"  # 1 December 2026 is a Tuesday
    assert sheet.cell(row=8, column=FIXED_COLUMNS + 31).value == "31\nT5"
    totals = FIXED_COLUMNS + 32
    assert [sheet.cell(row=8, column=totals + offset).value for offset in range(5)] == [
        "Số ngày tại cơ quan (CQ)",
        "Số ngày tại nhà (TN)",
        "Số ngày nghỉ phép (P)",
        "Ngày làm việc không chấm công (—)",
        "Tổng số giờ làm việc",
    ]
    people = [row[2].value for row in sheet.iter_rows(min_row=9, max_row=18)]
    assert sorted(people) == sorted(member.code for member in [city.head, *city.staff, city.clerk])


def test_each_day_carries_the_letter_and_hours_and_the_totals_add_up(december, client):
    city = december
    client.force_login(city.head_user)
    sheet = workbook(client.get(reverse("attendance:timesheet_export") + f"?unit={city.unit.pk}&month=2026-12"))
    first = row_of(sheet, city.staff[0].code)
    day = lambda number: first[FIXED_COLUMNS + number - 1]  # noqa: E731
    assert day(7).value == "CQ\n9,5"
    assert day(8).value == "TN"  # no check-out: no hours, flagged
    assert day(8).fill.fgColor.rgb.endswith("FCE4D6")
    assert [day(number).value for number in (1, 2, 3, 4)] == ["—", "—", "—", "—"]
    assert day(5).value is None
    assert day(6).value is None
    assert day(5).fill.fgColor.rgb.endswith("E7E6E6")
    assert day(9).value is None  # today: not missing until the day is over
    assert day(10).value is None  # after today
    totals = [cell.value for cell in first[FIXED_COLUMNS + 31 : FIXED_COLUMNS + 36]]
    assert totals == [1, 1, 0, 4, 9.5]

    second = row_of(sheet, city.staff[1].code)
    assert second[FIXED_COLUMNS + 6].value == "TN"
    assert second[FIXED_COLUMNS + 6].fill.fgColor.rgb.endswith("FCE4D6")  # at home against the roster
    assert [second[FIXED_COLUMNS + 7].value, second[FIXED_COLUMNS + 8].value] == ["P", "P"]
    assert [cell.value for cell in second[FIXED_COLUMNS + 31 : FIXED_COLUMNS + 36]] == [0, 1, 2, 4, 0]  # 1–4 December without check-in; the 9th is leave


def test_the_sheet_ends_with_the_legend_and_the_signatures(december, client):
    city = december
    client.force_login(city.hr)
    sheet = workbook(client.get(reverse("attendance:timesheet_export") + f"?unit={city.unit.pk}&month=2026-12"))
    texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert "Ký hiệu chấm công:" in texts
    assert "CQ: làm việc tại cơ quan (kèm số giờ làm việc)" in texts
    assert "P: nghỉ phép hoặc đi công tác do thủ trưởng hoặc bộ phận tổ chức cán bộ ghi nhận" in texts
    assert any(text.endswith("Số ngày làm việc trong tháng: 23.") for text in texts)
    assert {"Người chấm công", "Phụ trách đơn vị", "Thủ trưởng cơ quan"} <= set(texts)
    assert sheet.page_setup.orientation == "landscape"


def test_a_public_holiday_is_marked_l(city, client, clock):
    publish_roster(city.unit, dt.date(2026, 9, 3), {})
    clock.set(dt.date(2026, 9, 30), 12, 0)
    client.force_login(city.head_user)
    sheet = workbook(client.get(reverse("attendance:timesheet_export") + f"?unit={city.unit.pk}&month=2026-09"))
    head = row_of(sheet, city.head.code)
    # 2 September (National Day, a Wednesday) and 1 September (the day before, a holiday too in 2026).
    assert head[FIXED_COLUMNS + 1].value == "L"
    assert head[FIXED_COLUMNS + 0].value == "L"
    assert head[FIXED_COLUMNS + 2].value == "—"  # 3 September: the roster expected the head, who did not check in
    assert head[FIXED_COLUMNS + 9].value is None  # 10 September: no published roster, so nothing is missing


def test_the_export_follows_the_scope(city, client):
    client.force_login(city.staff[0].user)
    assert client.get(reverse("attendance:timesheet_export") + f"?unit={city.unit.pk}&month=2026-12").status_code == 403
    client.force_login(city.hr)
    assert client.get(reverse("attendance:timesheet_export") + f"?unit={city.outsider.unit_id}&month=2026-12").status_code == 404


def test_days_without_a_published_roster_are_not_counted_missing(city, client, clock):
    clock.set(dt.date(2026, 12, 31), 12, 0)
    client.force_login(city.head_user)
    sheet = workbook(client.get(reverse("attendance:timesheet_export") + f"?unit={city.unit.pk}&month=2026-12"))
    head = row_of(sheet, city.head.code)
    assert {cell.value for cell in head[FIXED_COLUMNS : FIXED_COLUMNS + 31]} == {None}
    assert [cell.value for cell in head[FIXED_COLUMNS + 31 : FIXED_COLUMNS + 36]] == [0, 0, 0, 0, 0]


def test_the_filename_is_plain_ascii(city):
    city.unit.name = "Phòng Quản lý đô thị"
    sheet = selectors.Timesheet(unit=city.unit, month=dt.date(2026, 11, 1), days=[], holidays={}, rows=[], today=dt.date(2026, 11, 30))
    assert timesheet_filename(sheet) == "bang-cham-cong-phong-quan-ly-do-thi-2026-11.xlsx"
