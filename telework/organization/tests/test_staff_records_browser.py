"""HR keeps a record in a real browser, at desktop and phone width: creates a person, edits, transfers and ends
them; then the person's page tells the story. A staff member keeps their own phone from "My profile"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.core.models import AuditEvent
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.organization.models import EndReason, Staff, StaffEventKind, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, form: str) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def test_hr_creates_edits_transfers_and_ends_a_record(page, browser_problems):
    city = build_city()
    hr_unit = Unit.objects.get(agency=city.agency, name="Phòng Tổ chức cán bộ")
    login(page, city.hr.username, next_url=reverse("organization:staff_list"))

    with page.expect_navigation():
        page.click("#staff-new")
    page.fill("#id_code", "CB-TRINH")
    page.fill("#id_full_name", "Trịnh Văn Mới")
    page.select_option("#id_staff_type", "cong_chuc")
    page.select_option("#id_unit", str(city.unit.pk))
    page.select_option("#id_position", str(city.staff[0].position_id))
    page.select_option("#id_direct_superior", str(city.head.pk))
    page.fill("#id_phone", "0912 345 678")
    page.check("input[name=equipment][value=computer]")
    page.fill("#id_started_on", "2026-11-02")
    submit(page, "#staff-record-form")

    person = Staff.objects.get(code="CB-TRINH")
    assert page.url.endswith(reverse("organization:staff_detail", args=["CB-TRINH"]))
    assert person.user is not None
    assert page.locator("#staff-history [data-event=joined]").count() == 1

    with page.expect_navigation():
        page.click("#action-edit")
    page.fill("#id_title", "Phó Trưởng phòng")
    page.check("#id_is_deputy")
    submit(page, "#staff-record-form")
    person.refresh_from_db()
    assert (person.title, person.is_deputy, person.is_leader) == ("Phó Trưởng phòng", True, True)

    with page.expect_navigation():
        page.click("#action-transfer")
    page.select_option("#id_to_unit", str(hr_unit.pk))
    page.fill("#id_note", "Quyết định 15/QĐ-SNV")
    submit(page, "#staff-transfer-form")
    person.refresh_from_db()
    assert person.unit == hr_unit

    with page.expect_navigation():
        page.click("#action-end")
    page.select_option("#id_reason", EndReason.TRANSFERRED_OUT)
    submit(page, "#staff-end-form")

    person.refresh_from_db()
    assert (person.is_active, person.ended_on, person.end_reason) == (False, dt.date(2026, 11, 18), EndReason.TRANSFERRED_OUT)
    assert page.locator("#end-notice").is_visible()
    assert [page.locator("#staff-history [data-event]").nth(index).get_attribute("data-event") for index in range(3)] == [
        StaffEventKind.ENDED,
        StaffEventKind.TRANSFERRED,
        StaffEventKind.JOINED,
    ]
    assert sorted(AuditEvent.objects.filter(object_id=str(person.pk), object_type="organization.staff").values_list("action", flat=True)) == [
        "staff.create",
        "staff.end",
        "staff.transfer",
        "staff.update",
    ]
    assert browser_problems == []


def test_a_staff_member_updates_their_phone_from_my_profile(page, browser_problems):
    city = build_city()
    me = city.staff[0]
    login(page, me.user.username, next_url=reverse("organization:my_profile"))

    page.fill("#id_phone", "0987 000 111")
    page.uncheck("input[name=equipment][value=printer]")
    submit(page, "#own-contact-form")

    me.refresh_from_db()
    assert (me.phone, me.equipment) == ("0987 000 111", ["computer", "internet", "phone"])
    assert page.locator("main .alert-success").count() == 1
    assert browser_problems == []
