"""The round-robin baseline: what a head draws by hand, within the caps it knows about."""

from __future__ import annotations

from telework.rosters.engine.baseline import round_robin
from telework.rosters.engine.instance import RosterPolicy
from telework.rosters.tests.builders import MONDAY, TWO_WEEKS, WEEK, person, unit


def home(roster, person_id):
    row = next(row for row in roster.rows if row.person_id == person_id)
    return [day for day, status in zip(roster.days, row.statuses, strict=True) if status == "home"]


def test_each_person_starts_one_weekday_later_and_the_start_moves_each_week():
    policy = RosterPolicy(max_home_share=1.0, min_onsite_share=0.0, leader_on_site_each_day=False)
    people = (person(1, home_days_per_week=2), person(2, home_days_per_week=2), person(3, home_days_per_week=1, requested_home_days=frozenset({MONDAY})))
    roster = round_robin(unit(people, policy=policy, days=TWO_WEEKS))

    assert [day.weekday() for day in home(roster, 1)] == [0, 1, 1, 2]
    assert [day.weekday() for day in home(roster, 2)] == [1, 2, 2, 3]
    assert [day.weekday() for day in home(roster, 3)] == [2, 3]  # its Monday request is ignored


def test_it_keeps_approved_days_leave_the_weekly_cap_and_the_unit_daily_limit():
    policy = RosterPolicy(max_home_share=0.5, min_onsite_share=0.0, max_home_days_per_week=1, leader_on_site_each_day=False)
    people = (
        person(1, home_days_per_week=3, approved_home_days=frozenset({WEEK[3]})),
        person(2, home_days_per_week=3, leave_days=frozenset(WEEK[1:])),
        person(3, home_days_per_week=3, is_eligible=False, approved_home_days=frozenset()),
        person(4, home_days_per_week=3),
    )
    roster = round_robin(unit(people, policy=policy))

    assert home(roster, 1) == [WEEK[3]]
    assert home(roster, 2) == [MONDAY]
    assert home(roster, 3) == []
    assert len(home(roster, 4)) == 1
    assert all(sum(1 for person_id in (1, 2, 3, 4) if day in home(roster, person_id)) <= 2 for day in WEEK)
    row = next(row for row in roster.rows if row.person_id == 2)
    assert row.statuses == ("home", "leave", "leave", "leave", "leave")
