"""The registration screens in a real browser, at desktop and phone width: register with the check button, decide
in the inbox without leaving the page, and read the unit's week on a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city, next_monday
from telework.registrations import services
from telework.registrations.models import Registration, RegistrationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_checks_then_sends_a_registration(page, browser_problems):
    city = build_city()
    member = city.staff[0]
    monday = next_monday()
    login(page, member.code, next_url=reverse("registrations:new"))
    page.fill("input[name=starts_on]", monday.isoformat())
    page.fill("input[name=ends_on]", (monday + dt.timedelta(days=4)).isoformat())
    page.check("#id_weekdays_0")
    page.check("#id_weekdays_2")
    page.check("#id_weekdays_4")  # a third day: over the weekly cap
    for item in ("phone", "computer", "printer", "internet"):
        page.check(f"input[name=equipment][value={item}]")
    page.check("input[name=commitment_accepted]")
    page.click("button[hx-post]")
    page.wait_for_selector("#check-result [data-check=refused] [data-rule=max_home_days_per_week]")
    page.uncheck("#id_weekdays_4")
    page.click("button[hx-post]")
    page.wait_for_selector("#check-result [data-check=ok]")
    assert not Registration.objects.exists()
    with page.expect_navigation():
        page.click("#registration-form button[type=submit]")
    registration = Registration.objects.get(staff=member)
    assert page.url.endswith(reverse("registrations:detail", args=[registration.pk]))
    assert page.locator("[data-status=submitted]").count() == 1
    assert browser_problems == []


def test_head_decides_in_the_inbox_without_leaving_the_page(page, browser_problems):
    city = build_city()
    monday = next_monday()
    registrations = []
    for member in city.staff[:4]:
        registrations.append(
            services.registration_submit(
                staff=member,
                actor=member.user,
                starts_on=monday,
                ends_on=monday + dt.timedelta(days=4),
                weekdays=[0],
                equipment_attested=["computer", "internet", "phone", "printer"],
                commitment_accepted=True,
            )
        )
    for registration in registrations[:2]:
        services.registration_approve(registration=registration, actor=city.head_user)
    login(page, city.head.code, next_url=reverse("registrations:inbox"))
    inbox_url = page.url
    third, fourth = (f"#inbox-row-{registration.pk}" for registration in registrations[2:])
    page.click(f"{third} button.btn-success")
    page.wait_for_selector(f"{third} [data-outcome=approved]")
    # The unit is now full on Monday: the fourth approval is refused in place, with the rule named.
    page.click(f"{fourth} button.btn-success")
    page.wait_for_selector(f"{fourth} [data-rule=max_home_share]")
    assert page.url == inbox_url
    registrations[3].refresh_from_db()
    assert registrations[3].status == RegistrationStatus.SUBMITTED
    # A 409 is never sent to HTMX (it would not swap): every response was a success.
    assert browser_problems == []


def test_unit_week_scrolls_inside_its_table_on_a_phone(page, browser_problems):
    city = build_city()
    monday = next_monday()
    login(page, city.head.code)
    page.goto(reverse("registrations:overview") + "?week={}-W{:02d}".format(*monday.isocalendar()[:2]))
    page.wait_for_selector("#overview-grid")
    assert page.locator("#overview-grid tbody tr").count() == 10
    # The page itself never scrolls sideways: the grid scrolls within its own box.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    with page.expect_navigation():
        page.click("#next-week")
    next_week = monday + dt.timedelta(days=7)
    assert page.locator(f"th[data-day='{next_week.isoformat()}']").count() == 1
    assert browser_problems == []
