"""The pure design module: allocations are balanced, reproducible from the seed, and the MDE matches Bloom's."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.power import TTestIndPower

from telework.assessment.design import (
    COMPARISON,
    PILOT,
    Candidate,
    DesignInputError,
    balance_table,
    match,
    minimum_detectable_effect,
    randomise,
    stepped_wedge,
)


def city(units: int = 120, *, seed: int = 7) -> list[Candidate]:
    rng = random.Random(seed)
    return [
        Candidate(
            unit_id=1000 + index,
            agency_id=1 + index % 4,
            staff=rng.choice([5, 8, 12, 18, 25, 40, 60, 120]),
            function=rng.choice(["one_stop", "back_office", "inspection"]),
            pre_outcome=round(rng.uniform(0.6, 0.95), 3),
        )
        for index in range(units)
    ]


def test_randomise_balances_every_stratum_within_one_unit() -> None:
    candidates = city()
    allocations = randomise(candidates, seed=42)
    assert sorted(a.unit_id for a in allocations) == sorted(c.unit_id for c in candidates)
    per_stratum: dict[str, Counter[str]] = {}
    for allocation in allocations:
        per_stratum.setdefault(allocation.stratum, Counter())[allocation.arm] += 1
        assert allocation.wave is None
        assert allocation.matched_to is None
    for counts in per_stratum.values():
        assert abs(counts[PILOT] - counts[COMPARISON]) <= 1
    pilots = sum(1 for a in allocations if a.arm == PILOT)
    assert abs(pilots - len(candidates) / 2) <= 1


def test_randomise_stratum_names_agency_and_size_band() -> None:
    allocation = randomise([Candidate(1, 12, 15, "", None), Candidate(2, 12, 16, "", None)], seed=1)
    assert {a.stratum for a in allocation} == {"agency 12 · size 10–29"}
    assert Counter(a.arm for a in allocation) == {PILOT: 1, COMPARISON: 1}


def test_randomise_reproducible_from_seed_and_independent_of_input_order() -> None:
    candidates = city()
    first = randomise(candidates, seed=2026)
    shuffled = list(candidates)
    random.Random(3).shuffle(shuffled)
    assert randomise(shuffled, seed=2026) == first
    assert randomise(candidates, seed=2027) != first


def test_randomise_respects_pilot_share() -> None:
    allocations = randomise(city(200), seed=5, pilot_share=0.3)
    pilots = sum(1 for a in allocations if a.arm == PILOT)
    assert abs(pilots - 60) <= 1


def test_randomise_refuses_bad_share_and_duplicates() -> None:
    with pytest.raises(DesignInputError) as share:
        randomise(city(4), seed=1, pilot_share=1.0)
    assert share.value.code == "pilot_share_out_of_range"
    unit = Candidate(1, 1, 5, "", None)
    with pytest.raises(DesignInputError) as duplicate:
        randomise([unit, unit], seed=1)
    assert duplicate.value.code == "duplicate_unit"


def test_stepped_wedge_gives_every_unit_a_wave_and_fills_every_wave() -> None:
    candidates = city(50)
    allocations = stepped_wedge(candidates, seed=9, waves=4)
    assert len(allocations) == 50
    assert all(a.arm == PILOT for a in allocations)
    sizes = Counter(a.wave for a in allocations)
    assert set(sizes) == {1, 2, 3, 4}
    assert max(sizes.values()) - min(sizes.values()) <= 1
    assert stepped_wedge(list(reversed(candidates)), seed=9, waves=4) == allocations
    assert stepped_wedge(candidates, seed=10, waves=4) != allocations


def test_stepped_wedge_refuses_more_waves_than_units() -> None:
    with pytest.raises(DesignInputError) as error:
        stepped_wedge(city(3), seed=1, waves=4)
    assert error.value.code == "more_waves_than_units"


def test_match_picks_the_nearest_unit_without_replacement() -> None:
    candidates = [
        Candidate(1, 1, 20, "one_stop", 0.80),  # pilot
        Candidate(2, 1, 21, "one_stop", 0.81),  # pilot: its nearest (3) is taken by unit 1 first
        Candidate(3, 1, 20, "one_stop", 0.80),
        Candidate(4, 1, 23, "one_stop", 0.82),
        Candidate(5, 2, 20, "back_office", 0.80),  # same size and outcome, other function
        Candidate(6, 2, 90, "one_stop", 0.50),
    ]
    allocations = {a.unit_id: a for a in match(candidates, pilot_unit_ids=[2, 1])}
    assert allocations[1].arm == PILOT
    assert allocations[2].arm == PILOT
    assert allocations[3].arm == COMPARISON
    assert allocations[3].matched_to == 1
    assert allocations[4].matched_to == 2
    assert set(allocations) == {1, 2, 3, 4}  # 5 and 6 are not used


def test_match_function_counts_when_size_and_outcome_tie() -> None:
    candidates = [
        Candidate(1, 1, 20, "inspection", None),
        Candidate(2, 1, 20, "one_stop", None),
        Candidate(3, 1, 20, "inspection", None),
    ]
    allocations = {a.unit_id: a for a in match(candidates, pilot_unit_ids={1})}
    assert allocations[3].matched_to == 1
    assert 2 not in allocations


def test_match_leaves_a_pilot_unpaired_when_the_pool_runs_out() -> None:
    candidates = [Candidate(1, 1, 20, "", None), Candidate(2, 1, 20, "", None), Candidate(3, 1, 20, "", None)]
    allocations = match(candidates, pilot_unit_ids={1, 2})
    assert [(a.unit_id, a.arm, a.matched_to) for a in allocations] == [
        (1, PILOT, None),
        (2, PILOT, None),
        (3, COMPARISON, 1),
    ]


def test_match_refuses_pilot_outside_candidates() -> None:
    with pytest.raises(DesignInputError) as error:
        match(city(5), pilot_unit_ids={1})
    assert error.value.code == "pilot_not_candidate"


def test_mde_equals_bloom_hand_computation() -> None:
    # pilot-assessment.md §3: J = 1,000, P = 0.5, ρ = 0.05, n = 20 gives about 0.055 SD.
    mde = minimum_detectable_effect(
        pilot_clusters=500,
        comparison_clusters=500,
        cluster_size=20,
        icc=0.05,
        outcome_sd=1.0,
        periods_before=0,
        periods_after=1,
    )
    hand = 2.8 * math.sqrt(0.05 / (0.25 * 1000) + 0.95 / (0.25 * 1000 * 20))
    assert hand == pytest.approx(0.0553, abs=1e-4)
    assert mde == pytest.approx(hand, rel=0.005)


def test_mde_matches_statsmodels_power_on_cluster_means() -> None:
    # 20 + 20 units of 15 staff, ρ = 0.1: the cluster means have SD σ·√(DEFF/m); statsmodels solves the
    # effect size (in those SDs) that a two-sample t-test detects with 80 % power.
    mde = minimum_detectable_effect(
        pilot_clusters=20,
        comparison_clusters=20,
        cluster_size=15,
        icc=0.1,
        outcome_sd=0.2,
        periods_before=0,
        periods_after=1,
    )
    cluster_mean_sd = 0.2 * math.sqrt((1 + 14 * 0.1) / 15)
    effect_size = TTestIndPower().solve_power(nobs1=20, ratio=1.0, alpha=0.05, power=0.8)
    assert mde == pytest.approx(effect_size * cluster_mean_sd, rel=0.02)


def test_mde_shrinks_with_periods_and_clusters_and_grows_with_icc() -> None:
    base = {
        "pilot_clusters": 30,
        "comparison_clusters": 30,
        "cluster_size": 12.0,
        "icc": 0.05,
        "outcome_sd": 0.15,
        "periods_before": 26,
        "periods_after": 26,
    }
    mde = minimum_detectable_effect(**base)  # type: ignore[arg-type]
    assert minimum_detectable_effect(**{**base, "periods_after": 52, "periods_before": 52}) < mde  # type: ignore[arg-type]
    assert minimum_detectable_effect(**{**base, "pilot_clusters": 60, "comparison_clusters": 60}) < mde  # type: ignore[arg-type]
    assert minimum_detectable_effect(**{**base, "icc": 0.2}) > mde  # type: ignore[arg-type]
    # With T periods before and after, the DiD variance is (1/T + 1/T) times the one-period post comparison.
    one_period = minimum_detectable_effect(**{**base, "periods_before": 0, "periods_after": 1})  # type: ignore[arg-type]
    assert mde == pytest.approx(one_period * math.sqrt(2 / 26))


def test_mde_refuses_impossible_inputs() -> None:
    with pytest.raises(DesignInputError) as error:
        minimum_detectable_effect(
            pilot_clusters=1,
            comparison_clusters=1,
            cluster_size=10,
            icc=0.05,
            outcome_sd=1,
            periods_before=1,
            periods_after=1,
        )
    assert error.value.code == "too_few_clusters"


def test_balance_table_counts_units_and_means_per_arm() -> None:
    candidates = [Candidate(1, 1, 10, "", 0.5), Candidate(2, 1, 20, "", 0.7), Candidate(3, 1, 12, "", None)]
    allocations = randomise(candidates, seed=3)
    (row,) = balance_table(candidates, allocations)
    assert row["pilot_units"] + row["comparison_units"] == 3  # type: ignore[operator]


# --- Properties over any city -------------------------------------------------------------------------------------

candidate_lists = st.lists(
    st.builds(
        lambda unit_id, agency, staff, function, outcome: Candidate(unit_id, agency, staff, function, outcome),
        st.integers(1, 10_000),
        st.integers(1, 4),
        st.integers(0, 150),
        st.sampled_from(["", "one_stop", "back_office"]),
        st.one_of(st.none(), st.floats(0, 1)),
    ),
    min_size=2,
    max_size=60,
    unique_by=lambda c: c.unit_id,
)


@settings(max_examples=150, deadline=None)
@given(candidates=candidate_lists, seed=st.integers(0, 2**32))
def test_randomise_is_a_partition_balanced_within_every_stratum(candidates, seed):
    allocations = randomise(candidates, seed=seed)
    assert sorted(a.unit_id for a in allocations) == sorted(c.unit_id for c in candidates)
    per_stratum: dict[str, Counter[str]] = {}
    for allocation in allocations:
        per_stratum.setdefault(allocation.stratum, Counter())[allocation.arm] += 1
    assert all(abs(counts[PILOT] - counts[COMPARISON]) <= 1 for counts in per_stratum.values())
    assert abs(sum(a.arm == PILOT for a in allocations) - len(candidates) / 2) <= 1


@settings(max_examples=150, deadline=None)
@given(candidates=candidate_lists, seed=st.integers(0, 2**32), waves=st.integers(1, 6))
def test_stepped_wedge_waves_are_all_filled_and_even(candidates, seed, waves):
    if waves > len(candidates):
        return
    sizes = Counter(a.wave for a in stepped_wedge(candidates, seed=seed, waves=waves))
    assert set(sizes) == set(range(1, waves + 1))
    assert max(sizes.values()) - min(sizes.values()) <= 1


@settings(max_examples=150, deadline=None)
@given(candidates=candidate_lists, data=st.data())
def test_match_never_reuses_a_comparison_unit(candidates, data):
    pilots = data.draw(st.sets(st.sampled_from([c.unit_id for c in candidates]), min_size=1))
    allocations = match(candidates, pilot_unit_ids=pilots)
    comparisons = [a for a in allocations if a.arm == COMPARISON]
    assert len({a.unit_id for a in comparisons}) == len(comparisons)
    assert {a.matched_to for a in comparisons} <= pilots
    assert len({a.matched_to for a in comparisons}) == len(comparisons)
    assert len(comparisons) == min(len(pilots), len(candidates) - len(pilots))


def test_stepped_wedge_counts_compare_earlier_waves_with_the_last_over_its_wait() -> None:
    from telework.assessment import estimation
    from telework.assessment.design import EVENT_STUDY_WEEKS_BEFORE, stepped_wedge_counts

    allocations = stepped_wedge(city(40), seed=3, waves=4)
    counts = stepped_wedge_counts(allocations, wave_weeks=6, periods_after=26, periods_before=52)
    assert counts.comparison_clusters == sum(1 for a in allocations if a.wave == 4)
    assert counts.pilot_clusters == 40 - counts.comparison_clusters
    assert counts.periods_after == 12  # waves 1–3 wait 18, 12 and 6 weeks for the last wave
    assert counts.periods_before == EVENT_STUDY_WEEKS_BEFORE == estimation.MAX_LEADS * estimation.BIN_WEEKS
    assert stepped_wedge_counts(allocations, wave_weeks=6, periods_after=8, periods_before=10).periods_after == 7  # 8, 8 and 6 weeks
    assert stepped_wedge_counts(allocations, wave_weeks=6, periods_after=8, periods_before=10).periods_before == 10
