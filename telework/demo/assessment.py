"""The demo pilot's assessment (issue 13, point 7): phase 1's design recorded before launch, the outcome panel built,
and the estimates computed, so that leadership opening the demo finds a verdict waiting for its review.

**The design is a matched comparison, not a randomised one**, because that is what the planted data are: the city
chose which agencies joined the pilot (every department and centre, about three wards in five), and
``telework.demo.dossiers`` plants its +3 points of on-time rate at the one-stop desks of exactly those agencies from
the phase's first day. So the pilot arm is every unit of the phase's scope that serves citizens at a one-stop desk
(where the primary outcome, the dossier on-time rate, is measured), and the comparison arm is their nearest units
(headcount, function) among the desk units of the wards the pilot does not cover. A randomised design would claim a
coin decided who piloted; it did not.

The design goes through ``assessment.services.design_record`` as Home Affairs, with the clock moved to a week before
the phase's start (``time_machine``, the same library the tests freeze the clock with), and the phase is launched on
its first morning: the recorded and locked moments and their audit rows tell the order a real pilot follows. The
review (sơ kết) is left to leadership. Deterministic: the allocation follows from the organisation (seeded) and the
estimates' resampling from the design's seed.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

from telework.accounts.models import User
from telework.assessment.estimates import estimate_run, estimates_request, latest_estimates, result_of, verdict_of
from telework.assessment.models import Arm, DesignMethod, EstimateStatus, PhaseDesign
from telework.assessment.services import DesignInputs, design_record, phase_launch
from telework.core.exceptions import DomainError
from telework.organization.models import ServicePoint, ServicePointKind
from telework.outcomes import panel
from telework.outcomes.indicators import INDICATORS
from telework.policy.models import Pilot, PilotPhase
from telework.policy.services import phase_coverage

PRIMARY_OUTCOMES = ("dossier_on_time_rate", "citizen_satisfied_share")
# Two percentage points of on-time rate: below that, the city would not widen a pilot for its dossiers.
SMALLEST_EFFECT = 0.02
DESIGN_SEED_BASE = 20_260_000
DESIGN_DAYS_BEFORE_START = 7


def _moment(day: dt.date, hour: int) -> dt.datetime:
    import zoneinfo

    return dt.datetime.combine(day, dt.time(hour), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _desk_units(agency_ids: set[int] | None = None, *, exclude_agency_ids: set[int] | None = None) -> list[int]:
    desks = ServicePoint.objects.filter(kind=ServicePointKind.ONE_STOP_DESK)
    if agency_ids is not None:
        desks = desks.filter(unit__agency_id__in=agency_ids)
    if exclude_agency_ids:
        desks = desks.exclude(unit__agency_id__in=exclude_agency_ids)
    return sorted(set(desks.values_list("unit_id", flat=True)))


def design_inputs(phase: PilotPhase, *, seed: int) -> DesignInputs:
    """Phase 1's matched design: its desk units as the pilot arm, the desk units of the agencies outside every pilot
    as the pool their comparison units are matched from; a year of weeks before, the phase's weeks after."""
    in_scope = phase_coverage(phase).units
    pilot_units = [unit_id for unit_id in _desk_units() if unit_id in in_scope]
    covered_agencies = set(Pilot.objects.values_list("agencies", flat=True)) - {None}
    pool = [unit_id for unit_id in _desk_units(exclude_agency_ids=covered_agencies) if unit_id not in in_scope]
    weeks_after = max(1, ((phase.ends_on - phase.starts_on).days + 1) // 7)
    return DesignInputs(
        method=DesignMethod.MATCHED,
        seed=DESIGN_SEED_BASE + seed,
        primary_outcomes=PRIMARY_OUTCOMES,
        smallest_effect=SMALLEST_EFFECT,
        pilot_unit_ids=frozenset(pilot_units),
        comparison_unit_ids=frozenset(pool),
        icc=0.05,
        outcome_sd=0.15,
        periods_before=52,
        periods_after=weeks_after,
    )


def record_design_and_launch(*, actor: User, phase: PilotPhase, inputs: DesignInputs) -> PhaseDesign:
    """Record phase 1's design a week before its start and launch it on its first morning (as ``actor``, Home
    Affairs), with the clock at those moments."""
    # A development dependency (``make demo`` installs it); imported here so that production never loads it.
    import time_machine

    with time_machine.travel(_moment(phase.starts_on - dt.timedelta(days=DESIGN_DAYS_BEFORE_START), 10), tick=False):
        design = design_record(actor=actor, phase=phase, inputs=inputs)
    with time_machine.travel(_moment(phase.starts_on, 8), tick=False):
        phase_launch(actor=actor, phase=phase)
    design.refresh_from_db()
    return design


def seed_assessment(*, seed: int, lap: Any = lambda _label: None) -> dict[str, Any]:
    """Design phase 1 (before launch, matched), launch it, build the outcome panel and compute the estimates of the
    design's primary outcomes. Returns what ``seed_demo`` prints."""
    phase = PilotPhase.objects.select_related("pilot").order_by("starts_on", "pk").first()
    actor = User.objects.filter(username="noivu").first()
    if phase is None or actor is None:
        return {}
    started = time.perf_counter()
    inputs = design_inputs(phase, seed=seed)
    if not inputs.pilot_unit_ids or not inputs.comparison_unit_ids:
        return {"phase": phase.name, "not designed": "no one-stop desk unit inside the phase, or none outside the pilot to compare with"}
    try:
        with transaction.atomic():
            design = record_design_and_launch(actor=actor, phase=phase, inputs=inputs)
    except DomainError as refused:  # a city too small for a design (fewer than three desk units): say so, build on
        return {"phase": phase.name, "not designed": str(refused)}
    arms = dict.fromkeys(Arm.values, 0)
    for arm in design.allocations.values_list("arm", flat=True):
        arms[arm] += 1
    design_seconds = time.perf_counter() - started
    lap("phase 1's matched design recorded before launch, launched (services)")
    started = time.perf_counter()
    rebuilt = panel.rebuild(actor=None)
    panel_seconds = time.perf_counter() - started
    lap("build the outcome panel (rebuild)")
    started = time.perf_counter()
    estimates = compute_estimates(actor=actor, phase=phase)
    lap("compute the estimates of the primary outcomes")
    return {
        "phase": phase.name,
        "phase id": phase.pk,
        "starts on": phase.starts_on,
        "design recorded at": design.recorded_at,
        "design locked at": design.locked_at,
        "pilot units": arms[Arm.PILOT],
        "comparison units": arms[Arm.COMPARISON],
        "mde": design.mde,
        "smallest effect": design.smallest_effect,
        "panel values": rebuilt.refresh.rows,
        "design seconds": round(design_seconds, 1),
        "panel seconds": round(panel_seconds, 1),
        "estimate seconds": round(time.perf_counter() - started, 1),
        "estimates": estimates,
    }


def compute_estimates(*, actor: User, phase: PilotPhase) -> list[dict[str, Any]]:
    """Request the estimates of the design's primary outcomes and their counter-metrics (as Home Affairs) and run
    each here, synchronously, inside the request's transaction: the background run the request queues on commit
    then finds them done and does nothing (``estimate_run`` is idempotent)."""
    with transaction.atomic():
        requested = estimates_request(actor=actor, phase=phase)
        done = [estimate_run(estimate.pk) for estimate in requested]
    latest = latest_estimates(phase)
    rows: list[dict[str, Any]] = []
    with translation.override("vi"):
        for estimate in done:
            row: dict[str, Any] = {
                "indicator": estimate.indicator,
                "unit": INDICATORS[estimate.indicator].unit,
                "status": estimate.status,
                "failure": estimate.failure,
            }
            if estimate.status == EstimateStatus.DONE:
                result = result_of(estimate)
                found = verdict_of(estimate, latest=latest)
                row.update(
                    effect=result.effect,
                    ci95=result.ci95,
                    p=result.p,
                    units=(result.n_units, result.n_pilot, result.n_comparison),
                    weeks=(result.n_periods_pre, result.n_periods_post),
                    pretrend_p=result.pretrend_p,
                    answers=found.can_answer,
                    headline=found.headline or " ".join(refusal.explanation for refusal in found.refusals),
                )
            rows.append(row)
    return rows
