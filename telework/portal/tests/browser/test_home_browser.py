"""Each role's home page on a phone (375 px): it loads after login, shows the role's block without a page wider than
the screen, and a staff member checks in with one tap on the home page itself. Screenshots of every role's home are
kept under ``var/screenshots/`` (not committed) to look at."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from telework.attendance.models import CheckIn
from telework.core.tests.browser.fixtures import screenshot_dir
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.portal.tests.builders import WEDNESDAY, agency_head, lived_in_week

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_ONLY = pytest.mark.parametrize("page", ["phone"], indirect=True)


def keep_screenshot(page: Any, name: str) -> None:
    directory = screenshot_dir()
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / f"home-{name}.png"), full_page=True)


def fits_the_screen(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


@PHONE_ONLY
@pytest.mark.parametrize(
    ("role", "block"),
    [
        ("staff", "#my-day"),
        ("unit_head", "#head-home"),
        ("agency_head", "#agency-home"),
        ("agency_hr", "#hr-home"),
        ("home_affairs", "#city-policy-home"),
        ("city_leadership", "#city-home"),
        ("system_admin", "#hr-home"),
    ],
)
def test_each_roles_home_fits_a_phone(page, browser_problems, role, block):
    city = build_city()
    lived_in_week(city)
    users = {
        "staff": city.staff[0].user,
        "unit_head": city.head_user,
        "agency_head": agency_head(city).user,
        "agency_hr": city.hr,
        "home_affairs": city.home_affairs,
        "city_leadership": city.leadership,
        "system_admin": city.admin,
    }
    login(page, users[role].username)
    page.locator(block).wait_for()
    assert page.locator(block).is_visible()
    assert fits_the_screen(page), f"the {role} home is wider than the phone"
    keep_screenshot(page, role)
    assert browser_problems == []


@PHONE_ONLY
def test_a_unit_head_reads_their_own_day_before_their_units(page, browser_problems):
    city = build_city()
    lived_in_week(city)
    login(page, city.head_user.username)
    own = page.locator("#my-day").bounding_box()
    units = page.locator("#head-home").bounding_box()
    assert own is not None
    assert units is not None
    assert own["y"] < units["y"]
    assert browser_problems == []


def test_staff_check_in_with_one_tap_on_the_home_page(page, browser_problems):
    city = build_city()
    lived_in_week(city)
    member = city.staff[0]  # the roster has them at home today
    login(page, member.user.username)
    button = page.locator("#home-check-in button.btn-primary")
    assert button.get_attribute("data-mode") == "home"
    box = button.bounding_box()
    assert box is not None
    assert box["height"] >= 44  # a thumb's target
    button.click()
    page.locator("#my-day[data-state=checked-in]").wait_for()
    check_in = CheckIn.objects.get(staff=member)
    assert (check_in.day, check_in.mode) == (WEDNESDAY, "home")
    shown = page.locator("#home-check-in-status [data-checked-in-at]").inner_text()
    assert shown == f"{timezone.localtime(check_in.checked_in_at):%H:%M}"
    assert page.locator("main .alert-success").is_visible()
    assert fits_the_screen(page)
    keep_screenshot(page, f"staff-checked-in-{page.viewport_size['width']}")

    page.locator("#home-check-out button").click()
    page.locator("#my-day[data-state=checked-out]").wait_for()
    check_in.refresh_from_db()
    assert check_in.checked_out_at is not None
    assert browser_problems == []
