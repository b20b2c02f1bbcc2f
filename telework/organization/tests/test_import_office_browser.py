"""The office's own file in a real browser, at phone width: upload → say which column is which → preview with the
structure changes → confirm them → imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.organization.models import Staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "staff_office_300.xlsx"


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.TELEWORK_IMPORT_DIR = tmp_path / "imports"


@pytest.mark.parametrize("width", [375, 1280])
def test_hr_uploads_maps_previews_and_confirms_the_office_file(page, browser_problems, width):
    city = build_city()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, city.hr.username, next_url=reverse("organization:import"))
    page.set_input_files("#id_file", str(SAMPLE))
    with page.expect_navigation():
        page.click("main form button[type=submit]")

    page.wait_for_selector("#column-mapping")
    assert page.locator("[data-column=L] [data-unrecognised]").count() == 1
    assert page.locator("[data-column=G] select").input_value() == "unit_name"
    page.select_option("[data-column=L] select", "")
    with page.expect_navigation():
        page.click("#column-mapping button[type=submit]")

    page.wait_for_selector("#structure-changes")
    assert page.locator("[data-count=created]").inner_text() == "300"
    assert page.locator("#structure-changes li").count() > 5
    with page.expect_navigation():
        page.click("#import-confirm button[type=submit]")
    page.wait_for_selector("[data-rule=import_structure_confirmed]")
    assert not Staff.objects.filter(code__startswith="BM").exists()

    page.check("#id_accept_structure")
    with page.expect_navigation():
        page.click("#import-confirm button[type=submit]")
    page.wait_for_selector("#import-result")
    assert Staff.objects.filter(code__startswith="BM", unit__agency=city.agency).count() == 300
    assert Staff.objects.get(code="BM0008").direct_superior.code == "BM0005"
    assert browser_problems == []
