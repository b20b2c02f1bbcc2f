"""The round-robin rotation a unit head draws by hand: the baseline the solver has to beat.

Each eligible person, in order, gets home days cycling through the weekdays from a starting day that moves one
place per person and per week, up to their entitlement, only on approved days they are not on leave, without
passing the person's weekly and monthly caps or the unit's daily home limit. It ignores requests, history,
one-stop desks, duty posts, leaders and team days: that is what makes it a baseline. The checker counts what it
breaks; ``measure`` says how fair it is.
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
    week_key,
    weekly_home_cap,
)

_EPSILON = 1e-9


def round_robin(instance: UnitInstance) -> Roster:
    """The baseline roster of ``instance``."""
    instance = instance.canonical()
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
