"""Pilot design screens (/assessment/): the phases with their state, a phase's scope, design wizard, launch and review.

Who: Home Affairs (and system administrators) design, set scopes and launch; city leadership reads everything and
records the review's decision (Home Affairs may record it on their behalf). Anyone else gets 403. The views only
shape requests: the rules live in ``services``, reads in ``selectors``, allocation and MDE in ``design``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from telework.accounts.types import AuthenticatedHttpRequest
from telework.assessment import selectors, services
from telework.assessment.design import COMPARISON, PILOT
from telework.assessment.forms import DesignForm, PhaseScopeForm, ReviewForm
from telework.assessment.models import DesignAllocation, DesignChange, DesignMethod, PhaseDesign
from telework.core.exceptions import DomainError, NotFound
from telework.outcomes.indicators import INDICATORS
from telework.policy.models import PilotPhase
from telework.policy.services import phase_scope as policy_phase_scope
from telework.policy.services import phase_scope_set


def _require_reader(request: AuthenticatedHttpRequest) -> None:
    if not selectors.can_read_designs(request.user):
        raise PermissionDenied


def _require_designer(request: AuthenticatedHttpRequest) -> None:
    if not selectors.can_design(request.user):
        raise PermissionDenied


def _phase_or_404(request: AuthenticatedHttpRequest, pk: int) -> PilotPhase:
    try:
        return selectors.phase_get(viewer=request.user, phase_id=pk)
    except NotFound as missing:
        raise Http404 from missing


def _state(phase: PilotPhase) -> tuple[str, str]:
    """The phase's state in words and its badge colour."""
    review = getattr(phase, "review", None) if hasattr(phase, "review") else None
    if review is not None:
        return _("Reviewed: %(decision)s") % {"decision": review.get_decision_display()}, "text-bg-dark"
    if phase.started_at is not None:
        return _("Launched"), "text-bg-success"
    if hasattr(phase, "design"):
        return _("Design recorded"), "text-bg-info"
    return _("No design yet"), "text-bg-secondary"


@login_required
@require_GET
def phases(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    rows = []
    for phase in selectors.phase_list(viewer=request.user):
        label, badge = _state(phase)
        rows.append({"phase": phase, "state": label, "badge": badge})
    return render(request, "assessment/phase_list.html", {"rows": rows, "can_design": selectors.can_design(request.user)})


@login_required
@require_GET
def phase_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    phase = _phase_or_404(request, pk)
    design = selectors.design_of(phase)
    review = selectors.review_of(phase)
    allocations: list[DesignAllocation] = []
    changes: list[DesignChange] = []
    agencies: dict[int, str] = {}
    if design is not None:
        allocations = list(design.allocations.select_related("unit", "unit__agency", "matched_to").order_by("arm", "wave", "unit__agency__name", "unit__path"))
        changes = list(design.changes.select_related("changed_by"))
        agencies = {a.unit.agency_id: a.unit.agency.name for a in allocations}
    label, badge = _state(phase)
    agencies_in_scope, units_in_scope, positions_in_scope = policy_phase_scope(phase)
    refusal = services.phase_launch_refusal(phase)
    previous = selectors.previous_phase(phase)
    context: dict[str, Any] = {
        "phase": phase,
        "state": label,
        "badge": badge,
        "design": design,
        "allocations": [{"row": a, "stratum": selectors.stratum_label(a.stratum, agencies)} for a in allocations],
        "arm_counts": {arm: sum(1 for a in allocations if a.arm == arm) for arm in (PILOT, COMPARISON)},
        "outcomes": [INDICATORS[code] for code in (design.primary_outcomes if design else []) if code in INDICATORS],
        "changes": changes,
        "review": review,
        "previous": previous,
        "previous_review": selectors.review_of(previous) if previous else None,
        "agencies": sorted(agencies_in_scope, key=lambda agency: agency.name),
        "units": sorted(units_in_scope, key=lambda unit: unit.path),
        "positions": sorted(positions_in_scope, key=lambda position: position.name),
        "launch_refusal": refusal,
        "can_design": selectors.can_design(request.user),
        "can_review": selectors.can_review(request.user),
        "mde_meets": design is not None and design.mde <= design.smallest_effect,
        "history_url": reverse("portal:audit_object", args=["assessment.phasedesign", str(design.pk)]) if design else "",
    }
    return render(request, "assessment/phase_detail.html", context)


def _design_initial(phase: PilotPhase, design: PhaseDesign | None) -> dict[str, Any]:
    if design is None:
        # A stable default seed per phase; Home Affairs may type another (e.g. drawn in public).
        return {"method": DesignMethod.RANDOMISED, "seed": 20_260_000 + phase.pk, "pilot_share": 0.5, "waves": 3, "wave_weeks": 8, **_mde_defaults()}
    inputs = design.mde_inputs
    return {
        "method": design.method,
        "seed": design.seed,
        "pilot_share": design.pilot_share,
        "waves": design.waves or 3,
        "wave_weeks": design.wave_weeks or 8,
        "pilot_units": [a.unit_id for a in design.allocations.filter(arm=PILOT)] if design.method == DesignMethod.MATCHED else [],
        "primary_outcomes": design.primary_outcomes,
        "smallest_effect": design.smallest_effect,
        "icc": inputs.get("icc", 0.05),
        "outcome_sd": inputs.get("outcome_sd", 0.15),
        "periods_before": inputs.get("chosen_periods_before", inputs.get("periods_before", 26)),
        "periods_after": inputs.get("chosen_periods_after", inputs.get("periods_after", 26)),
    }


def _mde_defaults() -> dict[str, Any]:
    return {"icc": 0.05, "outcome_sd": 0.15, "periods_before": 26, "periods_after": 26, "primary_outcomes": ["dossier_on_time_rate"], "smallest_effect": 0.03}


@login_required
def design_wizard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Method → candidates and strata → allocation preview with balance → MDE → record (one page, in steps)."""
    _require_reader(request)
    _require_designer(request)
    phase = _phase_or_404(request, pk)
    design = selectors.design_of(phase)
    candidates = selectors.phase_candidates(phase)
    unit_choices = [(row.candidate.unit_id, f"{row.unit_name} — {row.agency_name}") for row in candidates]
    preview = None
    error: DomainError | None = None
    if request.method == "POST":
        form = DesignForm(request.POST, unit_choices=unit_choices)
        if form.is_valid():
            try:
                if request.POST.get("action") == "record":
                    services.design_record(actor=request.user, phase=phase, inputs=form.inputs(), why=form.cleaned_data.get("why") or "")
                    messages.success(request, _("The design has been recorded."))
                    return redirect("assessment:phase_detail", pk=phase.pk)
                preview = services.design_preview(phase=phase, inputs=form.inputs())
            except DomainError as refused:
                error = refused
    else:
        form = DesignForm(initial=_design_initial(phase, design), unit_choices=unit_choices)
    agencies = selectors.agency_names({row.candidate.agency_id for row in candidates})
    units = {row.candidate.unit_id: row for row in candidates}
    context: dict[str, Any] = {
        "phase": phase,
        "design": design,
        "form": form,
        "error": error,
        "candidates": candidates,
        "function_labels": selectors.FUNCTION_LABELS,
        "strata": selectors.strata_description([row.candidate for row in candidates], agencies).splitlines(),
        "preview": preview,
        "locked": design is not None and design.locked_at is not None,
    }
    if preview is not None:
        context["preview_rows"] = [
            {
                "allocation": a,
                "unit": units[a.unit_id].unit_name if a.unit_id in units else a.unit_id,
                "staff": units[a.unit_id].candidate.staff if a.unit_id in units else None,
                "matched_to": units[a.matched_to].unit_name if a.matched_to in units else "",
                "stratum": selectors.stratum_label(a.stratum, agencies),
            }
            for a in preview.allocations
        ]
        context["balance"] = [{**row, "label": selectors.stratum_label(str(row["stratum"]), agencies)} for row in preview.balance]
        context["mde_meets"] = preview.mde <= form.cleaned_data["smallest_effect"]
    return render(request, "assessment/design_wizard.html", context)


@login_required
def phase_scope(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    _require_designer(request)
    phase = _phase_or_404(request, pk)
    agency_ids = list(phase.pilot.agencies.values_list("pk", flat=True))
    error: DomainError | None = None
    if request.method == "POST":
        form = PhaseScopeForm(request.POST, agency_ids=agency_ids)
        if form.is_valid():
            try:
                phase_scope_set(
                    actor=request.user,
                    phase=phase,
                    agencies=list(form.cleaned_data["agencies"]),
                    units=list(form.cleaned_data["units"]),
                    positions=list(form.cleaned_data["positions"]),
                )
                messages.success(request, _("The phase's scope has been saved."))
                return redirect("assessment:phase_detail", pk=phase.pk)
            except DomainError as refused:
                error = refused
    else:
        form = PhaseScopeForm(initial=dict(zip(("agencies", "units", "positions"), policy_phase_scope(phase), strict=True)), agency_ids=agency_ids)
    return render(request, "assessment/phase_scope.html", {"phase": phase, "form": form, "error": error})


@login_required
@require_POST
def phase_launch(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    _require_designer(request)
    phase = _phase_or_404(request, pk)
    try:
        services.phase_launch(actor=request.user, phase=phase)
        messages.success(request, _("The phase has been launched; its design is now locked."))
    except DomainError as refused:
        messages.error(request, str(refused.message))
    return redirect("assessment:phase_detail", pk=phase.pk)


@login_required
def phase_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    if not selectors.can_review(request.user):
        raise PermissionDenied
    phase = _phase_or_404(request, pk)
    error: DomainError | None = None
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.phase_review_record(actor=request.user, phase=phase, **form.cleaned_data)
                messages.success(request, _("The review has been recorded."))
                return redirect("assessment:phase_detail", pk=phase.pk)
            except DomainError as refused:
                error = refused
    else:
        form = ReviewForm()
    return render(request, "assessment/phase_review.html", {"phase": phase, "form": form, "error": error, "design": selectors.design_of(phase)})
