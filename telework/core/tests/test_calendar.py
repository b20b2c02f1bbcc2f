"""ISO weeks as people write them: every page, form and API that takes a week reads it with the same function."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.core import calendar


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W49", dt.date(2026, 11, 30)),
        (" 2026-W05 ", dt.date(2026, 1, 26)),
        ("2026-W5", dt.date(2026, 1, 26)),
        ("2026-W53", dt.date(2026, 12, 28)),  # 2026 has 53 ISO weeks
        ("2025-W53", None),  # 2025 has 52
        ("2026-W00", None),
        ("2026-49", None),
        ("tuần 49", None),
        ("", None),
        (None, None),
    ],
)
def test_an_iso_week_is_read_as_its_monday(text, monday):
    assert calendar.iso_week_monday(text) == monday
