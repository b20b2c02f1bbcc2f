"""Cap rules, checked directly and as properties over generated units (hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from telework.core import calendar
from telework.policy.parameters import PRESETS, PolicyParameters
from telework.registrations.caps import ServicePointFacts, UnitFacts, check_request, scale_to_working_days, unit_home_limit

MONDAY = dt.date(2026, 12, 7)
HCMC = PRESETS["hcmc_pilot"].parameters


def check(staff_id, days, unit, parameters=HCMC, person_days=()):
    return check_request(
        staff_id=staff_id,
        days=days,
        unit=unit,
        person_home_days=set(person_days),
        parameters_for=lambda _day: parameters,
        working_days_between=calendar.working_days,
        week_bounds=calendar.iso_week_bounds,
        month_bounds=calendar.month_bounds,
    )


def unit_of(size, leaders=(0,), points=(), home=None):
    return UnitFacts(
        unit_name="Phòng A",
        staff_ids=frozenset(range(size)),
        leader_ids=frozenset(leaders),
        service_points=tuple(points),
        home_by_day=home or {},
    )


def test_limit_rounds_against_telework():
    assert unit_home_limit(10, HCMC) == 3
    assert unit_home_limit(3, HCMC) == 0  # 30 % of 3 is 0.9: nobody
    assert unit_home_limit(7, PolicyParameters(max_home_share=0.5, min_onsite_share=0.5)) == 3
    assert unit_home_limit(10, PolicyParameters(max_home_share=0.5, min_onsite_share=0.7)) == 3


def test_fourth_person_home_on_a_day_breaks_the_unit_share():
    unit = unit_of(10, home={MONDAY: {1, 2, 3}})
    violations = check(4, [MONDAY], unit)
    assert [(violation.rule, violation.day) for violation in violations] == [("max_home_share", MONDAY)]
    assert violations[0].params == {
        "date": MONDAY,
        "unit": "Phòng A",
        "home": 4,
        "headcount": 10,
        "limit": 3,
        "max_home_percent": 30,
        "min_onsite_percent": 70,
    }


def test_on_site_minimum_named_when_it_is_the_binding_rule():
    parameters = PolicyParameters(max_home_share=0.5, min_onsite_share=0.8)
    violations = check(4, [MONDAY], unit_of(10, home={MONDAY: {1, 2}}), parameters)
    assert [violation.rule for violation in violations] == ["min_onsite_share"]


def test_weekly_maximum_and_office_minimum():
    week = [MONDAY + dt.timedelta(days=offset) for offset in range(3)]
    violations = check(5, week, unit_of(40))
    assert sorted(violation.rule for violation in violations) == ["max_home_days_per_week", "min_office_days_per_week"]


def test_monthly_rules_count_other_registrations():
    parameters = PolicyParameters(max_home_share=1.0, min_onsite_share=0.0, max_home_days_per_month=4, leader_on_site_each_day=False)
    earlier = [dt.date(2026, 12, 1), dt.date(2026, 12, 2), dt.date(2026, 12, 3), dt.date(2026, 12, 4)]
    violations = check(5, [dt.date(2026, 12, 8)], unit_of(10), parameters, person_days=earlier)
    assert [(violation.rule, violation.params["count"]) for violation in violations] == [("max_home_days_per_month", 5)]


def test_last_leader_on_site_must_stay():
    unit = unit_of(40, leaders=(0, 1), home={MONDAY: {1}})
    assert [violation.rule for violation in check(0, [MONDAY], unit)] == ["leader_on_site_each_day"]
    assert check(0, [MONDAY + dt.timedelta(days=1)], unit) == []


def test_desk_needs_its_qualified_staff_on_site():
    desk = ServicePointFacts(1, "Bàn đất đai", "one_stop_desk", 2, frozenset({5, 6, 7}))
    unit = unit_of(40, points=[desk], home={MONDAY: {6}})
    violations = check(5, [MONDAY], unit)
    assert [(violation.rule, violation.params["on_site"], violation.params["required"]) for violation in violations] == [("desk_staff_on_site", 1, 2)]


@settings(max_examples=200, deadline=None)
@given(
    size=st.integers(min_value=1, max_value=40),
    share=st.sampled_from([0.2, 0.3, 0.5]),
    requests=st.lists(st.tuples(st.integers(min_value=0, max_value=39), st.integers(min_value=0, max_value=4)), max_size=80),
)
def test_accepting_only_requests_without_violations_never_exceeds_the_cap(size, share, requests):
    """Whatever order requests arrive in, approving only those the checker accepts keeps every day within the limit."""
    parameters = PolicyParameters(max_home_share=share, min_onsite_share=1 - share, max_home_days_per_week=2, leader_on_site_each_day=True)
    unit = unit_of(size, leaders=(0,))
    for staff_id, offset in requests:
        if staff_id >= size:
            continue
        day = MONDAY + dt.timedelta(days=offset)
        person_days = {d for d, ids in unit.home_by_day.items() if staff_id in ids}
        if day in person_days:
            continue
        if not check(staff_id, [day], unit, parameters, person_days):
            unit.home_by_day.setdefault(day, set()).add(staff_id)
    limit = unit_home_limit(size, parameters)
    for ids in unit.home_by_day.values():
        assert len(ids) <= limit
        assert 0 not in ids or size == 1  # the only leader stays on site
    for staff_id in range(size):
        assert sum(1 for ids in unit.home_by_day.values() if staff_id in ids) <= 2


def test_a_standing_two_day_pattern_stands_in_the_new_year_week():
    # Week of 28/12/2026: Friday 1/1/2027 is New Year's Day, 4 working days. "At least 3 office days, at most 2 home
    # days a week" scale to 3 × 4 / 5 = 2.4 → 2 office days and 2 × 4 / 5 = 1.6 → 2 home days: Monday and Thursday
    # at home, Tuesday and Wednesday at the office, is within the rules.
    monday = dt.date(2026, 12, 28)
    assert len(calendar.working_days(monday, monday + dt.timedelta(days=4))) == 4
    assert check(5, [monday, monday + dt.timedelta(days=3)], unit_of(40)) == []
    violations = check(5, [monday, monday + dt.timedelta(days=1), monday + dt.timedelta(days=3)], unit_of(40))
    assert [(violation.rule, violation.params["limit"], violation.params["base"]) for violation in violations] == [
        ("max_home_days_per_week", 2, 2),
        ("min_office_days_per_week", 2, 3),
    ]


def test_a_holiday_week_refusal_names_the_holiday_and_the_day_to_drop():
    # Tết 2027: Thursday 4/2 and Friday 5/2 are holidays, the week keeps Monday to Wednesday. Monday and Tuesday at
    # home is 2 of 3 working days: at most 2 × 3 / 5 = 1.2 → 1 home day, at least 3 × 3 / 5 = 1.8 → 2 office days.
    monday = dt.date(2027, 2, 1)
    violations = check(5, [monday, monday + dt.timedelta(days=1)], unit_of(40))
    assert [(violation.rule, violation.params["limit"]) for violation in violations] == [("max_home_days_per_week", 1), ("min_office_days_per_week", 2)]
    assert all(violation.days_to_drop == [dt.date(2027, 2, 2)] for violation in violations)
    assert violations[1].params["holidays"] == [dt.date(2027, 2, 4), dt.date(2027, 2, 5)]
    assert violations[1].reason("en") == (
        "From 01/02/2027 to 07/02/2027 you would have 1 office days; the policy requires at least 2 per week. That week has 3 working days "
        "instead of 5 (29 of Lunar New Year 04/02/2027, Lunar New Year's Eve 05/02/2027), so the policy's 3 a week counts as 2. "
        "Drop 02/02/2027 from this registration and the rest of it can stand."
    )
    assert violations[1].as_dict()["drop"] == [{"date": "2027-02-02", "label": "02/02/2027"}]
    # Dropping the suggested day leaves a request that passes.
    assert check(5, [monday], unit_of(40)) == []


def test_week_of_two_working_days_allows_one_home_day():
    # Tết 2027: the week of 8/2 keeps Thursday and Friday. 2 × 2 / 5 = 0.8 → 1 home day; 3 × 2 / 5 = 1.2 → 1 office day.
    thursday = dt.date(2027, 2, 11)
    assert calendar.working_days(dt.date(2027, 2, 8), dt.date(2027, 2, 12)) == [thursday, thursday + dt.timedelta(days=1)]
    assert check(5, [thursday], unit_of(40)) == []
    assert [violation.rule for violation in check(5, [thursday, thursday + dt.timedelta(days=1)], unit_of(40))] == [
        "max_home_days_per_week",
        "min_office_days_per_week",
    ]


@pytest.mark.parametrize(
    ("value", "working", "favour", "expected"),
    [
        (3, 5, "down", 3),
        (3, 4, "down", 2),  # 2.4
        (3, 3, "down", 2),  # 1.8
        (3, 2, "down", 1),  # 1.2
        (3, 1, "down", 1),  # 0.6
        (2, 4, "up", 2),  # 1.6
        (2, 3, "up", 1),  # 1.2
        (5, 1, "down", 1),  # 1.0
        (5, 3, "down", 3),
        (1, 2, "down", 0),  # 0.4
        (4, 5, "up", 4),
        (3, 2, "up", 1),  # 1.2
        (5, 1, "up", 1),
        (5, 3, "up", 3),
        (5, 2, "down", 2),
        (5, 2, "up", 2),
        (5, 0, "up", 0),
        (25, 10, "down", 12),  # a month: 12.5 rounds down for an office minimum
        (25, 10, "up", 13),  # and up for a home maximum
    ],
)
def test_scaling_rounds_to_the_nearest_day_with_halves_in_the_staff_members_favour(value, working, favour, expected):
    assert scale_to_working_days(value, working=working, full=5 if value <= 5 else 20, favour=favour) == expected


def test_a_desk_needing_two_on_mondays_refuses_a_monday_home_day_that_a_tuesday_allows():
    desk = ServicePointFacts(1, "Một cửa", "one_stop_desk", 1, frozenset({4, 5}), required_by_weekday=(2, None, None, None, None))
    unit = unit_of(10, points=[desk])
    tuesday = MONDAY + dt.timedelta(days=1)

    assert [(violation.rule, violation.day) for violation in check(4, [MONDAY, tuesday], unit)] == [("desk_staff_on_site", MONDAY)]
