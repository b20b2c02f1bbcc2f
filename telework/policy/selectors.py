"""Reads for policies and pilots: which rule set applies to a unit on a date, which pilot covers a staff member,
and the eligibility decision built from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from telework.organization.models import Staff, Unit
from telework.policy import eligibility
from telework.policy.models import Pilot, PilotStatus, Policy, PolicyLevel, PolicySwitch, SwitchKind
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
        for kind in (SwitchKind.EMERGENCY, SwitchKind.SUSPENSION):
            if kind in self._switches:
                overlay = PRESETS["emergency_2021" if kind == SwitchKind.EMERGENCY else "suspension"].overlay
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


def policy_for_unit(unit: Unit, on: dt.date) -> ResolvedPolicy:
    """The rule set in force for ``unit`` on ``on``: city, then agency, then unit overrides, then switches."""
    return PolicyResolver().resolve(unit, on)


def pilot_for_staff(staff: Staff, on: dt.date) -> Pilot | None:
    """The running (or, failing that, planned) pilot whose agencies include the staff member's agency."""
    pilots = (
        Pilot.objects.filter(agencies=staff.unit.agency_id)
        .exclude(status=PilotStatus.CLOSED)
        .prefetch_related("phases", "units", "positions", "agencies")
        .order_by("status", "-created_at")
    )
    best = None
    for pilot in pilots:
        if any(phase.starts_on <= on <= phase.ends_on for phase in pilot.phases.all()):
            return pilot
        best = best or pilot
    return best


def pilot_facts(pilot: Pilot | None) -> eligibility.PilotFacts | None:
    if pilot is None:
        return None
    return eligibility.PilotFacts(
        code=pilot.code,
        name=pilot.name,
        agency_ids=frozenset(agency.pk for agency in pilot.agencies.all()),
        unit_ids=frozenset(unit.pk for unit in pilot.units.all()),
        position_ids=frozenset(position.pk for position in pilot.positions.all()),
        phases=tuple(eligibility.PhaseFacts(p.name, p.starts_on, p.ends_on) for p in pilot.phases.all()),
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
        pilot=pilot_facts(pilot_for_staff(staff, on)),
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


def switches() -> list[PolicySwitch]:
    """Both city-wide switches, created off on first read."""
    result = []
    for kind in (SwitchKind.EMERGENCY, SwitchKind.SUSPENSION):
        switch, _ = PolicySwitch.objects.get_or_create(kind=kind)
        result.append(switch)
    return result
