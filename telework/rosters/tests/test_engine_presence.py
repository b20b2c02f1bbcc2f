"""Rosters under a presence cap (issue 14): the on-site share, headcount and office-seat rules are counted the same
by the model and the independent checker, give way only to desks, duty posts, the leader rule and staff who must be
in (and then by exactly the structural bound, explained in Vietnamese), and assigned home days rotate presence
fairly across weeks; the round-robin rotation is the baseline."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from telework.rosters.engine.baseline import round_robin
from telework.rosters.engine.checker import check, measure
from telework.rosters.engine.explain import explain, unavoidable_violations
from telework.rosters.engine.instance import (
    CAP_RULES,
    DESK_STAFF_ON_SITE,
    DUTY_STAFF_ON_SITE,
    MAX_ONSITE_HEADCOUNT,
    MAX_ONSITE_SHARE,
    OFFICE_SEATS,
    ONE_STOP_DESK,
    STATUS_HOME,
    STATUS_LEAVE,
    FixedOnSiteDay,
    RosterPolicy,
    ServicePoint,
    is_on_site,
    minimum_on_site,
)
from telework.rosters.engine.solver import solve_unit
from telework.rosters.tests.builders import MONDAY, TWO_WEEKS, WEEK, distancing_units, person, unit

SERVICE_POINT_RULES = (DESK_STAFF_ON_SITE, DUTY_STAFF_ON_SITE)
DISTANCING = RosterPolicy(max_home_share=1.0, min_onsite_share=0.0, max_onsite_share=0.3, home_days_assigned=True)


def merged(counts: dict[str, int]) -> dict[str, int]:
    result = {rule: count for rule, count in counts.items() if rule not in SERVICE_POINT_RULES}
    result["service_points"] = sum(counts[rule] for rule in SERVICE_POINT_RULES)
    return result


def onsite_by_day(instance, roster):  # type: ignore[no-untyped-def]
    cells = roster.status_by_cell()
    return {day: sum(1 for person in instance.people if is_on_site(cells[person.id, day])) for day in instance.days}


def onsite_days(roster, person_id):  # type: ignore[no-untyped-def]
    row = next(row for row in roster.rows if row.person_id == person_id)
    return sum(1 for status in row.statuses if is_on_site(status))


@settings(max_examples=120, deadline=None, derandomize=True)
@given(st.one_of(distancing_units(), distancing_units(assigned=False)))
def test_the_checker_counts_the_caps_as_the_model_does_and_only_the_unavoidable_ones_are_broken(instance):
    result = solve_unit(instance)
    report = check(instance, result.roster)
    bound = unavoidable_violations(instance)

    assert result.certificate.status == "OPTIMAL"
    assert report.integrity_errors == ()
    assert merged(report.by_rule) == merged(result.certificate.hard_slack)
    assert report.policy_total == bound.total
    assert {rule: report.by_rule[rule] for rule in CAP_RULES} == {rule: bound.by_rule[rule] for rule in CAP_RULES}
    assert report.relaxable_total == sum(breach.amount for breach in result.relaxations)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(distancing_units(), st.randoms(use_true_random=False))
def test_an_assigned_roster_does_not_depend_on_the_order_of_its_input(instance, random):
    people = list(instance.people)
    random.shuffle(people)
    shuffled = dataclasses.replace(instance, people=tuple(people), days=tuple(reversed(instance.days)))
    assert solve_unit(shuffled).canonical_json() == solve_unit(instance).canonical_json()


def test_at_most_thirty_percent_on_site_everyone_else_at_home_and_the_desk_staffed():
    people = tuple(person(index, is_leader=index in (1, 2), approved_home_days=frozenset()) for index in range(1, 11))
    instance = unit(people, days=TWO_WEEKS, policy=DISTANCING, service_points=(ServicePoint(20, "Một cửa", ONE_STOP_DESK, 1, frozenset({3, 4, 5})),))

    result = solve_unit(instance)

    assert result.certificate.status == "OPTIMAL"
    assert result.hard_violations == 0
    assert set(onsite_by_day(instance, result.roster).values()) == {3}  # floor(30 % × 10): the office is used up to the cap
    cells = result.roster.status_by_cell()
    assert all(sum(1 for person_id in (3, 4, 5) if cells[person_id, day] == "desk:20") == 1 for day in instance.days)
    assert all(any(cells[leader, day] != STATUS_HOME for leader in (1, 2)) for day in instance.days)
    # Nobody registered a home day, yet everyone is sent home in turn: 30 days on site shared by ten people. The two
    # leaders cover the ten leader days between them, the three desk staff the ten desk days; the rest rotate.
    days_in = {person_id: onsite_days(result.roster, person_id) for person_id in range(1, 11)}
    assert sum(days_in.values()) == 30
    assert (days_in[1], days_in[2]) == (5, 5)
    assert sorted(days_in[person_id] for person_id in (3, 4, 5)) == [3, 3, 4]
    assert [days_in[person_id] for person_id in range(6, 11)] == [2] * 5
    assert check(instance, result.roster).total == 0


def test_the_share_rounds_down_against_the_staff_present_that_day_and_leave_is_not_on_site():
    people = tuple(person(index, leave_days=frozenset({MONDAY}) if index <= 3 else frozenset()) for index in range(1, 11))
    instance = unit(people, policy=dataclasses.replace(DISTANCING, leader_on_site_each_day=False))

    result = solve_unit(instance)
    on_site = onsite_by_day(instance, result.roster)

    assert on_site[MONDAY] == 2  # 30 % of the 7 present = 2.1 → 2
    assert all(on_site[day] == 3 for day in WEEK[1:])
    assert all(status == STATUS_LEAVE for person_id in (1, 2, 3) for day, status in result.roster.status_by_cell().items() if day == (person_id, MONDAY))


def test_the_checker_counts_each_cap_on_a_roster_with_everyone_in():
    people = tuple(person(index) for index in range(1, 9))
    instance = unit(people, policy=dataclasses.replace(DISTANCING, max_onsite_headcount=3), office_seats=2)
    everyone_in = dataclasses.replace(
        round_robin(instance),
        rows=tuple(dataclasses.replace(row, statuses=("office",) * 5) for row in round_robin(instance).rows),
    )

    report = check(instance, everyone_in)

    assert report.by_rule[MAX_ONSITE_SHARE] == 5 * (8 - 2)
    assert report.by_rule[MAX_ONSITE_HEADCOUNT] == 5 * (8 - 3)
    assert report.by_rule[OFFICE_SEATS] == 5 * (8 - 2)


def test_a_cap_below_what_the_desk_and_the_leader_need_keeps_them_and_says_so_in_vietnamese():
    people = (person(1, "Trần Thị Trưởng", is_leader=True),) + tuple(person(index) for index in range(2, 9))
    desk = ServicePoint(20, "Tiếp nhận hồ sơ", ONE_STOP_DESK, 2, frozenset({2, 3, 4}))
    instance = unit(people, policy=dataclasses.replace(DISTANCING, max_onsite_share=0.2), service_points=(desk,))

    result = solve_unit(instance)
    explanation = explain(instance, result)

    assert result.certificate.status == "OPTIMAL"
    assert set(onsite_by_day(instance, result.roster).values()) == {3}  # the desk's two and the leader, never fewer
    assert result.certificate.hard_slack[MAX_ONSITE_SHARE] == 5 * (3 - 1) == unavoidable_violations(instance).total
    assert result.certificate.hard_slack[DESK_STAFF_ON_SITE] == 0
    assert minimum_on_site(instance, MONDAY).total == 3
    assert explanation.lines("vi") == [
        "Từ Thứ Hai, ngày 30/11/2026 đến Thứ Sáu, ngày 04/12/2026 chỉ được tối đa 20% trong số 8 cán bộ có mặt làm việc tại cơ quan (1 người), "
        "nhưng quầy một cửa 'Tiếp nhận hồ sơ' cần 2 người, quy định lãnh đạo có mặt cần 1 người, nên phải có 3 người tại cơ quan."
    ]
    assert "at most 20% of the 8 staff present may be on site (1 of them)" in explanation.lines("en")[0]


def test_office_seats_and_a_headcount_are_explained_with_their_own_figures():
    people = (person(1, is_leader=True),) + tuple(person(index) for index in range(2, 7))
    desk = ServicePoint(20, "Hộ tịch", ONE_STOP_DESK, 1, frozenset({2}))
    instance = unit(people, policy=dataclasses.replace(DISTANCING, max_onsite_share=None, max_onsite_headcount=1), service_points=(desk,), office_seats=1)

    lines = explain(instance, solve_unit(instance)).lines("vi")

    assert any("chỉ được tối đa 1 người làm việc tại cơ quan" in line and "phải có 2 người" in line for line in lines)
    assert any("phòng làm việc chỉ có 1 chỗ ngồi sử dụng được" in line for line in lines)


def test_a_team_day_above_the_cap_is_relaxed_and_the_conflict_named():
    people = tuple(person(index) for index in range(1, 6))
    instance = unit(
        people,
        policy=dataclasses.replace(DISTANCING, leader_on_site_each_day=False, max_onsite_headcount=2),
        fixed_on_site=(FixedOnSiteDay(MONDAY, "Họp giao ban"),),
    )

    result = solve_unit(instance)
    explanation = explain(instance, result)

    assert result.certificate.hard_slack[MAX_ONSITE_HEADCOUNT] == 0  # city policy is kept; the head's team day gives way
    assert result.relaxations
    assert any("mỗi ngày tối đa 2 người làm việc tại cơ quan" in line for line in explanation.lines("vi"))


def test_whoever_was_on_site_more_in_recent_weeks_is_on_site_less_now():
    policy = dataclasses.replace(DISTANCING, leader_on_site_each_day=False, max_onsite_share=None, max_onsite_headcount=1)
    # Two people, one seat a day for two weeks: ten days to share. Last weeks person 1 came in 8 days against a fair 5.
    people = (person(1, recent_onsite_days=8, recent_fair_onsite_days=5), person(2, recent_onsite_days=2, recent_fair_onsite_days=5))
    instance = unit(people, days=TWO_WEEKS, policy=policy)

    result = solve_unit(instance)

    assert onsite_days(result.roster, 1) < onsite_days(result.roster, 2)
    assert (onsite_days(result.roster, 1), onsite_days(result.roster, 2)) == (2, 8)  # cumulative 10 and 10
    swapped = dataclasses.replace(instance, people=(dataclasses.replace(people[0], recent_onsite_days=2), dataclasses.replace(people[1], recent_onsite_days=8)))
    assert (onsite_days(solve_unit(swapped).roster, 1), onsite_days(solve_unit(swapped).roster, 2)) == (8, 2)


def test_the_solver_rotates_more_fairly_than_the_round_robin_when_history_is_uneven():
    people = (person(1, is_leader=True, recent_onsite_days=6, recent_fair_onsite_days=6),) + tuple(
        person(index, recent_onsite_days=3 + (index % 4) * 2, recent_fair_onsite_days=6) for index in range(2, 11)
    )
    instance = unit(people, days=TWO_WEEKS, policy=DISTANCING, service_points=(ServicePoint(20, "Một cửa", ONE_STOP_DESK, 1, frozenset({2, 3})),))

    solver = measure(instance, solve_unit(instance).roster)
    rotation = measure(instance, round_robin(instance))

    assert check(instance, round_robin(instance)).policy_total == 0
    assert solver.presence_deviation_spread is not None
    assert rotation.presence_deviation_spread is not None
    assert solver.presence_deviation_spread < rotation.presence_deviation_spread
    assert solver.onsite_gini is not None
    assert rotation.onsite_gini is not None
    assert solver.onsite_gini < rotation.onsite_gini


def test_the_round_robin_fills_the_leader_and_the_desk_first_then_takes_turns_under_the_cap():
    people = tuple(person(index, is_leader=index == 1) for index in range(1, 11))
    instance = unit(people, days=TWO_WEEKS, policy=DISTANCING, service_points=(ServicePoint(20, "Một cửa", ONE_STOP_DESK, 1, frozenset({5, 6})),))

    roster = round_robin(instance)
    cells = roster.status_by_cell()

    assert set(onsite_by_day(instance, roster).values()) == {3}
    assert all(is_on_site(cells[1, day]) and (is_on_site(cells[5, day]) or is_on_site(cells[6, day])) for day in instance.days)
    assert check(instance, roster).total == 0
    assert round_robin(instance) == roster


def test_a_cap_finding_reads_as_a_sentence_with_its_figures():
    from django.utils import translation

    from telework.rosters.selectors.labels import describe_finding, rule_label

    people = tuple(person(index) for index in range(1, 9))
    instance = unit(people, policy=DISTANCING, office_seats=2)
    roster = round_robin(instance)
    everyone_in = dataclasses.replace(roster, rows=tuple(dataclasses.replace(row, statuses=("office",) * 5) for row in roster.rows))
    findings = {finding.rule: finding for finding in check(instance, everyone_in).findings if finding.period == MONDAY.isoformat()}

    with translation.override("vi"):
        share = describe_finding(instance, everyone_in.status_by_cell(), findings[MAX_ONSITE_SHARE])
        seats = describe_finding(instance, everyone_in.status_by_cell(), findings[OFFICE_SEATS])
        label = rule_label(MAX_ONSITE_HEADCOUNT)

    assert "8 trong số 8 cán bộ có mặt sẽ làm việc tại cơ quan; mức trần chỉ cho phép tối đa 2 người (30%)" in share
    assert "phòng làm việc chỉ có 2 chỗ ngồi sử dụng được" in seats
    assert label == "Số người tối đa làm việc tại cơ quan mỗi ngày"
