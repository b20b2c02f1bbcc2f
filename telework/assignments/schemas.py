"""API shapes for work items, progress, decisions, comments, apology slips and workload."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from telework.accounts.api_inputs import BodyIn, IsoDate, ObjectId
from telework.assignments import explain, rules
from telework.assignments.models import Alert, Priority, WorkCategory, WorkItem, WorkPause, WorkStatus
from telework.assignments.selectors import current_pause
from telework.core import clock


class WorkItemIn(BodyIn):
    """New work. With ``staff_id`` of someone you decide for, it is assigned to them; without it (or with your own
    id) it is your proposal, which your head accepts or declines. A dossier (``is_legal_deadline``) needs its code,
    the day it was received and its legal deadline in working days; ``due_on`` then defaults to the legal due date
    (weekends and Vietnamese public holidays not counted) and may not fall after it."""

    staff_id: ObjectId | None = Field(None, description="Whom to assign to; empty to propose work for yourself")
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=8000)
    estimated_hours: Decimal = Field(..., gt=0, le=2000, description="Effort in hours, spread over the working days from start to deadline")
    starts_on: IsoDate | None = Field(None, description="Default: today")
    due_on: IsoDate | None = None
    priority: Priority = Priority.NORMAL
    category: WorkCategory = Field(
        WorkCategory.GENERAL, description="general, or a category a distancing switch may pause: inspection, citizen_reception, gathering, field_visit"
    )
    is_legal_deadline: bool = False
    dossier_code: str = Field("", max_length=64)
    dossier_received_on: IsoDate | None = None
    legal_deadline_working_days: int | None = Field(None, ge=1, le=365)


class ProgressIn(BodyIn):
    progress_percent: int = Field(..., ge=0, le=100, description="How much of the work is done")
    hours_spent: Decimal = Field(Decimal(0), ge=0, le=24, description="Hours spent on work_date")
    work_date: IsoDate | None = Field(None, description="The day the hours were worked (default today; never in the future)")
    note: str = Field("", max_length=4000)


class NoteIn(BodyIn):
    note: str = Field("", max_length=4000)


class ProposalCommentIn(BodyIn):
    comment: str = Field("", max_length=4000)


class WorkItemReasonIn(BodyIn):
    reason: str = Field(..., max_length=4000)


class AcceptIn(BodyIn):
    rating: int = Field(..., ge=1, le=5, description="Quality of the result, 1 (poor) to 5 (excellent)")
    comment: str = Field("", max_length=4000)


class CommentBodyIn(BodyIn):
    body: str = Field(..., max_length=4000)


class ApologySlipIn(BodyIn):
    reason: str = Field(..., max_length=4000, description="Why the result is late, as the citizen will read it")
    new_due_date: IsoDate = Field(..., description="The new date for the result: a working day after the current deadline")


class WorkItemStaffOut(Schema):
    id: int
    code: str
    full_name: str


class AlertOut(Schema):
    kind: str
    severity: str
    rule: str = Field(description="The rule or parameter that raised it (stall_working_days, behind_schedule_gap, apology_slip_missing…)")
    day: dt.date
    message: str
    is_escalated: bool


class LoadWarningOut(Schema):
    """A week in which the person's planned work passes 120 % of the office norm once this work is assigned."""

    rule: str = Field(description="workload_over_norm")
    week_of: dt.date = Field(description="The Monday of the ISO week")
    planned_hours: float
    norm_hours: float
    ratio: float
    message: str


class PauseOut(Schema):
    """A pause of the item by a city-wide switch (open while ``resumed_on`` is empty)."""

    paused_on: dt.date
    switch: str = Field(description="The switch that paused the work (distancing), empty when a policy did")
    switch_label: str
    resumed_on: dt.date | None
    working_days_paused: int | None = Field(description="Set on resume: the working days the deadline moved by")
    working_days_so_far: int = Field(description="Working days paused up to today (the deadline moves by these if it resumed tomorrow)")
    due_on_before: dt.date
    due_on_after: dt.date | None
    legal_deadline_kept: bool = Field(description="A deadline fixed by law: not moved; handle the dossier online or issue an apology slip")
    message: str


class WorkItemOut(Schema):
    id: int
    staff: WorkItemStaffOut
    unit_id: int
    title: str
    description: str
    estimated_hours: Decimal
    starts_on: dt.date
    due_on: dt.date
    priority: Priority
    category: WorkCategory
    category_label: str
    is_paused: bool
    pause: PauseOut | None = Field(description="The open pause, when a city-wide switch paused the work")
    is_legal_deadline: bool
    dossier_code: str
    dossier_received_on: dt.date | None
    legal_deadline_working_days: int | None
    legal_due_on: dt.date | None = Field(description="The legal due date computed from receipt; due_on differs only after an apology slip")
    status: WorkStatus
    status_label: str
    progress_percent: int
    hours_spent: Decimal
    last_activity_on: dt.date
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    decision_comment: str = Field(description="The head's last reason: why returned, declined or cancelled")
    quality_rating: int | None
    rating_comment: str
    alerts: list[AlertOut] = Field(description="Current stall and deadline alerts")
    load_warnings: list[LoadWarningOut] = Field(
        default_factory=list,
        description="Only in the answer to an assignment: the weeks it puts the person past 120 % of the office norm (a warning, not a refusal)",
    )


def load_warning_out(full_name: str, monday: dt.date, load: rules.Workload) -> dict[str, Any]:
    return {
        "rule": "workload_over_norm",
        "week_of": monday,
        "planned_hours": load.planned_hours,
        "norm_hours": load.norm_hours,
        "ratio": load.ratio or 0.0,
        "message": explain.describe_overload(full_name, monday, load),
    }


def alert_out(alert: Alert) -> dict[str, Any]:
    return {
        "kind": alert.kind,
        "severity": alert.severity,
        "rule": alert.rule,
        "day": alert.day,
        "message": explain.describe_alert(alert.kind, alert.params),
        "is_escalated": alert.is_escalated,
    }


def pause_out(pause: WorkPause, *, today: dt.date) -> dict[str, Any]:
    resumed_or_tomorrow = pause.resumed_on or today + dt.timedelta(days=1)
    return {
        "paused_on": pause.paused_on,
        "switch": pause.switch_kind,
        "switch_label": explain.switch_label(pause.switch_kind),
        "resumed_on": pause.resumed_on,
        "working_days_paused": pause.working_days_paused,
        "working_days_so_far": rules.paused_working_days(starts_on=pause.item.starts_on, paused_on=pause.paused_on, resumed_on=resumed_or_tomorrow),
        "due_on_before": pause.due_on_before,
        "due_on_after": pause.due_on_after,
        "legal_deadline_kept": pause.legal_deadline_kept,
        "message": explain.describe_pause(pause, today=today) if pause.resumed_on is None else explain.describe_resume(pause),
    }


def work_item_out(item: WorkItem) -> dict[str, Any]:
    alerts = getattr(item, "open_alerts", None)
    if alerts is None:
        alerts = list(item.alerts.filter(resolved_at__isnull=True))
    pause = current_pause(item)
    return {
        "id": item.pk,
        "staff": {"id": item.staff.pk, "code": item.staff.code, "full_name": item.staff.full_name},
        "unit_id": item.unit_id,
        "title": item.title,
        "description": item.description,
        "estimated_hours": item.estimated_hours,
        "starts_on": item.starts_on,
        "due_on": item.due_on,
        "priority": item.priority,
        "category": item.category,
        "category_label": str(item.get_category_display()),
        "is_paused": item.is_paused,
        "pause": pause_out(pause, today=clock.today()) if pause is not None else None,
        "is_legal_deadline": item.is_legal_deadline,
        "dossier_code": item.dossier_code,
        "dossier_received_on": item.dossier_received_on,
        "legal_deadline_working_days": item.legal_deadline_working_days,
        "legal_due_on": item.legal_due_on,
        "status": item.status,
        "status_label": str(item.get_status_display()),
        "progress_percent": item.progress_percent,
        "hours_spent": item.hours_spent,
        "last_activity_on": item.last_activity_on,
        "submitted_at": item.submitted_at,
        "decided_at": item.decided_at,
        "decision_comment": item.decision_comment,
        "quality_rating": item.quality_rating,
        "rating_comment": item.rating_comment,
        "alerts": [alert_out(alert) for alert in alerts],
    }


class WorkItemPageOut(Schema):
    items: list[WorkItemOut]
    count: int
    page: int
    page_size: int


class AttachmentOut(Schema):
    id: int
    filename: str
    kind: str
    size: int
    url: str


class ProgressOut(Schema):
    id: int
    work_date: dt.date
    progress_percent: int
    hours_spent: Decimal
    note: str
    attachments: list[AttachmentOut]
    item: WorkItemOut


class CommentOut(Schema):
    id: int
    author: str
    created_at: dt.datetime
    body: str


class ApologySlipOut(Schema):
    sequence: int
    issued_on: dt.date
    reason: str
    previous_due_date: dt.date
    new_due_date: dt.date
    item: WorkItemOut


class WorkloadOut(Schema):
    days: list[dt.date] = Field(description="The working days considered (weekends and public holidays dropped)")
    planned_hours: float
    norm_hours: float = Field(description="office_norm_hours_per_day × the working days")
    ratio: float | None
    status: str = Field(description="under (< 80 % of the norm), balanced, over (> 120 %), or none")
    is_short: bool = Field(description="True when a registration for these home days should warn that the planned work falls short")
