"""Attendance rules as plain Python: what a check-in is compared with, how hours are counted, when a check-in is
missed, and what a timesheet cell shows. No ORM, no request: the services and selectors gather the facts.

Sources: MISSION item 6 (staff at home report their working hours and stay reachable; heads see hours) and item 4
(each day has a published list of who is at the office and who is at home); the Labour Code 2019, Art. 112 for
public holidays (``telework.core.calendar``); the timesheet follows the letters of the HR office's monthly
attendance sheet (bảng chấm công, form C01a-HD of Circular 107/2017/TT-BTC: "P" for leave, "L" for public holidays).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# The modes a person chooses when checking in.
OFFICE = "office"
HOME = "home"
MODES = (OFFICE, HOME)

# A roster cell's status (``telework.rosters.models.EntryStatus``); "desk" is on site at a one-stop desk or duty post.
ROSTERED_OFFICE = "office"
ROSTERED_HOME = "home"
ROSTERED_LEAVE = "leave"
ROSTERED_DESK = "desk"
ROSTERED_ON_SITE = frozenset({ROSTERED_OFFICE, ROSTERED_DESK})
ROSTERED_WORKING = frozenset({ROSTERED_OFFICE, ROSTERED_DESK, ROSTERED_HOME})

# What a check-in is found to be, compared with the day's plan.
MATCHES = "matches"
HOME_WHILE_ROSTERED_ON_SITE = "home_while_rostered_on_site"
OFFICE_WHILE_ROSTERED_AT_HOME = "office_while_rostered_at_home"
CHECKED_IN_ON_LEAVE = "checked_in_on_leave"
NO_PUBLISHED_ROSTER = "no_published_roster"
NOT_A_WORKING_DAY = "not_a_working_day"
FINDINGS = (MATCHES, HOME_WHILE_ROSTERED_ON_SITE, OFFICE_WHILE_ROSTERED_AT_HOME, CHECKED_IN_ON_LEAVE, NO_PUBLISHED_ROSTER, NOT_A_WORKING_DAY)
# The findings a head must look at: the person is not where the published list says.
MISMATCHES = frozenset({HOME_WHILE_ROSTERED_ON_SITE, OFFICE_WHILE_ROSTERED_AT_HOME, CHECKED_IN_ON_LEAVE})

# Letters of the monthly timesheet.
LETTER_OFFICE = "CQ"  # cơ quan
LETTER_HOME = "TN"  # tại nhà
LETTER_LEAVE = "P"  # nghỉ phép (form C01a-HD)
LETTER_HOLIDAY = "L"  # nghỉ lễ (form C01a-HD)
LETTER_MISSING = "—"  # a past working day with no check-in and no leave
MODE_LETTERS = {OFFICE: LETTER_OFFICE, HOME: LETTER_HOME}

# Longest plausible working day between a check-in and its check-out; longer spans are refused as a clock error.
MAX_SHIFT_MINUTES = 16 * 60


@dataclass(frozen=True)
class DayPlan:
    """What a person is expected to do on one day.

    ``rostered`` is the status in the unit's published roster ("office", "desk", "home", "leave"), or None when no
    published roster covers the day; ``is_on_leave`` is true when recorded leave covers the day (whatever the
    roster says); ``is_working_day`` is false on weekends and public holidays.
    """

    rostered: str | None
    is_on_leave: bool
    is_working_day: bool

    @property
    def expects_check_in(self) -> bool:
        """A check-in is expected on a working day from whoever the published roster puts at the office, at a desk or
        at home, unless leave covers the day (MISSION item 6)."""
        return self.is_working_day and not self.is_on_leave and self.rostered in ROSTERED_WORKING


def compare(mode: str, plan: DayPlan) -> str:
    """The finding for a check-in in ``mode`` against the day's plan.

    Leave comes first (a person on recorded leave should not be working); then days that are not working days
    (work on a weekend or holiday is allowed and noted); then the published roster: home while the roster says
    office or desk, or office while it says home, is a mismatch the head sees on the live board.
    """
    if plan.is_on_leave or plan.rostered == ROSTERED_LEAVE:
        return CHECKED_IN_ON_LEAVE
    if not plan.is_working_day:
        return NOT_A_WORKING_DAY
    if plan.rostered is None:
        return NO_PUBLISHED_ROSTER
    if mode == HOME and plan.rostered in ROSTERED_ON_SITE:
        return HOME_WHILE_ROSTERED_ON_SITE
    if mode == OFFICE and plan.rostered == ROSTERED_HOME:
        return OFFICE_WHILE_ROSTERED_AT_HOME
    return MATCHES


def is_mismatch(finding: str) -> bool:
    """Whether a finding means the person is not where the published list says."""
    return finding in MISMATCHES


def check_out_problem(checked_in_at: dt.datetime, checked_out_at: dt.datetime) -> str | None:
    """Why a check-out at ``checked_out_at`` is impossible for a check-in at ``checked_in_at``, or None.

    A check-out cannot come before the check-in, nor more than ``MAX_SHIFT_MINUTES`` after it (that is a wrong clock
    or a forgotten check-out, not a working day).
    """
    if checked_out_at < checked_in_at:
        return "check_out_before_check_in"
    if checked_out_at - checked_in_at > dt.timedelta(minutes=MAX_SHIFT_MINUTES):
        return "shift_too_long"
    return None


def minutes_worked(checked_in_at: dt.datetime, checked_out_at: dt.datetime | None) -> int | None:
    """Whole minutes from check-in to check-out; None while the person has not checked out."""
    if checked_out_at is None or checked_out_at < checked_in_at:
        return None
    return int((checked_out_at - checked_in_at).total_seconds() // 60)


def hours_text(minutes: int | None, decimal_separator: str = ",") -> str:
    """Minutes as hours with one decimal, the way a timesheet writes them ("7,5"); empty for None."""
    if minutes is None:
        return ""
    tenths = (minutes * 10 + 30) // 60  # rounded half up to a tenth of an hour
    return f"{tenths // 10}{decimal_separator}{tenths % 10}"


def cutoff_moment(day: dt.date, cutoff: dt.time, tzinfo: dt.tzinfo | None) -> dt.datetime:
    """The moment on ``day`` after which a check-in expected that day counts as missed."""
    return dt.datetime.combine(day, cutoff, tzinfo=tzinfo)


def is_missed(plan: DayPlan, *, has_checked_in: bool, now: dt.datetime, cutoff: dt.datetime) -> bool:
    """A check-in is missed when one was expected (``DayPlan.expects_check_in``), none was made and the cut-off
    (a parameter, 09:00 local by default) has passed."""
    return plan.expects_check_in and not has_checked_in and now >= cutoff


@dataclass(frozen=True)
class TimesheetCell:
    """One person-day of the monthly timesheet: a letter, the minutes worked (None if unknown or not applicable),
    and whether the day is flagged (a mismatch with the roster, or a check-in never checked out)."""

    letter: str
    minutes: int | None = None
    is_flagged: bool = False
    is_closed: bool = False  # a weekend or public holiday

    def text(self, decimal_separator: str = ",") -> str:
        hours = hours_text(self.minutes, decimal_separator)
        return f"{self.letter} {hours}" if self.letter and hours else self.letter


def timesheet_cell(
    *,
    is_working_day: bool,
    is_holiday: bool,
    is_past: bool,
    is_on_leave: bool,
    is_expected: bool,
    mode: str | None,
    minutes: int | None,
    finding: str = MATCHES,
) -> TimesheetCell:
    """The cell for one day: the mode letter (CQ, TN) and hours when the person checked in; P on leave; L on a public
    holiday; "—" for a past working day on which the published roster expected a check-in (``DayPlan.expects_check_in``)
    and none was made; empty on weekends, on days to come (today included, until it is over), and on days no
    published roster covered (nothing was expected, so nothing is missing)."""
    if mode is not None:
        return TimesheetCell(
            letter=MODE_LETTERS[mode],
            minutes=minutes,
            is_flagged=is_mismatch(finding) or minutes is None,
            is_closed=not is_working_day,
        )
    if is_holiday:
        return TimesheetCell(letter=LETTER_HOLIDAY, is_closed=True)
    if not is_working_day:
        return TimesheetCell(letter="", is_closed=True)
    if is_on_leave:
        return TimesheetCell(letter=LETTER_LEAVE)
    if is_past and is_expected:
        return TimesheetCell(letter=LETTER_MISSING, is_flagged=True)
    return TimesheetCell(letter="")


@dataclass(frozen=True)
class TimesheetTotals:
    """A person's month: days at the office, at home, on leave, working days without a check-in, minutes worked."""

    office_days: int
    home_days: int
    leave_days: int
    missing_days: int
    minutes: int

    @property
    def worked_days(self) -> int:
        return self.office_days + self.home_days


def timesheet_totals(cells: Iterable[TimesheetCell]) -> TimesheetTotals:
    """Sum a row of cells. Minutes of days without a check-out are not counted (they are unknown)."""
    office = home = leave = missing = minutes = 0
    for cell in cells:
        if cell.letter == LETTER_OFFICE:
            office += 1
        elif cell.letter == LETTER_HOME:
            home += 1
        elif cell.letter == LETTER_LEAVE:
            leave += 1
        elif cell.letter == LETTER_MISSING:
            missing += 1
        minutes += cell.minutes or 0
    return TimesheetTotals(office_days=office, home_days=home, leave_days=leave, missing_days=missing, minutes=minutes)


# Why a head's correction of a working day is impossible (``correction_problem``).
CORRECTION_FUTURE_DAY = "correction.future_day"
CORRECTION_TOO_OLD = "correction.too_old"
CORRECTION_FUTURE_TIME = "correction.future_time"
CORRECTION_OTHER_DAY = "correction.same_day"
CORRECTION_CHECK_OUT_BEFORE_CHECK_IN = "check_out_after_check_in"
CORRECTION_SHIFT_TOO_LONG = "max_shift_hours"


def correction_problem(
    *, day: dt.date, today: dt.date, max_days_back: int, now: dt.datetime, checked_in_at: dt.datetime, checked_out_at: dt.datetime | None
) -> str | None:
    """Why a head cannot set a working day to these times, or None.

    A correction concerns a day that has begun (today or earlier), no more than ``max_days_back`` days ago (the
    setting ``ATTENDANCE_CORRECTION_DAYS``: the month's timesheet is filed and signed, so its days cannot move
    forever); both times fall on that day (local time: ``checked_in_at`` and ``checked_out_at`` carry the city's
    zone) and not after ``now``; the check-out comes after the check-in and within ``MAX_SHIFT_MINUTES`` of it, as
    for a check-out by the person (``check_out_problem``).
    """
    if day > today:
        return CORRECTION_FUTURE_DAY
    if (today - day).days > max_days_back:
        return CORRECTION_TOO_OLD
    moments = [checked_in_at] + ([checked_out_at] if checked_out_at is not None else [])
    if any(moment.date() != day for moment in moments):
        return CORRECTION_OTHER_DAY
    if any(moment > now for moment in moments):
        return CORRECTION_FUTURE_TIME
    if checked_out_at is not None:
        problem = check_out_problem(checked_in_at, checked_out_at)
        if problem == "check_out_before_check_in":
            return CORRECTION_CHECK_OUT_BEFORE_CHECK_IN
        if problem == "shift_too_long":
            return CORRECTION_SHIFT_TOO_LONG
    return None
