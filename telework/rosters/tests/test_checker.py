"""The independent checker on hand-written rosters: each rule counted where and by how much, a roster that does
not describe the unit refused cell by cell; and the measures of fairness and requests."""

from __future__ import annotations

from telework.rosters.engine.checker import check, measure
from telework.rosters.engine.instance import (
    APPROVED_DAYS_ONLY,
    DUTY_POST,
    DUTY_STAFF_ON_SITE,
    FIXED_ON_SITE_DAYS,
    INELIGIBLE_ON_SITE,
    LEADER_ON_SITE,
    MAX_HOME_DAYS_PER_WEEK,
    MAX_HOME_SHARE,
    MIN_HOME_DAYS_PER_WEEK,
    MIN_OFFICE_DAYS_PER_WEEK,
    MIN_ONSITE_SHARE,
    FixedOnSiteDay,
    Roster,
    RosterPolicy,
    RosterRow,
    ServicePoint,
)
from telework.rosters.tests.builders import MONDAY, TUESDAY, WEEK, person, unit


def roster_of(instance, rows):
    return Roster(instance.unit_id, instance.days, tuple(RosterRow(person_id, tuple(statuses)) for person_id, statuses in rows.items()))


def counts(report):
    return {rule: count for rule, count in report.by_rule.items() if count}


def test_everyone_at_home_every_day_breaks_each_rule_by_the_right_amount():
    policy = RosterPolicy(max_home_share=0.5, min_onsite_share=0.5, max_home_days_per_week=3, min_office_days_per_week=2, min_home_days_per_week=1)
    people = (
        person(1, is_leader=True),
        person(2, approved_home_days=frozenset({MONDAY})),
        person(3, is_eligible=False, approved_home_days=frozenset()),
        person(4, leave_days=frozenset({TUESDAY})),
    )
    instance = unit(
        people,
        policy=policy,
        service_points=(ServicePoint(9, "Trực", DUTY_POST, 1, frozenset({2, 3})),),
        fixed_on_site=(FixedOnSiteDay(WEEK[2], "Họp giao ban", frozenset({1, 2})),),
    )
    rows = {person.id: ["leave" if day in person.leave_days else "home" for day in WEEK] for person in people}

    report = check(instance, roster_of(instance, rows))

    assert report.integrity_errors == ()
    assert counts(report) == {
        MAX_HOME_SHARE: 2 + 1 + 2 + 2 + 2,  # 4 (3 on Tuesday) at home, 2 allowed
        MIN_ONSITE_SHARE: 2 + 2 + 2 + 2 + 2,  # half of those present, rounded up, on site
        LEADER_ON_SITE: 5,
        DUTY_STAFF_ON_SITE: 5,
        INELIGIBLE_ON_SITE: 5,
        APPROVED_DAYS_ONLY: 4,
        FIXED_ON_SITE_DAYS: 2,
        MAX_HOME_DAYS_PER_WEEK: 2 + 2 + 2 + 1,
        MIN_OFFICE_DAYS_PER_WEEK: 2 + 2 + 2 + 2,
    }
    assert report.policy_total == report.total - 2
    assert report.relaxable_total == 2


def test_nobody_at_home_breaks_only_the_guarantee():
    policy = RosterPolicy(min_home_days_per_week=2)
    people = (person(1, is_leader=True), person(2, leave_days=frozenset(WEEK[1:])), person(3, approved_home_days=frozenset({MONDAY})))
    instance = unit(people, policy=policy, fixed_on_site=(FixedOnSiteDay(WEEK[2], "Họp", frozenset({1})),))
    rows = {person.id: ["leave" if day in person.leave_days else "office" for day in WEEK] for person in people}

    report = check(instance, roster_of(instance, rows))

    assert counts(report) == {MIN_HOME_DAYS_PER_WEEK: 2 + 1 + 1}  # person 2 is present one day, person 3 approved one
    assert [(finding.person_id, finding.amount) for finding in report.findings] == [(1, 2), (2, 1), (3, 1)]


def test_a_desk_is_staffed_when_its_qualified_staff_can_be_seated_one_point_each():
    points = (ServicePoint(8, "Hộ tịch", DUTY_POST, 1, frozenset({1, 2})), ServicePoint(9, "Chứng thực", DUTY_POST, 1, frozenset({1})))
    people = (person(1, is_leader=True), person(2), person(3))
    instance = unit(people, service_points=points, policy=RosterPolicy(max_home_share=1.0, min_onsite_share=0.0))
    both_in = check(instance, roster_of(instance, {1: ["office"] * 5, 2: ["office"] * 5, 3: ["home"] * 5}))
    one_in = check(instance, roster_of(instance, {1: ["office"] * 5, 2: ["home"] * 5, 3: ["office"] * 5}))

    assert counts(both_in) == {}  # person 1 must take "Chứng thực", person 2 "Hộ tịch"
    assert counts(one_in) == {DUTY_STAFF_ON_SITE: 5}


def test_a_roster_that_does_not_describe_the_unit_is_reported_cell_by_cell():
    people = (person(1, is_leader=True, leave_days=frozenset({MONDAY})), person(2))
    instance = unit(people, service_points=(ServicePoint(9, "Trực", DUTY_POST, 1, frozenset({1})),))
    rows = {1: ["office", "desk:9", "office", "office", "office"], 2: ["desk:9", "sleeping", "office", "office", "leave"]}

    report = check(instance, roster_of(instance, rows))

    assert report.integrity_errors == (
        "person 1: leave marked missing on 2026-11-30",
        "person 2 staffs desk:9 on 2026-11-30 without being qualified for it",
        "person 2 has unknown status 'sleeping' on 2026-12-01",
        "person 2: leave marked wrongly on 2026-12-04",
    )


def test_fairness_and_requests_are_measured_against_each_persons_target():
    people = (
        person(1, is_leader=True, requested_home_days=frozenset({MONDAY}), requested_office_days=frozenset({TUESDAY})),
        person(2, is_leader=True, recent_entitled_days=4, recent_home_days=2, last_week_home_weekdays=frozenset({0})),
        person(3, is_eligible=False, approved_home_days=frozenset()),
    )
    instance = unit(people, policy=RosterPolicy(max_home_share=1.0, min_onsite_share=0.0, max_home_days_per_week=3))
    rows = {
        1: ["home", "office", "home", "office", "office"],
        2: ["office", "home", "office", "office", "office"],
        3: ["office"] * 5,
    }

    quality = measure(instance, roster_of(instance, rows))

    assert quality.targets == {1: 2, 2: 3, 3: 0}  # person 2 is owed two days: 2 + 2, within a cap of 3
    assert quality.home_days == {1: 2, 2: 1, 3: 0}
    assert quality.fairness_spread == round(1 - 1 / 3, 6)
    assert quality.shortfall_days == 2
    assert (quality.requests, quality.requests_honoured) == (2, 2)
    assert quality.stability_changes == 2 + 2  # person 1 had no home day last week; person 2 moved Monday to Tuesday
