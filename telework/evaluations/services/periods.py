"""Evaluation periods: creation, the run that scores everyone in scope from their work data, and the start of
the heads' review."""

from __future__ import annotations

import bisect
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from telework.accounts.models import Role, User
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import NotPermitted, RuleViolation
from telework.core.workflow import perform
from telework.evaluations import bulk, permissions
from telework.evaluations.measure import Measured, measure, person_facts, unit_snapshot, work_results
from telework.evaluations.models import (
    PERIOD_FLOW,
    Evaluation,
    EvaluationPeriod,
    EvaluationSettings,
    OrganisationRating,
    PeerGrouping,
    PeriodKind,
    PeriodStatus,
)
from telework.evaluations.scoring import (
    DECREE_233_IN_FORCE,
    REGIME_LABELS,
    SCORED_REGIMES,
    Assessment,
    Level,
    PersonFacts,
    Regime,
    assess,
    assess_335_year,
    regime_for,
)
from telework.evaluations.services.common import _agency_id, _check_period, _period_change, _period_snapshot, _require_run, period_bounds, published_criteria
from telework.organization.models import Agency

# --------------------------------------------------------------------------------------------- periods


@transaction.atomic
def period_create(*, actor: User, kind: str, year: int, number: int, agency: Agency | None) -> EvaluationPeriod:
    """Open a month, quarter or year for an agency (or the whole city). Both regimes' criteria must have been
    published before the period starts (MISSION 7: criteria public in advance)."""
    if not permissions.can_run(actor, agency):
        raise NotPermitted(_("Only Home Affairs, or the agency head or HR of this agency, opens an evaluation period."), rule="evaluations.run")
    if kind == PeriodKind.YEAR:
        number = 1
    starts_on, ends_on = period_bounds(kind, year, number)
    regimes = [Regime.DECREE_335, Regime.DECREE_90]
    if ends_on >= DECREE_233_IN_FORCE:
        # Viên chức of a period reaching 01/07/2026 or later may be under Decree 233/2026.
        regimes.append(Regime.DECREE_233)
    # Decree 233 was signed mid-2026: for the period across 01/07/2026 its criteria must be public by that date.
    sets = {regime: published_criteria(regime, max(starts_on, DECREE_233_IN_FORCE) if regime is Regime.DECREE_233 else starts_on) for regime in regimes}
    criteria_335, criteria_90 = sets[Regime.DECREE_335], sets[Regime.DECREE_90]
    missing = [regime for regime, found in sets.items() if found is None]
    if missing or criteria_335 is None or criteria_90 is None:
        raise RuleViolation(
            _("No criteria set of %(regime)s was published before %(date)s: publish the criteria before the period starts.")
            % {"regime": "; ".join(gettext(REGIME_LABELS[regime]) for regime in missing), "date": starts_on.strftime("%d/%m/%Y")},
            rule="criteria_set.published_at",
            params={"regimes": missing, "starts_on": starts_on},
        )
    if EvaluationPeriod.objects.filter(agency=agency, kind=kind, year=year, number=number).exists():
        raise RuleViolation(_("This period already exists."), rule="evaluation_period_unique")
    period = EvaluationPeriod.objects.create(
        kind=kind,
        year=year,
        number=number,
        starts_on=starts_on,
        ends_on=ends_on,
        agency=agency,
        criteria_335=criteria_335,
        criteria_90=criteria_90,
        criteria_233=sets.get(Regime.DECREE_233),
        created_by=actor,
    )
    audit_record(actor=actor, action="evaluation_period.create", target=period, after=_period_snapshot(period), agency_id=_agency_id(period))
    return period


def _store(evaluation: Any, assessment: Assessment) -> None:
    """Write the computed proposal onto an ``Evaluation`` or onto a run's row (a ``RunRow``)."""
    evaluation.score = Decimal(str(assessment.score)) if assessment.score is not None else None
    evaluation.proposed_level = assessment.level.value if assessment.level else ""
    evaluation.rank_score = assessment.rank_score
    evaluation.tie_score = _tie_score(assessment)


def _tie_score(assessment: Assessment) -> float:
    for criterion in assessment.criteria:
        if criterion.code == "tasks" and criterion.points is not None:
            return criterion.points
    return 0.0


# What a run computes; everything else (self-assessment, the head's scores and decision, appeals) is kept on re-runs.
COMPUTED_FIELDS = [
    "unit",
    "regime",
    "peer_group",
    "is_disciplined",
    "worked_from_home",
    "inputs",
    "score",
    "proposed_level",
    "rank_score",
    "tie_score",
]


@dataclass(frozen=True)
class PeriodContext:
    """What the rules read beside each person's measures: the agencies' settings (peer groups, minimum group size,
    Decree 233 regulation) and the organisations' levels for the period (a head's cap, the raised quota)."""

    settings: dict[int, EvaluationSettings]
    unit_levels: dict[int, str]
    agency_levels: dict[int, str]
    raised_agencies: frozenset[int]

    def settings_for(self, agency_id: int) -> EvaluationSettings:
        return self.settings.get(agency_id) or EvaluationSettings(agency_id=agency_id)

    def organisation_level(self, unit_id: int, agency_id: int, *, heads_agency: bool) -> str:
        """The level of the organisation a leader heads ("" when not rated): the agency's for its head (the agency
        head's account), otherwise their unit's."""
        if heads_agency:
            return self.agency_levels.get(agency_id, "")
        return self.unit_levels.get(unit_id, "")


def period_context(period: EvaluationPeriod) -> PeriodContext:
    """The settings and organisation levels of a period, in two queries."""
    settings = {item.agency_id: item for item in EvaluationSettings.objects.all()}
    unit_levels: dict[int, str] = {}
    agency_levels: dict[int, str] = {}
    raised: set[int] = set()
    for rating in OrganisationRating.objects.filter(period=period):
        if rating.unit_id is not None:
            unit_levels[rating.unit_id] = rating.level
        else:
            agency_levels[rating.agency_id] = rating.level
            if rating.is_quota_raised:
                raised.add(rating.agency_id)
    return PeriodContext(settings, unit_levels, agency_levels, frozenset(raised))


def peer_group_of(settings: EvaluationSettings, *, position_name: str, unit_name: str) -> str:
    """The quota's peer group of a person under the agency's setting (``PeerGrouping``; default: job position)."""
    if settings.peer_grouping == PeerGrouping.UNIT:
        return unit_name
    if settings.peer_grouping == PeerGrouping.AGENCY:
        return ""
    return position_name


def period_regime(period: EvaluationPeriod, staff_type: str, settings: EvaluationSettings) -> Regime:
    """The regime of a person of ``staff_type`` in ``period`` (``scoring.regime_for`` with the period's dates)."""
    return regime_for(staff_type, period.year, starts_on=period.starts_on, ends_on=period.ends_on, has_own_regulation=settings.has_own_233_regulation)


# What the head enters and a run keeps: read once per run.
HEAD_INPUT_FIELDS = ("staff_id", "general_scores", "leader_factors", "months_worked", "is_on_sick_or_maternity_leave")


@transaction.atomic
def period_run(*, period: EvaluationPeriod, actor: User, timings: dict[str, float] | None = None) -> int:
    """Compute everyone in the period's scope in bulk: measure their work, score and classify them under their
    regime, and store the proposals. A re-run keeps what people already entered (self-assessments, the head's
    scores, leader factors, months worked and decisions). Leaders are scored after their staff, whose levels their
    unit criteria read (Decree 90/2020 leaders' criteria; Decree 335 Art. 15 cl. 3 unit results). Returns the number
    of evaluations."""
    _require_run(actor, period)
    # One run at a time per period: the row lock serialises them; the caller's object sees the new state.
    list(EvaluationPeriod.objects.select_for_update().filter(pk=period.pk).values_list("pk"))
    period.refresh_from_db()
    PERIOD_FLOW.target(period, "run")
    lap_started = time.perf_counter()
    measured = measure(period)
    entered = {row[0]: row for row in Evaluation.objects.filter(period=period).values_list(*HEAD_INPUT_FIELDS)}
    period_scores = year_period_scores(period)
    context = period_context(period)
    read_seconds = time.perf_counter() - lap_started

    lap_started = time.perf_counter()
    parameters = {regime: period.criteria_for(regime).scoring_parameters() for regime in Regime}
    evaluations: list[bulk.RunRow] = []
    leaders: list[tuple[Measured, bulk.RunRow]] = []
    for person in measured.values():
        settings = context.settings_for(person.agency_id)
        evaluation = bulk.RunRow(
            period_id=period.pk,
            staff_id=person.staff_id,
            unit_id=person.unit_id,
            regime=period_regime(period, person.staff_type, settings).value,
            peer_group=peer_group_of(settings, position_name=person.position_name, unit_name=person.unit_name),
            is_disciplined=person.is_disciplined,
            worked_from_home=person.home_days > 0,
            inputs=person.snapshot(),
            general_scores=entered[person.staff_id][1] if person.staff_id in entered else None,
        )
        evaluations.append(evaluation)
        if person.is_leader:
            leaders.append((person, evaluation))
            continue
        _store(evaluation, _assess(_facts(person, period, evaluation, entered, context), person.staff_id, period_scores, parameters))
    if leaders:
        # Deepest units first, so a leader's managed staff include the sub-unit leaders already classified.
        ordered = sorted(measured.values(), key=lambda person: person.unit_path)
        paths = [person.unit_path for person in ordered]
        level_of = {evaluation.staff_id: evaluation.proposed_level for evaluation in evaluations}
        for leader, evaluation in sorted(leaders, key=lambda entry: -len(entry[0].unit_path)):
            first, last = bisect.bisect_left(paths, leader.unit_path), bisect.bisect_left(paths, leader.unit_path + "\uffff")
            team = [person for person in ordered[first:last] if person.staff_id != leader.staff_id]
            managed = [Level(level_of[person.staff_id]) for person in team if level_of.get(person.staff_id)]
            unit_work = [result for person in team + [leader] for result in work_results(person.items)]
            evaluation.inputs["unit"] = unit_snapshot(unit_work, managed)
            _store(evaluation, _assess(_facts(leader, period, evaluation, entered, context), leader.staff_id, period_scores, parameters))
            level_of[leader.staff_id] = evaluation.proposed_level
    score_seconds = time.perf_counter() - lap_started

    lap_started = time.perf_counter()
    # One upsert: new people are inserted, known ones get the computed fields only (the head's input stays).
    bulk.upsert(evaluations, COMPUTED_FIELDS)
    change = _period_change(period, audit_action="evaluation_period.run", fields={"run_at": clock.now()}, audit_extra={"evaluations": len(evaluations)})
    perform(period, workflow=PERIOD_FLOW, action="run", actor=actor, change=change)
    if timings is not None:
        timings.update({"read_seconds": read_seconds, "score_seconds": score_seconds, "write_seconds": time.perf_counter() - lap_started})
    return len(evaluations)


def _assess(facts: PersonFacts, staff_id: int, period_scores: dict[int, list[float]], parameters: dict[Regime, Any]) -> Assessment:
    """The rules for one person: a year under a 100-point regime averages its periods (Decree 335 Art. 17 cl. 3)."""
    regime = facts.chosen_regime
    if regime in SCORED_REGIMES and period_scores.get(staff_id):
        return assess_335_year(facts, period_scores[staff_id], parameters[regime], regime)
    return assess(facts, parameters[regime])


def year_period_scores(period: EvaluationPeriod) -> dict[int, list[float]]:
    """For a year: each person's scores of the year's locked or published quarters (or, without quarters, months)
    of the same scope. Decree 335/2025/NĐ-CP Art. 17 cl. 3: the year's score is their average (including the scores
    a previous agency forwards after a transfer, Art. 19). Empty for a month or a quarter."""
    if period.kind != PeriodKind.YEAR:
        return {}
    done = [PeriodStatus.LOCKED, PeriodStatus.PUBLISHED]
    for kind in (PeriodKind.QUARTER, PeriodKind.MONTH):
        rows = Evaluation.objects.filter(
            period__year=period.year, period__kind=kind, period__status__in=done, period__agency=period.agency, score__isnull=False
        ).values_list("staff_id", "score")
        scores: dict[int, list[float]] = defaultdict(list)
        for staff_id, score in rows:
            if score is not None:
                scores[staff_id].append(float(score))
        if scores:
            return dict(scores)
    return {}


def _facts(person: Measured, period: EvaluationPeriod, evaluation: bulk.RunRow, entered: dict[int, tuple[Any, ...]], context: PeriodContext) -> PersonFacts:
    _staff_id, _general, leader_factors, months_worked, is_on_leave = entered.get(person.staff_id, (None, None, None, None, False))
    return person_facts(
        key=person.code,
        staff_type=person.staff_type,
        is_leader=person.is_leader,
        period=period,
        inputs=evaluation.inputs,
        general=evaluation.general_scores,
        is_disciplined=person.is_disciplined,
        regime=evaluation.regime,
        leader_factors=leader_factors,
        organisation_level=context.organisation_level(person.unit_id, person.agency_id, heads_agency=person.heads_agency) if person.is_leader else "",
        months_worked=months_worked,
        is_on_leave=bool(is_on_leave),
    )


def rescore(evaluation: Evaluation) -> Assessment:
    """Re-run the rules on the stored snapshot (after the head scores the general criteria or the leader factors,
    or enters the months worked)."""
    staff = evaluation.staff
    period = evaluation.period
    organisation_level = ""
    if staff.is_leader:
        ratings: dict[int | None, str] = dict(
            OrganisationRating.objects.filter(period=period, agency_id=evaluation.unit.agency_id).values_list("unit_id", "level")
        )
        heads_agency = getattr(staff.user, "role", None) == Role.AGENCY_HEAD
        organisation_level = ratings.get(None, "") if heads_agency else ratings.get(evaluation.unit_id, "")
    facts = person_facts(
        key=staff.code,
        staff_type=staff.staff_type,
        is_leader=staff.is_leader,
        period=period,
        inputs=evaluation.inputs,
        general=evaluation.general_scores,
        is_disciplined=evaluation.is_disciplined,
        regime=evaluation.regime,
        leader_factors=evaluation.leader_factors,
        organisation_level=organisation_level,
        months_worked=evaluation.months_worked,
        is_on_leave=evaluation.is_on_sick_or_maternity_leave,
    )
    parameters = period.criteria_for(evaluation.regime).scoring_parameters()
    if evaluation.regime in SCORED_REGIMES and period.kind == PeriodKind.YEAR:
        scores = year_period_scores(period).get(evaluation.staff_id)
        if scores:
            return assess_335_year(facts, scores, parameters, Regime(evaluation.regime))
    return assess(facts, parameters)


@transaction.atomic
def period_start_review(*, period: EvaluationPeriod, actor: User) -> EvaluationPeriod:
    """Close self-assessment and open the heads' review."""
    _check_period(period, actor, "start_review")
    perform(period, workflow=PERIOD_FLOW, action="start_review", actor=actor, change=_period_change(period, audit_action="evaluation_period.start_review"))
    return period
