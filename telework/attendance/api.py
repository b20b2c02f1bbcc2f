"""Attendance over HTTP, for a phone: check in, check out, set the reachable status, read today's status.

Every call acts on the caller's own attendance (a token or the browser session); nobody checks in for someone
else. Writes call ``telework.attendance.services``. A refusal answers with the rule: 409 for a second check-in
(``one_check_in_per_person_per_day``), a check-out without check-in (``check_out.requires_check_in``) or a status
at the office (``reachability.home_only``); 422 for malformed input; 403 when the account has no staff record.
"""

from __future__ import annotations

from typing import Any

import pydantic
from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import AuthenticationError, ValidationError

from telework.accounts import api_auth
from telework.accounts.api_auth import BearerToken, BrowserSession, ErrorOut, api_user
from telework.accounts.models import ApiToken, User
from telework.attendance import selectors, services
from telework.attendance.schemas import CheckInIn, CheckInOut, CheckOutIn, ReachabilityIn, TodayOut, check_in_out, request_schema
from telework.core import clock
from telework.core.exceptions import NotPermitted

router = Router(tags=["attendance"], auth=[BearerToken(), BrowserSession()])

WRITE_ERRORS: dict[int, type[ErrorOut]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut, 500: ErrorOut}

# The check-in authenticates and reads its body itself (see ``check_in``), so its OpenAPI entry names what Ninja
# would have derived: the same two ways in as every endpoint, and the CheckInIn body.
CHECK_IN_DOCS: dict[str, Any] = {
    "security": [{BearerToken.__name__: []}, {BrowserSession.__name__: []}],
    "requestBody": {"required": True, "content": {"application/json": {"schema": request_schema(CheckInIn)}}},
}


def _viewer(request: HttpRequest) -> User:
    return api_user(request)


def _session_user(request: HttpRequest) -> Any:
    """The browser session's user, CSRF-checked, as ``BrowserSession`` admits them; else 401."""
    user = None if "Authorization" in request.headers else BrowserSession()(request)
    if not user:
        raise AuthenticationError()
    return user


@router.post(
    "/check-in",
    response={201: CheckInOut, **WRITE_ERRORS},
    auth=None,
    openapi_extra=CHECK_IN_DOCS,
    summary="Check in for today, at the office or at home",
)
def check_in(request: HttpRequest) -> HttpResponse:
    """Records the time and the mode you choose, compared with your unit's published roster: ``finding`` says
    whether it matches, and ``is_mismatch`` whether your head sees it flagged (at home while rostered at the
    office, at the office while rostered at home, or checked in while on leave). One check-in per day: a second
    answers 409 with the time of the first. No location is recorded."""
    # The morning peak's endpoint: a phone's check-in is one statement (services.attendance_check_in_with_token),
    # so the token is not looked up beforehand by an authenticator, and the answer is rendered as Ninja renders a
    # CheckInOut without validating our own dict again (test_the_check_in_answer_is_a_valid_check_in_out holds it).
    # The refusals are the same as everywhere: 401 before 422, the error shapes of config.api.
    key = api_auth.bearer_key(request)
    try:
        payload = CheckInIn.model_validate_json(request.body or b"{}")
    except pydantic.ValidationError as error:
        if key is None:
            _session_user(request)
        elif ApiToken.authenticate(key) is None:
            api_auth.refuse_push_only(key)
            raise AuthenticationError() from error
        raise ValidationError([dict(item) for item in error.errors(include_url=False)]) from error
    if key is not None:
        check_in = services.attendance_check_in_with_token(key=key, mode=payload.mode.value, note=payload.note)
        if check_in is None:
            api_auth.refuse_push_only(key)  # only on the refusal path: the peak's check-in reads no more
            raise AuthenticationError()
    else:
        check_in = services.attendance_check_in(actor=_session_user(request), mode=payload.mode.value, note=payload.note)
    return api_auth.json_response(request, check_in_out(check_in), status=201)


@router.post("/check-out", response={200: CheckInOut, **WRITE_ERRORS}, summary="Check out of today's check-in")
def check_out(request: HttpRequest, payload: CheckOutIn) -> dict[str, Any]:
    """Closes today's check-in; ``minutes_worked`` and ``hours`` run from check-in to check-out. Without a check-in
    today, or a second time, answers 409."""
    return check_in_out(services.attendance_check_out(actor=_viewer(request), note=payload.note))


@router.put("/reachability", response={200: CheckInOut, **WRITE_ERRORS}, summary="Tell your head whether you can be reached (at home)")
def reachability(request: HttpRequest, payload: ReachabilityIn) -> dict[str, Any]:
    """While working at home (checked in at home, not checked out): reachable, in a meeting or briefly away. Your head
    sees it on the live board with your phone number on file."""
    return check_in_out(services.attendance_set_reachability(actor=_viewer(request), status=payload.status.value))


@router.get("/today", response={200: TodayOut, 401: ErrorOut, 403: ErrorOut, 500: ErrorOut}, summary="Your attendance today")
def today(request: HttpRequest) -> dict[str, Any]:
    """Today's plan (your status in the published roster, recorded leave, public holiday) and your check-in, if any."""
    staff = selectors.own_staff(_viewer(request))
    if staff is None:
        raise NotPermitted(services.NO_STAFF_RECORD, rule="staff_record")
    mine = selectors.my_day(staff=staff, day=clock.today())
    return {
        "day": mine.day,
        "is_working_day": mine.is_working_day,
        "holiday": mine.holiday,
        "rostered": mine.roster_cell.status if mine.roster_cell else None,
        "service_point": (mine.roster_cell.service_point or None) if mine.roster_cell else None,
        "leave_kind": mine.leave_kind or None,
        "expects_check_in": mine.plan.expects_check_in,
        "check_in": check_in_out(mine.check_in) if mine.check_in else None,
    }
