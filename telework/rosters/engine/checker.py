"""An independent checker of rosters: given a unit and a roster, count every hard-rule violation, rule by rule.

It shares nothing with the solver's constraint building: the rules are written again here as plain counting over
the statuses, with exact fractions for the shares and its own bipartite matching for the service points. The
solver's certificate, the baseline and any roster a head edits by hand are all judged by this module, so a bug in
the model shows up as a disagreement instead of hiding in it.

It also measures what a roster is worth to the people in it (``measure``): fairness against each person's target,
requests honoured, the spread of Mondays and Fridays, and changes from last week.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from fractions import Fraction

from telework.rosters.engine.instance import (
    APPROVED_DAYS_ONLY,
    FIXED_ON_SITE_DAYS,
    HARD_RULES,
    INELIGIBLE_ON_SITE,
    LEADER_ON_SITE,
    MAX_HOME_DAYS_PER_MONTH,
    MAX_HOME_DAYS_PER_WEEK,
    MAX_HOME_SHARE,
    MAX_ONSITE_HEADCOUNT,
    MAX_ONSITE_SHARE,
    MIN_HOME_DAYS_PER_WEEK,
    MIN_OFFICE_DAYS_PER_MONTH,
    MIN_OFFICE_DAYS_PER_WEEK,
    MIN_ONSITE_SHARE,
    OFFICE_SEATS,
    POPULAR_WEEKDAYS,
    PRESENCE_SCALE,
    RELAXABLE_RULES,
    STATUS_DESK_PREFIX,
    STATUS_HOME,
    STATUS_LEAVE,
    STATUS_OFFICE,
    Person,
    Roster,
    ServicePoint,
    UnitInstance,
    fair_onsite_days,
    guaranteed_home_days,
    home_day_targets,
    presence_targets,
    service_point_rule,
)


@dataclass(frozen=True)
class Finding:
    """One violation: the rule, where (a date, week or month), who or which point, and by how much."""

    rule: str
    period: str
    amount: int
    person_id: int | None = None
    point_id: int | None = None


@dataclass(frozen=True)
class CheckReport:
    by_rule: dict[str, int]
    findings: tuple[Finding, ...]
    # The roster does not describe the unit (wrong days, unknown people, leave marked wrongly, a desk status for
    # someone not qualified): not a rule broken but a roster that cannot be judged as it stands.
    integrity_errors: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.by_rule.values())

    @property
    def policy_total(self) -> int:
        """Violations of rules the head may not relax (city policy and law)."""
        return sum(count for rule, count in self.by_rule.items() if rule not in RELAXABLE_RULES)

    @property
    def relaxable_total(self) -> int:
        return sum(count for rule, count in self.by_rule.items() if rule in RELAXABLE_RULES)


def _share(value: float) -> Fraction:
    # Shares are stored as floats (0.3); as fractions they are exact, so 30 % of 10 is 3, never 2.9999.
    return Fraction(value).limit_denominator(1000)


def _iso_week(day: dt.date) -> str:
    calendar = day.isocalendar()
    return f"{calendar.year}-W{calendar.week:02d}"


class _Tally:
    def __init__(self) -> None:
        self.counts = dict.fromkeys(HARD_RULES, 0)
        self.findings: list[Finding] = []

    def add(self, rule: str, period: str, amount: int, person_id: int | None = None, point_id: int | None = None) -> None:
        if amount > 0:
            self.counts[rule] += amount
            self.findings.append(Finding(rule, period, amount, person_id, point_id))


def check(instance: UnitInstance, roster: Roster) -> CheckReport:
    """Count every hard-rule violation of ``roster`` for ``instance``."""
    tally = _Tally()
    add = tally.add
    errors: list[str] = []
    days = sorted(instance.days)
    people = sorted(instance.people, key=lambda person: person.id)
    status = _statuses(instance, roster, errors)
    points = sorted(instance.service_points, key=lambda point: point.id)
    policy = instance.policy
    headcount = len(people)

    for day in days:
        label = day.isoformat()
        present = [person for person in people if day not in person.leave_days]
        at_home = [person for person in present if status[person.id, day] == STATUS_HOME]
        on_site = [person for person in present if status[person.id, day] != STATUS_HOME]
        add(MAX_HOME_SHARE, label, len(at_home) - math.floor(_share(policy.max_home_share) * headcount))
        add(MIN_ONSITE_SHARE, label, math.ceil(_share(policy.min_onsite_share) * len(present)) - len(on_site))
        if policy.leader_on_site_each_day and not any(person.is_leader for person in on_site):
            add(LEADER_ON_SITE, label, 1)
        # The presence cap: on site = present and not at home (leave is neither); the share rounds down.
        if policy.max_onsite_share is not None:
            add(MAX_ONSITE_SHARE, label, len(on_site) - math.floor(_share(policy.max_onsite_share) * len(present)))
        if policy.max_onsite_headcount is not None:
            add(MAX_ONSITE_HEADCOUNT, label, len(on_site) - policy.max_onsite_headcount)
        if instance.office_seats is not None:
            add(OFFICE_SEATS, label, len(on_site) - instance.office_seats)
        for person in at_home:
            if policy.home_days_assigned:
                continue  # the unit assigns home days: anyone present may be sent home
            if not person.is_eligible:
                add(INELIGIBLE_ON_SITE, label, 1, person.id)
            elif day not in person.approved_home_days:
                add(APPROVED_DAYS_ONLY, label, 1, person.id)
        for fixed in instance.fixed_on_site:
            if fixed.day == day:
                for person in at_home:
                    if not fixed.person_ids or person.id in fixed.person_ids:
                        add(FIXED_ON_SITE_DAYS, label, 1, person.id)
        for point_id, missing in _unstaffed(points, {person.id for person in on_site}, day).items():
            point = next(point for point in points if point.id == point_id)
            add(service_point_rule(point.kind), label, missing, point_id=point_id)

    # How many home days the guarantee promises each person and week is the rule's parameter, shared with the
    # solver (``guaranteed_home_days``); whether the roster gives them is counted here.
    guarantees = guaranteed_home_days(instance)
    for person in people:
        _person_weeks(instance, person, days, status, tally, guarantees)
        _person_months(instance, person, days, status, tally)
    return CheckReport(tally.counts, tuple(tally.findings), tuple(errors))


def _statuses(instance: UnitInstance, roster: Roster, errors: list[str]) -> dict[tuple[int, dt.date], str]:
    """Each cell's status, normalised to home/office/leave; every inconsistency is recorded in ``errors``."""
    if roster.unit_id != instance.unit_id:
        errors.append(f"roster of unit {roster.unit_id} checked against unit {instance.unit_id}")
    if sorted(roster.days) != sorted(instance.days):
        errors.append("roster days differ from the unit's working days")
    points = {point.id: point for point in instance.service_points}
    given: dict[tuple[int, dt.date], str] = {}
    for row in roster.rows:
        if len(row.statuses) != len(roster.days):
            errors.append(f"person {row.person_id}: {len(row.statuses)} statuses for {len(roster.days)} days")
        for day, status in zip(roster.days, row.statuses, strict=False):
            given[row.person_id, day] = status
    result: dict[tuple[int, dt.date], str] = {}
    for person in instance.people:
        for day in instance.days:
            on_leave = day in person.leave_days
            stated = given.get((person.id, day))
            value = stated if stated is not None else STATUS_LEAVE if on_leave else STATUS_OFFICE
            if stated is None:
                errors.append(f"person {person.id} has no status on {day.isoformat()}")
            elif value.startswith(STATUS_DESK_PREFIX):
                point_id = value[len(STATUS_DESK_PREFIX) :]
                point = points.get(int(point_id)) if point_id.isdigit() else None
                if point is None or person.id not in point.qualified_ids:
                    errors.append(f"person {person.id} staffs {value} on {day.isoformat()} without being qualified for it")
                value = STATUS_OFFICE
            elif value not in (STATUS_HOME, STATUS_OFFICE, STATUS_LEAVE):
                errors.append(f"person {person.id} has unknown status {value!r} on {day.isoformat()}")
                value = STATUS_OFFICE
            if on_leave != (value == STATUS_LEAVE):
                errors.append(f"person {person.id}: leave marked {'missing' if on_leave else 'wrongly'} on {day.isoformat()}")
                value = STATUS_LEAVE if on_leave else value
            result[person.id, day] = value
    return result


def _unstaffed(points: list[ServicePoint], on_site: set[int], day: dt.date) -> dict[int, int]:
    """Seats of each service point left empty on ``day`` by the best assignment of on-site qualified staff, one seat
    each (Kuhn's augmenting paths over seats). Seats are filled point by point, so the shortfall falls on later
    points. A point needing more on some weekdays has more seats those days (its own ``required_by_weekday``, read
    here without the solver's helper)."""
    seats = [point.id for point in points for _ in range(point.required_by_weekday[day.weekday()] if point.required_by_weekday else point.required_on_site)]
    qualified = {point.id: sorted(point.qualified_ids & on_site) for point in points}
    holder: dict[int, int] = {}  # person → seat index

    def place(seat: int, visited: set[int]) -> bool:
        for person in qualified[seats[seat]]:
            if person in visited:
                continue
            visited.add(person)
            if person not in holder or place(holder[person], visited):
                holder[person] = seat
                return True
        return False

    filled = {seat for seat in range(len(seats)) if place(seat, set())}
    missing: dict[int, int] = {}
    for seat, point_id in enumerate(seats):
        if seat not in filled:
            missing[point_id] = missing.get(point_id, 0) + 1
    return missing


def _weekly_cap(instance: UnitInstance, person: Person) -> int | None:
    caps = [value for value in (instance.policy.max_home_days_per_week, person.max_home_days_per_week) if value is not None]
    return min(caps) if caps else None


def _person_weeks(
    instance: UnitInstance, person: Person, days: list[dt.date], status: dict[tuple[int, dt.date], str], tally: _Tally, guarantees: dict[tuple[int, str], int]
) -> None:
    policy = instance.policy
    weeks: dict[str, list[dt.date]] = {}
    for day in days:
        weeks.setdefault(_iso_week(day), []).append(day)
    cap = _weekly_cap(instance, person)
    for week, week_days in weeks.items():
        present = [day for day in week_days if day not in person.leave_days]
        home = sum(1 for day in present if status[person.id, day] == STATUS_HOME)
        office = len(present) - home
        if cap is not None:
            tally.add(MAX_HOME_DAYS_PER_WEEK, week, home - cap, person.id)
        if policy.min_office_days_per_week is not None:
            tally.add(MIN_OFFICE_DAYS_PER_WEEK, week, min(policy.min_office_days_per_week, len(present)) - office, person.id)
        tally.add(MIN_HOME_DAYS_PER_WEEK, week, guarantees.get((person.id, week), 0) - home, person.id)


def _person_months(instance: UnitInstance, person: Person, days: list[dt.date], status: dict[tuple[int, dt.date], str], tally: _Tally) -> None:
    policy = instance.policy
    if policy.max_home_days_per_month is None and policy.min_office_days_per_month is None:
        return
    months: dict[str, list[dt.date]] = {}
    for day in days:
        months.setdefault(f"{day.year:04d}-{day.month:02d}", []).append(day)
    later = dict(instance.month_days_after)
    for month, month_days in months.items():
        history = next((item for item in person.month_history if item.month == month), None)
        home_before = history.home_days if history else 0
        office_before = history.office_days if history else 0
        present = [day for day in month_days if day not in person.leave_days]
        home = sum(1 for day in present if status[person.id, day] == STATUS_HOME)
        if policy.max_home_days_per_month is not None:
            # Home days taken before the horizon are history; this roster answers only for the room left.
            tally.add(MAX_HOME_DAYS_PER_MONTH, month, home - max(0, policy.max_home_days_per_month - home_before), person.id)
        if policy.min_office_days_per_month is not None:
            after = later.get(month, 0)
            month_total = office_before + home_before + len(present) + after
            still_needed = min(policy.min_office_days_per_month, month_total) - office_before - after
            office = len(present) - home
            tally.add(MIN_OFFICE_DAYS_PER_MONTH, month, min(len(present), max(0, still_needed)) - office, person.id)


@dataclass(frozen=True)
class Quality:
    """What a roster gives people, measured the same way for the solver and the baseline."""

    home_days: dict[int, int]
    targets: dict[int, int]
    # max − min of each person's fulfilment (home days / target, at most 1) over people with a target; None with
    # fewer than two such people.
    fairness_spread: float | None
    worst_shortfall_share: float
    requests: int
    requests_honoured: int
    popular_day_spread: int | None
    stability_changes: int
    shortfall_days: int = field(default=0)
    # Assigned home days (distancing): the rotation of presence. On-site days per person over the horizon; the
    # spread (max − min) of on-site days among the staff present every working day; the spread of each person's
    # deviation from their fair share with recent weeks included (``presence_targets``), in days; and the Gini
    # coefficient of on-site days over the fair share, recent weeks included (0: everyone in exactly in proportion
    # to their share). None outside assigned mode.
    onsite_days: dict[int, int] = field(default_factory=dict)
    onsite_days_spread: int | None = None
    presence_deviation_spread: float | None = None
    onsite_gini: float | None = None

    @property
    def requests_honoured_share(self) -> float | None:
        return self.requests_honoured / self.requests if self.requests else None


def measure(instance: UnitInstance, roster: Roster) -> Quality:
    """Fairness, requests honoured, rotation of popular days and stability of ``roster``."""
    cell = roster.status_by_cell()
    home_days: dict[int, int] = {}
    targets: dict[int, int] = {}
    fulfilment: list[float] = []
    shortfall = 0
    requests = honoured = changes = 0
    popular_totals: list[int] = []
    all_targets = home_day_targets(instance)
    presence = _presence(instance, cell)
    for person in sorted(instance.people, key=lambda person: person.id):
        present = [day for day in sorted(instance.days) if day not in person.leave_days]
        home = [day for day in present if cell.get((person.id, day)) == STATUS_HOME]
        home_days[person.id] = len(home)
        target = all_targets[person.id]
        targets[person.id] = target
        if target > 0:
            fulfilment.append(min(1.0, len(home) / target))
            shortfall += max(0, target - len(home))
        for day in present:
            is_home = cell.get((person.id, day)) == STATUS_HOME
            if day in person.requested_home_days:
                requests += 1
                honoured += 1 if is_home else 0
            elif day in person.requested_office_days:
                requests += 1
                honoured += 0 if is_home else 1
            if is_home != (day.weekday() in person.last_week_home_weekdays):
                changes += 1
        if person.is_eligible and any(day.weekday() in POPULAR_WEEKDAYS and day in person.approved_home_days for day in present):
            popular_totals.append(person.recent_popular_home_days + sum(1 for day in home if day.weekday() in POPULAR_WEEKDAYS))
    return Quality(
        home_days=home_days,
        targets=targets,
        fairness_spread=round(max(fulfilment) - min(fulfilment), 6) if len(fulfilment) >= 2 else None,
        worst_shortfall_share=round(1.0 - min(fulfilment), 6) if fulfilment else 0.0,
        requests=requests,
        requests_honoured=honoured,
        popular_day_spread=max(popular_totals) - min(popular_totals) if len(popular_totals) >= 2 else None,
        stability_changes=changes,
        shortfall_days=shortfall,
        onsite_days=presence[0],
        onsite_days_spread=presence[1],
        presence_deviation_spread=presence[2],
        onsite_gini=presence[3],
    )


def _presence(instance: UnitInstance, cell: dict[tuple[int, dt.date], str]) -> tuple[dict[int, int], int | None, float | None, float | None]:
    """The rotation of presence of an assigned roster (see ``Quality``): on-site days, their spread, the spread of
    the deviations from the fair share with history, and the Gini coefficient."""
    if not instance.policy.home_days_assigned:
        return {}, None, None, None
    targets = presence_targets(instance)
    fair = fair_onsite_days(instance)
    onsite: dict[int, int] = {}
    rates: list[Fraction] = []
    full: list[int] = []
    deviations: list[int] = []
    for person in sorted(instance.people, key=lambda person: person.id):
        present = [day for day in instance.days if day not in person.leave_days]
        count = sum(1 for day in present if cell.get((person.id, day)) not in (STATUS_HOME, STATUS_LEAVE, None))
        onsite[person.id] = count
        if not present:
            continue
        due = fair[person.id] + person.recent_fair_onsite_days
        if due > 0:
            rates.append((count + person.recent_onsite_days) / due)
        deviations.append(PRESENCE_SCALE * count - targets[person.id])
        if len(present) == len(instance.days):
            full.append(count)
    return (
        onsite,
        max(full) - min(full) if len(full) >= 2 else None,
        (max(deviations) - min(deviations)) / PRESENCE_SCALE if len(deviations) >= 2 else None,
        round(float(_gini(rates)), 6) if rates else None,
    )


def _gini(values: list[Fraction]) -> Fraction:
    """Gini coefficient: the mean absolute difference between all pairs over twice the mean (0 when all are 0)."""
    total = sum(values, Fraction(0))
    if total == 0:
        return Fraction(0)
    ordered = sorted(values)
    count = len(ordered)
    weighted = sum((Fraction(2 * (rank + 1) - count - 1) * value for rank, value in enumerate(ordered)), Fraction(0))
    return weighted / (count * total)
