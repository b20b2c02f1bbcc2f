"""Today's list: who is at the office, on which desk, at home (with a phone number), on leave; per unit or agency."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from telework.accounts.models import Role
from telework.core import calendar, clock, web
from telework.core.exceptions import NotFound
from telework.core.ui import WEEKDAY_NAMES
from telework.organization import scope
from telework.organization.models import Agency, Unit
from telework.rosters import selectors
from telework.rosters.models import LeaveKind
from telework.rosters.selectors.regime import regimes_for
from telework.rosters.views.common import pick_unit


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """Who is where today (or on ``?day=``), per unit or for a whole agency: on site, on which desk, at home with a
    phone number, on leave. Printable."""
    units = selectors.roster_units(viewer=request.user)
    agencies = scope.visible_agencies(request.user) if request.user.role != Role.STAFF else Agency.objects.none()  # type: ignore[union-attr]
    day = web.iso_day(request.GET.get("day")) or clock.today()
    agency: Agency | None = None
    unit: Unit | None = None
    requested_agency = request.GET.get("agency", "").strip()
    if requested_agency:
        agency = agencies.filter(pk=int(requested_agency)).first() if requested_agency.isdigit() else None
        if agency is None:
            raise Http404(_("No such agency in your scope."))
    else:
        if not units.exists():
            raise PermissionDenied(_("Today's list is shown to staff members of a unit and their heads; your account is linked to none."))
        unit = pick_unit(request, units, request.GET.get("unit", "").strip())
    try:
        lists = selectors.roster_today(viewer=request.user, unit=unit, agency=agency, day=day)
    except NotFound as missing:
        raise Http404 from missing
    regimes = regimes_for([item.unit for item in lists], day)
    context = {
        "day": day,
        "weekday": WEEKDAY_NAMES[day.weekday()],
        "is_working_day": calendar.is_working_day(day),
        "holiday": selectors.holiday_label(day),
        "lists": [
            {
                "unit": item,
                "on_site_count": len(item.on_site) + len(item.at_desk),
                "regime": regimes[item.unit.pk],
                # The presence cap of the day, on those present (not on leave), when the regime or the seats cap it.
                "cap": regimes[item.unit.pk].cap(len(item.on_site) + len(item.at_desk) + len(item.at_home))
                if regimes[item.unit.pk].has_cap and item.is_published
                else None,
                "on_leave": [{"person": person, "label": LeaveKind(person.leave_kind).label if person.leave_kind else ""} for person in item.on_leave],
            }
            for item in lists
        ],
        "unit": unit,
        "agency": agency,
        "units": list(units.select_related("agency").order_by("agency__name", "path")),
        "agencies": list(agencies),
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "totals": {
            "on_site": sum(len(item.on_site) + len(item.at_desk) for item in lists),
            "at_home": sum(len(item.at_home) for item in lists),
            "on_leave": sum(len(item.on_leave) for item in lists),
            "unpublished": sum(1 for item in lists if not item.is_published),
        },
    }
    return render(request, "rosters/today.html", context)
