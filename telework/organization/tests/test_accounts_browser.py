"""An account for everyone, in a real browser: HR prints the activation codes of a newcomer without e-mail, the
newcomer activates their account with the code on a phone, lands on the home page and checks in for the day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.accounts import services as account_services
from telework.attendance.models import CheckIn
from telework.attendance.tests.builders import publish_roster
from telework.core.tests.browser.fixtures import VIEWPORTS
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.organization.accounts import provide_accounts
from telework.organization.models import Staff
from telework.organization.tests.factories import StaffFactory
from telework.rosters.models import EntryStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY = dt.date(2026, 12, 7)
CODE = "KXR7-M2QD"
PASSWORD = "mây-trắng-bay-2026"  # noqa: S105


@pytest.mark.frozen_at("2026-12-07 08:10")
def test_hr_prints_a_code_and_the_newcomer_activates_and_checks_in(page, browser_problems, live_server, monkeypatch):
    city = build_city()
    newcomer = StaffFactory(unit=city.unit, position=city.staff[0].position, direct_superior=city.head, full_name="Hồ Thị Mới Vào", email="", user=None)
    provide_accounts(staff=[newcomer], actor=None)  # as the import does
    newcomer = Staff.objects.select_related("user").get(pk=newcomer.pk)
    publish_roster(city.unit, MONDAY, {newcomer: EntryStatus.HOME})
    # The code is random and kept only as a digest: the test fixes it to read it back from the "paper".
    monkeypatch.setattr(account_services, "generate_code", lambda: CODE)

    viewport = dict(page.viewport_size)
    login(page, city.hr.username, next_url=reverse("organization:accounts"))
    page.click("#status-filter a[data-status=pending]")
    row = page.locator(f"#accounts-table tr[data-staff='{newcomer.code}']")
    row.wait_for()
    assert row.get_attribute("data-status") == "pending"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=f"var/screenshots/accounts-page-{viewport['width']}.png", full_page=True)
    row.locator("input[name=staff]").check()
    with page.expect_download() as download_info:
        page.click("#action-print")
    download = download_info.value
    assert download.suggested_filename == f"activation-codes-{city.agency.code}-20261207.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    person = page.context.browser.new_context(base_url=live_server.url, viewport=VIEWPORTS["phone"], locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    phone = person.new_page()
    phone.on("pageerror", lambda error: browser_problems.append(f"JavaScript error: {error}"))
    phone.goto(reverse("accounts:login"))
    phone.click("#activate-account")
    phone.fill("#id_username", newcomer.code)
    phone.fill("#id_code", "kxr7 m2qd")
    phone.fill("#id_new_password1", PASSWORD)
    phone.fill("#id_new_password2", PASSWORD)
    phone.screenshot(path="var/screenshots/accounts-activate-375.png", full_page=True)
    with phone.expect_navigation():
        phone.click("#activate-form button[type=submit]")
    assert phone.url == live_server.url + reverse("portal:home")
    assert "Tài khoản của bạn đã được kích hoạt" in phone.locator("main .alert-success").inner_text()

    phone.goto(reverse("attendance:mine"))
    phone.wait_for_selector("#today-card[data-state=not-checked-in]")
    phone.click("#check-in-form button[data-mode=home]")
    phone.wait_for_selector("#today-card[data-state=checked-in] #check-in-status[data-mode=home]")
    assert CheckIn.objects.get(staff=newcomer).mode == "home"
    newcomer.user.refresh_from_db()
    assert newcomer.user.check_password(PASSWORD)
    assert browser_problems == []
    person.close()
