"""Eligibility over HTTP: the same decision, rule by rule, as the web page and ``manage.py eligibility``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from telework.accounts import scope
from telework.accounts.api_auth import ErrorOut
from telework.accounts.api_inputs import IsoDate
from telework.core import clock
from telework.core.exceptions import NotFound
from telework.policy.schemas import EligibilityOut
from telework.policy.selectors import eligibility_for

router = Router(tags=["eligibility"])


@router.get(
    "/eligibility/{staff_code}",
    response={200: EligibilityOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 500: ErrorOut},
    summary="Whether a staff member may work from home on a date, rule by rule",
)
def eligibility(request: HttpRequest, staff_code: str, date: IsoDate | None = None) -> dict[str, Any]:
    """Every eligibility rule (pilot scope and phase, suspension, citizen-facing and dossier-handling positions,
    one-stop desk, equipment, training, discipline) with whether it passed, the policy parameter behind it and its
    reason in Vietnamese and English. ``date`` defaults to today. A staff member outside your scope answers 404."""
    staff = scope.visible_staff(request.auth).select_related("unit__agency", "position").filter(code=staff_code).first()  # type: ignore[attr-defined]
    if staff is None:
        raise NotFound()
    return eligibility_for(staff, date or clock.today()).as_dict()
