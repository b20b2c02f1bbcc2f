"""The head's work board and progress reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from telework.accounts.types import AuthenticatedHttpRequest, Viewer
from telework.assignments import explain, forms, permissions, rules, selectors, services
from telework.assignments.models import REPORT_FLOW, ProgressReport, WorkStatus
from telework.assignments.views.common import _own_staff_or_403, _shown_once, _with_alert_texts, _with_pause_text
from telework.core import clock
from telework.core.exceptions import DomainError, NotFound
from telework.core.ui import week_label
from telework.core.web import week_monday
from telework.organization import scope
from telework.organization.models import Staff, Unit
from telework.policy.selectors import policy_for_unit

# ----------------------------------------------------------------------------------------------- the head's board


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The head's board for a unit and week: per person their open work, progress, hours, planned load against the
    office norm (a bar chart), stall alerts and legal-deadline risks; and what awaits the viewer's acceptance."""
    if not permissions.can_read_boards(request.user):
        raise PermissionDenied(_("The board is for heads, HR, Home Affairs and city leadership."))
    units = scope.visible_units(request.user).select_related("agency").order_by("agency__name", "path")
    requested = request.GET.get("unit", "").strip()
    unit: Unit | None
    if requested:
        unit = units.filter(pk=int(requested)).first() if requested.isdigit() else None
        if unit is None:
            raise Http404(_("No such unit in your scope."))
    else:
        me = scope.own_staff(request.user)
        unit = (units.filter(pk=me.unit_id).first() if me else None) or units.first()
    today = clock.today()
    monday = week_monday(request.GET.get("week"), today)
    paused_only = request.GET.get("paused") == "1"
    rows = selectors.board(viewer=request.user, unit=unit, monday=monday, paused_only=paused_only) if unit else []
    for row in rows:
        _with_alert_texts(row.alerts)
        for item in row.open_items:
            _with_pause_text(item)
        row.load_text = explain.describe_load(row.load)  # type: ignore[attr-defined]
    norm_hours = None
    if unit is not None:
        norm_hours = policy_for_unit(unit, monday).parameters.office_norm_hours_per_day
    chart = {
        "labels": [row.staff.full_name for row in rows],
        "percent": [round(row.load.ratio * 100) if row.load.ratio is not None else 0 for row in rows],
        "status": [row.load.status for row in rows],
        "planned": [row.load.planned_hours for row in rows],
        "norm": [row.load.norm_hours for row in rows],
        "under": round(rules.UNDERLOAD_BELOW * 100),
        "over": round(rules.OVERLOAD_ABOVE * 100),
    }
    context = {
        "units": list(units),
        "unit": unit,
        "rows": rows,
        "chart": chart,
        "monday": monday,
        "week_days": selectors.week_days(monday),
        "week": week_label(monday),
        "previous_week": week_label(monday - dt.timedelta(days=7)),
        "next_week": week_label(monday + dt.timedelta(days=7)),
        "this_week": week_label(today - dt.timedelta(days=today.weekday())),
        "today": today,
        "norm_hours_per_day": norm_hours,
        "under_percent": chart["under"],
        "over_percent": chart["over"],
        "stall_days": rules.STALL_WORKING_DAYS,
        "awaiting": selectors.awaiting_my_acceptance(viewer=request.user),
        "can_assign": permissions.is_head(request.user),
        "alert_count": sum(len(row.alerts) for row in rows),
        "paused_only": paused_only,
        "paused_count": sum(1 for row in rows for item in row.open_items if item.paused_since is not None),
    }
    return render(request, "assignments/board.html", context)


# ----------------------------------------------------------------------------------------------- progress reports


@login_required
def reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reports: the viewer's own, and those of the people they may see, by person and week."""
    me = scope.own_staff(request.user)
    can_read_others = permissions.can_read_boards(request.user)
    if me is None and not can_read_others:
        raise PermissionDenied(_("Your account is not linked to a staff record."))
    today = clock.today()
    filters: dict[str, Any] = {}
    week = request.GET.get("week", "").strip()
    if week:
        filters["week"] = week_monday(week, today)
    person = request.GET.get("staff", "").strip()
    if person.isdigit():
        filters["staff"] = int(person)
    if not can_read_others:
        filters["mine"] = True
    listed = list(selectors.report_list(viewer=request.user, filters=filters)[:200])
    to_review = [
        report
        for report in listed
        if REPORT_FLOW.allows(report.status, "review") and services.progress_report_review_check(report=report, actor=request.user).is_allowed
    ]
    people = list(scope.visible_staff(request.user).filter(is_active=True).order_by("full_name")[:500]) if can_read_others else []
    context = {
        "reports": listed,
        "to_review": to_review,
        "people": people,
        "week": week,
        "person": int(person) if person.isdigit() else None,
        "is_staff_member": me is not None,
        "can_read_others": can_read_others,
        "this_week": week_label(today - dt.timedelta(days=today.weekday())),
    }
    return render(request, "assignments/reports.html", context)


@login_required
def report_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Write a daily or weekly report: the lines are assembled from one's work items; one adds a note."""
    me = _own_staff_or_403(request.user)
    today = clock.today()
    data = request.POST if request.method == "POST" else None
    form = forms.ReportForm(data, initial={"day": today, "period": "weekly"})
    refusal: DomainError | None = None
    status = 422
    if data is not None and form.is_valid():
        try:
            report = services.progress_report_submit(
                actor=request.user, period=form.cleaned_data["period"], day=form.cleaned_data["day"], note=form.cleaned_data["note"]
            )
        except DomainError as error:
            status = error.http_status
            refusal = _shown_once(form, error, {"day", "note", "period"})
        else:
            messages.success(request, _("Report sent to your direct superior."))
            return redirect("assignments:report_detail", pk=report.pk)
    period = (form.cleaned_data.get("period") if form.is_bound and form.is_valid() else None) or "weekly"
    day = (form.cleaned_data.get("day") if form.is_bound and form.is_valid() else None) or today
    context = {"form": form, "error": refusal, "preview": _report_preview(me, period, day), "me": me}
    return render(request, "assignments/report_form.html", context, status=200 if data is None or not (refusal or form.errors) else status)


def _report_preview(staff: Staff, period: str, day: dt.date) -> dict[str, Any]:
    first, last = selectors.report_period_bounds(period, day)
    lines = selectors.report_lines(staff, first, last)
    for line in lines:
        line["status_label"] = WorkStatus(line["status"]).label
    existing = ProgressReport.objects.filter(staff=staff, period=period, period_start=first).first()
    return {"first": first, "last": last, "lines": lines, "hours": sum(float(line["hours"]) for line in lines), "period": period, "existing": existing}


@login_required
@require_POST
def report_preview(request: HttpRequest) -> HttpResponse:
    """HTMX: what the report will contain for the period chosen."""
    me = _own_staff_or_403(request.user)
    form = forms.ReportForm(request.POST)
    form.is_valid()
    period = form.cleaned_data.get("period") or "weekly"
    day = form.cleaned_data.get("day") or clock.today()
    return render(request, "assignments/_report_lines.html", {"preview": _report_preview(me, period, day)})


def _report_or_404(user: Viewer, pk: int) -> ProgressReport:
    try:
        return selectors.report_get(viewer=user, report_id=pk)
    except NotFound as missing:
        raise Http404 from missing


def _render_report(
    request: AuthenticatedHttpRequest, report: ProgressReport, *, form: Any = None, error: DomainError | None = None, status: int = 200
) -> HttpResponse:
    lines = [dict(line, status_label=WorkStatus(line["status"]).label) for line in report.lines]
    context = {
        "report": report,
        "lines": lines,
        "can_review": services.progress_report_review_check(report=report, actor=request.user).is_allowed,
        "form": form or forms.ReviewForm(),
        "error": error,
        "is_owner": scope.own_staff(request.user) == report.staff,
    }
    return render(request, "assignments/report_detail.html", context, status=status)


@login_required
def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One report as it was sent, with the head's review."""
    return _render_report(request, _report_or_404(request.user, pk))


@login_required
@require_POST
def report_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The head comments on a report."""
    report = _report_or_404(request.user, pk)
    form = forms.ReviewForm(request.POST)
    error: DomainError | None = None
    if form.is_valid():
        try:
            services.progress_report_review(report=report, actor=request.user, comment=form.cleaned_data["comment"])
        except DomainError as refusal:
            error = refusal
    if error is None and not form.errors:
        messages.success(request, _("Review sent to the staff member."))
        return redirect("assignments:report_detail", pk=pk)
    return _render_report(request, report, form=form, error=error, status=error.http_status if error else 422)
