"""Leave asked for by the staff member and decided by their head.

A request waits (``requested``) until a head who answers for the person approves or rejects it (with a comment), or
the person withdraws it. Each move is declared in ``LEAVE_REQUEST_WORKFLOW`` and performed by
``core.workflow.perform`` after ``leave_request_check`` (under the request's row lock). Approval records the leave
through ``facts.record_approved_leave``, exactly as a head recording it would: the current rosters (published ones
included) mark those days as leave, the solver counts the person absent, attendance expects no check-in.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core import calendar
from telework.core.audit import audit_record
from telework.core.exceptions import NotPermitted, ValidationFailed
from telework.core.workflow import Change, Verdict, perform, verdict
from telework.organization import scope
from telework.organization.delegations import person_name
from telework.organization.models import Staff
from telework.rosters import selectors
from telework.rosters.models import LEAVE_REQUEST_WORKFLOW, LeaveRequest, LeaveRequestStatus
from telework.rosters.services import follow_ups
from telework.rosters.services.facts import lock_person, overlapping_leave_refusal, record_approved_leave, validate_leave_period

NOTE_MAX_LENGTH = 300


def _own_active_staff(actor: User) -> Staff:
    me = scope.own_staff(actor)
    if me is None or not me.is_active:
        raise NotPermitted(_("Only staff members ask for leave; your account is not linked to an active staff record."), rule="leave_request.staff")
    return me


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _pending_overlap(staff: Staff, starts_on: dt.date, ends_on: dt.date) -> ValidationFailed | None:
    """The refusal of a request overlapping another request of the person still waiting for the head, or None."""
    waiting = (
        LeaveRequest.objects.filter(staff=staff, status=LeaveRequestStatus.REQUESTED, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .order_by("starts_on")
        .first()
    )
    if waiting is None:
        return None
    return ValidationFailed(
        _("You already asked for leave from %(start)s to %(end)s and your head has not decided yet; withdraw that request to change it.")
        % {"start": _date(waiting.starts_on), "end": _date(waiting.ends_on)},
        rule="starts_on",
        params={"starts_on": waiting.starts_on.isoformat(), "ends_on": waiting.ends_on.isoformat()},
    )


def _validate_request(*, staff: Staff, starts_on: dt.date, ends_on: dt.date, kind: str, note: str) -> str:
    """The note, stripped, once the request is acceptable (else the refusal). Nothing is written."""
    validate_leave_period(staff=staff, starts_on=starts_on, ends_on=ends_on, kind=kind)
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationFailed(
            _("The note is %(length)s characters long; keep it to %(limit)s.") % {"length": len(note), "limit": NOTE_MAX_LENGTH},
            rule="note",
            params={"limit": NOTE_MAX_LENGTH},
        )
    if not calendar.working_days(starts_on, ends_on):
        raise ValidationFailed(
            _("From %(start)s to %(end)s there is no working day (weekends and public holidays); there is no leave to ask for.")
            % {"start": _date(starts_on), "end": _date(ends_on)},
            rule="ends_on",
        )
    for refusal in (overlapping_leave_refusal(staff, starts_on, ends_on), _pending_overlap(staff, starts_on, ends_on)):
        if refusal is not None:
            raise refusal
    return note


def leave_request_submit_check(*, actor: User, starts_on: dt.date, ends_on: dt.date, kind: str, note: str = "") -> Verdict:
    """Whether ``actor`` may ask for this leave now, and if not the refusal naming the rule. Nothing is written."""
    return verdict(lambda: _validate_request(staff=_own_active_staff(actor), starts_on=starts_on, ends_on=ends_on, kind=kind, note=note))


def _snapshot(request: LeaveRequest) -> dict[str, Any]:
    return {
        "status": request.status,
        "staff": request.staff.code,
        "kind": request.kind,
        "starts_on": request.starts_on.isoformat(),
        "ends_on": request.ends_on.isoformat(),
        "working_days": request.working_days,
    }


@transaction.atomic
def leave_request_submit(*, actor: User, starts_on: dt.date, ends_on: dt.date, kind: str, note: str = "") -> LeaveRequest:
    """A staff member asks for leave (or a business trip) from ``starts_on`` to ``ends_on``; their heads are told.

    Refused, with nothing written: without an active staff record, for an unknown kind, dates out of order or more
    than a year, a period without a working day (``telework.core.calendar``), and a period overlapping leave in force
    or another request still waiting."""
    staff = lock_person(_own_active_staff(actor))
    note = _validate_request(staff=staff, starts_on=starts_on, ends_on=ends_on, kind=kind, note=note)
    request = LeaveRequest.objects.create(staff=staff, starts_on=starts_on, ends_on=ends_on, kind=kind, note=note)
    audit_record(actor=actor, action="leave_request.submit", target=request, after=_snapshot(request), reason=note, agency_id=staff.unit.agency_id)
    follow_ups.after_commit(follow_ups.LEAVE_REQUEST_CHANGED, request.pk, "requested")
    return request


def leave_request_check(*, request: LeaveRequest, actor: User, action: str) -> Verdict:
    """May ``actor`` ``approve`` or ``reject`` (a head who answers for the person: ``selectors.can_decide_leave``) or
    ``withdraw`` (the person) ``request`` now, by the declared ``LEAVE_REQUEST_WORKFLOW``. Nothing is written."""
    if action not in LEAVE_REQUEST_WORKFLOW.moves:
        raise ValueError(f"Unknown leave request action {action!r}")

    def check() -> None:
        if action == "withdraw":
            if request.staff.user_id is None or getattr(actor, "pk", None) != request.staff.user_id:
                raise NotPermitted(rule="leave_request.withdraw")
        elif not selectors.can_decide_leave(actor, request.staff):
            raise NotPermitted(rule=f"leave_request.{action}")
        LEAVE_REQUEST_WORKFLOW.target(request, action)

    return verdict(check)


def _on_behalf_of(actor: User, request: LeaveRequest) -> dict[str, str]:
    """For a deputy deciding under a delegation in force, the head they act for (the audit row shows both); else
    nothing, so every other row reads as before."""
    head = scope.acting_head_for(actor, request.staff)
    return {"on_behalf_of": person_name(head)} if head is not None else {}


def _locked(request: LeaveRequest) -> LeaveRequest:
    return LeaveRequest.objects.select_for_update().select_related("staff__unit").get(pk=request.pk)


@transaction.atomic
def leave_request_approve(*, request: LeaveRequest, actor: User, comment: str = "") -> LeaveRequest:
    """A head approves: the leave is recorded as if the head had recorded it (``facts.record_approved_leave``: the
    current rosters, published ones included, mark those days as leave, with the leave's own audit row), and the
    person is told. Refused, with nothing changed, when the actor does not decide for the person, the request is no
    longer waiting, or leave recorded since overlaps it."""
    lock_person(request.staff)
    request = _locked(request)
    leave_request_check(request=request, actor=actor, action="approve").raise_if_refused()
    comment = comment.strip()

    def record() -> None:
        leave = record_approved_leave(
            staff=request.staff,
            starts_on=request.starts_on,
            ends_on=request.ends_on,
            kind=request.kind,
            actor=actor,
            note=request.note,
            reason=_("Leave request approved by the head."),
        )
        request.leave = leave
        request.save(update_fields=["leave"])

    # The overlap is checked before anything is written, so that a refusal changes nothing.
    refusal = overlapping_leave_refusal(request.staff, request.starts_on, request.ends_on)
    if refusal is not None:
        raise refusal
    perform(
        request,
        workflow=LEAVE_REQUEST_WORKFLOW,
        action="approve",
        actor=actor,
        change=Change(
            audit_action="leave_request.approve",
            snapshot=_snapshot,
            audit_extra=_on_behalf_of(actor, request),
            reason=comment,
            agency_id=request.staff.unit.agency_id,
            then=record,
            notify=follow_ups.deferred(follow_ups.LEAVE_REQUEST_CHANGED, request.pk, "approved"),
        ),
    )
    return request


@transaction.atomic
def leave_request_reject(*, request: LeaveRequest, actor: User, comment: str) -> LeaveRequest:
    """A head rejects the request; a comment is required (the person reads it). Nothing else changes."""
    request = _locked(request)
    check = leave_request_check(request=request, actor=actor, action="reject")
    if isinstance(check.refusal, NotPermitted):
        raise check.refusal
    if not comment.strip():
        raise ValidationFailed(_("Say why the leave is rejected; the person reads it."), rule="comment")
    check.raise_if_refused()
    perform(
        request,
        workflow=LEAVE_REQUEST_WORKFLOW,
        action="reject",
        actor=actor,
        change=Change(
            audit_action="leave_request.reject",
            snapshot=_snapshot,
            audit_extra=_on_behalf_of(actor, request),
            reason=comment.strip(),
            agency_id=request.staff.unit.agency_id,
            notify=follow_ups.deferred(follow_ups.LEAVE_REQUEST_CHANGED, request.pk, "rejected"),
        ),
    )
    return request


@transaction.atomic
def leave_request_withdraw(*, request: LeaveRequest, actor: User) -> LeaveRequest:
    """The person takes the request back before the head decides."""
    request = _locked(request)
    leave_request_check(request=request, actor=actor, action="withdraw").raise_if_refused()
    perform(
        request,
        workflow=LEAVE_REQUEST_WORKFLOW,
        action="withdraw",
        actor=actor,
        change=Change(audit_action="leave_request.withdraw", snapshot=_snapshot, agency_id=request.staff.unit.agency_id),
    )
    return request
