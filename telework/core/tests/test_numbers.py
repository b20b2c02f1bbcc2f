"""Numbers as the reader writes them: a decimal comma in Vietnamese (7,5 giờ; 33,3 %), a point in English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from telework.attendance import services as attendance
from telework.attendance.tests.builders import at, publish_roster
from telework.core import numbers
from telework.policy import labels

WEDNESDAY = dt.date(2026, 11, 18)


@pytest.fixture(autouse=True)
def _no_language_left_active():
    yield
    translation.deactivate()


@pytest.mark.parametrize(
    ("language", "hours", "share", "whole", "separator"),
    [("vi", "7,5", "33,3 %", "8", ","), ("en", "7.5", "33.3 %", "8", ".")],
)
def test_decimals_and_percentages_follow_the_language(language, hours, share, whole, separator):
    with translation.override(language):
        assert numbers.format_decimal(7.5) == hours
        assert numbers.format_decimal(8.0) == whole
        assert numbers.format_percent(1 / 3) == share
        assert numbers.format_percent(0.3) == "30 %"
        assert numbers.decimal_separator() == separator
        assert labels.format_value("max_home_share", 1 / 3) == share


@pytest.fixture
def worked_seven_and_a_half_hours(city, clock):
    publish_roster(city.unit, WEDNESDAY, {})
    member = city.staff[0]
    clock.move_to(at(WEDNESDAY, 8, 0))
    attendance.attendance_check_in(actor=member.user, mode="office")
    clock.move_to(at(WEDNESDAY, 15, 30))
    attendance.attendance_check_out(actor=member.user)
    return member


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "hours"), [("vi", "7,5"), ("en", "7.5")])
def test_hours_worked_on_the_check_in_page_and_the_timesheet_use_the_readers_separator(client, city, worked_seven_and_a_half_hours, language, hours):
    client.cookies["django_language"] = language
    client.force_login(worked_seven_and_a_half_hours.user)
    page = client.get(reverse("attendance:mine")).content.decode()
    client.force_login(city.head_user)
    sheet = client.get(reverse("attendance:timesheet") + f"?unit={city.unit.pk}&month=2026-11").content.decode()

    assert f"<strong data-hours>{hours}</strong>" in page
    assert f"CQ {hours}" in sheet
