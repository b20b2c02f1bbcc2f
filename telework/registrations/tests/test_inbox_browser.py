"""The head's week away, in a real browser at desktop and phone width: the head names a deputy, the deputy logs in,
approves two requests at once from the inbox, and the audit trail shows the approval made on the head's behalf."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city, next_monday
from telework.organization.models import Delegation
from telework.organization.tests.factories import StaffFactory
from telework.registrations import services
from telework.registrations.models import Registration, RegistrationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_delegates_then_the_deputy_approves_two_at_once_on_the_heads_behalf(page, browser_problems):
    city = build_city()
    deputy = StaffFactory(unit=city.unit, position=city.staff[0].position, is_leader=True, is_deputy=True, direct_superior=city.head, full_name="Phạm Văn Phó")
    monday = next_monday()
    registrations = [
        services.registration_submit(
            staff=member,
            actor=member.user,
            starts_on=monday,
            ends_on=monday + dt.timedelta(days=4),
            weekdays=[index],
            equipment_attested=["computer", "internet", "phone", "printer"],
            commitment_accepted=True,
        )
        for index, member in enumerate(city.staff[:3])
    ]

    # The head, away from today to Friday, names the deputy.
    login(page, city.head.code, next_url=reverse("organization:delegations"))
    page.select_option("#id_deputy", str(deputy.user_id))
    page.fill("#id_ends_on", (dt.date(2026, 11, 20)).isoformat())
    page.fill("#id_note", "Đi học lớp bồi dưỡng")
    with page.expect_navigation():
        page.click("#delegation-form button[type=submit]")
    page.wait_for_selector("#delegations-given [data-state=in_force]")
    assert Delegation.objects.get().deputy == deputy.user

    # The deputy finds the head's requests in their inbox and approves two of them at once.
    page.context.clear_cookies()
    login(page, deputy.code, next_url=reverse("registrations:inbox"))
    page.wait_for_selector("[data-delegation=acting-for][data-state=in_force]")
    assert page.locator(".inbox-row").count() == 3
    for registration in registrations[:2]:
        page.check(f"#tick-{registration.pk}")
    with page.expect_navigation():
        page.click("#bulk-decide button[value=approve]")
    page.wait_for_selector("#decided")
    assert page.locator("#decided [data-outcome=approve]").count() == 2
    assert page.locator("#decided [data-on-behalf-of]").first.inner_text() == "(thay mặt Trần Thị Trưởng)"
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert [statuses[registration.pk] for registration in registrations] == [
        RegistrationStatus.APPROVED,
        RegistrationStatus.APPROVED,
        RegistrationStatus.SUBMITTED,
    ]

    # The audit trail of one of them: the deputy as the one who acted, the head as the one acted for.
    page.goto(reverse("portal:audit_object", args=["registrations.registration", str(registrations[0].pk)]))
    approval = page.locator("[data-action='registration.approve']")
    approval.wait_for()
    text = approval.inner_text()
    assert (deputy.user.get_full_name() or deputy.code) in text  # the actor, as the trail keeps them
    assert "Thay mặt" in text
    assert "Trần Thị Trưởng" in text
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert browser_problems == []
