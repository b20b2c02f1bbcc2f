"""API shapes for eligibility. They mirror ``EligibilityDecision.as_dict()`` exactly, so the API and
``manage.py eligibility --json`` print the same JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


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
