"""Swaps between colleagues: asked on the published week, accepted by the colleague, decided by the head."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from telework.accounts.models import User
from telework.accounts.types import AuthenticatedHttpRequest
from telework.core.exceptions import DomainError
from telework.organization import scope
from telework.organization.models import Staff
from telework.rosters import selectors, services
from telework.rosters.forms import ReasonForm
from telework.rosters.models import SwapRequest
from telework.rosters.views.common import next_url, roster_or_404, roster_url, swap_items
from telework.rosters.views.week import build_swap_form, render_week

SWAP_ACTIONS = ("accept", "approve", "reject", "withdraw")
SWAP_SUCCESS = {
    "accept": gettext_lazy("You accepted the swap; it now waits for the head's approval."),
    "approve": gettext_lazy("Swap approved: both days are changed in the roster and both colleagues are notified."),
    "reject": gettext_lazy("Swap rejected; both colleagues are notified."),
    "withdraw": gettext_lazy("Swap request withdrawn."),
}


@login_required
@require_POST
def swap_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A staff member asks a colleague to exchange a day."""
    roster = roster_or_404(request.user, pk)
    me = scope.own_staff(request.user)
    units = selectors.roster_units(viewer=request.user)
    grid = selectors.roster_grid(roster=roster, viewer=request.user)
    form = build_swap_form(request, roster, grid.rows, request.POST)
    if form is None or me is None:
        raise PermissionDenied(_("Only staff of the unit ask for swaps, on a published roster."))
    error: DomainError | None = None
    if form.is_valid():
        counterpart = Staff.objects.get(pk=form.cleaned_data["counterpart"])
        try:
            services.swap_request(
                roster=roster,
                requester=me,
                counterpart=counterpart,
                requester_day=form.cleaned_data["requester_day"],
                counterpart_day=form.cleaned_data["counterpart_day"],
                actor=request.user,
                reason=form.cleaned_data["reason"].strip(),
            )
        except DomainError as refusal:
            error = refusal
        else:
            messages.success(request, _("Your request was sent to %(name)s. Once they accept, your head decides.") % {"name": counterpart.full_name})
            return redirect(roster_url(roster) + "#swaps")
    return render_week(
        request,
        unit=roster.unit,
        units=units,
        monday=roster.week_start,
        roster=roster,
        swap_form=form,
        swap_error=error,
        status=error.http_status if error else 200,
    )


def _perform_swap(action: str, swap: SwapRequest, actor: User, reason: str) -> SwapRequest:
    if action == "accept":
        return services.swap_accept(swap=swap, actor=actor)
    if action == "approve":
        return services.swap_approve(swap=swap, actor=actor, comment=reason)
    if action == "reject":
        return services.swap_reject(swap=swap, actor=actor, reason=reason)
    return services.swap_withdraw(swap=swap, actor=actor)


@login_required
@require_POST
def swap_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """Accept (the colleague), approve or reject (the head; the colleague may also decline), withdraw (the
    requester). Approval re-validates the exchange on the current roster."""
    if action not in SWAP_ACTIONS:
        raise Http404
    swap = selectors.swap_list(viewer=request.user).filter(pk=pk).select_related("roster__unit").first()
    if swap is None:
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"].strip() if form.is_valid() else ""
    try:
        _perform_swap(action, swap, request.user, reason)
    except DomainError as error:
        # Name the rule when it is one of the roster's hard rules (input problems carry a field name instead).
        label = selectors.rule_label(error.rule) if error.rule in selectors.RULE_LABELS else ""
        messages.error(request, f"{error.message} ({label})" if label else str(error.message))
    else:
        messages.success(request, SWAP_SUCCESS[action])
    return redirect(next_url(request, reverse("rosters:swaps")))


@login_required
def swaps(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Swaps waiting for the viewer (as colleague or as head), then every swap the viewer may see."""
    awaiting = selectors.swaps_awaiting(viewer=request.user)
    awaiting_ids = {swap.pk for swap in awaiting}
    others = [swap for swap in selectors.swap_list(viewer=request.user)[:100] if swap.pk not in awaiting_ids]
    return render(request, "rosters/swaps.html", {"awaiting": swap_items(request.user, awaiting), "others": swap_items(request.user, others)})
