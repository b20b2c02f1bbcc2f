"""What every home block reads the same way: how many rows a block lists, a link to a page that may not exist
yet, the newest published rosters of a week, and who is where on a day in many units at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from telework.attendance import rules
from telework.attendance import selectors as attendance
from telework.attendance.models import CheckIn
from telework.core import calendar
from telework.organization.models import Staff, Unit
from telework.registrations.models import RegistrationStatus
from telework.rosters.models import Roster, RosterEntry, RosterStatus, SwapStatus

# How far ahead "due soon" looks, in calendar days, and how many rows a home block lists before "see all".
DUE_SOON_DAYS = 7
FIRST_FEW = 5
# A decided request stays on the staff member's home page this long, so they see the answer.
RECENT_DECISION_DAYS = 7
# How far back the city's on-time rate looks at accepted work.
ON_TIME_WINDOW_DAYS = 30

PENDING_REGISTRATION_STATES = (RegistrationStatus.SUBMITTED, RegistrationStatus.CHANGES_REQUESTED)
PENDING_SWAP_STATES = (SwapStatus.REQUESTED, SwapStatus.ACCEPTED)


def safe_url(name: str, *args: Any) -> str:
    """The URL named ``name``, or "" when no such page exists (yet): a link to a screen another change brings."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def newest_published_rosters(week_start: dt.date, unit_ids: list[int] | None = None) -> dict[int, int]:
    """unit id → id of the newest published roster version of the week starting ``week_start`` (all units with one
    when ``unit_ids`` is None). One query."""
    rosters = Roster.objects.filter(week_start=week_start, status=RosterStatus.PUBLISHED)
    if unit_ids is not None:
        rosters = rosters.filter(unit_id__in=unit_ids)
    newest: dict[int, tuple[int, int]] = {}
    for unit_id, roster_id, version in rosters.values_list("unit_id", "id", "version"):
        if unit_id not in newest or version > newest[unit_id][1]:
            newest[unit_id] = (roster_id, version)
    return {unit_id: roster_id for unit_id, (roster_id, _version) in newest.items()}


def cutoff_passed(day: dt.date, now: dt.datetime) -> bool:
    """Whether ``now`` is past the day's check-in cut-off (09:00 local): from then on, expected and not checked in is missed."""
    return timezone.localtime(now) >= rules.cutoff_moment(day, attendance.DEFAULT_CUTOFF, timezone.get_current_timezone())


# ================================================================================================ who is where today


@dataclass
class Presence:
    """Who is where on a day in one unit (or a sum of units), from the published roster, leave and check-ins."""

    unit: Unit | None
    staff: int = 0
    office: int = 0  # at the office or at a desk
    home: int = 0
    leave: int = 0
    checked_in: int = 0
    has_roster: bool = False
    not_checked_in: list[tuple[str, str]] = field(default_factory=list)  # (name, code), expected and not checked in
    cutoff_passed: bool = False

    @property
    def missed(self) -> int:
        """Expected and not checked in after the cut-off."""
        return len(self.not_checked_in) if self.cutoff_passed else 0

    @property
    def waiting(self) -> int:
        return len(self.not_checked_in)

    def add(self, other: Presence) -> None:
        self.staff += other.staff
        self.office += other.office
        self.home += other.home
        self.leave += other.leave
        self.checked_in += other.checked_in
        self.has_roster = self.has_roster or other.has_roster
        self.not_checked_in += other.not_checked_in
        self.cutoff_passed = other.cutoff_passed


def presence_by_unit(units: list[Unit], day: dt.date, now: dt.datetime) -> dict[int, Presence]:
    """unit id → who is where on ``day``: active headcount, at the office (or a desk), at home and on leave from the
    newest published roster and recorded leave, how many checked in, and who the roster expects and has not checked
    in. Five queries, whatever the number of units and people."""
    unit_ids = [unit.pk for unit in units]
    is_past_cutoff = cutoff_passed(day, now)
    result = {unit.pk: Presence(unit=unit, cutoff_passed=is_past_cutoff) for unit in units}
    for unit_id, count in Staff.objects.filter(unit_id__in=unit_ids, is_active=True).values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"):
        result[unit_id].staff = count
    rosters = newest_published_rosters(day - dt.timedelta(days=day.weekday()), unit_ids)
    unit_of_roster = {roster_id: unit_id for unit_id, roster_id in rosters.items()}
    for unit_id in rosters:
        result[unit_id].has_roster = True
    entries = list(
        RosterEntry.objects.filter(roster_id__in=list(rosters.values()), day=day, staff__is_active=True)
        .order_by("staff__full_name", "staff__code")
        .values_list("roster_id", "staff_id", "status", "staff__full_name", "staff__code")
    )
    staff_ids = [staff_id for _roster, staff_id, _status, _name, _code in entries]
    leave = attendance.leave_days(staff_ids, day, day)
    checked_in = set(CheckIn.objects.filter(day=day, unit_id__in=unit_ids).values_list("staff_id", flat=True))
    is_working_day = calendar.is_working_day(day)
    for roster_id, staff_id, status, name, code in entries:
        presence = result[unit_of_roster[roster_id]]
        plan = rules.DayPlan(rostered=status, is_on_leave=day in leave.get(staff_id, {}), is_working_day=is_working_day)
        if plan.is_on_leave or status == rules.ROSTERED_LEAVE:
            presence.leave += 1
        elif status == rules.ROSTERED_HOME:
            presence.home += 1
        else:
            presence.office += 1
        if staff_id in checked_in:
            presence.checked_in += 1
        elif plan.expects_check_in:
            presence.not_checked_in.append((name, code))
    return result
