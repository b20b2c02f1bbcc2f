"""What each person and their head write: the self-assessment, the head's scores and level, a unit confirmed at
once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import ValidationFailed
from telework.evaluations import permissions
from telework.evaluations.models import (
    Evaluation,
    EvaluationPeriod,
    LevelChoice,
    PeriodKind,
)
from telework.evaluations.scoring import (
    GENERAL_CRITERIA,
    level_label,
)
from telework.evaluations.services.common import _check_evaluation, _evaluation_snapshot
from telework.evaluations.services.periods import _store, rescore

# --------------------------------------------------------------------------------------------- people


def _lock_evaluation(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("period", "staff", "unit", "period__criteria_335", "period__criteria_90").get(pk=evaluation.pk)


@transaction.atomic
def self_assess(*, evaluation: Evaluation, actor: User, text: str, level: str = "") -> Evaluation:
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
    actor: User,
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
def head_confirm_unit(*, period: EvaluationPeriod, actor: User, evaluations: list[Evaluation]) -> int:
    """Confirm the proposed level of every undecided person in ``evaluations`` the head may review (the unit's
    finalisation). People with no proposal (not classified) are left for an explicit decision."""
    confirmed = 0
    for evaluation in evaluations:
        if evaluation.final_level or not evaluation.proposed_level or not permissions.can_review(actor, evaluation):
            continue
        head_confirm_or_change(evaluation=evaluation, actor=actor, level=evaluation.proposed_level)
        confirmed += 1
    return confirmed
