"""Public holidays are named in the reader's language: Vietnamese by default, English when English was chosen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from telework.core import calendar

TET_THIRD_DAY = dt.date(2027, 2, 8)
NATIONAL_DAY = dt.date(2027, 9, 2)


def test_a_holiday_is_named_in_vietnamese_by_default():
    translation.deactivate()  # no language chosen: the site's (a request earlier in this thread may have left one)
    assert calendar.holiday_name(TET_THIRD_DAY) == "Mùng ba Tết Nguyên Đán"
    assert calendar.holiday_name(NATIONAL_DAY) == "Quốc khánh"
    assert calendar.holiday_name(dt.date(2027, 1, 1)) == "Tết Dương lịch"


def test_a_holiday_is_named_in_english_when_english_is_active():
    with translation.override("en"):
        assert calendar.holiday_name(TET_THIRD_DAY) == "Third Day of Lunar New Year"
        assert calendar.holiday_name(NATIONAL_DAY) == "National Day"
    with translation.override("vi"):
        assert calendar.holiday_name(NATIONAL_DAY) == "Quốc khánh"


def test_an_explicit_language_wins_and_an_ordinary_day_has_no_name():
    with translation.override("en"):
        assert calendar.holiday_name(NATIONAL_DAY, language="vi") == "Quốc khánh"
    assert calendar.holiday_name(NATIONAL_DAY, language="en") == "National Day"
    assert calendar.holiday_name(dt.date(2027, 9, 6)) is None
    assert calendar.is_working_day(dt.date(2027, 9, 6)) is True
    with translation.override("en"):
        assert calendar.is_working_day(NATIONAL_DAY) is False


@pytest.mark.django_db
@pytest.mark.frozen_at("2027-09-02 08:00")
def test_the_attendance_board_names_the_holiday_in_the_readers_language(client, city):
    client.force_login(city.head_user)

    vietnamese = client.get(reverse("attendance:board"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    in_english = client.get(reverse("attendance:board"))

    assert "Quốc khánh" in vietnamese.content.decode()
    assert "National Day" not in vietnamese.content.decode()
    assert "Public holiday (National Day): nobody is expected to check in." in in_english.content.decode()
    assert "Quốc khánh" not in in_english.content.decode()


@pytest.fixture(autouse=True)
def _no_language_left_active():
    # A request leaves its language active in the thread; the next test must not inherit English.
    yield
    translation.deactivate()
