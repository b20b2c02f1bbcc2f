"""Reads for policies and pilots: which rule set applies to a unit on a date, which pilot covers a staff member,
and the eligibility decision built from them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.core import clock
from telework.core.exceptions import NotFound
from telework.core.models import AuditEvent
from telework.organization import scope
from telework.organization.models import Agency, ServicePointKind, Staff, Unit
from telework.policy import effects, eligibility
from telework.policy.models import Pilot, PilotPhase, PilotStatus, Policy, PolicyLevel, PolicySwitch, SwitchChange, SwitchKind
from telework.policy.parameters import PRESETS, PolicyParameters, merge


@dataclass(frozen=True)
class ResolvedPolicy:
    """The rule set in force for one unit on one date, and where each part came from."""

    parameters: PolicyParameters
    versions: tuple[Policy, ...]
    active_switches: tuple[str, ...]
    sources: dict[str, str] = field(default_factory=dict)

    def source_label(self, name: str) -> str:
        return self.sources.get(name, "")


class PolicyResolver:
    """Resolves policies for many units and dates from one read of the policy tables (for batch work:
    overviews, imports, the demo seed). Build a new one after a policy change."""

    def __init__(self) -> None:
        self._policies = list(Policy.objects.select_related("agency", "unit").order_by("-version"))
        self._switches = {switch.kind: switch for switch in PolicySwitch.objects.filter(is_active=True)}
        self._cache: dict[tuple[int, dt.date], ResolvedPolicy] = {}

    def _version(self, level: str, *, agency_id: int | None, unit_id: int | None, on: dt.date) -> Policy | None:
        for policy in self._policies:  # highest version first
            if policy.level != level or policy.agency_id != agency_id or policy.unit_id != unit_id:
                continue
            if policy.effective_from <= on and (policy.effective_to is None or policy.effective_to >= on):
                return policy
        return None

    def resolve(self, unit: Unit, on: dt.date) -> ResolvedPolicy:
        key = (unit.pk, on)
        if key not in self._cache:
            self._cache[key] = self._resolve(unit, on)
        return self._cache[key]

    def _resolve(self, unit: Unit, on: dt.date) -> ResolvedPolicy:
        city = self._version(PolicyLevel.CITY, agency_id=None, unit_id=None, on=on)
        agency = self._version(PolicyLevel.AGENCY, agency_id=unit.agency_id, unit_id=None, on=on)
        unit_policy = self._version(PolicyLevel.UNIT, agency_id=unit.agency_id, unit_id=unit.pk, on=on)
        city_parameters = PolicyParameters.from_dict(city.parameters) if city else PolicyParameters()
        versions = tuple(policy for policy in (city, agency, unit_policy) if policy is not None)
        sources = {name: f"{city.name} v{city.version}" if city else "" for name in city_parameters.as_dict()}
        overrides: list[dict[str, Any]] = []
        for policy in (agency, unit_policy):
            if policy is not None:
                overrides.append(policy.parameters)
                for name in policy.parameters:
                    sources[name] = f"{policy.scope_label}: {policy.name} v{policy.version}"
        parameters = merge(city_parameters, *overrides)
        active: list[str] = []
        # The switches act on the merged result, city-wide, at once (emergency 2021; suspension 2025).
        for kind in (SwitchKind.EMERGENCY, SwitchKind.DISTANCING, SwitchKind.SUSPENSION):
            if kind in self._switches:
                overlay = PRESETS[SWITCH_PRESET_KEYS[kind]].overlay
                parameters = parameters.with_changes(overlay)
                for name in overlay:
                    sources[name] = str(self._switches[kind])
                active.append(kind)
        return ResolvedPolicy(parameters, versions, tuple(active), sources)

    def suspension_exemptions(self) -> set[int]:
        switch = self._switches.get(SwitchKind.SUSPENSION)
        if switch is None:
            return set()
        return set(switch.exempted_staff.values_list("pk", flat=True))


# The preset whose overlay each city-wide switch lays over every merged policy while it is on.
SWITCH_PRESET_KEYS: dict[str, str] = {SwitchKind.EMERGENCY: "emergency_2021", SwitchKind.DISTANCING: "distancing_2020", SwitchKind.SUSPENSION: "suspension"}


def policy_for_unit(unit: Unit, on: dt.date) -> ResolvedPolicy:
    """The rule set in force for ``unit`` on ``on``: city, then agency, then unit overrides, then switches."""
    return PolicyResolver().resolve(unit, on)


def pilot_for_staff(staff: Staff, on: dt.date) -> Pilot | None:
    """The running (or, failing that, planned) pilot whose agencies include the staff member's agency."""
    pilots = (
        Pilot.objects.filter(agencies=staff.unit.agency_id)
        .exclude(status=PilotStatus.CLOSED)
        .prefetch_related(*PILOT_SCOPE_PREFETCH)
        .order_by("status", "-created_at")
    )
    best = None
    for pilot in pilots:
        if any(phase.starts_on <= on <= phase.ends_on for phase in pilot.phases.all()):
            return pilot
        best = best or pilot
    return best


# What ``pilot_facts`` reads: prefetch it with the pilots so that building the facts costs no query.
PILOT_SCOPE_PREFETCH = ("phases", "units", "positions", "agencies", "phases__agencies", "phases__units", "phases__positions")


def pilot_facts(pilot: Pilot | None, on: dt.date | None = None) -> eligibility.PilotFacts | None:
    """The pilot as the eligibility engine reads it. With ``on``, the scope is the one of the phase covering that
    day (issue 13 pt 1: each phase has its own agencies, units and positions, and a later phase widens only after
    the previous one's review); a phase that names no agency, or a day outside every phase, reads the pilot's."""
    if pilot is None:
        return None
    phases = list(pilot.phases.all())
    covering = next((phase for phase in phases if on is not None and phase.starts_on <= on <= phase.ends_on), None)
    owner: Pilot | PilotPhase = covering if covering is not None and list(covering.agencies.all()) else pilot
    return eligibility.PilotFacts(
        code=pilot.code,
        name=pilot.name,
        agency_ids=frozenset(agency.pk for agency in owner.agencies.all()),
        unit_ids=frozenset(unit.pk for unit in owner.units.all()),
        position_ids=frozenset(position.pk for position in owner.positions.all()),
        phases=tuple(eligibility.PhaseFacts(p.name, p.starts_on, p.ends_on) for p in phases),
    )


def staff_facts(staff: Staff, *, exemptions: set[int] | None = None) -> eligibility.StaffFacts:
    position = staff.position
    unit = staff.unit
    return eligibility.StaffFacts(
        code=staff.code,
        full_name=staff.full_name,
        is_active=staff.is_active,
        agency_id=unit.agency_id,
        agency_name=unit.agency.name,
        unit_ids=frozenset(int(part) for part in unit.path.strip("/").split("/") if part),
        unit_name=unit.name,
        position=eligibility.PositionFacts(
            id=position.pk,
            name=position.name,
            faces_citizens=position.faces_citizens,
            handles_dossiers=position.handles_dossiers,
            is_one_stop_desk=position.is_one_stop_desk,
            is_duty_post=position.is_duty_post,
        ),
        equipment=frozenset(staff.equipment or ()),
        training_completed_on=staff.training_completed_on,
        disciplined_until=staff.disciplined_until,
        is_exempt_from_suspension=staff.pk in (exemptions or set()),
    )


def eligibility_for(staff: Staff, on: dt.date, *, resolver: PolicyResolver | None = None) -> eligibility.EligibilityDecision:
    """Whether ``staff`` may work from home on ``on``, rule by rule."""
    resolver = resolver or PolicyResolver()
    resolved = resolver.resolve(staff.unit, on)
    return eligibility.decide(
        staff=staff_facts(staff, exemptions=resolver.suspension_exemptions()),
        pilot=pilot_facts(pilot_for_staff(staff, on), on),
        parameters=resolved.parameters,
        on=on,
    )


def policy_versions(*, level: str | None = None, agency_id: int | None = None) -> Any:
    """All policy versions, newest first, optionally for one level or agency."""
    queryset = Policy.objects.select_related("agency", "unit", "created_by")
    if level:
        queryset = queryset.filter(level=level)
    if agency_id:
        queryset = queryset.filter(Q(agency_id=agency_id) | Q(level=PolicyLevel.CITY))
    return queryset.order_by("level", "agency__code", "unit__code", "-version")


@dataclass(frozen=True)
class Suspension:
    """The telework suspension in force: since ``starts_on`` (the day it was switched on), approved home days of
    everyone but the named exemptions are suspended."""

    starts_on: dt.date
    exempted_staff_ids: frozenset[int]

    def suspends(self, staff_id: int, day: dt.date) -> bool:
        return day >= self.starts_on and staff_id not in self.exempted_staff_ids


def suspension_in_force() -> Suspension | None:
    """The suspension, when it is on (two small reads); None when telework runs normally."""
    switch = PolicySwitch.objects.filter(kind=SwitchKind.SUSPENSION, is_active=True).first()
    if switch is None:
        return None
    starts_on = timezone.localtime(switch.changed_at).date() if switch.changed_at else clock.today()
    return Suspension(starts_on=starts_on, exempted_staff_ids=frozenset(switch.exempted_staff.values_list("pk", flat=True)))


def switch_impact(*, kind: str, is_active: bool, exempted_staff: list[Staff] | None = None) -> effects.SwitchImpact:
    """How many approved home days (from today on), rosters (this week's and next week's) and people a change of the
    switch touches. For the suspension, the named exemptions' home days are not counted: they stay approved.
    ``exempted_staff`` is the list about to be saved; without it, the switch's current list."""
    if exempted_staff is None:
        switch = PolicySwitch.objects.filter(kind=kind).first()
        exempted_ids = list(switch.exempted_staff.values_list("pk", flat=True)) if switch is not None and kind == SwitchKind.SUSPENSION else []
    else:
        exempted_ids = [member.pk for member in exempted_staff]
    return effects.impact(kind, is_active, clock.today(), exempted_ids)


def switch_change_get(*, viewer: Viewer, change_id: int) -> SwitchChange:
    """One switch change and its progress, for Home Affairs and city leadership."""
    change = SwitchChange.objects.filter(pk=change_id).first() if can_read_city_policy(viewer) and 0 < change_id < 2**31 else None
    if change is None:
        raise NotFound()
    return change


def switches() -> list[PolicySwitch]:
    """The city-wide switches; one never switched yet reads as off (an unsaved row: selectors never write —
    ``services.switches_ensure`` creates the rows)."""
    stored = {switch.kind: switch for switch in PolicySwitch.objects.all()}
    return [stored.get(kind) or PolicySwitch(kind=kind, is_active=False) for kind in (SwitchKind.EMERGENCY, SwitchKind.DISTANCING, SwitchKind.SUSPENSION)]


# --- Who may read and change pilots, policies and switches (the Home Affairs screens) -------------------------


def can_read_city_policy(user: Viewer) -> bool:
    """Home Affairs and system administrators (who change them) and city leadership (read-only) see every pilot,
    policy and switch."""
    return scope.is_city_policy_maker(user) or (user.is_authenticated and user.role == Role.CITY_LEADERSHIP)


def can_read_policies(user: Viewer) -> bool:
    """City readers, and agency heads: they see the city policy and their own agency's overrides."""
    return can_read_city_policy(user) or override_agencies(user).exists()


def override_agencies(user: Viewer) -> QuerySet[Agency]:
    """Agencies for which ``user`` may create an agency or unit override: every agency for Home Affairs, their own for
    an agency head (thủ trưởng cơ quan), none for anyone else."""
    if scope.is_city_policy_maker(user):
        return Agency.objects.all()
    if user.is_authenticated and user.role == Role.AGENCY_HEAD:
        me = scope.own_staff(user)
        if me is not None:
            return Agency.objects.filter(pk=me.unit.agency_id)
    return Agency.objects.none()


def can_override(user: Viewer, agency: Agency) -> bool:
    return override_agencies(user).filter(pk=agency.pk).exists()


def visible_policies(viewer: Viewer) -> QuerySet[Policy]:
    """Policy versions ``viewer`` may read: all for city readers; the city's and their agency's for an agency head."""
    queryset = Policy.objects.select_related("agency", "unit", "created_by")
    if can_read_city_policy(viewer):
        return queryset
    agencies = override_agencies(viewer)
    return queryset.filter(Q(level=PolicyLevel.CITY) | Q(agency__in=agencies))


def policy_get(*, viewer: Viewer, policy_id: int) -> Policy:
    """One policy version ``viewer`` may read, else ``NotFound``."""
    policy = visible_policies(viewer).filter(pk=policy_id).first()
    if policy is None:
        raise NotFound()
    return policy


def policy_in_force(*, level: str, on: dt.date, agency: Agency | None = None, unit: Unit | None = None) -> Policy | None:
    """The version of one scope (city, an agency, a unit) in force on ``on``."""
    return (
        Policy.objects.select_related("agency", "unit", "created_by")
        .filter(level=level, agency=agency if level != PolicyLevel.CITY else None, unit=unit if level == PolicyLevel.UNIT else None)
        .filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-version")
        .first()
    )


def policy_previous_version(policy: Policy) -> Policy | None:
    """The version of the same scope just before ``policy`` (what a diff compares against)."""
    return Policy.objects.filter(level=policy.level, agency=policy.agency, unit=policy.unit, version__lt=policy.version).order_by("-version").first()


def overrides_in_force(*, viewer: Viewer, on: dt.date) -> list[Policy]:
    """Agency and unit overrides ``viewer`` may read that are in force on ``on`` or start later, by agency."""
    return list(
        visible_policies(viewer)
        .exclude(level=PolicyLevel.CITY)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("agency__code", "level", "unit__code", "-version")
    )


def pilot_list(*, viewer: Viewer) -> QuerySet[Pilot]:
    """Every pilot, newest first, for city readers; nothing for anyone else."""
    if not can_read_city_policy(viewer):
        return Pilot.objects.none()
    return Pilot.objects.prefetch_related("phases").annotate(agency_count=Count("agencies", distinct=True)).order_by("-created_at")


def pilot_get(*, viewer: Viewer, pilot_id: int) -> Pilot:
    pilot = pilot_list(viewer=viewer).prefetch_related("agencies", "units", "units__agency", "positions", "positions__agency").filter(pk=pilot_id).first()
    if pilot is None:
        raise NotFound()
    return pilot


def pilot_staff_in_scope(pilot: Pilot) -> QuerySet[Staff]:
    """Active staff the pilot's scope covers (agencies; units with their subtrees, if any; positions, if any). The same
    reading as the eligibility rule ``pilot_scope``, before the position rules (citizen-facing, desks) apply."""
    queryset = Staff.objects.filter(is_active=True, unit__agency__in=pilot.agencies.all())
    units = list(pilot.units.all())
    if units:
        in_units = Q(pk__in=[])
        for unit in units:
            in_units |= Q(unit__path__startswith=unit.path)
        queryset = queryset.filter(in_units)
    if pilot.positions.exists():
        queryset = queryset.filter(position__in=pilot.positions.all())
    return queryset


def pilot_scope_counts(pilot: Pilot) -> list[dict[str, Any]]:
    """Staff in scope per agency: [{"agency": name, "staff": n}], largest first."""
    rows = pilot_staff_in_scope(pilot).values("unit__agency__name").annotate(staff=Count("pk")).order_by("-staff", "unit__agency__name")
    return [{"agency": row["unit__agency__name"], "staff": row["staff"]} for row in rows]


def switch_history(switch: PolicySwitch, *, limit: int = 5) -> list[AuditEvent]:
    """The last changes of one switch, newest first (the switch row keeps only the latest)."""
    return list(AuditEvent.objects.filter(object_type=PolicySwitch._meta.label_lower, object_id=str(switch.pk))[:limit])


def staff_by_codes(codes: list[str]) -> tuple[list[Staff], list[str]]:
    """Staff for the given codes (case-insensitive, any order) and the codes that match nobody."""
    wanted = {code.strip().upper(): code.strip() for code in codes if code.strip()}
    found = list(Staff.objects.select_related("unit", "unit__agency").filter(code__in=list(wanted)))
    known = {member.code.upper() for member in found}
    if len(known) < len(wanted):
        # Codes are stored as imported; fall back to a case-insensitive match for the rest.
        for code in [key for key in wanted if key not in known]:
            match = Staff.objects.select_related("unit", "unit__agency").filter(code__iexact=code).first()
            if match is not None:
                found.append(match)
                known.add(code)
    missing = [original for key, original in wanted.items() if key not in known]
    return sorted(found, key=lambda member: member.code), missing


def service_point_staffing(units: Sequence[Unit], day: dt.date) -> dict[int, dict[str, int]]:
    """The staff the policy in force on ``day`` wants on site at each unit's one-stop desks and duty posts
    (``desk_staff_on_site``, ``duty_staff_on_site``), by unit id: the reader behind ``organization.on_site``."""
    resolver = PolicyResolver()
    result: dict[int, dict[str, int]] = {}
    for unit in units:
        parameters = resolver.resolve(unit, day).parameters
        result[unit.pk] = {ServicePointKind.ONE_STOP_DESK.value: parameters.desk_staff_on_site, ServicePointKind.DUTY_POST.value: parameters.duty_staff_on_site}
    return result
