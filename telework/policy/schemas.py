"""API shapes for eligibility and pilots. The eligibility shapes mirror ``EligibilityDecision.as_dict()`` exactly, so the API and
``manage.py eligibility --json`` print the same JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from telework.accounts.api_inputs import BodyIn, IsoDate, ObjectId
from telework.policy.models import PilotStatus


class RuleResultOut(Schema):
    code: str
    passed: bool
    parameter: str
    params: dict[str, Any]
    reason_vi: str
    reason_en: str


class EligibilityOut(Schema):
    staff_code: str
    date: dt.date
    is_eligible: bool
    rules: list[RuleResultOut]


class PilotPhaseIn(BodyIn):
    name: str = Field(min_length=1, max_length=200)
    starts_on: IsoDate
    ends_on: IsoDate


class PilotIn(BodyIn):
    """A pilot's terms: agencies, units and positions by id (units and positions empty: every one of the agencies)."""

    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    status: PilotStatus = PilotStatus.PLANNED
    agency_ids: list[ObjectId] = Field(min_length=1, max_length=500)
    unit_ids: list[ObjectId] = Field(default_factory=list, max_length=5000)
    position_ids: list[ObjectId] = Field(default_factory=list, max_length=5000)
    phases: list[PilotPhaseIn] = Field(min_length=1, max_length=50)


class PilotPhaseOut(Schema):
    name: str
    starts_on: dt.date
    ends_on: dt.date


class PilotOut(Schema):
    id: int
    code: str
    name: str
    description: str
    status: str
    agency_ids: list[int]
    unit_ids: list[int]
    position_ids: list[int]
    phases: list[PilotPhaseOut]
