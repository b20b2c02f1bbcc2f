"""Builders for the home-page tests: a lived-in week in the test city (published roster, an approved home day, work
due and late, a pending registration), written straight into the tables as the other apps' test builders do."""

from __future__ import annotations

import datetime as dt
from typing import Any

from telework.accounts.models import Role
from telework.assignments.models import Alert, AlertKind, AlertSeverity, WorkItem
from telework.assignments.tests.helpers import assign
from telework.attendance import services as attendance_services
from telework.attendance.tests.builders import at, publish_roster
from telework.core import clock
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.registrations.models import Registration, RegistrationDay, RegistrationMode, RegistrationStatus
from telework.rosters.models import EntryStatus

# The suite's frozen day: Wednesday 18 November 2026, 09:30 — after the 09:00 check-in cut-off.
MONDAY = dt.date(2026, 11, 16)
WEDNESDAY = dt.date(2026, 11, 18)


def registration(staff: Any, days: list[dt.date], status: str = RegistrationStatus.SUBMITTED) -> Registration:
    """A registration of ``staff`` for ``days`` (dates mode); approved ones count their days against the caps."""
    approved = status == RegistrationStatus.APPROVED
    created = Registration.objects.create(
        staff=staff,
        unit=staff.unit,
        starts_on=min(days),
        ends_on=max(days),
        mode=RegistrationMode.DATES,
        requested_dates=[day.isoformat() for day in days],
        status=status,
        submitted_at=clock.now(),
        approved_at=clock.now() if approved else None,
        commitment_accepted=True,
    )
    RegistrationDay.objects.bulk_create([RegistrationDay(registration=created, staff=staff, unit=staff.unit, day=day, is_counted=approved) for day in days])
    return created


def late_item(city: Any, staff: Any, *, title: str = "Báo cáo tháng 10") -> WorkItem:
    """Work assigned two weeks ago and due last Friday, still open, with its overdue alert."""
    item = assign(
        city, staff=staff, today=MONDAY - dt.timedelta(days=14), title=title, starts_on=MONDAY - dt.timedelta(days=14), due_on=MONDAY - dt.timedelta(days=3)
    )
    Alert.objects.create(item=item, kind=AlertKind.OVERDUE, severity=AlertSeverity.DANGER, day=WEDNESDAY, rule="work_item.due_on")
    return item


def lived_in_week(city: Any) -> dict[str, Any]:
    """This week's roster published for the head's unit: staff[0] at home on Wednesday (an approved home day), staff[1]
    on leave in the roster, everyone else at the office; staff[2] has checked in; staff[0] has a late item and one due
    Friday; staff[3] waits for a decision on a registration."""
    home, on_leave, checked = city.staff[0], city.staff[1], city.staff[2]
    roster = publish_roster(city.unit, WEDNESDAY, {home: EntryStatus.HOME, on_leave: EntryStatus.LEAVE})
    approved = registration(home, [WEDNESDAY], RegistrationStatus.APPROVED)
    pending = registration(city.staff[3], [dt.date(2026, 11, 26), dt.date(2026, 11, 27)])
    attendance_services.attendance_check_in(actor=checked.user, mode="office", now=at(WEDNESDAY, 8, 5))
    late = late_item(city, home)
    due = assign(city, staff=home, today=MONDAY, title="Dự thảo kế hoạch", starts_on=MONDAY, due_on=dt.date(2026, 11, 20))
    return {"roster": roster, "approved": approved, "pending": pending, "late": late, "due": due}


def agency_head(city: Any) -> Any:
    """The agency's director, in the agency's board of directors (a unit of their own), with the agency head's role."""
    board = UnitFactory(agency=city.agency, name="Ban Giám đốc")
    return StaffFactory(unit=board, position=city.head.position, is_leader=True, full_name="Võ Văn Giám Đốc", user__role=Role.AGENCY_HEAD)
