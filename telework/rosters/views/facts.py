"""The facts a roster respects besides registrations: approved leave and unit events (meetings, trainings, team days)."""

from __future__ import annotations

import datetime as dt

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
from telework.core.exceptions import DomainError
from telework.organization import scope
from telework.organization.models import Staff, Unit
from telework.rosters import selectors, services
from telework.rosters.forms import LeaveForm, UnitEventForm
from telework.rosters.models import Leave, UnitEvent
from telework.rosters.views.common import pick_unit


def _managed_unit(request: HttpRequest, value: str | None) -> tuple[Unit, list[Staff]]:
    """The unit the viewer manages (heads) or whose leave they record (agency HR); anything else is refused."""
    units = selectors.roster_units(viewer=request.user)
    unit = pick_unit(request, units, value)
    if unit is None:
        raise PermissionDenied(_("There is no unit in your scope."))
    members = list(Staff.objects.filter(unit=unit, is_active=True).order_by("-is_leader", "full_name"))
    # Agency HR records leave for any unit of their agency: every member shares it, so asking about one is enough.
    allowed = selectors.can_manage_unit(request.user, unit) or any(selectors.can_record_leave(request.user, member) for member in members[:1])
    if not allowed:
        raise PermissionDenied(_("Only the unit's heads (and agency HR for leave) record leave and unit events."))
    return unit, members


@login_required
def leave(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Approved leave of a unit: record it (the roster marks those days as leave) or cancel it."""
    unit, members = _managed_unit(request, request.POST.get("unit") or request.GET.get("unit", "").strip())
    form = LeaveForm(request.POST if request.method == "POST" else None, members=members)
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        staff = next(member for member in members if member.pk == form.cleaned_data["staff"])
        try:
            services.leave_record(
                staff=staff,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"].strip(),
                actor=request.user,
            )
        except DomainError as refusal:
            error = refusal
            if refusal.rule in form.fields:
                form.add_error(refusal.rule, str(refusal.message))
        else:
            messages.success(request, _("Leave of %(name)s recorded; current rosters show those days as leave.") % {"name": staff.full_name})
            return redirect(f"{reverse('rosters:leave')}?unit={unit.pk}")
    today_ = clock.today()
    context = {
        "unit": unit,
        "units": list(selectors.roster_units(viewer=request.user).select_related("agency").order_by("agency__name", "path")),
        "form": form,
        "error": error,
        "leaves": list(selectors.leave_list(viewer=request.user, unit=unit, starts_on=today_ - dt.timedelta(days=31), ends_on=today_ + dt.timedelta(days=366))),
        "today": today_,
    }
    return render(request, "rosters/leave.html", context, status=error.http_status if error else 200)


@login_required
@require_POST
def leave_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = Leave.objects.select_related("staff__unit").filter(pk=pk, staff__in=scope.visible_staff(request.user)).first()
    if record is None:
        raise Http404
    try:
        services.leave_cancel(leave=record, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Leave cancelled; those days are office days again in current rosters."))
    return redirect(f"{reverse('rosters:leave')}?unit={record.staff.unit_id}")


@login_required
def events(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Meetings, trainings and team days of a unit: the next generated roster keeps everyone concerned on site."""
    unit, members = _managed_unit(request, request.POST.get("unit") or request.GET.get("unit", "").strip())
    if not selectors.can_manage_unit(request.user, unit):
        raise PermissionDenied(_("Only the unit's heads record unit events."))
    editing: UnitEvent | None = None
    requested = request.POST.get("event") or request.GET.get("event")
    if requested:
        editing = UnitEvent.objects.filter(pk=int(requested) if str(requested).isdigit() else 0, unit=unit, cancelled_at__isnull=True).first()
        if editing is None:
            raise Http404
    initial = {}
    if editing is not None:
        initial = {
            "day": editing.day,
            "title": editing.title,
            "kind": editing.kind,
            "is_for_everyone": "yes" if editing.is_for_everyone else "no",
            "attendees": list(editing.attendees.values_list("pk", flat=True)),
        }
    form = UnitEventForm(request.POST if request.method == "POST" else None, members=members, initial=initial)
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.unit_event_save(
                unit=unit,
                day=data["day"],
                title=data["title"].strip(),
                kind=data["kind"],
                is_for_everyone=data["is_for_everyone"],
                attendees=[member for member in members if member.pk in set(data["attendees"])],
                actor=request.user,
                event=editing,
            )
        except DomainError as refusal:
            error = refusal
            if refusal.rule in form.fields:
                form.add_error(refusal.rule, str(refusal.message))
        else:
            messages.success(
                request, _("“%(title)s” saved. The next roster generated for that week keeps the staff concerned on site.") % {"title": data["title"]}
            )
            return redirect(f"{reverse('rosters:events')}?unit={unit.pk}")
    today_ = clock.today()
    context = {
        "unit": unit,
        "units": list(selectors.roster_units(viewer=request.user).select_related("agency").order_by("agency__name", "path")),
        "form": form,
        "error": error,
        "editing": editing,
        "events": list(
            selectors.unit_events(
                viewer=request.user, unit=unit, starts_on=today_ - dt.timedelta(days=31), ends_on=today_ + dt.timedelta(days=366)
            ).prefetch_related("attendees")
        ),
        "today": today_,
    }
    return render(request, "rosters/events.html", context, status=error.http_status if error else 200)


@login_required
@require_POST
def event_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    event = UnitEvent.objects.select_related("unit").filter(pk=pk, unit__in=selectors.roster_units(viewer=request.user)).first()
    if event is None:
        raise Http404
    try:
        services.unit_event_cancel(event=event, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(title)s” cancelled.") % {"title": event.title})
    return redirect(f"{reverse('rosters:events')}?unit={event.unit_id}")
