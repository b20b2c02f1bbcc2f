"""The indicator dictionary (every signed-in user) and one unit's panel of the last twelve weeks with its Excel file
(unit heads for their subtree, agency heads and HR for their agency, Home Affairs and leadership for the city)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core.db import reporting_view
from telework.organization import scope
from telework.outcomes import exports, indicators, selectors


@login_required
@require_GET
def indicator_dictionary(request: AuthenticatedHttpRequest) -> HttpResponse:
    """``/outcomes/indicators/``: what each figure of the panel means, how it is computed and where it comes from."""
    units = selectors.panel_units(request.user)
    return render(
        request,
        "outcomes/indicators.html",
        {"indicators": list(indicators.INDICATORS.values()), "reads_panel": units.exists()},
    )


def _requested_unit(request: AuthenticatedHttpRequest) -> int | None:
    value = request.GET.get("unit", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


@login_required
@require_GET
def unit_choice(request: AuthenticatedHttpRequest) -> HttpResponse:
    """``/outcomes/units/``: the viewer's own unit (or the first in scope), or the one picked."""
    requested = _requested_unit(request)
    if requested is not None:
        return redirect("outcomes:unit", pk=selectors.unit_for(request.user, requested).pk)
    me = scope.own_staff(request.user)
    units = selectors.panel_units(request.user)
    unit = units.filter(pk=me.unit_id).first() if me is not None else None
    unit = unit or units.first()
    if unit is None:
        raise Http404
    return redirect("outcomes:unit", pk=unit.pk)


@login_required
@require_GET
@reporting_view
def unit_panel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """``/outcomes/units/<id>/``: the last twelve weeks of every indicator of one unit."""
    requested = _requested_unit(request)
    if requested is not None and requested != pk:
        return redirect("outcomes:unit", pk=selectors.unit_for(request.user, requested).pk)
    panel = selectors.unit_panel(request.user, pk)
    units = list(selectors.panel_units(request.user)[:2000])
    return render(request, "outcomes/unit.html", {"panel": panel, "unit": panel.unit, "units": units})


@login_required
@require_GET
@reporting_view
def unit_panel_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    panel = selectors.unit_panel(request.user, pk)
    response = HttpResponse(exports.unit_panel_xlsx(panel), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(panel)}"'
    return response
