"""Single sign-on in a real browser (desktop and phone) against the test identity provider (django-oauth-toolkit in a
subprocess): the button on our login page, the provider's own login form, and back — signed in as the staff member
whose code the provider sent, or refused in words on our login page. The content-security policy is enforced: a
redirect or script it blocked would be a console error, and the test fails on any."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from telework.accounts import oidc
from telework.accounts.models import Role
from telework.core.models import AuditEvent
from telework.organization.tests.factories import StaffFactory, UserFactory
from telework.organization.tests.oidc_provider.provider import Provider, running_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PEOPLE = {
    "079100000011": {"password": "provider-pass-11", "staff_code": "SSO-BINH"},
    "079100000012": {"password": "provider-pass-12", "staff_code": "SSO-KHONG-CO"},
}
SHOTS = "/work/shots/secure"


@pytest.fixture(scope="module")
def provider(live_server: Any) -> Iterator[Provider]:
    with running_provider(
        people=PEOPLE,
        redirect_uris=[f"{live_server.url}{reverse('sso:callback')}"],
        post_logout_redirect_uris=[f"{live_server.url}{reverse('accounts:login')}"],
    ) as started:
        yield started


@pytest.fixture
def sso(provider: Provider, clock: Any) -> Iterator[Provider]:
    provider.sync_clock()
    oidc.forget_discovery()
    with override_settings(**provider.settings()):
        yield provider
    oidc.forget_discovery()


def sign_in_at_provider(page: Any, username: str) -> None:
    page.goto(reverse("accounts:login"))
    with page.expect_navigation():
        page.locator("#sso-login").click()
    form = page.locator("#provider-login")
    form.wait_for()
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill(PEOPLE[username]["password"])
    with page.expect_navigation(url=lambda url: "/accounts/sso/callback/" not in url and ":" in url and "provider" not in url):
        form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_a_staff_member_signs_in_through_the_provider_and_lands_on_their_home_page(page, browser_problems, live_server, sso):
    StaffFactory(code="SSO-BINH", full_name="Lê Văn Bình", user=UserFactory(username="binh", role=Role.STAFF))
    width = page.viewport_size["width"]
    page.goto(reverse("accounts:login"))
    page.screenshot(path=f"{SHOTS}/sso-login-{width}.png", full_page=True)

    sign_in_at_provider(page, "079100000011")

    assert page.url.startswith(live_server.url)
    assert reverse("accounts:login") not in page.url
    assert "Lê Văn Bình" in page.locator("nav").inner_html()  # the account menu (collapsed at phone width)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=f"{SHOTS}/sso-home-{width}.png", full_page=True)
    assert AuditEvent.objects.filter(action="account.sso_login").count() == 1
    assert browser_problems == []


def test_a_code_the_provider_sends_that_nobody_has_is_refused_in_words_on_the_login_page(page, browser_problems, live_server, sso):
    width = page.viewport_size["width"]
    sign_in_at_provider(page, "079100000012")

    assert reverse("accounts:login") in page.url
    message = page.locator("main .alert").first.inner_text()
    assert "SSO-KHONG-CO" in message
    assert "không có trong danh sách cán bộ" in message
    page.screenshot(path=f"{SHOTS}/sso-refused-{width}.png", full_page=True)
    assert AuditEvent.objects.get(action="account.sso_refused").after == {"refusal": "unknown_code", "code": "SSO-KHONG-CO"}
    assert browser_problems == []
