"""API shapes for same-day staffing rounds."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from telework.accounts.api_inputs import BodyIn, IsoDate, ObjectId


class StaffingRoundIn(BodyIn):
    """A round: title, deadline (local time when no offset is given), units by id; none: every special unit."""

    title: str = Field(min_length=1, max_length=200)
    deadline: dt.datetime
    unit_ids: list[ObjectId] = Field(default_factory=list, max_length=2000)
    reference_number: str = Field(default="", max_length=64)
    recipients: str = Field(default="", max_length=2000)


class StaffingRowIn(BodyIn):
    needed_on_site: int = Field(ge=0, le=100000)
    proposed_at_home: int = Field(ge=0, le=100000)
    reason: str = Field(default="", max_length=2000)
    late: bool = False


class StaffingDecisionIn(BodyIn):
    on_site_minimum: int = Field(ge=0, le=100000)
    home_cap: int = Field(ge=0, le=100000)
    starts_on: IsoDate
    ends_on: IsoDate
    note: str = Field(default="", max_length=500)


class StaffingDecisionOut(Schema):
    on_site_minimum: int
    home_cap: int
    starts_on: dt.date
    ends_on: dt.date
    policy_id: int | None


class StaffingRowOut(Schema):
    id: int
    unit_id: int
    unit: str
    agency: str
    total_staff: int
    needed_on_site: int | None
    proposed_at_home: int | None
    reason: str
    status: str
    status_label: str
    is_late: bool
    filled_at: dt.datetime | None
    signed_off_at: dt.datetime | None
    decision: StaffingDecisionOut | None


class StaffingTotalsOut(Schema):
    units: int
    filled: int
    missing: int
    waiting: int
    late: int
    signed: int
    total_staff: int
    needed_on_site: int
    proposed_at_home: int


class StaffingRoundOut(Schema):
    id: int
    title: str
    reference_number: str
    recipients: str
    deadline: dt.datetime
    state: str
    state_label: str
    totals: StaffingTotalsOut
    rows: list[StaffingRowOut]
