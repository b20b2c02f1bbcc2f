"""Home Affairs screens: pilots, policy versions and overrides, the city-wide switches.

Who: Home Affairs and system administrators change pilots, city policies and switches; city leadership reads them
(no forms, no buttons, 403 on any POST); an agency head reads the city policy and creates overrides for their own
agency and its units. The views only shape requests: rules live in ``services`` and reads in ``selectors``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock
from telework.core.exceptions import DomainError, NotFound, NotPermitted
from telework.organization import scope
from telework.organization.models import Agency, AgencyKind, Position, Staff, Unit
from telework.policy import labels, selectors, services
from telework.policy.forms import (
    CODE_SEPARATORS,
    CityPolicyForm,
    OverrideForm,
    PhaseFormSet,
    PilotForm,
    PresetForm,
    SwitchForm,
    apply_domain_error,
    phases_from,
)
from telework.policy.models import Pilot, Policy, PolicyLevel, SwitchKind
from telework.policy.parameters import PRESETS, PolicyParameters


def _require_city_reader(request: HttpRequest) -> None:
    if not selectors.can_read_city_policy(request.user):
        raise PermissionDenied


def _require_policy_maker(request: HttpRequest) -> None:
    if not scope.is_city_policy_maker(request.user):
        raise PermissionDenied


def _audit_url(target: Any) -> str:
    return reverse("portal:audit_object", args=[target._meta.label_lower, str(target.pk)])


# --- Pilots ------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def pilots(request: HttpRequest) -> HttpResponse:
    _require_city_reader(request)
    today = clock.today()
    rows = []
    for pilot in selectors.pilot_list(viewer=request.user):
        phases = list(pilot.phases.all())
        current = next((phase for phase in phases if phase.starts_on <= today <= phase.ends_on), None)
        upcoming = next((phase for phase in phases if phase.starts_on > today), None)
        rows.append({"pilot": pilot, "phases": phases, "current": current, "upcoming": upcoming})
    return render(request, "policy/pilot_list.html", {"rows": rows, "can_change": scope.is_city_policy_maker(request.user)})


@login_required
@require_GET
def pilot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_city_reader(request)
    pilot = _pilot_or_404(request, pk)
    today = clock.today()
    agencies_by_kind = _group_by_kind(list(pilot.agencies.all()))
    counts = selectors.pilot_scope_counts(pilot)
    context = {
        "pilot": pilot,
        "today": today,
        "phases": list(pilot.phases.all()),
        "agencies_by_kind": agencies_by_kind,
        "units": list(pilot.units.all()),
        "positions": list(pilot.positions.all()),
        "staff_counts": counts,
        "staff_total": sum(row["staff"] for row in counts),
        "can_change": scope.is_city_policy_maker(request.user),
        "history_url": _audit_url(pilot),
    }
    return render(request, "policy/pilot_detail.html", context)


@login_required
def pilot_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_policy_maker(request)
    return _pilot_form(request, None)


@login_required
def pilot_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_policy_maker(request)
    return _pilot_form(request, _pilot_or_404(request, pk))


def _pilot_or_404(request: HttpRequest, pk: int) -> Pilot:
    try:
        return selectors.pilot_get(viewer=request.user, pilot_id=pk)
    except NotFound as missing:
        raise Http404 from missing


def _pilot_form(request: AuthenticatedHttpRequest, pilot: Pilot | None) -> HttpResponse:
    error: DomainError | None = None
    phase_error = ""
    if request.method == "POST":
        form = PilotForm(request.POST, pilot=pilot)
        formset = PhaseFormSet(request.POST, prefix="phases")
        if form.is_valid() and formset.is_valid():
            try:
                saved = services.pilot_save(
                    actor=request.user,
                    pilot=pilot,
                    code=form.cleaned_data["code"],
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    status=form.cleaned_data["status"],
                    agencies=list(form.cleaned_data["agencies"]),
                    units=list(form.cleaned_data["units"]),
                    positions=list(form.cleaned_data["positions"]),
                    phases=phases_from(formset),
                )
            except DomainError as refused:
                error = refused
                if refused.rule == "pilot.units":
                    form.add_error("units", str(refused.message))
                elif refused.rule == "pilot.phases":
                    phase_error = str(refused.message)
            else:
                messages.success(request, _("Pilot “%(name)s” saved.") % {"name": saved.name})
                return redirect("policy:pilot_detail", pk=saved.pk)
    elif pilot is not None:
        form = PilotForm(
            pilot=pilot,
            initial={
                "code": pilot.code,
                "name": pilot.name,
                "description": pilot.description,
                "status": pilot.status,
                "agencies": list(pilot.agencies.all()),
                "units": list(pilot.units.all()),
                "positions": list(pilot.positions.all()),
            },
        )
        formset = PhaseFormSet(prefix="phases", initial=[{"name": p.name, "starts_on": p.starts_on, "ends_on": p.ends_on} for p in pilot.phases.all()])
    else:
        form = PilotForm()
        formset = PhaseFormSet(prefix="phases")
    chosen_agencies = _ids(form, "agencies")
    context = {
        "pilot": pilot,
        "form": form,
        "formset": formset,
        "error": error,
        "phase_error": phase_error,
        "agency_groups": _agency_checkbox_groups(chosen_agencies),
        **_scope_options(chosen_agencies, _ids(form, "units"), _ids(form, "positions")),
    }
    return render(request, "policy/pilot_form.html", context)


def _ids(form: PilotForm, name: str) -> set[int]:
    """Ids chosen in a multiple-choice field, from the submitted data or the initial value."""
    if form.is_bound:
        raw = form.data.getlist(name) if hasattr(form.data, "getlist") else form.data.get(name, [])
    else:
        raw = [item.pk if hasattr(item, "pk") else item for item in form.initial.get(name, [])]
    return {int(value) for value in raw if str(value).isdigit()}


def _group_by_kind(agencies: Sequence[Agency]) -> list[tuple[str, list[Agency]]]:
    groups = []
    for kind, title in AgencyKind.choices:
        members = [agency for agency in agencies if agency.kind == kind]
        if members:
            groups.append((str(title), members))
    return groups


def _agency_checkbox_groups(chosen: set[int]) -> list[tuple[str, list[dict[str, Any]]]]:
    agencies = list(Agency.objects.annotate(staff_count=Count("units__staff")).order_by("kind", "name"))
    return [(title, [{"agency": agency, "checked": agency.pk in chosen} for agency in members]) for title, members in _group_by_kind(agencies)]


def _scope_options(agency_ids: set[int], unit_ids: set[int], position_ids: set[int]) -> dict[str, Any]:
    """Units (as an indented tree) and positions of the chosen agencies, with what is already ticked."""
    groups = []
    agencies = Agency.objects.filter(pk__in=agency_ids).order_by("name")
    units_by_agency: dict[int, list[Unit]] = {}
    for unit in Unit.objects.filter(agency__in=agencies).order_by("path"):
        units_by_agency.setdefault(unit.agency_id, []).append(unit)
    positions_by_agency: dict[int, list[Position]] = {}
    for position in Position.objects.filter(agency__in=agencies).order_by("name"):
        positions_by_agency.setdefault(position.agency_id, []).append(position)
    for agency in agencies:
        units = [{"unit": unit, "depth": max(0, unit.path.count("/") - 2), "checked": unit.pk in unit_ids} for unit in units_by_agency.get(agency.pk, [])]
        positions = [{"position": position, "checked": position.pk in position_ids} for position in positions_by_agency.get(agency.pk, [])]
        groups.append({"agency": agency, "units": units, "positions": positions})
    return {"scope_groups": groups}


@login_required
@require_GET
def pilot_scope_options(request: HttpRequest) -> HttpResponse:
    """HTMX: the unit and position choices for the agencies ticked so far."""
    _require_policy_maker(request)

    def ids(name: str) -> set[int]:
        return {int(value) for value in request.GET.getlist(name) if value.isdigit()}

    return render(request, "policy/_pilot_scope_options.html", _scope_options(ids("agencies"), ids("units"), ids("positions")))


# --- Policies ----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def policies(request: HttpRequest) -> HttpResponse:
    if not selectors.can_read_policies(request.user):
        raise PermissionDenied
    today = clock.today()
    city_versions = list(selectors.visible_policies(request.user).filter(level=PolicyLevel.CITY).order_by("-version"))
    current = selectors.policy_in_force(level=PolicyLevel.CITY, on=today)
    version_rows = []
    for index, policy in enumerate(city_versions):
        previous = city_versions[index + 1] if index + 1 < len(city_versions) else None
        changes = labels.parameter_changes(previous.parameters if previous else None, policy.parameters) if previous else []
        version_rows.append({"policy": policy, "state": _state(policy, today), "changes": changes})
    city_parameters = current.parameters if current else PolicyParameters().as_dict()
    override_rows = []
    for policy in selectors.overrides_in_force(viewer=request.user, on=today):
        override_rows.append(
            {
                "policy": policy,
                "state": _state(policy, today),
                "values": [
                    {"label": labels.label(name), "value": labels.format_value(name, value), "city": labels.format_value(name, city_parameters.get(name))}
                    for name, value in policy.parameters.items()
                ],
            }
        )
    cards = _switch_cards()
    context = {
        "today": today,
        "current": current,
        "current_groups": labels.parameter_rows(city_parameters),
        "version_rows": version_rows,
        "override_rows": override_rows,
        "switches": cards,
        "any_switch_on": any(card["switch"].is_active for card in cards),
        "can_change": scope.is_city_policy_maker(request.user),
        "can_override": selectors.override_agencies(request.user).exists(),
        "is_city_reader": selectors.can_read_city_policy(request.user),
    }
    return render(request, "policy/policies.html", context)


def _state(policy: Policy, today: Any) -> str:
    if policy.effective_from > today:
        return "scheduled"
    if policy.effective_to is not None and policy.effective_to < today:
        return "ended"
    return "in_force"


def _switch_cards() -> list[dict[str, Any]]:
    cards = []
    rows = services.switches_ensure()
    active_kinds = {switch.kind for switch in rows if switch.is_active}
    for switch in rows:
        cards.append(
            {
                "switch": switch,
                "description": labels.SWITCH_DESCRIPTIONS[switch.kind],
                "effects": labels.describe_switch(switch.kind),
                "history": selectors.switch_history(switch),
                "exempted": list(switch.exempted_staff.select_related("unit").order_by("code")) if switch.kind == SwitchKind.SUSPENSION else [],
                "preset_name": services.PRESET_NAMES[labels.SWITCH_PRESETS[switch.kind]],
                "overrides_note": services.switch_overrides(kind=switch.kind, active_kinds=active_kinds) if switch.is_active else "",
                "refusal": services.switch_check(kind=switch.kind, is_active=True, active_kinds=active_kinds) if not switch.is_active else None,
            }
        )
    return cards


@login_required
@require_GET
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.can_read_policies(request.user):
        raise PermissionDenied
    try:
        policy = selectors.policy_get(viewer=request.user, policy_id=pk)
    except NotFound as missing:
        raise Http404 from missing
    today = clock.today()
    previous = selectors.policy_previous_version(policy)
    context: dict[str, Any] = {
        "policy": policy,
        "state": _state(policy, today),
        "previous": previous,
        "changes": labels.parameter_changes(previous.parameters if previous else None, policy.parameters) if previous else [],
        "preset_name": services.PRESET_NAMES.get(policy.preset, ""),
        "preset_source": PRESETS[policy.preset].source if policy.preset in PRESETS else "",
        "can_change": scope.is_city_policy_maker(request.user) and policy.level == PolicyLevel.CITY,
        "history_url": _audit_url(policy),
    }
    if policy.level == PolicyLevel.CITY:
        context["groups"] = labels.parameter_rows(policy.parameters)
    else:
        city = selectors.policy_in_force(level=PolicyLevel.CITY, on=max(today, policy.effective_from))
        city_parameters = city.parameters if city else PolicyParameters().as_dict()
        context["city"] = city
        context["override_values"] = [
            {"label": labels.label(name), "value": labels.format_value(name, value), "city": labels.format_value(name, city_parameters.get(name))}
            for name, value in policy.parameters.items()
        ]
    return render(request, "policy/policy_detail.html", context)


@login_required
def policy_city_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new city-wide version from edited parameters, prefilled from the version in force (or ``?from=<id>``)."""
    _require_policy_maker(request)
    today = clock.today()
    base = selectors.policy_in_force(level=PolicyLevel.CITY, on=today)
    source = request.GET.get("from", "")
    if source.isdigit():
        base = selectors.visible_policies(request.user).filter(pk=int(source), level=PolicyLevel.CITY).first() or base
    parameters = base.parameters if base else PolicyParameters().as_dict()
    error: DomainError | None = None
    if request.method == "POST":
        form = CityPolicyForm(request.POST, parameters=parameters)
        if form.is_valid():
            try:
                policy = services.policy_version_create(
                    actor=request.user,
                    level=PolicyLevel.CITY,
                    parameters=form.parameters(),
                    effective_from=form.cleaned_data["effective_from"],
                    name=form.cleaned_data["name"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as refused:
                error = apply_domain_error(form, refused, fields={"effective_from": "effective_from"})
            else:
                messages.success(request, _("City policy version %(version)s saved.") % {"version": policy.version})
                return redirect("policy:policy_detail", pk=policy.pk)
    else:
        form = CityPolicyForm(initial={"name": base.name if base else "", "effective_from": today}, parameters=parameters)
    return render(request, "policy/policy_city_form.html", {"form": form, "error": error, "base": base})


@login_required
def policy_preset(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make one of the shipped regimes the city-wide policy from a date."""
    _require_policy_maker(request)
    error: DomainError | None = None
    if request.method == "POST":
        form = PresetForm(request.POST)
        if form.is_valid():
            try:
                policy = services.policy_apply_preset(
                    actor=request.user, preset=form.cleaned_data["preset"], effective_from=form.cleaned_data["effective_from"], note=form.cleaned_data["note"]
                )
            except DomainError as refused:
                error = apply_domain_error(form, refused, fields={"effective_from": "effective_from", "preset": "preset"})
            else:
                messages.success(
                    request, _("“%(name)s” is now the city policy from %(date)s.") % {"name": policy.name, "date": f"{policy.effective_from:%d/%m/%Y}"}
                )
                return redirect("policy:policy_detail", pk=policy.pk)
    else:
        form = PresetForm(initial={"effective_from": clock.today(), "preset": request.GET.get("preset", "")})
    presets = [
        {
            "key": key,
            "name": services.PRESET_NAMES[key],
            "description": labels.PRESET_DESCRIPTIONS[key],
            "source": preset.source,
            "groups": labels.preset_rows(key),
        }
        for key, preset in PRESETS.items()
    ]
    return render(request, "policy/policy_preset_form.html", {"form": form, "error": error, "presets": presets})


@login_required
def policy_override_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An agency or unit override, only stricter than the city: Home Affairs, or the agency's own head."""
    agencies = selectors.override_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied
    today = clock.today()
    city = selectors.policy_in_force(level=PolicyLevel.CITY, on=today)
    city_parameters = city.parameters if city else PolicyParameters().as_dict()
    error: DomainError | None = None
    if request.method == "POST":
        form = OverrideForm(request.POST, agencies=agencies, city_parameters=city_parameters)
        if form.is_valid():
            try:
                policy = services.policy_override_create(
                    actor=request.user,
                    agency=form.cleaned_data["agency"],
                    unit=form.cleaned_data["unit"],
                    parameters=form.parameters(),
                    effective_from=form.cleaned_data["effective_from"],
                    name=form.cleaned_data["name"],
                    note=form.cleaned_data["note"],
                )
            except NotPermitted as refused:
                raise PermissionDenied from refused
            except DomainError as refused:
                error = apply_domain_error(form, refused, fields={"effective_from": "effective_from", "unit": "unit"})
            else:
                messages.success(request, _("Override “%(name)s” saved for %(scope)s.") % {"name": policy.name, "scope": policy.scope_label})
                return redirect("policy:policy_detail", pk=policy.pk)
    else:
        initial: dict[str, Any] = {"effective_from": today}
        if agencies.count() == 1:
            initial["agency"] = agencies.first()
        form = OverrideForm(initial=initial, agencies=agencies, city_parameters=city_parameters)
    context = {
        "form": form,
        "error": error,
        "city": city,
        "unit_options": _unit_options(agencies, getattr(form["agency"].value(), "pk", form["agency"].value())),
    }
    return render(request, "policy/policy_override_form.html", context)


@login_required
@require_GET
def override_units(request: HttpRequest) -> HttpResponse:
    """HTMX: the unit choices of the chosen agency (only agencies the user may override)."""
    agencies = selectors.override_agencies(request.user)
    if not agencies.exists():
        raise PermissionDenied
    return render(request, "policy/_override_unit_options.html", {"options": _unit_options(agencies, request.GET.get("agency", ""))})


def _unit_options(agencies: Any, agency_id: Any) -> list[dict[str, Any]]:
    """The units of one agency (among ``agencies``) as an indented list for a select."""
    if not str(agency_id).isdigit():
        return []
    units = Unit.objects.filter(agency__in=agencies, agency_id=int(agency_id)).order_by("path")
    return [{"unit": unit, "indent": "— " * max(0, unit.path.count("/") - 2)} for unit in units]


# --- City-wide switches ------------------------------------------------------------------------------------------


@login_required
def switch_change(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """Turn a switch on or off in two steps: the reason (and exemptions), then a confirmation that says what happens."""
    _require_policy_maker(request)
    if kind not in SwitchKind.values:
        raise Http404
    switch = next(item for item in services.switches_ensure() if item.kind == kind)
    turn_on = (request.POST.get("turn") or request.GET.get("turn") or ("off" if switch.is_active else "on")) == "on"
    with_exemptions = kind == SwitchKind.SUSPENSION and turn_on
    initial = {"exempted_codes": " ".join(switch.exempted_staff.order_by("code").values_list("code", flat=True))} if with_exemptions else {}
    form = SwitchForm(request.POST or None, initial=initial, with_exemptions=with_exemptions)
    context: dict[str, Any] = {
        "switch": switch,
        "turn_on": turn_on,
        "form": form,
        "description": labels.SWITCH_DESCRIPTIONS[kind],
        "effects": labels.describe_switch(kind),
        "agency_count": Agency.objects.count(),
        "staff_count": Staff.objects.filter(is_active=True).count(),
        "error": None,
        "overrides_note": services.switch_overrides(kind=kind) if turn_on else "",
        "preset_name": services.PRESET_NAMES[labels.SWITCH_PRESETS[kind]],
        "preset_description": labels.PRESET_DESCRIPTIONS[labels.SWITCH_PRESETS[kind]],
    }
    refusal = services.switch_check(kind=kind, is_active=turn_on)
    if refusal is not None:
        # Check before acting: the refusal is said on the first step, and the form is not offered.
        context["refusal"] = refusal
        return render(request, "policy/switch_form.html", context, status=409 if request.method == "POST" else 200)
    step = request.POST.get("confirm", "")
    if request.method == "POST" and form.is_valid() and step != "back":
        exempted = form.exempted_staff if with_exemptions else None
        if step != "yes":
            context["exempted"] = exempted or []
            context["already"] = switch.is_active == turn_on and (
                exempted is None or {m.pk for m in exempted} == set(switch.exempted_staff.values_list("pk", flat=True))
            )
            context["impact"] = selectors.switch_impact(kind=kind, is_active=turn_on, exempted_staff=exempted)
            return render(request, "policy/switch_confirm.html", context)
        try:
            change = services.switch_set(actor=request.user, kind=kind, is_active=turn_on, reason=form.cleaned_data["reason"], exempted_staff=exempted)
        except DomainError as refused:
            context["error"] = apply_domain_error(form, refused, fields={"reason": "reason"})
        else:
            label = str(switch.get_kind_display())
            if change is None:
                messages.info(
                    request,
                    (_("%(switch)s is already on: nothing changed.") if turn_on else _("%(switch)s is already off: nothing changed.")) % {"switch": label},
                )
                return redirect(reverse("policy:policies") + "#switches")
            if turn_on:
                messages.warning(request, _("%(switch)s is ON in every agency.") % {"switch": label})
            else:
                messages.success(request, _("%(switch)s is OFF; every agency is back to its own policy.") % {"switch": label})
            return redirect("policy:switch_progress", pk=change.pk)
    return render(request, "policy/switch_form.html", context)


@login_required
@require_GET
def switch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """What follows a switch change, as it happens: people told, rosters re-solved (units done of total). The
    fragment polls itself (HTMX) until the work is finished."""
    try:
        change = selectors.switch_change_get(viewer=request.user, change_id=pk)
    except NotFound as missing:
        raise Http404 from missing
    template = "policy/_switch_progress.html" if request.headers.get("HX-Request") else "policy/switch_progress.html"
    return render(request, template, {"change": change})


@login_required
@require_GET
def switch_staff_lookup(request: HttpRequest) -> HttpResponse:
    """HTMX: the names behind the staff codes typed so far, and the codes that match nobody."""
    _require_policy_maker(request)
    codes = [code for code in CODE_SEPARATORS.split(request.GET.get("exempted_codes", "")) if code][:200]
    found, missing = selectors.staff_by_codes(codes)
    return render(request, "policy/_staff_lookup.html", {"found": found, "missing": missing})
