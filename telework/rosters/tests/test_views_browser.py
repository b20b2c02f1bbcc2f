"""The roster screens in a real browser, at desktop and phone width: the head generates and publishes a week and a
staff member then reads it; a refused edit names the rule at the cell and the cell keeps its value, an accepted one
is marked as changed by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.core.models import Notification
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city, next_monday
from telework.registrations import services as registration_services
from telework.rosters import services
from telework.rosters.models import EntryStatus, Roster, RosterEntry, RosterStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def week_url(monday: dt.date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{reverse('rosters:week')}?week={year}-W{week:02d}"


def cell(page, staff, day: dt.date):
    return page.locator(f"#roster-table tr[data-staff='{staff.code}'] td[data-day='{day.isoformat()}']")


def test_head_generates_and_publishes_then_staff_see_the_week(page, browser_problems):
    city = build_city()
    monday = next_monday()
    login(page, city.head.code, next_url=week_url(monday))
    page.wait_for_selector("#no-roster")
    page.click("#generate-button")
    page.wait_for_selector("[data-roster-status=draft]")
    roster = Roster.objects.get(unit=city.unit, week_start=monday)
    assert roster.status == RosterStatus.DRAFT
    assert page.locator("#roster-table tbody tr").count() == 10
    page.click("#publish-button")
    page.wait_for_selector("#publish-modal.show #confirm-publish")
    with page.expect_navigation():
        page.click("#confirm-publish")
    page.wait_for_selector("[data-roster-status=published]")
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED
    assert Notification.objects.filter(user=city.staff[0].user).exists()

    page.context.clear_cookies()
    login(page, city.staff[0].code, next_url=week_url(monday))
    page.wait_for_selector("[data-roster-status=published]")
    assert page.locator("#roster-table tbody tr").count() == 10
    assert page.locator("#roster-table select").count() == 0
    assert page.locator("#swap-form").count() == 1
    # The page never scrolls sideways: the grid scrolls within its own box.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert browser_problems == []


def test_refused_edit_names_the_rule_and_the_cell_keeps_its_value(page, browser_problems):
    city = build_city()
    monday = next_monday()
    member = city.staff[0]
    registration = registration_services.registration_submit(
        staff=member,
        actor=member.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        weekdays=[0],
        equipment_attested=["computer", "internet", "phone", "printer"],
        commitment_accepted=True,
    )
    registration_services.registration_approve(registration=registration, actor=city.head_user)
    roster = services.roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)
    assert RosterEntry.objects.get(roster=roster, staff=member, day=monday).status == EntryStatus.HOME
    other = city.staff[5]  # registered for no home day
    login(page, city.head.code, next_url=week_url(monday))

    cell(page, other, monday).locator("select").select_option("home")
    page.wait_for_selector("#edit-refused[data-rule=approved_days_only]")
    refused = cell(page, other, monday)
    assert refused.locator("[data-refused-rule=approved_days_only]").count() == 1
    assert refused.locator("select").input_value() == "office"
    entry = RosterEntry.objects.get(roster=roster, staff=other, day=monday)
    assert (entry.status, entry.is_manual) == (EntryStatus.OFFICE, False)

    cell(page, member, monday).locator("select").select_option("office")
    page.wait_for_selector("#edit-saved")
    assert cell(page, member, monday).get_attribute("data-manual") == "yes"
    entry = RosterEntry.objects.get(roster=roster, staff=member, day=monday)
    assert (entry.status, entry.is_manual) == (EntryStatus.OFFICE, True)
    # A refusal is answered with 200, so HTMX swaps it in: no failed request reached the browser.
    assert browser_problems == []
