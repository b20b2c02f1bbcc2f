"""Writes for the pilot design: record a phase's design, launch the phase, record its review.

Each is one transaction with its audit row. The rules (issue 13, points 1–2):

* **Design before launch** — a phase is launched only with a recorded design (method, seed, allocation, primary
  outcomes, the smallest effect that matters and the MDE). Launching locks the design; a later change is still
  possible, but each is kept as a ``DesignChange`` (what, why, who), audited, and flagged for the report.
* **Widen only after a review** — a phase that follows another is launched only when the previous phase's review
  is recorded with the decision "widen" (its scope must then cover the previous phase's) or "adjust" (its scope may
  not be wider than the previous phase's); "stop" ends the pilot's widening.
* **No overlap** — the phase's scope must not meet another running pilot's on the same days (``policy.overlap``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import User
from telework.assessment import design as rules
from telework.assessment.models import DesignAllocation, DesignChange, DesignMethod, PhaseDesign, PhaseReview, ReviewDecision
from telework.assessment.selectors import (
    CandidateRow,
    agency_names,
    can_design,
    can_review,
    comparison_candidates,
    phase_candidates,
    previous_phase,
    strata_description,
)
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import DomainError, InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.outcomes.indicators import INDICATORS
from telework.policy.models import PilotPhase, PilotStatus
from telework.policy.overlap import covers
from telework.policy.services import phase_check_no_overlap, phase_coverage

DESIGN_ERRORS = {
    "too_many_candidates": _("The phase has too many candidate units for one design (at most %(limit)s)."),
    "more_waves_than_units": _("There are more waves than candidate units: every wave needs at least one unit."),
    "waves_out_of_range": _("The number of waves must be between 1 and %(limit)s."),
    "pilot_share_out_of_range": _("The share of pilot units must be strictly between 0 and 1."),
    "no_pilot_units": _("Choose at least one pilot unit for a matched design."),
    "pilot_not_candidate": _("Every pilot unit must be one of the phase's candidate units."),
    "too_few_clusters": _("The design needs at least one unit in each arm and three units in all to compute the minimum detectable effect."),
    "cluster_size_out_of_range": _("A unit must have at least one member of staff."),
    "icc_out_of_range": _("The intra-cluster correlation lies between 0 and 1."),
    "outcome_sd_out_of_range": _("The standard deviation of the outcome must be positive."),
    "periods_out_of_range": _("At least one week after the start is needed."),
    "alpha_power_out_of_range": _("Significance level and power lie strictly between 0 and 1."),
    "duplicate_unit": _("A unit appears twice among the candidates."),
    "negative_staff": _("A headcount cannot be negative."),
}

MAX_PERIODS = 520
MAX_SEED = 2**62


@dataclass(frozen=True)
class DesignInputs:
    """What Home Affairs chooses in the design wizard (validated by ``DesignForm``; bounds re-checked here)."""

    method: str
    seed: int
    primary_outcomes: tuple[str, ...]
    smallest_effect: float
    pilot_share: float = 0.5
    waves: int | None = None
    wave_weeks: int | None = None
    pilot_unit_ids: frozenset[int] = field(default_factory=frozenset)
    # Matched design only: the pool the comparison units are drawn from, outside the phase's scope (units the pilot
    # does not cover). Empty: the phase's own candidates that are not pilot units.
    comparison_unit_ids: frozenset[int] = field(default_factory=frozenset)
    icc: float = 0.05
    outcome_sd: float = 0.15
    periods_before: int = 26
    periods_after: int = 26


@dataclass(frozen=True)
class DesignPreview:
    """The allocation and the MDE a design would record, with everything the screen shows next to them."""

    candidates: list[CandidateRow]
    allocations: list[rules.Allocation]
    balance: list[dict[str, object]]
    mde: float
    mde_inputs: dict[str, Any]
    without_pre_period: int
    agencies: dict[int, str]


def _design_error(error: rules.DesignInputError) -> ValidationFailed:
    message = DESIGN_ERRORS.get(error.code, _("The design inputs are not valid."))
    limit = rules.MAX_WAVES if error.code == "waves_out_of_range" else rules.MAX_CANDIDATES
    return ValidationFailed(message % {"limit": limit} if "%(limit)s" in str(message) else message, rule=f"design.{error.code}")


def _check_inputs(inputs: DesignInputs) -> None:
    if inputs.method not in DesignMethod.values:
        raise ValidationFailed(_("Choose a design method."), rule="design.method")
    if not 0 <= inputs.seed <= MAX_SEED:
        raise ValidationFailed(_("The seed must be a whole number between 0 and %(limit)s.") % {"limit": MAX_SEED}, rule="design.seed")
    if not inputs.primary_outcomes:
        raise ValidationFailed(_("Choose at least one primary outcome."), rule="design.primary_outcomes")
    unknown = [code for code in inputs.primary_outcomes if code not in INDICATORS]
    if unknown:
        raise ValidationFailed(_("A primary outcome must be one of the published indicators."), rule="design.primary_outcomes")
    if inputs.smallest_effect <= 0:
        raise ValidationFailed(_("The smallest effect that matters must be positive."), rule="design.smallest_effect")
    if not 0 <= inputs.periods_before <= MAX_PERIODS or not 1 <= inputs.periods_after <= MAX_PERIODS:
        raise ValidationFailed(_("The weeks before and after must lie between 0 and %(limit)s.") % {"limit": MAX_PERIODS}, rule="design.periods")
    if inputs.method == DesignMethod.STEPPED_WEDGE and (not inputs.waves or not inputs.wave_weeks):
        raise ValidationFailed(_("A stepped-wedge design needs the number of waves and the weeks between waves."), rule="design.waves")
    if inputs.comparison_unit_ids and inputs.method != DesignMethod.MATCHED:
        raise ValidationFailed(_("Only a matched design draws its comparison units from outside the phase's scope."), rule="design.comparison_pool")
    if len(inputs.comparison_unit_ids) > rules.MAX_CANDIDATES:
        raise _design_error(rules.DesignInputError("too_many_candidates", "too many comparison units"))


def _allocate(inputs: DesignInputs, candidates: list[rules.Candidate]) -> list[rules.Allocation]:
    if inputs.method == DesignMethod.RANDOMISED:
        return rules.randomise(candidates, seed=inputs.seed, pilot_share=inputs.pilot_share)
    if inputs.method == DesignMethod.STEPPED_WEDGE:
        return rules.stepped_wedge(candidates, seed=inputs.seed, waves=inputs.waves or 0)
    return rules.match(candidates, pilot_unit_ids=inputs.pilot_unit_ids)


def design_preview(*, phase: PilotPhase, inputs: DesignInputs) -> DesignPreview:
    """Run the allocation (seeded, reproducible) and the MDE for ``inputs`` without storing anything.

    MDE clusters: the two arms' unit counts; for a stepped-wedge design what the event study really compares
    (``design.stepped_wedge_counts``: the earlier waves against the last, over the weeks before the last starts).
    Cluster size: the mean headcount of the allocated units.
    """
    _check_inputs(inputs)
    rows = phase_candidates(phase)
    if inputs.comparison_unit_ids:
        pool = comparison_candidates(phase, inputs.comparison_unit_ids)
        if len(pool) != len(inputs.comparison_unit_ids):
            raise ValidationFailed(
                _("A comparison unit must lie outside the phase's scope and have staff."),
                rule="design.comparison_pool",
            )
        # The pilot units come from the phase's scope; their comparison units only from the pool.
        rows = [row for row in rows if row.candidate.unit_id in inputs.pilot_unit_ids] + pool
    candidates = [row.candidate for row in rows]
    try:
        allocations = _allocate(inputs, candidates)
        by_id = {c.unit_id: c for c in candidates}
        periods_after, periods_before = inputs.periods_after, inputs.periods_before
        if inputs.method == DesignMethod.STEPPED_WEDGE:
            counts = rules.stepped_wedge_counts(
                allocations, wave_weeks=inputs.wave_weeks or 1, periods_after=inputs.periods_after, periods_before=inputs.periods_before
            )
            pilot_clusters, comparison_clusters = counts.pilot_clusters, counts.comparison_clusters
            periods_after, periods_before = counts.periods_after, counts.periods_before
        else:
            pilot_clusters = sum(1 for a in allocations if a.arm == rules.PILOT)
            comparison_clusters = sum(1 for a in allocations if a.arm == rules.COMPARISON)
        sizes = [by_id[a.unit_id].staff for a in allocations]
        cluster_size = max(1.0, sum(sizes) / len(sizes)) if sizes else 1.0
        mde_inputs: dict[str, Any] = {
            "pilot_clusters": pilot_clusters,
            "comparison_clusters": comparison_clusters,
            "cluster_size": round(cluster_size, 2),
            "icc": inputs.icc,
            "outcome_sd": inputs.outcome_sd,
            "periods_before": periods_before,
            "periods_after": periods_after,
        }
        mde = rules.minimum_detectable_effect(**mde_inputs)
        if inputs.method == DesignMethod.STEPPED_WEDGE:
            # The weeks Home Affairs typed, kept beside the effective counts the formula used (the wizard shows them).
            mde_inputs |= {"chosen_periods_before": inputs.periods_before, "chosen_periods_after": inputs.periods_after}
    except rules.DesignInputError as error:
        raise _design_error(error) from error
    agencies = agency_names({c.agency_id for c in candidates})
    return DesignPreview(
        candidates=rows,
        allocations=allocations,
        balance=rules.balance_table(candidates, allocations),
        mde=mde,
        mde_inputs=mde_inputs,
        without_pre_period=sum(1 for c in candidates if c.pre_outcome is None),
        agencies=agencies,
    )


def _design_snapshot(design: PhaseDesign) -> dict[str, Any]:
    return {
        "method": design.method,
        "seed": design.seed,
        "pilot_share": design.pilot_share,
        "waves": design.waves,
        "wave_weeks": design.wave_weeks,
        "primary_outcomes": list(design.primary_outcomes),
        "smallest_effect": design.smallest_effect,
        "mde": round(design.mde, 6),
        "mde_inputs": dict(design.mde_inputs),
        "allocation": {str(unit_id): arm for unit_id, arm in design.allocations.order_by("unit_id").values_list("unit_id", "arm")},
    }


CHANGE_LABELS = {
    "method": _("method"),
    "seed": _("seed"),
    "pilot_share": _("pilot share"),
    "waves": _("waves"),
    "wave_weeks": _("weeks between waves"),
    "primary_outcomes": _("primary outcomes"),
    "smallest_effect": _("smallest effect that matters"),
    "mde": _("minimum detectable effect"),
    "mde_inputs": _("inputs of the minimum detectable effect"),
    "allocation": _("allocation of units"),
}


@transaction.atomic
def design_record(*, actor: User, phase: PilotPhase, inputs: DesignInputs, why: str = "") -> PhaseDesign:
    """Record (or, before launch, replace) the phase's design with its allocation and MDE.

    After launch the design is locked: a change needs ``why`` and leaves a ``DesignChange`` naming what changed,
    and the design is flagged ``changed_after_launch`` so the report shows it.
    """
    if not can_design(actor):
        raise NotPermitted(rule="design.record")
    phase = PilotPhase.objects.select_for_update().select_related("pilot").get(pk=phase.pk)
    existing = PhaseDesign.objects.filter(phase=phase).first()
    locked = existing is not None and existing.locked_at is not None
    if locked and not why.strip():
        raise ValidationFailed(
            _("The design is locked since the phase was launched: a change must say why (it is kept and shown in the report)."),
            rule="design.locked_change_reason",
        )
    preview = design_preview(phase=phase, inputs=inputs)
    if not preview.allocations:
        raise ValidationFailed(_("The phase's scope has no unit with staff: there is nothing to allocate."), rule="design.no_candidates")
    before = _design_snapshot(existing) if existing is not None else None
    now = clock.now()
    design = existing or PhaseDesign(phase=phase)
    design.method = inputs.method
    design.seed = inputs.seed
    design.pilot_share = inputs.pilot_share
    design.waves = inputs.waves if inputs.method == DesignMethod.STEPPED_WEDGE else None
    design.wave_weeks = inputs.wave_weeks if inputs.method == DesignMethod.STEPPED_WEDGE else None
    design.primary_outcomes = list(inputs.primary_outcomes)
    design.smallest_effect = inputs.smallest_effect
    design.mde = preview.mde
    design.mde_inputs = preview.mde_inputs
    design.strata_description = strata_description([row.candidate for row in preview.candidates], preview.agencies)
    design.candidates_without_pre_period = preview.without_pre_period
    if not locked:
        design.recorded_by = actor
        design.recorded_at = now
    else:
        design.changed_after_launch = True
    design.save()
    design.allocations.all().delete()
    staff = {row.candidate.unit_id: row.candidate.staff for row in preview.candidates}
    DesignAllocation.objects.bulk_create(
        DesignAllocation(
            design=design,
            unit_id=allocation.unit_id,
            arm=allocation.arm,
            wave=allocation.wave,
            wave_starts_on=_wave_start(phase, design, allocation.wave),
            matched_to_id=allocation.matched_to,
            stratum=allocation.stratum,
            staff=staff.get(allocation.unit_id, 0),
        )
        for allocation in preview.allocations
    )
    after = _design_snapshot(design)
    if locked:
        assert before is not None  # noqa: S101 - a locked design exists
        changed = [key for key in after if before.get(key) != after.get(key)]
        what = ", ".join(str(CHANGE_LABELS[key]) for key in changed) or str(_("nothing (recorded again)"))
        DesignChange.objects.create(design=design, what=what, why=why.strip(), before=before, after=after, changed_by=actor, changed_at=now)
        audit_record(actor=actor, action="design.change", target=design, before=before, after=after, reason=why.strip())
    else:
        audit_record(actor=actor, action="design.record", target=design, before=before, after=after)
    return design


def _wave_start(phase: PilotPhase, design: PhaseDesign, wave: int | None) -> dt.date | None:
    if wave is None or not design.wave_weeks:
        return None
    return phase.starts_on + dt.timedelta(weeks=design.wave_weeks * (wave - 1))


def phase_launch_refusal(phase: PilotPhase) -> DomainError | None:
    """Why ``phase`` may not be launched now (the first rule that says no), or None. Used by the screen to explain
    the launch button and again by ``phase_launch`` under the lock."""
    if phase.started_at is not None:
        return InvalidTransition(_("This phase has already been launched."), rule="phase.launched")
    if phase.ends_on < clock.today():
        return InvalidTransition(
            _("This phase ended on %(date)s: it can no longer be launched.") % {"date": phase.ends_on.strftime("%d/%m/%Y")}, rule="phase.ended"
        )
    if not PhaseDesign.objects.filter(phase=phase).exists():
        return RuleViolation(
            _("Design before launch: record the phase's design (method, allocation, primary outcomes and minimum detectable effect) before launching it."),
            rule="phase.design_required",
        )
    previous = previous_phase(phase)
    if previous is None:
        return None
    review = PhaseReview.objects.filter(phase=previous).first()
    if review is None:
        return RuleViolation(
            _("Widen only after a review: the review of the previous phase “%(phase)s” has not been recorded.") % {"phase": previous.name},
            rule="phase.review_required",
        )
    mine, theirs = phase_coverage(phase), phase_coverage(previous)
    if review.decision == ReviewDecision.STOP:
        return RuleViolation(
            _("Widen only after a review: the review of “%(phase)s” decided to stop the pilot.") % {"phase": previous.name},
            rule="phase.review_stopped",
        )
    if review.decision == ReviewDecision.WIDEN and not covers(mine, theirs):
        return RuleViolation(
            _(
                "Widen only after a review: the review of “%(phase)s” decided to widen, so this phase must cover at least every unit and job position of that phase."
            )
            % {"phase": previous.name},
            rule="phase.widen_must_contain",
        )
    if review.decision == ReviewDecision.ADJUST and not covers(theirs, mine):
        return RuleViolation(
            _(
                "Widen only after a review: the review of “%(phase)s” decided to adjust, not to widen, so this phase may not cover more units or job positions than that phase."
            )
            % {"phase": previous.name},
            rule="phase.adjust_not_wider",
        )
    return None


@transaction.atomic
def phase_launch(*, actor: User, phase: PilotPhase) -> PilotPhase:
    """Launch the phase (Home Affairs): checks the rules above and that no other running pilot covers its scope on
    its days, locks its design and sets the pilot running."""
    if not can_design(actor):
        raise NotPermitted(rule="phase.launch")
    phase = PilotPhase.objects.select_for_update().select_related("pilot").get(pk=phase.pk)
    refusal = phase_launch_refusal(phase)
    if refusal is not None:
        raise refusal
    phase_check_no_overlap(phase)
    now = clock.now()
    phase.started_at, phase.started_by = now, actor
    phase.save(update_fields=["started_at", "started_by"])
    design = PhaseDesign.objects.select_for_update().get(phase=phase)
    design.locked_at = now
    design.save(update_fields=["locked_at"])
    if phase.pilot.status == PilotStatus.PLANNED:
        phase.pilot.status = PilotStatus.RUNNING
        phase.pilot.save(update_fields=["status"])
    audit_record(actor=actor, action="phase.launch", target=design, after={"phase": phase.name, "locked_at": now.isoformat()})
    return phase


@transaction.atomic
def phase_review_record(*, actor: User, phase: PilotPhase, decision: str, reasons: str, report_reference: str = "") -> PhaseReview:
    """Record the review (sơ kết) of a launched phase: the leadership's decision with its reasons. One per phase."""
    if not can_review(actor):
        raise NotPermitted(rule="phase.review")
    phase = PilotPhase.objects.select_for_update().get(pk=phase.pk)
    if phase.started_at is None:
        raise InvalidTransition(_("A phase is reviewed after it has been launched."), rule="phase.review_before_launch")
    if decision not in ReviewDecision.values:
        raise ValidationFailed(_("Choose a decision: widen, adjust or stop."), rule="review.decision")
    if not reasons.strip():
        raise ValidationFailed(_("The decision must give its reasons."), rule="review.reasons")
    if len(reasons) > 10_000 or len(report_reference) > 120:
        raise ValidationFailed(_("The reasons or the report reference are too long."), rule="review.length")
    if PhaseReview.objects.filter(phase=phase).exists():
        raise InvalidTransition(_("The review of this phase has already been recorded."), rule="phase.reviewed")
    review = PhaseReview.objects.create(
        phase=phase, decision=decision, reasons=reasons.strip(), report_reference=report_reference.strip(), decided_by=actor, decided_at=clock.now()
    )
    audit_record(
        actor=actor,
        action="phase.review",
        target=review,
        after={"decision": decision, "reasons": review.reasons, "report_reference": review.report_reference},
    )
    return review
