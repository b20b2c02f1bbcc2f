"""A swap of days in a real browser, at desktop and phone width: the swap page's own example — A at home on Monday
and in the office on Wednesday, B the other way round — asked by A on the published week, accepted by B, approved
by the head; the roster and both people's approved home days move."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city, next_monday
from telework.registrations import services as registration_services
from telework.registrations.models import RegistrationDay
from telework.rosters import services
from telework.rosters.models import EntryStatus, RosterEntry, SwapRequest, SwapStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EQUIPMENT = ["computer", "internet", "phone", "printer"]


def week_url(monday: dt.date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{reverse('rosters:week')}?week={year}-W{week:02d}"


def register_and_approve(city, member, monday: dt.date, weekday: int) -> None:  # type: ignore[no-untyped-def]
    registration = registration_services.registration_submit(
        staff=member,
        actor=member.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        weekdays=[weekday],
        equipment_attested=EQUIPMENT,
        commitment_accepted=True,
    )
    registration_services.registration_approve(registration=registration, actor=city.head_user)


def counted_days(member) -> list[dt.date]:  # type: ignore[no-untyped-def]
    return sorted(RegistrationDay.objects.filter(staff=member, is_counted=True).values_list("day", flat=True))


def status_of(roster, member, day: dt.date) -> str:  # type: ignore[no-untyped-def]
    return RosterEntry.objects.get(roster=roster, staff=member, day=day).status


def test_staff_swap_home_monday_for_office_wednesday_and_the_head_approves(page, browser_problems):
    city = build_city()
    monday = next_monday()
    wednesday = monday + dt.timedelta(days=2)
    first, second = city.staff[0], city.staff[1]
    register_and_approve(city, first, monday, 0)
    register_and_approve(city, second, monday, 2)
    roster = services.roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)
    services.roster_publish(roster=roster, actor=city.head_user)
    assert [status_of(roster, first, monday), status_of(roster, second, wednesday)] == [EntryStatus.HOME, EntryStatus.HOME]

    # A asks on the published week: my Monday, the colleague's Wednesday.
    login(page, first.code, next_url=week_url(monday))
    assert "Ngày làm việc tại nhà đã được phê duyệt cũng được đổi theo" in page.locator("#swaps").inner_text()
    form = page.locator("#swap-form")
    form.locator("select[name=swap-requester_day]").select_option(monday.isoformat())
    form.locator("select[name=swap-counterpart]").select_option(str(second.pk))
    form.locator("select[name=swap-counterpart_day]").select_option(wednesday.isoformat())
    form.locator("textarea[name=swap-reason]").fill("Thứ Hai tôi phải đưa con đi khám")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("#swap-refused").count() == 0
    swap = SwapRequest.objects.get()
    page.wait_for_selector(f"#swap-{swap.pk}[data-swap-status=requested]")

    # B accepts from the list of swaps waiting for them.
    page.context.clear_cookies()
    login(page, second.code, next_url=reverse("rosters:swaps"))
    with page.expect_navigation():
        page.locator(f"#swap-{swap.pk} button[formaction$='/accept/']").click()
    page.wait_for_selector(f"#swap-{swap.pk}[data-swap-status=accepted]")

    # The head approves; every rule is checked again on the roster with the approvals moved.
    page.context.clear_cookies()
    login(page, city.head.code, next_url=reverse("rosters:swaps"))
    with page.expect_navigation():
        page.locator(f"#swap-{swap.pk} button[formaction$='/approve/']").click()
    page.wait_for_selector(f"#swap-{swap.pk}[data-swap-status=approved]")
    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPROVED

    # The roster moved...
    assert [status_of(roster, first, monday), status_of(roster, first, wednesday)] == [EntryStatus.OFFICE, EntryStatus.HOME]
    assert [status_of(roster, second, monday), status_of(roster, second, wednesday)] == [EntryStatus.HOME, EntryStatus.OFFICE]
    # ... and so did the approved home days, so a new generation of the week keeps the swap.
    assert (counted_days(first), counted_days(second)) == ([wednesday], [monday])
    page.goto(week_url(monday))
    row = page.locator(f"#roster-table tr[data-staff='{first.code}']")
    assert row.locator(f"td[data-day='{wednesday.isoformat()}']").get_attribute("data-status") == "home"
    assert row.locator(f"td[data-day='{monday.isoformat()}']").get_attribute("data-status") == "office"
    assert browser_problems == []
