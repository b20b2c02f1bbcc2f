"""What every organisation screen shares: who may read, which agency a page shows, the tabs."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from telework.accounts.models import Role
from telework.accounts.types import AuthenticatedHttpRequest
from telework.organization import scope
from telework.organization.models import Agency

STAFF_PAGE_SIZE = 50


def _require_reader(request: AuthenticatedHttpRequest) -> None:
    """Units, positions and desks are read by unit heads and above; a staff member sees their own record only."""
    user = request.user
    if user.role == Role.STAFF and not user.is_superuser:
        raise PermissionDenied


def _agency_for(request: HttpRequest) -> Agency | None:
    """The agency a page shows: ``?agency=`` if the viewer may see it, else the viewer's own, else the first."""
    agencies = scope.visible_agencies(request.user).order_by("name")
    raw = request.GET.get("agency", "")
    if raw.isdigit():
        chosen = agencies.filter(pk=int(raw)).first()
        if chosen is not None:
            return chosen
    me = scope.own_staff(request.user)
    if me is not None and agencies.filter(pk=me.unit.agency_id).exists():
        return me.unit.agency
    return agencies.first()


def _page_context(request: HttpRequest, tab: str, agency: Agency | None = None) -> dict[str, Any]:
    agencies = scope.visible_agencies(request.user)
    return {
        "tab": tab,
        "agency": agency,
        "agency_choices": agencies.order_by("name") if agencies.count() > 1 else None,
        "can_manage": scope.can_manage_organisation(request.user, agency) if agency is not None else scope.can_manage_organisation(request.user),
        "can_import": scope.can_manage_organisation(request.user),
    }
