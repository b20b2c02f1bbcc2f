"""Playwright fixtures for the tests marked ``browser``. Loaded by the root conftest (``pytest_plugins``).

Each test gets a fresh browser context on pytest-django's ``live_server`` (which serves static files, including
the front-end packages from node_modules, through ``django.contrib.staticfiles``), once at desktop width and once
at phone width. A failing test leaves a screenshot and the page's HTML under ``var/screenshots/``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 375, "height": 812},
}
DEFAULT_TIMEOUT_MS = 10_000
# The browser fetches the icon on its own and abandons the fetch when the test navigates away (ERR_ABORTED):
# neither is a page's problem.
IGNORED_PATHS = ("/favicon.ico", "/static/telework/favicon.svg")


def screenshot_dir() -> Path:
    from django.conf import settings

    return Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    # Keep each phase's report on the test item, so the ``page`` fixture knows at teardown whether the test failed.
    report = yield
    setattr(item, f"telework_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's chromium, headless, for the whole session (never ``playwright install``: no download at test time)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django would then refuse every ORM call made in the
    # test body (SynchronousOnlyOperation). The test body is plain synchronous code, so the check is lifted while
    # the browser runs, and only then.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_problems() -> list[str]:
    """What went wrong in the browser during the test: JavaScript errors, console errors, and requests to this
    server that failed (a missing static file, a 500 behind an HTMX swap). Tests assert it stays empty."""
    return []


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, chromium: Any, live_server: Any, browser_problems: list[str]) -> Iterator[Any]:
    """A Playwright page on the live server, in a fresh context (no cookies), Vietnamese browser locale.

    Parametrised: every browser test runs at desktop (1280×800) and phone (375×812) width.
    """
    if request.node.get_closest_marker("browser") is None:
        raise pytest.UsageError(f"{request.node.nodeid} uses the browser page: mark it @pytest.mark.browser")
    phone = request.param == "phone"
    context = chromium.new_context(
        base_url=live_server.url,
        viewport=VIEWPORTS[request.param],
        is_mobile=phone,
        has_touch=phone,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    browser_page = context.new_page()
    browser_page.on("pageerror", lambda error: browser_problems.append(f"JavaScript error: {error}"))

    def on_console(message: Any) -> None:
        source = message.location.get("url", "")
        if message.type == "error" and not source.endswith(IGNORED_PATHS):
            browser_problems.append(f"console error: {message.text} ({source})")

    browser_page.on("console", on_console)

    def on_response(response: Any) -> None:
        if response.url.startswith(live_server.url) and response.status >= 400 and not response.url.endswith(IGNORED_PATHS):
            browser_problems.append(f"{response.status} {response.request.method} {response.url}")

    browser_page.on("response", on_response)

    def on_request_failed(failed: Any) -> None:
        # ERR_ABORTED is the browser dropping a fetch because the test navigated away (the icon, a late stylesheet),
        # not a failure of the page.
        if "ERR_ABORTED" in str(failed.failure) or failed.url.endswith(IGNORED_PATHS):
            return
        browser_problems.append(f"request failed: {failed.url} {failed.failure}")

    browser_page.on("requestfailed", on_request_failed)
    try:
        yield browser_page
    finally:
        if any(getattr(getattr(request.node, f"telework_report_{when}", None), "failed", False) for when in ("setup", "call")):
            _keep_evidence(browser_page, request.node.nodeid)
        context.close()


def _keep_evidence(browser_page: Any, nodeid: str) -> None:
    directory = screenshot_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[-180:]
    try:
        browser_page.screenshot(path=str(directory / f"{stem}.png"), full_page=True)
        (directory / f"{stem}.html").write_text(browser_page.content(), encoding="utf-8")
    except Exception as error:  # noqa: BLE001 - evidence is best effort; the test's own failure is what matters
        print(f"could not save the screenshot of {nodeid}: {error}")
