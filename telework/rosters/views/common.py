"""What every roster page shares: weekday names, reading the unit and the week from a request, redirects that HTMX
follows, refusals as the grid shows them, and swaps described for a list."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from telework.accounts.models import User
from telework.accounts.types import Viewer
from telework.core import ui
from telework.core.exceptions import DomainError, NotFound
from telework.core.ui import week_label
from telework.organization import scope
from telework.organization.models import Unit
from telework.rosters import selectors, services
from telework.rosters.forms import parse_week
from telework.rosters.models import Roster, RosterEntry, SwapRequest

# The navigation items of ``base.html`` that lead to these pages: their message ids live in this app's catalog.
NAVIGATION_LABELS = (gettext_noop("Rosters"), gettext_noop("Today"))


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def htmx_redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that HTMX follows as a full page load (``HX-Redirect``), and a browser as usual."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return default


def default_monday(today: dt.date) -> dt.date:
    """This week, or next week from Saturday on (what a head plans on a weekend)."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday + dt.timedelta(days=7) if today.weekday() >= 5 else monday


def week_from(value: str | None, today: dt.date) -> dt.date:
    return parse_week(value) or default_monday(today)


def week_url(unit: Unit, monday: dt.date) -> str:
    return f"{reverse('rosters:week')}?unit={unit.pk}&week={week_label(monday)}"


def roster_url(roster: Roster) -> str:
    return week_url(roster.unit, roster.week_start)


def pick_unit(request: HttpRequest, units: Any, value: str | None) -> Unit | None:
    """The unit asked for (404 when it is not in the viewer's scope), else the viewer's own, else the first."""
    if value:
        unit = units.filter(pk=int(value)).first() if value.isdigit() else None
        if unit is None:
            raise Http404(_("No such unit in your scope."))
        return unit  # type: ignore[no-any-return]
    me = scope.own_staff(request.user)
    return (units.filter(pk=me.unit_id).first() if me else None) or units.first()  # type: ignore[no-any-return]


def roster_or_404(user: Viewer, pk: int) -> Roster:
    try:
        return selectors.roster_get(viewer=user, roster_id=pk)
    except NotFound as missing:
        raise Http404 from missing


def day_label(day: dt.date) -> str:
    return ui.day_label(day)


def refusal_display(error: DomainError) -> dict[str, Any]:
    """A refusal as the grid shows it: the rule's name in words, then the error (message, rule, each finding). A
    single finding that only repeats the message is not listed twice."""
    shown = error
    if len(error.details) == 1 and str(error.details[0].get("message", "")) == str(error.message):
        shown = copy.copy(error)
        shown.details = []
    return {"error": shown, "rule_label": selectors.rule_label(error.rule) if error.rule in selectors.RULE_LABELS else ""}


def roster_days(roster: Roster) -> list[dt.date]:
    return [dt.date.fromisoformat(day) for day in roster.days]


def swap_items(user: User, swaps: list[SwapRequest]) -> list[dict[str, Any]]:
    """Each swap with what it exchanges (both people's statuses on both days, from its roster) and what the viewer
    may do with it."""
    entries = {
        (entry.roster_id, entry.staff_id, entry.day): entry
        for entry in RosterEntry.objects.filter(
            roster__in={swap.roster_id for swap in swaps},
            staff__in={swap.requester_id for swap in swaps} | {swap.counterpart_id for swap in swaps},
            day__in={swap.requester_day for swap in swaps} | {swap.counterpart_day for swap in swaps},
        ).select_related("service_point")
    }
    managed = {unit.pk for unit in selectors.managed_units(user).filter(pk__in={swap.roster.unit_id for swap in swaps})}

    def status(swap: SwapRequest, staff_id: int, day: dt.date) -> str:
        entry = entries.get((swap.roster_id, staff_id, day))
        return selectors.cell_label(entry.status, entry.service_point) if entry else ""

    items = []
    for swap in swaps:
        days = [swap.requester_day] if swap.requester_day == swap.counterpart_day else [swap.requester_day, swap.counterpart_day]
        manages_unit = swap.roster.unit_id in managed
        items.append(
            {
                "swap": swap,
                "days": [
                    {"label": day_label(day), "requester": status(swap, swap.requester_id, day), "counterpart": status(swap, swap.counterpart_id, day)}
                    for day in days
                ],
                "can_accept": services.swap_check(swap=swap, actor=user, action="accept").is_allowed,
                "can_withdraw": services.swap_check(swap=swap, actor=user, action="withdraw").is_allowed,
                "can_decide": services.swap_check(swap=swap, actor=user, action="approve", manages_unit=manages_unit).is_allowed,
            }
        )
    return items
