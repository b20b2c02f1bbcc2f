"""Shared by the evaluation services: who may run a period, the check-only answers (``period_check``,
``evaluation_check``), snapshots for the audit trail, period bounds and the criteria in force."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.workflow import Change, Verdict, verdict
from telework.evaluations import permissions
from telework.evaluations.models import (
    PERIOD_FLOW,
    REVIEW_STATES,
    CriteriaSet,
    Evaluation,
    EvaluationPeriod,
    PeriodKind,
    PeriodStatus,
)

# --------------------------------------------------------------------------------------------- helpers


def _require_run(actor: User, period: EvaluationPeriod) -> None:
    if not permissions.can_run(actor, period.agency):
        raise NotPermitted(_("Only Home Affairs, or the agency head or HR of this agency, runs this evaluation period."), rule="evaluations.run")


# ----------------------------------------------------------------------------------------- checks (write nothing)

# Steps on a period that are not moves of its table but are open in some of its states.
PERIOD_STEPS = frozenset({"enforce_quota"})


def _check_period(period: EvaluationPeriod, actor: User, action: str) -> None:
    """Raise the refusal of ``action`` (run, start_review, enforce_quota, lock, publish) by ``actor`` on ``period``
    now: who runs the period, then the state it is in."""
    _require_run(actor, period)
    if action in PERIOD_STEPS:
        if period.status not in REVIEW_STATES:
            raise InvalidTransition(_("The levels of this period can no longer be changed."), rule="evaluation_period.status")
        return
    PERIOD_FLOW.target(period, action)


def period_check(*, period: EvaluationPeriod, actor: User, action: str) -> Verdict:
    """May ``actor`` take ``action`` (run, start_review, enforce_quota, lock, publish) on ``period`` now, and if not,
    which rule says no (who runs it; which states allow it). Writes nothing; the period page offers the steps it
    allows. Locking also needs every level decided and the quota kept, which ``period_lock`` checks."""
    return verdict(lambda: _check_period(period, actor, action))


def _check_own_published(evaluation: Evaluation, actor: User, message: str) -> None:
    staff = getattr(actor, "staff", None) if actor.is_authenticated else None
    if staff is None or staff.pk != evaluation.staff_id:
        raise NotPermitted(message, rule="evaluations.own")
    if evaluation.period.status != PeriodStatus.PUBLISHED:
        raise InvalidTransition(_("The results of this period are not published yet."), rule="evaluation_period.status")


def _check_evaluation(evaluation: Evaluation, actor: User, action: str) -> None:
    """Raise the refusal of ``action`` by ``actor`` on ``evaluation`` now: who may, then the period's or the appeal's
    state."""
    if action == "self_assess":
        staff = getattr(actor, "staff", None) if actor.is_authenticated else None
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


def evaluation_check(*, evaluation: Evaluation, actor: User, action: str) -> Verdict:
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
