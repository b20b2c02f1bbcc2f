"""Small helpers every app's views share: HTMX requests, the viewer's own staff record, ISO-week parameters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from telework.accounts import scope
from telework.core import calendar
from telework.organization.models import Staff


def is_htmx(request: HttpRequest) -> bool:
    """Whether HTMX sent the request (it then wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"


def own_staff_or_403(user: Any, refusal: Any) -> Staff:
    """The viewer's own staff record (with unit, agency and position), or 403 with ``refusal`` when the account is
    not linked to one."""
    me = scope.own_staff(user)
    if me is None:
        raise PermissionDenied(refusal)
    return Staff.objects.select_related("unit__agency", "position").get(pk=me.pk)


def week_monday(value: str | None, today: dt.date) -> dt.date:
    """The Monday of an ISO week given as "2026-W49"; this week's Monday when the value is missing or invalid."""
    return calendar.iso_week_monday(value) or today - dt.timedelta(days=today.weekday())
