"""Registrations over HTTP: register home days, decide them, read them within one's scope.

Every write calls the service in ``telework.registrations.services`` (which holds the rules, the locks and the
audit row); every read goes through ``telework.registrations.selectors`` scoped by the caller. A registration
the caller may not see answers 404; one they may see but not act on answers 403; a rule refusing answers 409
with the rule and one detail per date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.params import P, QueryEx
from ninja.responses import Status

from telework.accounts.api_auth import NO_STAFF_RECORD, VALIDATION_FAILED, ErrorOut, api_user
from telework.accounts.api_inputs import MAX_PAGE, ObjectId
from telework.accounts.models import User
from telework.core import calendar, clock
from telework.core.exceptions import NotFound, NotPermitted, ValidationFailed
from telework.organization import scope
from telework.registrations import selectors, services
from telework.registrations.models import RegistrationStatus
from telework.registrations.schemas import (
    RegistrationCommentIn,
    RegistrationIn,
    RegistrationOut,
    RegistrationPageOut,
    RegistrationReasonIn,
    RequiredCommentIn,
    UnitOverviewOut,
    registration_out,
)

router = Router(tags=["registrations"])

READ_ERRORS: dict[int, type[ErrorOut]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 500: ErrorOut}
WRITE_ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
    500: ErrorOut,
}
MAX_PAGE_SIZE = 200


def _viewer(request: HttpRequest) -> User:
    return api_user(request)


def _request_fields(payload: RegistrationIn) -> dict[str, Any]:
    return {
        "starts_on": payload.starts_on,
        "ends_on": payload.ends_on,
        "mode": payload.mode.value,
        "weekdays": payload.weekdays,
        "dates": payload.dates,
        "skipped_dates": payload.skipped_dates,
        "equipment_attested": [item.value for item in payload.equipment_attested],
        "commitment_accepted": payload.commitment_accepted,
        "work_plan": payload.work_plan,
    }


def _fresh(request: HttpRequest, registration_id: ObjectId) -> dict[str, Any]:
    return registration_out(selectors.registration_get(viewer=_viewer(request), registration_id=registration_id), request=request)


@router.get("/registrations", response={200: RegistrationPageOut, **READ_ERRORS}, summary="Registrations in your scope, newest first")
def registration_list(
    request: HttpRequest,
    status: RegistrationStatus | None = None,
    mine: bool = False,
    unit: ObjectId | None = None,
    page: QueryEx[int, P(ge=1, le=MAX_PAGE)] = 1,
    page_size: QueryEx[int, P(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> dict[str, Any]:
    """Staff see their own; a unit head their unit's subtree; agency heads and HR their agency; Home Affairs, city
    leadership and administrators the whole city. Filter by ``status``, ``unit`` (id) or ``mine`` (only your own).
    Pages of ``page_size`` (at most 200)."""
    queryset = selectors.registration_list(viewer=_viewer(request), filters={"status": status, "mine": mine, "unit": unit})
    offset = (page - 1) * page_size
    items = list(queryset.prefetch_related("days")[offset : offset + page_size])
    return {"items": [registration_out(item, request=request) for item in items], "count": queryset.count(), "page": page, "page_size": page_size}


@router.get("/registrations/{registration_id}", response={200: RegistrationOut, **READ_ERRORS}, summary="One registration")
def registration_detail(request: HttpRequest, registration_id: ObjectId) -> dict[str, Any]:
    """The registration with its home days, status and the last decision. Outside your scope: 404."""
    return _fresh(request, registration_id)


@router.post("/registrations", response={201: RegistrationOut, **WRITE_ERRORS}, summary="Register your own home days")
def registration_create(request: HttpRequest, payload: RegistrationIn) -> Status[dict[str, Any]]:
    """Submit a registration for yourself. Checked at once against eligibility, the equipment and commitment the
    policy requires, your weekly and monthly limits and the unit's daily cap given what is already approved; a
    refusal answers 409 with the first rule in ``rule`` and every finding (per date) in ``details``."""
    viewer = _viewer(request)
    me = scope.own_staff(viewer)
    if me is None:
        raise NotPermitted(NO_STAFF_RECORD, rule="staff_record")
    registration = services.registration_submit(
        staff=me,
        actor=viewer,
        **_request_fields(payload),
    )
    return Status(201, _fresh(request, registration.pk))


@router.put("/registrations/{registration_id}", response={200: RegistrationOut, **WRITE_ERRORS}, summary="Resubmit after changes were requested")
def registration_resubmit(request: HttpRequest, registration_id: ObjectId, payload: RegistrationIn) -> dict[str, Any]:
    """Only the staff member, only while the status is "changes_requested"; validated like a new registration."""
    registration = selectors.registration_get(viewer=_viewer(request), registration_id=registration_id)
    services.registration_resubmit(
        registration=registration,
        actor=_viewer(request),
        **_request_fields(payload),
    )
    return _fresh(request, registration_id)


@router.post("/registrations/{registration_id}/approve", response={200: RegistrationOut, **WRITE_ERRORS}, summary="Approve a registration")
def registration_approve(request: HttpRequest, registration_id: ObjectId, payload: RegistrationCommentIn) -> dict[str, Any]:
    """The direct superior or a head in charge approves. Every rule is checked again against what is approved
    now, under a lock on the unit: a cap reached answers 409 naming it (``max_home_share``, ``min_onsite_share``,
    ``desk_staff_on_site``…)."""
    registration = selectors.registration_get(viewer=_viewer(request), registration_id=registration_id)
    services.registration_approve(registration=registration, actor=_viewer(request), comment=payload.comment)
    return _fresh(request, registration_id)


@router.post("/registrations/{registration_id}/reject", response={200: RegistrationOut, **WRITE_ERRORS}, summary="Reject a registration (reason required)")
def registration_reject(request: HttpRequest, registration_id: ObjectId, payload: RegistrationReasonIn) -> dict[str, Any]:
    """The staff member sees the reason."""
    registration = selectors.registration_get(viewer=_viewer(request), registration_id=registration_id)
    services.registration_reject(registration=registration, actor=_viewer(request), reason=payload.reason)
    return _fresh(request, registration_id)


@router.post(
    "/registrations/{registration_id}/request-changes", response={200: RegistrationOut, **WRITE_ERRORS}, summary="Send back to the staff member for changes"
)
def registration_request_changes(request: HttpRequest, registration_id: ObjectId, payload: RequiredCommentIn) -> dict[str, Any]:
    """Say what should change; the staff member edits and resubmits (PUT)."""
    registration = selectors.registration_get(viewer=_viewer(request), registration_id=registration_id)
    services.registration_request_changes(registration=registration, actor=_viewer(request), comment=payload.comment)
    return _fresh(request, registration_id)


@router.post("/registrations/{registration_id}/revoke", response={200: RegistrationOut, **WRITE_ERRORS}, summary="Revoke an approved registration")
def registration_revoke(request: HttpRequest, registration_id: ObjectId, payload: RegistrationReasonIn) -> dict[str, Any]:
    """Home days after the policy's notice period stop counting (``revoked_effective_on`` is the last one kept)."""
    registration = selectors.registration_get(viewer=_viewer(request), registration_id=registration_id)
    services.registration_revoke(registration=registration, actor=_viewer(request), reason=payload.reason)
    return _fresh(request, registration_id)


@router.post("/registrations/{registration_id}/withdraw", response={200: RegistrationOut, **WRITE_ERRORS}, summary="Withdraw your own undecided registration")
def registration_withdraw(request: HttpRequest, registration_id: ObjectId) -> dict[str, Any]:
    """Only the staff member, before a decision (status "submitted" or "changes_requested")."""
    registration = selectors.registration_get(viewer=_viewer(request), registration_id=registration_id)
    services.registration_withdraw(registration=registration, actor=_viewer(request))
    return _fresh(request, registration_id)


@router.get(
    "/approvals/inbox", response={200: list[RegistrationOut], 401: ErrorOut, 500: ErrorOut}, tags=["approvals"], summary="Registrations awaiting your decision"
)
def approval_inbox(request: HttpRequest) -> list[dict[str, Any]]:
    """Submitted registrations you may decide (as direct superior or head in charge), oldest first."""
    return [registration_out(registration, request=request) for registration in selectors.approval_inbox(viewer=_viewer(request))]


def _week_bounds(week: str | None) -> tuple[str, dt.date, dt.date]:
    """Monday and Friday of an ISO week written "2026-W49" (this week when empty)."""
    if not week:
        today = clock.today()
        monday = today - dt.timedelta(days=today.weekday())
    else:
        found = calendar.iso_week_monday(week)
        if found is None:
            raise _bad_week(week)
        monday = found
    year, number, _weekday = monday.isocalendar()
    return f"{year}-W{number:02d}", monday, monday + dt.timedelta(days=4)


def _bad_week(week: str) -> ValidationFailed:
    return ValidationFailed(
        VALIDATION_FAILED, rule="week", details=[{"field": "week", "rule": "iso_week", "message": f"“{week}” is not an ISO week such as 2026-W49."}]
    )


@router.get(
    "/units/{unit_id}/overview",
    response={200: UnitOverviewOut, **READ_ERRORS},
    tags=["units"],
    summary="Who is at home on which day in a unit, against the cap",
)
def unit_overview(request: HttpRequest, unit_id: ObjectId, week: str | None = None) -> dict[str, Any]:
    """For each working day of the ISO ``week`` (e.g. 2026-W49; default this week): staff approved or waiting to
    be at home, how many are approved and the most the policy allows. Units outside your scope answer 404."""
    unit = scope.visible_units(_viewer(request)).select_related("agency").filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    label, first_day, last_day = _week_bounds(week)
    overview = selectors.unit_overview(unit=unit, first_day=first_day, last_day=last_day)
    days = overview["days"]
    return {
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name, "agency_id": unit.agency_id, "agency": unit.agency.name},
        "week": label,
        "first_day": first_day,
        "last_day": last_day,
        "headcount": overview["headcount"],
        "days": overview["columns"],
        "rows": [
            {
                "staff": {"id": row["staff"].pk, "code": row["staff"].code, "full_name": row["staff"].full_name, "position": row["staff"].position.name},
                "is_leader": row["staff"].is_leader,
                "cells": [{"day": day, "state": state} for day, state in zip(days, row["cells"], strict=True)],
            }
            for row in overview["rows"]
        ],
    }
