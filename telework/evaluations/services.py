"""Writes for evaluations: one decision = one service = one transaction + audit row(s).

The period moves open → self-assessment → head review → locked → published (``models.TRANSITIONS``). The rules
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
from django.utils.translation import gettext as _

from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.evaluations import bulk, permissions
from telework.evaluations.measure import Measured, measure, person_facts, unit_snapshot, work_results
from telework.evaluations.models import (
    REVIEW_STATES,
    TRANSITIONS,
    AppealDecision,
    CriteriaSet,
    Evaluation,
    EvaluationPeriod,
    LevelChoice,
    PeriodKind,
    PeriodStatus,
)
from telework.evaluations.scoring import (
    GENERAL_CRITERIA,
    Assessment,
    Level,
    PersonFacts,
    QuotaCandidate,
    QuotaDrop,
    Regime,
    assess,
    assess_335_year,
    enforce_quota,
    level_label,
    regime_for,
)
from telework.organization.models import Agency

# --------------------------------------------------------------------------------------------- helpers


def _transition(period: EvaluationPeriod, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if period.status not in sources:
        raise InvalidTransition(
            _("This period is “%(status)s”; it cannot be changed that way.") % {"status": period.get_status_display()},
            rule="evaluation_period.status",
            params={"status": period.status, "action": action},
        )
    return target


def _require_run(actor: Any, period: EvaluationPeriod) -> None:
    if not permissions.can_run(actor, period.agency):
        raise NotPermitted(_("Only Home Affairs, or the agency head or HR of this agency, runs this evaluation period."), rule="evaluations.run")


def _period_snapshot(period: EvaluationPeriod) -> dict[str, Any]:
    return {"status": period.status, "kind": period.kind, "year": period.year, "number": period.number}


def _evaluation_snapshot(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "score": evaluation.score,
        "proposed_level": evaluation.proposed_level,
        "final_level": evaluation.final_level,
        "general_scores": evaluation.general_scores,
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
    sets = {regime: published_criteria(regime, starts_on) for regime in (Regime.DECREE_335, Regime.DECREE_90)}
    criteria_335, criteria_90 = sets[Regime.DECREE_335], sets[Regime.DECREE_90]
    missing = [regime.value for regime, found in sets.items() if found is None]
    if missing or criteria_335 is None or criteria_90 is None:
        raise RuleViolation(
            _("No criteria set of %(regime)s was published before %(date)s: publish the criteria before the period starts.")
            % {"regime": ", ".join(missing), "date": starts_on.strftime("%d/%m/%Y")},
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


@transaction.atomic
def period_run(*, period: EvaluationPeriod, actor: Any, timings: dict[str, float] | None = None) -> int:
    """Compute everyone in the period's scope in bulk: measure their work, score and classify them under their
    regime, and store the proposals. A re-run keeps what people already entered (self-assessments, the head's
    scores and decisions). Leaders under Decree 90/2020 are scored after their staff, whose levels their unit
    criteria read. Returns the number of evaluations."""
    _require_run(actor, period)
    # One run at a time per period: the row lock serialises them; the caller's object sees the new state.
    list(EvaluationPeriod.objects.select_for_update().filter(pk=period.pk).values_list("pk"))
    period.refresh_from_db()
    target = _transition(period, "run")
    lap_started = time.perf_counter()
    measured = measure(period)
    scored_by_head = dict(Evaluation.objects.filter(period=period, general_scores__isnull=False).values_list("staff_id", "general_scores"))
    period_scores = year_period_scores(period)
    read_seconds = time.perf_counter() - lap_started

    lap_started = time.perf_counter()
    parameters = {regime: period.criteria_for(regime).scoring_parameters() for regime in (Regime.DECREE_335, Regime.DECREE_90)}
    evaluations: list[bulk.RunRow] = []
    leaders: list[tuple[Measured, bulk.RunRow]] = []
    for person in measured.values():
        evaluation = bulk.RunRow(
            period_id=period.pk,
            staff_id=person.staff_id,
            unit_id=person.unit_id,
            regime=regime_for(person.staff_type, period.year).value,
            peer_group=person.peer_group,
            is_disciplined=person.is_disciplined,
            worked_from_home=person.home_days > 0,
            inputs=person.snapshot(),
            general_scores=scored_by_head.get(person.staff_id),
        )
        evaluations.append(evaluation)
        if person.is_leader and evaluation.regime == Regime.DECREE_90:
            leaders.append((person, evaluation))
            continue
        facts = _facts(person, period, evaluation)
        if evaluation.regime == Regime.DECREE_335 and period_scores.get(person.staff_id):
            _store(evaluation, assess_335_year(facts, period_scores[person.staff_id], parameters[Regime.DECREE_335]))
        else:
            _store(evaluation, assess(facts, parameters[Regime(evaluation.regime)]))
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
            _store(evaluation, assess(_facts(leader, period, evaluation), parameters[Regime.DECREE_90]))
            level_of[leader.staff_id] = evaluation.proposed_level
    score_seconds = time.perf_counter() - lap_started

    lap_started = time.perf_counter()
    # One upsert: new people are inserted, known ones get the computed fields only (the head's input stays).
    bulk.upsert(evaluations, COMPUTED_FIELDS)
    before = _period_snapshot(period)
    period.status = target
    period.run_at = clock.now()
    period.save(update_fields=["status", "run_at"])
    audit_record(
        actor=actor,
        action="evaluation_period.run",
        target=period,
        before=before,
        after={**_period_snapshot(period), "evaluations": len(evaluations)},
        agency_id=_agency_id(period),
    )
    if timings is not None:
        timings.update({"read_seconds": read_seconds, "score_seconds": score_seconds, "write_seconds": time.perf_counter() - lap_started})
    return len(evaluations)


def year_period_scores(period: EvaluationPeriod) -> dict[int, list[float]]:
    """For a year: each person's scores of the year's locked or published quarters (or, without quarters, months)
    of the same scope. Decree 335/2025/NĐ-CP: the year's score is their average (including the scores a previous
    agency forwards after a transfer, domain rules A9). Empty for a month or a quarter."""
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


def _facts(person: Measured, period: EvaluationPeriod, evaluation: bulk.RunRow) -> PersonFacts:
    return person_facts(
        key=person.code,
        staff_type=person.staff_type,
        is_leader=person.is_leader,
        period=period,
        inputs=evaluation.inputs,
        general=evaluation.general_scores,
        is_disciplined=person.is_disciplined,
    )


def rescore(evaluation: Evaluation) -> Assessment:
    """Re-run the rules on the stored snapshot (after the head scores the general criteria)."""
    staff = evaluation.staff
    period = evaluation.period
    facts = person_facts(
        key=staff.code,
        staff_type=staff.staff_type,
        is_leader=staff.is_leader,
        period=period,
        inputs=evaluation.inputs,
        general=evaluation.general_scores,
        is_disciplined=evaluation.is_disciplined,
    )
    parameters = period.criteria_for(evaluation.regime).scoring_parameters()
    if evaluation.regime == Regime.DECREE_335 and period.kind == PeriodKind.YEAR:
        scores = year_period_scores(period).get(evaluation.staff_id)
        if scores:
            return assess_335_year(facts, scores, parameters)
    return assess(facts, parameters)


@transaction.atomic
def period_start_review(*, period: EvaluationPeriod, actor: Any) -> EvaluationPeriod:
    """Close self-assessment and open the heads' review."""
    _require_run(actor, period)
    before = _period_snapshot(period)
    period.status = _transition(period, "start_review")
    period.save(update_fields=["status"])
    audit_record(
        actor=actor, action="evaluation_period.start_review", target=period, before=before, after=_period_snapshot(period), agency_id=_agency_id(period)
    )
    return period


# --------------------------------------------------------------------------------------------- people


def _lock_evaluation(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("period", "staff", "unit", "period__criteria_335", "period__criteria_90").get(pk=evaluation.pk)


@transaction.atomic
def self_assess(*, evaluation: Evaluation, actor: Any, text: str, level: str = "") -> Evaluation:
    """The staff member's self-assessment (Decree 90/2020/NĐ-CP Art. 18 step 1), while the period is under review."""
    evaluation = _lock_evaluation(evaluation)
    staff = getattr(actor, "staff", None) if getattr(actor, "is_authenticated", False) else None
    if staff is None or staff.pk != evaluation.staff_id:
        raise NotPermitted(_("Only the staff member writes their own self-assessment."), rule="evaluations.self_assess")
    if evaluation.period.status not in REVIEW_STATES:
        raise InvalidTransition(_("Self-assessment is closed for this period."), rule="evaluation_period.status")
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
def head_confirm_or_change(*, evaluation: Evaluation, actor: Any, level: str, reason: str = "", general: dict[str, Any] | None = None) -> Evaluation:
    """The head scores the general criteria (optional) and confirms the proposed level or decides another one.
    A level other than the proposal needs a reason (MISSION 7: every decision explains itself)."""
    evaluation = _lock_evaluation(evaluation)
    if not permissions.can_review(actor, evaluation):
        raise NotPermitted(_("Only the head of this person's unit or agency decides their level, never their own."), rule="evaluations.review")
    if evaluation.period.status not in REVIEW_STATES:
        raise InvalidTransition(_("The levels of this period can no longer be changed."), rule="evaluation_period.status")
    before = _evaluation_snapshot(evaluation)
    if general is not None:
        maximum = evaluation.period.criteria_for(evaluation.regime).scoring_parameters().general_criterion_max
        evaluation.general_scores = _clean_general(general, maximum)
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


def quota_drops(period: EvaluationPeriod, rows: list[QuotaRow]) -> list[tuple[QuotaRow, QuotaDrop, float]]:
    """Who would move from excellent to good if the quota were enforced now, with the cap ratio that applies. The
    cap is counted among people of the same regime, per agency and per peer group (``scoring.enforce_quota``)."""
    groups: dict[tuple[int, str], list[QuotaCandidate]] = defaultdict(list)
    by_code = {row.code: row for row in rows}
    for row in rows:
        level = Level(row.level) if row.level else None
        groups[(row.agency_id, row.regime)].append(QuotaCandidate(row.code, level, row.rank_score, row.agency_id, row.peer_group, row.tie_score))
    result = []
    for (_agency, regime), candidates in sorted(groups.items()):
        cap_ratio = period.criteria_for(regime).scoring_parameters().cap_ratio
        outcome = enforce_quota(candidates, cap_ratio, Regime(regime))
        result += [(by_code[drop.key], drop, cap_ratio) for drop in outcome.drops]
    return result


@transaction.atomic
def quota_enforce(*, period: EvaluationPeriod, actor: Any) -> int:
    """Move people from excellent to good where an agency or a peer group is over the cap (HTXS ≤ cap_ratio × HTT,
    Decree 335/2025/NĐ-CP; Decree 48/2023/NĐ-CP), lowest score first. Each person keeps the explanation of their move;
    the decision is one audit row on the period listing every move."""
    _require_run(actor, period)
    list(EvaluationPeriod.objects.select_for_update().filter(pk=period.pk).values_list("pk"))
    period.refresh_from_db()
    if period.status not in REVIEW_STATES:
        raise InvalidTransition(_("The levels of this period can no longer be changed."), rule="evaluation_period.status")
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
    _require_run(actor, period)
    target = _transition(period, "lock")
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
    before = _period_snapshot(period)
    period.status, period.locked_at = target, clock.now()
    period.save(update_fields=["status", "locked_at"])
    audit_record(actor=actor, action="evaluation_period.lock", target=period, before=before, after=_period_snapshot(period), agency_id=_agency_id(period))
    return period


@transaction.atomic
def period_publish(*, period: EvaluationPeriod, actor: Any) -> EvaluationPeriod:
    """Publish the levels to the staff (Decree 90/2020/NĐ-CP Art. 18 step 5: notice, electronic preferred)."""
    _require_run(actor, period)
    before = _period_snapshot(period)
    period.status, period.published_at = _transition(period, "publish"), clock.now()
    period.save(update_fields=["status", "published_at"])
    audit_record(actor=actor, action="evaluation_period.publish", target=period, before=before, after=_period_snapshot(period), agency_id=_agency_id(period))
    return period


def _require_own_published(evaluation: Evaluation, actor: Any, message: str) -> None:
    staff = getattr(actor, "staff", None) if getattr(actor, "is_authenticated", False) else None
    if staff is None or staff.pk != evaluation.staff_id:
        raise NotPermitted(message, rule="evaluations.own")
    if evaluation.period.status != PeriodStatus.PUBLISHED:
        raise InvalidTransition(_("The results of this period are not published yet."), rule="evaluation_period.status")


@transaction.atomic
def evaluation_comment(*, evaluation: Evaluation, actor: Any, text: str) -> Evaluation:
    """The staff member's comment on their published result."""
    evaluation = _lock_evaluation(evaluation)
    _require_own_published(evaluation, actor, _("Only the staff member comments on their own result."))
    if not text.strip():
        raise ValidationFailed(_("Write your comment."), rule="comment")
    before = {"comment": evaluation.comment}
    evaluation.comment = text.strip()
    evaluation.save(update_fields=["comment", "updated_at"])
    audit_record(
        actor=actor, action="evaluation.comment", target=evaluation, before=before, after={"comment": evaluation.comment}, agency_id=evaluation.unit.agency_id
    )
    return evaluation


@transaction.atomic
def evaluation_appeal(*, evaluation: Evaluation, actor: Any, text: str) -> Evaluation:
    """Appeal the published level, once."""
    evaluation = _lock_evaluation(evaluation)
    _require_own_published(evaluation, actor, _("Only the staff member appeals their own result."))
    if evaluation.appealed_at is not None:
        raise RuleViolation(_("You have already appealed this result; an appeal is allowed once."), rule="evaluation.appeal_once")
    if not text.strip():
        raise ValidationFailed(_("Explain why you appeal."), rule="appeal_text")
    evaluation.appeal_text, evaluation.appealed_at = text.strip(), clock.now()
    evaluation.save(update_fields=["appeal_text", "appealed_at", "updated_at"])
    audit_record(actor=actor, action="evaluation.appeal", target=evaluation, after={"appeal_text": evaluation.appeal_text}, agency_id=evaluation.unit.agency_id)
    return evaluation


@transaction.atomic
def appeal_decide(*, evaluation: Evaluation, actor: Any, level: str, reason: str) -> Evaluation:
    """Decide an appeal: keep the level or change it, always with a reason."""
    evaluation = _lock_evaluation(evaluation)
    if not permissions.can_decide_appeal(actor, evaluation):
        raise NotPermitted(_("Appeals are decided by the agency head or Home Affairs."), rule="evaluations.appeal_decide")
    if evaluation.appealed_at is None or evaluation.appeal_decision:
        raise InvalidTransition(_("There is no pending appeal on this result."), rule="evaluation.appeal")
    if level not in LevelChoice.values:
        raise ValidationFailed(_("Choose one of the four levels."), rule="final_level")
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for the decision."), rule="appeal_reason")
    before = _evaluation_snapshot(evaluation)
    evaluation.appeal_decision = AppealDecision.UPHELD if level == evaluation.final_level else AppealDecision.CHANGED
    evaluation.final_level = level
    evaluation.appeal_reason = reason.strip()
    evaluation.appeal_decided_by, evaluation.appeal_decided_at = actor, clock.now()
    evaluation.save(update_fields=["appeal_decision", "final_level", "appeal_reason", "appeal_decided_by", "appeal_decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action="evaluation.appeal_decide",
        target=evaluation,
        before=before,
        after=_evaluation_snapshot(evaluation),
        reason=evaluation.appeal_reason,
        agency_id=evaluation.unit.agency_id,
    )
    return evaluation
