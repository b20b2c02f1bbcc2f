"""Test helpers for attendance: a published roster written straight into the tables (the solver is the rosters
app's business), leave, and moments in Ho Chi Minh City time."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from telework.core import calendar
from telework.rosters.models import EntryStatus, Leave, LeaveKind, Roster, RosterEntry, RosterStatus

SAIGON = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment on ``day`` in local time (Asia/Ho_Chi_Minh)."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SAIGON)


def publish_roster(
    unit: Any, day: dt.date, statuses: dict[Any, str], *, default: str = EntryStatus.OFFICE, version: int = 1, published: bool = True, service_point: Any = None
) -> Roster:
    """A roster version for ``day``'s week in which every active member of ``unit`` is at ``default`` on every
    working day except the (staff → status) given for ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    days = calendar.working_days(monday, monday + dt.timedelta(days=4))
    Roster.objects.filter(unit=unit, week_start=monday, is_current=True).update(is_current=False)
    roster = Roster.objects.create(
        unit=unit,
        week_start=monday,
        iso_week="{}-W{:02d}".format(*monday.isocalendar()[:2]),
        version=version,
        status=RosterStatus.PUBLISHED if published else RosterStatus.DRAFT,
        is_current=True,
        days=[item.isoformat() for item in days],
    )
    entries = []
    for member in unit.staff.filter(is_active=True):
        for item in days:
            status = statuses.get(member, default) if item == day else default
            entries.append(
                RosterEntry(roster=roster, staff=member, day=item, status=status, service_point=service_point if status == EntryStatus.DESK else None)
            )
    RosterEntry.objects.bulk_create(entries)
    return roster


def record_leave(staff: Any, starts_on: dt.date, ends_on: dt.date | None = None, kind: str = LeaveKind.ANNUAL) -> Leave:
    return Leave.objects.create(staff=staff, starts_on=starts_on, ends_on=ends_on or starts_on, kind=kind)
