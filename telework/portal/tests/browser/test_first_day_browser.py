"""Issue 11's "done when", end to end in a real browser: HR uploads the office's own staff file (title block, names
not codes, "Chức vụ", signature footer; 300 rows), maps the columns, previews and confirms the structure changes; on
the accounts page prints the activation codes of one unit; a person from the file activates their account with the
code on a phone (375 px), sets a password, lands on the home page and checks in with one tap."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from telework.accounts import services as account_services
from telework.attendance.models import CheckIn
from telework.core.tests.browser.fixtures import VIEWPORTS
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.organization.models import Staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[3] / "organization" / "samples" / "staff_office_300.xlsx"
CODE = "KXR7-M2QD"
PASSWORD = "mây-trắng-bay-2026"  # noqa: S105


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.TELEWORK_IMPORT_DIR = tmp_path / "imports"


def import_the_office_file(page, city) -> None:  # type: ignore[no-untyped-def]
    """HR's upload → column mapping → preview → structure confirmation → imported, as on the import page."""
    login(page, city.hr.username, next_url=reverse("organization:import"))
    page.set_input_files("#id_file", str(SAMPLE))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_selector("#column-mapping")
    page.select_option("[data-column=L] select", "")  # the one column the importer does not recognise: leave it out
    with page.expect_navigation():
        page.click("#column-mapping button[type=submit]")
    page.wait_for_selector("#structure-changes")
    assert page.locator("[data-count=created]").inner_text() == "300"
    page.check("#id_accept_structure")
    with page.expect_navigation():
        page.click("#import-confirm button[type=submit]")
    page.wait_for_selector("#import-result")


@pytest.mark.frozen_at("2026-12-07 08:10")
def test_from_the_offices_file_to_the_first_check_in(page, browser_problems, live_server, monkeypatch):
    city = build_city()
    # The code is random and kept only as a digest: the test fixes it to read it back from the "paper".
    monkeypatch.setattr(account_services, "generate_code", lambda: CODE)

    import_the_office_file(page, city)
    imported = Staff.objects.filter(code__startswith="BM", unit__agency=city.agency)
    assert imported.count() == 300
    assert imported.filter(user__isnull=True).count() == 0  # everyone imported has an account waiting to be activated
    newcomer = imported.select_related("user", "unit").get(code="BM0008")
    assert not newcomer.user.has_usable_password()

    # The accounts page: one unit, everyone listed, print their codes.
    page.goto(reverse("organization:accounts"))
    with page.expect_navigation():
        page.select_option("#id_unit", str(newcomer.unit.pk))
    unit_size = imported.filter(unit=newcomer.unit).count()
    assert page.locator("#accounts-table tbody tr[data-staff]").count() == unit_size
    page.click("label[for=apply-all]")  # the button-styled radio, as a person presses it
    # A sheet per person, drawn while the browser waits: give WeasyPrint the time a shared test machine needs.
    with page.expect_download(timeout=120_000) as download_info:
        page.click("#action-print", no_wait_after=True)
    download = download_info.value
    assert download.suggested_filename == f"activation-codes-{city.agency.code}-20261207.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # The newcomer, on their phone, with the code from the sheet.
    person = page.context.browser.new_context(base_url=live_server.url, viewport=VIEWPORTS["phone"], locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    phone = person.new_page()
    phone.on("pageerror", lambda error: browser_problems.append(f"JavaScript error: {error}"))
    phone.goto(reverse("accounts:login"))
    phone.click("#activate-account")
    phone.fill("#id_username", newcomer.code)
    phone.fill("#id_code", "kxr7 m2qd")
    phone.fill("#id_new_password1", PASSWORD)
    phone.fill("#id_new_password2", PASSWORD)
    with phone.expect_navigation():
        phone.click("#activate-form button[type=submit]")
    assert phone.url == live_server.url + reverse("portal:home")
    assert "Tài khoản của bạn đã được kích hoạt" in phone.locator("main .alert-success").inner_text()

    # One tap on the home page.
    phone.wait_for_selector("#my-day[data-state=not-checked-in]")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    with phone.expect_navigation():
        phone.click("#home-check-in button[data-mode=office]")
    phone.wait_for_selector("#my-day[data-state=checked-in]")
    phone.screenshot(path="var/screenshots/first-day-home-375.png", full_page=True)
    check_in = CheckIn.objects.get(staff=newcomer)
    assert check_in.mode == "office"
    newcomer.user.refresh_from_db()
    assert newcomer.user.check_password(PASSWORD)
    assert browser_problems == []
    person.close()
