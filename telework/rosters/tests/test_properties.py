"""Properties over generated units (hypothesis): the solver keeps every hard rule it can keep, the independent
checker agrees with the certificate, and the only violations left are the unavoidable ones."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from telework.rosters.engine.checker import check
from telework.rosters.engine.explain import explain, unavoidable_violations
from telework.rosters.engine.instance import (
    DESK_STAFF_ON_SITE,
    DUTY_STAFF_ON_SITE,
    RELAXABLE_RULES,
    STATUS_LEAVE,
    STATUS_OFFICE,
    Roster,
    RosterRow,
)
from telework.rosters.engine.solver import solve_unit
from telework.rosters.tests.builders import units

SERVICE_POINT_RULES = (DESK_STAFF_ON_SITE, DUTY_STAFF_ON_SITE)


def without_service_points(counts: dict[str, int]) -> dict[str, int]:
    """Per-rule counts, with desks and duty posts summed: when staff are shared between a desk and a duty post,
    which of the two lacks a person is a matter of attribution, not of the total."""
    merged = {rule: count for rule, count in counts.items() if rule not in SERVICE_POINT_RULES}
    merged["service_points"] = sum(counts[rule] for rule in SERVICE_POINT_RULES)
    return merged


@settings(max_examples=120, deadline=None, derandomize=True)
@given(units())
def test_policy_violations_equal_the_unavoidable_ones_and_the_checker_agrees_with_the_certificate(instance):
    result = solve_unit(instance)
    report = check(instance, result.roster)
    bound = unavoidable_violations(instance)

    assert result.certificate.status == "OPTIMAL"
    assert report.integrity_errors == ()
    assert report.policy_total == bound.total
    assert without_service_points(report.by_rule) == without_service_points(result.certificate.hard_slack)
    if bound.total == 0 and instance.policy.min_home_days_per_week == 0:
        assert report.total == 0


@settings(max_examples=60, deadline=None, derandomize=True)
@given(units(guarantee=st.just(0)))
def test_every_hard_rule_holds_when_leave_leaves_room(instance):
    """Without a home-day guarantee nothing forces anyone home, so whenever leave does not empty a leader's day or
    a desk, the roster keeps every rule; otherwise it breaks exactly the structural bound."""
    report = check(instance, solve_unit(instance).roster)
    bound = unavoidable_violations(instance).total
    assert report.total == bound
    assert report.relaxable_total == 0


@settings(max_examples=40, deadline=None, derandomize=True)
@given(units(guarantee=st.integers(1, 2)))
def test_relaxed_guarantees_are_flagged_and_explained_by_a_conflict(instance):
    result = solve_unit(instance)
    report = check(instance, result.roster)
    relaxed = sum(breach.amount for breach in result.relaxations)
    assert relaxed == report.relaxable_total
    assert all(breach.rule in RELAXABLE_RULES for breach in result.relaxations)
    if relaxed:
        explanation = explain(instance, result)
        assert explanation.conflicts
        assert len(explanation.relaxed) == len(result.relaxations)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(units(), st.randoms(use_true_random=False))
def test_the_order_of_the_input_does_not_change_a_single_byte(instance, random):
    people = list(instance.people)
    random.shuffle(people)
    points = list(instance.service_points)
    random.shuffle(points)
    shuffled = dataclasses.replace(instance, people=tuple(people), service_points=tuple(points), days=tuple(reversed(instance.days)))
    assert solve_unit(shuffled).canonical_json() == solve_unit(instance).canonical_json()


@settings(max_examples=80, deadline=None, derandomize=True)
@given(units())
def test_the_bound_and_the_checker_match_desks_with_two_different_algorithms(instance):
    """Everyone present on site: the checker's seat matching and the bound's flow must find the same shortfall."""
    everyone_on_site = Roster(
        instance.unit_id,
        instance.days,
        tuple(RosterRow(person.id, tuple(STATUS_LEAVE if day in person.leave_days else STATUS_OFFICE for day in instance.days)) for person in instance.people),
    )
    report = check(instance, everyone_on_site)
    bound = unavoidable_violations(instance)
    assert sum(finding.amount for finding in bound.findings) == bound.total  # every unavoidable violation is told once
    assert sum(report.by_rule[rule] for rule in SERVICE_POINT_RULES) == sum(bound.by_rule[rule] for rule in SERVICE_POINT_RULES)
    assert report.policy_total == bound.total
