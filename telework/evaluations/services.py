"""Writes for evaluations: one decision = one service = one transaction + audit row(s).

The period moves open → self-assessment → head review → locked → published (``models.PERIOD_FLOW``, moved by ``core.workflow.perform``). The rules
come from ``telework.evaluations.scoring``; the measured inputs from ``telework.evaluations.measure``.
"""

from __future__ import annotations

import bisect
import calendar as month_calendar
import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from telework.accounts.models import Role
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.calendar import add_working_days
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.workflow import Change, Stamp, Verdict, perform, verdict
from telework.evaluations import bulk, permissions
from telework.evaluations.measure import Measured, measure, person_facts, unit_snapshot, work_results
from telework.evaluations.models import (
    APPEAL_FLOW,
    PERIOD_FLOW,
    REVIEW_STATES,
    CriteriaSet,
    Evaluation,
    EvaluationPeriod,
    EvaluationSettings,
    LevelChoice,
    OrganisationRating,
    PeerGrouping,
    PeriodKind,
    PeriodStatus,
)
from telework.evaluations.scoring import (
    DECREE_233_IN_FORCE,
    GENERAL_CRITERIA,
    REGIME_LABELS,
    SCORED_REGIMES,
    Assessment,
    Level,
    PersonFacts,
    QuotaCandidate,
    QuotaDrop,
    QuotaGroupCheck,
    Regime,
    assess,
    assess_335_year,
    enforce_quota,
    level_label,
    regime_for,
)
from telework.organization.models import Agency

# --------------------------------------------------------------------------------------------- helpers


def _require_run(actor: Any, period: EvaluationPeriod) -> None:
    if not permissions.can_run(actor, period.agency):
        raise NotPermitted(_("Only Home Affairs, or the agency head or HR of this agency, runs this evaluation period."), rule="evaluations.run")


# ----------------------------------------------------------------------------------------- checks (write nothing)

# Steps on a period that are not moves of its table but are open in some of its states.
PERIOD_STEPS = frozenset({"enforce_quota"})


def _check_period(period: EvaluationPeriod, actor: Any, action: str) -> None:
    """Raise the refusal of ``action`` (run, start_review, enforce_quota, lock, publish) by ``actor`` on ``period``
    now: who runs the period, then the state it is in."""
    _require_run(actor, period)
    if action in PERIOD_STEPS:
        if period.status not in REVIEW_STATES:
            raise InvalidTransition(_("The levels of this period can no longer be changed."), rule="evaluation_period.status")
        return
    PERIOD_FLOW.target(period, action)


def period_check(*, period: EvaluationPeriod, actor: Any, action: str) -> Verdict:
    """May ``actor`` take ``action`` (run, start_review, enforce_quota, lock, publish) on ``period`` now, and if not,
    which rule says no (who runs it; which states allow it). Writes nothing; the period page offers the steps it
    allows. Locking also needs every level decided and the quota kept, which ``period_lock`` checks."""
    return verdict(lambda: _check_period(period, actor, action))


def _check_own_published(evaluation: Evaluation, actor: Any, message: str) -> None:
    staff = getattr(actor, "staff", None) if getattr(actor, "is_authenticated", False) else None
    if staff is None or staff.pk != evaluation.staff_id:
        raise NotPermitted(message, rule="evaluations.own")
    if evaluation.period.status != PeriodStatus.PUBLISHED:
        raise InvalidTransition(_("The results of this period are not published yet."), rule="evaluation_period.status")


def _check_evaluation(evaluation: Evaluation, actor: Any, action: str) -> None:
    """Raise the refusal of ``action`` by ``actor`` on ``evaluation`` now: who may, then the period's or the appeal's
    state."""
    if action == "self_assess":
        staff = getattr(actor, "staff", None) if getattr(actor, "is_authenticated", False) else None
        if staff is None or staff.pk != evaluation.staff_id:
            raise NotPermitted(_("Only the staff member writes their own self-assessment."), rule="evaluations.self_assess")
        if evaluation.period.status not in REVIEW_STATES:
            raise InvalidTransition(_("Self-assessment is closed for this period."), rule="evaluation_period.status")
    elif action == "review":
        if not permissions.can_review(actor, evaluation):
            raise NotPermitted(_("Only the head of this person's unit or agency decides their level, never their own."), rule="evaluations.review")
        if evaluation.period.status not in REVIEW_STATES:
            raise InvalidTransition(_("The levels of this period can no longer be changed."), rule="evaluation_period.status")
    elif action == "comment":
        _check_own_published(evaluation, actor, _("Only the staff member comments on their own result."))
    elif action == "appeal":
        _check_own_published(evaluation, actor, _("Only the staff member appeals their own result."))
        if evaluation.appealed_at is not None:
            raise RuleViolation(_("You have already appealed this result; an appeal is allowed once."), rule="evaluation.appeal_once")
    elif action == "decide_appeal":
        if not permissions.can_decide_appeal(actor, evaluation):
            raise NotPermitted(_("Appeals are decided by the agency head or Home Affairs."), rule="evaluations.appeal_decide")
        if evaluation.appealed_at is None or evaluation.appeal_decision:
            raise InvalidTransition(_("There is no pending appeal on this result."), rule="evaluation.appeal")
    else:
        raise ValueError(f"unknown evaluation action {action!r}")


def evaluation_check(*, evaluation: Evaluation, actor: Any, action: str) -> Verdict:
    """May ``actor`` take ``action`` on ``evaluation`` now — ``self_assess`` (the person, while the period is under
    review), ``review`` (their head, likewise), ``comment`` and ``appeal`` (the person, once published; one appeal),
    ``decide_appeal`` (the agency head or Home Affairs, while an appeal is pending) — and if not, which rule says no.
    Writes nothing; the evaluation pages offer the forms it allows, and the write services ask it again under the
    lock."""
    return verdict(lambda: _check_evaluation(evaluation, actor, action))


def _period_snapshot(period: EvaluationPeriod) -> dict[str, Any]:
    return {"status": period.status, "kind": period.kind, "year": period.year, "number": period.number}


def _period_change(period: EvaluationPeriod, *, audit_action: str, **values: Any) -> Change:
    """The audit row and snapshots of a period's move; a period carries no decision stamp, only the time of each
    step."""
    return Change(audit_action=audit_action, snapshot=_period_snapshot, agency_id=_agency_id(period), stamp=None, **values)


def _evaluation_snapshot(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "score": evaluation.score,
        "proposed_level": evaluation.proposed_level,
        "final_level": evaluation.final_level,
        "general_scores": evaluation.general_scores,
        "leader_factors": evaluation.leader_factors,
        "months_worked": evaluation.months_worked,
        "change_reason": evaluation.change_reason,
        "is_quota_drop": evaluation.is_quota_drop,
        "appeal_decision": evaluation.appeal_decision,
    }


def _agency_id(period: EvaluationPeriod) -> int | None:
    return period.agency_id


def period_bounds(kind: str, year: int, number: int) -> tuple[dt.date, dt.date]:
    """First and last day of month ``number``, quarter ``number`` or the year."""
    if kind == PeriodKind.MONTH:
        if not 1 <= number <= 12:
            raise ValidationFailed(_("A month is numbered 1 to 12."), rule="number", params={"number": number})
        return dt.date(year, number, 1), dt.date(year, number, month_calendar.monthrange(year, number)[1])
    if kind == PeriodKind.QUARTER:
        if not 1 <= number <= 4:
            raise ValidationFailed(_("A quarter is numbered 1 to 4."), rule="number", params={"number": number})
        last_month = number * 3
        return dt.date(year, last_month - 2, 1), dt.date(year, last_month, month_calendar.monthrange(year, last_month)[1])
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def published_criteria(regime: str, before: dt.date) -> CriteriaSet | None:
    """The latest criteria set of ``regime`` published before ``before`` (criteria are public before the period)."""
    start = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    return CriteriaSet.objects.filter(regime=regime, published_at__isnull=False, published_at__lt=start).order_by("-version").first()


# --------------------------------------------------------------------------------------------- criteria sets


@transaction.atomic
def criteria_set_publish(*, criteria_set: CriteriaSet, actor: Any) -> CriteriaSet:
    """Publish a criteria set to staff. Only Home Affairs publishes; a published set never changes (a new version
    replaces it)."""
    if not permissions.can_run(actor, None):
        raise NotPermitted(_("Only Home Affairs publishes criteria sets."), rule="evaluations.criteria")
    if criteria_set.published_at is not None:
        raise InvalidTransition(_("This criteria set is already published."), rule="criteria_set.published_at")
    criteria_set.scoring_parameters()  # a bad parameter fails here, before anyone relies on it
    criteria_set.published_at = clock.now()
    criteria_set.save(update_fields=["published_at"])
    audit_record(actor=actor, action="criteria_set.publish", target=criteria_set, after={"version": criteria_set.version, "regime": criteria_set.regime})
    return criteria_set


# Parameters Home Affairs may change in a new version, with their limits (min, max, step). The Decree 335 formula
# (Art. 16) and the deductions (Art. 14) are fixed by the decree, so their fields are not offered.
EDITABLE_PARAMETERS: dict[str, tuple[float, float, float]] = {
    "general_criterion_max": (0.5, 30.0, 0.25),
    "general_pass_share": (0.0, 1.0, 0.05),
    "cap_ratio": (0.0, 0.25, 0.01),
    "exception_cap_ratio": (0.0, 0.25, 0.01),
    "exceeded_share_for_excellent": (0.0, 1.0, 0.05),
    "short_share_for_completed": (0.0, 1.0, 0.05),
    "short_share_for_not_completed": (0.0, 1.0, 0.05),
    "minimum_months_worked": (0.0, 12.0, 0.5),
    "appeal_working_days": (1.0, 30.0, 1.0),
}


def _clean_parameters(values: dict[str, Any]) -> dict[str, float]:
    cleaned: dict[str, float] = {}
    problems = []
    for name, (low, high, _step) in EDITABLE_PARAMETERS.items():
        if name not in values or values[name] in ("", None):
            continue
        try:
            value = float(values[name])
        except (TypeError, ValueError):
            problems.append({"field": name, "message": _("Enter a number.")})
            continue
        if not low <= value <= high:
            problems.append({"field": name, "message": _("Between %(low)s and %(high)s.") % {"low": low, "high": high}})
        cleaned[name] = int(value) if name == "appeal_working_days" else value
    if problems:
        raise ValidationFailed(problems[0]["message"], rule="criteria_set.parameters", details=problems)
    return cleaned


@transaction.atomic
def criteria_set_create_version(*, regime: str, actor: Any, name: str, parameters: dict[str, Any]) -> CriteriaSet:
    """A new, unpublished version of ``regime``'s criteria: a copy of the latest version with the parameters
    changed. Only Home Affairs creates versions; a period only ever uses a version published before it starts."""
    if not permissions.can_run(actor, None):
        raise NotPermitted(_("Only Home Affairs creates and publishes criteria sets."), rule="evaluations.criteria")
    if regime not in {item.value for item in Regime}:
        raise ValidationFailed(_("Choose a legal regime."), rule="regime")
    # The latest version, locked: two versions created at once never take the same number.
    current = CriteriaSet.objects.select_for_update().filter(regime=regime).order_by("-version").first()
    values = {**(current.parameters if current else {}), **_clean_parameters(parameters)}
    criteria_set = CriteriaSet(
        regime=regime,
        version=(current.version + 1) if current else 1,
        name=name.strip() or (current.name if current else str(regime)),
        parameters=values,
        criteria=list(current.criteria) if current else [],
    )
    try:
        criteria_set.scoring_parameters()
    except ValueError as error:
        raise ValidationFailed(_("These parameters contradict each other: %(error)s.") % {"error": error}, rule="criteria_set.parameters") from error
    criteria_set.save()
    audit_record(
        actor=actor,
        action="criteria_set.create",
        target=criteria_set,
        before={"version": current.version, "parameters": current.parameters} if current else None,
        after={"version": criteria_set.version, "regime": regime, "parameters": values},
    )
    return criteria_set


# --------------------------------------------------------------------------------------------- agency settings


@transaction.atomic
def evaluation_settings_update(*, agency: Agency, actor: Any, peer_grouping: str, minimum_group_size: Any, has_own_233_regulation: bool) -> EvaluationSettings:
    """Set how an agency forms the quota's peer groups and from which size a group is capped on its own, and
    whether it has its own regulation under Decree 233/2026 (Art. 20 cl. 1). Home Affairs, or the agency head or HR."""
    if not permissions.can_run(actor, agency):
        raise NotPermitted(_("Only Home Affairs, or the agency head or HR of this agency, sets its evaluation settings."), rule="evaluations.settings")
    if peer_grouping not in PeerGrouping.values:
        raise ValidationFailed(_("Choose how peer groups are formed."), rule="peer_grouping")
    try:
        minimum = int(minimum_group_size)
    except (TypeError, ValueError):
        minimum = 0
    if not 2 <= minimum <= 500:
        raise ValidationFailed(_("The smallest group is between 2 and 500 people."), rule="minimum_group_size", details=[{"field": "minimum_group_size"}])
    settings, _created = EvaluationSettings.objects.select_for_update().get_or_create(agency=agency)
    before = {
        "peer_grouping": settings.peer_grouping,
        "minimum_group_size": settings.minimum_group_size,
        "has_own_233_regulation": settings.has_own_233_regulation,
    }
    settings.peer_grouping, settings.minimum_group_size, settings.has_own_233_regulation = peer_grouping, minimum, bool(has_own_233_regulation)
    settings.updated_by = actor
    settings.save()
    after = {"peer_grouping": peer_grouping, "minimum_group_size": minimum, "has_own_233_regulation": settings.has_own_233_regulation}
    audit_record(actor=actor, action="evaluation_settings.update", target=settings, before=before, after=after, agency_id=agency.pk)
    return settings


# --------------------------------------------------------------------------------------------- organisations


@transaction.atomic
def organisation_rate(
    *, period: EvaluationPeriod, actor: Any, agency: Agency, unit: Any = None, level: str, raise_quota: bool = False, reason: str = ""
) -> OrganisationRating:
    """Record the level of a unit (or, ``unit=None``, the agency as a whole) for the period. A head's level is capped
    by it (Decree 335 Art. 20 cl. 6) at the next computation. Whoever runs the period rates its units; the agency as a
    whole is rated by the superior body, Home Affairs here, which alone may raise the quota of excellent levels to
    the exception ceiling (Art. 20 cl. 5(b): an outstanding organisation, "nhưng không vượt quá 25%") for an agency
    rated excellent, with a reason."""
    _require_run(actor, period)
    if unit is None and not permissions.can_run(actor, None):
        raise NotPermitted(_("Only Home Affairs rates an agency as a whole."), rule="evaluations.organisation_rating")
    if period.status not in REVIEW_STATES and period.status != PeriodStatus.OPEN:
        raise InvalidTransition(_("The levels of this period can no longer be changed."), rule="evaluation_period.status")
    if period.agency_id is not None and agency.pk != period.agency_id:
        raise ValidationFailed(_("This agency is not in the period."), rule="agency")
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationFailed(_("This unit is not in the agency."), rule="unit")
    if level not in LevelChoice.values:
        raise ValidationFailed(_("Choose one of the four levels."), rule="level")
    reason = reason.strip()
    if raise_quota:
        if not permissions.can_run(actor, None):
            raise NotPermitted(_("Only Home Affairs raises an agency's quota of excellent levels."), rule="evaluations.quota_exception")
        if unit is not None or level != LevelChoice.EXCELLENT:
            raise RuleViolation(
                _("The raised quota (at most 25 %) is for an agency rated excellent as a whole (Decree 335/2025/NĐ-CP, Art. 20, cl. 5(b))."),
                rule="exception_cap_ratio",
                params={"level": level},
            )
        if not reason:
            raise ValidationFailed(_("Give the reason for raising the quota."), rule="reason")
    rating = OrganisationRating.objects.select_for_update().filter(period=period, agency=agency, unit=unit).first()
    before = {"level": rating.level, "is_quota_raised": rating.is_quota_raised} if rating else None
    if rating is None:
        rating = OrganisationRating(period=period, agency=agency, unit=unit)
    rating.level, rating.is_quota_raised, rating.reason = level, bool(raise_quota), reason
    rating.decided_by, rating.decided_at = actor, clock.now()
    rating.save()
    audit_record(
        actor=actor,
        action="organisation_rating.decide",
        target=rating,
        before=before,
        after={"level": level, "is_quota_raised": rating.is_quota_raised, "unit": unit.pk if unit else None},
        reason=reason,
        agency_id=agency.pk,
    )
    return rating


# --------------------------------------------------------------------------------------------- periods


@transaction.atomic
def period_create(*, actor: Any, kind: str, year: int, number: int, agency: Agency | None) -> EvaluationPeriod:
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
def period_run(*, period: EvaluationPeriod, actor: Any, timings: dict[str, float] | None = None) -> int:
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
def period_start_review(*, period: EvaluationPeriod, actor: Any) -> EvaluationPeriod:
    """Close self-assessment and open the heads' review."""
    _check_period(period, actor, "start_review")
    perform(period, workflow=PERIOD_FLOW, action="start_review", actor=actor, change=_period_change(period, audit_action="evaluation_period.start_review"))
    return period


# --------------------------------------------------------------------------------------------- people


def _lock_evaluation(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("period", "staff", "unit", "period__criteria_335", "period__criteria_90").get(pk=evaluation.pk)


@transaction.atomic
def self_assess(*, evaluation: Evaluation, actor: Any, text: str, level: str = "") -> Evaluation:
    """The staff member's self-assessment (Decree 90/2020/NĐ-CP Art. 18 step 1), while the period is under review."""
    evaluation = _lock_evaluation(evaluation)
    _check_evaluation(evaluation, actor, "self_assess")
    if not text.strip():
        raise ValidationFailed(_("Write your self-assessment."), rule="self_assessment")
    if level and level not in LevelChoice.values:
        raise ValidationFailed(_("Choose one of the four levels."), rule="self_level")
    before = {"self_assessment": evaluation.self_assessment, "self_level": evaluation.self_level}
    evaluation.self_assessment, evaluation.self_level, evaluation.self_assessed_at = text.strip(), level, clock.now()
    evaluation.save(update_fields=["self_assessment", "self_level", "self_assessed_at", "updated_at"])
    audit_record(
        actor=actor,
        action="evaluation.self_assess",
        target=evaluation,
        before=before,
        after={"self_assessment": evaluation.self_assessment, "self_level": level},
        agency_id=evaluation.unit.agency_id,
    )
    return evaluation


def _clean_general(values: dict[str, Any], maximum: float) -> dict[str, float]:
    cleaned: dict[str, float] = {}
    problems = []
    for code, _label in GENERAL_CRITERIA:
        try:
            value = float(values[code])
        except (KeyError, TypeError, ValueError):
            problems.append({"field": code, "message": _("Enter a number.")})
            continue
        if not 0 <= value <= maximum:
            problems.append({"field": code, "message": _("Between 0 and %(max)s.") % {"max": maximum}})
        cleaned[code] = value
    if problems:
        raise ValidationFailed(problems[0]["message"], rule="general_scores", params={"max": maximum}, details=problems)
    return cleaned


@transaction.atomic
def head_confirm_or_change(
    *,
    evaluation: Evaluation,
    actor: Any,
    level: str,
    reason: str = "",
    general: dict[str, Any] | None = None,
    leader_factors: dict[str, Any] | None = None,
    presence: dict[str, Any] | None = None,
) -> Evaluation:
    """The head scores the general criteria, judges a leader's organising ability and unity (Decree 335 Art. 15
    cl. 3: 100 % or 50 %), enters the months worked in a year (Art. 11) — each optional — and confirms the proposed
    level or decides another one. A level other than the proposal needs a reason (MISSION 7: every decision explains
    itself)."""
    evaluation = _lock_evaluation(evaluation)
    _check_evaluation(evaluation, actor, "review")
    before = _evaluation_snapshot(evaluation)
    if general is not None:
        maximum = evaluation.period.criteria_for(evaluation.regime).scoring_parameters().general_criterion_max
        evaluation.general_scores = _clean_general(general, maximum)
    if leader_factors is not None and evaluation.staff.is_leader:
        evaluation.leader_factors = _clean_leader_factors(leader_factors)
    if presence is not None and evaluation.period.kind == PeriodKind.YEAR:
        evaluation.months_worked, evaluation.is_on_sick_or_maternity_leave = _clean_presence(presence)
    if general is not None or leader_factors is not None or presence is not None:
        _store(evaluation, rescore(evaluation))
    if level not in LevelChoice.values:
        raise ValidationFailed(_("Choose one of the four levels."), rule="final_level")
    reason = reason.strip()
    if level != evaluation.proposed_level and not reason:
        raise ValidationFailed(
            _("The level differs from the proposal (%(proposed)s): give the reason.") % {"proposed": level_label(evaluation.proposed_level or None)},
            rule="change_reason",
            params={"proposed": evaluation.proposed_level, "level": level},
        )
    evaluation.final_level = level
    evaluation.change_reason = reason if level != evaluation.proposed_level else ""
    evaluation.is_quota_drop = False
    evaluation.quota_explanation = {}
    evaluation.decided_by, evaluation.decided_at = actor, clock.now()
    evaluation.save()
    audit_record(
        actor=actor,
        action="evaluation.decide",
        target=evaluation,
        before=before,
        after=_evaluation_snapshot(evaluation),
        reason=evaluation.change_reason,
        agency_id=evaluation.unit.agency_id,
    )
    return evaluation


def _clean_leader_factors(values: dict[str, Any]) -> dict[str, bool]:
    """Each factor "100" (in full) or "50" (half); anything else is refused."""
    cleaned = {}
    for name in ("organising", "unity"):
        value = str(values.get(name, ""))
        if value not in {"100", "50"}:
            raise ValidationFailed(_("Judge each leader factor at 100 % or 50 %."), rule="leader_factors", details=[{"field": name}])
        cleaned[name] = value == "100"
    return cleaned


def _clean_presence(values: dict[str, Any]) -> tuple[Decimal | None, bool]:
    """Months worked in the year (empty: the whole year), 0 to 12 by half months, and sick or maternity leave."""
    text = str(values.get("months_worked", "")).strip().replace(",", ".")
    on_leave = bool(values.get("on_leave"))
    if not text:
        return None, on_leave
    try:
        months = Decimal(text)
    except ArithmeticError:
        months = Decimal(-1)
    if not months.is_finite() or not 0 <= months <= 12 or (months * 2) % 1:
        raise ValidationFailed(_("Months worked: 0 to 12, by half months."), rule="months_worked", details=[{"field": "months_worked"}])
    return months, on_leave


@transaction.atomic
def head_confirm_unit(*, period: EvaluationPeriod, actor: Any, evaluations: list[Evaluation]) -> int:
    """Confirm the proposed level of every undecided person in ``evaluations`` the head may review (the unit's
    finalisation). People with no proposal (not classified) are left for an explicit decision."""
    confirmed = 0
    for evaluation in evaluations:
        if evaluation.final_level or not evaluation.proposed_level or not permissions.can_review(actor, evaluation):
            continue
        head_confirm_or_change(evaluation=evaluation, actor=actor, level=evaluation.proposed_level)
        confirmed += 1
    return confirmed


@dataclass(frozen=True)
class QuotaRow:
    """What the quota reads of one evaluation (read in one light query, 20,000 rows at a time)."""

    pk: int
    code: str
    level: str
    rank_score: float
    tie_score: float
    agency_id: int
    peer_group: str
    regime: str


def quota_rows(period: EvaluationPeriod) -> list[QuotaRow]:
    rows = Evaluation.objects.filter(period=period).values_list(
        "pk", "staff__code", "final_level", "proposed_level", "rank_score", "tie_score", "unit__agency_id", "peer_group", "regime"
    )
    return [QuotaRow(pk, code, final or proposed, rank, tie, agency, group, regime) for pk, code, final, proposed, rank, tie, agency, group, regime in rows]


@dataclass(frozen=True)
class QuotaGroupLine:
    """One group's verdict, with what the reader needs to understand it: the agency, the regime, the ceiling and
    the agency's grouping setting."""

    agency_id: int
    regime: Regime
    check: QuotaGroupCheck
    cap_ratio: float
    is_raised: bool
    minimum_group_size: int
    grouping: str

    def reason(self, language: str | None = None) -> str:
        return self.check.reason(self.cap_ratio, self.minimum_group_size, language)

    @property
    def grouping_label(self) -> str:
        return str(PeerGrouping(self.grouping).label)


@dataclass(frozen=True)
class QuotaCheck:
    drops: list[tuple[QuotaRow, QuotaDrop, float]]
    groups: list[QuotaGroupLine]


def quota_check(period: EvaluationPeriod, rows: list[QuotaRow], context: PeriodContext | None = None) -> QuotaCheck:
    """The quota over the period, counted among people of the same regime, per agency and per peer group
    (``scoring.enforce_quota``): who would move from excellent to good if it were enforced now, and each group's
    verdict. The ceiling is the criteria set's ``cap_ratio``, or its ``exception_cap_ratio`` for an agency allowed
    the raised quota (Decree 335 Art. 20 cl. 5(b); Decree 233 Art. 12 cl. 6); groups under the agency's minimum are
    not capped on their own."""
    context = context or period_context(period)
    groups: dict[tuple[int, str], list[QuotaCandidate]] = defaultdict(list)
    by_code = {row.code: row for row in rows}
    for row in rows:
        level = Level(row.level) if row.level else None
        groups[(row.agency_id, row.regime)].append(QuotaCandidate(row.code, level, row.rank_score, row.agency_id, row.peer_group, row.tie_score))
    drops: list[tuple[QuotaRow, QuotaDrop, float]] = []
    lines: list[QuotaGroupLine] = []
    for (agency_id, regime_value), candidates in sorted(groups.items()):
        regime = Regime(regime_value)
        parameters = period.criteria_for(regime).scoring_parameters()
        is_raised = agency_id in context.raised_agencies and regime in SCORED_REGIMES
        cap_ratio = parameters.exception_cap_ratio if is_raised else parameters.cap_ratio
        settings = context.settings_for(agency_id)
        outcome = enforce_quota(candidates, cap_ratio, regime, minimum_group_size=settings.minimum_group_size)
        drops += [(by_code[drop.key], drop, cap_ratio) for drop in outcome.drops]
        grouping = str(settings.peer_grouping)
        lines += [QuotaGroupLine(agency_id, regime, check, cap_ratio, is_raised, settings.minimum_group_size, grouping) for check in outcome.groups]
    return QuotaCheck(drops, lines)


def quota_drops(period: EvaluationPeriod, rows: list[QuotaRow]) -> list[tuple[QuotaRow, QuotaDrop, float]]:
    """Who would move from excellent to good if the quota were enforced now, with the cap ratio that applies."""
    return quota_check(period, rows).drops


@transaction.atomic
def quota_enforce(*, period: EvaluationPeriod, actor: Any) -> int:
    """Move people from excellent to good where an agency or a peer group is over the cap (HTXS ≤ cap_ratio × HTT,
    Decree 335/2025/NĐ-CP; Decree 48/2023/NĐ-CP), lowest score first. Each person keeps the explanation of their move;
    the decision is one audit row on the period listing every move."""
    _require_run(actor, period)
    list(EvaluationPeriod.objects.select_for_update().filter(pk=period.pk).values_list("pk"))
    period.refresh_from_db()
    _check_period(period, actor, "enforce_quota")
    drops = quota_drops(period, quota_rows(period))
    if not drops:
        return 0
    now = clock.now()
    Evaluation.objects.filter(pk__in=[row.pk for row, _drop, _ratio in drops]).update(
        final_level=Level.GOOD.value, is_quota_drop=True, decided_by=actor, decided_at=now, updated_at=now
    )
    bulk.update_json({row.pk: {**drop.as_record(), "cap_ratio": cap_ratio} for row, drop, cap_ratio in drops}, "quota_explanation")
    audit_record(
        actor=actor,
        action="evaluation_period.quota_enforce",
        target=period,
        after={
            "moved_to_good": [
                {"staff": row.code, "from": row.level, "scope": drop.scope, "group": drop.group, "rank_score": drop.rank_score} for row, drop, _ratio in drops
            ]
        },
        reason=drops[0][1].reason(drops[0][2], "vi"),
        agency_id=_agency_id(period),
    )
    return len(drops)


@transaction.atomic
def period_lock(*, period: EvaluationPeriod, actor: Any) -> EvaluationPeriod:
    """Lock the levels: everyone classified has a decided level and no agency or peer group is over the cap."""
    _check_period(period, actor, "lock")
    list(EvaluationPeriod.objects.select_for_update().filter(pk=period.pk).values_list("pk"))
    undecided = list(Evaluation.objects.filter(period=period, final_level="").order_by("staff__code").values_list("staff__code", flat=True))
    if undecided:
        raise RuleViolation(
            _("%(count)s person(s) have no decided level yet: %(codes)s.") % {"count": len(undecided), "codes": ", ".join(undecided[:10])},
            rule="evaluation.final_level",
            params={"count": len(undecided)},
        )
    over = quota_drops(period, quota_rows(period))
    if over:
        raise RuleViolation(
            _("The quota of excellent levels is exceeded (%(count)s move(s) needed): enforce the quota first.") % {"count": len(over)},
            rule="cap_ratio",
            params={"count": len(over)},
        )
    perform(
        period,
        workflow=PERIOD_FLOW,
        action="lock",
        actor=actor,
        change=_period_change(period, audit_action="evaluation_period.lock", fields={"locked_at": clock.now()}),
    )
    return period


@transaction.atomic
def period_publish(*, period: EvaluationPeriod, actor: Any) -> EvaluationPeriod:
    """Publish the levels to the staff (Decree 90/2020/NĐ-CP Art. 18 step 5: notice, electronic preferred)."""
    _check_period(period, actor, "publish")
    perform(
        period,
        workflow=PERIOD_FLOW,
        action="publish",
        actor=actor,
        change=_period_change(period, audit_action="evaluation_period.publish", fields={"published_at": clock.now()}),
    )
    return period


@transaction.atomic
def evaluation_comment(*, evaluation: Evaluation, actor: Any, text: str) -> Evaluation:
    """The staff member's comment on their published result."""
    evaluation = _lock_evaluation(evaluation)
    _check_evaluation(evaluation, actor, "comment")
    if not text.strip():
        raise ValidationFailed(_("Write your comment."), rule="comment")
    before = {"comment": evaluation.comment}
    evaluation.comment = text.strip()
    evaluation.save(update_fields=["comment", "updated_at"])
    audit_record(
        actor=actor, action="evaluation.comment", target=evaluation, before=before, after={"comment": evaluation.comment}, agency_id=evaluation.unit.agency_id
    )
    return evaluation


def appeal_due_on(evaluation: Evaluation) -> dt.date:
    """The day by which an appeal must be answered: ``appeal_working_days`` (7) working days after the day it was
    made, Vietnamese public holidays excluded (Decree 335/2025/NĐ-CP Art. 22; a named parameter for the other
    regimes)."""
    if evaluation.appealed_at is None:
        raise ValueError("no appeal")
    days = evaluation.period.criteria_for(evaluation.regime).scoring_parameters().appeal_working_days
    return add_working_days(timezone.localtime(evaluation.appealed_at).date(), days)


@transaction.atomic
def evaluation_appeal(*, evaluation: Evaluation, actor: Any, text: str) -> Evaluation:
    """Appeal the published level, once."""
    evaluation = _lock_evaluation(evaluation)
    _check_evaluation(evaluation, actor, "appeal")
    if not text.strip():
        raise ValidationFailed(_("Explain why you appeal."), rule="appeal_text")
    evaluation.appeal_text, evaluation.appealed_at = text.strip(), clock.now()
    evaluation.appeal_due_on = appeal_due_on(evaluation)
    evaluation.save(update_fields=["appeal_text", "appealed_at", "appeal_due_on", "updated_at"])
    audit_record(
        actor=actor,
        action="evaluation.appeal",
        target=evaluation,
        after={"appeal_text": evaluation.appeal_text, "appeal_due_on": evaluation.appeal_due_on},
        agency_id=evaluation.unit.agency_id,
    )
    return evaluation


@transaction.atomic
def appeal_decide(*, evaluation: Evaluation, actor: Any, level: str, reason: str) -> Evaluation:
    """Decide an appeal: keep the level or change it, always with a reason."""
    evaluation = _lock_evaluation(evaluation)
    _check_evaluation(evaluation, actor, "decide_appeal")
    if level not in LevelChoice.values:
        raise ValidationFailed(_("Choose one of the four levels."), rule="final_level")
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for the decision."), rule="appeal_reason")
    # Answering after the deadline is still better than never answering: it is allowed, and recorded as late.
    is_late = evaluation.appeal_due_on is not None and clock.today() > evaluation.appeal_due_on
    change = Change(
        audit_action="evaluation.appeal_decide",
        snapshot=_evaluation_snapshot,
        fields={"final_level": level},
        reason=reason.strip(),
        agency_id=evaluation.unit.agency_id,
        stamp=Stamp(by="appeal_decided_by", at="appeal_decided_at", comment="appeal_reason"),
        audit_extra={"appeal_due_on": evaluation.appeal_due_on, "is_late": is_late},
    )
    perform(evaluation, workflow=APPEAL_FLOW, action="uphold" if level == evaluation.final_level else "change", actor=actor, change=change)
    return evaluation
