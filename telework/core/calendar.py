"""Working-day calendar: Monday to Friday minus Vietnamese public holidays (``holidays.VN``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from functools import lru_cache

import holidays
from django.utils import translation

# The library's languages for the product's: Vietnamese names by default, English when the reader chose English.
_HOLIDAY_LANGUAGES = {"vi": "vi", "en": "en_US"}


@lru_cache(maxsize=64)
def _vietnam_holidays(year: int, language: str = "vi") -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language=language)


def holiday_name(day: dt.date, language: str | None = None) -> str | None:
    """The name of the public holiday on ``day`` ("Mùng ba Tết Nguyên Đán" / "Third Day of Lunar New Year"), or None.

    In ``language`` ("vi" or "en"), by default the active language (Vietnamese outside a request)."""
    if day not in _vietnam_holidays(day.year):
        return None
    chosen = (language or translation.get_language() or "vi").split("-")[0]
    name = _vietnam_holidays(day.year, _HOLIDAY_LANGUAGES.get(chosen, "vi")).get(day)
    return str(name) if name else None


def is_working_day(day: dt.date) -> bool:
    """Monday–Friday and not a Vietnamese public holiday (Labour Code 2019, Art. 112)."""
    return day.weekday() < 5 and day not in _vietnam_holidays(day.year)


def days_between(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every calendar day from ``start`` to ``end`` inclusive."""
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Working days from ``start`` to ``end`` inclusive."""
    return [day for day in days_between(start, end) if is_working_day(day)]


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The date ``count`` working days after ``start`` (``count`` ≥ 0; 0 gives ``start``)."""
    day = start
    remaining = count
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def iso_week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of ``day``'s ISO week."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of ``day``'s month."""
    first = day.replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    return first, next_month - dt.timedelta(days=1)


# An ISO week as people and <input type="week"> write it: "2026-W49" (a one-digit week is accepted too).
ISO_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")


def iso_week_monday(text: str | None) -> dt.date | None:
    """The Monday of the ISO week written ``text`` ("2026-W49"); None when it is not written so or does not exist
    (week 53 of a 52-week year)."""
    match = ISO_WEEK.match((text or "").strip())
    if match is None:
        return None
    try:
        return dt.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
