"""In a real browser: the one unit picker narrows a long list as you type (diacritics ignored) and opens the unit
chosen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.organization.tests.factories import UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_long_unit_list_narrows_as_you_type_and_opens_the_unit_chosen(page, browser_problems):
    city = build_city()
    for index in range(14):
        UnitFactory(agency=city.agency, name=f"Phòng Quản lý đô thị {index}")
    login(page, city.home_affairs.username, next_url=reverse("registrations:overview"))
    picker = page.locator("[data-unit-picker]")
    assert picker.count() == 1
    page.fill("[data-unit-filter]", "quan ly do thi 1")
    shown = page.locator("#overview-unit option:not([hidden])").evaluate_all("options => options.map(option => [option.textContent, option.selected])")
    names = [name for name, _selected in shown]
    assert "Phòng Quản lý đô thị 1" in names
    assert "Phòng Quản lý đô thị 12" in names
    assert "Phòng Quản lý đô thị 2" not in names
    # Only the matches stay, and the unit shown now (kept so the page still says where it is).
    assert all("Quản lý đô thị 1" in name or selected for name, selected in shown)
    target = page.locator("#overview-unit option", has_text="Phòng Quản lý đô thị 12").get_attribute("value")
    with page.expect_navigation():
        page.select_option("#overview-unit", target)
    assert f"unit={target}" in page.url
    assert browser_problems == []
