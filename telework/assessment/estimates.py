"""Stored estimates of a phase's effect: request them, run them in the background, read them back with their verdict.

Issue 13, point 4: "run in the background, store every estimate with its inputs' snapshot, estimator and version, so
a published figure can be reproduced". One ``Estimate`` per (phase, indicator, request):

* ``estimates_request`` (a service: audited, one transaction) creates queued estimates for the design's primary
  outcomes and their counter-metrics (or the indicators asked for) and, on commit, queues the background run;
* ``estimate_run`` (the background job's body, idempotent) reads the outcome panel for the allocated units, calls
  the pure ``estimation.estimate_effect`` and stores the result as JSON, the exact inputs as a gzip CSV and their
  sha256 digest; a failure is stored in Vietnamese words, never a traceback;
* ``latest_estimates`` / ``result_of`` / ``verdict_of`` read them back; the verdict is written on read, in the
  reader's language, from the stored figures only.

"Analyse everyone as assigned": the arms come from ``DesignAllocation``, never from registrations.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gzip
import io
import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.accounts.types import Viewer
from telework.assessment import design as rules
from telework.assessment import estimation
from telework.assessment.estimation import EstimationResult, EventTimeEstimate, SubgroupEstimate
from telework.assessment.models import DesignAllocation, DesignMethod, Estimate, EstimateStatus, PhaseDesign
from telework.assessment.selectors import can_review, phase_candidates
from telework.assessment.verdict import CounterMetric, Verdict, verdict
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.background import run_in_background
from telework.core.exceptions import NotPermitted, RuleViolation, ValidationFailed
from telework.organization.models import Unit
from telework.outcomes.indicators import INDICATORS, Indicator
from telework.outcomes.models import OutcomeValue
from telework.policy.models import PilotPhase

logger = logging.getLogger(__name__)

RUN_TASK = "assessment.run_estimates"
MAX_WEEKS_BEFORE = 104  # the pre-period starts at the panel's first week, at most two years before launch
MAX_WEEKS_AFTER = 156  # bound on the pilot period read (three years)
MAX_PANEL_ROWS = 1_500_000  # bound on one estimate's frame (5,000 units × 300 weeks)
MAX_INDICATORS_PER_REQUEST = len(INDICATORS)
STALE_RUN = dt.timedelta(hours=2)  # a run still "running" after this long died with its worker: it may be retried
RANDOMISED_METHODS = frozenset({DesignMethod.RANDOMISED, DesignMethod.STEPPED_WEDGE})


# --- which indicators ---------------------------------------------------------------------------------------------


def counter_metrics_of(code: str) -> list[str]:
    """The counter-metrics shown next to an outcome: the dictionary's counter-metrics drawn from the same source
    (rework next to work on time, overdue dossiers and apology letters next to dossiers on time, stress next to
    well-being …), plus the citizens' dissatisfaction next to any dossier outcome (complaints, issue 13 pt 4)."""
    outcome = INDICATORS[code]
    found = [other.code for other in INDICATORS.values() if other.counter_metric and other.code != code and str(other.source) == str(outcome.source)]
    if code.startswith("dossier_") and "citizen_dissatisfied" in INDICATORS and "citizen_dissatisfied" not in found:
        found.append("citizen_dissatisfied")
    return found


def design_indicators(design: PhaseDesign) -> list[str]:
    """The design's primary outcomes, then their counter-metrics (each once, in that order)."""
    codes: list[str] = [code for code in design.primary_outcomes if code in INDICATORS]
    for code in list(codes):
        codes += [other for other in counter_metrics_of(code) if other not in codes]
    return codes


# --- who -----------------------------------------------------------------------------------------------------------


def can_request_estimates(viewer: Viewer) -> bool:
    """Home Affairs, administrators and city leadership may ask for the estimates (the readers of the review)."""
    return can_review(viewer)


# --- request --------------------------------------------------------------------------------------------------------


def launched_design(phase: PilotPhase) -> PhaseDesign | None:
    """The phase's design when the phase has been launched (the design then locked), else None."""
    design = PhaseDesign.objects.filter(phase=phase).first()
    if design is None or phase.started_at is None or design.locked_at is None:
        return None
    return design


@transaction.atomic
def estimates_request(*, actor: User, phase: PilotPhase, indicators: Sequence[str] | None = None) -> list[Estimate]:
    """Queue estimates of the phase's effect on ``indicators`` (None: the design's primary outcomes and their
    counter-metrics) and start the background run when the transaction commits.

    Refused without a launched design (the comparison is the one recorded before launch). An indicator that already
    has a queued or running estimate for the phase is not queued twice: that estimate is returned instead.
    """
    if not can_request_estimates(actor):
        raise NotPermitted(rule="estimate.request")
    phase = PilotPhase.objects.select_for_update().get(pk=phase.pk)
    design = launched_design(phase)
    if design is None:
        raise RuleViolation(
            _(
                "The estimates compare the units as the design recorded them before launch: this phase has no launched design yet, "
                "so there is nothing to estimate."
            ),
            rule="estimate.no_launched_design",
        )
    codes = list(dict.fromkeys(indicators)) if indicators is not None else design_indicators(design)
    if not codes:
        raise ValidationFailed(_("Choose at least one indicator to estimate."), rule="estimate.indicators")
    if len(codes) > MAX_INDICATORS_PER_REQUEST or any(code not in INDICATORS for code in codes):
        raise ValidationFailed(_("Every indicator to estimate must be one of the published indicators."), rule="estimate.indicators")
    pending = {
        estimate.indicator: estimate
        for estimate in Estimate.objects.filter(phase=phase, indicator__in=codes, status__in=[EstimateStatus.QUEUED, EstimateStatus.RUNNING])
    }
    now = clock.now()
    estimates: list[Estimate] = []
    queued: list[int] = []
    for code in codes:
        if code in pending:
            estimates.append(pending[code])
            continue
        estimate = Estimate.objects.create(phase=phase, indicator=code, status=EstimateStatus.QUEUED, requested_by=actor, requested_at=now, seed=design.seed)
        estimates.append(estimate)
        queued.append(estimate.pk)
    audit_record(
        actor=actor,
        action="estimate.request",
        target=design,
        after={"indicators": ", ".join(str(INDICATORS[code].name) for code in codes), "queued": len(queued)},
    )
    if queued:
        transaction.on_commit(lambda: run_in_background(RUN_TASK, queued))
    return estimates


# --- the frame -----------------------------------------------------------------------------------------------------


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _allocation_rows(design: PhaseDesign) -> list[DesignAllocation]:
    return list(design.allocations.order_by("unit_id"))


def first_treated_weeks(phase: PilotPhase, rows: Sequence[DesignAllocation]) -> dict[int, pd.Timestamp]:
    """Each pilot unit's first pilot week (the Monday of the week its wave, or the phase, starts): a week in which
    the pilot started counts as a pilot week. Comparison units have none (never started)."""
    starts: dict[int, pd.Timestamp] = {}
    for row in rows:
        if row.arm != rules.PILOT:
            continue
        starts[row.unit_id] = pd.Timestamp(monday(row.wave_starts_on or phase.starts_on))
    return starts


def panel_frame(phase: PilotPhase, indicator: str) -> tuple[pd.DataFrame, list[rules.Allocation], dict[int, pd.Timestamp]]:
    """The estimator's inputs for one indicator of a phase: the panel frame (``unit_id, agency_id, week, value,
    weight``; weight = the value's denominator, 1 for a count) of the allocated units, the allocation as recorded
    and each pilot unit's first pilot week.

    Weeks: from the panel's first week but at most ``MAX_WEEKS_BEFORE`` weeks before the phase starts, up to the last
    complete week (before this week) and no later than the phase's end. Raises ``PhaseDesign.DoesNotExist`` when the phase has no
    design.
    """
    design = PhaseDesign.objects.get(phase=phase)
    rows = _allocation_rows(design)
    allocation = [rules.Allocation(row.unit_id, row.arm, row.wave, row.matched_to_id, row.stratum) for row in rows]
    starts = first_treated_weeks(phase, rows)
    launch_week = monday(phase.starts_on)
    first_week = launch_week - dt.timedelta(weeks=MAX_WEEKS_BEFORE)
    last_week = min(monday(clock.today()) - dt.timedelta(weeks=1), monday(phase.ends_on), launch_week + dt.timedelta(weeks=MAX_WEEKS_AFTER))
    unit_ids = [row.unit_id for row in rows]
    agencies = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "agency_id"))
    values = (
        OutcomeValue.objects.filter(indicator=indicator, unit_id__in=unit_ids, week__gte=first_week, week__lte=last_week)
        .order_by("unit_id", "week")
        .values_list("unit_id", "week", "value", "denominator")[: MAX_PANEL_ROWS + 1]
    )
    records = [
        (unit, agencies[unit], pd.Timestamp(week), float(value), float(denominator) if denominator is not None else 1.0)
        for unit, week, value, denominator in values
    ]
    if len(records) > MAX_PANEL_ROWS:
        raise PanelTooLarge(len(records))
    frame = pd.DataFrame.from_records(records, columns=list(estimation.PANEL_COLUMNS))
    frame["unit_id"] = frame["unit_id"].astype("int64")
    frame["agency_id"] = frame["agency_id"].astype("int64")
    frame["week"] = pd.to_datetime(frame["week"])
    frame["value"] = frame["value"].astype(float)
    frame["weight"] = frame["weight"].astype(float)
    return frame, allocation, starts


class PanelTooLarge(Exception):
    def __init__(self, rows: int) -> None:
        super().__init__(f"{rows} rows")
        self.rows = rows


def unit_job_types(phase: PilotPhase, unit_ids: Sequence[int]) -> dict[int, str]:
    """Each allocated unit's kind of work (one-stop desk, serves citizens, back office), for the heterogeneity split."""
    wanted = set(unit_ids)
    return {row.candidate.unit_id: row.candidate.function for row in phase_candidates(phase) if row.candidate.unit_id in wanted}


# --- the inputs' snapshot --------------------------------------------------------------------------------------------

INPUT_COLUMNS = ("record", "unit_id", "agency_id", "week", "value", "weight", "arm", "wave", "stratum", "first_treated_week", "job_type")


def inputs_csv(frame: pd.DataFrame, allocation: Sequence[rules.Allocation], starts: Mapping[int, object], job_types: Mapping[int, str]) -> bytes:
    """The exact inputs as one CSV (UTF-8): ``record=panel`` rows hold the frame (floats written exactly, ``repr``),
    ``record=unit`` rows the allocation, start week and job type. Read back with ``inputs_from_csv``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(INPUT_COLUMNS)
    for unit, agency, week, value, weight in frame.loc[:, list(estimation.PANEL_COLUMNS)].itertuples(index=False):
        writer.writerow(["panel", int(unit), int(agency), pd.Timestamp(week).date().isoformat(), repr(float(value)), repr(float(weight)), "", "", "", "", ""])
    for row in sorted(allocation, key=lambda row: row.unit_id):
        start = starts.get(row.unit_id)
        writer.writerow(
            [
                "unit",
                row.unit_id,
                "",
                "",
                "",
                "",
                row.arm,
                row.wave if row.wave is not None else "",
                row.stratum,
                pd.Timestamp(start).date().isoformat() if start is not None else "",
                job_types.get(row.unit_id, ""),
            ]
        )
    return out.getvalue().encode()


def inputs_from_csv(data: bytes) -> tuple[pd.DataFrame, list[rules.Allocation], dict[int, pd.Timestamp], dict[int, str]]:
    """The estimator's inputs back from ``inputs_csv`` (the reproduce path: same inputs, same seed → same result)."""
    reader = csv.DictReader(io.StringIO(data.decode()))
    panel: list[tuple[int, int, pd.Timestamp, float, float]] = []
    allocation: list[rules.Allocation] = []
    starts: dict[int, pd.Timestamp] = {}
    job_types: dict[int, str] = {}
    for line in reader:
        if line["record"] == "panel":
            panel.append((int(line["unit_id"]), int(line["agency_id"]), pd.Timestamp(line["week"]), float(line["value"]), float(line["weight"])))
        elif line["record"] == "unit":
            unit = int(line["unit_id"])
            allocation.append(rules.Allocation(unit, line["arm"], int(line["wave"]) if line["wave"] else None, None, line["stratum"]))
            if line["first_treated_week"]:
                starts[unit] = pd.Timestamp(line["first_treated_week"])
            if line["job_type"]:
                job_types[unit] = line["job_type"]
    frame = pd.DataFrame.from_records(panel, columns=list(estimation.PANEL_COLUMNS))
    frame["week"] = pd.to_datetime(frame["week"])
    return frame, allocation, starts, job_types


def inputs_of(estimate: Estimate) -> bytes:
    """The stored inputs of a done estimate as plain CSV bytes (b"" when none were stored)."""
    blob = bytes(estimate.inputs or b"")
    return gzip.decompress(blob) if blob else b""


# --- results as JSON -------------------------------------------------------------------------------------------------


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else float(value)


def result_to_json(result: EstimationResult) -> dict[str, Any]:
    """The result as plain JSON: tuples as lists, non-finite numbers as null (PostgreSQL's jsonb has no NaN)."""

    def clean(value: Any) -> Any:
        if isinstance(value, float):
            return _finite(value)
        if isinstance(value, dict):
            return {key: clean(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [clean(item) for item in value]
        return value

    return clean(dataclasses.asdict(result))  # type: ignore[no-any-return]


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def _interval(value: Any) -> tuple[float, float] | None:
    return None if value is None else (_number(value[0]), _number(value[1]))


def result_from_json(data: Mapping[str, Any]) -> EstimationResult:
    """``result_to_json`` reversed: the frozen dataclass with its nested event study, subgroups and cross-check."""
    check = data.get("cross_check")
    return EstimationResult(
        estimator=str(data["estimator"]),
        library=str(data["library"]),
        effect=data.get("effect"),
        se=data.get("se"),
        ci95=_interval(data.get("ci95")),
        p=data.get("p"),
        n_units=int(data["n_units"]),
        n_pilot=int(data["n_pilot"]),
        n_comparison=int(data["n_comparison"]),
        n_periods_pre=int(data["n_periods_pre"]),
        n_periods_post=int(data["n_periods_post"]),
        pretrend_p=data.get("pretrend_p"),
        event_study=tuple(
            EventTimeEstimate(period=int(row["period"]), estimate=_number(row["estimate"]), ci_low=_number(row["ci_low"]), ci_high=_number(row["ci_high"]))
            for row in data.get("event_study") or ()
        ),
        ri_p=data.get("ri_p"),
        wild_bootstrap_p=data.get("wild_bootstrap_p"),
        cross_check=result_from_json(check) if check else None,
        heterogeneity=tuple(
            SubgroupEstimate(
                dimension=str(row["dimension"]),
                group=str(row["group"]),
                effect=_number(row["effect"]),
                ci95=_interval(row["ci95"]) or (math.nan, math.nan),
                n_units=int(row["n_units"]),
                n_pilot=int(row["n_pilot"]),
            )
            for row in data.get("heterogeneity") or ()
        ),
        inputs_digest=str(data["inputs_digest"]),
        seed=int(data["seed"]),
        staggered=bool(data["staggered"]),
    )


# --- the run ---------------------------------------------------------------------------------------------------------


def _claim(estimate_id: int) -> Estimate | None:
    """Mark the estimate running, or None when there is nothing to do (done, failed, or running elsewhere)."""
    with transaction.atomic():
        estimate = Estimate.objects.select_for_update().select_related("phase").get(pk=estimate_id)
        now = clock.now()
        stale = estimate.status == EstimateStatus.RUNNING and estimate.started_at is not None and now - estimate.started_at > STALE_RUN
        if estimate.status != EstimateStatus.QUEUED and not stale:
            return None
        estimate.status, estimate.started_at = EstimateStatus.RUNNING, now
        estimate.save(update_fields=["status", "started_at"])
        return estimate


def _fail(estimate: Estimate, failure: str) -> Estimate:
    estimate.status, estimate.failure, estimate.finished_at = EstimateStatus.FAILED, failure, clock.now()
    estimate.save(update_fields=["status", "failure", "finished_at"])
    return estimate


def compute(
    frame: pd.DataFrame, allocation: Sequence[rules.Allocation], starts: Mapping[int, object], job_types: Mapping[int, str], *, seed: int, randomised: bool
) -> EstimationResult:
    """``estimation.estimate_effect`` with the settings every stored estimate uses (the reproduce path calls this)."""
    return estimation.estimate_effect(frame, allocation, starts, seed=seed, randomised=randomised, job_types=job_types)


def estimate_run(estimate_id: int) -> Estimate:
    """The background job's body: compute and store one estimate. Idempotent: an estimate that is done (or failed,
    or running in another worker) is returned unchanged; a run that died while running is retried after
    ``STALE_RUN``."""
    estimate = _claim(estimate_id)
    if estimate is None:
        return Estimate.objects.get(pk=estimate_id)
    phase = estimate.phase
    design = PhaseDesign.objects.filter(phase=phase).first()
    if design is None:
        return _fail(estimate, _("The phase no longer has a design: there is no recorded comparison to estimate."))
    if estimate.indicator not in INDICATORS:
        return _fail(estimate, _("This indicator is no longer published in the indicator dictionary."))
    try:
        frame, allocation, starts = panel_frame(phase, estimate.indicator)
        job_types = unit_job_types(phase, [row.unit_id for row in allocation])
        result = compute(frame, allocation, starts, job_types, seed=estimate.seed, randomised=design.method in RANDOMISED_METHODS)
        snapshot = gzip.compress(inputs_csv(frame, allocation, starts, job_types), mtime=0)
    except PanelTooLarge as error:
        return _fail(
            estimate,
            _("The outcome panel for this phase is too large for one estimate (%(rows)s values; at most %(limit)s).")
            % {"rows": error.rows, "limit": MAX_PANEL_ROWS},
        )
    except Exception:
        logger.exception("Estimate %s failed", estimate.pk)
        return _fail(
            estimate,
            _("The estimate could not be computed: the calculation stopped with an error. The error has been logged for the technical team; try again later."),
        )
    estimate.status = EstimateStatus.DONE
    estimate.finished_at = clock.now()
    estimate.estimator = result.estimator
    estimate.library = result.library[:200]
    estimate.inputs_digest = result.inputs_digest
    estimate.inputs = snapshot
    estimate.result = result_to_json(result)
    estimate.failure = ""
    estimate.save(update_fields=["status", "finished_at", "estimator", "library", "inputs_digest", "inputs", "result", "failure"])
    return estimate


def estimates_run(estimate_ids: Sequence[int]) -> list[Estimate]:
    """Run several estimates one after the other (one background job per request: the machine's cores are few)."""
    return [estimate_run(estimate_id) for estimate_id in estimate_ids]


# --- reads -----------------------------------------------------------------------------------------------------------


def latest_estimates(phase: PilotPhase) -> dict[str, Estimate]:
    """The newest done estimate of each indicator for the phase (indicator code → estimate)."""
    newest = Estimate.objects.filter(phase_id=OuterRef("phase_id"), indicator=OuterRef("indicator"), status=EstimateStatus.DONE).order_by("-finished_at", "-pk")
    rows = Estimate.objects.filter(phase=phase, status=EstimateStatus.DONE, pk=Subquery(newest.values("pk")[:1])).defer("inputs")
    return {estimate.indicator: estimate for estimate in rows}


def phase_estimates(phase: PilotPhase) -> list[Estimate]:
    """Every estimate of the phase, newest first (the page's history), without the inputs' snapshot."""
    return list(Estimate.objects.filter(phase=phase).select_related("requested_by").defer("inputs").order_by("-requested_at", "-pk")[:200])


def result_of(estimate: Estimate) -> EstimationResult:
    """The stored result as the estimator's dataclass (``ValueError`` when the estimate is not done)."""
    if estimate.result is None:
        raise ValueError(f"estimate {estimate.pk} has no result")
    return result_from_json(estimate.result)


def _indicator(code: str) -> Indicator:
    return INDICATORS[code]


def verdict_of(estimate: Estimate, *, latest: Mapping[str, Estimate] | None = None) -> Verdict:
    """The verdict on a done estimate, in the active language: the design's MDE and smallest effect that matters for
    a primary outcome, the counter-metrics from the phase's latest estimates, and "the design changed after launch".
    ``latest``: the phase's ``latest_estimates`` when the caller already has them (saves a query per indicator)."""
    result = result_of(estimate)
    design = PhaseDesign.objects.filter(phase_id=estimate.phase_id).first()
    indicator = _indicator(estimate.indicator)
    primary = design is not None and estimate.indicator in design.primary_outcomes
    counter_metrics: list[CounterMetric] = []
    if primary:
        others = latest if latest is not None else latest_estimates(estimate.phase)
        for code in counter_metrics_of(estimate.indicator):
            other = others.get(code)
            if other is not None and other.result is not None:
                counter_metrics.append(CounterMetric(indicator=_indicator(code), result=result_of(other)))
    found = verdict(
        result,
        indicator=indicator,
        mde=design.mde if design is not None and primary else None,
        smallest_effect=design.smallest_effect if design is not None else 0.0,
        counter_metrics=counter_metrics,
        design_changed_after_launch=design is not None and design.changed_after_launch,
    )
    if not primary:
        found = dataclasses.replace(
            found, detectability=_("This indicator is not one of the design's primary outcomes: the design recorded no minimum detectable effect for it.")
        )
    return found
