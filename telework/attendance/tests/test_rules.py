"""The pure attendance rules: a check-in against the day's plan, hours, the cut-off, the timesheet's cells."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telework.attendance import rules
from telework.attendance.tests.builders import SAIGON

WORKING = dict(is_on_leave=False, is_working_day=True)


@pytest.mark.parametrize(
    ("mode", "rostered", "expected"),
    [
        ("office", "office", rules.MATCHES),
        ("office", "desk", rules.MATCHES),
        ("home", "home", rules.MATCHES),
        ("home", "office", rules.HOME_WHILE_ROSTERED_ON_SITE),
        ("home", "desk", rules.HOME_WHILE_ROSTERED_ON_SITE),
        ("office", "home", rules.OFFICE_WHILE_ROSTERED_AT_HOME),
        ("office", "leave", rules.CHECKED_IN_ON_LEAVE),
        ("home", "leave", rules.CHECKED_IN_ON_LEAVE),
        ("home", None, rules.NO_PUBLISHED_ROSTER),
    ],
)
def test_check_in_is_compared_with_the_published_roster(mode, rostered, expected):
    assert rules.compare(mode, rules.DayPlan(rostered=rostered, **WORKING)) == expected


def test_recorded_leave_flags_a_check_in_whatever_the_roster_says():
    plan = rules.DayPlan(rostered="office", is_on_leave=True, is_working_day=True)
    assert rules.compare("office", plan) == rules.CHECKED_IN_ON_LEAVE
    assert rules.is_mismatch(rules.CHECKED_IN_ON_LEAVE)


def test_work_on_a_non_working_day_is_noted_not_flagged():
    plan = rules.DayPlan(rostered=None, is_on_leave=False, is_working_day=False)
    assert rules.compare("home", plan) == rules.NOT_A_WORKING_DAY
    assert not rules.is_mismatch(rules.NOT_A_WORKING_DAY)
    assert not rules.is_mismatch(rules.NO_PUBLISHED_ROSTER)
    assert not rules.is_mismatch(rules.MATCHES)


@pytest.mark.parametrize(
    ("rostered", "on_leave", "working", "expected"),
    [
        ("office", False, True, True),
        ("desk", False, True, True),
        ("home", False, True, True),
        ("leave", False, True, False),
        ("office", True, True, False),
        ("office", False, False, False),
        (None, False, True, False),
    ],
)
def test_a_check_in_is_expected_only_from_people_rostered_to_work_on_a_working_day(rostered, on_leave, working, expected):
    assert rules.DayPlan(rostered=rostered, is_on_leave=on_leave, is_working_day=working).expects_check_in is expected


def test_check_out_before_check_in_is_impossible():
    start = dt.datetime(2026, 12, 1, 8, 0, tzinfo=SAIGON)
    assert rules.check_out_problem(start, start - dt.timedelta(minutes=1)) == "check_out_before_check_in"
    assert rules.check_out_problem(start, start) is None
    assert rules.check_out_problem(start, start + dt.timedelta(hours=16)) is None
    assert rules.check_out_problem(start, start + dt.timedelta(hours=16, minutes=1)) == "shift_too_long"


def test_minutes_worked_run_from_check_in_to_check_out():
    start = dt.datetime(2026, 12, 1, 7, 58, tzinfo=SAIGON)
    assert rules.minutes_worked(start, None) is None
    assert rules.minutes_worked(start, start + dt.timedelta(hours=8, minutes=32, seconds=59)) == 512
    assert rules.hours_text(512) == "8,5"
    assert rules.hours_text(512, ".") == "8.5"
    assert rules.hours_text(None) == ""
    assert rules.hours_text(0) == "0,0"


@given(st.integers(min_value=0, max_value=rules.MAX_SHIFT_MINUTES))
def test_hours_text_is_minutes_rounded_to_a_tenth_of_an_hour(minutes):
    whole, tenth = rules.hours_text(minutes).split(",")
    assert abs((int(whole) + int(tenth) / 10) - minutes / 60) <= 0.05 + 1e-9


def test_a_check_in_is_missed_after_the_cut_off_only():
    day = dt.date(2026, 12, 1)
    cutoff = rules.cutoff_moment(day, dt.time(9, 0), SAIGON)
    plan = rules.DayPlan(rostered="office", **WORKING)
    assert not rules.is_missed(plan, has_checked_in=False, now=cutoff - dt.timedelta(seconds=1), cutoff=cutoff)
    assert rules.is_missed(plan, has_checked_in=False, now=cutoff, cutoff=cutoff)
    assert not rules.is_missed(plan, has_checked_in=True, now=cutoff, cutoff=cutoff)
    assert not rules.is_missed(rules.DayPlan(rostered="leave", **WORKING), has_checked_in=False, now=cutoff, cutoff=cutoff)


def cell(**changes):
    values = dict(is_working_day=True, is_holiday=False, is_past=True, is_on_leave=False, is_expected=True, mode=None, minutes=None)
    values.update(changes)
    return rules.timesheet_cell(**values)


def test_timesheet_cells_carry_the_mode_letter_and_hours():
    assert cell(mode="office", minutes=480) == rules.TimesheetCell(letter="CQ", minutes=480)
    assert cell(mode="office", minutes=480).text() == "CQ 8,0"
    assert cell(mode="home", minutes=450).text() == "TN 7,5"
    assert cell(mode="home", minutes=None) == rules.TimesheetCell(letter="TN", minutes=None, is_flagged=True)
    assert cell(mode="home", minutes=480, finding=rules.HOME_WHILE_ROSTERED_ON_SITE).is_flagged
    assert cell(is_on_leave=True) == rules.TimesheetCell(letter="P")
    assert cell() == rules.TimesheetCell(letter="—", is_flagged=True)
    assert cell(is_past=False) == rules.TimesheetCell(letter="")  # today or later: not missing yet
    assert cell(is_expected=False) == rules.TimesheetCell(letter="")  # no published roster expected a check-in
    assert cell(is_past=False, is_on_leave=True) == rules.TimesheetCell(letter="P")  # leave is known ahead
    assert cell(is_working_day=False, is_holiday=True) == rules.TimesheetCell(letter="L", is_closed=True)
    assert cell(is_working_day=False) == rules.TimesheetCell(letter="", is_closed=True)
    assert cell(is_working_day=False, mode="home", minutes=60) == rules.TimesheetCell(letter="TN", minutes=60, is_closed=True)


def test_timesheet_totals_count_days_and_minutes():
    cells = [cell(mode="office", minutes=480), cell(mode="home", minutes=450), cell(mode="home"), cell(is_on_leave=True), cell(), cell(is_past=False)]
    totals = rules.timesheet_totals(cells)
    assert totals == rules.TimesheetTotals(office_days=1, home_days=2, leave_days=1, missing_days=1, minutes=930)
    assert totals.worked_days == 3


@given(st.lists(st.tuples(st.sampled_from([None, "office", "home"]), st.booleans(), st.integers(0, 900) | st.none()), max_size=31))
def test_every_past_working_day_is_counted_exactly_once(days):
    cells = [cell(mode=mode, is_on_leave=leave, minutes=minutes if mode else None) for mode, leave, minutes in days]
    totals = rules.timesheet_totals(cells)
    assert totals.office_days + totals.home_days + totals.leave_days + totals.missing_days == len(days)
    assert totals.minutes == sum(minutes or 0 for mode, _leave, minutes in days if mode)


# --- a head's correction ----------------------------------------------------------------------------------------

CORRECTED_DAY = dt.date(2026, 12, 7)


def local(hour: int, minute: int = 0, day: dt.date = CORRECTED_DAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SAIGON)


@pytest.mark.parametrize(
    ("day", "today", "checked_in_at", "checked_out_at", "expected"),
    [
        (CORRECTED_DAY, CORRECTED_DAY + dt.timedelta(days=1), local(8), local(17), None),
        (CORRECTED_DAY, CORRECTED_DAY + dt.timedelta(days=1), local(8), None, None),
        (CORRECTED_DAY, CORRECTED_DAY + dt.timedelta(days=1), local(8), local(8), None),
        (CORRECTED_DAY + dt.timedelta(days=2), CORRECTED_DAY + dt.timedelta(days=1), local(8), None, rules.CORRECTION_FUTURE_DAY),
        (CORRECTED_DAY, CORRECTED_DAY + dt.timedelta(days=31), local(8), local(17), None),
        (CORRECTED_DAY, CORRECTED_DAY + dt.timedelta(days=32), local(8), local(17), rules.CORRECTION_TOO_OLD),
        (CORRECTED_DAY, CORRECTED_DAY + dt.timedelta(days=1), local(8, day=CORRECTED_DAY - dt.timedelta(days=1)), None, rules.CORRECTION_OTHER_DAY),
        (CORRECTED_DAY, CORRECTED_DAY + dt.timedelta(days=1), local(8), local(0, day=CORRECTED_DAY + dt.timedelta(days=1)), rules.CORRECTION_OTHER_DAY),
        (CORRECTED_DAY, CORRECTED_DAY + dt.timedelta(days=1), local(17), local(8), rules.CORRECTION_CHECK_OUT_BEFORE_CHECK_IN),
        (CORRECTED_DAY, CORRECTED_DAY + dt.timedelta(days=1), local(6), local(22, 1), rules.CORRECTION_SHIFT_TOO_LONG),
    ],
)
def test_correction_bounds(day, today, checked_in_at, checked_out_at, expected):
    now = dt.datetime.combine(today, dt.time(9), tzinfo=SAIGON)
    assert rules.correction_problem(day=day, today=today, max_days_back=31, now=now, checked_in_at=checked_in_at, checked_out_at=checked_out_at) == expected


def test_a_correction_of_today_cannot_record_a_time_to_come():
    now = local(10)
    assert rules.correction_problem(day=CORRECTED_DAY, today=CORRECTED_DAY, max_days_back=0, now=now, checked_in_at=local(8), checked_out_at=local(11)) == (
        rules.CORRECTION_FUTURE_TIME
    )
    assert rules.correction_problem(day=CORRECTED_DAY, today=CORRECTED_DAY, max_days_back=0, now=now, checked_in_at=local(8), checked_out_at=local(10)) is None


@given(start=st.integers(min_value=0, max_value=23 * 60 + 59), length=st.integers(min_value=0, max_value=rules.MAX_SHIFT_MINUTES))
def test_any_same_day_span_within_a_working_day_is_a_valid_correction_of_yesterday(start, length):
    checked_in_at = local(0) + dt.timedelta(minutes=start)
    checked_out_at = checked_in_at + dt.timedelta(minutes=length)
    problem = rules.correction_problem(
        day=CORRECTED_DAY,
        today=CORRECTED_DAY + dt.timedelta(days=1),
        max_days_back=35,
        now=local(9, day=CORRECTED_DAY + dt.timedelta(days=1)),
        checked_in_at=checked_in_at,
        checked_out_at=checked_out_at,
    )
    assert problem == (None if checked_out_at.date() == CORRECTED_DAY else rules.CORRECTION_OTHER_DAY)
