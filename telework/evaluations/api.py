"""Evaluations over HTTP (mounted at ``/api/evaluations``): the periods you may see, one period's evaluations, one
person's breakdown (criterion by criterion, in Vietnamese and English, with the citation), and the head's decision.

Reads go through ``telework.evaluations.selectors`` scoped by the caller (outside your scope: 404); the decision
calls ``services.head_confirm_or_change`` (a rule refusing: 409/422 with the rule).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from telework.accounts.api_auth import ErrorOut, api_user
from telework.accounts.api_inputs import BodyIn, ObjectId
from telework.accounts.types import Viewer
from telework.evaluations import selectors, services
from telework.evaluations.models import Evaluation, EvaluationPeriod

router = Router(tags=["evaluations"])
READ_ERRORS: dict[int, type[ErrorOut]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 500: ErrorOut}
WRITE_ERRORS: dict[int, type[ErrorOut]] = {**READ_ERRORS, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut, 413: ErrorOut}


class PeriodOut(Schema):
    id: int
    kind: str
    year: int
    number: int
    starts_on: str
    ends_on: str
    agency: str | None
    status: str


class EvaluationOut(Schema):
    id: int
    staff_code: str
    staff_name: str
    unit: str
    regime: str
    score: float | None
    proposed_level: str
    final_level: str | None
    is_quota_drop: bool
    quota_reason: str
    appeal_due_on: str | None
    inputs: dict[str, Any]
    breakdown: list[dict[str, Any]]


class DecisionIn(BodyIn):
    level: str
    reason: str = ""
    general: dict[str, float] | None = None
    # A leader's organising ability and unity (Decree 335 Art. 15 cl. 3): 100 or 50 each.
    leader_factors: dict[str, int] | None = None
    # Annual periods: months worked in the year (Art. 11), and whether sick or maternity leave explains fewer than 6.
    months_worked: float | None = None
    is_on_sick_or_maternity_leave: bool = False


def _period_out(period: EvaluationPeriod) -> dict[str, Any]:
    return {
        "id": period.pk,
        "kind": period.kind,
        "year": period.year,
        "number": period.number,
        "starts_on": period.starts_on.isoformat(),
        "ends_on": period.ends_on.isoformat(),
        "agency": period.agency.name if period.agency else None,
        "status": period.status,
    }


def _evaluation_out(evaluation: Evaluation, viewer: Viewer, *, with_breakdown: bool) -> dict[str, Any]:
    shows_final = selectors.shows_final_level(evaluation, viewer)
    return {
        "id": evaluation.pk,
        "staff_code": evaluation.staff.code,
        "staff_name": evaluation.staff.full_name,
        "unit": evaluation.unit.name,
        "regime": evaluation.regime,
        "score": float(evaluation.score) if evaluation.score is not None else None,
        "proposed_level": evaluation.proposed_level,
        "final_level": evaluation.final_level if shows_final else None,
        "is_quota_drop": evaluation.is_quota_drop and shows_final,
        "quota_reason": selectors.quota_reason(evaluation) if shows_final else "",
        "appeal_due_on": evaluation.appeal_due_on.isoformat() if evaluation.appeal_due_on else None,
        "inputs": {key: value for key, value in evaluation.inputs.items() if key != "items"},
        "breakdown": [criterion.as_dict() for criterion in selectors.breakdown(evaluation).criteria] if with_breakdown else [],
    }


@router.get("/periods", response={200: list[PeriodOut], **READ_ERRORS}, summary="Evaluation periods you may see")
def period_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_period_out(period) for period in selectors.period_list(viewer=api_user(request))]


@router.get("/periods/{period_id}", response={200: list[EvaluationOut], **READ_ERRORS}, summary="A period's evaluations in your scope")
def period_evaluations(request: HttpRequest, period_id: ObjectId) -> list[dict[str, Any]]:
    viewer = api_user(request)
    period = selectors.period_get(viewer=viewer, period_id=period_id)
    return [_evaluation_out(evaluation, viewer, with_breakdown=False) for evaluation in selectors.evaluation_list(viewer=viewer, period=period)]


@router.get("/{evaluation_id}", response={200: EvaluationOut, **READ_ERRORS}, summary="One evaluation with its breakdown")
def evaluation_detail(request: HttpRequest, evaluation_id: ObjectId) -> dict[str, Any]:
    viewer = api_user(request)
    return _evaluation_out(selectors.evaluation_get(viewer=viewer, evaluation_id=evaluation_id), viewer, with_breakdown=True)


@router.post("/{evaluation_id}/decide", response={200: EvaluationOut, **WRITE_ERRORS}, summary="The head confirms or changes the level")
def evaluation_decide(request: HttpRequest, evaluation_id: ObjectId, payload: DecisionIn) -> dict[str, Any]:
    viewer = api_user(request)
    evaluation = selectors.evaluation_get(viewer=viewer, evaluation_id=evaluation_id)
    services.head_confirm_or_change(
        evaluation=evaluation,
        actor=viewer,
        level=payload.level,
        reason=payload.reason,
        general=payload.general,
        leader_factors={name: str(value) for name, value in payload.leader_factors.items()} if payload.leader_factors is not None else None,
        presence={"months_worked": "" if payload.months_worked is None else str(payload.months_worked), "on_leave": payload.is_on_sick_or_maternity_leave}
        if payload.months_worked is not None or payload.is_on_sick_or_maternity_leave
        else None,
    )
    return _evaluation_out(selectors.evaluation_get(viewer=viewer, evaluation_id=evaluation_id), viewer, with_breakdown=True)
