"""The rules of work assignment, as plain Python over plain data: when work has stalled or its deadline is at risk,
the legal deadline of an administrative dossier and the apology slip a late one needs, and how much planned work a
person carries against the office norm.

No ORM and no request: services build ``ItemFacts`` from the database and call ``detect``; tests call it with any
day as "today". Working days come from ``telework.core.calendar`` (Monday–Friday minus Vietnamese public holidays).
Each parameter below is documented with its source; the detection parameters travel together in
``DetectionParameters`` so a test, a command or a later policy can change them in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from telework.core import calendar

STALL_WORKING_DAYS = 3
"""No progress update for this many complete working days: the work has stalled. MISSION 5 ("không để công việc
bị đình trệ"); the figure is this product's default, changed through ``DetectionParameters``."""

BEHIND_SCHEDULE_GAP = 0.3
"""Behind schedule: the share of the item's working days already elapsed exceeds the share of the work done by more
than this (30 percentage points)..."""

AT_RISK_WORKING_DAYS_LEFT = 3
"""...while fewer than this many working days remain before the deadline (today included): the deadline is at risk."""

APOLOGY_LEAD_DAYS = 1
"""An apology slip (Phiếu xin lỗi và hẹn lại ngày trả kết quả) must be issued at least this many working days before
the deadline. Decree 61/2018/NĐ-CP art. 19 (Form 04, Circular 01/2018/TT-VPCP), carried over by Decree 118/2025/NĐ-CP;
the figure under Decree 118 is not yet verified, hence a parameter."""

MAX_RESCHEDULES = 1
"""A late dossier's result may be rescheduled at most this many times (one apology slip); same sources."""

UNDERLOAD_BELOW = 0.8
"""Planned work under 80 % of the office norm: the person is under-loaded (MISSION 5, "khối lượng công việc tương
đương": home days carry a volume equivalent to office work)."""

OVERLOAD_ABOVE = 1.2
"""Planned work over 120 % of the office norm: the person is over-loaded."""


@dataclass(frozen=True)
class DetectionParameters:
    """The thresholds of stall and deadline detection (defaults above)."""

    stall_working_days: int = STALL_WORKING_DAYS
    behind_schedule_gap: float = BEHIND_SCHEDULE_GAP
    at_risk_working_days_left: int = AT_RISK_WORKING_DAYS_LEFT
    apology_lead_days: int = APOLOGY_LEAD_DAYS
    max_reschedules: int = MAX_RESCHEDULES


# --------------------------------------------------------------------------------------------- legal deadlines


def legal_due_date(received_on: dt.date, working_days: int) -> dt.date:
    """The day a dossier's result is due: ``working_days`` working days after the day it was received (the day of
    receipt does not count; weekends and Vietnamese public holidays do not either). Decree 118/2025/NĐ-CP: deadlines
    of administrative procedures are counted in working days."""
    return calendar.add_working_days(received_on, working_days)


def subtract_working_days(day: dt.date, count: int) -> dt.date:
    """The working day ``count`` working days before ``day`` (``count`` ≥ 0; 0 gives ``day`` itself)."""
    current = day
    remaining = count
    while remaining > 0:
        current -= dt.timedelta(days=1)
        if calendar.is_working_day(current):
            remaining -= 1
    return current


def apology_slip_deadline(due_on: dt.date, parameters: DetectionParameters) -> dt.date:
    """The last day an apology slip may be issued: ``apology_lead_days`` working days before the deadline."""
    return subtract_working_days(due_on, parameters.apology_lead_days)


@dataclass(frozen=True)
class SlipProblem:
    """Why an apology slip is refused: the rule (a parameter or a field) and the figures the message quotes."""

    rule: str
    code: Literal["max_reschedules", "apology_lead_days", "new_date_not_later", "new_date_not_working_day", "not_legal"]
    params: dict[str, object] = field(default_factory=dict)


def apology_slip_problems(
    *,
    is_legal_deadline: bool,
    today: dt.date,
    due_on: dt.date,
    new_due_date: dt.date,
    slips_issued: int,
    parameters: DetectionParameters,
) -> list[SlipProblem]:
    """Every reason an apology slip issued ``today`` for an item due ``due_on`` would be refused (empty: allowed).

    Decree 61/2018/NĐ-CP art. 19, carried over by Decree 118/2025/NĐ-CP: the slip is sent *before* the deadline
    (``apology_lead_days`` working days at least), gives a new date, and the result is rescheduled at most
    ``max_reschedules`` times."""
    problems: list[SlipProblem] = []
    if not is_legal_deadline:
        problems.append(SlipProblem("is_legal_deadline", "not_legal"))
    if slips_issued >= parameters.max_reschedules:
        problems.append(SlipProblem("max_reschedules", "max_reschedules", {"max": parameters.max_reschedules}))
    deadline = apology_slip_deadline(due_on, parameters)
    if today > deadline:
        problems.append(
            SlipProblem("apology_lead_days", "apology_lead_days", {"lead_days": parameters.apology_lead_days, "last_day": deadline, "due_on": due_on})
        )
    if new_due_date <= due_on:
        problems.append(SlipProblem("new_due_date", "new_date_not_later", {"due_on": due_on}))
    elif not calendar.is_working_day(new_due_date):
        problems.append(SlipProblem("new_due_date", "new_date_not_working_day", {"new_due_date": new_due_date}))
    return problems


# --------------------------------------------------------------------------------------------- stall detection

KIND_NO_UPDATE = "no_update"
KIND_BEHIND_SCHEDULE = "behind_schedule"
KIND_OVERDUE = "overdue"
KIND_LEGAL_AT_RISK = "legal_at_risk"
KIND_LEGAL_OVERDUE = "legal_overdue"
WARNING = "warning"
DANGER = "danger"


@dataclass(frozen=True)
class ItemFacts:
    """What detection needs to know about one open work item.

    ``is_with_staff``: the work is the staff member's to do (assigned, in progress or returned); otherwise it waits
    for the head's acceptance. ``last_activity_on``: the day of the last progress update, or of the assignment.
    """

    item_id: int
    starts_on: dt.date
    due_on: dt.date
    progress_percent: int
    last_activity_on: dt.date
    is_with_staff: bool
    is_legal_deadline: bool = False
    slips_issued: int = 0


@dataclass(frozen=True)
class Finding:
    """One alert to raise: its kind, severity, the rule (parameter) that decided, the figures for the message, and
    whether it goes up to the agency head."""

    kind: str
    severity: str
    rule: str
    params: dict[str, object]
    escalate: bool = False


def elapsed_share(starts_on: dt.date, due_on: dt.date, today: dt.date) -> float:
    """The share of the item's working days (start to deadline, both included) that have fully passed before
    ``today``: 0 before the start, 1 once the deadline has passed."""
    total = len(calendar.working_days(starts_on, due_on))
    if total == 0:
        return 1.0 if today > due_on else 0.0
    passed = len(calendar.working_days(starts_on, min(due_on, today - dt.timedelta(days=1))))
    return passed / total


def idle_working_days(facts: ItemFacts, today: dt.date) -> int:
    """Complete working days without a progress update before ``today``, counted from the last activity (or from the
    start, for work that starts later than it was assigned)."""
    baseline = max(facts.last_activity_on, facts.starts_on - dt.timedelta(days=1))
    return len(calendar.working_days(baseline + dt.timedelta(days=1), today - dt.timedelta(days=1)))


def detect(facts: ItemFacts, *, today: dt.date, parameters: DetectionParameters | None = None) -> list[Finding]:
    """The alerts one open item deserves on ``today`` (a working day; nothing is raised on weekends and holidays).

    * ``no_update``: no progress update for ``stall_working_days`` complete working days (work with the staff member).
    * ``behind_schedule``: elapsed share of working days − progress share > ``behind_schedule_gap`` with fewer than
      ``at_risk_working_days_left`` working days left.
    * ``overdue``: the deadline has passed and the work is not accepted.
    * ``legal_at_risk`` (for dossiers with a legal deadline, escalated to the agency head): behind schedule as above,
      or unfinished on or after the last day an apology slip may be issued (``apology_lead_days``). The finding says
      whether a slip can still be issued (``max_reschedules``).
    * ``legal_overdue`` (escalated): the legal deadline, or the date given by the apology slip, has passed. Without
      a slip it is flagged under ``apology_slip_missing``: Decree 118/2025/NĐ-CP requires one for a late dossier.
    """
    parameters = parameters or DetectionParameters()
    if not calendar.is_working_day(today):
        return []
    findings: list[Finding] = []
    due_on = facts.due_on
    if today > due_on:
        days_late = len(calendar.working_days(due_on + dt.timedelta(days=1), today))
        if facts.is_legal_deadline:
            has_slip = facts.slips_issued > 0
            findings.append(
                Finding(
                    KIND_LEGAL_OVERDUE,
                    DANGER,
                    "legal_deadline" if has_slip else "apology_slip_missing",
                    {"due_on": due_on, "days_late": days_late, "has_apology_slip": has_slip},
                    escalate=True,
                )
            )
        else:
            findings.append(Finding(KIND_OVERDUE, DANGER, "due_on", {"due_on": due_on, "days_late": days_late}))
    else:
        days_left = len(calendar.working_days(today, due_on))
        elapsed = elapsed_share(facts.starts_on, due_on, today)
        progress = facts.progress_percent / 100
        is_behind = facts.is_with_staff and elapsed - progress > parameters.behind_schedule_gap and days_left < parameters.at_risk_working_days_left
        figures: dict[str, object] = {
            "due_on": due_on,
            "days_left": days_left,
            "elapsed_percent": round(elapsed * 100),
            "progress_percent": facts.progress_percent,
        }
        if facts.is_legal_deadline:
            slip_deadline = apology_slip_deadline(due_on, parameters)
            is_unfinished_at_slip_deadline = today >= slip_deadline and (facts.progress_percent < 100 or not facts.is_with_staff)
            if is_behind or is_unfinished_at_slip_deadline:
                can_issue_slip = facts.slips_issued < parameters.max_reschedules and today <= slip_deadline
                findings.append(
                    Finding(
                        KIND_LEGAL_AT_RISK,
                        WARNING,
                        "behind_schedule_gap" if is_behind else "apology_lead_days",
                        {
                            **figures,
                            "slip_deadline": slip_deadline,
                            "can_issue_apology_slip": can_issue_slip,
                            "slips_issued": facts.slips_issued,
                            "awaiting_acceptance": not facts.is_with_staff,
                        },
                        escalate=True,
                    )
                )
        elif is_behind:
            findings.append(Finding(KIND_BEHIND_SCHEDULE, WARNING, "behind_schedule_gap", figures))
    if facts.is_with_staff and today > facts.starts_on:
        idle = idle_working_days(facts, today)
        if idle >= parameters.stall_working_days:
            findings.append(
                Finding(
                    KIND_NO_UPDATE,
                    WARNING,
                    "stall_working_days",
                    {"idle_days": idle, "last_activity_on": facts.last_activity_on, "limit": parameters.stall_working_days},
                )
            )
    return findings


# --------------------------------------------------------------------------------------------- paused work


def paused_working_days(*, starts_on: dt.date, paused_on: dt.date, resumed_on: dt.date) -> int:
    """The working days a pause took from an item: from the day it was paused (or its start, if later) to the day
    before it resumed, weekends and Vietnamese public holidays not counted (issue 14: deadlines move by the paused
    *working* days). Work that was to start after the pause ended lost nothing."""
    first = max(paused_on, starts_on)
    last = resumed_on - dt.timedelta(days=1)
    if last < first:
        return 0
    return len(calendar.working_days(first, last))


@dataclass(frozen=True)
class ResumedDates:
    """An item's dates once its pause ends, and the working days it was paused."""

    working_days_paused: int
    starts_on: dt.date
    due_on: dt.date
    legal_deadline_kept: bool


def resumed_dates(*, starts_on: dt.date, due_on: dt.date, paused_on: dt.date, resumed_on: dt.date, is_legal_deadline: bool, has_started: bool) -> ResumedDates:
    """Where a paused item's dates go when its pause ends (issue 14, point 4).

    The deadline moves later by the paused working days (``paused_working_days``), counted on from it with
    ``calendar.add_working_days``; the start date moves likewise when the work had not started and its start fell in
    the pause. A deadline fixed by law does not move (Decree 118/2025/NĐ-CP: the processing time of a dossier is set
    by the procedure, not by the agency): it is kept and flagged, and the dossier is handled online or rescheduled
    with an apology slip."""
    days = paused_working_days(starts_on=starts_on, paused_on=paused_on, resumed_on=resumed_on)
    if is_legal_deadline:
        return ResumedDates(days, starts_on, due_on, legal_deadline_kept=True)
    new_due = calendar.add_working_days(due_on, days) if days else due_on
    new_start = starts_on
    if days and not has_started and starts_on >= paused_on:
        new_start = min(calendar.add_working_days(starts_on, days), new_due)
    return ResumedDates(days, new_start, new_due, legal_deadline_kept=False)


# --------------------------------------------------------------------------------------------- workload


@dataclass(frozen=True)
class PlannedWork:
    """One item's planned effort and the dates it spans."""

    estimated_hours: float
    starts_on: dt.date
    due_on: dt.date


def daily_effort(work: PlannedWork) -> dict[dt.date, float]:
    """The item's effort spread evenly over the working days from its start to its deadline (both included). A span
    with no working day at all (a weekend task) puts the whole effort on its start date."""
    days = calendar.working_days(work.starts_on, work.due_on)
    if not days:
        return {work.starts_on: work.estimated_hours}
    share = work.estimated_hours / len(days)
    return dict.fromkeys(days, share)


def planned_hours_on(works: Iterable[PlannedWork], days: Iterable[dt.date]) -> float:
    """Planned hours of ``works`` falling on ``days`` (each item's effort spread by ``daily_effort``)."""
    wanted = set(days)
    total = 0.0
    for work in works:
        if work.due_on < min(wanted, default=work.due_on) or work.starts_on > max(wanted, default=work.starts_on):
            continue
        total += sum(hours for day, hours in daily_effort(work).items() if day in wanted)
    return round(total, 1)


LoadStatus = Literal["none", "under", "balanced", "over"]


@dataclass(frozen=True)
class Workload:
    """Planned hours against the norm (``office_norm_hours_per_day`` × the days considered)."""

    planned_hours: float
    norm_hours: float
    ratio: float | None
    status: LoadStatus


def workload(planned_hours: float, norm_hours: float) -> Workload:
    """Classify a load: under ``UNDERLOAD_BELOW`` of the norm is "under", over ``OVERLOAD_ABOVE`` is "over";
    "none" when there is no norm to compare with (no working day in the period)."""
    if norm_hours <= 0:
        return Workload(planned_hours, norm_hours, None, "none")
    ratio = planned_hours / norm_hours
    status: LoadStatus = "under" if ratio < UNDERLOAD_BELOW else "over" if ratio > OVERLOAD_ABOVE else "balanced"
    return Workload(round(planned_hours, 1), round(norm_hours, 1), round(ratio, 3), status)
