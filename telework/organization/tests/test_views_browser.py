"""The organisation screens in a real browser, at desktop and phone width: an HR officer imports a file with bad
rows (refused, then the valid rows only), and switches a position flag in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from telework.core.models import AuditEvent
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.organization.models import Staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.TELEWORK_IMPORT_DIR = tmp_path / "imports"


def test_hr_imports_a_file_with_bad_rows_only_after_choosing_the_valid_rows(page, browser_problems):
    city = build_city()
    login(page, city.hr.username, next_url=reverse("organization:import"))
    page.set_input_files("#id_file", str(SAMPLES / "staff_errors.xlsx"))
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    assert page.locator("[data-count=refused]").inner_text() == "9"
    assert page.locator("tr[data-row='5'] [data-problem=bad_email][data-column=Email]").count() == 1
    assert page.locator("tr[data-row='12'] [data-problem=superior_row_refused]").count() == 1

    with page.expect_navigation():
        page.click("#import-confirm button[type=submit]")
    page.wait_for_selector("[data-rule=import_all_rows_valid]")
    assert not Staff.objects.filter(code__startswith="MAU").exists()

    page.check("#id_valid_only")
    page.check("#id_accept_structure")
    with page.expect_navigation():
        page.click("#import-confirm button[type=submit]")
    page.wait_for_selector("#import-result")
    assert sorted(Staff.objects.filter(code__startswith="MAU").values_list("code", flat=True)) == ["MAU0101", "MAU0110", "MAU0111"]
    assert browser_problems == []


def test_hr_switches_a_position_flag_in_place(page, browser_problems):
    city = build_city()
    position = city.staff[0].position
    login(page, city.hr.username, next_url=reverse("organization:positions"))

    page.check(f"#is_duty_post-{position.pk}")
    page.wait_for_selector(f"#position-{position.pk} .text-success .bi-check2")

    position.refresh_from_db()
    assert position.is_duty_post is True
    assert AuditEvent.objects.filter(action="position.flags", object_id=str(position.pk)).count() == 1
    assert browser_problems == []
