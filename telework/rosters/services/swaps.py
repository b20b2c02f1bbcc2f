"""Swaps between colleagues: asked on the published week, accepted by the colleague, decided by the head.

Each move is declared in ``SWAP_WORKFLOW`` and performed by ``core.workflow.perform`` after ``swap_check`` (under
the swap's row lock); the approval re-validates the exchange on the current roster and moves the approved home days
with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import InvalidTransition, NotPermitted, ValidationFailed
from telework.core.workflow import Change, perform
from telework.organization.models import Staff
from telework.registrations import services as registration_services
from telework.rosters import selectors
from telework.rosters.models import SWAP_WORKFLOW, EntryStatus, Roster, RosterEntry, SwapRequest
from telework.rosters.services import follow_ups
from telework.rosters.services.checks import swap_check
from telework.rosters.services.editing import CellChange, CellCheck, validate_changes


def _swap_changes(roster: Roster, swap_days: Iterable[dt.date], first: Staff, second: Staff) -> list[CellChange]:
    """The cells a swap changes: on each day, the two people exchange statuses."""
    entries = {(entry.staff_id, entry.day): entry for entry in RosterEntry.objects.filter(roster=roster, staff__in=[first, second], day__in=list(swap_days))}
    changes: list[CellChange] = []
    for day in sorted(set(swap_days)):
        mine, theirs = entries.get((first.pk, day)), entries.get((second.pk, day))
        if mine is None or theirs is None:
            raise ValidationFailed(_("Both colleagues must be in the roster on %(date)s.") % {"date": day.strftime("%d/%m/%Y")}, rule="days")
        if EntryStatus.LEAVE in (mine.status, theirs.status):
            raise ValidationFailed(_("Nobody can swap a day of leave (%(date)s).") % {"date": day.strftime("%d/%m/%Y")}, rule="days")
        if (mine.status, mine.service_point_id) != (theirs.status, theirs.service_point_id):
            changes.append((first.pk, day, theirs.status, theirs.service_point_id))
            changes.append((second.pk, day, mine.status, mine.service_point_id))
    if not changes:
        raise ValidationFailed(_("The two colleagues have the same status on these days; swapping changes nothing."), rule="days")
    return changes


def _swap_snapshot(swap: SwapRequest) -> dict[str, Any]:
    return {
        "status": swap.status,
        "requester": swap.requester.code,
        "counterpart": swap.counterpart.code,
        "requester_day": swap.requester_day.isoformat(),
        "counterpart_day": swap.counterpart_day.isoformat(),
        "roster": swap.roster_id,
    }


def _snapshot_with_cells(decided: str, *, before: dict[str, Any], after: dict[str, Any]) -> Callable[[SwapRequest], dict[str, Any]]:
    """The swap's snapshot with ``before`` added while it is undecided, and ``after`` once it is ``decided``."""

    def snapshot(swap: SwapRequest) -> dict[str, Any]:
        return {**_swap_snapshot(swap), **(after if swap.status == decided else before)}

    return snapshot


def _locked(swap: SwapRequest) -> SwapRequest:
    """The swap, its row locked for the rest of the transaction, with what the checks and the audit read."""
    return SwapRequest.objects.select_for_update().select_related("roster__unit", "requester", "counterpart").get(pk=swap.pk)


def swap_request_check(*, roster: Roster, requester: Staff, counterpart: Staff, requester_day: dt.date, counterpart_day: dt.date, actor: User) -> CellCheck:
    """What ``swap_request`` would say, without asking anybody (the swap preview): who may ask, on which roster and
    days, and every hard rule the exchange would break (refused, naming the rule); relaxable rules come back as
    warnings. Nothing is written."""
    if requester.user_id is None or getattr(actor, "pk", None) != requester.user_id:
        raise NotPermitted(rule="swap.requester")
    if not roster.is_current or not roster.is_published:
        raise InvalidTransition(_("Swaps are asked on the published roster of the week."), rule="roster.status")
    if counterpart.pk == requester.pk:
        raise ValidationFailed(_("Choose a colleague other than yourself."), rule="counterpart")
    days = set(selectors.roster_days(roster))
    for field_name, day in (("requester_day", requester_day), ("counterpart_day", counterpart_day)):
        if day not in days:
            raise ValidationFailed(_("%(date)s is not a working day of this roster.") % {"date": day.strftime("%d/%m/%Y")}, rule=field_name)
    changes = _swap_changes(roster, {requester_day, counterpart_day}, requester, counterpart)
    return validate_changes(roster, changes, carry_approved_days=True)


@transaction.atomic
def swap_request(
    *, roster: Roster, requester: Staff, counterpart: Staff, requester_day: dt.date, counterpart_day: dt.date, actor: User, reason: str = ""
) -> SwapRequest:
    """A staff member asks a colleague of the same unit to exchange statuses on one or two days of a published week.
    Checked against the hard rules now (``swap_request_check``, and again when the head approves)."""
    roster = Roster.objects.select_related("unit").get(pk=roster.pk)
    swap_request_check(roster=roster, requester=requester, counterpart=counterpart, requester_day=requester_day, counterpart_day=counterpart_day, actor=actor)
    swap = SwapRequest.objects.create(
        roster=roster,
        requester=requester,
        counterpart=counterpart,
        requester_day=requester_day,
        counterpart_day=counterpart_day,
        reason=reason.strip(),
    )
    audit_record(actor=actor, action="swap.request", target=swap, after=_swap_snapshot(swap), reason=swap.reason, agency_id=roster.unit.agency_id)
    follow_ups.after_commit(follow_ups.SWAP_CHANGED, swap.pk, "requested")
    return swap


@transaction.atomic
def swap_accept(*, swap: SwapRequest, actor: User) -> SwapRequest:
    """The colleague agrees; the head decides next."""
    swap = _locked(swap)
    swap_check(swap=swap, actor=actor, action="accept").raise_if_refused()
    perform(
        swap,
        workflow=SWAP_WORKFLOW,
        action="accept",
        actor=actor,
        change=Change(
            audit_action="swap.accept",
            snapshot=_swap_snapshot,
            fields={"accepted_at": clock.now()},
            agency_id=swap.roster.unit.agency_id,
            stamp=None,
            notify=follow_ups.deferred(follow_ups.SWAP_CHANGED, swap.pk, "accepted"),
        ),
    )
    return swap


@transaction.atomic
def swap_approve(*, swap: SwapRequest, actor: User, comment: str = "") -> SwapRequest:
    """The head approves: the swap is validated again on the current roster of the week (facts may have changed since
    it was asked) and both cells change, marked as changed by hand. A swap that now breaks a rule is refused with
    the rule and nothing changes."""
    swap = _locked(swap)
    swap_check(swap=swap, actor=actor, action="approve").raise_if_refused()
    roster = Roster.objects.select_for_update().select_related("unit").filter(unit=swap.roster.unit, week_start=swap.roster.week_start, is_current=True).first()
    if roster is None:
        raise InvalidTransition(_("The roster of this week no longer exists."), rule="roster.is_current")
    changes = _swap_changes(roster, {swap.requester_day, swap.counterpart_day}, swap.requester, swap.counterpart)
    outcome = validate_changes(roster, changes, carry_approved_days=True)
    cells_before = []
    for staff_id, day, status, point_id in changes:
        entry = RosterEntry.objects.get(roster=roster, staff_id=staff_id, day=day)
        cells_before.append({"staff": staff_id, "day": day.isoformat(), "status": entry.status})
        entry.status, entry.service_point_id, entry.is_manual = status, point_id, True
        entry.save(update_fields=["status", "service_point", "is_manual"])
    # The approvals follow the home days exchanged, so the next generation of the week keeps the swap.
    people = {swap.requester.pk: swap.requester, swap.counterpart.pk: swap.counterpart}
    for staff_id, from_day, to_day in outcome.moves:
        registration_services.home_day_move(
            staff=people[staff_id], from_day=from_day, to_day=to_day, actor=actor, reason=_("Swap of days approved by the head.")
        )
    cells_after = {
        "cells": [{"staff": staff_id, "day": day.isoformat(), "status": status} for staff_id, day, status, _point in changes],
        "home_days_moved": [
            {"staff": people[staff_id].code, "from": from_day.isoformat(), "to": to_day.isoformat()} for staff_id, from_day, to_day in outcome.moves
        ],
    }
    perform(
        swap,
        workflow=SWAP_WORKFLOW,
        action="approve",
        actor=actor,
        change=Change(
            audit_action="swap.approve",
            # The audit row shows the cells as they were and as they became, beside the swap itself.
            snapshot=_snapshot_with_cells(SWAP_WORKFLOW.moves["approve"].target, before={"cells": cells_before}, after=cells_after),
            fields={"roster": roster},
            reason=comment.strip(),
            agency_id=roster.unit.agency_id,
            notify=follow_ups.deferred(follow_ups.SWAP_CHANGED, swap.pk, "approved"),
        ),
    )
    return swap


@transaction.atomic
def swap_reject(*, swap: SwapRequest, actor: User, reason: str) -> SwapRequest:
    """The colleague declines (before accepting) or the head rejects; a reason is required."""
    swap = _locked(swap)
    verdict = swap_check(swap=swap, actor=actor, action="reject")
    if isinstance(verdict.refusal, NotPermitted):
        raise verdict.refusal
    # Who may reject is answered first, then the reason, then whether the swap is still open (as before).
    if not reason.strip():
        raise ValidationFailed(_("Give a reason for rejecting the swap."), rule="reason")
    verdict.raise_if_refused()
    perform(
        swap,
        workflow=SWAP_WORKFLOW,
        action="reject",
        actor=actor,
        change=Change(
            audit_action="swap.reject",
            snapshot=_swap_snapshot,
            reason=reason.strip(),
            agency_id=swap.roster.unit.agency_id,
            notify=follow_ups.deferred(follow_ups.SWAP_CHANGED, swap.pk, "rejected"),
        ),
    )
    return swap


@transaction.atomic
def swap_withdraw(*, swap: SwapRequest, actor: User) -> SwapRequest:
    """The requester takes the request back before the head decides."""
    swap = _locked(swap)
    swap_check(swap=swap, actor=actor, action="withdraw").raise_if_refused()
    perform(
        swap,
        workflow=SWAP_WORKFLOW,
        action="withdraw",
        actor=actor,
        change=Change(audit_action="swap.withdraw", snapshot=_swap_snapshot, agency_id=swap.roster.unit.agency_id, stamp=None),
    )
    return swap
