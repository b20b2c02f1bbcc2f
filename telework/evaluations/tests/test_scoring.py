"""The scoring rules of both regimes, level by level, with their boundaries, forced-down rules and the quota."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from telework.evaluations.scoring import (
    Conduct,
    GeneralScores,
    LeaderFactors,
    Level,
    PersonFacts,
    Presence,
    QuotaCandidate,
    Regime,
    ScoringParameters,
    UnitResults,
    WorkResult,
    annual_score,
    assess,
    assess_90,
    assess_335,
    assess_335_year,
    enforce_quota,
    excellent_allowed,
    level_for_score,
    regime_for,
    task_score,
)

PARAMETERS = ScoringParameters()
FULL_GENERAL = GeneralScores(7.5, 7.5, 7.5, 7.5)


def done(count: int, **changes) -> tuple[WorkResult, ...]:
    return tuple(WorkResult(points=1.0, is_done=True, **changes) for _ in range(count))


FOUR_DONE = done(4)
FOUR_EXCEEDED = done(4, exceeded_target=True)


def civil_servant(work=FOUR_DONE, general=FULL_GENERAL, **changes) -> PersonFacts:
    values = {"key": "CB1", "staff_type": "cong_chuc", "year": 2026, "work": work, "general": general}
    values.update(changes)
    return PersonFacts(**values)


def public_employee(work=FOUR_DONE, general=FULL_GENERAL, **changes) -> PersonFacts:
    values = {"key": "VC1", "staff_type": "vien_chuc", "year": 2026, "work": work, "general": general}
    values.update(changes)
    return PersonFacts(**values)


# --------------------------------------------------------------------------------------------- regime


@pytest.mark.parametrize(
    ("staff_type", "year", "regime"),
    [
        ("cong_chuc", 2026, Regime.DECREE_335),
        ("cong_chuc", 2027, Regime.DECREE_335),
        ("cong_chuc", 2025, Regime.DECREE_90),
        ("vien_chuc", 2026, Regime.DECREE_90),
        ("vien_chuc", 2024, Regime.DECREE_90),
    ],
)
def test_regime_is_chosen_by_staff_type_and_year(staff_type, year, regime):
    assert regime_for(staff_type, year) is regime


def test_assess_dispatches_to_the_regime_of_the_person():
    assert assess(civil_servant(), PARAMETERS).regime is Regime.DECREE_335
    assert assess(civil_servant(year=2025), PARAMETERS).regime is Regime.DECREE_90


# --------------------------------------------------------------------------------------------- decree 335


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (100.0, Level.EXCELLENT),
        (90.0, Level.EXCELLENT),
        (89.99, Level.GOOD),
        (70.0, Level.GOOD),
        (69.99, Level.COMPLETED),
        (50.0, Level.COMPLETED),
        (49.99, Level.NOT_COMPLETED),
        (0.0, Level.NOT_COMPLETED),
    ],
)
def test_decree_335_level_thresholds(score, level):
    assert level_for_score(score, PARAMETERS) is level


def test_perfect_work_and_full_general_criteria_score_100_excellent():
    result = assess_335(civil_servant(), PARAMETERS)
    assert (result.score, result.level) == (100.0, Level.EXCELLENT)


def test_each_major_error_takes_a_quarter_of_the_items_points_from_quality():
    work = (WorkResult(1.0, True, major_errors=1), WorkResult(1.0, True))
    tasks = task_score(work, PARAMETERS)
    assert (tasks.quantity_percent, tasks.quality_percent, tasks.progress_percent) == (100.0, 87.5, 100.0)
    # 70 × (100 + 87.5 + 100) / 300
    assert tasks.points == 67.08


def test_each_delay_takes_a_quarter_of_the_items_points_from_progress_never_below_zero():
    work = (WorkResult(2.0, True, delays=5), WorkResult(2.0, True, delays=1))
    tasks = task_score(work, PARAMETERS)
    assert tasks.progress_percent == 37.5  # (0 + 2 × 0.75) / 4


def test_errors_and_delays_from_objective_causes_are_not_deducted():
    work = (WorkResult(1.0, True, major_errors=2, excused_errors=2, delays=1, excused_delays=1),)
    result = assess_335(civil_servant(work=work), PARAMETERS)
    assert (result.score, result.level) == (100.0, Level.EXCELLENT)
    assert "tasks.excused" in [line.code for line in result.criteria]


def test_quantity_is_done_points_over_assigned_points():
    work = (WorkResult(3.0, True), WorkResult(1.0, False))
    assert task_score(work, PARAMETERS).quantity_percent == 75.0


def test_task_weights_are_a_parameter():
    work = (WorkResult(1.0, True), WorkResult(1.0, False))
    quantity_only = ScoringParameters(quantity_weight=1, quality_weight=0, progress_weight=0)
    assert task_score(work, quantity_only).points == 35.0


def test_boundary_score_of_exactly_90_is_excellent_and_just_below_is_good():
    # 20 general + 70 tasks = 90
    at_90 = assess_335(civil_servant(general=GeneralScores(5, 5, 5, 5)), PARAMETERS)
    assert (at_90.score, at_90.level) == (90.0, Level.EXCELLENT)
    below = assess_335(civil_servant(general=GeneralScores(5, 5, 5, 4.99)), PARAMETERS)
    assert (below.score, below.level) == (89.99, Level.GOOD)


def test_boundary_scores_of_70_and_50():
    assert assess_335(civil_servant(general=GeneralScores(0, 0, 0, 0)), PARAMETERS).level is Level.GOOD  # 70
    nothing_done = civil_servant(work=(WorkResult(1.0, False),), general=GeneralScores(7.5, 7.5, 7.5, 7.5))
    result = assess_335(nothing_done, PARAMETERS)
    assert (result.score, result.level) == (30.0, Level.NOT_COMPLETED)


def test_general_criteria_not_yet_scored_count_zero():
    result = assess_335(civil_servant(general=None), PARAMETERS)
    assert result.score == 70.0
    assert result.criteria[0].code == "general"


def test_general_scores_outside_the_maximum_are_refused():
    with pytest.raises(ValueError, match="outside"):
        assess_335(civil_servant(general=GeneralScores(8, 0, 0, 0)), PARAMETERS)


@pytest.mark.parametrize(
    ("conduct", "is_leader"),
    [
        (Conduct(is_disciplined_in_year=True), False),
        (Conduct(is_degraded=True), False),
        (Conduct(managed_unit_sanctioned=True), True),
    ],
)
def test_decree_335_forced_not_completed_whatever_the_score(conduct, is_leader):
    result = assess_335(civil_servant(conduct=conduct, is_leader=is_leader), PARAMETERS)
    assert (result.score, result.level) == (100.0, Level.NOT_COMPLETED)


def test_managed_unit_sanction_does_not_apply_to_non_leaders():
    result = assess_335(civil_servant(conduct=Conduct(managed_unit_sanctioned=True)), PARAMETERS)
    assert result.level is Level.EXCELLENT


def test_year_score_is_the_average_of_period_scores():
    assert annual_score([92.0, 88.0, 90.0, 89.0]) == 89.75
    result = assess_335_year(civil_servant(presence=Presence()), [92.0, 88.0, 90.0, 90.0], PARAMETERS)
    assert (result.score, result.level) == (90.0, Level.EXCELLENT)


def test_every_criterion_explains_itself_in_both_languages_with_a_citation():
    result = assess_335(civil_servant(work=(WorkResult(1.0, True, major_errors=1),)), PARAMETERS)
    quality = next(line for line in result.criteria if line.code == "tasks.quality")
    assert quality.reason("en") == "Quality: 75 % after 1 major error(s), −25 % of the item's points each."
    assert quality.citation.text("en") == "Decree 335/2025/NĐ-CP, Art. 14, cl. 2"
    assert quality.citation.text("vi") == "Nghị định 335/2025/NĐ-CP, Điều 14, khoản 2"
    assert quality.reason("vi") != quality.reason("en")


# --------------------------------------------------------------------------------------------- presence


def test_fewer_than_six_months_worked_is_not_classified():
    result = assess_335(civil_servant(presence=Presence(months_worked=5.99)), PARAMETERS)
    assert result.level is None
    assert assess_335(civil_servant(presence=Presence(months_worked=6)), PARAMETERS).level is Level.EXCELLENT


def test_maternity_leave_is_classified_on_the_actual_time_worked():
    result = assess_90(public_employee(presence=Presence(months_worked=4, is_maternity_leave=True)), PARAMETERS)
    assert result.level is Level.GOOD


@pytest.mark.parametrize(("absent", "level"), [(2.99, Level.GOOD), (3, Level.COMPLETED), (5.99, Level.COMPLETED)])
def test_decree_90_absent_three_to_under_six_months_is_capped_below_good(absent, level):
    result = assess_90(public_employee(presence=Presence(months_worked=8, months_absent=absent)), PARAMETERS)
    assert result.level is level


def test_decree_335_has_no_cap_for_three_to_six_months_absent():
    result = assess_335(civil_servant(presence=Presence(months_worked=8, months_absent=4)), PARAMETERS)
    assert result.level is Level.EXCELLENT


# --------------------------------------------------------------------------------------------- decree 90/2020


def test_decree_90_excellent_needs_half_the_tasks_exceeding_target():
    two_of_four = done(2, exceeded_target=True) + done(2)
    assert assess_90(public_employee(work=two_of_four), PARAMETERS).level is Level.EXCELLENT
    one_of_four = done(1, exceeded_target=True) + done(3)
    assert assess_90(public_employee(work=one_of_four), PARAMETERS).level is Level.GOOD


@pytest.mark.parametrize(
    ("short", "total", "level"),
    [
        (0, 10, Level.GOOD),
        (2, 10, Level.COMPLETED),  # 20 %: still completed
        (3, 10, Level.COMPLETED),  # the decree's gap, filled by gap_level
        (5, 10, Level.COMPLETED),  # 50 %: not above the KHT threshold
        (6, 10, Level.NOT_COMPLETED),  # more than 50 %
    ],
)
def test_decree_90_share_of_tasks_short(short, total, level):
    work = done(short, delays=1) + done(total - short)
    assert assess_90(public_employee(work=work), PARAMETERS).level is level


def test_decree_90_gap_level_is_a_parameter():
    work = done(3, major_errors=1) + done(7)
    parameters = ScoringParameters(gap_level=Level.NOT_COMPLETED)
    result = assess_90(public_employee(work=work), parameters)
    assert result.level is Level.NOT_COMPLETED
    assert next(line for line in result.criteria if line.code == "level").parameter == "gap_level"


def test_decree_90_unfinished_task_counts_as_short():
    work = (WorkResult(1.0, False),) + done(4)
    assert assess_90(public_employee(work=work), PARAMETERS).level is Level.COMPLETED


def test_decree_90_general_criteria_not_met_caps_at_completed():
    work = done(4, exceeded_target=True)
    assert assess_90(public_employee(work=work, general=GeneralScores(7.5, 3.74, 7.5, 7.5)), PARAMETERS).level is Level.COMPLETED
    assert assess_90(public_employee(work=work, general=GeneralScores(7.5, 3.75, 7.5, 7.5)), PARAMETERS).level is Level.EXCELLENT


def test_decree_90_discipline_forces_not_completed():
    result = assess_90(public_employee(conduct=Conduct(is_disciplined_in_year=True)), PARAMETERS)
    assert result.level is Level.NOT_COMPLETED


def test_decree_90_cites_the_viên_chức_articles():
    result = assess_90(public_employee(), PARAMETERS)
    level_line = next(line for line in result.criteria if line.code == "level")
    assert level_line.citation.text("en") == "Decree 90/2020/NĐ-CP, Art. 13"


def leader(unit: UnitResults, work=FOUR_EXCEEDED) -> PersonFacts:
    return public_employee(work=work, is_leader=True, unit=unit)


def test_decree_90_leader_excellent_needs_unit_targets_and_managed_staff():
    managed = (Level.GOOD,) * 7 + (Level.COMPLETED,) * 3
    assert assess_90(leader(UnitResults(10, 10, 5, 10, managed)), PARAMETERS).level is Level.EXCELLENT
    fewer_good = (Level.GOOD,) * 6 + (Level.COMPLETED,) * 4
    assert assess_90(leader(UnitResults(10, 10, 5, 10, fewer_good)), PARAMETERS).level is Level.COMPLETED


def test_decree_90_leader_good_needs_80_percent_on_time():
    managed = (Level.GOOD,) * 10
    assert assess_90(leader(UnitResults(10, 10, 0, 8, managed)), PARAMETERS).level is Level.GOOD
    assert assess_90(leader(UnitResults(10, 10, 0, 7, managed)), PARAMETERS).level is Level.COMPLETED


def test_decree_90_leader_completed_needs_more_than_70_percent_of_targets_met():
    managed = (Level.GOOD,) * 10
    assert assess_90(leader(UnitResults(10, 8, 0, 8, managed)), PARAMETERS).level is Level.COMPLETED
    assert assess_90(leader(UnitResults(10, 7, 0, 7, managed)), PARAMETERS).level is Level.NOT_COMPLETED


def test_decree_90_leader_with_a_managed_kht_cannot_be_good():
    managed = (Level.GOOD,) * 9 + (Level.NOT_COMPLETED,)
    assert assess_90(leader(UnitResults(10, 10, 5, 10, managed)), PARAMETERS).level is Level.COMPLETED


# --------------------------------------------------------------------------------------------- quota


def candidate(key, level, score, agency=1, group="", tie=0.0):
    return QuotaCandidate(key, level, score, agency, group, tie)


def test_cap_is_exact_twenty_percent_of_good():
    assert excellent_allowed(2, 10, 0.2)
    assert not excellent_allowed(3, 14, 0.2)
    assert excellent_allowed(3, 15, 0.2)


def test_quota_drops_the_lowest_score_per_agency_and_explains():
    people = [candidate(f"G{index}", Level.GOOD, 80) for index in range(8)]
    people += [candidate("E1", Level.EXCELLENT, 95), candidate("E2", Level.EXCELLENT, 91), candidate("E3", Level.EXCELLENT, 93)]
    outcome = enforce_quota(people, 0.2)
    # 3 excellent for 8 good: after moving E2 (lowest) 2 for 9 > 1.8; after moving E3 too, 1 for 10 ≤ 2.
    assert [drop.key for drop in outcome.drops] == ["E2", "E3"]
    assert outcome.levels["E1"] is Level.EXCELLENT
    assert outcome.levels["E2"] is Level.GOOD
    assert outcome.drops[0].reason(0.2, "en") == (
        "The agency had 3 excellent for 8 good; at most 20 % of good may be excellent. Lowest score (91) among the excellent: moved to good."
    )


def test_quota_is_enforced_within_each_peer_group():
    people = [candidate(f"A{index}", Level.GOOD, 80, group="desk") for index in range(5)]
    people += [candidate("AE1", Level.EXCELLENT, 95, group="desk"), candidate("AE2", Level.EXCELLENT, 92, group="desk")]
    people += [candidate(f"B{index}", Level.GOOD, 80, group="expert") for index in range(20)]
    outcome = enforce_quota(people, 0.2)
    assert [(drop.key, drop.scope) for drop in outcome.drops] == [("AE2", "peer_group")]
    assert outcome.levels["AE1"] is Level.EXCELLENT


def test_quota_agencies_are_separate():
    people = [candidate("E1", Level.EXCELLENT, 95, agency=1), candidate("C1", Level.COMPLETED, 60, agency=1)]
    people += [candidate(f"G{index}", Level.GOOD, 80, agency=2) for index in range(10)]
    outcome = enforce_quota(people, 0.2)
    assert [drop.key for drop in outcome.drops] == ["E1"]


def test_a_person_alone_in_a_job_position_is_never_demoted_for_being_alone():
    # The only "expert" of the agency is excellent; the agency has 10 good people, so its own ceiling (2) holds.
    people = [candidate(f"G{index}", Level.GOOD, 80, group="officer") for index in range(10)]
    people.append(candidate("SOLO", Level.EXCELLENT, 95, group="expert"))
    outcome = enforce_quota(people, 0.2, minimum_group_size=6)
    assert outcome.drops == ()
    assert outcome.levels["SOLO"] is Level.EXCELLENT
    expert = next(check for check in outcome.groups if check.group == "expert")
    assert (expert.members, expert.is_capped, expert.moved) == (1, False, 0)
    assert expert.reason(0.2, 6, "en") == (
        "Group “expert”: 1 people, fewer than the minimum of 6, so it is not capped on its own (it still counts in the agency's ceiling)."
    )


def test_a_group_of_one_never_forces_a_drop_even_with_no_minimum_set():
    people = [candidate("SOLO", Level.EXCELLENT, 95, group="expert")]
    outcome = enforce_quota(people, 0.2, minimum_group_size=0)
    assert outcome.drops == ()
    assert [check.is_capped for check in outcome.groups] == [False, False]


def test_a_small_group_still_counts_in_the_agency_ceiling():
    # Three excellent people in three groups of two, for five good: the agency allows one, so two move.
    people = [candidate(f"E{index}", Level.EXCELLENT, 90 + index, group=f"g{index}") for index in range(3)]
    people += [candidate(f"G{index}", Level.GOOD, 80, group=f"g{index % 3}") for index in range(5)]
    outcome = enforce_quota(people, 0.2, minimum_group_size=6)
    assert [(drop.key, drop.scope) for drop in outcome.drops] == [("E0", "agency"), ("E1", "agency")]


def test_a_group_at_the_minimum_is_capped_and_says_so():
    people = [candidate(f"G{index}", Level.GOOD, 80, group="officer") for index in range(4)]
    people += [candidate("E1", Level.EXCELLENT, 95, group="officer"), candidate("E2", Level.EXCELLENT, 91, group="officer")]
    outcome = enforce_quota(people, 0.2, minimum_group_size=6)
    assert [(drop.key, drop.scope) for drop in outcome.drops] == [("E2", "peer_group")]
    officer = next(check for check in outcome.groups if check.group == "officer")
    assert officer.reason(0.2, 6, "en") == "Group “officer”: 6 people, 2 excellent for 4 good, over 20 %: 1 move(s) to good."


def test_quota_ties_go_to_the_lower_task_score_then_the_later_code_and_are_flagged():
    people = [candidate(f"G{index}", Level.GOOD, 80) for index in range(5)]
    people += [candidate("E1", Level.EXCELLENT, 92, tie=60), candidate("E2", Level.EXCELLENT, 92, tie=65)]
    outcome = enforce_quota(people, 0.2)
    assert [drop.key for drop in outcome.drops] == ["E1"]
    people = [candidate(f"G{index}", Level.GOOD, 80) for index in range(5)]
    people += [candidate("E1", Level.EXCELLENT, 92), candidate("E2", Level.EXCELLENT, 92)]
    outcome = enforce_quota(people, 0.2)
    assert [drop.key for drop in outcome.drops] == ["E2"]
    assert outcome.drops[0].is_tie
    assert "Tied" in outcome.drops[0].reason(0.2, "en")


def test_quota_within_cap_changes_nothing():
    people = [candidate(f"G{index}", Level.GOOD, 80) for index in range(10)] + [candidate("E1", Level.EXCELLENT, 95), candidate("E2", Level.EXCELLENT, 94)]
    outcome = enforce_quota(people, 0.2)
    assert outcome.drops == ()
    assert outcome.levels == {person.key: person.level for person in people}


# --------------------------------------------------------------------------------------------- properties

levels = st.sampled_from([Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED, None])
candidates = st.lists(
    st.builds(
        QuotaCandidate,
        key=st.text(alphabet="ABCDEFGH", min_size=1, max_size=4),
        level=levels,
        rank_score=st.floats(0, 100),
        agency_id=st.integers(1, 3),
        peer_group=st.sampled_from(["", "desk", "expert"]),
        tie_score=st.floats(0, 70),
    ),
    max_size=60,
    unique_by=lambda candidate: candidate.key,
)


@given(candidates, st.sampled_from([0.0, 0.1, 0.2, 0.25, 0.5]))
def test_property_quota_never_exceeded_after_enforcement(people, cap_ratio):
    outcome = enforce_quota(people, cap_ratio)
    groups: dict[tuple, list[str]] = {}
    for person in people:
        groups.setdefault(("agency", person.agency_id), []).append(person.key)
        if person.peer_group:
            groups.setdefault(("group", person.agency_id, person.peer_group), []).append(person.key)
    levels_before = {person.key: person.level for person in people}
    for keys in groups.values():
        if sum(levels_before[key] is not None for key in keys) < 2:  # a group of one rated person is never capped on its own
            continue
        excellent = sum(outcome.levels[key] is Level.EXCELLENT for key in keys)
        good = sum(outcome.levels[key] is Level.GOOD for key in keys)
        assert excellent_allowed(excellent, good, cap_ratio)
    # Only excellent people move, and only to good.
    for drop in outcome.drops:
        assert next(person.level for person in people if person.key == drop.key) is Level.EXCELLENT
        assert outcome.levels[drop.key] is Level.GOOD


work_results = st.lists(
    st.builds(
        WorkResult,
        points=st.floats(0.1, 10),
        is_done=st.booleans(),
        major_errors=st.integers(0, 6),
        delays=st.integers(0, 6),
        excused_errors=st.integers(0, 2),
        excused_delays=st.integers(0, 2),
        exceeded_target=st.booleans(),
    ),
    min_size=1,
    max_size=20,
)
general_point = st.floats(0, 7.5)


@given(work_results, st.builds(GeneralScores, general_point, general_point, general_point, general_point))
def test_property_score_is_between_0_and_100(work, general):
    result = assess_335(civil_servant(work=tuple(work), general=general), PARAMETERS)
    assert result.score is not None
    assert 0 <= result.score <= 100
    assert result.level is level_for_score(result.score, PARAMETERS)


def test_no_work_assigned_gives_no_proposal_in_either_regime():
    assert assess_335(civil_servant(work=()), PARAMETERS).level is None
    assert assess_90(public_employee(work=()), PARAMETERS).level is None


# --------------------------------------------------------------------------------------------- three regimes


@pytest.mark.parametrize(
    ("staff_type", "starts_on", "ends_on", "has_own_regulation", "regime"),
    [
        ("vien_chuc", dt.date(2026, 6, 1), dt.date(2026, 6, 30), False, Regime.DECREE_90),
        ("vien_chuc", dt.date(2026, 7, 1), dt.date(2026, 9, 30), False, Regime.DECREE_233),
        ("vien_chuc", dt.date(2027, 1, 1), dt.date(2027, 12, 31), False, Regime.DECREE_233),
        # The end-2026 rating: Decree 90/2020 unless the agency has its own regulation under Decree 233 (Art. 20 cl. 1).
        ("vien_chuc", dt.date(2026, 1, 1), dt.date(2026, 12, 31), False, Regime.DECREE_90),
        ("vien_chuc", dt.date(2026, 1, 1), dt.date(2026, 12, 31), True, Regime.DECREE_233),
        ("cong_chuc", dt.date(2026, 7, 1), dt.date(2026, 9, 30), False, Regime.DECREE_335),
        ("cong_chuc", dt.date(2025, 10, 1), dt.date(2025, 12, 31), True, Regime.DECREE_90),
    ],
)
def test_regime_is_chosen_by_person_type_and_period_dates(staff_type, starts_on, ends_on, has_own_regulation, regime):
    assert regime_for(staff_type, starts_on.year, starts_on=starts_on, ends_on=ends_on, has_own_regulation=has_own_regulation) is regime


def test_decree_233_scores_public_employees_out_of_100_with_its_own_articles():
    result = assess(public_employee(year=2027), PARAMETERS)
    assert (result.regime, result.score, result.level) == (Regime.DECREE_233, 100.0, Level.EXCELLENT)
    quantity = next(line for line in result.criteria if line.code == "tasks.quantity")
    assert quantity.citation.text("en") == "Decree 233/2026/NĐ-CP, Art. 11"
    level = next(line for line in result.criteria if line.code == "level")
    # The article of the thresholds in Decree 233 was not verified: the rule shows as a named parameter.
    assert level.citation.text("en") == "Decree 233/2026/NĐ-CP; criteria-set parameter “Level thresholds on the 100-point score”"


def test_no_citation_ever_reads_article_not_verified():
    facts = [
        civil_servant(presence=Presence(), is_leader=True, unit=UnitResults(1, 1, 0, 1, (Level.GOOD,))),
        public_employee(year=2025, work=done(10) + (WorkResult(1.0, False),) * 3, presence=Presence()),
        public_employee(year=2027, conduct=Conduct(is_disciplined_in_year=True)),
        PersonFacts(key="CC", staff_type="cong_chuc", year=2025, work=FOUR_DONE, general=FULL_GENERAL, is_leader=True, unit=UnitResults(4, 4, 0, 4, ())),
    ]
    for language in ("en", "vi"):
        for person in facts:
            for line in assess(person, PARAMETERS).criteria:
                text = line.citation.text(language)
                assert "not verified" not in text
                assert "chưa xác minh" not in text
                assert "_" not in text  # never a parameter key


# --------------------------------------------------------------------------------------------- leaders (335)


FULL_FACTORS = LeaderFactors(is_organising_full=True, is_unity_full=True)


def leader_335(managed=(Level.GOOD,) * 4, factors=FULL_FACTORS, organisation=None, work=FOUR_DONE) -> PersonFacts:
    return civil_servant(work=work, is_leader=True, unit=UnitResults(4, 4, 0, 4, managed), leader_factors=factors, organisation_level=organisation)


def test_decree_335_leader_task_results_average_six_factors():
    result = assess_335(leader_335(), PARAMETERS)
    assert (result.score, result.level) == (100.0, Level.EXCELLENT)
    tasks = next(line for line in result.criteria if line.code == "tasks")
    assert tasks.citation.text("en") == "Decree 335/2025/NĐ-CP, Art. 16"


def test_decree_335_leader_unit_results_count_50_percent_when_someone_did_not_complete():
    result = assess_335(leader_335(managed=(Level.GOOD,) * 3 + (Level.NOT_COMPLETED,)), PARAMETERS)
    # 30 + 70 × (100 + 100 + 100 + 50 + 100 + 100) / 600 = 30 + 64.17
    assert result.score == 94.17
    unit = next(line for line in result.criteria if line.code == "leader.unit")
    assert (unit.points, unit.passed) == (50.0, False)
    assert unit.citation.text("en") == "Decree 335/2025/NĐ-CP, Art. 15, cl. 3"
    assert unit.reason("en") == "Unit results (d): 1 of 4 people in the unit did not complete their tasks: 50 %."


def test_decree_335_leader_organising_and_unity_judged_at_50_percent():
    result = assess_335(leader_335(factors=LeaderFactors(is_organising_full=False, is_unity_full=False)), PARAMETERS)
    # 30 + 70 × (300 + 100 + 50 + 50) / 600 = 30 + 58.33: good, not excellent.
    assert (result.score, result.level) == (88.33, Level.GOOD)


def test_decree_335_non_leader_ignores_leader_factors():
    result = assess_335(civil_servant(leader_factors=LeaderFactors(False, False)), PARAMETERS)
    assert result.score == 100.0


def test_decree_335_heads_level_is_capped_by_their_organisations_level():
    result = assess_335(leader_335(organisation=Level.GOOD), PARAMETERS)
    assert (result.score, result.level) == (100.0, Level.GOOD)
    cap = next(line for line in result.criteria if line.code == "head_cap")
    assert cap.citation.text("en") == "Decree 335/2025/NĐ-CP, Art. 20, cl. 6"
    assert cap.reason("en") == "The organisation led is rated Good (HTT): a head's level cannot be higher, so Good (HTT)."


def test_decree_335_head_without_an_organisation_level_is_not_capped_and_told_so():
    result = assess_335(leader_335(), PARAMETERS)
    cap = next(line for line in result.criteria if line.code == "head_cap")
    assert (result.level, cap.passed) == (Level.EXCELLENT, None)


def test_decree_335_year_caps_a_head_too():
    result = assess_335_year(leader_335(organisation=Level.COMPLETED), [95.0, 93.0], PARAMETERS)
    assert result.level is Level.COMPLETED


def test_decree_335_formula_is_fixed_by_article_16_whatever_the_weights():
    work = (WorkResult(1.0, True, major_errors=1), WorkResult(1.0, True))
    skewed = ScoringParameters(quantity_weight=5.0)
    assert assess_335(civil_servant(work=work), skewed).score == assess_335(civil_servant(work=work), PARAMETERS).score


# --------------------------------------------------------------------------------------------- presence (335, 233)


def test_decree_335_fewer_than_six_months_says_why_with_article_11():
    result = assess_335(civil_servant(presence=Presence(months_worked=5)), PARAMETERS)
    presence = next(line for line in result.criteria if line.code == "presence")
    assert result.level is None
    assert presence.reason("en") == "5 months worked in the year, fewer than 6: not classified."
    assert presence.citation.text("en") == "Decree 335/2025/NĐ-CP, Art. 11, cl. 1–2"


def test_decree_233_sick_or_maternity_leave_counts_as_actual_time():
    result = assess(public_employee(year=2027, presence=Presence(months_worked=4, is_maternity_leave=True)), PARAMETERS)
    presence = next(line for line in result.criteria if line.code == "presence")
    assert result.level is Level.EXCELLENT
    assert presence.citation.text("en") == "Decree 233/2026/NĐ-CP, Art. 14"


@given(candidates, st.sampled_from([0.1, 0.2, 0.25]), st.integers(0, 8))
def test_property_small_groups_never_force_a_drop_and_large_ones_hold_the_ceiling(people, cap_ratio, minimum):
    outcome = enforce_quota(people, cap_ratio, minimum_group_size=minimum)
    sizes: dict[tuple, int] = {}
    for person in people:
        if person.peer_group:
            sizes[(person.agency_id, person.peer_group)] = sizes.get((person.agency_id, person.peer_group), 0) + (person.level is not None)
    agency_of = {person.key: person.agency_id for person in people}
    for drop in outcome.drops:
        if drop.scope == "peer_group":
            assert sizes[(agency_of[drop.key], drop.group)] >= max(2, minimum)
    for (agency, group), size in sizes.items():
        if size >= max(2, minimum):
            keys = [person.key for person in people if (person.agency_id, person.peer_group) == (agency, group)]
            excellent = sum(outcome.levels[key] is Level.EXCELLENT for key in keys)
            good = sum(outcome.levels[key] is Level.GOOD for key in keys)
            assert excellent_allowed(excellent, good, cap_ratio)


def test_people_without_a_level_do_not_make_a_group_big_enough_to_cap():
    people = [candidate("E1", Level.EXCELLENT, 95, group="expert")] + [candidate(f"N{index}", None, 0, group="expert") for index in range(6)]
    people += [candidate(f"G{index}", Level.GOOD, 80, group="officer") for index in range(6)]
    outcome = enforce_quota(people, 0.2, minimum_group_size=6)
    assert outcome.drops == ()
    expert = next(check for check in outcome.groups if check.group == "expert")
    assert (expert.members, expert.is_capped) == (1, False)
