"""A unit's week: the grid (read by staff once published), generating, editing cell by cell, publishing, exporting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock
from telework.core.db import reporting_view
from telework.core.exceptions import DomainError, NotFound, NotPermitted, ValidationFailed
from telework.core.ui import WEEKDAY_SHORT_NAMES, week_label
from telework.organization import scope
from telework.organization.models import ServicePoint, Staff, Unit
from telework.rosters import exports, selectors, services
from telework.rosters.forms import CellForm, SwapRequestForm, parse_week
from telework.rosters.models import EntryStatus, Roster
from telework.rosters.selectors.regime import Regime, regime_for, registration_conflicts
from telework.rosters.services import seats as services_seats
from telework.rosters.views.common import (
    day_label,
    default_monday,
    htmx_redirect,
    is_htmx,
    pick_unit,
    refusal_display,
    roster_days,
    roster_or_404,
    roster_url,
    swap_items,
    week_from,
    week_url,
)

EXPORT_TYPES = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.roster_xlsx),
    "pdf": ("application/pdf", exports.roster_pdf),
}


def _columns(grid: Any, monday: dt.date, regime: Regime | None = None) -> list[dict[str, Any]]:
    """Monday to Friday: a working day with its totals (and, under a presence cap, on site against the cap), or a
    public holiday shown closed."""
    totals = {total.day: total for total in grid.totals}
    index = {day: position for position, day in enumerate(grid.days)}
    columns = []
    for offset in range(5):
        day = monday + dt.timedelta(days=offset)
        columns.append(
            {
                "day": day,
                "weekday": WEEKDAY_SHORT_NAMES[day.weekday()],
                "is_working": day in index,
                "holiday": selectors.holiday_label(day) if day not in index else None,
                "totals": totals.get(day),
                "is_today": day == clock.today(),
                "cap": regime.cap(totals[day].present) if regime is not None and regime.has_cap and day in totals else None,
            }
        )
    return columns


def _rows(grid: Any, columns: list[dict[str, Any]], qualified: dict[int, list[ServicePoint]], marks: dict[str, Any]) -> list[dict[str, Any]]:
    """Each person's five cells (None on a public holiday), with the options a head may choose and whether the
    last edit was refused or accepted there."""
    rows = []
    for row in grid.rows:
        by_day = {cell.day: cell for cell in row.cells}
        cells: list[dict[str, Any] | None] = []
        for column in columns:
            cell = by_day.get(column["day"]) if column["is_working"] else None
            if cell is None:
                cells.append(None)
                continue
            key = (row.staff.pk, cell.day)
            choice = f"desk:{cell.service_point.pk}" if cell.status == EntryStatus.DESK and cell.service_point else cell.status
            cells.append(
                {
                    "cell": cell,
                    "choice": choice,
                    "label": day_label(cell.day),
                    "is_refused": key == marks.get("refused_cell"),
                    "is_edited": key == marks.get("edited_cell"),
                    "problem_labels": [selectors.rule_label(rule) for rule in dict.fromkeys(cell.problems)],
                }
            )
        rows.append({"row": row, "cells": cells, "points": qualified.get(row.staff.pk, [])})
    return rows


def _qualified_points(points: list[ServicePoint]) -> dict[int, list[ServicePoint]]:
    """Which desks and duty posts each person may be put on (the options of their cells)."""
    by_staff: dict[int, list[ServicePoint]] = {}
    through = ServicePoint.qualified_staff.through.objects.filter(servicepoint_id__in=[point.pk for point in points])
    point_by_id = {point.pk: point for point in points}
    for point_id, staff_id in through.values_list("servicepoint_id", "staff_id").order_by("servicepoint_id"):
        by_staff.setdefault(staff_id, []).append(point_by_id[point_id])
    return by_staff


def _grid_context(request: HttpRequest, roster: Roster, **marks: Any) -> dict[str, Any]:
    """Everything ``_grid.html`` needs for one roster version; ``marks`` carry the outcome of the last edit
    (``refused_cell`` or ``edited_cell``: (staff id, day)), the refusal, the warnings and a summary."""
    grid = selectors.roster_grid(roster=roster, viewer=request.user)
    regime = regime_for(roster.unit, roster.week_start)
    columns = _columns(grid, roster.week_start, regime)
    return {
        "regime": regime,
        "roster": roster,
        "grid": grid,
        "columns": columns,
        "rows": _rows(grid, columns, _qualified_points(list(grid.points)) if grid.can_edit else {}, marks),
        "certificate": roster.certificate or {},
        **marks,
    }


def build_swap_form(request: HttpRequest, roster: Roster, grid_rows: list[Any], data: Any = None) -> SwapRequestForm | None:
    """The "swap a day" form, for a staff member of the unit looking at its published roster."""
    me = scope.own_staff(request.user)
    if me is None or not roster.is_published or me.unit_id != roster.unit_id:
        return None
    colleagues = [row.staff for row in grid_rows if row.staff.pk != me.pk]
    mine = {cell.day: cell.label for row in grid_rows if row.staff.pk == me.pk for cell in row.cells}
    days = [(day, day_label(day)) for day in roster_days(roster)]
    my_days = [(day, f"{label} – {mine[day]}" if day in mine else label) for day, label in days]
    return SwapRequestForm(data, days=days, my_days=my_days, colleagues=colleagues, prefix="swap")


def render_week(
    request: AuthenticatedHttpRequest,
    *,
    unit: Unit | None,
    units: Any,
    monday: dt.date,
    roster: Roster | None,
    swap_form: SwapRequestForm | None = None,
    swap_error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    today = clock.today()
    context: dict[str, Any] = {
        "units": list(units.select_related("agency").order_by("agency__name", "path")),
        "unit": unit,
        "monday": monday,
        "friday": monday + dt.timedelta(days=4),
        "week": week_label(monday),
        "previous_week": week_label(monday - dt.timedelta(days=7)),
        "next_week": week_label(monday + dt.timedelta(days=7)),
        "this_week": week_label(default_monday(today)),
        "roster": roster,
        "swap_error": swap_error,
        "can_manage": unit is not None and selectors.can_manage_unit(request.user, unit),
        "can_generate_city": selectors.can_generate_city(request.user),
    }
    if unit is not None and context["can_manage"]:
        context["versions"] = selectors.roster_versions(viewer=request.user, unit=unit, week_start=monday)
        context["leave_waiting_count"] = len(selectors.leave_requests_waiting(viewer=request.user, unit=unit))
    if roster is not None:
        context["can_publish"] = services.roster_check(roster=roster, actor=request.user, action="publish").is_allowed
        context.update(_grid_context(request, roster))
        context["swap_form"] = swap_form or build_swap_form(request, roster, context["grid"].rows)
        context["swaps"] = swap_items(request.user, list(selectors.swap_list(viewer=request.user, roster=roster)))
        context["swap_next"] = roster_url(roster) + "#swaps"
        context["awaiting_count"] = len(selectors.swaps_awaiting(viewer=request.user))
        context["notified_count"] = Staff.objects.filter(unit=roster.unit, is_active=True, user__isnull=False).count()
        if context["can_manage"] or selectors.can_manage_unit(request.user, roster.unit):
            context["conflicts"] = registration_conflicts(roster)
    elif unit is not None:
        context["regime"] = regime_for(unit, monday)
    return render(request, "rosters/week.html", context, status=status)


@login_required
def week(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A unit's roster for an ISO week: the grid, the day totals against the limits, why rules could not be met,
    the certificate; for the head, generate, edit and publish; for staff, the published roster and swaps."""
    units = selectors.roster_units(viewer=request.user)
    if not units.exists() and not selectors.can_generate_city(request.user):
        raise PermissionDenied(_("Rosters are shown to staff members of a unit, its heads and Home Affairs; your account is linked to none."))
    unit = pick_unit(request, units, request.GET.get("unit", "").strip())
    monday = week_from(request.GET.get("week"), clock.today())
    roster = None
    if unit is not None:
        try:
            roster = selectors.roster_for_week(viewer=request.user, unit=unit, week_start=monday)
        except NotFound as missing:
            raise Http404 from missing
    return render_week(request, unit=unit, units=units, monday=monday, roster=roster)


@login_required
def version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One version of a roster (an older one stays readable, never editable)."""
    roster = roster_or_404(request.user, pk)
    units = selectors.roster_units(viewer=request.user)
    return render_week(request, unit=roster.unit, units=units, monday=roster.week_start, roster=roster)


@login_required
@require_POST
def generate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Solve one unit's week now (a few seconds at most) and show the new draft."""
    units = selectors.roster_units(viewer=request.user)
    unit = pick_unit(request, units, request.POST.get("unit", "").strip() or "-")
    assert unit is not None
    monday = parse_week(request.POST.get("week"))
    if monday is None:
        messages.error(request, _("Write the week as year-Wweek, for example 2026-W49."))
        return htmx_redirect(request, reverse("rosters:week") + f"?unit={unit.pk}")
    try:
        roster = services.roster_generate(unit=unit, week_start=monday, actor=request.user, reason=_("Generated by the head"))
    except DomainError as error:
        messages.error(request, _("The roster was not generated: %(reason)s") % {"reason": error.message})
        return htmx_redirect(request, week_url(unit, monday))
    messages.success(
        request,
        _("Draft version %(version)s of week %(week)s is ready. Check it, change cells if needed, then publish it.")
        % {"version": roster.version, "week": roster.iso_week},
    )
    return htmx_redirect(request, week_url(unit, monday))


@login_required
@require_POST
def seats(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A head sets the unit's usable office seats (the presence cap of the room; empty = no limit)."""
    units = selectors.roster_units(viewer=request.user)
    unit = pick_unit(request, units, request.POST.get("unit", "").strip() or "-")
    assert unit is not None
    if not selectors.can_manage_unit(request.user, unit):
        raise PermissionDenied(_("Only the unit's heads change its settings."))
    monday = parse_week(request.POST.get("week")) or default_monday(clock.today())
    raw = request.POST.get("office_seats", "").strip()
    if raw and not raw.isdigit():
        messages.error(request, _("Write the number of seats as a whole number, or leave it empty for no limit."))
        return redirect(week_url(unit, monday))
    try:
        services_seats.unit_office_seats_set(actor=request.user, unit=unit, seats=int(raw) if raw else None)
    except DomainError as error:
        messages.error(request, _("The seats were not saved: %(reason)s") % {"reason": error.message})
    else:
        messages.success(request, _("Usable office seats saved. Generate the roster again to apply them."))
    return redirect(week_url(unit, monday) + "#unit-settings")


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Publish the current draft: staff see it and are notified."""
    roster = roster_or_404(request.user, pk)
    try:
        services.roster_publish(roster=roster, actor=request.user)
    except DomainError as error:
        messages.error(request, _("The roster was not published: %(reason)s") % {"reason": error.message})
    else:
        messages.success(request, _("Week %(week)s is published. The unit's staff have been notified.") % {"week": roster.iso_week})
    return htmx_redirect(request, roster_url(roster))


@login_required
@require_POST
def cell(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """HTMX: set one cell. The service validates it against every hard rule; a refusal leaves the cell as it was
    and names the rule, at the cell and in a notice; an accepted edit marks the cell as changed by hand."""
    roster = roster_or_404(request.user, pk)
    # An older version is refused by the edit itself (named at the cell); someone who may not edit never gets that far.
    if isinstance(services.roster_check(roster=roster, actor=request.user, action="edit").refusal, NotPermitted):
        raise PermissionDenied(_("Only the unit's heads change the roster."))
    form = CellForm(request.POST)
    refusal: DomainError | None = None
    warnings: list[dict[str, Any]] = []
    target: tuple[int, dt.date] | None = None
    staff: Staff | None = None
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        refusal = ValidationFailed(first, rule="status")
    else:
        status, point_id = form.cleaned_data["choice"]
        target = (form.cleaned_data["staff"], form.cleaned_data["day"])
        staff = Staff.objects.filter(pk=form.cleaned_data["staff"], roster_entries__roster=roster).distinct().first()
        if staff is None:
            raise Http404(_("This person is not in the roster."))
        point = ServicePoint.objects.filter(pk=point_id, unit=roster.unit).first() if point_id else None
        if point_id and point is None:
            raise Http404(_("No such desk or duty post in this unit."))
        try:
            _entry, warnings = services.roster_edit_cell(
                roster=roster, staff=staff, day=form.cleaned_data["day"], status=status, service_point=point, actor=request.user
            )
        except DomainError as error:
            refusal = error
    if not is_htmx(request):
        if refusal is not None:
            messages.error(request, refusal.message)
        return redirect(roster_url(roster))
    roster.refresh_from_db()
    context = _grid_context(
        request,
        roster,
        refused_cell=target if refusal else None,
        edited_cell=target if refusal is None else None,
        refusal=refusal_display(refusal) if refusal else None,
        warnings=warnings,
        target_name=staff.full_name if staff else "",
        target_day=day_label(target[1]) if target else "",
    )
    return render(request, "rosters/_grid.html", context)


@login_required
@reporting_view
def export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The roster as the notice-board Excel sheet or PDF page."""
    if kind not in EXPORT_TYPES:
        raise Http404
    roster = roster_or_404(request.user, pk)
    content_type, build = EXPORT_TYPES[kind]
    response = HttpResponse(build([roster]), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(roster, kind)}"'
    return response
