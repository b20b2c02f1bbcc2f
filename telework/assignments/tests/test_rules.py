"""The pure rules: legal due dates and apology slips (Decree 118/2025/NĐ-CP), stall and deadline detection with a
controlled clock across Vietnamese holidays, and workload against the office norm."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telework.assignments import rules
from telework.core import calendar

D = dt.date
# Tết 2027: Thursday 4 February (29 Tết) to Wednesday 10 February (mùng 5) are public holidays.
BEFORE_TET = D(2027, 2, 3)  # Wednesday, the last working day before Tết
AFTER_TET = D(2027, 2, 11)  # Thursday, the first working day after Tết


def facts(**changes):
    values = {
        "item_id": 1,
        "starts_on": D(2026, 12, 7),
        "due_on": D(2026, 12, 18),
        "progress_percent": 0,
        "last_activity_on": D(2026, 12, 7),
        "is_with_staff": True,
        "is_legal_deadline": False,
        "slips_issued": 0,
    }
    values.update(changes)
    return rules.ItemFacts(**values)


def kinds(findings):
    return sorted(finding.kind for finding in findings)


# --------------------------------------------------------------------------------------------- legal deadlines


def test_legal_due_date_skips_weekends():
    # Received Friday 4/12/2026, 3 working days: Mon 7, Tue 8, Wed 9.
    assert rules.legal_due_date(D(2026, 12, 4), 3) == D(2026, 12, 9)


def test_legal_due_date_skips_tet_2027():
    # Received Wednesday 3/2/2027, the day before Tết: 2 working days are Thu 11 and Fri 12 February.
    assert rules.legal_due_date(BEFORE_TET, 2) == D(2027, 2, 12)


def test_apology_slip_deadline_is_one_working_day_before_the_deadline_across_tet():
    # Due Thursday 11/2/2027, the first day after Tết: the slip must go out by Wednesday 3/2, before the holiday.
    assert rules.apology_slip_deadline(AFTER_TET, rules.DetectionParameters()) == BEFORE_TET


def test_apology_slip_allowed_before_the_lead_time():
    problems = rules.apology_slip_problems(
        is_legal_deadline=True,
        today=D(2026, 12, 8),
        due_on=D(2026, 12, 9),
        new_due_date=D(2026, 12, 14),
        slips_issued=0,
        parameters=rules.DetectionParameters(),
    )
    assert problems == []


def test_apology_slip_refused_on_the_deadline_itself():
    problems = rules.apology_slip_problems(
        is_legal_deadline=True,
        today=D(2026, 12, 9),
        due_on=D(2026, 12, 9),
        new_due_date=D(2026, 12, 14),
        slips_issued=0,
        parameters=rules.DetectionParameters(),
    )
    assert [(problem.rule, problem.params["last_day"]) for problem in problems] == [("apology_lead_days", D(2026, 12, 8))]


def test_apology_slip_refused_a_second_time():
    problems = rules.apology_slip_problems(
        is_legal_deadline=True,
        today=D(2026, 12, 8),
        due_on=D(2026, 12, 14),
        new_due_date=D(2026, 12, 16),
        slips_issued=1,
        parameters=rules.DetectionParameters(),
    )
    assert [problem.code for problem in problems] == ["max_reschedules"]


def test_apology_slip_new_date_must_be_a_later_working_day():
    parameters = rules.DetectionParameters()
    earlier = rules.apology_slip_problems(
        is_legal_deadline=True, today=D(2026, 12, 7), due_on=D(2026, 12, 9), new_due_date=D(2026, 12, 9), slips_issued=0, parameters=parameters
    )
    on_tet = rules.apology_slip_problems(
        is_legal_deadline=True, today=D(2027, 2, 1), due_on=D(2027, 2, 3), new_due_date=D(2027, 2, 8), slips_issued=0, parameters=parameters
    )
    assert [problem.code for problem in earlier] == ["new_date_not_later"]
    assert [problem.code for problem in on_tet] == ["new_date_not_working_day"]


def test_apology_slip_only_for_legal_deadlines():
    problems = rules.apology_slip_problems(
        is_legal_deadline=False,
        today=D(2026, 12, 7),
        due_on=D(2026, 12, 9),
        new_due_date=D(2026, 12, 14),
        slips_issued=0,
        parameters=rules.DetectionParameters(),
    )
    assert [problem.code for problem in problems] == ["not_legal"]


# --------------------------------------------------------------------------------------------- no update


def test_no_update_alert_after_three_complete_working_days():
    item = facts(last_activity_on=D(2026, 12, 7))  # Monday
    # Thursday morning: Tuesday and Wednesday passed without an update — not yet.
    assert kinds(rules.detect(item, today=D(2026, 12, 10))) == []
    # Friday morning: Tuesday, Wednesday and Thursday — three working days.
    findings = rules.detect(item, today=D(2026, 12, 11))
    assert [(finding.kind, finding.rule, finding.params["idle_days"]) for finding in findings] == [("no_update", "stall_working_days", 3)]


def test_weekend_does_not_count_towards_a_stall():
    item = facts(last_activity_on=D(2026, 12, 10), due_on=D(2026, 12, 31))  # Thursday
    # Tuesday morning: Friday and Monday passed; Saturday and Sunday do not count.
    assert kinds(rules.detect(item, today=D(2026, 12, 15))) == []
    assert kinds(rules.detect(item, today=D(2026, 12, 16))) == ["no_update"]


def test_tet_holidays_do_not_count_towards_a_stall():
    item = facts(starts_on=D(2027, 1, 25), due_on=D(2027, 3, 5), last_activity_on=D(2027, 2, 2))  # Tuesday before Tết
    # Wed 3/2 then seven days of Tết (and a weekend): by Friday 12/2 only Wed 3/2 and Thu 11/2 have passed.
    assert kinds(rules.detect(item, today=D(2027, 2, 12))) == []
    # Monday 15/2: Wed 3, Thu 11, Fri 12 — three working days.
    assert kinds(rules.detect(item, today=D(2027, 2, 15))) == ["no_update"]


def test_nothing_is_detected_on_a_public_holiday_or_weekend():
    item = facts(starts_on=D(2027, 1, 4), due_on=D(2027, 2, 5), last_activity_on=D(2027, 1, 4))
    assert rules.detect(item, today=D(2027, 2, 8)) == []  # mùng 3 Tết
    assert rules.detect(item, today=D(2026, 12, 12)) == []  # a Saturday


def test_work_starting_later_is_not_stalled_before_it_starts():
    item = facts(starts_on=D(2026, 12, 14), due_on=D(2026, 12, 31), last_activity_on=D(2026, 12, 1))
    assert kinds(rules.detect(item, today=D(2026, 12, 14))) == []
    assert kinds(rules.detect(item, today=D(2026, 12, 16))) == []
    assert kinds(rules.detect(item, today=D(2026, 12, 17))) == ["no_update"]


def test_work_awaiting_acceptance_is_not_the_staff_members_stall():
    item = facts(is_with_staff=False, last_activity_on=D(2026, 12, 7), progress_percent=100)
    assert kinds(rules.detect(item, today=D(2026, 12, 15))) == []


# --------------------------------------------------------------------------------------------- behind schedule


def test_behind_schedule_when_time_outruns_progress_near_the_deadline():
    # 7/12–18/12 is 10 working days. On Wednesday 16/12, 7 have passed (70 %); 3 remain (16, 17, 18): not < 3 yet.
    item = facts(progress_percent=30, last_activity_on=D(2026, 12, 15))
    assert kinds(rules.detect(item, today=D(2026, 12, 16))) == []
    # Thursday 17/12: 80 % elapsed, 30 % done (gap 0.5), 2 working days left.
    findings = rules.detect(item, today=D(2026, 12, 17))
    assert [(finding.kind, finding.params["elapsed_percent"], finding.params["days_left"]) for finding in findings] == [("behind_schedule", 80, 2)]


def test_no_behind_schedule_alert_when_progress_keeps_up():
    item = facts(progress_percent=60, last_activity_on=D(2026, 12, 16))
    assert kinds(rules.detect(item, today=D(2026, 12, 17))) == []  # 80 % − 60 % = 0.2 ≤ 0.3


def test_overdue_work_is_flagged_red():
    item = facts(due_on=D(2026, 12, 18), last_activity_on=D(2026, 12, 18), progress_percent=90)
    findings = rules.detect(item, today=D(2026, 12, 22))
    assert [(finding.kind, finding.severity, finding.params["days_late"]) for finding in findings] == [("overdue", "danger", 2)]


# --------------------------------------------------------------------------------------------- legal deadlines at risk


def test_legal_deadline_at_risk_tells_to_issue_the_slip_and_escalates():
    # Dossier due Friday 18/12; on Thursday 17/12 (the last day for a slip) it is 50 % done.
    item = facts(is_legal_deadline=True, progress_percent=50, last_activity_on=D(2026, 12, 16))
    (finding,) = rules.detect(item, today=D(2026, 12, 17))
    assert (finding.kind, finding.escalate, finding.params["can_issue_apology_slip"], finding.params["slip_deadline"]) == (
        "legal_at_risk",
        True,
        True,
        D(2026, 12, 17),
    )


def test_legal_deadline_at_risk_after_the_slip_deadline_says_it_is_too_late():
    item = facts(is_legal_deadline=True, progress_percent=50, last_activity_on=D(2026, 12, 17))
    (finding,) = rules.detect(item, today=D(2026, 12, 18))
    assert (finding.kind, finding.params["can_issue_apology_slip"]) == ("legal_at_risk", False)


def test_legal_deadline_overdue_without_slip_is_red_under_apology_slip_missing():
    item = facts(is_legal_deadline=True, progress_percent=80, last_activity_on=D(2026, 12, 18))
    (finding,) = rules.detect(item, today=D(2026, 12, 21))
    assert (finding.kind, finding.severity, finding.rule, finding.escalate, finding.params["has_apology_slip"]) == (
        "legal_overdue",
        "danger",
        "apology_slip_missing",
        True,
        False,
    )


def test_legal_deadline_overdue_after_a_slip_names_the_rescheduled_date():
    item = facts(is_legal_deadline=True, progress_percent=80, last_activity_on=D(2026, 12, 18), slips_issued=1)
    (finding,) = rules.detect(item, today=D(2026, 12, 21))
    assert (finding.rule, finding.params["has_apology_slip"]) == ("legal_deadline", True)


def test_legal_dossier_awaiting_acceptance_on_the_last_slip_day_warns_the_head():
    item = facts(is_legal_deadline=True, progress_percent=100, is_with_staff=False, last_activity_on=D(2026, 12, 16))
    (finding,) = rules.detect(item, today=D(2026, 12, 17))
    assert (finding.kind, finding.params["awaiting_acceptance"]) == ("legal_at_risk", True)


def test_finished_legal_dossier_early_raises_nothing():
    item = facts(is_legal_deadline=True, progress_percent=100, is_with_staff=False, last_activity_on=D(2026, 12, 9))
    assert rules.detect(item, today=D(2026, 12, 10)) == []


@given(
    start_offset=st.integers(min_value=0, max_value=60),
    length=st.integers(min_value=0, max_value=40),
    progress=st.integers(min_value=0, max_value=100),
    today_offset=st.integers(min_value=0, max_value=120),
)
def test_detection_never_alerts_before_the_start_and_never_twice_per_kind(start_offset, length, progress, today_offset):
    starts_on = D(2026, 12, 1) + dt.timedelta(days=start_offset)
    item = facts(starts_on=starts_on, due_on=starts_on + dt.timedelta(days=length), progress_percent=progress, last_activity_on=starts_on)
    today = D(2026, 12, 1) + dt.timedelta(days=today_offset)
    findings = rules.detect(item, today=today)
    assert len({finding.kind for finding in findings}) == len(findings)
    if today <= starts_on:
        assert findings == []
    if not calendar.is_working_day(today):
        assert findings == []


# --------------------------------------------------------------------------------------------- workload


def test_effort_spreads_evenly_over_working_days():
    effort = rules.daily_effort(rules.PlannedWork(20.0, D(2026, 12, 7), D(2026, 12, 11)))
    assert effort == dict.fromkeys(calendar.working_days(D(2026, 12, 7), D(2026, 12, 11)), 4.0)


def test_effort_skips_tet():
    # 28/1–12/2/2027: 16 calendar days, of which 7 working days (Tết 4–10 February and two weekends excluded).
    effort = rules.daily_effort(rules.PlannedWork(14.0, D(2027, 1, 28), D(2027, 2, 12)))
    assert sorted(effort) == [D(2027, 1, 28), D(2027, 1, 29), D(2027, 2, 1), D(2027, 2, 2), D(2027, 2, 3), D(2027, 2, 11), D(2027, 2, 12)]
    assert round(sum(effort.values()), 6) == 14.0


def test_planned_hours_on_chosen_days():
    works = [rules.PlannedWork(20.0, D(2026, 12, 7), D(2026, 12, 11)), rules.PlannedWork(8.0, D(2026, 12, 10), D(2026, 12, 10))]
    assert rules.planned_hours_on(works, [D(2026, 12, 7), D(2026, 12, 10)]) == 16.0


@pytest.mark.parametrize(
    ("planned", "norm", "status"),
    [(31.9, 40, "under"), (32, 40, "balanced"), (48, 40, "balanced"), (48.1, 40, "over"), (5, 0, "none")],
)
def test_load_thresholds(planned, norm, status):
    assert rules.workload(planned, norm).status == status


@given(hours=st.floats(min_value=0.5, max_value=500), length=st.integers(min_value=0, max_value=60))
def test_spread_effort_adds_up_to_the_estimate(hours, length):
    start = D(2027, 1, 20)
    effort = rules.daily_effort(rules.PlannedWork(hours, start, start + dt.timedelta(days=length)))
    assert sum(effort.values()) == pytest.approx(hours)
