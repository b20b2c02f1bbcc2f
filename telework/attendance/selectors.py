"""Reads for attendance, scoped by the viewer: the facts a check-in is compared with, my day and month, a unit's
live board for a day, a unit's monthly timesheet, and who is expected to check in on a day (for missed check-ins).

The roster a person follows is the newest *published* version of their unit's roster for the week (a draft the
head is still working on is not what staff were told); recorded leave that is not cancelled counts whatever the
roster says.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from telework.accounts.models import ApiToken, User
from telework.accounts.types import Viewer
from telework.attendance import permissions, rules
from telework.attendance.models import CheckIn, CheckInCorrection, Finding, MissedCheckIn
from telework.core import calendar, clock
from telework.core.db import hot_cursor
from telework.core.exceptions import NotFound
from telework.organization import scope
from telework.organization.models import Staff, Unit
from telework.rosters.models import Leave, Roster, RosterEntry, RosterStatus

# A roster status in a sentence ("the roster has you at home today").
ROSTER_STATUS_LABELS: dict[str, Any] = {
    rules.ROSTERED_OFFICE: gettext_lazy("at the office"),
    rules.ROSTERED_DESK: gettext_lazy("at the one-stop desk or duty post"),
    rules.ROSTERED_HOME: gettext_lazy("at home"),
    rules.ROSTERED_LEAVE: gettext_lazy("on leave"),
}

# The cut-off after which an expected check-in is missed (09:00 local). ``detect_missed_checkins --cutoff`` and
# the Celery beat entry may set another.
DEFAULT_CUTOFF = dt.time(9, 0)


# value → label of a choice, looked up without ``Choices.values`` (rebuilt at every access) or
# ``get_FOO_display`` (which hashes the whole choice list): the check-in's answer reads three of them at the peak.
_FINDING_LABELS = dict(Finding.choices)


def finding_label(finding: str) -> str:
    """A finding as a person reads it ("At home, but the roster says at the office"); empty for none."""
    label = _FINDING_LABELS.get(finding)
    return str(label) if label is not None else ""


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# --- the check-in's facts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInContext:
    """Who is checking in on ``day`` and what the day's plan says: enough for ``rules.compare`` and the insert."""

    user_id: int
    day: dt.date
    staff_id: int
    unit_id: int
    rostered: str | None
    is_on_leave: bool


# The user's columns the token read loads; the others stay deferred (loaded on first access, as with ``only()``).
_CALLER_FIELDS = ("id", "username", "first_name", "last_name", "role", "is_active", "is_staff", "is_superuser")


def check_in_facts_sql() -> str:
    """The columns ``rostered`` (the status in the newest published roster for the day, NULL without one) and
    ``is_on_leave`` (recorded, uncancelled leave covers the day) of the staff row aliased ``s``, through the
    ``(staff, day)`` index of roster entries and the leave index. Parameters ``%(day)s`` and ``%(published)s``
    (``facts_parameters``)."""
    entry, roster, leave = (model._meta.db_table for model in (RosterEntry, Roster, Leave))
    return (
        f"(SELECT e.status FROM {entry} e JOIN {roster} r ON r.id = e.roster_id "  # noqa: S608 - names from the models
        "WHERE e.staff_id = s.id AND e.day = %(day)s AND r.status = %(published)s ORDER BY r.version DESC, r.id DESC LIMIT 1) AS rostered, "
        f"EXISTS (SELECT 1 FROM {leave} l WHERE l.staff_id = s.id AND l.cancelled_at IS NULL "
        "AND l.starts_on <= %(day)s AND l.ends_on >= %(day)s) AS is_on_leave"
    )


def facts_parameters(day: dt.date) -> dict[str, Any]:
    return {"day": day.isoformat(), "published": RosterStatus.PUBLISHED.value}


def _check_in_context_sql() -> tuple[str, str]:
    """The morning peak's read, written once as SQL: built with the ORM (a Subquery and an Exists annotation, the
    token joined to its user) the same read costs more CPU per request than the rest of the check-in together
    (measured by ``bench/checkin.py``). Names come from the models; it runs on SQLite and PostgreSQL alike.

    The first form starts from the user, the second from an API token's digest (the token, its user and the user's
    check-in facts in one read)."""
    users, tokens, staff = (model._meta.db_table for model in (User, ApiToken, Staff))
    facts = check_in_facts_sql()
    user_columns = ", ".join(f"u.{field.column}" for name in _CALLER_FIELDS if isinstance(field := User._meta.get_field(name), models.Field))
    by_user = f"SELECT s.id, s.unit_id, {facts} FROM {staff} s WHERE s.user_id = %(user_id)s AND s.is_active"  # noqa: S608 - names from the models
    by_token = (
        f"SELECT {user_columns}, t.id, s.id, s.unit_id, {facts} "  # noqa: S608 - names from the models
        f"FROM {users} u JOIN {tokens} t ON t.user_id = u.id LEFT JOIN {staff} s ON s.user_id = u.id AND s.is_active "
        f"WHERE t.key_digest = %(digest)s AND {ApiToken.check_in_sql()} AND u.is_active"
    )
    return by_user, by_token


_CONTEXT_BY_USER_SQL, _CONTEXT_BY_TOKEN_SQL = _check_in_context_sql()


def check_in_context(*, user: Viewer, day: dt.date) -> CheckInContext | None:
    """The staff record of ``user`` with their status in the newest published roster for ``day`` and whether
    recorded leave covers it, in ONE query (the morning peak's read): the roster cell is found through the
    ``(staff, day)`` index of roster entries, the leave through the ``(staff, starts_on, ends_on)`` index.
    None when the account has no active staff record."""
    if not user.is_authenticated:
        return None
    with hot_cursor() as cursor:
        cursor.execute(_CONTEXT_BY_USER_SQL, {**facts_parameters(day), "user_id": user.pk})
        row = cursor.fetchone()
    if row is None:
        return None
    staff_id, unit_id, rostered, is_on_leave = row
    return CheckInContext(user_id=user.pk, day=day, staff_id=staff_id, unit_id=unit_id, rostered=rostered, is_on_leave=bool(is_on_leave))


@dataclass(frozen=True)
class TokenCaller:
    """The holder of an API token: the user (the columns of ``_CALLER_FIELDS`` loaded, the rest deferred), the
    token's id, and their check-in facts for the day (None without an active staff record)."""

    user: User
    token_id: int
    context: CheckInContext | None


def caller_by_token(*, key: str, day: dt.date) -> TokenCaller | None:
    """The active user holding the unrevoked API token ``key`` (the rule of ``ApiToken.authenticate``) with their
    check-in facts for ``day``, in ONE indexed read (the token's unique digest, then the roster and leave indexes as
    in ``check_in_context``). None for an unknown or revoked token or an inactive user. Nothing is written: the
    caller stamps the token's use."""
    with hot_cursor() as cursor:
        cursor.execute(_CONTEXT_BY_TOKEN_SQL, {**facts_parameters(day), "digest": ApiToken.digest(key), "token_now": clock.now()})
        row = cursor.fetchone()
    if row is None:
        return None
    width = len(_CALLER_FIELDS)
    token_id, staff_id, unit_id, rostered, is_on_leave = row[width:]
    user = User.from_db(connection.alias, list(_CALLER_FIELDS), list(row[:width]))
    context = None
    if staff_id is not None:
        context = CheckInContext(user_id=user.pk, day=day, staff_id=staff_id, unit_id=unit_id, rostered=rostered, is_on_leave=bool(is_on_leave))
    return TokenCaller(user=user, token_id=token_id, context=context)


def day_plan(context: CheckInContext, day: dt.date) -> rules.DayPlan:
    return rules.DayPlan(rostered=context.rostered, is_on_leave=context.is_on_leave, is_working_day=calendar.is_working_day(day))


# --- published rosters and leave for many people ---------------------------------------------------------------


@dataclass(frozen=True)
class RosterCell:
    status: str
    service_point: str = ""  # the desk or duty post's name, for "desk"


def published_roster_ids(unit_ids: list[int], day: dt.date) -> dict[int, int]:
    """For each unit, the id of the newest published roster of ``day``'s week (units without one are absent)."""
    newest: dict[int, tuple[int, int]] = {}
    for unit_id, roster_id, version in Roster.objects.filter(unit_id__in=unit_ids, week_start=week_start(day), status=RosterStatus.PUBLISHED).values_list(
        "unit_id", "id", "version"
    ):
        if unit_id not in newest or version > newest[unit_id][1]:
            newest[unit_id] = (roster_id, version)
    return {unit_id: roster_id for unit_id, (roster_id, _version) in newest.items()}


def roster_cells(roster_ids: list[int], days: list[dt.date]) -> dict[tuple[int, dt.date], RosterCell]:
    """(staff id, day) → the cell of those rosters on those days."""
    cells: dict[tuple[int, dt.date], RosterCell] = {}
    if not roster_ids or not days:
        return cells
    for staff_id, day, status, point in RosterEntry.objects.filter(roster_id__in=roster_ids, day__in=days).values_list(
        "staff_id", "day", "status", "service_point__name"
    ):
        cells[(staff_id, day)] = RosterCell(status=status, service_point=point or "")
    return cells


def month_roster_cells(unit: Unit, days: list[dt.date]) -> dict[tuple[int, dt.date], RosterCell]:
    """(staff id, day) → the cell of the newest published roster of ``unit`` for each week the days touch."""
    rosters: list[int] = []
    for monday in sorted({week_start(day) for day in days}):
        rosters += published_roster_ids([unit.pk], monday).values()
    return roster_cells(rosters, days)


def leave_days(staff_ids: list[int], first_day: dt.date, last_day: dt.date) -> dict[int, dict[dt.date, str]]:
    """staff id → {day: kind of leave} for recorded, uncancelled leave between two dates."""
    result: dict[int, dict[dt.date, str]] = defaultdict(dict)
    if not staff_ids:
        return result
    for staff_id, starts_on, ends_on, kind in Leave.objects.filter(
        staff_id__in=staff_ids, cancelled_at__isnull=True, starts_on__lte=last_day, ends_on__gte=first_day
    ).values_list("staff_id", "starts_on", "ends_on", "kind"):
        for day in calendar.days_between(max(starts_on, first_day), min(ends_on, last_day)):
            result[staff_id][day] = kind
    return result


# --- my day -----------------------------------------------------------------------------------------------------


@dataclass
class MyDay:
    """What the check-in page shows a staff member."""

    staff: Staff
    day: dt.date
    is_working_day: bool
    holiday: str | None
    roster_cell: RosterCell | None
    leave_kind: str
    check_in: CheckIn | None
    open_earlier: CheckIn | None  # an earlier check-in never checked out

    @property
    def plan(self) -> rules.DayPlan:
        return rules.DayPlan(
            rostered=self.roster_cell.status if self.roster_cell else None, is_on_leave=bool(self.leave_kind), is_working_day=self.is_working_day
        )

    @property
    def finding(self) -> str:
        """The check-in compared with the roster in force now (the head may have changed it since check-in)."""
        if self.check_in is None:
            return ""
        return rules.compare(self.check_in.mode, self.plan)


def own_staff(viewer: Viewer) -> Staff | None:
    me = scope.own_staff(viewer)
    if me is None or not me.is_active:
        return None
    return Staff.objects.select_related("unit__agency", "position").get(pk=me.pk)


def my_day(*, staff: Staff, day: dt.date) -> MyDay:
    """The staff member's day: the published roster's cell, leave, today's check-in, and any earlier check-in left
    open (its hours stay unknown: the timesheet counts none for that day)."""
    rosters = published_roster_ids([staff.unit_id], day)
    cells = roster_cells(list(rosters.values()), [day])
    leave = leave_days([staff.pk], day, day).get(staff.pk, {})
    check_ins = list(CheckIn.objects.filter(staff=staff, day__gte=day - dt.timedelta(days=7), day__lte=day).order_by("-day"))
    today = next((item for item in check_ins if item.day == day), None)
    open_earlier = next((item for item in check_ins if item.day < day and item.is_open), None)
    return MyDay(
        staff=staff,
        day=day,
        is_working_day=calendar.is_working_day(day),
        holiday=calendar.holiday_name(day),
        roster_cell=cells.get((staff.pk, day)),
        leave_kind=leave.get(day, ""),
        check_in=today,
        open_earlier=open_earlier,
    )


def my_check_ins(*, staff: Staff, first_day: dt.date, last_day: dt.date) -> list[CheckIn]:
    """The staff member's own check-ins between two dates, newest first."""
    return list(CheckIn.objects.filter(staff=staff, day__gte=first_day, day__lte=last_day).order_by("-day"))


def check_in_list(*, viewer: Viewer, filters: dict[str, Any] | None = None) -> QuerySet[CheckIn]:
    """Check-ins the viewer may see: their own, and those of the staff in their scope. Filters: ``day``, ``unit``,
    ``mine``."""
    filters = filters or {}
    queryset = CheckIn.objects.filter(staff__in=scope.visible_staff(viewer)).select_related("staff", "unit")
    if filters.get("day"):
        queryset = queryset.filter(day=filters["day"])
    if filters.get("unit"):
        queryset = queryset.filter(unit_id=filters["unit"])
    if filters.get("mine"):
        me = scope.own_staff(viewer)
        queryset = queryset.filter(staff=me) if me else queryset.none()
    return queryset.order_by("-day", "staff__full_name")


# --- the head's live board --------------------------------------------------------------------------------------

# What the board says of a person, in the order the board lists them.
STATE_MISSED = "missed"  # expected, not checked in, cut-off passed
STATE_NOT_YET = "not_yet"  # expected, not checked in yet, before the cut-off
STATE_CHECKED_IN = "checked_in"
STATE_CHECKED_OUT = "checked_out"
STATE_ON_LEAVE = "on_leave"
STATE_NOT_EXPECTED = "not_expected"  # no published roster, or not a working day, and no check-in
STATE_ORDER = {STATE_MISSED: 0, STATE_NOT_YET: 1, STATE_CHECKED_IN: 2, STATE_CHECKED_OUT: 3, STATE_ON_LEAVE: 4, STATE_NOT_EXPECTED: 5}


@dataclass
class BoardRow:
    staff: Staff
    roster_cell: RosterCell | None
    leave_kind: str
    check_in: CheckIn | None
    state: str
    finding: str  # "" without a check-in
    is_alerted: bool  # a missed check-in was recorded and alerted

    @property
    def is_mismatch(self) -> bool:
        return rules.is_mismatch(self.finding)

    @property
    def works_from_home(self) -> bool:
        """At home today (checked in at home, or rostered at home and not checked in elsewhere): the board shows
        their phone."""
        if self.check_in is not None:
            return self.check_in.mode == rules.HOME
        return self.roster_cell is not None and self.roster_cell.status == rules.ROSTERED_HOME


@dataclass
class Board:
    unit: Unit
    day: dt.date
    is_working_day: bool
    holiday: str | None
    is_published: bool
    cutoff: dt.time
    rows: list[BoardRow] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def at_office(self) -> int:
        """Checked in at the office that day (checked out since or not)."""
        return sum(1 for row in self.rows if row.check_in is not None and row.check_in.mode == rules.OFFICE)

    @property
    def at_home(self) -> int:
        """Checked in at home that day (checked out since or not)."""
        return sum(1 for row in self.rows if row.check_in is not None and row.check_in.mode == rules.HOME)

    @property
    def mismatches(self) -> int:
        return sum(1 for row in self.rows if row.is_mismatch)

    @property
    def waiting(self) -> int:
        return self.count(STATE_NOT_YET) + self.count(STATE_MISSED)

    @property
    def on_leave(self) -> int:
        return sum(1 for row in self.rows if row.leave_kind or (row.roster_cell is not None and row.roster_cell.status == rules.ROSTERED_LEAVE))


def board_unit(*, viewer: Viewer, unit_id: int) -> Unit:
    """A unit whose board the viewer may read; otherwise ``NotFound``."""
    unit = permissions.readable_units(viewer).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


def unit_board(*, viewer: Viewer, unit: Unit, day: dt.date | None = None, now: dt.datetime | None = None, cutoff: dt.time = DEFAULT_CUTOFF) -> Board:
    """Today's (or ``day``'s) board of one unit: each active member and anyone who checked in for the unit, where
    the published roster puts them, where they checked in, mismatches, who has not checked in (missed after the
    cut-off), who is on leave, and the reachable status of those at home. A fixed number of queries whatever the
    unit's size. ``NotFound`` outside the viewer's scope."""
    if not permissions.can_read_unit(viewer, unit):
        raise NotFound()
    now = now or clock.now()
    day = day or timezone.localdate(now)
    check_ins = {item.staff_id: item for item in CheckIn.objects.filter(unit=unit, day=day)}
    members = list(Staff.objects.filter(Q(unit=unit, is_active=True) | Q(pk__in=list(check_ins))).select_related("position", "unit"))
    rosters = published_roster_ids([unit.pk], day)
    cells = roster_cells(list(rosters.values()), [day])
    staff_ids = [member.pk for member in members]
    leave = leave_days(staff_ids, day, day)
    alerted = set(MissedCheckIn.objects.filter(unit=unit, day=day).values_list("staff_id", flat=True))
    is_working_day = calendar.is_working_day(day)
    cutoff_passed = timezone.localtime(now) >= rules.cutoff_moment(day, cutoff, timezone.get_current_timezone())
    rows = []
    for member in members:
        cell = cells.get((member.pk, day))
        leave_kind = leave.get(member.pk, {}).get(day, "")
        plan = rules.DayPlan(rostered=cell.status if cell else None, is_on_leave=bool(leave_kind), is_working_day=is_working_day)
        check_in = check_ins.get(member.pk)
        if check_in is not None:
            state = STATE_CHECKED_IN if check_in.is_open else STATE_CHECKED_OUT
            finding = rules.compare(check_in.mode, plan)
        elif plan.expects_check_in:
            state = STATE_MISSED if cutoff_passed else STATE_NOT_YET
            finding = ""
        elif plan.is_on_leave or plan.rostered == rules.ROSTERED_LEAVE:
            state, finding = STATE_ON_LEAVE, ""
        else:
            state, finding = STATE_NOT_EXPECTED, ""
        rows.append(
            BoardRow(staff=member, roster_cell=cell, leave_kind=leave_kind, check_in=check_in, state=state, finding=finding, is_alerted=member.pk in alerted)
        )
    rows.sort(key=lambda row: (STATE_ORDER[row.state], not row.is_mismatch, row.staff.full_name, row.staff.code))
    return Board(
        unit=unit,
        day=day,
        is_working_day=is_working_day,
        holiday=calendar.holiday_name(day),
        is_published=bool(rosters),
        cutoff=cutoff,
        rows=rows,
    )


# --- missed check-ins -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    staff_id: int
    unit_id: int
    rostered: str


def expected_check_ins(day: dt.date) -> list[Expected]:
    """Everyone the newest published rosters put at the office, at a desk or at home on ``day``, city-wide, who is
    active and not on recorded leave (``rules.DayPlan.expects_check_in``). Empty on a day that is not a working
    day. A fixed number of queries."""
    if not calendar.is_working_day(day):
        return []
    units = list(Roster.objects.filter(week_start=week_start(day), status=RosterStatus.PUBLISHED).values_list("unit_id", flat=True).distinct())
    rosters = published_roster_ids(units, day)
    entries = list(
        RosterEntry.objects.filter(roster_id__in=list(rosters.values()), day=day, staff__is_active=True).values_list("staff_id", "staff__unit_id", "status")
    )
    leave = leave_days([staff_id for staff_id, _unit, _status in entries], day, day)
    expected = []
    for staff_id, unit_id, status in entries:
        plan = rules.DayPlan(rostered=status, is_on_leave=day in leave.get(staff_id, {}), is_working_day=True)
        if plan.expects_check_in:
            expected.append(Expected(staff_id=staff_id, unit_id=unit_id, rostered=status))
    return expected


# --- the monthly timesheet --------------------------------------------------------------------------------------


@dataclass
class TimesheetRow:
    staff: Staff
    cells: list[rules.TimesheetCell]
    totals: rules.TimesheetTotals


@dataclass
class Timesheet:
    unit: Unit
    month: dt.date  # the first day
    days: list[dt.date]
    holidays: dict[dt.date, str]
    rows: list[TimesheetRow]
    today: dt.date
    # (staff id, day) → the newest correction of that day's check-in ("corrected by X: reason").
    corrections: dict[tuple[int, dt.date], CheckInCorrection] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.month:%m/%Y}"

    @property
    def iso_month(self) -> str:
        return f"{self.month:%Y-%m}"

    @property
    def working_days(self) -> int:
        return sum(1 for day in self.days if calendar.is_working_day(day))


def unit_timesheet(*, viewer: Viewer, unit: Unit, month: dt.date, today: dt.date | None = None) -> Timesheet:
    """One row per person of ``unit`` (its active members, and anyone who checked in for it that month), one cell per
    day of ``month``: CQ/TN with hours, P for leave, L for public holidays, "—" for a past working day the published
    roster expected a check-in and none came; totals per person. ``NotFound`` outside the viewer's scope (heads and
    HR)."""
    if not permissions.can_read_unit(viewer, unit):
        raise NotFound()
    today = today or clock.today()
    first_day, last_day = calendar.month_bounds(month)
    days = list(calendar.days_between(first_day, last_day))
    check_ins: dict[tuple[int, dt.date], CheckIn] = {
        (item.staff_id, item.day): item for item in CheckIn.objects.filter(unit=unit, day__gte=first_day, day__lte=last_day)
    }
    staff_ids = {staff_id for staff_id, _day in check_ins}
    members = list(Staff.objects.filter(Q(unit=unit, is_active=True) | Q(pk__in=staff_ids)).select_related("position", "unit").order_by("full_name", "code"))
    latest = latest_corrections([item.pk for item in check_ins.values()])
    corrections = {(item.staff_id, item.day): latest[item.pk] for item in check_ins.values() if item.pk in latest}
    leave = leave_days([member.pk for member in members], first_day, last_day)
    holidays = {day: name for day in days if (name := calendar.holiday_name(day)) is not None}
    planned = month_roster_cells(unit, days)
    rows = []
    for member in members:
        cells = []
        for day in days:
            check_in = check_ins.get((member.pk, day))
            is_working_day = calendar.is_working_day(day)
            is_on_leave = day in leave.get(member.pk, {})
            cell = planned.get((member.pk, day))
            plan = rules.DayPlan(rostered=cell.status if cell else None, is_on_leave=is_on_leave, is_working_day=is_working_day)
            cells.append(
                rules.timesheet_cell(
                    is_working_day=is_working_day,
                    is_holiday=day in holidays,
                    is_past=day < today,
                    is_on_leave=is_on_leave,
                    is_expected=plan.expects_check_in,
                    mode=check_in.mode if check_in else None,
                    minutes=check_in.minutes_worked if check_in else None,
                    finding=check_in.finding if check_in else rules.MATCHES,
                )
            )
        rows.append(TimesheetRow(staff=member, cells=cells, totals=rules.timesheet_totals(cells)))
    return Timesheet(unit=unit, month=first_day, days=days, holidays=holidays, rows=rows, today=today, corrections=corrections)


# --- corrections ------------------------------------------------------------------------------------------------


def latest_corrections(check_in_ids: list[int]) -> dict[int, CheckInCorrection]:
    """check-in id → its newest correction (what a page shows as "corrected by X: reason"), in one query."""
    latest: dict[int, CheckInCorrection] = {}
    if not check_in_ids:
        return latest
    for correction in (
        CheckInCorrection.objects.filter(check_in_id__in=check_in_ids).select_related("corrected_by__staff").order_by("check_in_id", "-corrected_at", "-id")
    ):
        latest.setdefault(correction.check_in_id, correction)
    return latest


def staff_day_plan(staff: Staff, day: dt.date) -> tuple[rules.DayPlan, RosterCell | None]:
    """What the newest published roster of the person's unit and recorded leave said of ``day``."""
    rosters = published_roster_ids([staff.unit_id], day)
    cell = roster_cells(list(rosters.values()), [day]).get((staff.pk, day))
    is_on_leave = day in leave_days([staff.pk], day, day).get(staff.pk, {})
    return rules.DayPlan(rostered=cell.status if cell else None, is_on_leave=is_on_leave, is_working_day=calendar.is_working_day(day)), cell


@dataclass
class CorrectionSubject:
    """The person-day a head is about to correct: the check-in as it stands (None when the person did not check in),
    the day's plan, and the corrections made so far (newest first)."""

    staff: Staff
    day: dt.date
    check_in: CheckIn | None
    plan: rules.DayPlan
    roster_cell: RosterCell | None
    corrections: list[CheckInCorrection]

    @property
    def seen(self) -> str:
        """What the head saw, handed back with the correction so that a change made meanwhile is not overwritten."""
        return check_in_fingerprint(self.check_in)


def check_in_fingerprint(check_in: CheckIn | None) -> str:
    """The state of a check-in a correction starts from ("none" without one)."""
    if check_in is None:
        return "none"
    out = check_in.checked_out_at.isoformat() if check_in.checked_out_at else ""
    return f"{check_in.pk}|{check_in.mode}|{check_in.checked_in_at.isoformat()}|{out}"


def correctable_staff(viewer: Viewer) -> QuerySet[Staff]:
    """The staff whose check-ins ``viewer`` may see (``scope``); ``permissions.can_correct`` decides per person."""
    return scope.visible_staff(viewer)


def correction_subject(*, viewer: Viewer, staff_id: int, day: dt.date) -> CorrectionSubject:
    """The person-day for the correction page; ``NotFound`` when the viewer may not correct the person (an id the
    viewer may not act on answers 404)."""
    staff = Staff.objects.select_related("unit__agency", "position", "direct_superior__user").filter(pk=staff_id).first()
    if staff is None or not permissions.can_correct(viewer, staff):
        raise NotFound()
    check_in = CheckIn.objects.filter(staff=staff, day=day).first()
    plan, cell = staff_day_plan(staff, day)
    corrections = list(check_in.corrections.select_related("corrected_by__staff").order_by("-corrected_at", "-id")) if check_in else []
    return CorrectionSubject(staff=staff, day=day, check_in=check_in, plan=plan, roster_cell=cell, corrections=corrections)
