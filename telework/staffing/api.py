"""Same-day staffing rounds over HTTP: the same services and the same aggregate as the screens. Home Affairs opens,
closes and decides; a unit head fills a row; an agency head signs it off. An id outside your scope answers 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from telework.accounts.api_auth import ErrorOut, api_user
from telework.accounts.api_inputs import ObjectId
from telework.core.exceptions import NotFound, NotPermitted, ValidationFailed
from telework.organization.models import Unit
from telework.staffing import permissions, selectors, services
from telework.staffing.models import ReportRound, ReportRow
from telework.staffing.schemas import StaffingDecisionIn, StaffingRoundIn, StaffingRoundOut, StaffingRowIn

router = Router(tags=["staffing"])

ERRORS: dict[int, type[ErrorOut]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut, 500: ErrorOut}
MAX_DATABASE_ID = 2**31


def _round_out(request: HttpRequest, report_round: ReportRound) -> dict[str, Any]:
    aggregate = selectors.round_aggregate(api_user(request), report_round)
    return {
        "id": report_round.pk,
        "title": report_round.title,
        "reference_number": report_round.reference_number,
        "recipients": report_round.recipients,
        "deadline": report_round.deadline,
        "state": report_round.state,
        "state_label": str(report_round.get_state_display()),
        "totals": {
            "units": aggregate.units,
            "filled": aggregate.filled,
            "missing": aggregate.missing,
            "waiting": aggregate.waiting,
            "late": aggregate.late,
            "signed": aggregate.signed,
            "total_staff": aggregate.total_staff,
            "needed_on_site": aggregate.needed_on_site,
            "proposed_at_home": aggregate.proposed_at_home,
        },
        "rows": [
            {
                "id": line.row.pk,
                "unit_id": line.row.unit_id,
                "unit": line.row.unit.name,
                "agency": line.row.unit.agency.name,
                "total_staff": line.row.total_staff,
                "needed_on_site": line.row.needed_on_site,
                "proposed_at_home": line.row.proposed_at_home,
                "reason": line.row.reason,
                "status": line.status.value,
                "status_label": line.status_label,
                "is_late": line.row.is_late,
                "filled_at": line.row.filled_at,
                "signed_off_at": line.row.signed_off_at,
                "decision": {
                    "on_site_minimum": line.decision.on_site_minimum,
                    "home_cap": line.decision.home_cap,
                    "starts_on": line.decision.starts_on,
                    "ends_on": line.decision.ends_on,
                    "policy_id": line.decision.policy_id,
                }
                if line.decision
                else None,
            }
            for line in aggregate.lines
        ],
    }


def _round(request: HttpRequest, round_id: int) -> ReportRound:
    if round_id >= MAX_DATABASE_ID:
        raise NotFound()
    return selectors.round_for(api_user(request), round_id)


def _row(request: HttpRequest, row_id: int) -> ReportRow:
    if row_id >= MAX_DATABASE_ID:
        raise NotFound()
    return selectors.row_for(api_user(request), row_id)


@router.post("/rounds", response={201: StaffingRoundOut, **ERRORS}, summary="Open a same-day staffing round (Home Affairs)")
def round_open(request: HttpRequest, payload: StaffingRoundIn) -> Status[dict[str, Any]]:
    """Addressed to ``unit_ids``, or, when empty, to every special unit (a one-stop desk or a duty post). The deadline
    must be later than now; the units' heads are told."""
    viewer = api_user(request)
    if not permissions.can_run_rounds(viewer):
        raise NotPermitted(rule="staffing.open")
    if payload.unit_ids:
        units = list(Unit.objects.filter(pk__in=[pk for pk in payload.unit_ids if pk < MAX_DATABASE_ID]))
        unknown = set(payload.unit_ids) - {unit.pk for unit in units}
        if unknown:
            raise ValidationFailed(_("Unknown id %(id)s.") % {"id": min(unknown)}, rule="unit_ids", params={"id": min(unknown)})
    else:
        units = list(selectors.special_units())
    deadline = payload.deadline if timezone.is_aware(payload.deadline) else timezone.make_aware(payload.deadline)
    report_round = services.round_open(
        actor=viewer, title=payload.title, deadline=deadline, units=units, reference_number=payload.reference_number, recipients=payload.recipients
    )
    return Status(201, _round_out(request, report_round))


@router.get("/rounds/{round_id}", response={200: StaffingRoundOut, **ERRORS}, summary="A round and its live aggregate")
def round_detail(request: HttpRequest, round_id: ObjectId) -> dict[str, Any]:
    """Each row you may read with its status (waiting, missing, filled, late, signed off) and the totals."""
    return _round_out(request, _round(request, round_id))


@router.post("/rounds/{round_id}/close", response={200: StaffingRoundOut, **ERRORS}, summary="Close a round (Home Affairs)")
def round_close(request: HttpRequest, round_id: ObjectId) -> dict[str, Any]:
    report_round = _round(request, round_id)
    return _round_out(request, services.round_close(actor=api_user(request), report_round=report_round))


@router.put("/rows/{row_id}", response={200: StaffingRoundOut, **ERRORS}, summary="Fill a unit's row (the unit's head)")
def row_fill(request: HttpRequest, row_id: ObjectId, payload: StaffingRowIn) -> dict[str, Any]:
    """Before the deadline; after it only with ``late`` true (the row is flagged late)."""
    row = _row(request, row_id)
    services.row_fill(
        actor=api_user(request),
        row=row,
        needed_on_site=payload.needed_on_site,
        proposed_at_home=payload.proposed_at_home,
        reason=payload.reason,
        late=payload.late,
    )
    return _round_out(request, row.report_round)


@router.post("/rows/{row_id}/sign-off", response={200: StaffingRoundOut, **ERRORS}, summary="Sign off a filled row (the agency head)")
def row_sign_off(request: HttpRequest, row_id: ObjectId) -> dict[str, Any]:
    row = _row(request, row_id)
    services.row_sign_off(actor=api_user(request), row=row)
    return _round_out(request, row.report_round)


@router.post("/rows/{row_id}/decision", response={201: StaffingRoundOut, **ERRORS}, summary="Record the decision for a unit (Home Affairs)")
def row_decide(request: HttpRequest, row_id: ObjectId, payload: StaffingDecisionIn) -> Status[dict[str, Any]]:
    """The round must be closed. The decision becomes the unit's policy override for the period (refused, 422, when
    looser than the city's policy, or when the period starts in the past); the day after, the unit gets back what it
    had. Posting again for a decided unit (the round closed or decided) replaces its decision — also how a decision
    is ended early; 409 when the decision is over or the unit's policy was changed after it."""
    row = _row(request, row_id)
    services.round_decide(
        actor=api_user(request),
        row=row,
        on_site_minimum=payload.on_site_minimum,
        home_cap=payload.home_cap,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        note=payload.note,
    )
    row.report_round.refresh_from_db()
    return Status(201, _round_out(request, row.report_round))
