"""Home Affairs: every unit's roster for a week at once, with its progress."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from telework.accounts.types import AuthenticatedHttpRequest, Viewer
from telework.core import clock
from telework.core.exceptions import DomainError, NotFound
from telework.core.ui import week_label
from telework.organization import scope
from telework.rosters import selectors, services
from telework.rosters.forms import CityGenerateForm
from telework.rosters.models import RosterRun
from telework.rosters.views.common import default_monday, htmx_redirect


def _require_city(user: Viewer) -> None:
    if not selectors.can_generate_city(user):
        raise PermissionDenied(_("City-wide generation is for Home Affairs."))


@login_required
def city(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Home Affairs: generate every unit's roster for a week, city-wide or for one agency, and follow its progress."""
    _require_city(request.user)
    today_ = clock.today()
    agencies = scope.visible_agencies(request.user).order_by("name")
    form = CityGenerateForm(
        request.POST if request.method == "POST" else None, agencies=agencies, initial={"week": week_label(default_monday(today_) + dt.timedelta(days=7))}
    )
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            run = services.roster_run_start(week_start=form.cleaned_data["week"], actor=request.user, agency=form.cleaned_data["agency"])
        except DomainError as refusal:
            error = refusal
            if refusal.rule in form.fields:
                form.add_error(refusal.rule, str(refusal.message))
        else:
            return htmx_redirect(request, reverse("rosters:run", args=[run.pk]))
    context = {"form": form, "error": error, "runs": list(selectors.roster_runs(viewer=request.user).select_related("agency", "started_by")[:20])}
    return render(request, "rosters/city.html", context, status=error.http_status if error else 200)


def _run_or_404(user: Viewer, pk: int) -> RosterRun:
    try:
        return selectors.roster_run_get(viewer=user, run_id=pk)
    except NotFound as missing:
        raise Http404 from missing


@login_required
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """One city-wide generation: a progress bar while it runs, then its summary."""
    _require_city(request.user)
    return render(request, "rosters/run.html", {"run": _run_or_404(request.user, pk)})


@login_required
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX, polled every second while the generation runs."""
    _require_city(request.user)
    return render(request, "rosters/_run_progress.html", {"run": _run_or_404(request.user, pk)})
