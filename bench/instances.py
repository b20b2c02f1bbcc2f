"""A deterministic generator of roster instances ("TT-ROSTER", roster-anchors §4).

The same ``(staff, seed, weeks)`` always gives the same units. Each unit draws from its own random stream
(seeded by the city seed and the unit's number), so a unit does not change when another one does.

Knobs (roster-anchors §4): unit size lognormal (median 15, σ 0.7, clipped 3–200); 80 % of staff eligible;
leaders about 8 % and at least one per unit; a desk or duty post in 30 % of units, needing 1–2 staff a day, with
35 % of the unit qualified; 6 % of person-days on leave; part-time 15 % (pro-rata cap of 2 days a week);
a cap of 3 home days a week; a team day in half the units; 0–3 preferences per person and week, 85 % of them
"home", skewed to Monday and Friday; a history debt of −2..+2 days. Four families by on-site minimum:
30 %, 40 %, 50 %, and a stress family at 50 or 60 %.

Four harder families (issue 9, item 14), the weeks real units have and the first four lack:

* ``desk_by_weekday``: every unit has a one-stop desk whose need differs by weekday (one more on Mondays,
  sometimes on Fridays), often with a duty post sharing its staff;
* ``leave_clusters``: a training course or a team trip takes 20–40 % of the unit (a leader among them half the
  time) away for 3–5 consecutive working days, once to three times in the horizon, next to a desk;
* ``part_time``: 45 % part-time staff, capped at one or two home days a week;
* ``month_history``: monthly rules (at most 6 or 8 home days a month, sometimes at least 10 office days) with
  what each person already did this month before the horizon, and the working days left after it.

Distancing (issue 14, ``generate_distancing_city``): the unit assigns home days under a presence cap, as Hanoi did
in April 2020 (Directive 16/CT-TTg) — no registrations, no home-day caps or office minimums, a leader on site each
day, desks and duty posts kept, and four weeks of history (each person's on-site days against their fair share,
−3..+3 days off it). Four families:

* ``distancing_20`` and ``distancing_30``: at most 20 % / 30 % of the staff present on site; a desk in 60 % of
  units (1–2 a day), a duty post in 30 %;
* ``distancing_seats``: 30 %, and the office's usable seats one or two below that (never below 1);
* ``distancing_infeasible``: a desk needing 2 of its 2–3 qualified staff every day, a leader not among them, and
  at most 2 people on site (``max_onsite_headcount``): the cap is below what the desk and the leader rule need, so
  its violations are unavoidable and known in advance (``explain.unavoidable_violations``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass

from telework.core.calendar import is_working_day
from telework.rosters.engine.instance import (
    DUTY_POST,
    ONE_STOP_DESK,
    FixedOnSiteDay,
    MonthHistory,
    Person,
    RosterPolicy,
    ServicePoint,
    UnitInstance,
)

# ISO week 2026-W49 (30 November to 4 December 2026) and the three after it: no Vietnamese public holiday.
FIRST_MONDAY = dt.date(2026, 11, 30)
FAMILIES = ("onsite_30", "onsite_40", "onsite_50", "stress_50_60", "desk_by_weekday", "leave_clusters", "part_time", "month_history")
HARDER_FAMILIES = frozenset({"desk_by_weekday", "leave_clusters", "part_time", "month_history"})
FAMILY_ONSITE_SHARES = {
    "onsite_30": (0.3,),
    "onsite_40": (0.4,),
    "onsite_50": (0.5,),
    "stress_50_60": (0.5, 0.6),
    "desk_by_weekday": (0.4, 0.5),
    "leave_clusters": (0.4, 0.5),
    "part_time": (0.4,),
    "month_history": (0.4, 0.5),
}
DISTANCING_FAMILIES = ("distancing_20", "distancing_30", "distancing_seats", "distancing_infeasible")
DISTANCING_HISTORY_WEEKS = 4
PREFERENCE_WEEKDAY_WEIGHTS = (3, 1, 1, 1, 3)  # Monday and Friday are asked for three times as often

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE_NAMES = ("Văn", "Thị", "Minh", "Thanh", "Ngọc", "Quốc", "Hữu", "Thu", "Đức", "Kim")
GIVEN_NAMES = (
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
)
POINT_NAMES = ("Tiếp nhận hồ sơ đất đai", "Bộ phận một cửa", "Hộ tịch", "Trực văn phòng", "Tiếp công dân", "Chứng thực")


@dataclass(frozen=True)
class Knobs:
    median_unit_size: float = 15.0
    unit_size_sigma: float = 0.7
    min_unit_size: int = 3
    max_unit_size: int = 200
    eligible_share: float = 0.8
    leader_share: float = 0.08
    service_point_unit_share: float = 0.3
    qualified_share: float = 0.35
    absence_share: float = 0.06
    part_time_share: float = 0.15
    part_time_cap: int = 2
    weekly_home_cap: int = 3
    min_office_days_per_week: int = 2
    team_day_unit_share: float = 0.5
    max_preferences_per_week: int = 3
    home_preference_share: float = 0.85
    history_weeks: int = 4
    max_history_debt: int = 2
    # The harder families.
    desk_qualified_share: float = 0.45
    leave_cluster_share: tuple[float, float] = (0.2, 0.4)
    leave_cluster_days: tuple[int, int] = (3, 5)
    part_time_family_share: float = 0.45
    monthly_home_caps: tuple[int, ...] = (6, 8)
    monthly_office_minimum: int = 10


@dataclass(frozen=True)
class GeneratedUnit:
    family: str
    instance: UnitInstance


def horizon_days(weeks: int, first_monday: dt.date = FIRST_MONDAY) -> tuple[dt.date, ...]:
    """The working days of ``weeks`` ISO weeks from ``first_monday`` (public holidays removed)."""
    days = (first_monday + dt.timedelta(days=offset) for offset in range(7 * weeks))
    return tuple(day for day in days if is_working_day(day))


def unit_sizes(staff: int, seed: int, knobs: Knobs) -> list[int]:
    """Unit sizes summing exactly to ``staff``."""
    rng = random.Random(f"sizes:{seed}")
    sizes: list[int] = []
    remaining = staff
    while remaining > 0:
        size = round(rng.lognormvariate(math.log(knobs.median_unit_size), knobs.unit_size_sigma))
        size = max(knobs.min_unit_size, min(knobs.max_unit_size, size))
        if remaining - size < knobs.min_unit_size:
            size = remaining
        sizes.append(size)
        remaining -= size
    return sizes


def generate_city(staff: int, seed: int, weeks: int, knobs: Knobs | None = None) -> list[GeneratedUnit]:
    """Units for ``staff`` people over a horizon of ``weeks`` weeks, families in rotation."""
    return _generate_units(staff, seed, weeks, knobs, FAMILIES, generate_unit, salt="unit")


def _generate_units(
    staff: int, seed: int, weeks: int, knobs: Knobs | None, families: tuple[str, ...], make_unit: Callable[..., UnitInstance], *, salt: str
) -> list[GeneratedUnit]:
    """A city's units: sizes drawn from ``seed``, families in rotation, each unit from its own seeded generator."""
    knobs = knobs or Knobs()
    days = horizon_days(weeks)
    units: list[GeneratedUnit] = []
    next_person_id = 1
    for index, size in enumerate(unit_sizes(staff, seed, knobs)):
        family = families[index % len(families)]
        instance = make_unit(index + 1, size, family, days, random.Random(f"{salt}:{seed}:{index}"), knobs, next_person_id)
        next_person_id += size
        units.append(GeneratedUnit(family, instance))
    return units


def generate_unit(unit_id: int, size: int, family: str, days: tuple[dt.date, ...], rng: random.Random, knobs: Knobs, first_person_id: int) -> UnitInstance:
    leader_count = max(1, sum(1 for _ in range(size) if rng.random() < knobs.leader_share))
    leaders = set(rng.sample(range(size), leader_count))
    weeks = sorted({day - dt.timedelta(days=day.weekday()) for day in days})
    people: list[Person] = []
    for offset in range(size):
        person_id = first_person_id + offset
        eligible = rng.random() < knobs.eligible_share
        part_time = rng.random() < (knobs.part_time_family_share if family == "part_time" else knobs.part_time_share)
        part_time_cap = rng.choice((1, 2)) if family == "part_time" else knobs.part_time_cap
        entitlement = 1 if part_time else rng.choice((2, 2, 2, 3, 3))
        if not eligible:
            approved_weekdays: list[int] = []
        elif rng.random() < 0.5:
            approved_weekdays = [0, 1, 2, 3, 4]  # floating days: any day of the week
        else:
            approved_weekdays = sorted(rng.sample(range(5), min(5, entitlement + 1)))  # a fixed pattern
        leave = frozenset(day for day in days if rng.random() < knobs.absence_share)
        requested_home: set[dt.date] = set()
        requested_office: set[dt.date] = set()
        for monday in weeks:
            for _ in range(rng.randint(0, knobs.max_preferences_per_week)):
                weekday = rng.choices(range(5), weights=PREFERENCE_WEEKDAY_WEIGHTS)[0]
                day = monday + dt.timedelta(days=weekday)
                if day not in days or day in requested_home or day in requested_office:
                    continue
                (requested_home if rng.random() < knobs.home_preference_share else requested_office).add(day)
        debt = rng.randint(-knobs.max_history_debt, knobs.max_history_debt)
        recent_entitled = entitlement * knobs.history_weeks if eligible else 0
        recent_home = max(0, recent_entitled - debt) if eligible else 0
        people.append(
            Person(
                id=person_id,
                name=f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}",
                is_leader=offset in leaders,
                is_eligible=eligible,
                approved_home_days=frozenset(day for day in days if day.weekday() in approved_weekdays),
                requested_home_days=frozenset(requested_home),
                requested_office_days=frozenset(requested_office),
                leave_days=leave,
                home_days_per_week=entitlement if eligible else 0,
                max_home_days_per_week=part_time_cap if part_time else None,
                recent_home_days=recent_home,
                recent_entitled_days=recent_entitled,
                recent_popular_home_days=rng.randint(0, min(recent_home, 2 * knobs.history_weeks)),
                last_week_home_weekdays=frozenset(rng.sample(approved_weekdays, min(entitlement, len(approved_weekdays)))),
            )
        )
    if family == "leave_clusters":
        people = _leave_clusters(people, days, rng, knobs)
    service_points: list[ServicePoint] = []
    if family == "desk_by_weekday":
        service_points = _weekday_desks(unit_id, people, rng, knobs)
    elif rng.random() < knobs.service_point_unit_share or family == "leave_clusters":
        qualified = frozenset(person.id for person in people if rng.random() < knobs.qualified_share)
        service_points.append(
            ServicePoint(
                id=unit_id * 10 + 1,
                name=rng.choice(POINT_NAMES),
                kind=ONE_STOP_DESK if rng.random() < 0.7 else DUTY_POST,
                required_on_site=rng.choice((1, 2)),
                qualified_ids=qualified,
            )
        )
    fixed: list[FixedOnSiteDay] = []
    if rng.random() < knobs.team_day_unit_share:
        weekday = rng.randrange(5)
        fixed = [FixedOnSiteDay(day=day, label="Team day") for day in days if day.weekday() == weekday]
    onsite = rng.choice(FAMILY_ONSITE_SHARES[family])
    policy = RosterPolicy(
        max_home_share=round(1.0 - onsite, 2),
        min_onsite_share=onsite,
        max_home_days_per_week=knobs.weekly_home_cap,
        min_office_days_per_week=knobs.min_office_days_per_week,
        leader_on_site_each_day=True,
        # The harder families keep the home-day guarantee the application gives every approved registration
        # (``rosters.adapters.DEFAULT_GUARANTEED_HOME_DAYS``): a relaxable rule, so conflicts with desks and shares.
        min_home_days_per_week=1 if family in HARDER_FAMILIES else 0,
    )
    month_days_after: tuple[tuple[str, int], ...] = ()
    if family == "month_history":
        policy = dataclasses.replace(
            policy,
            max_home_days_per_month=rng.choice(knobs.monthly_home_caps),
            min_office_days_per_month=knobs.monthly_office_minimum if rng.random() < 0.5 else None,
        )
        people = _month_history(people, days, policy, rng)
        month_days_after = _month_days_after(days)
    return UnitInstance(
        unit_id=unit_id,
        unit_name=f"Unit {unit_id}",
        days=days,
        people=tuple(people),
        service_points=tuple(service_points),
        fixed_on_site=tuple(fixed),
        policy=policy,
        month_days_after=month_days_after,
    )


def _leave_clusters(people: list[Person], days: tuple[dt.date, ...], rng: random.Random, knobs: Knobs) -> list[Person]:
    """A course or a trip: a share of the unit away together for a few consecutive working days, a leader among
    them half the time, once to three times in the horizon."""
    leave: dict[int, set[dt.date]] = {person.id: set(person.leave_days) for person in people}
    leaders = [person.id for person in people if person.is_leader]
    for _ in range(rng.randint(1, 3)):
        length = min(len(days), rng.randint(*knobs.leave_cluster_days))
        start = rng.randrange(len(days) - length + 1)
        away = set(rng.sample([person.id for person in people], max(1, round(len(people) * rng.uniform(*knobs.leave_cluster_share)))))
        if leaders and rng.random() < 0.5:
            away.add(rng.choice(leaders))
        for person_id in away:
            leave[person_id].update(days[start : start + length])
    return [dataclasses.replace(person, leave_days=frozenset(leave[person.id])) for person in people]


def _weekday_desks(unit_id: int, people: list[Person], rng: random.Random, knobs: Knobs) -> list[ServicePoint]:
    """A one-stop desk needing one more on Mondays (and sometimes on Fridays); half the time a duty post as well,
    sharing some of the desk's staff."""
    qualified = frozenset(person.id for person in people if rng.random() < knobs.desk_qualified_share)
    usual = rng.choice((1, 1, 2))
    needs = (usual + 1, usual, usual, usual, usual + rng.choice((0, 1)))
    points = [ServicePoint(unit_id * 10 + 1, rng.choice(POINT_NAMES), ONE_STOP_DESK, usual, qualified, required_by_weekday=needs)]
    if rng.random() < 0.5:
        shared = frozenset(person_id for person_id in qualified if rng.random() < 0.5) | frozenset(
            person.id for person in people if rng.random() < knobs.qualified_share / 2
        )
        points.append(ServicePoint(unit_id * 10 + 2, "Trực văn phòng", DUTY_POST, 1, shared))
    return points


def _month_history(people: list[Person], days: tuple[dt.date, ...], policy: RosterPolicy, rng: random.Random) -> list[Person]:
    """What each person did in the horizon's first month before it starts: home days up to the monthly cap, and
    office days on the other working days before the horizon."""
    first = min(days)
    month = f"{first.year}-{first.month:02d}"
    before = sum(1 for offset in range(first.day - 1) if is_working_day(first.replace(day=offset + 1)))
    cap = policy.max_home_days_per_month or 0
    result = []
    for person in people:
        home = rng.randint(0, min(cap, before)) if person.is_eligible else 0
        result.append(dataclasses.replace(person, month_history=(MonthHistory(month, home, before - home),)))
    return result


def _month_days_after(days: tuple[dt.date, ...]) -> tuple[tuple[str, int], ...]:
    """Working days of each month of the horizon that fall after it (for the monthly office minimum)."""
    last = max(days)
    result = []
    for month in sorted({(day.year, day.month) for day in days}):
        year, number = month
        day = max(last + dt.timedelta(days=1), dt.date(year, number, 1))
        count = 0
        while day.month == number:
            count += 1 if is_working_day(day) else 0
            day += dt.timedelta(days=1)
        result.append((f"{year}-{number:02d}", count))
    return tuple(result)


def generate_distancing_city(staff: int, seed: int, weeks: int, knobs: Knobs | None = None) -> list[GeneratedUnit]:
    """Units for ``staff`` people under distancing (assigned home days, a presence cap), families in rotation."""
    return _generate_units(staff, seed, weeks, knobs, DISTANCING_FAMILIES, generate_distancing_unit, salt="distancing")


def generate_distancing_unit(
    unit_id: int, size: int, family: str, days: tuple[dt.date, ...], rng: random.Random, knobs: Knobs, first_person_id: int
) -> UnitInstance:
    share = 0.2 if family == "distancing_20" else 0.3
    leader_count = max(1, sum(1 for _ in range(size) if rng.random() < knobs.leader_share))
    leaders = set(rng.sample(range(size), leader_count))
    history_fair = round(share * 5 * DISTANCING_HISTORY_WEEKS)
    people: list[Person] = []
    for offset in range(size):
        requested_home: set[dt.date] = set()
        requested_office: set[dt.date] = set()
        for day in days:
            draw = rng.random()
            if draw < 0.05:
                requested_office.add(day)
            elif draw < 0.10:
                requested_home.add(day)
        people.append(
            Person(
                id=first_person_id + offset,
                name=f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}",
                is_leader=offset in leaders,
                requested_home_days=frozenset(requested_home),
                requested_office_days=frozenset(requested_office),
                leave_days=frozenset(day for day in days if rng.random() < knobs.absence_share),
                recent_onsite_days=max(0, history_fair + rng.randint(-3, 3)),
                recent_fair_onsite_days=history_fair,
            )
        )
    service_points: list[ServicePoint] = []
    non_leaders = [person.id for person in people if not person.is_leader]
    headcount: int | None = None
    if family == "distancing_infeasible":
        qualified = frozenset(rng.sample(non_leaders, min(len(non_leaders), rng.choice((2, 3)))))
        service_points.append(ServicePoint(unit_id * 10 + 1, rng.choice(POINT_NAMES), ONE_STOP_DESK, 2, qualified))
        headcount = 2
    else:
        if rng.random() < 0.6:
            qualified = frozenset(person.id for person in people if rng.random() < knobs.qualified_share)
            service_points.append(ServicePoint(unit_id * 10 + 1, rng.choice(POINT_NAMES), ONE_STOP_DESK, rng.choice((1, 1, 2)), qualified))
        if rng.random() < 0.3:
            qualified = frozenset(person.id for person in people if rng.random() < knobs.qualified_share)
            service_points.append(ServicePoint(unit_id * 10 + 2, "Trực văn phòng", DUTY_POST, 1, qualified))
    seats: int | None = None
    if family == "distancing_seats":
        seats = max(1, math.floor(share * size) - rng.choice((1, 2)))
    policy = RosterPolicy(
        max_home_share=1.0,
        min_onsite_share=0.0,
        leader_on_site_each_day=True,
        max_onsite_share=share,
        max_onsite_headcount=headcount,
        home_days_assigned=True,
    )
    return UnitInstance(
        unit_id=unit_id,
        unit_name=f"Unit {unit_id}",
        days=days,
        people=tuple(people),
        service_points=tuple(service_points),
        policy=policy,
        office_seats=seats,
    )
