"""API shapes for rosters: a unit-week roster with its grid, today's lists, edits, swaps and generations."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from telework.accounts.api_inputs import BodyIn, IsoDate, ObjectId
from telework.rosters.models import LeaveKind, LeaveRequest, Roster, RosterRun, SwapRequest, UnitEventKind
from telework.rosters.selectors import RosterGrid, TodayPerson, TodayUnit, explanation_lines


class RosterUnitOut(Schema):
    id: int
    code: str
    name: str
    agency_id: int
    agency: str


class RosterStaffOut(Schema):
    id: int
    code: str
    full_name: str
    position: str


class CellOut(Schema):
    day: dt.date
    status: str = Field(description="office, home, leave or desk")
    service_point_id: int | None
    label: str = Field(description="What the notice board says: Cơ quan, Tại nhà, Nghỉ phép or the desk's name")
    is_manual: bool = Field(description="Changed by hand (or by a swap) after generation")
    leave_kind: str
    problems: list[str] = Field(description="Hard rules the checker finds broken on this cell, on today's facts")


class RowOut(Schema):
    staff: RosterStaffOut
    is_leader: bool
    is_eligible: bool
    home_days: int
    target: int = Field(description="Home days the person should get this week if the unit has room (fairness yardstick)")
    cells: list[CellOut]


class PointStaffingOut(Schema):
    service_point_id: int
    name: str
    required: int
    staffed: int


class DayTotalsOut(Schema):
    day: dt.date
    on_site: int
    home: int
    leave: int
    present: int
    headcount: int
    home_limit: int
    onsite_minimum: int
    leader_on_site: bool | None
    points: list[PointStaffingOut]
    events: list[str]


class FindingOut(Schema):
    rule: str
    rule_label: str
    message: str
    period: str
    staff_id: int | None
    service_point_id: int | None
    relaxable: bool


class RosterOut(Schema):
    id: int
    unit: RosterUnitOut
    week: str
    week_start: dt.date
    version: int
    status: str
    is_current: bool
    days: list[dt.date]
    policy: dict[str, Any]
    certificate: dict[str, Any]
    explanation: list[str] = Field(description="Why rules could not all be met, in the request's language")
    input_hash: str
    output_hash: str
    reason: str
    created_at: dt.datetime
    published_at: dt.datetime | None
    rows: list[RowOut]
    totals: list[DayTotalsOut]
    findings: list[FindingOut] = Field(description="Hard rules broken now (city policy), from the independent checker")
    warnings: list[FindingOut] = Field(description="Rules the head may relax that the roster relaxes now")


class GenerateIn(BodyIn):
    reason: str = Field("", max_length=200)


class GenerateManyIn(BodyIn):
    week: str = Field(..., description="ISO week, e.g. 2026-W49", examples=["2026-W49"])
    agency: str | None = Field(None, description="Agency code; empty for the whole city")


class CellIn(BodyIn):
    staff_id: ObjectId
    day: IsoDate
    status: Literal["office", "home", "desk"]
    service_point_id: ObjectId | None = Field(None, description="Required with status desk")
    dry_run: bool = Field(False, description="Only validate, change nothing")


class WarningOut(Schema):
    rule: str
    rule_label: str
    date: str
    message: str


class CellResultOut(Schema):
    applied: bool
    cell: CellOut | None
    warnings: list[WarningOut]


class SwapIn(BodyIn):
    counterpart_id: ObjectId
    requester_day: IsoDate
    counterpart_day: IsoDate
    reason: str = Field("", max_length=2000)


class SwapDecisionIn(BodyIn):
    comment: str = Field("", max_length=2000, description="Reason (required to reject)")


class SwapOut(Schema):
    id: int
    roster_id: int
    requester: RosterStaffOut
    counterpart: RosterStaffOut
    requester_day: dt.date
    counterpart_day: dt.date
    status: str
    reason: str
    decision_comment: str
    created_at: dt.datetime
    decided_at: dt.datetime | None


class LeaveIn(BodyIn):
    staff_id: ObjectId
    starts_on: IsoDate
    ends_on: IsoDate
    kind: LeaveKind = LeaveKind.ANNUAL
    note: str = Field("", max_length=300)


class LeaveOut(Schema):
    id: int
    staff: RosterStaffOut
    starts_on: dt.date
    ends_on: dt.date
    kind: str
    note: str
    cancelled_at: dt.datetime | None


class LeaveRequestIn(BodyIn):
    kind: LeaveKind = LeaveKind.ANNUAL
    starts_on: IsoDate
    ends_on: IsoDate
    note: str = Field("", max_length=300)


class LeaveDecisionIn(BodyIn):
    comment: str = Field("", max_length=2000, description="The head's comment (required to reject)")


class LeaveRequestOut(Schema):
    id: int
    staff: RosterStaffOut
    kind: str
    kind_label: str
    starts_on: dt.date
    ends_on: dt.date
    working_days: int
    note: str
    status: str
    status_label: str
    decision_comment: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    leave_id: int | None


class UnitEventIn(BodyIn):
    day: IsoDate
    title: str = Field(..., max_length=200)
    kind: UnitEventKind = UnitEventKind.MEETING
    is_for_everyone: bool = True
    attendee_ids: list[ObjectId] = Field(default_factory=list)


class UnitEventOut(Schema):
    id: int
    unit_id: int
    day: dt.date
    title: str
    kind: str
    is_for_everyone: bool
    attendee_ids: list[int]


class TodayPersonOut(Schema):
    staff: RosterStaffOut
    status: str
    phone: str
    service_point: str | None
    leave_kind: str


class TodayUnitOut(Schema):
    unit: RosterUnitOut
    day: dt.date
    roster_id: int | None
    is_published: bool
    on_site: list[TodayPersonOut]
    at_desk: list[TodayPersonOut]
    at_home: list[TodayPersonOut]
    on_leave: list[TodayPersonOut]


class RunOut(Schema):
    id: int
    week: str
    agency: str | None
    status: str
    units_total: int
    units_done: int
    summary: dict[str, Any]
    error: str
    started_at: dt.datetime
    finished_at: dt.datetime | None


def unit_ref(unit: Any) -> dict[str, Any]:
    return {"id": unit.pk, "code": unit.code, "name": unit.name, "agency_id": unit.agency_id, "agency": unit.agency.name}


def staff_ref(staff: Any) -> dict[str, Any]:
    return {"id": staff.pk, "code": staff.code, "full_name": staff.full_name, "position": staff.position.name}


def cell_out(cell: Any) -> dict[str, Any]:
    return {
        "day": cell.day,
        "status": cell.status,
        "service_point_id": cell.service_point.pk if cell.service_point else None,
        "label": cell.label,
        "is_manual": cell.is_manual,
        "leave_kind": cell.leave_kind,
        "problems": list(cell.problems),
    }


def _finding(item: Any) -> dict[str, Any]:
    return {
        "rule": item.rule,
        "rule_label": item.rule_label,
        "message": item.message,
        "period": item.period,
        "staff_id": item.staff_id,
        "service_point_id": item.point_id,
        "relaxable": item.is_relaxable,
    }


def roster_out(roster: Roster, grid: RosterGrid) -> dict[str, Any]:
    return {
        "id": roster.pk,
        "unit": unit_ref(roster.unit),
        "week": roster.iso_week,
        "week_start": roster.week_start,
        "version": roster.version,
        "status": roster.status,
        "is_current": roster.is_current,
        "days": grid.days,
        "policy": roster.policy,
        "certificate": roster.certificate,
        "explanation": explanation_lines(roster),
        "input_hash": roster.input_hash,
        "output_hash": roster.output_hash,
        "reason": roster.reason,
        "created_at": roster.created_at,
        "published_at": roster.published_at,
        "rows": [
            {
                "staff": {"id": row.staff.pk, "code": row.staff.code, "full_name": row.staff.full_name, "position": row.position_name},
                "is_leader": row.is_leader,
                "is_eligible": row.is_eligible,
                "home_days": row.home_days,
                "target": row.target,
                "cells": [cell_out(cell) for cell in row.cells],
            }
            for row in grid.rows
        ],
        "totals": [
            {
                "day": total.day,
                "on_site": total.on_site,
                "home": total.home,
                "leave": total.leave,
                "present": total.present,
                "headcount": total.headcount,
                "home_limit": total.home_limit,
                "onsite_minimum": total.onsite_minimum,
                "leader_on_site": total.leader_on_site,
                "points": [
                    {"service_point_id": item.point.pk, "name": item.point.name, "required": item.required, "staffed": item.staffed} for item in total.points
                ],
                "events": total.events,
            }
            for total in grid.totals
        ],
        "findings": [_finding(item) for item in grid.findings],
        "warnings": [_finding(item) for item in grid.warnings],
    }


def swap_out(swap: SwapRequest) -> dict[str, Any]:
    return {
        "id": swap.pk,
        "roster_id": swap.roster_id,
        "requester": staff_ref(swap.requester),
        "counterpart": staff_ref(swap.counterpart),
        "requester_day": swap.requester_day,
        "counterpart_day": swap.counterpart_day,
        "status": swap.status,
        "reason": swap.reason,
        "decision_comment": swap.decision_comment,
        "created_at": swap.created_at,
        "decided_at": swap.decided_at,
    }


def _person(person: TodayPerson) -> dict[str, Any]:
    return {
        "staff": {"id": person.staff.pk, "code": person.staff.code, "full_name": person.staff.full_name, "position": person.position_name},
        "status": person.status,
        "phone": person.phone,
        "service_point": person.service_point.name if person.service_point else None,
        "leave_kind": person.leave_kind,
    }


def today_out(today: TodayUnit) -> dict[str, Any]:
    return {
        "unit": unit_ref(today.unit),
        "day": today.day,
        "roster_id": today.roster.pk if today.roster else None,
        "is_published": today.is_published,
        "on_site": [_person(person) for person in today.on_site],
        "at_desk": [_person(person) for person in today.at_desk],
        "at_home": [_person(person) for person in today.at_home],
        "on_leave": [_person(person) for person in today.on_leave],
    }


def run_out(run: RosterRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "week": run.iso_week,
        "agency": run.agency.code if run.agency_id and run.agency else None,
        "status": run.status,
        "units_total": run.units_total,
        "units_done": run.units_done,
        "summary": run.summary,
        "error": run.error,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
    }


def leave_request_out(request: LeaveRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "staff": staff_ref(request.staff),
        "kind": request.kind,
        "kind_label": str(request.get_kind_display()),
        "starts_on": request.starts_on,
        "ends_on": request.ends_on,
        "working_days": request.working_days,
        "note": request.note,
        "status": request.status,
        "status_label": str(request.get_status_display()),
        "decision_comment": request.decision_comment,
        "created_at": request.created_at,
        "decided_at": request.decided_at,
        "leave_id": request.leave_id,
    }
