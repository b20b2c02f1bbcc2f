"""The preferences page in a browser, on a phone: a person turns e-mail on for rosters and off for decisions."""

from __future__ import annotations

import os

import pytest

from telework.core.models import NotificationPreferences
from telework.core.tests.browser.pages import login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [375, 1280])
def test_a_person_chooses_email_for_rosters_and_not_for_decisions(page, city, browser_problems, width):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": width, "height": 900})
    member = city.staff[0].user
    login(page, member.username, next_url="/preferences/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tùy chọn thông báo")
    expect(page.locator("#pref-account-email")).to_be_disabled()
    expect(page.locator("#pref-approvals-in_app")).to_be_disabled()
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling on a phone
    page.locator("#pref-rosters-email").check()
    page.locator("#pref-approvals-email").uncheck()
    page.select_option("#language", "en")
    if os.environ.get("TELEWORK_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['TELEWORK_SCREENSHOTS']}/preferences-{width}.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã lưu tùy chọn thông báo của bạn.")
    expect(page.locator("#pref-rosters-email")).to_be_checked()
    expect(page.locator("#pref-approvals-email")).not_to_be_checked()
    preferences = NotificationPreferences.objects.get(user=member)
    assert (preferences.channels, preferences.language) == ({"approvals": {"email": False}, "rosters": {"email": True}}, "en")
