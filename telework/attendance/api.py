"""Attendance over HTTP, for a phone: check in, check out, set the reachable status, read today's status.

Every call acts on the caller's own attendance (a token or the browser session); nobody checks in for someone
else. Writes call ``telework.attendance.services``. A refusal answers with the rule: 409 for a second check-in
(``one_check_in_per_person_per_day``), a check-out without check-in (``check_out.requires_check_in``) or a status
at the office (``reachability.home_only``); 422 for malformed input; 403 when the account has no staff record.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.responses import Status

from telework.accounts.api_auth import BearerToken, BrowserSession, ErrorOut
from telework.attendance import selectors, services
from telework.attendance.schemas import CheckInIn, CheckInOut, CheckOutIn, ReachabilityIn, TodayOut, check_in_out
from telework.core.exceptions import NotPermitted


class PhoneToken(BearerToken):
    """``Authorization: Bearer tw_…`` with exactly the rule of ``BearerToken`` (an unrevoked token of an active user,
    its last use stamped), read together with the caller's check-in facts for today in one indexed query and stamped
    with one UPDATE (``selectors.caller_by_token``); the check-in then uses those facts instead of reading them again.

    The morning peak is the reason: through the ORM, the token's lookup and stamp alone cost more CPU than the whole
    check-in after them (measured by ``bench/checkin.py``).
    """

    # Shown in the OpenAPI document, where the scheme is listed under this class's name.
    openapi_description = "The same API token as BearerToken (Account → API tokens), checked the same way; used by /api/attendance."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        now = timezone.now()
        caller = selectors.caller_by_token(key=token, day=timezone.localdate(now), now=now)
        if caller is None:
            return None
        request.user = caller.user
        request.check_in_context = caller.context  # type: ignore[attr-defined]
        return caller.user


router = Router(tags=["attendance"], auth=[PhoneToken(), BrowserSession()])

WRITE_ERRORS: dict[int, type[ErrorOut]] = {401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _viewer(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


@router.post("/check-in", response={201: CheckInOut, **WRITE_ERRORS}, summary="Check in for today, at the office or at home")
def check_in(request: HttpRequest, payload: CheckInIn) -> Status[dict[str, Any]]:
    """Records the time and the mode you choose, compared with your unit's published roster: ``finding`` says
    whether it matches, and ``is_mismatch`` whether your head sees it flagged (at home while rostered at the
    office, at the office while rostered at home, or checked in while on leave). One check-in per day: a second
    answers 409 with the time of the first. No location is recorded."""
    check_in = services.attendance_check_in(
        actor=_viewer(request), mode=payload.mode.value, note=payload.note, context=getattr(request, "check_in_context", None)
    )
    return Status(201, check_in_out(check_in))


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


@router.get("/today", response={200: TodayOut, 401: ErrorOut, 403: ErrorOut}, summary="Your attendance today")
def today(request: HttpRequest) -> dict[str, Any]:
    """Today's plan (your status in the published roster, recorded leave, public holiday) and your check-in, if any."""
    staff = selectors.own_staff(_viewer(request))
    if staff is None:
        raise NotPermitted(services.NO_STAFF_RECORD, rule="staff_record")
    mine = selectors.my_day(staff=staff, day=timezone.localdate())
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
