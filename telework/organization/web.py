"""View helpers that know the organisation: the viewer's own staff record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from telework.accounts.types import Viewer
from telework.organization import scope
from telework.organization.models import Staff


def own_staff_or_403(user: Viewer, refusal: Any) -> Staff:
    """The viewer's own staff record (with unit, agency and position), or 403 with ``refusal`` when the account is
    not linked to one."""
    me = scope.own_staff(user)
    if me is None:
        raise PermissionDenied(refusal)
    return Staff.objects.select_related("unit__agency", "position").get(pk=me.pk)
