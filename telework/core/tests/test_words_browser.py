"""In a real browser: the 404 page is the site's page in Vietnamese, then in English once chosen; hours worked read
"7,5" in Vietnamese and "7.5" in English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.attendance import services as attendance
from telework.attendance.tests.builders import at, publish_roster
from telework.core.tests.browser.pages import login, switch_language
from telework.demo.testing import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEDNESDAY = dt.date(2026, 11, 18)


def test_the_404_page_is_the_sites_page_in_the_chosen_language(page, browser_problems, live_server):
    city = build_city()
    login(page, city.staff[0].code)

    page.goto("/khong-co-trang-nay/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("nav.navbar .navbar-brand").is_visible()
    assert page.locator("[data-error-page] h1").inner_text().strip() == "Không tìm thấy trang"
    assert "nằm ngoài phạm vi tài khoản của bạn được xem" in page.locator("[data-reason]").inner_text()

    switch_language(page, "en")
    assert page.locator("[data-error-page] h1").inner_text().strip() == "Page not found"
    assert page.title().startswith("Page not found")
    page.locator("[data-error-page] a.btn-primary").click()
    page.wait_for_url(f"{live_server.url}/")

    # The only problem is the page that was asked to be missing (its 404 and the browser's console line about it).
    assert [problem for problem in browser_problems if "/khong-co-trang-nay/" not in problem and "404" not in problem] == []
    assert any(problem.startswith("404 GET") and problem.endswith("/khong-co-trang-nay/") for problem in browser_problems)


def test_hours_worked_read_with_a_comma_in_vietnamese_and_a_point_in_english(page, browser_problems, clock):
    city = build_city()
    member = city.staff[0]
    publish_roster(city.unit, WEDNESDAY, {})
    clock.move_to(at(WEDNESDAY, 8, 0))
    attendance.attendance_check_in(actor=member.user, mode="office")
    clock.move_to(at(WEDNESDAY, 15, 30))
    attendance.attendance_check_out(actor=member.user)

    login(page, member.code, next_url=reverse("attendance:mine"))
    assert page.locator("#check-in-status [data-hours]").inner_text() == "7,5"

    switch_language(page, "en")
    assert page.locator("#check-in-status [data-hours]").inner_text() == "7.5"
    assert browser_problems == []
