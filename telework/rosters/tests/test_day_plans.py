"""What rosters tell the approval inbox about a requester's days (``rosters.day_plans``): leave not cancelled, and the
places of the newest *published* roster other than the office — never a draft the head is still working on."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.core import clock
from telework.rosters.day_plans import roster_and_leave_plans
from telework.rosters.models import EntryStatus, Leave, LeaveKind, Roster, RosterEntry, RosterStatus

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 7)


def roster(city, version, status, *, is_current):
    return Roster.objects.create(unit=city.unit, week_start=MONDAY, iso_week="2026-W50", version=version, status=status, days=[], is_current=is_current)


def test_leave_and_the_newest_published_place_are_told_and_a_draft_or_a_cancelled_leave_is_not(city):
    member = city.staff[0]
    published = roster(city, 1, RosterStatus.PUBLISHED, is_current=False)
    newer = roster(city, 2, RosterStatus.PUBLISHED, is_current=False)
    draft = roster(city, 3, RosterStatus.DRAFT, is_current=True)
    RosterEntry.objects.create(roster=published, staff=member, day=MONDAY, status=EntryStatus.HOME)
    RosterEntry.objects.create(roster=newer, staff=member, day=MONDAY, status=EntryStatus.DESK, service_point=city.desk)
    RosterEntry.objects.create(roster=draft, staff=member, day=MONDAY + dt.timedelta(days=1), status=EntryStatus.HOME)
    RosterEntry.objects.create(roster=newer, staff=member, day=MONDAY + dt.timedelta(days=2), status=EntryStatus.OFFICE)
    Leave.objects.create(staff=member, starts_on=MONDAY + dt.timedelta(days=3), ends_on=MONDAY + dt.timedelta(days=4), kind=LeaveKind.BUSINESS_TRIP)
    Leave.objects.create(staff=member, starts_on=MONDAY + dt.timedelta(days=2), ends_on=MONDAY + dt.timedelta(days=2), cancelled_at=clock.now())

    plans = roster_and_leave_plans([member.pk], MONDAY, MONDAY + dt.timedelta(days=4))

    assert {day: [(plan.label, plan.is_conflict) for plan in found] for (_staff, day), found in sorted(plans.items())} == {
        MONDAY: [("Trực: Bàn tiếp nhận hồ sơ", True)],
        MONDAY + dt.timedelta(days=3): [("Đi công tác", True)],
        MONDAY + dt.timedelta(days=4): [("Đi công tác", True)],
    }
