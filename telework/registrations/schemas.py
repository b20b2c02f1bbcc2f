"""API shapes for registrations, decisions, the approval inbox and the unit overview."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

from telework.accounts.api_inputs import BodyIn, IsoDate
from telework.organization.models import Equipment
from telework.registrations.models import Registration, RegistrationMode, RegistrationStatus
from telework.registrations.selectors import is_suspended, request_suspension, shown_status


class RegistrationIn(BodyIn):
    """A request for home days: the same weekdays every week of the period (``mode`` "weekly", ``weekdays`` with
    0 = Monday … 4 = Friday), or chosen ``dates`` inside the period (``mode`` "dates"). Weekends and public holidays
    are dropped. The equipment attested and the commitment are required by the policy in force."""

    starts_on: IsoDate
    ends_on: IsoDate
    mode: RegistrationMode = RegistrationMode.WEEKLY
    weekdays: list[int] = Field(default_factory=list, description="0 = Monday … 4 = Friday (mode weekly)")
    dates: list[IsoDate] = Field(default_factory=list, description="ISO dates inside the period (mode dates)")
    skipped_dates: list[IsoDate] = Field(
        default_factory=list, max_length=200, description="Mode weekly: days of the pattern left out (a refusal's `details[].drop` suggests them)"
    )
    equipment_attested: list[Equipment] = Field(default_factory=list)
    commitment_accepted: bool = False
    work_plan: str = Field("", max_length=4000, description="The work planned for the home days")


class RegistrationCommentIn(BodyIn):
    comment: str = Field("", max_length=2000)


class RequiredCommentIn(BodyIn):
    comment: str = Field(..., max_length=2000, description="What the staff member should change")


class RegistrationReasonIn(BodyIn):
    reason: str = Field(..., max_length=2000)


class RegistrationStaffOut(Schema):
    id: int
    code: str
    full_name: str
    position: str


class RegistrationUnitOut(Schema):
    id: int
    code: str
    name: str
    agency_id: int
    agency: str


class HomeDayOut(Schema):
    day: dt.date
    is_counted: bool = Field(description="True while the day is approved and counts against the caps")


class RegistrationOut(Schema):
    id: int
    staff: RegistrationStaffOut
    unit: RegistrationUnitOut
    starts_on: dt.date
    ends_on: dt.date
    mode: RegistrationMode
    weekdays: list[int]
    dates: list[dt.date]
    skipped_dates: list[dt.date] = Field(description="Mode weekly: days of the pattern left out")
    home_days: list[HomeDayOut]
    status: RegistrationStatus
    shown_status: str = Field(
        description='The state to show a person: "suspended" while the city-wide telework suspension voids the approved days, else ``status``'
    )
    status_label: str = Field(description="The shown state in words, in the request's language")
    is_suspended: bool = Field(description="Approved, but its home days from ``suspended_from`` on are suspended by the city-wide telework suspension")
    suspended_from: dt.date | None
    equipment_attested: list[str]
    commitment_accepted: bool
    work_plan: str
    submitted_at: dt.datetime | None
    decided_by: str | None
    decided_on_behalf_of: str | None = Field(description="When a deputy decided under a delegation: the head in whose name they decided")
    decided_at: dt.datetime | None
    decision_comment: str
    approved_at: dt.datetime | None
    revoked_effective_on: dt.date | None = Field(description="After a revocation, the last home day kept (the policy's notice)")


def registration_out(registration: Registration, *, request: Any = None) -> dict[str, Any]:
    """The API view of a registration (its days prefetched or loaded here). ``request`` memoises the suspension read
    across a list."""
    staff = registration.staff
    unit = registration.unit
    suspension = request_suspension(request)
    shown, label = shown_status(registration, suspension)
    suspended = is_suspended(registration, suspension)
    return {
        "id": registration.pk,
        "staff": {"id": staff.pk, "code": staff.code, "full_name": staff.full_name, "position": staff.position.name},
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name, "agency_id": unit.agency_id, "agency": unit.agency.name},
        "starts_on": registration.starts_on,
        "ends_on": registration.ends_on,
        "mode": registration.mode,
        "weekdays": registration.weekdays,
        "dates": registration.requested_dates,
        "skipped_dates": registration.skipped_dates,
        "home_days": [{"day": day.day, "is_counted": day.is_counted} for day in registration.days.all()],
        "status": registration.status,
        "shown_status": shown,
        "status_label": label,
        "is_suspended": suspended,
        "suspended_from": suspension.starts_on if suspended and suspension is not None else None,
        "equipment_attested": registration.equipment_attested,
        "commitment_accepted": registration.commitment_accepted,
        "work_plan": registration.work_plan,
        "submitted_at": registration.submitted_at,
        "decided_by": str(registration.decided_by) if registration.decided_by else None,
        "decided_on_behalf_of": str(registration.decided_on_behalf_of) if registration.decided_on_behalf_of else None,
        "decided_at": registration.decided_at,
        "decision_comment": registration.decision_comment,
        "approved_at": registration.approved_at,
        "revoked_effective_on": registration.revoked_effective_on,
    }


class RegistrationPageOut(Schema):
    items: list[RegistrationOut]
    count: int
    page: int
    page_size: int


class OverviewDayOut(Schema):
    day: dt.date
    approved: int = Field(description="Staff approved to be at home that day")
    limit: int = Field(description="The most staff of the unit that may be at home that day under the policy")
    is_full: bool
    max_home_share: float


class OverviewCellOut(Schema):
    day: dt.date
    state: Literal["approved", "pending", ""] = Field(description="approved: a counted home day; pending: awaiting approval; empty: on site")


class OverviewRowOut(Schema):
    staff: RegistrationStaffOut
    is_leader: bool
    cells: list[OverviewCellOut]


class UnitOverviewOut(Schema):
    unit: RegistrationUnitOut
    week: str
    first_day: dt.date
    last_day: dt.date
    headcount: int
    days: list[OverviewDayOut]
    rows: list[OverviewRowOut]
