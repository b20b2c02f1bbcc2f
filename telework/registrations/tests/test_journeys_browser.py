"""The journeys issue 2 names, in a real browser at desktop and phone width: a staff member registers, the head
approves, the staff member sees it approved; a citizen-facing officer reads why they may not work from home;
a rejection reaches the staff member with its reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city, next_monday
from telework.policy.selectors import eligibility_for
from telework.registrations import services
from telework.registrations.models import Registration, RegistrationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EQUIPMENT = ["computer", "internet", "phone", "printer"]


def log_out(page):
    page.context.clear_cookies()


def test_register_then_head_approves_then_staff_sees_it_approved(page, browser_problems):
    city = build_city()
    member = city.staff[0]
    monday = next_monday()
    login(page, member.code, next_url=reverse("registrations:new"))
    page.fill("input[name=starts_on]", monday.isoformat())
    page.fill("input[name=ends_on]", (monday + dt.timedelta(days=11)).isoformat())
    page.check("#id_weekdays_1")
    for item in EQUIPMENT:
        page.check(f"input[name=equipment][value={item}]")
    page.check("input[name=commitment_accepted]")
    with page.expect_navigation():
        page.click("#registration-form button[type=submit]")
    registration = Registration.objects.get(staff=member)
    assert registration.days.count() == 2

    log_out(page)
    login(page, city.head.code, next_url=reverse("registrations:detail", args=[registration.pk]))
    with page.expect_navigation():
        page.click("#decider-actions form[action$='/approve/'] button[type=submit]")
    page.wait_for_selector("[data-status=approved]")

    log_out(page)
    login(page, member.code, next_url=reverse("registrations:mine"))
    row = page.locator(f"a[href='{reverse('registrations:detail', args=[registration.pk])}']").first
    assert row.count() == 1
    assert page.locator("[data-status=approved]").count() == 1
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.days.filter(is_counted=True).count() == 2
    assert browser_problems == []


def test_citizen_facing_officer_sees_why_they_are_not_eligible(page, browser_problems):
    city = build_city()
    login(page, city.clerk.code, next_url=reverse("registrations:eligibility"))
    page.wait_for_selector("[data-eligible=no]")
    failed = page.locator("[data-passed=no]")
    assert sorted(failed.evaluate_all("rows => rows.map(row => row.dataset.rule)")) == ["not_citizen_facing", "not_dossier_handling", "not_one_stop_desk"]
    citizen_rule = page.locator("[data-rule=not_citizen_facing]").inner_text()
    # The reason is in Vietnamese and names the position; the same words the API and the command give.
    decision = eligibility_for(city.clerk, timezone.localdate())
    expected = next(rule for rule in decision.rules if rule.code == "not_citizen_facing").reason("vi")
    assert expected.startswith("Vị trí")
    assert expected in citizen_rule
    assert page.evaluate("document.documentElement.lang") == "vi"
    assert browser_problems == []


def test_rejection_reaches_the_staff_member_with_its_reason(page, browser_problems):
    city = build_city()
    member = city.staff[1]
    monday = next_monday()
    registration = services.registration_submit(
        staff=member,
        actor=member.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        weekdays=[2],
        equipment_attested=EQUIPMENT,
        commitment_accepted=True,
    )
    login(page, city.head.code, next_url=reverse("registrations:detail", args=[registration.pk]))
    # A rejection without a reason is not accepted by the form: nothing changes.
    page.fill("#reject-comment", "Tuần này phòng tổ chức hội nghị, cần có mặt đủ.")
    with page.expect_navigation():
        page.click("#decider-actions form[action$='/reject/'] button[type=submit]")
    page.wait_for_selector("[data-status=rejected]")

    log_out(page)
    login(page, member.code, next_url=reverse("registrations:detail", args=[registration.pk]))
    assert page.locator("[data-status=rejected]").count() == 1
    assert "Tuần này phòng tổ chức hội nghị, cần có mặt đủ." in page.locator("#decision").inner_text()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REJECTED
    assert browser_problems == []


@pytest.mark.frozen_at("2027-01-20")
def test_a_pattern_that_conflicts_in_the_tet_week_is_kept_by_leaving_one_day_out(page, browser_problems):
    """Monday and Tuesday at home for four weeks across Tết 2027: the check names the holiday and the day to drop,
    one tap leaves it out, and the rest of the registration is sent."""
    city = build_city()
    member = city.staff[0]
    login(page, member.code, next_url=reverse("registrations:new"))
    page.fill("input[name=starts_on]", "2027-01-25")
    page.fill("input[name=ends_on]", "2027-02-19")
    page.check("#id_weekdays_0")
    page.check("#id_weekdays_1")
    for item in EQUIPMENT:
        page.check(f"input[name=equipment][value={item}]")
    page.check("input[name=commitment_accepted]")
    page.click("[data-check-button]")
    page.wait_for_selector("[data-check=refused]")
    refusal = page.locator("[data-check=refused]").inner_text()
    assert "Tết" in refusal or "Nguyên Đán" in refusal or "Lunar New Year" in refusal
    page.click("[data-skip-date='2027-02-02']")
    page.wait_for_selector("[data-check=ok]")
    assert page.locator("input[name=skip_dates]").evaluate_all("inputs => inputs.map(input => input.value).filter(Boolean)") == ["2027-02-02"]
    with page.expect_navigation():
        page.click("#registration-form button[type=submit]")
    registration = Registration.objects.get(staff=member)
    assert registration.skipped_dates == ["2027-02-02"]
    assert registration.days.count() == 5
    assert "02/02" in page.content()  # the pattern's description names the day left out
    assert browser_problems == []
