"""In a real browser (desktop and phone): Home Affairs must enrol an authenticator after the password (QR code, key,
recovery codes), then passes the verification step at the next login; five wrong passwords lock the login."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.urls import reverse
from django_otp.oath import totp

from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/work/shots/secure"


def code_for(secret: str) -> str:
    return f"{totp(base64.b32decode(secret)):06d}"


def test_home_affairs_enrols_then_verifies_after_the_password(page, browser_problems, live_server, settings, clock):
    settings.SECOND_FACTOR_REQUIRED = True
    city = build_city()
    width = page.viewport_size["width"]
    login(page, city.home_affairs.username)
    assert reverse("accounts:two_factor") in page.url
    assert page.locator("#qr-code svg").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=f"{SHOTS}/two-factor-enrol-{width}.png", full_page=True)

    secret = page.locator("#otp-secret").inner_text()
    page.fill("#id_code", code_for(secret))
    page.get_by_role("button", name="Bật đăng nhập hai bước").click()
    codes = page.locator("#recovery-codes li")
    codes.first.wait_for()
    assert codes.count() == 10
    page.screenshot(path=f"{SHOTS}/two-factor-recovery-{width}.png", full_page=True)

    page.context.clear_cookies()
    clock.shift(dt.timedelta(seconds=31))
    login(page, city.home_affairs.username)
    assert reverse("accounts:verify") in page.url
    page.screenshot(path=f"{SHOTS}/verify-{width}.png", full_page=True)
    page.fill("#id_code", code_for(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Xác nhận").click()
    assert reverse("accounts:verify") not in page.url
    assert reverse("accounts:two_factor") not in page.url


def test_five_wrong_passwords_lock_the_login_with_a_message_in_vietnamese(page, browser_problems, live_server):
    city = build_city()
    width = page.viewport_size["width"]
    for _attempt in range(5):
        page.goto(reverse("accounts:login"))
        page.fill("#id_username", city.staff[0].user.username)
        page.fill("#id_password", "sai-mat-khau-123")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
    assert "Đăng nhập sai quá nhiều lần" in page.locator("#locked-out").inner_text()
    page.screenshot(path=f"{SHOTS}/locked-out-{width}.png", full_page=True)


def test_the_tokens_page_offers_scopes_and_lifetimes(page, browser_problems, live_server):
    city = build_city()
    width = page.viewport_size["width"]
    login(page, city.staff[0].user.username, next_url=reverse("accounts:tokens"))
    page.fill("#token-name", "Điện thoại")
    page.select_option("#token-scope", "check_in")
    page.fill("#token-days", "30")
    page.get_by_role("button", name="Tạo mã truy cập").click()
    page.locator("#new-token").wait_for()
    row = page.locator("table tbody tr").first.inner_text()
    assert "Chỉ chấm công (điện thoại)" in row
    assert "18/12/2026" in row
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=f"{SHOTS}/tokens-{width}.png", full_page=True)
