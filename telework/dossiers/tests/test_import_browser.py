"""The dossier import in a real browser: the agency's HR officer sends the one-stop system's CSV export whose
reception column is spelt its own way, says which field it is, checks the row report, imports, and reads the counts
(at desktop and at phone width)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.dossiers.models import Dossier, DossierImport
from telework.dossiers.tests.test_imports import HEADER, lines

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_imports_an_export_with_a_renamed_column_and_sees_the_counts(page, browser_problems, settings, tmp_path):
    settings.TELEWORK_IMPORT_DIR = tmp_path / "imports"
    city = build_city()
    width = page.viewport_size["width"]
    shots = Path(settings.BASE_DIR) / "var" / "screenshots"
    export = tmp_path / "hoso-mot-cua.csv"
    export.write_text("\n".join((HEADER.replace("Ngày tiếp nhận", "Thời điểm nộp"), *lines(city))), encoding="utf-8")

    login(page, city.hr.username, next_url=reverse("dossiers:import"))
    page.screenshot(path=str(shots / f"dossier-import-start-{width}.png"), full_page=True)
    page.check("#id_kind_dossiers")
    page.set_input_files("#id_file", str(export))
    page.click("#dossier-import-upload button[type=submit]")

    column = page.locator("#column-mapping [data-column]", has=page.locator("[data-unrecognised]"))
    column.wait_for()
    assert column.count() == 1
    assert "Thời điểm nộp" in column.inner_text()
    assert page.locator("#mapping-problems [data-problem=missing_column]").count() == 1
    page.screenshot(path=str(shots / f"dossier-import-mapping-{width}.png"), full_page=True)
    column.locator("select").select_option("received")
    page.click("#column-mapping button[type=submit]")

    page.wait_for_selector("#import-summary")
    assert page.locator("#import-summary [data-count=created]").inner_text() == "3"
    assert page.locator("#import-summary [data-count=refused]").inner_text() == "0"
    assert not Dossier.objects.exists()
    page.screenshot(path=str(shots / f"dossier-import-preview-{width}.png"), full_page=True)
    with page.expect_navigation():
        page.click("#import-submit")

    page.wait_for_selector("#import-result")
    assert page.locator("#import-counts [data-count=created]").inner_text() == "3"
    assert page.locator("#import-counts [data-count=refused]").inner_text() == "0"
    assert page.locator("#quality-link").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(shots / f"dossier-import-done-{width}.png"), full_page=True)
    assert Dossier.objects.filter(agency=city.agency).count() == 3
    assert DossierImport.objects.get().counts["created"] == 3

    page.goto(reverse("dossiers:import_history"))
    assert page.locator("#import-history tr[data-import]").count() == 1
    page.screenshot(path=str(shots / f"dossier-import-history-{width}.png"), full_page=True)

    # The next day's export, one row with a return before the reception: refused in words, with its column.
    broken = tmp_path / "hoso-loi.csv"
    rows = lines(city)
    rows[0] = rows[0].replace("17/11/2026 10:00", "15/11/2026 10:00")
    broken.write_text("\n".join((HEADER, *rows)), encoding="utf-8")
    page.goto(reverse("dossiers:import"))
    page.set_input_files("#id_file", str(broken))
    page.click("#dossier-import-upload button[type=submit]")
    page.wait_for_selector("#problem-rows")
    assert page.locator("#import-summary [data-count=refused]").inner_text() == "1"
    problem = page.locator("#problem-rows tr[data-row='2'] [data-problem=returned_before_received]")
    assert problem.get_attribute("data-column") == "Ngày trả kết quả"
    page.screenshot(path=str(shots / f"dossier-import-refused-{width}.png"), full_page=True)
    assert browser_problems == []
