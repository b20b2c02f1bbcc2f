"""Eligibility over HTTP (the same decision, rule by rule, as the web page and ``manage.py eligibility``), and pilots
for Home Affairs (the same service as the pilot form)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from telework.accounts.api_auth import ErrorOut, api_user
from telework.accounts.api_inputs import IsoDate, ObjectId
from telework.core import clock
from telework.core.exceptions import NotFound, NotPermitted, ValidationFailed
from telework.organization import scope
from telework.organization.models import Agency, Position, Unit
from telework.policy import selectors, services
from telework.policy.models import Pilot
from telework.policy.schemas import EligibilityOut, PilotIn, PilotOut
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
    staff = scope.visible_staff(api_user(request)).select_related("unit__agency", "position").filter(code=staff_code).first()
    if staff is None:
        raise NotFound()
    return eligibility_for(staff, date or clock.today()).as_dict()


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


def _pilot_out(pilot: Pilot) -> dict[str, Any]:
    return {
        "id": pilot.pk,
        "code": pilot.code,
        "name": pilot.name,
        "description": pilot.description,
        "status": pilot.status,
        "agency_ids": sorted(pilot.agencies.values_list("pk", flat=True)),
        "unit_ids": sorted(pilot.units.values_list("pk", flat=True)),
        "position_ids": sorted(pilot.positions.values_list("pk", flat=True)),
        "phases": [{"name": p.name, "starts_on": p.starts_on, "ends_on": p.ends_on} for p in pilot.phases.order_by("starts_on")],
    }


def _save_pilot(request: HttpRequest, pilot: Pilot | None, payload: PilotIn) -> Pilot:
    """Home Affairs (and system administrators) only; the same service as the pilot form."""
    viewer = api_user(request)
    if not scope.is_city_policy_maker(viewer):
        raise NotPermitted(rule="pilot.change")
    agencies = list(Agency.objects.filter(pk__in=payload.agency_ids))
    units = list(Unit.objects.filter(pk__in=payload.unit_ids))
    positions = list(Position.objects.filter(pk__in=payload.position_ids))
    unknown = {
        "agency_ids": set(payload.agency_ids) - {agency.pk for agency in agencies},
        "unit_ids": set(payload.unit_ids) - {unit.pk for unit in units},
        "position_ids": set(payload.position_ids) - {position.pk for position in positions},
    }
    for field_name, missing in unknown.items():
        if missing:
            raise ValidationFailed(_("Unknown id %(id)s.") % {"id": min(missing)}, rule=field_name, params={"id": min(missing)})
    taken = Pilot.objects.filter(code=payload.code.strip().upper())
    if pilot is not None:
        taken = taken.exclude(pk=pilot.pk)
    if taken.exists():
        raise ValidationFailed(_("Another pilot already uses the code %(code)s.") % {"code": payload.code.strip().upper()}, rule="code")
    return services.pilot_save(
        actor=viewer,
        pilot=pilot,
        code=payload.code.strip().upper(),
        name=payload.name,
        description=payload.description,
        status=payload.status.value,
        agencies=agencies,
        units=units,
        positions=positions,
        phases=[(phase.name, phase.starts_on, phase.ends_on) for phase in payload.phases],
    )


@router.post("/pilots", response={201: PilotOut, **WRITE_ERRORS}, summary="Create a pilot (Home Affairs)", tags=["pilots"])
def pilot_create(request: HttpRequest, payload: PilotIn) -> Status[dict[str, Any]]:
    """A pilot with its scope and phases. A running pilot that would cover a unit and position another running pilot
    covers on the same day answers 409 (rule ``pilot.no_overlap``, naming the other pilot, the unit, the position and
    the dates)."""
    return Status(201, _pilot_out(_save_pilot(request, None, payload)))


@router.put("/pilots/{pilot_id}", response={200: PilotOut, **WRITE_ERRORS}, summary="Change or start a pilot (Home Affairs)", tags=["pilots"])
def pilot_update(request: HttpRequest, pilot_id: ObjectId, payload: PilotIn) -> dict[str, Any]:
    """Replace a pilot's terms; ``status`` ``running`` starts it. Refused like creation when it would overlap a running
    pilot."""
    # Out-of-range ids answer 404 rather than overflow the database's integer.
    pilot = selectors.pilot_list(viewer=api_user(request)).filter(pk=pilot_id).first() if 0 < pilot_id < 2**31 else None
    if pilot is None:
        raise NotFound()
    return _pilot_out(_save_pilot(request, pilot, payload))
