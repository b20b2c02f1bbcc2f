"""The round-robin rotation a unit head draws by hand: the baseline the solver has to beat.

Each eligible person, in order, gets home days cycling through the weekdays from a starting day that moves one
place per person and per week, up to their entitlement, only on approved days they are not on leave, without
passing the person's weekly and monthly caps or the unit's daily home limit. It ignores requests, history,
one-stop desks, duty posts, leaders and team days: that is what makes it a baseline. The checker counts what it
breaks; ``measure`` says how fair it is.

When the unit assigns home days (distancing), the baseline is the rotation a head draws by hand instead
(``rotation``): people take turns in a fixed order, desks, duty posts and a leader filled first.
"""

from __future__ import annotations

import datetime as dt
import math

from telework.rosters.engine.instance import (
    STATUS_HOME,
    STATUS_LEAVE,
    STATUS_OFFICE,
    Roster,
    RosterRow,
    UnitInstance,
    group_days,
    month_key,
    onsite_capacity,
    week_key,
    weekly_home_cap,
)

_EPSILON = 1e-9


def round_robin(instance: UnitInstance) -> Roster:
    """The baseline roster of ``instance`` (the rotation when the unit assigns home days)."""
    instance = instance.canonical()
    if instance.policy.home_days_assigned:
        return rotation(instance)
    policy = instance.policy
    headcount = len(instance.people)
    present_by_day = {day: sum(1 for person in instance.people if day not in person.leave_days) for day in instance.days}
    daily_limit = {
        day: min(math.floor(policy.max_home_share * headcount + _EPSILON), present - math.ceil(policy.min_onsite_share * present - _EPSILON))
        for day, present in present_by_day.items()
    }
    home_count = dict.fromkeys(instance.days, 0)
    weeks = list(group_days(instance.days, week_key).values())
    home: set[tuple[int, dt.date]] = set()
    turn = 0
    for person in instance.people:
        if not person.is_eligible:
            continue
        cap = weekly_home_cap(policy, person)
        month_room: dict[str, int] = {}
        if policy.max_home_days_per_month is not None:
            taken = {item.month: item.home_days for item in person.month_history}
            month_room = {month_key(day): max(0, policy.max_home_days_per_month - taken.get(month_key(day), 0)) for day in instance.days}
        for week_index, days in enumerate(weeks):
            present = [day for day in days if day not in person.leave_days]
            quota = person.home_days_per_week
            if cap is not None:
                quota = min(quota, cap)
            if policy.min_office_days_per_week is not None:
                quota = min(quota, len(present) - min(policy.min_office_days_per_week, len(present)))
            start = (turn + week_index) % 5
            for day in sorted(present, key=lambda day: (day.weekday() - start) % 5):
                if quota <= 0:
                    break
                if day not in person.approved_home_days or home_count[day] >= daily_limit[day]:
                    continue
                if month_room and month_room[month_key(day)] <= 0:
                    continue
                home.add((person.id, day))
                home_count[day] += 1
                quota -= 1
                if month_room:
                    month_room[month_key(day)] -= 1
        turn += 1
    rows = tuple(
        RosterRow(
            person.id,
            tuple(STATUS_LEAVE if day in person.leave_days else STATUS_HOME if (person.id, day) in home else STATUS_OFFICE for day in instance.days),
        )
        for person in instance.people
    )
    return Roster(unit_id=instance.unit_id, days=instance.days, rows=rows)


def rotation(instance: UnitInstance) -> Roster:
    """Round-robin presence under a cap, as a head draws it by hand: each working day, first a leader (leaders take
    turns), then each desk and duty post from its qualified staff (taking turns, starting one further each day),
    then the seats left under the tightest cap (``onsite_capacity``) go to the next people in a fixed order (by
    id), the turn carrying on from day to day; everyone else is at home. It ignores history and requests."""
    instance = instance.canonical()
    people = list(instance.people)
    order = [person.id for person in people]
    leaders = [person.id for person in people if person.is_leader]
    on_site: set[tuple[int, dt.date]] = set()
    turn = 0
    for day_index, day in enumerate(instance.days):
        present = [person.id for person in people if day not in person.leave_days]
        here: list[int] = []
        if instance.policy.leader_on_site_each_day:
            available = [person_id for person_id in leaders if person_id in present]
            if available:
                here.append(available[day_index % len(available)])
        seated: set[int] = set()
        for point in instance.service_points:
            candidates = [person_id for person_id in order if person_id in point.qualified_ids and person_id in present]
            if not candidates:
                continue
            start = day_index % len(candidates)
            taken = 0
            for person_id in candidates[start:] + candidates[:start]:
                if taken >= point.required_on(day):
                    break
                if person_id in seated:
                    continue
                seated.add(person_id)
                taken += 1
                if person_id not in here:
                    here.append(person_id)
        capacity = onsite_capacity(instance, day)
        for _ in range(len(order)):
            if len(here) >= capacity or len(here) >= len(present):
                break
            person_id = order[turn % len(order)]
            turn += 1
            if person_id in present and person_id not in here:
                here.append(person_id)
        on_site.update((person_id, day) for person_id in here)
    rows = tuple(
        RosterRow(
            person.id,
            tuple(STATUS_LEAVE if day in person.leave_days else STATUS_OFFICE if (person.id, day) in on_site else STATUS_HOME for day in instance.days),
        )
        for person in instance.people
    )
    return Roster(unit_id=instance.unit_id, days=instance.days, rows=rows)
