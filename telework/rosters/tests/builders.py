"""Small units for the roster tests: named builders for the hand-written cases, and a hypothesis strategy that
generates whole units (leave, leaders, shared desks, fixed days, weekly and monthly rules, history)."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

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

# ISO week 2026-W49: Monday 30 November (still November) to Friday 4 December 2026, no public holiday.
MONDAY = dt.date(2026, 11, 30)
WEEK = tuple(MONDAY + dt.timedelta(days=offset) for offset in range(5))
TWO_WEEKS = WEEK + tuple(day + dt.timedelta(days=7) for day in WEEK)
TUESDAY = WEEK[1]


def person(person_id: int, name: str = "", **changes: object) -> Person:
    """An eligible officer approved for every day of two weeks, due 2 home days a week."""
    values: dict[str, object] = {
        "id": person_id,
        "name": name or f"Cán bộ {person_id}",
        "approved_home_days": frozenset(TWO_WEEKS),
        "home_days_per_week": 2,
    }
    values.update(changes)
    return Person(**values)  # type: ignore[arg-type]


def unit(people: tuple[Person, ...], **changes: object) -> UnitInstance:
    values: dict[str, object] = {
        "unit_id": 1,
        "unit_name": "Phòng Quản lý đất đai",
        "days": WEEK,
        "people": people,
        "policy": RosterPolicy(max_home_share=0.5, min_onsite_share=0.5, max_home_days_per_week=3, min_office_days_per_week=2),
    }
    values.update(changes)
    return UnitInstance(**values)  # type: ignore[arg-type]


@st.composite
def units(draw: st.DrawFn, *, guarantee: st.SearchStrategy[int] | None = None) -> UnitInstance:
    """A unit of 2–8 people over one or two weeks (sometimes with a day off as a public holiday), its desks'
    needs sometimes set weekday by weekday."""
    days = list(draw(st.sampled_from([WEEK, WEEK, TWO_WEEKS])))
    if draw(st.integers(0, 4)) == 0:
        days.remove(draw(st.sampled_from(days)))
    size = draw(st.integers(2, 8))
    day_sets = st.frozensets(st.sampled_from(days))
    people = []
    for person_id in range(1, size + 1):
        eligible = draw(st.integers(0, 4)) > 0
        history_home = draw(st.integers(0, 8))
        people.append(
            Person(
                id=person_id,
                name=f"Cán bộ {person_id}",
                is_leader=draw(st.integers(0, 3)) == 0,
                is_eligible=eligible,
                approved_home_days=draw(day_sets),
                requested_home_days=draw(st.frozensets(st.sampled_from(days), max_size=3)),
                requested_office_days=draw(st.frozensets(st.sampled_from(days), max_size=1)),
                leave_days=draw(st.frozensets(st.sampled_from(days), max_size=3)),
                home_days_per_week=draw(st.integers(0, 3)),
                max_home_days_per_week=draw(st.sampled_from([None, None, 1, 2])),
                recent_home_days=history_home,
                recent_entitled_days=draw(st.integers(0, 8)),
                recent_popular_home_days=draw(st.integers(0, history_home)),
                last_week_home_weekdays=draw(st.frozensets(st.integers(0, 4), max_size=3)),
                month_history=draw(st.sampled_from([(), (MonthHistory("2026-12", draw(st.integers(0, 6)), draw(st.integers(0, 6))),)])),
            )
        )
    ids = st.frozensets(st.integers(1, size))
    points = tuple(
        ServicePoint(
            id=10 + index,
            name=f"Quầy {index}",
            kind=draw(st.sampled_from([ONE_STOP_DESK, DUTY_POST])),
            required_on_site=draw(st.integers(0, 3)),
            qualified_ids=draw(ids),
            # Sometimes a need that differs by weekday (more on Mondays, none on a quiet day).
            required_by_weekday=draw(st.sampled_from([(), (), tuple(draw(st.lists(st.integers(0, 3), min_size=5, max_size=5)))])),
        )
        for index in range(draw(st.integers(0, 2)))
    )
    fixed = tuple(
        FixedOnSiteDay(day=draw(st.sampled_from(days)), label=f"Họp giao ban {index}", person_ids=draw(st.sampled_from([frozenset(), draw(ids)])))
        for index in range(draw(st.integers(0, 2)))
    )
    policy = RosterPolicy(
        max_home_share=draw(st.sampled_from([0.2, 0.3, 0.5, 0.7, 1.0])),
        min_onsite_share=draw(st.sampled_from([0.0, 0.3, 0.5, 0.6])),
        max_home_days_per_week=draw(st.sampled_from([None, 1, 2, 3])),
        min_office_days_per_week=draw(st.sampled_from([None, 1, 2, 3])),
        max_home_days_per_month=draw(st.sampled_from([None, None, 3, 6])),
        min_office_days_per_month=draw(st.sampled_from([None, None, 5])),
        leader_on_site_each_day=draw(st.booleans()),
        min_home_days_per_week=draw(guarantee if guarantee is not None else st.integers(0, 2)),
    )
    return UnitInstance(
        unit_id=draw(st.integers(1, 1000)),
        unit_name="Phòng thử nghiệm",
        days=tuple(days),
        people=tuple(people),
        service_points=points,
        fixed_on_site=fixed,
        policy=policy,
        month_days_after=draw(st.sampled_from([(), (("2026-12", draw(st.integers(0, 15))),)])),
    )


@st.composite
def distancing_units(draw: st.DrawFn, *, assigned: bool = True) -> UnitInstance:
    """A unit of 2–9 people under a presence cap (share, headcount, office seats — any of them), with leave,
    leaders, desks and duty posts, requests and presence history. ``assigned``: the unit assigns home days
    (distancing); otherwise the pilot's approved days and eligibility still bound who may be at home. No weekly or
    monthly rule: those bind across days, and the structural bound is exact without them."""
    days = list(draw(st.sampled_from([WEEK, WEEK, TWO_WEEKS])))
    size = draw(st.integers(2, 9))
    day_sets = st.frozensets(st.sampled_from(days))
    people = tuple(
        Person(
            id=person_id,
            name=f"Cán bộ {person_id}",
            is_leader=draw(st.integers(0, 3)) == 0,
            is_eligible=draw(st.integers(0, 4)) > 0,
            approved_home_days=draw(day_sets),
            requested_home_days=draw(st.frozensets(st.sampled_from(days), max_size=2)),
            requested_office_days=draw(st.frozensets(st.sampled_from(days), max_size=2)),
            leave_days=draw(st.frozensets(st.sampled_from(days), max_size=3)),
            last_week_home_weekdays=draw(st.frozensets(st.integers(0, 4), max_size=4)),
            recent_onsite_days=draw(st.integers(0, 12)),
            recent_fair_onsite_days=draw(st.integers(0, 12)),
        )
        for person_id in range(1, size + 1)
    )
    ids = st.frozensets(st.integers(1, size))
    points = tuple(
        ServicePoint(
            id=10 + index,
            name=f"Quầy {index}",
            kind=draw(st.sampled_from([ONE_STOP_DESK, DUTY_POST])),
            required_on_site=draw(st.integers(0, 2)),
            qualified_ids=draw(ids),
        )
        for index in range(draw(st.integers(0, 2)))
    )
    fixed = tuple(FixedOnSiteDay(day=draw(st.sampled_from(days)), label="Họp giao ban") for _ in range(draw(st.integers(0, 1))))
    policy = RosterPolicy(
        max_home_share=1.0 if assigned else draw(st.sampled_from([0.5, 0.7, 1.0])),
        min_onsite_share=0.0 if assigned else draw(st.sampled_from([0.0, 0.3])),
        leader_on_site_each_day=draw(st.booleans()),
        max_onsite_share=draw(st.sampled_from([None, 0.2, 0.3, 0.5])),
        max_onsite_headcount=draw(st.sampled_from([None, None, 1, 2, 3])),
        home_days_assigned=assigned,
    )
    return UnitInstance(
        unit_id=draw(st.integers(1, 1000)),
        unit_name="Phòng thử nghiệm",
        days=tuple(days),
        people=people,
        service_points=points,
        fixed_on_site=fixed,
        policy=policy,
        office_seats=draw(st.sampled_from([None, None, 1, 2, 4])),
    )
