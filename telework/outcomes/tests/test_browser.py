"""In a real browser (desktop and phone width): a unit head reads what the indicators mean, then their unit's panel,
and downloads it. ``TELEWORK_SHOTS=/some/dir`` keeps a screenshot of both pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.outcomes import panel
from telework.outcomes.tests import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def keep(page, name: str) -> None:
    directory = os.environ.get("TELEWORK_SHOTS")
    if directory:
        width = page.viewport_size["width"]
        page.screenshot(path=str(Path(directory) / f"{name}-{width}.png"), full_page=True)


def test_a_unit_head_reads_the_dictionary_then_the_unit_panel(page, browser_problems):
    city = build_city()
    builders.dossiers(city)
    builders.work_items(city)
    builders.roster_and_check_ins(city)
    panel.refresh(builders.WEEK)
    login(page, city.head.code, next_url=reverse("outcomes:indicators"))
    assert page.locator("#indicator-dictionary section.indicator").count() >= 16
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert "Hồ sơ trả kết quả đúng hạn" in page.locator("#indicator-dictionary").inner_text()
    keep(page, "indicators")
    with page.expect_navigation():
        page.locator("#unit-panel-link").click()
    assert page.locator("h1").inner_text().endswith(city.unit.name)
    table = page.locator("#unit-panel")
    row = table.locator("tbody tr", has_text="Hồ sơ trả kết quả đúng hạn")
    assert "50,0 %" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    keep(page, "unit-panel")
    with page.expect_download() as download:
        page.locator("#panel-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert browser_problems == []
