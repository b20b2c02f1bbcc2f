"""A head corrects a forgotten check-out from the live board in a real browser (desktop and phone width); the person
then reads who corrected the day and why on their attendance page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.attendance import services
from telework.attendance.models import CheckIn, CheckInCorrection
from telework.attendance.tests.builders import at, publish_roster
from telework.core.models import Notification
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.rosters.models import EntryStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY = dt.date(2026, 12, 7)


def test_a_head_corrects_a_missing_check_out_from_the_board(page, browser_problems, clock):
    city = build_city()
    member = city.staff[0]
    publish_roster(city.unit, MONDAY, {member: EntryStatus.OFFICE})
    clock.set(MONDAY, 7, 45)
    services.attendance_check_in(actor=member.user, mode="office")
    clock.set(MONDAY + dt.timedelta(days=1), 8, 15)

    login(page, city.head.code)
    page.goto(reverse("attendance:board") + f"?unit={city.unit.pk}&day={MONDAY.isoformat()}")
    row = page.locator(f"#board-table tr[data-staff='{member.code}']")
    row.wait_for()
    with page.expect_navigation():
        row.locator("a[data-correct]").click()
    page.wait_for_selector("#correction-current[data-checked-in=yes]")
    assert page.locator("#id_checked_in").input_value() == "07:45"
    assert page.locator("#id_checked_out").input_value() == ""
    page.fill("#id_checked_out", "17:05")
    page.fill("#id_reason", "Quên chấm công ra, đã xác nhận với trưởng phòng")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    with page.expect_navigation():
        page.click("#correction-save")

    # Back on the board of that day, the row says who corrected it and why.
    row = page.locator(f"#board-table tr[data-staff='{member.code}']")
    row.wait_for()
    assert row.get_attribute("data-state") == "checked_out"
    assert f"Sửa bởi {city.head.full_name}: Quên chấm công ra, đã xác nhận với trưởng phòng" in row.inner_text()
    check_in = CheckIn.objects.get(staff=member, day=MONDAY)
    assert (check_in.checked_in_at, check_in.checked_out_at) == (at(MONDAY, 7, 45), at(MONDAY, 17, 5))
    correction = CheckInCorrection.objects.get()
    assert (correction.checked_out_at_before, correction.corrected_by) == (None, city.head.user)
    assert Notification.objects.filter(user=member.user, key=f"attendance:correction:{correction.pk}").count() == 1
    assert browser_problems == []
