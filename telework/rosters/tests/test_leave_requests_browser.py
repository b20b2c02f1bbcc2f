"""Leave in a real browser (desktop and phone width): a staff member asks for two days, their head approves from the
unit's leave page, and the published roster of the week shows those days as leave."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.attendance.tests.builders import publish_roster
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.rosters.models import LeaveRequest, LeaveRequestStatus, RosterEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY = dt.date(2026, 12, 7)  # ISO week 2026-W50, after the suite's clock (18/11/2026)


def test_staff_request_leave_the_head_approves_and_the_roster_shows_it(page, browser_problems, live_server):
    city = build_city()
    member = city.staff[0]
    roster = publish_roster(city.unit, MONDAY, {})
    tuesday, wednesday = MONDAY + dt.timedelta(days=1), MONDAY + dt.timedelta(days=2)

    login(page, member.code, next_url=reverse("rosters:leave_mine"))
    page.wait_for_selector("#leave-request-form")
    page.select_option("#id_kind", "annual")
    page.fill("#id_starts_on", tuesday.isoformat())
    page.fill("#id_ends_on", wednesday.isoformat())
    page.fill("#id_note", "Đưa con đi khám")
    with page.expect_navigation():
        page.click("#leave-request-send")
    request = LeaveRequest.objects.get()
    item = page.locator(f"#my-leave-requests [data-leave-request='{request.pk}']")
    assert item.get_attribute("data-status") == "requested"
    assert "2 ngày làm việc" in item.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # The head, in their own browser, approves from the unit's leave page.
    head = page.context.browser.new_context(base_url=live_server.url, viewport=page.viewport_size, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    head_page = head.new_page()
    head_page.on("pageerror", lambda error: browser_problems.append(f"JavaScript error: {error}"))
    login(head_page, city.head.code)
    head_page.goto(f"{reverse('rosters:leave')}?unit={city.unit.pk}")
    waiting = head_page.locator(f"#leave-requests-waiting [data-leave-request='{request.pk}']")
    assert "Đưa con đi khám" in waiting.inner_text()
    waiting.locator("input[name=comment]").fill("Đồng ý")
    with head_page.expect_navigation():
        waiting.locator("button[data-action=approve]").click()
    head_page.wait_for_selector("#leave-list li[data-leave]")
    assert head_page.locator("#leave-requests-waiting").count() == 0
    head.close()

    request.refresh_from_db()
    assert (request.status, request.decision_comment) == (LeaveRequestStatus.APPROVED, "Đồng ý")
    statuses = dict(RosterEntry.objects.filter(roster=roster, staff=member).values_list("day", "status"))
    assert [statuses[day] for day in sorted(statuses)] == ["office", "leave", "leave", "office", "office"]

    # The person sees the decision, and the published roster of the week shows the two days as leave.
    page.goto(reverse("rosters:leave_mine"))
    assert page.locator(f"#my-leave-requests [data-leave-request='{request.pk}']").get_attribute("data-status") == "approved"
    page.goto(f"{reverse('rosters:week')}?unit={city.unit.pk}&week=2026-W50")
    row = page.locator(f"#roster-grid tr[data-staff='{member.code}']")
    row.wait_for()
    assert row.locator(f"td[data-day='{tuesday.isoformat()}']").get_attribute("data-status") == "leave"
    assert row.locator(f"td[data-day='{wednesday.isoformat()}']").get_attribute("data-status") == "leave"
    assert row.locator(f"td[data-day='{MONDAY.isoformat()}']").get_attribute("data-status") == "office"
    assert browser_problems == []
