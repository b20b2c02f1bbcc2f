"""Proves the browser set-up end to end: log in, the home page, static assets, the language switch."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from telework.core.tests.browser.pages import login, switch_language

pytestmark = pytest.mark.browser


def greeting(language: str, name: str) -> str:
    with translation.override(language):
        return gettext("Hello, %(name)s") % {"name": name}


def test_staff_member_logs_in_sees_their_name_and_eligibility_and_switches_language(page, city, browser_problems):
    from playwright.sync_api import expect

    member = city.staff[0]
    login(page, member.user.username)

    assert page.url.endswith(reverse("portal:home"))
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(greeting("vi", member.full_name))
    # The eligibility card: an eligible officer is offered the registration form and the rule-by-rule page.
    card = page.locator(".card", has=page.locator(f"a[href='{reverse('registrations:eligibility')}']"))
    expect(card).to_be_visible()
    expect(card.locator(f"a[href='{reverse('registrations:new')}']")).to_be_visible()
    expect(card.locator(".bi-check-circle")).to_be_visible()
    # Bootstrap's stylesheet came from node_modules through the live server: the top bar is styled.
    expect(page.locator("nav.navbar")).to_have_css("background-color", "rgb(13, 110, 253)")

    switch_language(page, "en")
    assert page.url.endswith(reverse("portal:home"))
    expect(heading).to_have_text(greeting("en", member.full_name))
    expect(page.locator("button[name=language][value=vi]")).to_have_text("Tiếng Việt")

    switch_language(page, "vi")
    expect(heading).to_have_text(greeting("vi", member.full_name))
    expect(page.locator("button[name=language][value=en]")).to_have_text("English")
    assert browser_problems == []
