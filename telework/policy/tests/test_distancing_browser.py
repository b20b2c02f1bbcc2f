"""Issue 14, Done when, in a real browser: Home Affairs switches the distancing preset on; the unit's next week is
re-planned within the presence cap with its one-stop desk staffed and published (checked on the roster page); a staff
member logs in and sees their assigned days; the switch is turned off and the unit's week is back under the pilot's
rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.core import clock
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.policy.models import SwitchChange, SwitchKind
from telework.rosters import services as roster_services
from telework.rosters.selectors import week_start_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.context.clear_cookies()


def switch_distancing(page, *, turn, reason):
    """Home Affairs: the reason, then the confirmation (checked by the caller), then yes; waits for the re-plan."""
    page.goto(reverse("policy:switch_change", args=[SwitchKind.DISTANCING]) + f"?turn={turn}")
    page.fill("textarea[name=reason]", reason)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_selector("button[name=confirm][value=yes]")


def confirm(page):
    with page.expect_navigation():
        page.click("button[name=confirm][value=yes]")
    page.wait_for_selector("#switch-progress[data-status=done]", timeout=120_000)


def week_of(monday):
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def day_checks(page):
    """Each working day's header figures on the roster page."""
    return page.eval_on_selector_all(
        "#roster-table thead .day-check",
        """cells => cells.map(cell => {
            const cap = cell.querySelector('[data-cap]');
            const desk = cell.querySelector('[data-point]');
            return {
                home: Number(cell.dataset.home), homeLimit: Number(cell.dataset.homeLimit),
                onSite: cap ? Number(cap.dataset.onSite) : null, cap: cap ? Number(cap.dataset.cap) : null,
                deskStaffed: desk ? desk.dataset.staffed : null,
            };
        })""",
    )


def test_distancing_on_replans_within_the_cap_staff_see_their_days_and_off_restores_the_pilot(page, browser_problems):
    city = build_city()
    # Next week: the week distancing plans for every unit (this week's lived days stay as they were).
    monday = week_start_of(clock.today()) + dt.timedelta(weeks=1)
    pilot_roster = roster_services.roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)
    roster_services.roster_publish(roster=pilot_roster, actor=city.head_user)
    member = city.staff[0]
    roster_url = reverse("rosters:week") + f"?unit={city.unit.pk}&week={week_of(monday)}"

    # Home Affairs switches the distancing preset on.
    login(page, city.home_affairs.username, next_url=reverse("policy:policies"))
    card = page.locator("[data-switch=distancing]")
    assert "Chỉ thị 16/CT-TTg" in card.inner_text()
    switch_distancing(page, turn="on", reason="Chỉ thị 16/CT-TTg: giãn cách xã hội")
    assert "công bố ngay" in page.inner_text("#impact-rosters")
    assert page.locator("#impact-days").count() == 1
    confirm(page)
    assert SwitchChange.objects.get(kind=SwitchKind.DISTANCING, is_active=True).status == SwitchChange.Status.DONE

    # The head finds next week re-planned, published, within the cap, the desk staffed.
    log_out(page)
    login(page, city.head.user.username)
    page.goto(roster_url)
    assert page.locator("#roster-regime[data-regime=distancing]").count() == 1
    assert page.locator("[data-roster-status=published]").count() == 1
    days = day_checks(page)
    assert days  # every working day of the week (a public holiday has no figures)
    for day in days:
        assert day["cap"] is not None
        assert day["onSite"] <= day["cap"], days
        assert day["deskStaffed"] == "yes", days

    # A staff member sees their assigned days.
    log_out(page)
    login(page, member.user.username, next_url=reverse("portal:home"))
    assert page.locator("#days-assigned").count() == 1
    assert page.locator("#my-next-week li[data-day]").count() == 5
    assigned = page.eval_on_selector_all("#my-next-week li[data-day]", "items => items.map(item => item.dataset.place)")
    assert set(assigned) <= {"office", "desk", "home", "leave", "holiday"}
    assert "unplanned" not in assigned
    page.goto(reverse("core:notifications"))
    assert page.locator("main .list-group-item", has_text="Các ngày làm việc của bạn theo chế độ giãn cách").count() == 1

    # Home Affairs turns it off: the week is re-planned under the pilot's rules.
    log_out(page)
    login(page, city.home_affairs.username, next_url=reverse("policy:policies"))
    switch_distancing(page, turn="off", reason="Hết giãn cách")
    confirm(page)
    log_out(page)
    login(page, city.head.user.username)
    page.goto(roster_url)
    assert page.locator("#roster-regime[data-regime=pilot]").count() == 1
    assert page.locator("[data-roster-status=published]").count() == 1
    days = day_checks(page)
    assert days  # every working day of the week (a public holiday has no figures)
    for day in days:
        assert day["cap"] is None
        assert day["home"] <= day["homeLimit"], days
        assert day["deskStaffed"] == "yes", days
    assert browser_problems == []
