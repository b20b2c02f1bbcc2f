"""The one clock production code reads: ``clock.now()`` and ``clock.today()``.

Every "now" and "today" in the product comes from here, never from ``date.today()``, ``datetime.now()`` or
``timezone.now()`` directly, so that there is one seam to control. Tests move it with time-machine (the root
``conftest.py`` freezes every test on a fixed, holiday-aware date); the demo builds its weeks around
``clock.today()``. "Today" is the local date in ``settings.TIME_ZONE`` (Asia/Ho_Chi_Minh), not UTC: at 06:30 in Ho
Chi Minh City it is already tomorrow in UTC's terms until 07:00.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current moment, timezone-aware (UTC)."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in the city's time zone."""
    return timezone.localdate(now())


def local_now() -> dt.datetime:
    """The current moment in the city's time zone (for "after 09:00" rules)."""
    return timezone.localtime(now())
