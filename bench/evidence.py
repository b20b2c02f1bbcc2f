"""Do the pilot's estimates tell the truth? Simulated cities, each design, a planted effect and none.

    uv run python -m bench.evidence --cities 200 --seed 1 --json

For each design — ``randomised`` (stratified by agency and size), ``stepped_wedge`` (a randomised order of entry in
waves) and ``matched`` (volunteer units, each matched to the nearest comparison unit on size, function and
pre-period outcome) — it simulates ``--cities`` cities. A city has agencies of units of realistic sizes (3 to ~80
staff, log-normal), a weekly dossier on-time rate per unit over a year before the pilot and half a year of pilot
(``WEEKS_BEFORE`` + ``WEEKS_AFTER`` weeks): a unit level, a city-wide week effect (seasons and holidays), an agency
drift, serially correlated noise (AR(1)) whose size falls with the unit's weekly dossier count, and the weekly count
as the cell weight. The design module allocates the units; the minimum detectable effect (MDE) comes from
``design.minimum_detectable_effect`` with the outcome's spread measured on the city's pre-period
(``unit_period_variance``); the same city is then estimated twice: with an effect equal to its MDE planted in pilot units from
their start, and with none (same noise). The estimator is the platform's (estimation.estimate_effect): two-way fixed
effects DiD for one start date, the Sun–Abraham event study for waves.

JSON, per design (``designs.<name>``): ``bias_share`` = |mean(estimate − planted)| ÷ mean planted effect (target
< 0.10), ``rmse`` (outcome units, a share 0–1), ``coverage`` of the 95 % interval over both runs (target 0.93–0.97),
``false_positive_rate`` (p < 0.05 with no effect; ≈ 0.05), ``power_at_mde`` (p < 0.05 with the MDE planted;
≈ 0.80), ``pretrend_rejection_rate`` (how often the pre-trend rule would refuse a city with parallel trends; ≈ 0.05),
``mde_mean`` and ``se_mean`` (the estimator's mean standard error: an MDE calibrated for it is about 2.8 × se_mean).
Deterministic from ``--seed`` apart from the ``seconds`` fields.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from telework.assessment import design, estimation

DESIGNS = ("randomised", "stepped_wedge", "matched")
AGENCIES = 8
UNITS_PER_AGENCY = 15
FUNCTIONS = ("one_stop", "specialist", "general")
WEEKS_BEFORE = 52
WEEKS_AFTER = 26
WAVES = 4
WAVE_GAP_WEEKS = 6
FIRST_MONDAY = pd.Timestamp("2025-01-06")
BASE_RATE = 0.85
UNIT_SD = 0.05
WEEK_SD = 0.01
AGENCY_DRIFT_SD = 0.0004  # per week: agencies drift slowly apart (absorbed by no fixed effect, shared by both arms)
NOISE_SD = 0.12  # per-dossier scale: a unit-week's noise sd is NOISE_SD / sqrt(dossiers that week)
AUTOCORRELATION = 0.5
DOSSIERS_PER_STAFF = 1.5
ALPHA = 0.05
TARGETS = {
    "bias_share": "< 0.10",
    "coverage": "0.93–0.97",
    "false_positive_rate": "≈ 0.05",
    "power_at_mde": "≈ 0.80",
}


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.evidence", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cities", type=int, default=200, help="simulated cities per design (default 200)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--designs", default=",".join(DESIGNS), help="comma-separated designs (default all three)")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    arguments = parser.parse_args(argv)
    if not 1 <= arguments.cities <= 10_000:
        parser.error("--cities must be between 1 and 10000")
    chosen = tuple(name for name in arguments.designs.split(",") if name)
    if not chosen or any(name not in DESIGNS for name in chosen):
        parser.error(f"--designs takes names among {', '.join(DESIGNS)}")
    arguments.designs = chosen
    return arguments


# --- one simulated city ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class City:
    candidates: list[design.Candidate]
    frame: pd.DataFrame  # unit_id, agency_id, week, value (no effect), weight
    weeks: pd.DatetimeIndex


def simulate_city(rng: np.random.Generator) -> City:
    units = AGENCIES * UNITS_PER_AGENCY
    weeks_total = WEEKS_BEFORE + WEEKS_AFTER
    weeks = pd.date_range(FIRST_MONDAY, periods=weeks_total, freq="7D")
    agency = np.repeat(np.arange(1, AGENCIES + 1), UNITS_PER_AGENCY)
    staff = np.clip(np.round(rng.lognormal(mean=math.log(12), sigma=0.7, size=units)), 3, 80).astype(int)
    function = rng.choice(len(FUNCTIONS), size=units)
    level = BASE_RATE + rng.normal(0, UNIT_SD, size=units) - 0.02 * (function == 0)
    week_effect = rng.normal(0, WEEK_SD, size=weeks_total) + 0.015 * np.sin(np.arange(weeks_total) * 2 * math.pi / 52)
    drift = np.cumsum(rng.normal(0, AGENCY_DRIFT_SD, size=(AGENCIES, weeks_total)), axis=1)
    dossiers = rng.poisson(lam=(staff * DOSSIERS_PER_STAFF)[:, None], size=(units, weeks_total)).clip(min=1)
    shocks = rng.normal(0, 1, size=(units, weeks_total))
    noise = np.empty((units, weeks_total))
    noise[:, 0] = shocks[:, 0]
    for week in range(1, weeks_total):
        noise[:, week] = AUTOCORRELATION * noise[:, week - 1] + math.sqrt(1 - AUTOCORRELATION**2) * shocks[:, week]
    values = level[:, None] + week_effect[None, :] + drift[agency - 1] + NOISE_SD * noise / np.sqrt(dossiers)
    unit_ids = np.arange(1, units + 1)
    frame = pd.DataFrame(
        {
            "unit_id": np.repeat(unit_ids, weeks_total),
            "agency_id": np.repeat(agency, weeks_total),
            "week": np.tile(weeks.to_numpy(), units),
            "value": values.ravel(),
            "weight": dossiers.ravel().astype(float),
        }
    )
    pre_means = values[:, :WEEKS_BEFORE].mean(axis=1)
    candidates = [
        design.Candidate(
            unit_id=int(unit_ids[index]),
            agency_id=int(agency[index]),
            staff=int(staff[index]),
            function=FUNCTIONS[function[index]],
            pre_outcome=float(pre_means[index]),
        )
        for index in range(units)
    ]
    return City(candidates=candidates, frame=frame, weeks=weeks)


def unit_period_variance(frame: pd.DataFrame, weeks_after: int) -> float:
    """The variance of one unit-week outcome net of unit and week effects, serial correlation included, measured on
    the pre-period alone by a placebo: the pre-period is split into a pseudo "before" and a pseudo "after" of
    ``weeks_after`` weeks (at most half of it), each unit's change of dossier-weighted mean between them taken net of
    the week effects, its variance across units (weighted as the estimator weighs units) divided by
    (1/T_before + 1/T_after). This is what the platform would know
    before launch; it is fed to ``design.minimum_detectable_effect`` as σ²/m with no design effect (icc 0)."""
    before = frame[frame["week"] < FIRST_MONDAY + pd.Timedelta(weeks=WEEKS_BEFORE)]
    values = before.pivot(index="unit_id", columns="week", values="value").to_numpy()
    weights = before.pivot(index="unit_id", columns="week", values="weight").to_numpy()
    values = values - values.mean(axis=0, keepdims=True)  # week effects
    placebo_after = min(weeks_after, WEEKS_BEFORE // 2)
    placebo_before = WEEKS_BEFORE - placebo_after

    def weighted_mean(columns: slice) -> np.ndarray:
        means: np.ndarray = (values[:, columns] * weights[:, columns]).sum(axis=1) / weights[:, columns].sum(axis=1)
        return means

    change = weighted_mean(slice(placebo_before, None)) - weighted_mean(slice(None, placebo_before))
    unit_weights = weights.sum(axis=1)
    change = change - np.average(change, weights=unit_weights)
    # the variance of a weighted mean over n units, expressed per unit (the estimator weights by dossiers too)
    per_unit = len(change) * float((unit_weights**2 * change**2).sum()) / float(unit_weights.sum()) ** 2
    return per_unit / (1 / placebo_before + 1 / placebo_after)


@dataclass(frozen=True)
class Allocated:
    allocation: list[design.Allocation]
    starts: dict[int, pd.Timestamp]
    mde: float
    randomised: bool


def allocate(name: str, city: City, rng: np.random.Generator, seed: int) -> Allocated:
    """Allocate with design.py and compute the MDE as the platform records it (design_preview's conventions: the
    arms' unit counts — for a stepped wedge ``design.stepped_wedge_counts``, the earlier waves against the last — and the mean headcount
    as cluster size), with the outcome's spread measured on the city's pre-period (``unit_period_variance``)."""
    launch = city.weeks[WEEKS_BEFORE]
    staff = {candidate.unit_id: candidate.staff for candidate in city.candidates}
    if name == "randomised":
        allocation = design.randomise(city.candidates, seed=seed, pilot_share=0.5)
        starts = {row.unit_id: launch for row in allocation if row.arm == design.PILOT}
        pilots, after, before, randomised = len(starts), WEEKS_AFTER, WEEKS_BEFORE, True
    elif name == "stepped_wedge":
        allocation = design.stepped_wedge(city.candidates, seed=seed, waves=WAVES)
        starts = {row.unit_id: city.weeks[WEEKS_BEFORE + (int(row.wave or 1) - 1) * WAVE_GAP_WEEKS] for row in allocation}
        # the platform's effective counts: the earlier waves against the last, over the weeks before it starts
        counts = design.stepped_wedge_counts(allocation, wave_weeks=WAVE_GAP_WEEKS, periods_after=WEEKS_AFTER, periods_before=WEEKS_BEFORE)
        pilots, after, before, randomised = counts.pilot_clusters, counts.periods_after, counts.periods_before, True
    else:  # matched: some units volunteer, more often the larger and better-performing ones
        sizes = np.array([candidate.staff for candidate in city.candidates], dtype=float)
        outcomes = np.array([candidate.pre_outcome or 0.0 for candidate in city.candidates])
        score = 0.8 * (np.log(sizes) - np.log(sizes).mean()) + 20 * (outcomes - outcomes.mean())
        propensity = 1 / (1 + np.exp(-(score - 0.7)))
        volunteers = [candidate.unit_id for candidate, chosen in zip(city.candidates, rng.random(len(sizes)) < propensity, strict=True) if chosen]
        allocation = design.match(city.candidates, pilot_unit_ids=volunteers)
        starts = {row.unit_id: launch for row in allocation if row.arm == design.PILOT}
        pilots, after, before, randomised = len(starts), WEEKS_AFTER, WEEKS_BEFORE, False
    cluster_size = max(1.0, float(np.mean([staff[row.unit_id] for row in allocation])))
    variance = unit_period_variance(city.frame, after)
    mde = design.minimum_detectable_effect(
        pilot_clusters=pilots,
        comparison_clusters=len(allocation) - pilots,
        cluster_size=cluster_size,
        icc=0.0,
        outcome_sd=math.sqrt(variance * cluster_size),
        periods_before=before,
        periods_after=after,
    )
    return Allocated(allocation=allocation, starts=starts, mde=float(mde), randomised=randomised)


def with_effect(frame: pd.DataFrame, starts: dict[int, pd.Timestamp], effect: float) -> pd.DataFrame:
    planted = frame.copy()
    start = planted["unit_id"].map(starts)
    planted.loc[start.notna() & (planted["week"] >= start), "value"] += effect
    return planted


# --- the runs ----------------------------------------------------------------------------------------------------------


def run_design(name: str, *, cities: int, seed: int, log: Callable[[str], None]) -> dict[str, object]:
    started = time.perf_counter()
    sequences = np.random.SeedSequence([seed, DESIGNS.index(name)]).spawn(cities)
    estimates: list[float] = []
    standard_errors: list[float] = []
    planted: list[float] = []
    covered: list[bool] = []
    null_rejections: list[bool] = []
    effect_rejections: list[bool] = []
    pretrend_rejections: list[bool] = []
    null_covered: list[bool] = []
    failures = 0
    for index, sequence in enumerate(sequences):
        rng = np.random.default_rng(sequence)
        city = simulate_city(rng)
        allocated = allocate(name, city, rng, seed=int(rng.integers(0, 2**31 - 1)))
        outcomes = []
        for effect in (allocated.mde, 0.0):
            result = estimation.estimate_effect(
                with_effect(city.frame, allocated.starts, effect),
                allocated.allocation,
                allocated.starts,
                seed=seed,
                randomised=allocated.randomised,
                ri_reps=0,
                wild_reps=0,
                cross_check=False,
                heterogeneity=False,
            )
            outcomes.append(result)
        planted_result, null_result = outcomes
        if planted_result.effect is None or planted_result.ci95 is None or null_result.ci95 is None or null_result.p is None or planted_result.p is None:
            failures += 1
            continue
        estimates.append(planted_result.effect)
        standard_errors.append(float(planted_result.se or 0.0))
        planted.append(allocated.mde)
        covered.append(planted_result.ci95[0] <= allocated.mde <= planted_result.ci95[1])
        null_covered.append(null_result.ci95[0] <= 0.0 <= null_result.ci95[1])
        effect_rejections.append(planted_result.p < ALPHA)
        null_rejections.append(null_result.p < ALPHA)
        pretrend_rejections.append(null_result.pretrend_p is not None and null_result.pretrend_p < ALPHA)
        if (index + 1) % 20 == 0:
            log(f"{name}: {index + 1}/{cities} cities, {time.perf_counter() - started:.0f} s")
    errors = np.array(estimates) - np.array(planted)
    return {
        "estimator": estimation.SUN_ABRAHAM if name == "stepped_wedge" else estimation.TWFE,
        "cities": cities,
        "failed_cities": failures,
        "mde_mean": _round(float(np.mean(planted))) if planted else None,
        "se_mean": _round(float(np.mean(standard_errors))) if standard_errors else None,
        "bias": _round(float(errors.mean())) if len(errors) else None,
        "bias_share": _round(abs(float(errors.mean())) / float(np.mean(planted))) if planted else None,
        "rmse": _round(float(np.sqrt((errors**2).mean()))) if len(errors) else None,
        "coverage": _round(float(np.mean(covered + null_covered))) if covered else None,
        "coverage_with_effect": _round(float(np.mean(covered))) if covered else None,
        "coverage_without_effect": _round(float(np.mean(null_covered))) if null_covered else None,
        "false_positive_rate": _round(float(np.mean(null_rejections))) if null_rejections else None,
        "power_at_mde": _round(float(np.mean(effect_rejections))) if effect_rejections else None,
        "pretrend_rejection_rate": _round(float(np.mean(pretrend_rejections))) if pretrend_rejections else None,
        "seconds": round(time.perf_counter() - started, 1),
    }


def _round(value: float) -> float:
    return round(value, 4)


def targets_met(figures: dict[str, object]) -> dict[str, bool]:
    def number(key: str) -> float:
        value = figures.get(key)
        return float(value) if isinstance(value, int | float) else math.nan

    return {
        "bias_share": number("bias_share") < 0.10,
        "coverage": 0.93 <= number("coverage") <= 0.97,
        "false_positive_rate": abs(number("false_positive_rate") - 0.05) <= 0.03,
        "power_at_mde": abs(number("power_at_mde") - 0.80) <= 0.07,
    }


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(list(sys.argv[1:] if argv is None else argv))

    def log(message: str) -> None:
        if not arguments.json:
            print(message, file=sys.stderr)

    started = time.perf_counter()
    warnings.filterwarnings("ignore")
    designs: dict[str, dict[str, object]] = {}
    for name in arguments.designs:
        figures = run_design(name, cities=arguments.cities, seed=arguments.seed, log=log)
        figures["targets_met"] = targets_met(figures)
        designs[name] = figures
    report = {
        "cities": arguments.cities,
        "seed": arguments.seed,
        "units_per_city": AGENCIES * UNITS_PER_AGENCY,
        "weeks_before": WEEKS_BEFORE,
        "weeks_after": WEEKS_AFTER,
        "targets": TARGETS,
        "designs": designs,
        "libraries": estimation.library_versions("pyfixest", "numpy", "pandas"),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(report, ensure_ascii=False, indent=None if arguments.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
