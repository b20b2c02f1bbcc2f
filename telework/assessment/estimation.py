"""Did the pilot move the outcome? The estimators, pure over pandas frames (no ORM, no request, no clock).

Input: the outcome panel (one row per unit and week: ``unit_id, agency_id, week`` (Monday), ``value``, ``weight``), the
allocation recorded before launch (``design.Allocation``: arm, wave, stratum) and, for every pilot unit, the week it
started working under the pilot (``first_treated_week``). Every allocated unit is analysed as assigned.

- **One start date** (randomised or matched designs): difference-in-differences with two-way fixed effects (unit and
  week), weighted by each cell's weight, standard errors clustered by unit (pyfixest ``feols``, CRV1).
- **Staggered starts** (stepped-wedge waves): the interaction-weighted event study of Sun and Abraham (2021), fitted
  with pyfixest: one coefficient per (start cohort, period since start), the never-started units (or, when every unit
  starts, the last cohort before it starts) as comparison, aggregated with the cohorts' shares. Naive two-way fixed
  effects is biased there (it compares late starters with early starters already treated). Cross-checked with
  Callaway and Sant'Anna (2021) group-time effects (csdid, "not yet treated" comparison, analytic standard errors).
- **Pre-trend test**: joint Wald test (cluster-robust, Hotelling T² small-sample form) that the event study's leads
  (the periods before the start, the one just before excepted as reference) are zero.
- **Randomisation inference** when the design was randomised: the recorded assignment (start week or none) is
  permuted within the design's strata, the two-way fixed effects coefficient re-estimated each time; seeded.
- **Wild cluster bootstrap** (restricted, Rademacher or Webb weights) of the two-way fixed effects coefficient when
  there are few units (< ``FEW_CLUSTERS``): cluster-robust standard errors over-reject there.
- **Heterogeneity**: the headline estimator on each agency's units and each job type's units (split samples).

Every result carries the estimator, the library versions, the counts, and a sha256 digest of the canonical panel,
allocation and start weeks, so a published figure can be reproduced. Same inputs and seed → the same result.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import warnings
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Protocol

import numpy as np
import pandas as pd
from scipy import stats

PILOT = "pilot"
BIN_WEEKS = 4  # the event study's period: four weeks (about a month), so each coefficient rests on enough weeks
MAX_LEADS = 6  # periods before the start shown (earlier weeks are pooled into the first one)
MAX_LAGS = 6  # periods after the start shown (later weeks are pooled into the last one)
FEW_CLUSTERS = 50  # below this many units, a wild cluster bootstrap p-value is computed too
RI_REPS = 499
WILD_REPS = 999
SIGNIFICANCE = 0.05

TWFE = "twfe_did"
SUN_ABRAHAM = "sun_abraham"
CALLAWAY_SANTANNA = "callaway_santanna"
PANEL_COLUMNS = ("unit_id", "agency_id", "week", "value", "weight")


class AllocationRow(Protocol):
    """What the estimators read of ``telework.assessment.design.Allocation``."""

    @property
    def unit_id(self) -> int: ...
    @property
    def arm(self) -> str: ...
    @property
    def stratum(self) -> str: ...


@dataclass(frozen=True)
class EventTimeEstimate:
    """The effect ``period`` four-week periods after the start (negative: before; −1 is the reference, zero)."""

    period: int
    estimate: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class SubgroupEstimate:
    dimension: str  # "agency" | "job_type"
    group: str  # the agency id or the job type label, as given
    effect: float
    ci95: tuple[float, float]
    n_units: int
    n_pilot: int


@dataclass(frozen=True)
class EstimationResult:
    estimator: str  # TWFE | SUN_ABRAHAM | CALLAWAY_SANTANNA (a code, never shown)
    library: str  # e.g. "pyfixest 0.60.0"
    effect: float | None  # None when the data cannot give one (no pre-period, no comparison …)
    se: float | None
    ci95: tuple[float, float] | None
    p: float | None
    n_units: int
    n_pilot: int
    n_comparison: int  # units never started during the panel
    n_periods_pre: int  # weeks before the first start
    n_periods_post: int  # weeks from the first start on
    pretrend_p: float | None
    event_study: tuple[EventTimeEstimate, ...]
    ri_p: float | None
    wild_bootstrap_p: float | None
    cross_check: EstimationResult | None  # Callaway–Sant'Anna for staggered starts
    heterogeneity: tuple[SubgroupEstimate, ...]
    inputs_digest: str
    seed: int
    staggered: bool

    @property
    def is_significant(self) -> bool:
        return self.p is not None and self.p < SIGNIFICANCE


def library_versions(*names: str) -> str:
    return ", ".join(f"{name} {metadata.version(name)}" for name in names)


def inputs_digest(panel: pd.DataFrame, allocation: Sequence[AllocationRow], first_treated_week: Mapping[int, object]) -> str:
    """sha256 of the canonical panel (sorted, fixed float formatting), the allocation and the start weeks."""
    digest = hashlib.sha256()
    frame = panel.loc[:, list(PANEL_COLUMNS)].sort_values(["unit_id", "week"], kind="mergesort")
    for unit, agency, week, value, weight in frame.itertuples(index=False):
        digest.update(f"{int(unit)},{int(agency)},{pd.Timestamp(week).date().isoformat()},{float(value)!r},{float(weight)!r}\n".encode())
    digest.update(b"--allocation--\n")
    for row in sorted(allocation, key=lambda row: row.unit_id):
        digest.update(f"{row.unit_id},{row.arm},{row.stratum}\n".encode())
    digest.update(b"--starts--\n")
    for unit, week in sorted(first_treated_week.items()):
        digest.update(f"{unit},{pd.Timestamp(week).date().isoformat()}\n".encode())
    return digest.hexdigest()


# --- preparing the frame ------------------------------------------------------------------------------------------


def prepare(panel: pd.DataFrame, allocation: Sequence[AllocationRow], first_treated_week: Mapping[int, object]) -> pd.DataFrame:
    """The analysis frame: allocated units only (as assigned), cells with a value and a positive weight, integer
    ``period`` (weeks since the panel's first week), ``first_period`` (NaN: never started) and ``treated`` (0/1)."""
    missing = set(PANEL_COLUMNS) - set(panel.columns)
    if missing:
        raise ValueError(f"panel lacks columns {sorted(missing)}")
    strata = {row.unit_id: row.stratum for row in allocation}
    not_pilot = sorted(row.unit_id for row in allocation if row.arm != PILOT and row.unit_id in first_treated_week)
    if not_pilot:
        raise ValueError(f"units {not_pilot[:5]} have a start week but were not assigned to the pilot")
    frame = panel.loc[panel["unit_id"].isin(strata.keys()), list(PANEL_COLUMNS)].copy()
    frame = frame[frame["value"].notna() & (frame["weight"] > 0)]
    frame["week"] = pd.to_datetime(frame["week"])
    frame["stratum"] = frame["unit_id"].map(strata)
    origin = frame["week"].min() if len(frame) else pd.Timestamp(0)
    frame["period"] = ((frame["week"] - origin).dt.days // 7).astype(int)
    starts = {unit: (pd.Timestamp(week) - origin).days // 7 for unit, week in first_treated_week.items()}
    frame["first_period"] = frame["unit_id"].map(starts).astype(float)
    frame["treated"] = (frame["period"] >= frame["first_period"]).astype(float)  # NaN compares False: never treated
    return frame.sort_values(["unit_id", "period"], kind="mergesort").reset_index(drop=True)


def _fe_codes(frame: pd.DataFrame) -> np.ndarray:
    return np.column_stack([pd.factorize(frame["unit_id"])[0], pd.factorize(frame["period"])[0]]).astype(np.uint64)


def _demean(matrix: np.ndarray, codes: np.ndarray, weights: np.ndarray) -> np.ndarray:
    from pyfixest.estimation import demean

    demeaned, _converged = demean(np.ascontiguousarray(matrix, dtype=np.float64), codes, weights, tol=1e-10)
    return demeaned


# --- the estimators -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fit:
    effect: float
    se: float
    ci95: tuple[float, float]
    p: float


def _t_inference(effect: float, se: float, clusters: int) -> _Fit:
    degrees = max(clusters - 1, 1)
    critical = float(stats.t.ppf(0.975, degrees))
    p = float(2 * stats.t.sf(abs(effect / se), degrees)) if se > 0 else (0.0 if effect else 1.0)
    return _Fit(effect=effect, se=se, ci95=(effect - critical * se, effect + critical * se), p=p)


def _twfe(frame: pd.DataFrame) -> _Fit:
    import pyfixest as pf

    fit = pf.feols("value ~ treated | unit_id + period", data=frame, weights="weight", vcov={"CRV1": "unit_id"})
    effect = float(fit.coef()["treated"])
    se = float(fit.se()["treated"])
    return _t_inference(effect, se, frame["unit_id"].nunique())


@dataclass(frozen=True)
class _EventStudy:
    overall: _Fit | None
    event_study: tuple[EventTimeEstimate, ...]
    pretrend_p: float | None


def _event_study(frame: pd.DataFrame) -> _EventStudy:
    """Sun–Abraham interaction-weighted event study (with one start cohort: the ordinary event study)."""
    import pyfixest as pf

    frame = frame.copy()
    cohorts = sorted(frame["first_period"].dropna().unique())
    if frame["first_period"].isna().any():
        control_cohort = None
    else:  # every unit starts: the last cohort is the comparison until it starts; later weeks leave the sample
        control_cohort = cohorts[-1]
        frame = frame[frame["period"] < control_cohort]
        cohorts = cohorts[:-1]
    if not cohorts or frame.empty:
        return _EventStudy(overall=None, event_study=(), pretrend_p=None)
    relative = frame["period"] - frame["first_period"]
    frame["bin"] = np.floor(relative / BIN_WEEKS).clip(-MAX_LEADS, MAX_LAGS - 1)
    is_cohort = frame["first_period"].isin(cohorts)
    columns: list[str] = []
    cells: list[tuple[float, int, int]] = []  # cohort, bin, treated observations in the cell (for the shares)
    for cohort_index, cohort in enumerate(cohorts):
        in_cohort = is_cohort & (frame["first_period"] == cohort)
        for bin_value in sorted(frame.loc[in_cohort, "bin"].unique()):
            if bin_value == -1:
                continue
            name = f"es_c{cohort_index}_b{int(bin_value) + MAX_LEADS}"
            indicator = (in_cohort & (frame["bin"] == bin_value)).astype(float)
            frame[name] = indicator
            columns.append(name)
            cells.append((cohort, int(bin_value), int(indicator.sum())))
    if not any(bin_value >= 0 for _c, bin_value, _n in cells):
        return _EventStudy(overall=None, event_study=(), pretrend_p=None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.feols(f"value ~ {' + '.join(columns)} | unit_id + period", data=frame, weights="weight", vcov={"CRV1": "unit_id"})
    coefficients = fit.coef()
    kept = [index for index, name in enumerate(columns) if name in coefficients.index]
    names = [columns[index] for index in kept]
    cells = [cells[index] for index in kept]
    beta = coefficients.loc[names].to_numpy()
    vcov = pd.DataFrame(fit._vcov, index=fit._coefnames, columns=fit._coefnames).loc[names, names].to_numpy()
    clusters = frame["unit_id"].nunique()

    def combination(select: Collection[int]) -> np.ndarray:
        weights = np.array([count if bin_value in select else 0 for _cohort, bin_value, count in cells], dtype=float)
        return weights / weights.sum() if weights.sum() else weights

    def lincomb(weights: np.ndarray) -> _Fit:
        return _t_inference(float(weights @ beta), float(math.sqrt(max(weights @ vcov @ weights, 0.0))), clusters)

    bins = sorted({bin_value for _cohort, bin_value, _count in cells} | {-1})
    event_study: list[EventTimeEstimate] = []
    lead_rows: list[np.ndarray] = []
    for bin_value in bins:
        if bin_value == -1:
            event_study.append(EventTimeEstimate(period=-1, estimate=0.0, ci_low=0.0, ci_high=0.0))
            continue
        weights = combination({bin_value})
        result = lincomb(weights)
        event_study.append(EventTimeEstimate(period=bin_value, estimate=result.effect, ci_low=result.ci95[0], ci_high=result.ci95[1]))
        if bin_value < -1:
            lead_rows.append(weights)
    pretrend_p = _wald_p(np.array(lead_rows), beta, vcov, clusters) if lead_rows else None
    overall = lincomb(combination({bin_value for bin_value in bins if bin_value >= 0}))
    return _EventStudy(overall=overall, event_study=tuple(event_study), pretrend_p=pretrend_p)


def _wald_p(restrictions: np.ndarray, beta: np.ndarray, vcov: np.ndarray, clusters: int) -> float | None:
    """p-value of the joint test restrictions·beta = 0 with the cluster-robust covariance, as a Hotelling T² with
    G − 1 degrees of freedom: F = W/q · (G − q)/(G − 1) on (q, G − q) (Cameron and Miller 2015, section VII; the plain
    Wald F over-rejects with several restrictions and tens of clusters). Pseudo-inverse if the leads are collinear."""
    values = restrictions @ beta
    covariance = restrictions @ vcov @ restrictions.T
    rank = int(np.linalg.matrix_rank(covariance))
    if rank == 0 or clusters - rank < 1:
        return None
    wald = float(values @ np.linalg.pinv(covariance) @ values)
    statistic = wald / rank * (clusters - rank) / (clusters - 1)
    return float(stats.f.sf(statistic, rank, clusters - rank))


def _callaway_santanna(frame: pd.DataFrame) -> _Fit | None:
    from csdid.att_gt import ATTgt

    data = frame.loc[:, ["unit_id", "period", "value", "first_period", "weight"]].copy()
    data["period"] = data["period"] + 1
    data["cohort"] = (data["first_period"] + 1).fillna(0).astype(int)
    data["unit_weight"] = data.groupby("unit_id")["weight"].transform("mean")
    balanced = len(data) == data["unit_id"].nunique() * data["period"].nunique()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            model = ATTgt(
                yname="value",
                tname="period",
                idname="unit_id",
                gname="cohort",
                data=data,
                control_group="notyettreated",
                weights_name="unit_weight",
                allow_unbalanced_panel=not balanced,
                biters=1,
            )
            model.fit(est_method="reg", bstrap=False)
            model.aggte(typec="simple", bstrap=False)
        effect, se = model.atte["overall_att"], model.atte["overall_se"]
    except (ValueError, IndexError, KeyError, np.linalg.LinAlgError, ZeroDivisionError):
        return None
    if effect is None or se is None or not np.isfinite(effect) or not np.isfinite(se):
        return None
    effect, se = float(effect), float(se)
    critical = float(stats.norm.ppf(0.975))
    return _Fit(effect=effect, se=se, ci95=(effect - critical * se, effect + critical * se), p=float(2 * stats.norm.sf(abs(effect / se))) if se > 0 else 1.0)


# --- inference by resampling ---------------------------------------------------------------------------------------


def _ri_p(frame: pd.DataFrame, observed: float, *, seed: int, reps: int) -> float:
    """Randomisation inference: permute each unit's assignment (start period or none) within its stratum."""
    rng = np.random.default_rng(seed)
    codes = _fe_codes(frame)
    weights = frame["weight"].to_numpy(dtype=float)
    outcome = _demean(frame[["value"]].to_numpy(), codes, weights)[:, 0]
    units = frame.groupby("unit_id", sort=True).agg(first_period=("first_period", "first"), stratum=("stratum", "first"))
    unit_position = units.index.get_indexer(frame["unit_id"])
    period = frame["period"].to_numpy()
    strata = [np.flatnonzero(units["stratum"].to_numpy() == stratum) for stratum in sorted(units["stratum"].unique())]
    starts = units["first_period"].to_numpy()
    exceed = 0
    chunk = 100
    done = 0
    while done < reps:
        size = min(chunk, reps - done)
        treatments = np.empty((len(frame), size))
        for column in range(size):
            permuted = starts.copy()
            for members in strata:
                permuted[members] = starts[rng.permutation(members)]
            unit_start = permuted[unit_position]
            treatments[:, column] = np.where(np.isnan(unit_start), 0.0, period >= unit_start)
        demeaned = _demean(treatments, codes, weights)
        denominators = (demeaned * demeaned * weights[:, None]).sum(axis=0)
        betas = np.divide((demeaned * (outcome * weights)[:, None]).sum(axis=0), denominators, out=np.zeros(size), where=denominators > 0)
        exceed += int((np.abs(betas) >= abs(observed) - 1e-12).sum())
        done += size
    return (1 + exceed) / (1 + reps)


def _wild_bootstrap_p(frame: pd.DataFrame, *, seed: int, reps: int) -> float | None:
    """Wild cluster restricted bootstrap-t (Cameron, Gelbach and Miller 2008; Roodman et al. 2019) of the two-way
    fixed effects coefficient, null imposed, Rademacher weights (Webb's six-point weights under 12 units)."""
    rng = np.random.default_rng(seed)
    codes = _fe_codes(frame)
    weights = frame["weight"].to_numpy(dtype=float)
    demeaned = _demean(frame[["value", "treated"]].to_numpy(), codes, weights)
    outcome, treatment = demeaned[:, 0], demeaned[:, 1]
    denominator = float((treatment * treatment * weights).sum())
    if denominator <= 0:
        return None
    clusters, cluster_of = np.unique(frame["unit_id"].to_numpy(), return_inverse=True)
    count = len(clusters)

    def t_statistics(outcomes: np.ndarray) -> np.ndarray:
        betas = (treatment * weights) @ outcomes / denominator
        residuals = outcomes - np.outer(treatment, betas)
        scores = np.zeros((count, outcomes.shape[1]))
        np.add.at(scores, cluster_of, (treatment * weights)[:, None] * residuals)
        se = np.sqrt(count / max(count - 1, 1) * (scores * scores).sum(axis=0)) / denominator
        statistics: np.ndarray = np.divide(betas, se, out=np.zeros_like(betas), where=se > 0)
        return statistics

    observed = float(t_statistics(outcome[:, None])[0])
    restricted = outcome  # the null (no effect) imposed: the outcome's residual on the fixed effects alone
    if count < 12:
        support = np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)])
    else:
        support = np.array([-1.0, 1.0])
    exceed = 0
    done = 0
    while done < reps:
        size = min(200, reps - done)
        draws = rng.choice(support, size=(count, size))
        bootstrapped = _demean(restricted[:, None] * draws[cluster_of], codes, weights)
        exceed += int((np.abs(t_statistics(bootstrapped)) >= abs(observed)).sum())
        done += size
    return exceed / reps


# --- the entry point -----------------------------------------------------------------------------------------------


def estimate_effect(
    panel: pd.DataFrame,
    allocation: Sequence[AllocationRow],
    first_treated_week: Mapping[int, object],
    *,
    seed: int,
    randomised: bool,
    job_types: Mapping[int, str] | None = None,
    ri_reps: int = RI_REPS,
    wild_reps: int = WILD_REPS,
    cross_check: bool = True,
    heterogeneity: bool = True,
) -> EstimationResult:
    """The pilot's effect on one outcome. ``first_treated_week`` gives each pilot unit's first pilot week (Monday);
    units absent from it never started. ``randomised``: the allocation was drawn at random (randomisation inference
    then permutes it within strata). ``job_types``: unit → job type label for the heterogeneity split."""
    digest = inputs_digest(panel, allocation, first_treated_week)
    frame = prepare(panel, allocation, first_treated_week)
    return _estimate(
        frame,
        digest=digest,
        seed=seed,
        randomised=randomised,
        job_types=job_types or {},
        ri_reps=ri_reps,
        wild_reps=wild_reps,
        cross_check=cross_check,
        heterogeneity=heterogeneity,
    )


def _estimate(
    frame: pd.DataFrame,
    *,
    digest: str,
    seed: int,
    randomised: bool,
    job_types: Mapping[int, str],
    ri_reps: int,
    wild_reps: int,
    cross_check: bool,
    heterogeneity: bool,
) -> EstimationResult:
    units = frame.groupby("unit_id")["first_period"].first()
    starts = units.dropna()
    staggered = starts.nunique() > 1
    first_start = float(starts.min()) if len(starts) else math.inf
    weeks = frame["period"].unique()
    n_pre = int((weeks < first_start).sum())
    n_post = int((weeks >= first_start).sum())
    base = {
        "n_units": int(len(units)),
        "n_pilot": int(len(starts)),
        "n_comparison": int(units.isna().sum()),
        "n_periods_pre": n_pre,
        "n_periods_post": n_post,
        "inputs_digest": digest,
        "seed": seed,
        "staggered": staggered,
    }
    estimator = SUN_ABRAHAM if staggered else TWFE
    library = library_versions("pyfixest")
    has_comparison = base["n_comparison"] > 0 or staggered
    if n_pre == 0 or n_post == 0 or not len(starts) or not has_comparison:
        return EstimationResult(
            estimator=estimator,
            library=library,
            effect=None,
            se=None,
            ci95=None,
            p=None,
            pretrend_p=None,
            event_study=(),
            ri_p=None,
            wild_bootstrap_p=None,
            cross_check=None,
            heterogeneity=(),
            **base,
        )
    study = _event_study(frame)
    headline = study.overall if staggered else _twfe(frame)
    twfe_coefficient = _twfe(frame).effect if staggered else headline.effect if headline else 0.0
    ri_p = _ri_p(frame, twfe_coefficient, seed=seed, reps=ri_reps) if randomised and ri_reps > 0 else None
    wild_p = _wild_bootstrap_p(frame, seed=seed, reps=wild_reps) if base["n_units"] < FEW_CLUSTERS and wild_reps > 0 else None
    check = None
    if staggered and cross_check:
        cs = _callaway_santanna(frame)
        check = EstimationResult(
            estimator=CALLAWAY_SANTANNA,
            library=library_versions("csdid"),
            effect=cs.effect if cs else None,
            se=cs.se if cs else None,
            ci95=cs.ci95 if cs else None,
            p=cs.p if cs else None,
            pretrend_p=None,
            event_study=(),
            ri_p=None,
            wild_bootstrap_p=None,
            cross_check=None,
            heterogeneity=(),
            **base,
        )
    subgroups = _heterogeneity(frame, job_types) if heterogeneity else ()
    return EstimationResult(
        estimator=estimator,
        library=library,
        effect=headline.effect if headline else None,
        se=headline.se if headline else None,
        ci95=headline.ci95 if headline else None,
        p=headline.p if headline else None,
        pretrend_p=study.pretrend_p,
        event_study=study.event_study,
        ri_p=ri_p,
        wild_bootstrap_p=wild_p,
        cross_check=check,
        heterogeneity=subgroups,
        **base,
    )


MINIMUM_SUBGROUP_UNITS_PER_ARM = 3


def _heterogeneity(frame: pd.DataFrame, job_types: Mapping[int, str]) -> tuple[SubgroupEstimate, ...]:
    """The headline estimator on each agency's and each job type's units (split samples; groups with fewer than
    three pilot or three other units are left out)."""
    groupings: list[tuple[str, pd.Series]] = [("agency", frame["agency_id"].astype(str))]
    if job_types:
        groupings.append(("job_type", frame["unit_id"].map(job_types).fillna("")))
    estimates: list[SubgroupEstimate] = []
    for dimension, labels in groupings:
        for group in sorted(labels.unique()):
            if group == "":
                continue
            subset = frame[labels == group]
            units = subset.groupby("unit_id")["first_period"].first()
            staggered = units.dropna().nunique() > 1
            pilots, others = int(units.notna().sum()), int(units.isna().sum())
            if pilots < MINIMUM_SUBGROUP_UNITS_PER_ARM or (not staggered and others < MINIMUM_SUBGROUP_UNITS_PER_ARM):
                continue
            fit = _event_study(subset).overall if staggered else _twfe(subset)
            if fit is None or not np.isfinite(fit.se):
                continue
            estimates.append(SubgroupEstimate(dimension=dimension, group=str(group), effect=fit.effect, ci95=fit.ci95, n_units=len(units), n_pilot=pilots))
    return tuple(estimates)


def estimators_disagree(result: EstimationResult) -> bool:
    """Sun–Abraham and Callaway–Sant'Anna tell different stories: opposite signs while either is significant, or one
    clearly significant (p < 0.01) while the other is far from it (p > 0.20)."""
    check = result.cross_check
    if check is None or check.effect is None or check.p is None or result.effect is None or result.p is None:
        return False
    opposite = (result.effect > 0) != (check.effect > 0)
    if opposite and (result.p < SIGNIFICANCE or check.p < SIGNIFICANCE):
        return True
    return (result.p < 0.01 and check.p > 0.20) or (check.p < 0.01 and result.p > 0.20)
