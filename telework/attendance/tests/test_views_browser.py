"""Attendance in a real browser: a staff member checks in from a phone, the head sees them on the live board (at
desktop and at phone width), and the board refreshes in place."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from telework.attendance import services
from telework.attendance.models import CheckIn
from telework.attendance.tests.builders import publish_roster
from telework.core.tests.browser.fixtures import VIEWPORTS
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.rosters.models import EntryStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY = dt.date(2026, 12, 7)


def second_page(page: Any, live_server: Any, browser_problems: list[str], viewport: dict[str, int]) -> Any:
    """Another person's browser (own cookies), with the same problem listeners as the ``page`` fixture."""
    context = page.context.browser.new_context(base_url=live_server.url, viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    other = context.new_page()
    other.on("pageerror", lambda error: browser_problems.append(f"JavaScript error: {error}"))
    other.on("response", lambda response: response.status >= 400 and browser_problems.append(f"{response.status} {response.url}"))
    return other


def test_staff_checks_in_from_a_phone_and_the_head_sees_them_on_the_board(page, browser_problems, live_server, clock):
    city = build_city()
    member, colleague = city.staff[0], city.staff[1]
    member.phone = "0909 555 777"
    member.save()
    publish_roster(city.unit, MONDAY, {member: EntryStatus.HOME, colleague: EntryStatus.OFFICE})
    clock.set(MONDAY, 8, 10)

    head_viewport = dict(page.viewport_size)  # the head reads the board at this run's width (desktop or phone)
    page.set_viewport_size(VIEWPORTS["phone"])
    login(page, member.code, next_url=reverse("attendance:mine"))
    page.wait_for_selector("#today-card[data-state=not-checked-in]")
    assert page.locator("#today-plan[data-rostered=home]").count() == 1
    assert page.locator("#privacy-note").is_visible()
    page.fill("#check-in-form input[name=note]", "Soạn dự thảo quyết định")
    page.click("#check-in-form button[data-mode=home]")
    page.wait_for_selector("#today-card[data-state=checked-in] #check-in-status[data-mode=home]")
    page.click("#reachability-form button[data-reachability=in_meeting]")
    page.wait_for_selector("#reachability-form button[data-reachability=in_meeting][aria-pressed=true]")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    check_in = CheckIn.objects.get(staff=member)
    assert (check_in.mode, check_in.note, check_in.reachability, check_in.finding) == ("home", "Soạn dự thảo quyết định", "in_meeting", "matches")

    head = second_page(page, live_server, browser_problems, head_viewport)
    login(head, city.head.code, next_url=reverse("attendance:board"))
    row = head.locator(f"#board-table tr[data-staff='{member.code}']")
    row.wait_for()
    assert row.get_attribute("data-state") == "checked_in"
    assert row.locator("[data-reachability=in_meeting]").count() == 1
    assert row.locator("a[data-phone]").get_attribute("href") == "tel:0909 555 777"
    assert head.locator(f"#board-table tr[data-staff='{colleague.code}']").get_attribute("data-state") == "not_yet"

    # The colleague checks in at home against the roster; the board's refresh (every 60 s) shows the mismatch.
    services.attendance_check_in(actor=colleague.user, mode="home")
    head.evaluate("url => htmx.ajax('GET', url, {target: '#board', swap: 'outerHTML'})", head.locator("#board").get_attribute("hx-get"))
    head.wait_for_selector(f"#board-table tr[data-staff='{colleague.code}'][data-finding=home_while_rostered_on_site]")
    assert head.locator("#board-counts [data-count=mismatch]").inner_text().strip().endswith("1")
    assert head.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    head.context.close()
    assert browser_problems == []


def test_the_month_summary_shows_a_check_in_without_a_reload(page, browser_problems, clock):
    city = build_city()
    member = city.staff[3]
    clock.set(MONDAY, 7, 55)
    login(page, member.code, next_url=reverse("attendance:mine"))
    page.wait_for_selector("#today-card[data-state=not-checked-in]")
    assert page.locator("#month-summary tr[data-day]").count() == 0
    page.click("#check-in-form button[data-mode=office]")
    page.wait_for_selector(f"#month-summary tr[data-day='{MONDAY.isoformat()}']")
    assert page.locator("#month-summary").count() == 1
    assert page.locator("#today-card[data-state=checked-in]").count() == 1
    assert browser_problems == []


def test_a_second_check_in_is_refused_in_place(page, browser_problems, clock):
    city = build_city()
    member = city.staff[2]
    clock.set(MONDAY, 7, 50)
    services.attendance_check_in(actor=member.user, mode="office")
    login(page, member.code, next_url=reverse("attendance:mine"))
    page.wait_for_selector("#today-card[data-state=checked-in]")
    # A stale tab still showing the buttons: the refusal replaces the card and names the rule.
    page.evaluate(
        "url => htmx.ajax('POST', url, {target: '#today-card', swap: 'outerHTML', values: {mode: 'home'}})",
        reverse("attendance:check_in"),
    )
    page.wait_for_selector("#today-card [data-rule=one_check_in_per_person_per_day]")
    assert CheckIn.objects.filter(staff=member).count() == 1
    assert browser_problems == []
