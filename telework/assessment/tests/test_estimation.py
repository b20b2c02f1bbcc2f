"""The estimators on synthetic panels whose truth is known: they find a planted effect, no effect where there is
none, the pre-trend where one was planted, and give the same answer for the same inputs."""

from __future__ import annotations

import dataclasses

import pytest

from telework.assessment import estimation
from telework.assessment.tests.panels import synthetic_panel


def estimate(panel, **options):
    options.setdefault("seed", 7)
    options.setdefault("randomised", True)
    options.setdefault("ri_reps", 199)
    options.setdefault("wild_reps", 199)
    return estimation.estimate_effect(panel.frame, panel.allocation, panel.starts, **options)


def test_difference_in_differences_recovers_a_planted_effect_within_its_interval():
    result = estimate(synthetic_panel(effect=0.03, seed=1))

    assert result.estimator == estimation.TWFE
    assert result.library.startswith("pyfixest ")
    assert result.ci95[0] <= 0.03 <= result.ci95[1]
    assert result.ci95[0] > 0  # detected
    assert result.p < 0.01
    assert result.ri_p < 0.05
    assert (result.n_units, result.n_pilot, result.n_comparison) == (60, 32, 28)
    assert (result.n_periods_pre, result.n_periods_post) == (40, 20)
    assert len(result.inputs_digest) == 64


def test_with_no_effect_the_interval_covers_zero_about_nineteen_times_in_twenty():
    results = [estimate(synthetic_panel(units=40, weeks=40, launch=28, effect=0.0, seed=seed), ri_reps=0, heterogeneity=False) for seed in range(100, 110)]

    covering = [result.ci95[0] <= 0.0 <= result.ci95[1] for result in results]
    assert sum(covering) >= 9
    assert all(abs(result.effect) < 0.02 for result in results)


def test_the_event_study_is_flat_before_the_start_and_shows_the_effect_after():
    result = estimate(synthetic_panel(effect=0.04, seed=5), ri_reps=0)

    periods = {point.period: point for point in result.event_study}
    assert periods[-1].estimate == 0.0  # the reference period
    assert all(point.ci_low <= 0.0 <= point.ci_high for point in result.event_study if point.period < -1)
    assert all(point.ci_low > 0.0 for point in result.event_study if point.period >= 0)
    assert result.pretrend_p > 0.05


def test_a_planted_pre_trend_is_caught_by_the_joint_test_of_the_leads():
    result = estimate(synthetic_panel(effect=0.0, pretrend=0.002, seed=6), ri_reps=0)

    assert result.pretrend_p < 0.01


def test_staggered_waves_use_sun_abraham_and_agree_with_callaway_santanna():
    result = estimate(synthetic_panel(units=80, waves=4, effect=0.03, seed=8, launch=32, wave_gap=6), ri_reps=99)

    assert result.staggered
    assert result.estimator == estimation.SUN_ABRAHAM
    assert result.ci95[0] <= 0.03 <= result.ci95[1]
    assert result.n_comparison == 0  # every unit starts in a wave
    check = result.cross_check
    assert check.estimator == estimation.CALLAWAY_SANTANNA
    assert check.library.startswith("csdid ")
    assert check.ci95[0] <= 0.03 <= check.ci95[1]
    assert not estimation.estimators_disagree(result)
    assert result.ri_p < 0.05


def test_few_units_get_a_wild_cluster_bootstrap_p_value():
    result = estimate(synthetic_panel(units=16, effect=0.05, seed=9), ri_reps=0)

    assert result.n_units < estimation.FEW_CLUSTERS
    assert result.wild_bootstrap_p is not None
    assert result.wild_bootstrap_p < 0.05
    many = estimate(synthetic_panel(units=60, effect=0.05, seed=9), ri_reps=0)
    assert many.wild_bootstrap_p is None


def test_heterogeneity_by_agency_finds_the_agency_where_the_pilot_worked():
    panel = synthetic_panel(units=96, seed=10, agency_effects={1: 0.06, 2: 0.0, 3: 0.0, 4: 0.0})
    types = {unit: "one-stop desk" if unit % 2 else "specialist" for unit in panel.frame["unit_id"].unique()}

    result = estimate(panel, ri_reps=0, job_types=types)

    by_agency = {estimate.group: estimate for estimate in result.heterogeneity if estimate.dimension == "agency"}
    assert set(by_agency) == {"1", "2", "3", "4"}
    assert by_agency["1"].ci95[0] > 0.03
    assert by_agency["2"].ci95[0] <= 0.0 <= by_agency["2"].ci95[1]
    assert {estimate.group for estimate in result.heterogeneity if estimate.dimension == "job_type"} == {"one-stop desk", "specialist"}


def test_the_same_inputs_and_seed_give_the_same_result_and_the_digest_follows_the_data():
    panel = synthetic_panel(effect=0.02, seed=11)
    first = estimate(panel)
    again = estimate(panel)
    assert first == again

    changed = dataclasses.replace(panel, frame=panel.frame.assign(value=panel.frame["value"] + (panel.frame.index == 0) * 0.001))
    assert estimate(changed).inputs_digest != first.inputs_digest


def test_no_week_before_the_start_gives_no_estimate():
    panel = synthetic_panel(effect=0.03, seed=12, launch=0)

    result = estimate(panel)

    assert result.effect is None
    assert result.ci95 is None
    assert result.n_periods_pre == 0


def test_units_outside_the_allocation_are_left_out_and_the_assignment_is_kept():
    panel = synthetic_panel(effect=0.03, seed=13)
    allocation = [row for row in panel.allocation if row.unit_id > 4]

    result = estimation.estimate_effect(panel.frame, allocation, panel.starts, seed=1, randomised=True, ri_reps=0)

    assert result.n_units == 56


def test_a_start_week_for_a_comparison_unit_is_refused():
    panel = synthetic_panel(effect=0.03, seed=14)
    comparison = next(row.unit_id for row in panel.allocation if row.arm == "comparison")

    with pytest.raises(ValueError, match="not assigned to the pilot"):
        estimation.estimate_effect(panel.frame, panel.allocation, {**panel.starts, comparison: panel.starts[1]}, seed=1, randomised=True)


def test_waves_with_missing_weeks_are_still_cross_checked():
    panel = synthetic_panel(units=60, weeks=48, waves=3, effect=0.03, seed=16, launch=28, wave_gap=6)
    gappy = dataclasses.replace(panel, frame=panel.frame.sample(frac=0.95, random_state=1))

    result = estimate(gappy, ri_reps=0, heterogeneity=False)

    assert result.ci95[0] <= 0.03 <= result.ci95[1]
    assert result.cross_check.effect is not None
    assert result.cross_check.ci95[0] <= 0.03 <= result.cross_check.ci95[1]
