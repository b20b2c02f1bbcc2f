"""Leave asked for by staff and decided by their head: my leave (ask, follow, withdraw; and, for a head, the requests
waiting for them), and the decision (approve, reject with a comment)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock
from telework.core.exceptions import DomainError, NotFound
from telework.organization import scope
from telework.rosters import selectors, services
from telework.rosters.forms import LeaveDecisionForm, LeaveRequestForm
from telework.rosters.models import LEAVE_REQUEST_WORKFLOW, Leave
from telework.rosters.views.common import next_url

LEAVE_REQUEST_SUCCESS = {
    "approve": gettext_lazy("Leave approved: those days are leave in the current rosters, and %(person)s is told."),
    "reject": gettext_lazy("Leave rejected; %(person)s is told why."),
    "withdraw": gettext_lazy("Your leave request is withdrawn."),
}


@login_required
def leave_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My leave: ask for leave (the head is told), follow my requests and withdraw one still waiting; my leave in
    force; and the requests waiting for my decision when I am someone's head."""
    me = scope.own_staff(request.user)
    if me is None or not me.is_active:
        raise PermissionDenied(_("Only staff members ask for leave; your account is not linked to an active staff record."))
    form = LeaveRequestForm(request.POST if request.method == "POST" else None)
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.leave_request_submit(actor=request.user, starts_on=data["starts_on"], ends_on=data["ends_on"], kind=data["kind"], note=data["note"])
        except DomainError as refusal:
            error = refusal
            if refusal.rule in form.fields:
                form.add_error(refusal.rule, str(refusal.message))
                error = None
        else:
            messages.success(request, _("Your leave request is sent to your head."))
            return redirect("rosters:leave_mine")
    today = clock.today()
    context = {
        "me": me,
        "form": form,
        "error": error,
        "requests": [
            {"request": item, "can_withdraw": LEAVE_REQUEST_WORKFLOW.allows(item.status, "withdraw")} for item in selectors.my_leave_requests(staff=me)
        ],
        "leaves": list(Leave.objects.filter(staff=me, cancelled_at__isnull=True, ends_on__gte=today - dt.timedelta(days=31)).order_by("starts_on")),
        "waiting": selectors.leave_requests_waiting(viewer=request.user),
        "decision_form": LeaveDecisionForm(),
    }
    status = error.http_status if error else (422 if form.errors else 200)
    return render(request, "rosters/leave_mine.html", context, status=status)


@login_required
@require_POST
def leave_request_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve, reject (a comment is required) or withdraw a leave request; back to where the button was."""
    if action not in LEAVE_REQUEST_WORKFLOW.moves:
        raise Http404
    try:
        leave_request = selectors.leave_request_get(viewer=request.user, request_id=pk)
    except NotFound as missing:
        raise Http404 from missing
    form = LeaveDecisionForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if action == "approve":
            services.leave_request_approve(request=leave_request, actor=request.user, comment=comment)
        elif action == "reject":
            services.leave_request_reject(request=leave_request, actor=request.user, comment=comment)
        else:
            services.leave_request_withdraw(request=leave_request, actor=request.user)
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, str(LEAVE_REQUEST_SUCCESS[action]) % {"person": leave_request.staff.full_name})
    return redirect(next_url(request, reverse("rosters:leave_mine")))
