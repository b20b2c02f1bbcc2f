"""Rosters over HTTP (mounted at ``/api/rosters``): read a unit-week roster and today's lists, generate, edit a cell,
publish, swap days, record leave and unit events, download the notice-board Excel and PDF.

Every write calls ``telework.rosters.services`` (rules, locks, audit); every read goes through
``telework.rosters.selectors`` scoped by the caller. Outside your scope: 404; in scope but not yours to act on: 403;
a rule refusing: 409 with the rule and one detail per finding.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from telework.accounts.api_auth import ErrorOut, api_user
from telework.accounts.api_inputs import IsoDate, ObjectId
from telework.accounts.models import User
from telework.core.exceptions import NotFound, ValidationFailed
from telework.organization import scope
from telework.organization.models import Agency, ServicePoint, Staff
from telework.rosters import exports, selectors, services
from telework.rosters.models import Leave, UnitEvent
from telework.rosters.schemas import (
    CellIn,
    CellResultOut,
    GenerateIn,
    GenerateManyIn,
    LeaveIn,
    LeaveOut,
    RosterOut,
    RunOut,
    SwapDecisionIn,
    SwapIn,
    SwapOut,
    TodayUnitOut,
    UnitEventIn,
    UnitEventOut,
    cell_out,
    roster_out,
    run_out,
    staff_ref,
    swap_out,
    today_out,
)

router = Router(tags=["rosters"])

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
FILE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _viewer(request: HttpRequest) -> User:
    return api_user(request)


def _unit(request: HttpRequest, unit_id: ObjectId) -> Any:
    unit = selectors.roster_units(viewer=_viewer(request)).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit


def _full(request: HttpRequest, roster: Any) -> dict[str, Any]:
    return roster_out(roster, selectors.roster_grid(roster=roster, viewer=_viewer(request)))


def _staff_in_unit(staff_id: int, unit: Any) -> Staff:
    staff = Staff.objects.select_related("unit", "position", "user").filter(pk=staff_id, unit=unit).first()
    if staff is None:
        raise ValidationFailed(_("This person is not in this roster."), rule="staff_id")
    return staff


@router.get("/units/{unit_id}/weeks/{week}", response={200: RosterOut, **READ_ERRORS}, summary="A unit's roster for an ISO week")
def roster_for_week(request: HttpRequest, unit_id: ObjectId, week: str) -> dict[str, Any]:
    """The version you should see (``week`` like 2026-W49): the current one (draft or published) if you manage the
    unit, otherwise the newest published one; 404 when there is none. With the grid, per-day totals against the
    limits and the hard rules broken now (``findings``)."""
    unit = _unit(request, unit_id)
    roster = selectors.roster_for_week(viewer=_viewer(request), unit=unit, week_start=selectors.parse_iso_week(week))
    if roster is None:
        raise NotFound()
    return _full(request, roster)


@router.post("/units/{unit_id}/weeks/{week}/generate", response={201: RosterOut, **WRITE_ERRORS}, summary="Generate a unit's roster (new draft version)")
def roster_generate(request: HttpRequest, unit_id: ObjectId, week: str, payload: GenerateIn) -> Status[dict[str, Any]]:
    """Solves the week with CP-SAT and stores it as draft version n+1, with its certificate and, when a rule cannot be
    met, the explanation. Unit heads (their subtree), agency heads, Home Affairs and administrators."""
    unit = _unit(request, unit_id)
    roster = services.roster_generate(unit=unit, week_start=selectors.parse_iso_week(week), actor=_viewer(request), reason=payload.reason)
    return Status(201, _full(request, roster))


@router.get("/today", response={200: list[TodayUnitOut], **READ_ERRORS}, summary="Who is where today, per unit")
def today(request: HttpRequest, unit: ObjectId | None = None, agency: str | None = None, day: IsoDate | None = None) -> list[dict[str, Any]]:
    """From each unit's newest published roster: on site, at which desk, at home (with phone), on leave. One ``unit``
    (id), or every unit of an ``agency`` (code) in your scope, or every unit in your scope."""
    viewer = _viewer(request)
    unit_object = _unit(request, unit) if unit is not None else None
    agency_object = None
    if agency:
        agency_object = Agency.objects.filter(code=agency).first()
        if agency_object is None:
            raise NotFound()
    return [today_out(item) for item in selectors.roster_today(viewer=viewer, unit=unit_object, agency=agency_object, day=day)]


@router.post("/generate", response={201: RunOut, **WRITE_ERRORS}, summary="Generate every unit's roster for a week (city or agency)")
def generate_many(request: HttpRequest, payload: GenerateManyIn) -> Status[dict[str, Any]]:
    """Home Affairs and administrators. Starts a generation run; without a Celery broker it has finished when the
    response arrives. Poll ``GET /api/rosters/runs/{id}`` for progress and the summary."""
    agency = None
    if payload.agency:
        agency = Agency.objects.filter(code=payload.agency).first()
        if agency is None:
            raise ValidationFailed(_("Unknown agency code."), rule="agency")
    run = services.roster_run_start(week_start=selectors.parse_iso_week(payload.week), actor=_viewer(request), agency=agency)
    return Status(201, run_out(selectors.roster_run_get(viewer=_viewer(request), run_id=run.pk)))


@router.get("/runs/{run_id}", response={200: RunOut, **READ_ERRORS}, summary="Progress and summary of a generation run")
def run_detail(request: HttpRequest, run_id: ObjectId) -> dict[str, Any]:
    return run_out(selectors.roster_run_get(viewer=_viewer(request), run_id=run_id))


@router.get("/swaps", response={200: list[SwapOut], **READ_ERRORS}, summary="Swaps you take part in or manage")
def swap_list(request: HttpRequest, pending: bool = False) -> list[dict[str, Any]]:
    return [
        swap_out(swap)
        for swap in selectors.swap_list(viewer=_viewer(request), pending_only=pending).select_related("requester__position", "counterpart__position")[:200]
    ]


def _swap(request: HttpRequest, swap_id: ObjectId) -> Any:
    return selectors.swap_get(viewer=_viewer(request), swap_id=swap_id)


@router.post("/swaps/{swap_id}/accept", response={200: SwapOut, **WRITE_ERRORS}, summary="Accept a swap a colleague asked you for")
def swap_accept(request: HttpRequest, swap_id: ObjectId) -> dict[str, Any]:
    return swap_out(services.swap_accept(swap=_swap(request, swap_id), actor=_viewer(request)))


@router.post("/swaps/{swap_id}/approve", response={200: SwapOut, **WRITE_ERRORS}, summary="Approve an accepted swap (head; re-validated)")
def swap_approve(request: HttpRequest, swap_id: ObjectId, payload: SwapDecisionIn) -> dict[str, Any]:
    """Validated again on the current roster: a swap that now breaks a hard rule answers 409 naming it."""
    return swap_out(services.swap_approve(swap=_swap(request, swap_id), actor=_viewer(request), comment=payload.comment))


@router.post("/swaps/{swap_id}/reject", response={200: SwapOut, **WRITE_ERRORS}, summary="Reject a swap (colleague or head; reason required)")
def swap_reject(request: HttpRequest, swap_id: ObjectId, payload: SwapDecisionIn) -> dict[str, Any]:
    return swap_out(services.swap_reject(swap=_swap(request, swap_id), actor=_viewer(request), reason=payload.comment))


@router.post("/swaps/{swap_id}/withdraw", response={200: SwapOut, **WRITE_ERRORS}, summary="Withdraw your own swap request")
def swap_withdraw(request: HttpRequest, swap_id: ObjectId) -> dict[str, Any]:
    return swap_out(services.swap_withdraw(swap=_swap(request, swap_id), actor=_viewer(request)))


@router.post("/leave", response={201: LeaveOut, **WRITE_ERRORS}, summary="Record approved leave")
def leave_record(request: HttpRequest, payload: LeaveIn) -> Status[dict[str, Any]]:
    """The person's unit head, agency head or agency HR. The current rosters covering the days are updated."""
    staff = Staff.objects.select_related("unit", "position").filter(pk=payload.staff_id, unit__in=selectors.roster_units(viewer=_viewer(request))).first()
    if staff is None:
        raise NotFound()
    leave = services.leave_record(
        staff=staff, starts_on=payload.starts_on, ends_on=payload.ends_on, kind=payload.kind, note=payload.note, actor=_viewer(request)
    )
    return Status(201, _leave_out(leave))


@router.post("/leave/{leave_id}/cancel", response={200: LeaveOut, **WRITE_ERRORS}, summary="Cancel recorded leave")
def leave_cancel(request: HttpRequest, leave_id: ObjectId) -> dict[str, Any]:
    leave = (
        Leave.objects.select_related("staff__unit", "staff__position")
        .filter(pk=leave_id, staff__unit__in=selectors.roster_units(viewer=_viewer(request)))
        .first()
    )
    if leave is None:
        raise NotFound()
    return _leave_out(services.leave_cancel(leave=leave, actor=_viewer(request)))


def _leave_out(leave: Leave) -> dict[str, Any]:
    return {
        "id": leave.pk,
        "staff": staff_ref(leave.staff),
        "starts_on": leave.starts_on,
        "ends_on": leave.ends_on,
        "kind": leave.kind,
        "note": leave.note,
        "cancelled_at": leave.cancelled_at,
    }


@router.post("/units/{unit_id}/events", response={201: UnitEventOut, **WRITE_ERRORS}, summary="Add a meeting, training or team day (on site)")
def unit_event_create(request: HttpRequest, unit_id: ObjectId, payload: UnitEventIn) -> Status[dict[str, Any]]:
    """Everyone in the unit (or the listed staff) is on site that day in the next generated roster."""
    unit = _unit(request, unit_id)
    attendees = list(Staff.objects.filter(pk__in=payload.attendee_ids))
    if len(attendees) != len(set(payload.attendee_ids)):
        raise ValidationFailed(_("Unknown staff in the list."), rule="attendee_ids")
    event = services.unit_event_save(
        unit=unit, day=payload.day, title=payload.title, kind=payload.kind, is_for_everyone=payload.is_for_everyone, attendees=attendees, actor=_viewer(request)
    )
    return Status(201, _event_out(event))


@router.post("/events/{event_id}/cancel", response={200: UnitEventOut, **WRITE_ERRORS}, summary="Cancel a unit event")
def unit_event_cancel(request: HttpRequest, event_id: ObjectId) -> dict[str, Any]:
    event = UnitEvent.objects.select_related("unit").filter(pk=event_id, unit__in=selectors.roster_units(viewer=_viewer(request))).first()
    if event is None:
        raise NotFound()
    return _event_out(services.unit_event_cancel(event=event, actor=_viewer(request)))


def _event_out(event: UnitEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "unit_id": event.unit_id,
        "day": event.day,
        "title": event.title,
        "kind": event.kind,
        "is_for_everyone": event.is_for_everyone,
        "attendee_ids": sorted(event.attendees.values_list("pk", flat=True)),
    }


@router.get("/{roster_id}", response={200: RosterOut, **READ_ERRORS}, summary="One roster version")
def roster_detail(request: HttpRequest, roster_id: ObjectId) -> dict[str, Any]:
    return _full(request, selectors.roster_get(viewer=_viewer(request), roster_id=roster_id))


@router.post("/{roster_id}/cells", response={200: CellResultOut, **WRITE_ERRORS}, summary="Change one cell (validated against the hard rules)")
def roster_cell(request: HttpRequest, roster_id: ObjectId, payload: CellIn) -> dict[str, Any]:
    """Set a person's status on a day: ``office``, ``home`` or ``desk`` (with ``service_point_id``). A change that would
    break a city-policy rule answers 409 with the rule (``max_home_share``, ``desk_staff_on_site``,
    ``approved_days_only``…) and changes nothing; a rule the head may relax only warns. ``dry_run`` validates only."""
    viewer = _viewer(request)
    roster = selectors.roster_get(viewer=viewer, roster_id=roster_id)
    staff = _staff_in_unit(payload.staff_id, roster.unit)
    point = None
    if payload.service_point_id is not None:
        point = ServicePoint.objects.filter(pk=payload.service_point_id, unit=roster.unit).first()
        if point is None:
            raise ValidationFailed(_("Choose the desk or duty post."), rule="service_point_id")
    if payload.dry_run:
        outcome = services.roster_cell_check(roster=roster, staff=staff, day=payload.day, status=payload.status, service_point=point, actor=viewer)
        return {"applied": False, "cell": None, "warnings": outcome.warnings}
    services.roster_edit_cell(roster=roster, staff=staff, day=payload.day, status=payload.status, service_point=point, actor=viewer)
    grid = selectors.roster_grid(roster=roster, viewer=viewer)
    row = next(row for row in grid.rows if row.staff.pk == staff.pk)
    cell = next(cell for cell in row.cells if cell.day == payload.day)
    warnings = [
        {"rule": item.rule, "rule_label": item.rule_label, "date": item.period, "message": item.message} for item in grid.warnings if item.staff_id == staff.pk
    ]
    return {"applied": True, "cell": cell_out(cell), "warnings": warnings}


@router.post("/{roster_id}/publish", response={200: RosterOut, **WRITE_ERRORS}, summary="Publish a draft (staff are notified)")
def roster_publish(request: HttpRequest, roster_id: ObjectId) -> dict[str, Any]:
    roster = selectors.roster_get(viewer=_viewer(request), roster_id=roster_id)
    roster = services.roster_publish(roster=roster, actor=_viewer(request))
    return _full(request, roster)


@router.post("/{roster_id}/swaps", response={201: SwapOut, **WRITE_ERRORS}, summary="Ask a colleague to swap days")
def swap_request(request: HttpRequest, roster_id: ObjectId, payload: SwapIn) -> Status[dict[str, Any]]:
    """On a published roster of your own unit: on each of the two days you and the colleague exchange statuses."""
    viewer = _viewer(request)
    roster = selectors.roster_get(viewer=viewer, roster_id=roster_id)
    me = scope.own_staff(viewer)
    if me is None:
        raise NotFound()
    counterpart = _staff_in_unit(payload.counterpart_id, roster.unit)
    swap = services.swap_request(
        roster=roster,
        requester=me,
        counterpart=counterpart,
        requester_day=payload.requester_day,
        counterpart_day=payload.counterpart_day,
        reason=payload.reason,
        actor=viewer,
    )
    return Status(201, swap_out(swap))


@router.get("/{roster_id}/export.{kind}", response={200: None, **READ_ERRORS}, summary="Download the notice-board Excel (xlsx) or PDF")
def roster_export(request: HttpRequest, roster_id: ObjectId, kind: str) -> HttpResponse:
    """The layout an office posts: title, week, one row per staff member, one column per day, legend, signature."""
    if kind not in FILE_TYPES:
        raise NotFound()
    roster = selectors.roster_get(viewer=_viewer(request), roster_id=roster_id)
    content = exports.roster_xlsx([roster]) if kind == "xlsx" else exports.roster_pdf([roster])
    response = HttpResponse(content, content_type=FILE_TYPES[kind])
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(roster, kind)}"'
    return response
