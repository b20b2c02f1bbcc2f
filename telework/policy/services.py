"""Writes for pilots, policies and switches. Each is one transaction with its audit row."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import User
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.background import run_in_background
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.notifications import NotificationCategory, deliveries_deferred, notify_user
from telework.organization.heads import unit_heads
from telework.organization.models import Agency, Position, Staff, Unit
from telework.organization.scope import is_city_policy_maker
from telework.policy import effects, labels
from telework.policy.models import Pilot, PilotPhase, PilotStatus, Policy, PolicyLevel, PolicySwitch, SwitchChange, SwitchKind
from telework.policy.overlap import PilotCoverage, covers, first_overlap
from telework.policy.parameters import (
    PRESETS,
    ParameterProblem,
    PolicyParameters,
    check_within_bounds,
    consistency_problems,
    merge,
    validate_values,
)
from telework.policy.selectors import can_override, switch_impact

PROBLEM_MESSAGES = {
    "unknown": _("“%(name)s” is not a policy parameter."),
    "type": _("“%(name)s” has a value of the wrong kind: %(value)s."),
    "range": _("“%(name)s” = %(value)s is outside the allowed range %(bound)s."),
    "inconsistent_shares": _("The on-site minimum %(value)s and the home maximum cannot both hold: the on-site minimum may be at most %(bound)s."),
    "exceeds_city_bound": _("“%(name)s” = %(value)s is looser than the city's bound %(bound)s."),
    "below_city_bound": _("“%(name)s” = %(value)s is below the city's minimum %(bound)s."),
    "drops_city_item": _("“%(name)s” drops %(bound)s, which the city requires."),
    "drops_city_requirement": _("“%(name)s” cannot be switched off: the city requires it."),
    "switch_only": _("“%(name)s” is set only by the city-wide switches."),
    "onsite_cap_below_minimum": _("The presence cap %(value)s is below the on-site minimum %(bound)s: no day could keep both."),
    "onsite_cap_below_staffing": _("A presence cap of %(value)s people is below what desks, duty posts and leaders need on site (%(bound)s people)."),
    "assigned_with_suspension": _("Home days cannot be assigned by the unit while telework is suspended: everybody works at the office."),
}


def _problems_error(problems: list[ParameterProblem]) -> ValidationFailed:
    details = [
        {
            "rule": problem.name,
            "code": problem.code,
            # The refused value and the bound it breaks, so a form can say it next to the field in human terms.
            "value": problem.value,
            "bound": problem.bound,
            "message": str(PROBLEM_MESSAGES[problem.code] % _problem_params(problem)),
        }
        for problem in problems
    ]
    return ValidationFailed("; ".join(detail["message"] for detail in details), rule=problems[0].name, params={"problems": len(problems)}, details=details)


# The combination rules speak in people's terms (30 %, not 0.3); the older codes keep their message as it was.
_WORDED_CODES = frozenset({"onsite_cap_below_minimum", "onsite_cap_below_staffing", "assigned_with_suspension"})


def _problem_params(problem: ParameterProblem) -> dict[str, Any]:
    if problem.code not in _WORDED_CODES:
        return {"name": problem.name, "value": problem.value, "bound": problem.bound}
    if problem.code == "onsite_cap_below_minimum":
        return {"name": labels.label(problem.name), "value": labels.format_share(problem.value), "bound": labels.format_share(problem.bound)}
    return {"name": labels.label(problem.name), "value": problem.value, "bound": problem.bound}


@transaction.atomic
def policy_version_create(
    *,
    actor: User,
    level: str,
    parameters: dict[str, Any],
    effective_from: dt.date,
    name: str,
    agency: Agency | None = None,
    unit: Unit | None = None,
    preset: str = "",
    note: str = "",
) -> Policy:
    """Add a new version of the city, agency or unit policy, effective from ``effective_from``.

    A city version must give every parameter a valid value; an override may only tighten the city version in
    force on ``effective_from``. The previous open-ended version of the same scope is closed the day before.
    """
    if level == PolicyLevel.UNIT and unit is not None:
        agency = unit.agency
    problems = validate_values(parameters)
    if problems:
        raise _problems_error(problems)
    if level == PolicyLevel.CITY:
        full = PolicyParameters().as_dict()
        full.update(parameters)
        parameters = full
    else:
        city = Policy.objects.filter(level=PolicyLevel.CITY, effective_from__lte=effective_from).order_by("-version").first()
        city_parameters = PolicyParameters.from_dict(city.parameters) if city else PolicyParameters()
        problems = check_within_bounds(city_parameters, parameters)
        if not problems:
            # An override that is consistent alone may still clash with the city's other values (a presence cap of
            # 30 % under a city minimum of 50 % on site): judge the policy the unit would actually get.
            problems = consistency_problems(merge(city_parameters, parameters).as_dict())
        if problems:
            raise _problems_error(problems)
    scope = Policy.objects.select_for_update().filter(
        level=level, agency=agency if level != PolicyLevel.CITY else None, unit=unit if level == PolicyLevel.UNIT else None
    )
    previous = scope.order_by("-version").first()
    if previous is not None and previous.effective_from >= effective_from:
        raise ValidationFailed(
            _("A new version must start after the current one (from %(date)s).") % {"date": previous.effective_from.strftime("%d/%m/%Y")},
            rule="effective_from",
        )
    if previous is not None and previous.effective_to is not None and previous.effective_to >= effective_from:
        # A version set for a fixed period (a staffing decision's override) is not cut short by another one.
        raise ValidationFailed(
            _("“%(name)s” applies until %(date)s and cannot be cut short: a new version may start from %(next)s.")
            % {
                "name": previous.name,
                "date": previous.effective_to.strftime("%d/%m/%Y"),
                "next": (previous.effective_to + dt.timedelta(days=1)).strftime("%d/%m/%Y"),
            },
            rule="effective_from",
        )
    if previous is not None and previous.effective_to is None:
        before = {"effective_to": previous.effective_to}
        previous.effective_to = effective_from - dt.timedelta(days=1)
        previous.save(update_fields=["effective_to"])
        audit_record(
            actor=actor, action="policy.close", target=previous, before=before, after={"effective_to": previous.effective_to}, agency_id=previous.agency_id
        )
    policy = Policy.objects.create(
        level=level,
        agency=agency if level != PolicyLevel.CITY else None,
        unit=unit if level == PolicyLevel.UNIT else None,
        version=(previous.version + 1) if previous else 1,
        name=name,
        preset=preset,
        parameters=parameters,
        effective_from=effective_from,
        note=note,
        created_by=actor if actor.is_authenticated else None,
    )
    audit_record(
        actor=actor,
        action="policy.create",
        target=policy,
        before={"version": previous.version, "parameters": previous.parameters} if previous else None,
        after={"version": policy.version, "parameters": parameters, "effective_from": effective_from},
        reason=note,
        agency_id=policy.agency_id,
    )
    return policy


def policy_apply_preset(*, actor: User, preset: str, effective_from: dt.date, note: str = "") -> Policy:
    """Make a shipped regime the city-wide policy from ``effective_from``."""
    if preset not in PRESETS:
        raise ValidationFailed(_("Unknown preset “%(preset)s”.") % {"preset": preset}, rule="preset")
    return policy_version_create(
        actor=actor,
        level=PolicyLevel.CITY,
        parameters=PRESETS[preset].parameters.as_dict(),
        effective_from=effective_from,
        name=str(PRESET_NAMES[preset]),
        preset=preset,
        note=note or str(PRESETS[preset].source),
    )


PRESET_NAMES = {
    "hcmc_pilot": _("HCMC telework pilot"),
    "emergency_2021": _("Emergency 2021 (≤ 1/2 at home)"),
    "france": _("France-like regime (≤ 3 home, ≥ 2 office days)"),
    "us": _("US-like regime (agreement and training)"),
    "suspension": _("Telework suspended"),
    "distancing_2020": _("Distancing 2020 (at most 30 per cent on site, in rotation)"),
}


@transaction.atomic
def switch_set(*, actor: User, kind: str, is_active: bool, reason: str, exempted_staff: list[Staff] | None = None) -> SwitchChange | None:
    """Turn a city-wide switch on or off; it applies to every agency at once. A reason is required.

    Idempotent: turning on a switch that is already on (with the same exemptions), or off one that is off, changes
    nothing and returns None — no audit row, no notification, no re-solve. An effective change returns its
    ``SwitchChange``, whose follow-up (tell every affected staff member and head, re-solve this week's and next
    week's rosters) starts in the background once the transaction commits.
    """
    if kind not in SwitchKind.values:
        raise ValidationFailed(_("Unknown switch."), rule="kind")
    if not reason.strip():
        raise ValidationFailed(_("Give a reason for changing a city-wide switch."), rule="reason")
    # Every switch row is locked in one order (three rows): turning distancing and the suspension on at the same
    # moment would otherwise each pass the check against the other's old state.
    rows = {row.kind: row for row in PolicySwitch.objects.select_for_update().filter(kind__in=SwitchKind.values).order_by("kind")}
    refusal = switch_check(kind=kind, is_active=is_active, active_kinds={other for other, row in rows.items() if row.is_active})
    if refusal is not None:
        raise refusal
    switch, _created = PolicySwitch.objects.select_for_update().get_or_create(kind=kind)
    exempted_before = sorted(switch.exempted_staff.values_list("code", flat=True))
    exemptions_change = exempted_staff is not None and sorted(member.code for member in exempted_staff) != exempted_before
    if switch.is_active == is_active and not exemptions_change:
        return None
    before = {"is_active": switch.is_active, "exempted_staff": exempted_before}
    switch.is_active = is_active
    switch.changed_at = clock.now()
    switch.changed_by = actor if actor.is_authenticated else None
    switch.reason = reason
    switch.save(update_fields=["is_active", "changed_at", "changed_by", "reason"])
    if exempted_staff is not None:
        switch.exempted_staff.set(exempted_staff)
    after = {"is_active": is_active, "exempted_staff": sorted(switch.exempted_staff.values_list("code", flat=True))}
    audit_record(actor=actor, action=f"switch.{'on' if is_active else 'off'}", target=switch, before=before, after=after, reason=reason)
    change = SwitchChange.objects.create(kind=kind, is_active=is_active, changed_by=switch.changed_by, reason=reason)
    transaction.on_commit(partial(run_in_background, "policy.switch_follow_up", change.pk))
    return change


# Switches that cannot be on together: distancing assigns home days and caps who comes in, the suspension calls
# everybody in. Emergency mode and distancing may both be on: distancing's overlay is laid after the emergency's
# (``selectors.PolicyResolver``), so the stricter distancing rules hold until it is turned off.
EXCLUSIVE_SWITCHES = frozenset({(SwitchKind.DISTANCING, SwitchKind.SUSPENSION), (SwitchKind.SUSPENSION, SwitchKind.DISTANCING)})


def switch_check(*, kind: str, is_active: bool, active_kinds: set[str] | None = None) -> RuleViolation | None:
    """May ``kind`` be turned on (``is_active``) now, given the switches on (``active_kinds``; read when None)? None
    when allowed, else the refusal naming the rule. Turning a switch off is always allowed."""
    if not is_active:
        return None
    if active_kinds is None:
        active_kinds = set(PolicySwitch.objects.filter(is_active=True).values_list("kind", flat=True))
    for other in sorted(active_kinds):
        if (kind, other) in EXCLUSIVE_SWITCHES:
            return RuleViolation(
                _(
                    "%(switch)s cannot be turned on while %(other)s is on: distancing sends most staff home in rotation, "
                    "the suspension calls everybody to the office. Turn %(other)s off first."
                )
                % {"switch": SwitchKind(kind).label, "other": SwitchKind(other).label},
                rule="switch.distancing_with_suspension",
                params={"kind": kind, "other": other},
            )
    return None


def switch_overrides(*, kind: str, active_kinds: set[str] | None = None) -> str:
    """The other switch whose rules give way while ``kind`` is on, or that overrides it (empty when none): emergency
    mode yields to distancing, which is stricter."""
    if active_kinds is None:
        active_kinds = set(PolicySwitch.objects.filter(is_active=True).values_list("kind", flat=True))
    if kind == SwitchKind.DISTANCING and SwitchKind.EMERGENCY in active_kinds:
        return str(_("Emergency mode is on too: while distancing is on, distancing's stricter rules hold over it."))
    if kind == SwitchKind.EMERGENCY and SwitchKind.DISTANCING in active_kinds:
        return str(_("Distancing is on: its stricter rules hold over emergency mode until distancing is turned off."))
    return ""


def switch_follow_up(*, change: SwitchChange) -> SwitchChange:
    """The work after a switch changed: notify every affected staff member and their heads, then run the registered
    follow-ups (the rosters' re-solve), counting units done on ``change`` as they finish. Runs once: a change already
    started is left alone (a retried task does nothing twice; notifications are keyed anyway)."""
    claimed = SwitchChange.objects.filter(pk=change.pk, status=SwitchChange.Status.QUEUED).update(status=SwitchChange.Status.RUNNING)
    if not claimed:
        return change
    # Every notice the follow-up writes (the switch's, each person's days, paused work) leaves by e-mail in one task
    # once the follow-up is done, not beside its writes.
    with deliveries_deferred():
        try:
            notified = notify_switch_change(change=change)
            SwitchChange.objects.filter(pk=change.pk).update(people_notified=notified)

            def progress(done: int, total: int) -> None:
                SwitchChange.objects.filter(pk=change.pk).update(units_done=done, units_total=total)

            for follow_up in effects.follow_ups():
                follow_up(change.kind, change.is_active, progress)
        except Exception as error:
            SwitchChange.objects.filter(pk=change.pk).update(status=SwitchChange.Status.FAILED, error=str(error)[:2000], finished_at=clock.now())
            raise
        SwitchChange.objects.filter(pk=change.pk).update(status=SwitchChange.Status.DONE, finished_at=clock.now())
        change.refresh_from_db()
    return change


def notify_switch_change(*, change: SwitchChange) -> int:
    """Tell each affected staff member (approved home days from today on, or a place in this week's or next week's
    rosters) and the heads of their units that the switch started or ended. Returns the number of people told."""
    impact = switch_impact(kind=change.kind, is_active=change.is_active)
    staff = list(Staff.objects.filter(pk__in=impact.staff_ids, is_active=True, user__isnull=False).select_related("user", "unit"))
    heads = unit_heads({member.unit for member in staff})
    people = {member.user.pk: member.user for member in staff if member.user is not None}
    people.update({head.pk: head for head in heads})
    exempted = (
        set(PolicySwitch.objects.get(kind=change.kind).exempted_staff.values_list("user_id", flat=True)) if change.kind == SwitchKind.SUSPENSION else set()
    )
    with translation.override("vi"):
        label = str(SwitchKind(change.kind).label)
        title = (_("%(switch)s has started") if change.is_active else _("%(switch)s has ended")) % {"switch": label}
        for user in sorted(people.values(), key=lambda user: user.pk):
            body = str(SWITCH_NOTICES[(change.kind, change.is_active)])
            if user.pk in exempted and change.is_active:
                body = str(_("You hold a named exemption: you may keep working from home."))
            if change.reason:
                body = f"{body}\n{_('Reason')}: {change.reason}"
            notify_user(user, key=f"switch-change:{change.pk}", title=title, body=body, url=_url("registrations:mine"), category=NotificationCategory.EMERGENCY)
    return len(people)


def _url(name: str) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


SWITCH_NOTICES: dict[tuple[str, bool], Any] = {
    (SwitchKind.SUSPENSION, True): _("Telework is suspended city-wide: your approved home days from today on are suspended and you work at the office."),
    (SwitchKind.SUSPENSION, False): _("The telework suspension has ended: your approved home days count again."),
    (SwitchKind.EMERGENCY, True): _("Emergency mode is on city-wide: up to half of each unit may work from home; rosters are being re-solved."),
    (SwitchKind.EMERGENCY, False): _("Emergency mode has ended: every agency is back to its own policy; rosters are being re-solved."),
    (SwitchKind.DISTANCING, True): _(
        "The distancing regime is on city-wide: at most 30 per cent of each unit works on site on a day, in rotation; your unit "
        "assigns your home days (you need not request them). Your days for this week and next follow in a separate "
        "message."
    ),
    (SwitchKind.DISTANCING, False): _(
        "The distancing regime has ended: every agency is back to its own policy and home days are requested again; "
        "your days for this week and next follow in a separate message."
    ),
}


@transaction.atomic
def pilot_save(
    *,
    actor: User,
    pilot: Pilot | None,
    code: str,
    name: str,
    description: str,
    status: str,
    agencies: list[Agency],
    units: list[Unit],
    positions: list[Any],
    phases: list[tuple[str, dt.date, dt.date]],
) -> Pilot:
    """Create or update a pilot and its phases. Phases must not overlap; units must belong to listed agencies; a
    running pilot (started now or edited while running) must not cover a unit and position that another running pilot
    covers on the same day (``overlap.first_overlap``)."""
    agency_ids = {agency.pk for agency in agencies}
    outside = [unit for unit in units if unit.agency_id not in agency_ids]
    if outside:
        raise ValidationFailed(_("Unit %(unit)s belongs to an agency that is not in the pilot.") % {"unit": outside[0].name}, rule="pilot.units")
    ordered = sorted(phases, key=lambda phase: phase[1])
    for phase_name, starts_on, ends_on in ordered:
        if ends_on < starts_on:
            raise ValidationFailed(_("Phase “%(phase)s” ends before it starts.") % {"phase": phase_name}, rule="pilot.phases")
    for (first_name, _s1, first_end), (second_name, second_start, _e2) in zip(ordered, ordered[1:], strict=False):
        if second_start <= first_end:
            raise ValidationFailed(_("Phases “%(first)s” and “%(second)s” overlap.") % {"first": first_name, "second": second_name}, rule="pilot.phases")
    if status == PilotStatus.RUNNING:
        _check_no_running_overlap(pilot, agencies=agencies, units=units, positions=positions, phases=ordered)
    before = _pilot_snapshot(pilot) if pilot else None
    if pilot is None:
        pilot = Pilot.objects.create(code=code, name=name, description=description, status=status)
    else:
        pilot.code, pilot.name, pilot.description, pilot.status = code, name, description, status
        pilot.save(update_fields=["code", "name", "description", "status"])
    previous_scope = _scope_ids(pilot) if before is not None else None
    pilot.agencies.set(agencies)
    pilot.units.set(units)
    pilot.positions.set(positions)
    _phases_update(pilot, ordered, previous_scope=previous_scope)
    audit_record(actor=actor, action="pilot.save", target=pilot, before=before, after=_pilot_snapshot(pilot))
    return pilot


def _scope_ids(owner: Pilot | PilotPhase) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    return (
        frozenset(owner.agencies.values_list("pk", flat=True)),
        frozenset(owner.units.values_list("pk", flat=True)),
        frozenset(owner.positions.values_list("pk", flat=True)),
    )


def _phases_update(
    pilot: Pilot, ordered: list[tuple[str, dt.date, dt.date]], *, previous_scope: tuple[frozenset[int], frozenset[int], frozenset[int]] | None
) -> None:
    """Phases are updated in place (their designs and reviews hang on them): an entry keeps the phase of the same
    name, else the next unused phase in date order. A launched phase is never removed and keeps its start date.

    A new phase takes the pilot's scope; a phase not yet launched whose scope was the pilot's old scope follows the
    pilot's new scope; a phase with a scope of its own (``phase_scope_set``) keeps it.
    """
    existing = list(pilot.phases.order_by("starts_on", "pk"))
    by_name = {phase.name: phase for phase in existing}
    paired: list[PilotPhase | None] = []
    used: set[int] = set()
    for name, _starts_on, _ends_on in ordered:
        phase = by_name.get(name)
        if phase is not None and phase.pk not in used:
            used.add(phase.pk)
            paired.append(phase)
        else:
            paired.append(None)
    spare = iter([phase for phase in existing if phase.pk not in used])
    for index, phase in enumerate(paired):
        if phase is None:
            phase = next(spare, None)
            if phase is not None:
                used.add(phase.pk)
                paired[index] = phase
    launched = [phase for phase in existing if phase.pk not in used and phase.started_at is not None]
    moved = [phase for phase, entry in zip(paired, ordered, strict=True) if phase is not None and phase.started_at is not None and phase.starts_on != entry[1]]
    if launched or moved:
        name = (launched or moved)[0].name
        raise RuleViolation(
            _("Phase “%(phase)s” has been launched: it cannot be removed and its start date cannot change.") % {"phase": name}, rule="pilot.phases"
        )
    PilotPhase.objects.filter(pk__in=[phase.pk for phase in existing if phase.pk not in used]).delete()
    for phase, (name, starts_on, ends_on) in zip(paired, ordered, strict=True):
        if phase is not None:
            phase.name, phase.starts_on, phase.ends_on = name, starts_on, ends_on
            phase.save(update_fields=["name", "starts_on", "ends_on"])
            if phase.started_at is not None or previous_scope is None or _scope_ids(phase) != previous_scope:
                continue
        else:
            phase = PilotPhase.objects.create(pilot=pilot, name=name, starts_on=starts_on, ends_on=ends_on)
        phase.agencies.set(pilot.agencies.all())
        phase.units.set(pilot.units.all())
        phase.positions.set(pilot.positions.all())


def phase_scope(phase: PilotPhase) -> tuple[list[Agency], list[Unit], list[Position]]:
    """A phase's agencies, units and positions; a phase that names no agency (created before phases had scopes, or
    directly in a test) has its pilot's scope."""
    owner: Pilot | PilotPhase = phase if phase.agencies.exists() else phase.pilot
    return list(owner.agencies.all()), list(owner.units.all()), list(owner.positions.all())


def phase_coverage(phase: PilotPhase) -> PilotCoverage:
    """A phase's scope as plain data (``overlap.PilotCoverage``): its covered units, named positions and its dates."""
    agencies, units, positions = phase_scope(phase)
    return _coverage(agencies=agencies, units=units, positions=positions, phases=[(phase.name, phase.starts_on, phase.ends_on)])


def pilot_coverage(pilot: Pilot) -> PilotCoverage:
    """The pilot's whole scope as plain data: the widest any of its phases may reach."""
    return _coverage(
        agencies=list(pilot.agencies.all()),
        units=list(pilot.units.all()),
        positions=list(pilot.positions.all()),
        phases=[(phase.name, phase.starts_on, phase.ends_on) for phase in pilot.phases.all()],
    )


@transaction.atomic
def phase_scope_set(*, actor: User, phase: PilotPhase, agencies: list[Agency], units: list[Unit], positions: list[Position]) -> PilotPhase:
    """Set a phase's own scope (Home Affairs). It must lie within the pilot's scope (``overlap.covers``); a launched
    phase's scope is fixed, because the review that allowed the launch judged that scope."""
    if not is_city_policy_maker(actor):
        raise NotPermitted(rule="pilot.change")
    phase = PilotPhase.objects.select_for_update().select_related("pilot").get(pk=phase.pk)
    if phase.started_at is not None:
        raise InvalidTransition(_("Phase “%(phase)s” has been launched: its scope can no longer change.") % {"phase": phase.name}, rule="phase.scope_locked")
    if not agencies:
        raise ValidationFailed(_("Choose at least one agency for the phase."), rule="phase.scope")
    agency_ids = {agency.pk for agency in agencies}
    outside = [unit for unit in units if unit.agency_id not in agency_ids]
    if outside:
        raise ValidationFailed(_("Unit %(unit)s belongs to an agency that is not in the phase.") % {"unit": outside[0].name}, rule="phase.scope")
    wrong_positions = [position for position in positions if position.agency_id not in agency_ids]
    if wrong_positions:
        raise ValidationFailed(
            _("Job position %(position)s belongs to an agency that is not in the phase.") % {"position": wrong_positions[0].name}, rule="phase.scope"
        )
    mine = _coverage(agencies=agencies, units=units, positions=positions, phases=[])
    if not covers(pilot_coverage(phase.pilot), mine):
        raise RuleViolation(_("A phase's scope must lie within its pilot's scope (agencies, units and job positions of the pilot)."), rule="phase.within_pilot")
    before = _phase_snapshot(phase)
    phase.agencies.set(agencies)
    phase.units.set(units)
    phase.positions.set(positions)
    audit_record(actor=actor, action="phase.scope", target=phase.pilot, before=before, after=_phase_snapshot(phase))
    return phase


def phase_check_no_overlap(phase: PilotPhase) -> None:
    """Refuse (``RuleViolation``, rule ``pilot.no_overlap``) when another running pilot covers a unit and position of
    this phase's scope on one of its days. Call inside the transaction that launches the phase."""
    agencies, units, positions = phase_scope(phase)
    _check_no_running_overlap(phase.pilot, agencies=agencies, units=units, positions=positions, phases=[(phase.name, phase.starts_on, phase.ends_on)])


def _phase_snapshot(phase: PilotPhase) -> dict[str, Any]:
    return {
        "phase": phase.name,
        "agencies": sorted(phase.agencies.values_list("code", flat=True)),
        "units": sorted(phase.units.values_list("code", flat=True)),
        "positions": sorted(phase.positions.values_list("code", flat=True)),
    }


def _coverage(*, agencies: list[Agency], units: list[Unit], positions: list[Any], phases: list[tuple[str, dt.date, dt.date]]) -> PilotCoverage:
    """A pilot's scope as plain data: every unit it covers (listed units with their subtrees, else every unit of its
    agencies) with its agency, the positions it names, and its phases' dates."""
    agency_ids = [agency.pk for agency in agencies]
    covered = Unit.objects.filter(agency_id__in=agency_ids)
    if units:
        subtrees = Q()
        for unit in units:
            subtrees |= Q(path__startswith=unit.path)
        covered = covered.filter(subtrees)
    return PilotCoverage(
        units=dict(covered.values_list("pk", "agency_id")),
        position_ids=frozenset(position.pk for position in positions) or None,
        periods=tuple((starts_on, ends_on) for _name, starts_on, ends_on in phases),
    )


def _check_no_running_overlap(
    pilot: Pilot | None, *, agencies: list[Agency], units: list[Unit], positions: list[Any], phases: list[tuple[str, dt.date, dt.date]]
) -> None:
    """Refuse when another running pilot covers a unit and position of this one on a day both run."""
    # Every pilot row is locked (a handful of rows): two pilots started at the same moment would each pass the check
    # against the other's old state; the second now waits and sees the first running.
    others = [other for other in Pilot.objects.select_for_update().order_by("pk") if pilot is None or other.pk != pilot.pk]
    mine = _coverage(agencies=agencies, units=units, positions=positions, phases=phases)
    position_agency = dict(Position.objects.filter(agency_id__in=set(mine.units.values())).values_list("pk", "agency_id"))
    for other in others:
        if other.status != PilotStatus.RUNNING:
            continue
        theirs = _coverage(
            agencies=list(other.agencies.all()),
            units=list(other.units.all()),
            positions=list(other.positions.all()),
            phases=[(phase.name, phase.starts_on, phase.ends_on) for phase in other.phases.all()],
        )
        overlap = first_overlap(mine, theirs, position_agency=position_agency)
        if overlap is None:
            continue
        unit = Unit.objects.get(pk=overlap.unit_id)
        position = Position.objects.get(pk=overlap.position_id).name if overlap.position_id is not None else str(_("every position"))
        params = {
            "pilot": other.name,
            "unit": unit.name,
            "position": position,
            "starts_on": overlap.starts_on.strftime("%d/%m/%Y"),
            "ends_on": overlap.ends_on.strftime("%d/%m/%Y"),
        }
        raise RuleViolation(
            _(
                "The running pilot “%(pilot)s” already covers %(unit)s, %(position)s, from %(starts_on)s to %(ends_on)s: two running pilots cannot cover the same unit and position on the same day."
            )
            % params,
            rule="pilot.no_overlap",
            params={**params, "other_pilot": other.code},
        )


def _pilot_snapshot(pilot: Pilot) -> dict[str, Any]:
    return {
        "code": pilot.code,
        "name": pilot.name,
        "status": pilot.status,
        "agencies": sorted(pilot.agencies.values_list("code", flat=True)),
        "units": sorted(pilot.units.values_list("code", flat=True)),
        "positions": sorted(pilot.positions.values_list("code", flat=True)),
        "phases": [[p.name, p.starts_on.isoformat(), p.ends_on.isoformat()] for p in pilot.phases.order_by("starts_on")],
    }


def policy_override_create(
    *,
    actor: User,
    agency: Agency,
    unit: Unit | None,
    parameters: dict[str, Any],
    effective_from: dt.date,
    name: str,
    note: str = "",
) -> Policy:
    """An agency override (``unit`` None) or a unit override, created by Home Affairs or by the agency's own head.

    Only the parameters being overridden are given; ``policy_version_create`` refuses any that would loosen the city's
    policy in force on ``effective_from``.
    """
    if not can_override(actor, agency):
        raise NotPermitted(rule="policy.override_scope")
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationFailed(_("Unit %(unit)s does not belong to %(agency)s.") % {"unit": unit.name, "agency": agency.name}, rule="unit")
    if not parameters:
        raise ValidationFailed(_("Choose at least one parameter to override."), rule="parameters")
    return policy_version_create(
        actor=actor,
        level=PolicyLevel.UNIT if unit is not None else PolicyLevel.AGENCY,
        parameters=parameters,
        effective_from=effective_from,
        name=name,
        agency=agency,
        unit=unit,
        note=note,
    )


def switches_ensure() -> list[PolicySwitch]:
    """The city-wide switches as stored rows, created off the first time (the switch screens edit them)."""
    return [PolicySwitch.objects.get_or_create(kind=kind)[0] for kind in SWITCH_ORDER]


# The order of the switches on every screen: the two epidemic regimes, then the suspension.
SWITCH_ORDER = (SwitchKind.EMERGENCY, SwitchKind.DISTANCING, SwitchKind.SUSPENSION)
