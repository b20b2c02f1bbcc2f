"""Helpers for browser tests: what a user does on every page (log in, switch the language)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

PASSWORD = "password123"  # every user of the ``city`` fixture


def login(page: Any, username: str, password: str = PASSWORD, *, next_url: str = "") -> None:
    """Log in through the login form, as a person would, and wait until the app has left the login page."""
    login_url = reverse("accounts:login")
    page.goto(f"{login_url}?next={next_url}" if next_url else login_url)
    form = page.locator("main form")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if page.url.split("?")[0].endswith(login_url):
        refused = page.locator("main .alert-danger")
        raise AssertionError(f"logging in as {username} failed: {refused.inner_text() if refused.count() else 'still on the login page'}")


def switch_language(page: Any, language: str) -> None:
    """Press the language button in the top bar (it offers the other language) and wait for the page to reload."""
    page.locator(f"form[action='{reverse('set_language')}'] button[name=language][value={language}]").click()
    page.wait_for_function("language => document.documentElement.lang === language", arg=language)
