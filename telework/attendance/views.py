"""Pages for attendance: my check-in (check in, check out, reachable status, my month), the head's live board for
today, the monthly timesheet with its Excel export, and a head's correction of a person-day (from the board and the
timesheet).

Views gather input, call a selector or a service and render; no rule lives here. A refusal (``DomainError``) is
rendered with its rule (``core/rule_violation.html``), and nothing has changed. Under HTMX the check-in card is
swapped in place, refusals included (answered 200 so that HTMX swaps them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from telework.accounts.models import User
from telework.accounts.types import AuthenticatedHttpRequest, Viewer
from telework.attendance import exports, permissions, rules, selectors, services
from telework.attendance.forms import CheckInForm, CheckOutForm, CorrectionForm, ReachabilityForm, parse_month
from telework.attendance.models import Reachability, WorkMode
from telework.core import calendar, clock, numbers, ui, web
from telework.core.db import reporting_view
from telework.core.exceptions import DomainError, NotFound, ValidationFailed
from telework.core.web import is_htmx
from telework.organization.models import Staff, Unit
from telework.rosters.models import LeaveKind

BOARD_REFRESH_SECONDS = 60
SUCCESS_MESSAGES = {
    "check_in": gettext_lazy("Checked in."),
    "check_out": gettext_lazy("Checked out."),
    "reachability": gettext_lazy("Reachable status updated."),
}


def _own_staff_or_403(user: Viewer) -> Staff:
    me = selectors.own_staff(user)
    if me is None:
        raise PermissionDenied(_("Only staff members check in; your account is not linked to an active staff record."))
    return me


def day_label(day: dt.date) -> str:
    return ui.day_label(day, with_year=True)


def roster_label(cell: selectors.RosterCell | None) -> str:
    """A roster cell as the page says it: "At the office", "At home", "On leave", or the desk's name."""
    if cell is None:
        return ""
    if cell.status == rules.ROSTERED_DESK and cell.service_point:
        return _("At the desk: %(name)s") % {"name": cell.service_point}
    return str(ROSTER_LABELS.get(cell.status, cell.status))


ROSTER_LABELS = {
    rules.ROSTERED_OFFICE: gettext_lazy("At the office"),
    rules.ROSTERED_DESK: gettext_lazy("On desk duty"),
    rules.ROSTERED_HOME: gettext_lazy("At home"),
    rules.ROSTERED_LEAVE: gettext_lazy("On leave"),
}


def leave_label(kind: str) -> str:
    return str(LeaveKind(kind).label) if kind in LeaveKind.values else ""


# ----------------------------------------------------------------------------------------------- my check-in


def _today_context(staff: Staff, *, error: DomainError | None = None, forms: dict[str, Any] | None = None, done: str = "") -> dict[str, Any]:
    day = clock.today()
    mine = selectors.my_day(staff=staff, day=day)
    suggested = WorkMode.HOME if mine.roster_cell is not None and mine.roster_cell.status == rules.ROSTERED_HOME else WorkMode.OFFICE
    forms = forms or {}
    return {
        "mine": mine,
        "day_label": day_label(day),
        "roster_label": roster_label(mine.roster_cell),
        "leave_label": leave_label(mine.leave_kind),
        "finding": mine.finding,
        "finding_label": selectors.finding_label(mine.finding),
        "is_mismatch": rules.is_mismatch(mine.finding),
        "suggested_mode": suggested,
        "check_in_form": forms.get("check_in") or CheckInForm(),
        "check_out_form": forms.get("check_out") or CheckOutForm(),
        "reachability_choices": Reachability.choices,
        "error": error,
        "done": done,
    }


def _month_rows(staff: Staff) -> list[dict[str, Any]]:
    today = clock.today()
    first_day, _last = calendar.month_bounds(today)
    check_ins = selectors.my_check_ins(staff=staff, first_day=first_day, last_day=today)
    corrections = selectors.latest_corrections([item.pk for item in check_ins])
    return [
        {
            "check_in": item,
            "day_label": day_label(item.day),
            "finding_label": selectors.finding_label(item.finding),
            "correction": corrections.get(item.pk),
        }
        for item in check_ins
    ]


def _render_mine(request: HttpRequest, staff: Staff, *, status: int = 200, **today: Any) -> HttpResponse:
    context = _today_context(staff, **today)
    if is_htmx(request):
        if today.get("done"):
            # The action changed this month's rows: the summary below the card comes along out of band.
            context["month_rows"] = _month_rows(staff)
            return render(request, "attendance/_today_and_month.html", context)
        return render(request, "attendance/_today.html", context)
    context["month_rows"] = _month_rows(staff)
    return render(request, "attendance/mine.html", context, status=status)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """My check-in: today's plan from the published roster, the check-in buttons (office or home), then the
    check-out and, at home, the reachable status; this month's check-ins below."""
    return _render_mine(request, _own_staff_or_403(request.user))


def _act(request: HttpRequest, action: str, form: Any, perform: Any) -> HttpResponse:
    """Validate the form (its errors show next to the fields), call the service, and answer with the card: a success
    message, or the refusal with its rule (nothing changed)."""
    staff = _own_staff_or_403(request.user)
    bound = {action: form} if action in {"check_in", "check_out"} else {}
    if not form.is_valid():
        if bound:
            return _render_mine(request, staff, forms=bound, status=422)
        # The reachable status has no field of its own on the card: its error is shown as a refusal.
        field = next(iter(form.errors))
        return _render_mine(request, staff, error=ValidationFailed(form.errors[field][0], rule=field), status=422)
    error: DomainError | None = None
    try:
        perform(form.cleaned_data)
    except DomainError as refusal:
        error = refusal
    if error is None:
        if is_htmx(request):
            return _render_mine(request, staff, done=str(SUCCESS_MESSAGES[action]))
        messages.success(request, SUCCESS_MESSAGES[action])
        return redirect("attendance:mine")
    return _render_mine(request, staff, error=error, forms=bound, status=error.http_status)


@login_required
@require_POST
def check_in(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CheckInForm(request.POST)
    return _act(request, "check_in", form, lambda data: services.attendance_check_in(actor=request.user, mode=data["mode"], note=data["note"]))


@login_required
@require_POST
def check_out(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CheckOutForm(request.POST)
    return _act(request, "check_out", form, lambda data: services.attendance_check_out(actor=request.user, note=data["note"]))


@login_required
@require_POST
def reachability(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReachabilityForm(request.POST)
    return _act(request, "reachability", form, lambda data: services.attendance_set_reachability(actor=request.user, status=data["status"]))


# ----------------------------------------------------------------------------------------------- the live board


def _readable_units_or_403(user: Viewer) -> Any:
    units = permissions.readable_units(user)
    if not units.exists():
        raise PermissionDenied(_("The attendance board is for unit heads, agency heads and HR; your account has no unit in its scope."))
    return units


def _pick_unit(request: HttpRequest, units: Any) -> Unit:
    """The unit asked for (404 outside the viewer's scope), else the viewer's own unit, else the first."""
    value = request.GET.get("unit", "").strip()
    if value:
        try:
            if not value.isdigit():
                raise NotFound()
            return selectors.board_unit(viewer=request.user, unit_id=int(value))
        except NotFound as missing:
            raise Http404(_("No such unit in your scope.")) from missing
    me = selectors.own_staff(request.user)
    return (units.filter(pk=me.unit_id).first() if me else None) or units.first()  # type: ignore[no-any-return]


def is_correctable_day(day: dt.date) -> bool:
    """Whether ``day`` is within the days a head may still correct (today and ``ATTENDANCE_CORRECTION_DAYS`` back)."""
    today = clock.today()
    return day <= today and (today - day).days <= settings.ATTENDANCE_CORRECTION_DAYS


def correct_url(staff_id: int, day: dt.date, back: str) -> str:
    return reverse("attendance:correct", args=[staff_id, day.isoformat()]) + "?" + urlencode({"next": back})


def _board_rows(board: selectors.Board, viewer: User, back: str) -> list[dict[str, Any]]:
    corrections = selectors.latest_corrections([row.check_in.pk for row in board.rows if row.check_in is not None])
    may_correct = permissions.correctable(viewer, [row.staff for row in board.rows]) if is_correctable_day(board.day) else set()
    rows = []
    for row in board.rows:
        rows.append(
            {
                "row": row,
                "roster_label": roster_label(row.roster_cell),
                "leave_label": leave_label(row.leave_kind),
                "finding_label": selectors.finding_label(row.finding),
                "reachability_label": row.check_in.get_reachability_display() if row.check_in and row.check_in.reachability else "",
                "correction": corrections.get(row.check_in.pk) if row.check_in else None,
                "correct_url": correct_url(row.staff.pk, board.day, back) if row.staff.pk in may_correct else "",
            }
        )
    return rows


@login_required
@require_GET
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The head's live board for today (or ``?day=``): who is checked in where, who the roster puts where, mismatches,
    who has not checked in, who is on leave, and the phone and reachable status of those at home. HTMX refreshes
    it every minute."""
    units = _readable_units_or_403(request.user)
    unit = _pick_unit(request, units)
    day = clock.today()
    if request.GET.get("day"):
        asked = web.iso_day(request.GET.get("day"))
        if asked is None:
            error = ValidationFailed(_("“%(value)s” is not a date; write it as 2026-12-01.") % {"value": request.GET["day"][:20]}, rule="day")
            return render(request, "attendance/board.html", {"units": units, "unit": unit, "error": error}, status=400)
        day = asked
    data = selectors.unit_board(viewer=request.user, unit=unit, day=day)
    query = f"?unit={unit.pk}" + (f"&day={day.isoformat()}" if request.GET.get("day") else "")
    context = {
        "units": units,
        "unit": unit,
        "board": data,
        "rows": _board_rows(data, request.user, reverse("attendance:board") + f"?unit={unit.pk}&day={day.isoformat()}"),
        "day_label": day_label(day),
        "is_today": day == clock.today(),
        "refreshed_at": clock.local_now(),
        "refresh_seconds": BOARD_REFRESH_SECONDS,
        "refresh_url": reverse("attendance:board") + query,
        "timesheet_url": reverse("attendance:timesheet") + f"?unit={unit.pk}&month={day:%Y-%m}",
        "previous_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
    }
    if is_htmx(request):
        return render(request, "attendance/_board.html", context)
    return render(request, "attendance/board.html", context)


# ----------------------------------------------------------------------------------------------- the timesheet


def _timesheet_or_error(request: HttpRequest) -> tuple[Any, Unit, selectors.Timesheet | None, DomainError | None]:
    units = _readable_units_or_403(request.user)
    unit = _pick_unit(request, units)
    month = parse_month(request.GET.get("month"), clock.today())
    if month is None:
        error = ValidationFailed(_("“%(value)s” is not a month; write it as 2026-11.") % {"value": request.GET.get("month", "")[:20]}, rule="month")
        return units, unit, None, error
    return units, unit, selectors.unit_timesheet(viewer=request.user, unit=unit, month=month), None


def _timesheet_rows(sheet: selectors.Timesheet, viewer: User, separator: str) -> list[dict[str, Any]]:
    """Each person's cells as the page shows them: the text, the newest correction, and the link to correct the day
    (days that have begun, within the correction window, of the people the viewer answers for)."""
    may_correct = permissions.correctable(viewer, [row.staff for row in sheet.rows])
    back = reverse("attendance:timesheet") + f"?unit={sheet.unit.pk}&month={sheet.iso_month}"
    correctable_days = [day for day in sheet.days if is_correctable_day(day)]
    rows = []
    for row in sheet.rows:
        cells = []
        for day, cell in zip(sheet.days, row.cells, strict=True):
            has_check_in = cell.letter in (rules.LETTER_OFFICE, rules.LETTER_HOME)
            is_open_day = has_check_in or calendar.is_working_day(day)
            link = correct_url(row.staff.pk, day, back) if row.staff.pk in may_correct and day in correctable_days and is_open_day else ""
            cells.append(
                {"cell": cell, "text": cell.text(separator), "day": day, "correction": sheet.corrections.get((row.staff.pk, day)), "correct_url": link}
            )
        rows.append({"row": row, "cells": cells, "hours": rules.hours_text(row.totals.minutes, separator)})
    return rows


def _timesheet_corrections(sheet: selectors.Timesheet) -> list[dict[str, Any]]:
    """The month's corrections under the table: whose day, by whom, why."""
    names = {row.staff.pk: row.staff.full_name for row in sheet.rows}
    return [
        {"day": day, "name": names.get(staff_id, ""), "correction": correction}
        for (staff_id, day), correction in sorted(sheet.corrections.items(), key=lambda item: (item[0][1], names.get(item[0][0], "")))
    ]


@login_required
@require_GET
def timesheet(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A unit's monthly timesheet: one row per person, one column per day (CQ, TN with hours; P; L; —), totals; the
    same in Excel for the HR office's file."""
    units, unit, sheet, error = _timesheet_or_error(request)
    if sheet is None:
        return render(request, "attendance/timesheet.html", {"units": units, "unit": unit, "error": error}, status=400)
    previous_month = (sheet.month - dt.timedelta(days=1)).replace(day=1)
    next_month = calendar.month_bounds(sheet.month)[1] + dt.timedelta(days=1)
    separator = numbers.decimal_separator()
    context = {
        "units": units,
        "unit": unit,
        "sheet": sheet,
        "columns": [
            {
                "day": day,
                "weekday": exports.WEEKDAY_LETTERS[day.weekday()],
                "is_closed": not calendar.is_working_day(day),
                "holiday": sheet.holidays.get(day, ""),
            }
            for day in sheet.days
        ],
        "rows": _timesheet_rows(sheet, request.user, separator),
        "corrections": _timesheet_corrections(sheet),
        "previous_month": f"{previous_month:%Y-%m}",
        "next_month": f"{next_month:%Y-%m}",
        "export_url": reverse("attendance:timesheet_export") + f"?unit={unit.pk}&month={sheet.iso_month}",
        "legend": exports.legend(),
    }
    return render(request, "attendance/timesheet.html", context)


@login_required
@require_GET
@reporting_view
def timesheet_export(request: HttpRequest) -> HttpResponse:
    """The timesheet as an .xlsx file in the HR office's layout."""
    units, unit, sheet, error = _timesheet_or_error(request)
    if sheet is None:
        return render(request, "attendance/timesheet.html", {"units": units, "unit": unit, "error": error}, status=400)
    response = HttpResponse(exports.timesheet_xlsx(sheet), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{exports.timesheet_filename(sheet)}"'
    return response


# ----------------------------------------------------------------------------------------------- a head's correction


def _correction_initial(subject: selectors.CorrectionSubject) -> dict[str, Any]:
    check_in = subject.check_in
    if check_in is None:
        rostered_home = subject.roster_cell is not None and subject.roster_cell.status == rules.ROSTERED_HOME
        return {"mode": WorkMode.HOME if rostered_home else WorkMode.OFFICE, "seen": subject.seen}
    return {
        "mode": check_in.mode,
        "checked_in": timezone.localtime(check_in.checked_in_at).time().replace(second=0, microsecond=0),
        "checked_out": timezone.localtime(check_in.checked_out_at).time().replace(second=0, microsecond=0) if check_in.checked_out_at else None,
        "seen": subject.seen,
    }


def _moment(day: dt.date, time: dt.time | None) -> dt.datetime | None:
    return timezone.make_aware(dt.datetime.combine(day, time)) if time is not None else None


def _back_url(request: HttpRequest, subject: selectors.CorrectionSubject) -> str:
    """Where the head came from (the board or the timesheet), if it is ours; else the person's unit's board."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return back
    return reverse("attendance:board") + f"?unit={subject.staff.unit_id}&day={subject.day.isoformat()}"


@login_required
def correct(request: AuthenticatedHttpRequest, staff_id: int, day: str) -> HttpResponse:
    """A head corrects one person's working day: the mode, the check-in and check-out times (a forgotten check-out, a
    wrong time), or records the check-in the person forgot; a reason is required and the person is told. Reached from
    the board's and the timesheet's "Correct" links; a person the viewer does not answer for answers 404."""
    when = web.iso_day(day)
    if when is None:
        raise Http404(_("No such day."))
    try:
        subject = selectors.correction_subject(viewer=request.user, staff_id=staff_id, day=when)
    except NotFound as missing:
        raise Http404(_("No such person in your scope.")) from missing
    back = _back_url(request, subject)
    form = CorrectionForm(request.POST if request.method == "POST" else None, initial=_correction_initial(subject))
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        correction = services.Correction(
            mode=data["mode"],
            checked_in_at=timezone.make_aware(dt.datetime.combine(when, data["checked_in"])),
            checked_out_at=_moment(when, data["checked_out"]),
            reason=data["reason"],
        )
        try:
            services.attendance_correct(actor=request.user, staff=subject.staff, day=when, correction=correction, seen=data["seen"] or None)
        except DomainError as refusal:
            error = refusal
            if refusal.rule in form.fields:
                form.add_error(refusal.rule, str(refusal.message))
                error = None
        else:
            messages.success(
                request, _("The check-in of %(person)s on %(date)s is corrected; they are told.") % {"person": subject.staff.full_name, "date": day_label(when)}
            )
            return redirect(back)
    status = error.http_status if error else (422 if form.errors else 200)
    context = {
        "subject": subject,
        "form": form,
        "error": error,
        "back": back,
        "day_label": day_label(when),
        "roster_label": roster_label(subject.roster_cell),
        "is_on_leave": subject.plan.is_on_leave,
        "is_correctable_day": is_correctable_day(when),
        "max_days": settings.ATTENDANCE_CORRECTION_DAYS,
    }
    return render(request, "attendance/correct.html", context, status=status)
