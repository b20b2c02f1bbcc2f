"""Screens for same-day staffing rounds: Home Affairs opens, watches, exports and decides; a unit head fills its
row on a phone; an agency head signs off."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock
from telework.core.db import reporting_view
from telework.core.exceptions import DomainError, NotFound
from telework.organization.models import Unit
from telework.staffing import exports, permissions, selectors, services
from telework.staffing.forms import DecisionForm, RoundOpenForm, RowFillForm
from telework.staffing.models import ReportRound, ReportRow, RoundState, UnitDecision


def _found(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An id the viewer may not see answers 404."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except NotFound as missing:
            raise Http404 from missing

    return wrapper


@login_required
@require_GET
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer = request.user
    context = {
        "rounds": list(selectors.rounds_list(viewer)[:50]),
        "can_run": permissions.can_run_rounds(viewer),
        "to_fill": selectors.rows_to_fill(viewer),
        "to_sign": selectors.rows_to_sign(viewer),
        "now": clock.now(),
    }
    return render(request, "staffing/index.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_open(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_run_rounds(request.user):
        raise Http404
    special = selectors.special_units()
    form = RoundOpenForm(request.POST or None, special_units=special, all_units=Unit.objects.select_related("agency").order_by("agency__name", "name"))
    if request.method == "POST" and form.is_valid():
        try:
            report_round = services.round_open(
                actor=request.user,
                title=form.cleaned_data["title"],
                deadline=form.cleaned_data["deadline"],
                units=form.chosen_units(),
                reference_number=form.cleaned_data["reference_number"],
                recipients=form.cleaned_data["recipients"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The round is open; the units' heads have been told."))
            return redirect("staffing:round_detail", pk=report_round.pk)
    return render(request, "staffing/round_open.html", {"form": form, "special": special})


def _detail_context(request: AuthenticatedHttpRequest, report_round: ReportRound) -> dict[str, Any]:
    can_run = permissions.can_run_rounds(request.user)
    aggregate = selectors.round_aggregate(request.user, report_round)
    return {
        "report_round": report_round,
        "aggregate": aggregate,
        "can_run": can_run,
        "can_decide": can_run and report_round.state == RoundState.CLOSED,
        # A unit decided in this round may be decided again (new values, or an earlier end) while the round is closed
        # or decided and the decision has not ended: ``services.round_decide`` replaces the earlier decision.
        "can_decide_again": can_run and report_round.state in (RoundState.CLOSED, RoundState.DECIDED),
        "decision_form": DecisionForm(initial={"starts_on": clock.today(), "ends_on": clock.today()}),
        "today": clock.today(),
        "is_open": report_round.state == RoundState.OPEN,
    }


@login_required
@require_GET
@_found
def round_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report_round = selectors.round_for(request.user, pk)
    return render(request, "staffing/round_detail.html", _detail_context(request, report_round))


@login_required
@require_GET
@_found
def round_aggregate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The aggregate table alone, polled by the round page while the round is open (flags late and missing live)."""
    report_round = selectors.round_for(request.user, pk)
    return render(request, "staffing/_aggregate.html", _detail_context(request, report_round))


@login_required
@require_POST
@_found
def round_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report_round = selectors.round_for(request.user, pk)
    try:
        services.round_close(actor=request.user, report_round=report_round)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The round is closed; record the decision for each unit."))
    return redirect("staffing:round_detail", pk=pk)


@login_required
@require_GET
@_found
@reporting_view
def round_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report_round = selectors.round_for(request.user, pk)
    aggregate = selectors.round_aggregate(request.user, report_round)
    response = HttpResponse(exports.round_xlsx(aggregate), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report_round, "xlsx")}"'
    return response


@login_required
@require_GET
@_found
@reporting_view
def round_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report_round = selectors.round_for(request.user, pk)
    aggregate = selectors.round_aggregate(request.user, report_round)
    response = HttpResponse(exports.round_pdf(aggregate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report_round, "pdf")}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
@_found
def row_fill(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = selectors.row_for(request.user, pk)
    if not permissions.can_fill(request.user, row):
        raise Http404
    initial = {"needed_on_site": row.needed_on_site, "proposed_at_home": row.proposed_at_home, "reason": row.reason}
    form = RowFillForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.row_fill(
                actor=request.user,
                row=row,
                needed_on_site=form.cleaned_data["needed_on_site"],
                proposed_at_home=form.cleaned_data["proposed_at_home"],
                reason=form.cleaned_data["reason"],
                late=form.cleaned_data["late"],
            )
        except DomainError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Report sent for %(unit)s.") % {"unit": row.unit.name})
            return redirect("staffing:index")
    context = {"row": row, "form": form, "is_past_deadline": clock.now() > row.report_round.deadline}
    return render(request, "staffing/row_fill.html", context)


@login_required
@require_POST
@_found
def row_sign_off(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row = selectors.row_for(request.user, pk)
    try:
        services.row_sign_off(actor=request.user, row=row)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Report of %(unit)s signed off.") % {"unit": row.unit.name})
    return redirect("staffing:index")


@login_required
@require_POST
@_found
def row_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    row: ReportRow = selectors.row_for(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        problems = " ".join(
            f"{form.fields[name].label}: {' '.join(map(str, errors))}" if name in form.fields else " ".join(map(str, errors))
            for name, errors in form.errors.items()
        )
        messages.error(request, _("%(unit)s: check the decision's figures and dates. %(problems)s") % {"unit": row.unit.name, "problems": problems})
        return redirect("staffing:round_detail", pk=row.report_round_id)
    again = UnitDecision.objects.filter(row=row).exists()
    try:
        services.round_decide(actor=request.user, row=row, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, f"{row.unit.name}: {error.message}")
    else:
        if again:
            messages.success(
                request, _("New decision recorded for %(unit)s; it replaces the earlier one, whose values stay in the audit trail.") % {"unit": row.unit.name}
            )
        else:
            messages.success(request, _("Decision recorded for %(unit)s; it applies as the unit's policy.") % {"unit": row.unit.name})
    return redirect("staffing:round_detail", pk=row.report_round_id)
