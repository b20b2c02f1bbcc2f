"""The ``/me`` endpoint: who the API sees you as, with the staff record your account is linked to (an account
lives in ``accounts``; its staff record here, one floor up)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from telework.accounts.api_auth import ErrorOut, api_user
from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.organization import scope


class StaffRecordOut(Schema):
    code: str
    full_name: str
    staff_type: str
    is_leader: bool
    position: str
    unit_id: int
    unit: str
    agency_id: int
    agency: str
    direct_superior: str | None


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    staff: StaffRecordOut | None


def staff_record(user: Viewer) -> dict[str, Any] | None:
    me = scope.own_staff(user)
    if me is None:
        return None
    return {
        "code": me.code,
        "full_name": me.full_name,
        "staff_type": me.staff_type,
        "is_leader": me.is_leader,
        "position": me.position.name,
        "unit_id": me.unit_id,
        "unit": me.unit.name,
        "agency_id": me.unit.agency_id,
        "agency": me.unit.agency.name,
        "direct_superior": me.direct_superior.full_name if me.direct_superior else None,
    }


router = Router(tags=["me"])


@router.get("/me", response={200: MeOut, 401: ErrorOut, 500: ErrorOut}, summary="The current user, their role and staff record")
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the API sees you as: username, role (and its label in your language) and, when the account belongs to
    a staff member, their code, unit and agency."""
    user = api_user(request)
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "role": user.role,
        "role_label": str(Role(user.role).label),
        "staff": staff_record(user),
    }
