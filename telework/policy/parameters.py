"""Policy parameters: the knobs of a telework regime, their bounds and how overrides combine.

Pure Python. A city-wide policy sets the bounds; an agency or unit override may only be *stricter*
(each parameter's ``direction`` says which way is stricter), so the city's rules always hold.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeGuard

from django.utils.translation import gettext_lazy


class Direction(Enum):
    """Which way an override may move a parameter relative to the city's value."""

    AT_MOST = "at_most"  # an override may lower the value, not raise it (a cap)
    AT_LEAST = "at_least"  # an override may raise the value, not lower it (a minimum, a notice)
    SUPERSET = "superset"  # an override may require more items, not fewer
    REQUIRE = "require"  # a boolean requirement: an override may switch it on, not off
    FREE = "free"  # agencies choose freely


EQUIPMENT_ITEMS = ("phone", "computer", "printer", "internet")

# Categories of work a distancing regime may pause (issue 14 pt 4). ``telework.assignments.WorkItem.category`` takes
# these values plus "general" (never paused). Inspections that are not urgent, direct citizen reception (moved
# online), gatherings (conferences, in-person training) and field visits: what Hanoi (Directive 16/CT-TTg, 2020) and
# HCMC (2021) paused.
PAUSABLE_WORK_CATEGORIES = ("inspection", "citizen_reception", "gathering", "field_visit")


@dataclass(frozen=True)
class PolicyParameters:
    """One resolved rule set. ``None`` for a count means "no limit"."""

    max_home_share: float = 0.5
    min_onsite_share: float = 0.5
    max_home_days_per_week: int | None = None
    min_office_days_per_week: int | None = None
    max_home_days_per_month: int | None = None
    min_office_days_per_month: int | None = None
    required_equipment: tuple[str, ...] = ("phone", "computer", "internet")
    leader_on_site_each_day: bool = True
    desk_staff_on_site: int = 1
    duty_staff_on_site: int = 1
    exclude_citizen_facing: bool = True
    exclude_dossier_handling: bool = True
    written_commitment_required: bool = True
    training_required: bool = False
    exclude_disciplined: bool = False
    trial_period_days: int = 0
    notice_days: int = 0
    notice_days_during_trial: int = 0
    citizen_reception_suspended: bool = False
    telework_suspended: bool = False
    # Hours of work a working day at the office stands for: the yardstick of "equivalent workload" (khối lượng công
    # việc tương đương) in telework.assignments. Whole hours, so the policy forms take it as a number (8 h: Labour
    # Code 2019 art. 105, the civil service's 8-hour day).
    office_norm_hours_per_day: int = 8
    # Distancing (issue 14): a cap on who may be *in* the office. ``max_onsite_share`` of a unit's staff present on a
    # working day (rounded down, never below what desks, duty posts and the leader rule need: that conflict is
    # explained, not broken) and/or ``max_onsite_headcount`` people; None = no cap. A unit's ``office_seats``
    # (telework.organization.Unit) caps presence too, whatever the regime.
    max_onsite_share: float | None = None
    max_onsite_headcount: int | None = None
    # True under distancing: the unit *assigns* home days (everyone may be sent home, the roster decides who comes in,
    # rotating fairly); False in the pilot: staff *request* home days and only approved days may be home days.
    home_days_assigned: bool = False
    # Categories of work paused while this regime holds (PAUSABLE_WORK_CATEGORIES); set by a switch.
    paused_work_categories: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["required_equipment"] = list(self.required_equipment)
        data["paused_work_categories"] = list(self.paused_work_categories)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PolicyParameters:
        """Build from stored JSON; unknown keys are an error, missing keys take the defaults."""
        known = {spec.name for spec in PARAMETER_SPECS}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown policy parameters: {sorted(unknown)}")
        values = dict(data)
        if "required_equipment" in values:
            values["required_equipment"] = tuple(sorted(values["required_equipment"]))
        if "paused_work_categories" in values:
            values["paused_work_categories"] = tuple(sorted(values["paused_work_categories"]))
        return cls(**values)

    def with_changes(self, changes: dict[str, Any]) -> PolicyParameters:
        merged = self.as_dict()
        merged.update(changes)
        return PolicyParameters.from_dict(merged)


@dataclass(frozen=True)
class ParameterSpec:
    name: str
    kind: type
    direction: Direction
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = False


PARAMETER_SPECS: tuple[ParameterSpec, ...] = (
    ParameterSpec("max_home_share", float, Direction.AT_MOST, 0.0, 1.0),
    ParameterSpec("min_onsite_share", float, Direction.AT_LEAST, 0.0, 1.0),
    ParameterSpec("max_home_days_per_week", int, Direction.AT_MOST, 0, 5, nullable=True),
    ParameterSpec("min_office_days_per_week", int, Direction.AT_LEAST, 0, 5, nullable=True),
    ParameterSpec("max_home_days_per_month", int, Direction.AT_MOST, 0, 23, nullable=True),
    ParameterSpec("min_office_days_per_month", int, Direction.AT_LEAST, 0, 23, nullable=True),
    ParameterSpec("required_equipment", tuple, Direction.SUPERSET),
    ParameterSpec("leader_on_site_each_day", bool, Direction.REQUIRE),
    ParameterSpec("desk_staff_on_site", int, Direction.AT_LEAST, 0, 20),
    ParameterSpec("duty_staff_on_site", int, Direction.AT_LEAST, 0, 20),
    ParameterSpec("exclude_citizen_facing", bool, Direction.REQUIRE),
    ParameterSpec("exclude_dossier_handling", bool, Direction.REQUIRE),
    ParameterSpec("written_commitment_required", bool, Direction.REQUIRE),
    ParameterSpec("training_required", bool, Direction.REQUIRE),
    ParameterSpec("exclude_disciplined", bool, Direction.REQUIRE),
    ParameterSpec("trial_period_days", int, Direction.FREE, 0, 365),
    ParameterSpec("notice_days", int, Direction.AT_LEAST, 0, 180),
    ParameterSpec("notice_days_during_trial", int, Direction.AT_LEAST, 0, 180),
    # Set only by the city-wide switches; an override may not touch them.
    ParameterSpec("citizen_reception_suspended", bool, Direction.FREE),
    ParameterSpec("telework_suspended", bool, Direction.REQUIRE),
    ParameterSpec("office_norm_hours_per_day", int, Direction.FREE, 1, 12),
    # A cap on presence is tighter when lower: an override may lower it (or set one where the city has none), not
    # raise or lift it.
    ParameterSpec("max_onsite_share", float, Direction.AT_MOST, 0.0, 1.0, nullable=True),
    ParameterSpec("max_onsite_headcount", int, Direction.AT_MOST, 0, 1000, nullable=True),
    ParameterSpec("home_days_assigned", bool, Direction.FREE),
    ParameterSpec("paused_work_categories", tuple, Direction.SUPERSET),
)
SPEC_BY_NAME = {spec.name: spec for spec in PARAMETER_SPECS}
SWITCH_ONLY_PARAMETERS = frozenset({"citizen_reception_suspended", "telework_suspended", "home_days_assigned", "paused_work_categories"})


@dataclass(frozen=True)
class ParameterProblem:
    """Why a proposed value is refused: which parameter, what was asked, and the bound it breaks."""

    name: str
    # "type", "range", "exceeds_city_bound", "below_city_bound", "drops_city_item", "switch_only", "unknown", and the
    # combinations of ``consistency_problems``
    code: str
    value: Any
    bound: Any = None


def validate_values(values: dict[str, Any]) -> list[ParameterProblem]:
    """Check types and absolute ranges, and that the pair of unit-day shares is consistent."""
    problems: list[ParameterProblem] = []
    for name, value in values.items():
        spec = SPEC_BY_NAME.get(name)
        if spec is None:
            problems.append(ParameterProblem(name, "unknown", value))
            continue
        if value is None:
            if not spec.nullable:
                problems.append(ParameterProblem(name, "type", value))
            continue
        if spec.kind is bool:
            if not isinstance(value, bool):
                problems.append(ParameterProblem(name, "type", value))
        elif spec.kind is tuple:
            allowed = PAUSABLE_WORK_CATEGORIES if name == "paused_work_categories" else EQUIPMENT_ITEMS
            if not isinstance(value, (list, tuple)) or any(item not in allowed for item in value):
                problems.append(ParameterProblem(name, "type", value, allowed))
        elif spec.kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(ParameterProblem(name, "type", value))
            elif not _in_range(value, spec):
                problems.append(ParameterProblem(name, "range", value, (spec.minimum, spec.maximum)))
        elif spec.kind is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append(ParameterProblem(name, "type", value))
            elif not _in_range(float(value), spec):
                problems.append(ParameterProblem(name, "range", value, (spec.minimum, spec.maximum)))
    problems.extend(consistency_problems(values))
    return problems


def presence_needed(values: dict[str, Any]) -> int:
    """The fewest people a unit must have on site on a working day by the staffing rules alone: the staff of one
    one-stop desk and one duty post (``desk_staff_on_site``, ``duty_staff_on_site``) and a leader
    (``leader_on_site_each_day``). A unit with several desks needs more; this is the floor every unit shares."""
    desks = values.get("desk_staff_on_site")
    duty = values.get("duty_staff_on_site")
    leader = values.get("leader_on_site_each_day")
    return (
        (desks if isinstance(desks, int) and not isinstance(desks, bool) else 0)
        + (duty if isinstance(duty, int) and not isinstance(duty, bool) else 0)
        + (1 if leader is True else 0)
    )


def consistency_problems(values: dict[str, Any]) -> list[ParameterProblem]:
    """Combinations that cannot all hold on the same day, each refused with the rule it breaks (issue 14 pt 1).

    - ``inconsistent_shares``: the home maximum and the on-site minimum leave no room (60 % home and 50 % on site).
    - ``onsite_cap_below_minimum``: a presence cap (``max_onsite_share``) below the on-site minimum
      (``min_onsite_share``): no day could keep both.
    - ``onsite_cap_below_staffing``: a presence cap in people (``max_onsite_headcount``) below what the desks, duty
      posts and the leader rule need on site (``presence_needed``): the cap would empty the desks.
    - ``assigned_with_suspension``: home days assigned by the unit (``home_days_assigned``, distancing) while telework
      is suspended (``telework_suspended``): one sends people home, the other calls everybody in.

    Works on a partial dict (an override): a rule is checked only when every value it reads is given.
    """
    problems: list[ParameterProblem] = []
    home = values.get("max_home_share")
    onsite = values.get("min_onsite_share")
    if _is_number(home) and _is_number(onsite) and home + onsite > 1.0 + 1e-9:
        # Both can hold at once only if they leave room: 60 % home and 50 % on site cannot.
        problems.append(ParameterProblem("min_onsite_share", "inconsistent_shares", onsite, 1.0 - float(home)))
    cap_share = values.get("max_onsite_share")
    if _is_number(cap_share) and _is_number(onsite) and cap_share + 1e-9 < onsite:
        problems.append(ParameterProblem("max_onsite_share", "onsite_cap_below_minimum", cap_share, onsite))
    cap_people = values.get("max_onsite_headcount")
    staffing_given = any(name in values for name in ("desk_staff_on_site", "duty_staff_on_site", "leader_on_site_each_day"))
    if _is_number(cap_people) and staffing_given and cap_people < presence_needed(values):
        problems.append(ParameterProblem("max_onsite_headcount", "onsite_cap_below_staffing", cap_people, presence_needed(values)))
    if values.get("home_days_assigned") is True and values.get("telework_suspended") is True:
        problems.append(ParameterProblem("home_days_assigned", "assigned_with_suspension", True, "telework_suspended"))
    return problems


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _in_range(value: float, spec: ParameterSpec) -> bool:
    if spec.minimum is not None and value < spec.minimum:
        return False
    return not (spec.maximum is not None and value > spec.maximum)


def check_within_bounds(city: PolicyParameters, override: dict[str, Any]) -> list[ParameterProblem]:
    """Every way ``override`` (an agency or unit policy) would loosen the city's policy."""
    problems: list[ParameterProblem] = []
    for name, value in override.items():
        spec = SPEC_BY_NAME.get(name)
        if spec is None:
            problems.append(ParameterProblem(name, "unknown", value))
            continue
        if name in SWITCH_ONLY_PARAMETERS:
            problems.append(ParameterProblem(name, "switch_only", value))
            continue
        bound = getattr(city, name)
        if spec.direction is Direction.AT_MOST:
            if bound is not None and (value is None or value > bound):
                problems.append(ParameterProblem(name, "exceeds_city_bound", value, bound))
        elif spec.direction is Direction.AT_LEAST:
            if bound is not None and (value is None or value < bound):
                problems.append(ParameterProblem(name, "below_city_bound", value, bound))
        elif spec.direction is Direction.SUPERSET:
            missing = sorted(set(bound) - set(value))
            if missing:
                problems.append(ParameterProblem(name, "drops_city_item", value, missing))
        elif spec.direction is Direction.REQUIRE and bound and not value:
            problems.append(ParameterProblem(name, "drops_city_requirement", value, bound))
    return problems


def merge(city: PolicyParameters, *overrides: dict[str, Any]) -> PolicyParameters:
    """Apply overrides in order (agency, then unit). Each was validated against the city when saved; merging
    again clamps, so a city policy tightened later still bounds an older override."""
    result = city
    for override in overrides:
        clamped: dict[str, Any] = {}
        for name, value in override.items():
            spec = SPEC_BY_NAME.get(name)
            if spec is None or name in SWITCH_ONLY_PARAMETERS:
                continue
            bound = getattr(city, name)
            clamped[name] = _clamp(spec, value, bound)
        result = result.with_changes(clamped)
    return result


def _clamp(spec: ParameterSpec, value: Any, bound: Any) -> Any:
    if spec.direction is Direction.AT_MOST and bound is not None:
        return bound if value is None else min(value, bound)
    if spec.direction is Direction.AT_LEAST and bound is not None:
        return bound if value is None else max(value, bound)
    if spec.direction is Direction.SUPERSET:
        return tuple(sorted(set(bound) | set(value)))
    if spec.direction is Direction.REQUIRE:
        return bool(value) or bool(bound)
    return value


@dataclass(frozen=True)
class Preset:
    """A named regime shipped with the product."""

    key: str
    parameters: PolicyParameters
    source: Any  # the legal basis, a lazily translated text (docs/sources.md C1–C5)
    overlay: dict[str, Any] = field(default_factory=dict)


PRESETS: dict[str, Preset] = {
    # HCMC civil-service pilot 2024–2030 (docs/sources.md C1): positions without citizen contact or TTHC, a
    # "suitable ratio" at home (30 % here, a parameter), equipment attested, written commitment.
    "hcmc_pilot": Preset(
        "hcmc_pilot",
        PolicyParameters(
            max_home_share=0.3,
            min_onsite_share=0.7,
            max_home_days_per_week=2,
            min_office_days_per_week=3,
            required_equipment=("computer", "internet", "phone", "printer"),
            leader_on_site_each_day=True,
            desk_staff_on_site=1,
            duty_staff_on_site=1,
            written_commitment_required=True,
            trial_period_days=60,
            notice_days=15,
            notice_days_during_trial=5,
        ),
        gettext_lazy("HCMC telework pilot 2024–2030"),
    ),
    # HCMC 03/6/2021: at most 1/2 of staff at home; direct citizen reception suspended (docs/sources.md C2).
    "emergency_2021": Preset(
        "emergency_2021",
        PolicyParameters(
            max_home_share=0.5,
            min_onsite_share=0.5,
            required_equipment=("computer", "internet", "phone"),
            leader_on_site_each_day=True,
            citizen_reception_suspended=True,
            written_commitment_required=False,
        ),
        gettext_lazy("HCMC People's Committee direction of 03/6/2021"),
        overlay={
            "max_home_share": 0.5,
            "min_onsite_share": 0.5,
            "max_home_days_per_week": None,
            "min_office_days_per_week": None,
            "max_home_days_per_month": None,
            "min_office_days_per_month": None,
            "citizen_reception_suspended": True,
            "written_commitment_required": False,
            "training_required": False,
        },
    ),
    # Décret 2016-151 as amended by 2020-524 (docs/sources.md C3): ≤ 3 home and ≥ 2 office days a week,
    # adaptation period ≤ 3 months, 2 months' notice (1 month during adaptation).
    "france": Preset(
        "france",
        PolicyParameters(
            max_home_share=0.6,
            min_onsite_share=0.4,
            max_home_days_per_week=3,
            min_office_days_per_week=2,
            required_equipment=("computer", "internet"),
            leader_on_site_each_day=False,
            written_commitment_required=True,
            trial_period_days=90,
            notice_days=60,
            notice_days_during_trial=30,
        ),
        gettext_lazy("France, Décret 2016-151 art. 3 (as amended by 2019-637 and 2020-524)"),
    ),
    # Telework Enhancement Act 2010, 5 U.S.C. 6502–6503 (docs/sources.md C4): eligibility determined for every
    # employee, written agreement and interactive training before starting; disciplined staff barred.
    "us": Preset(
        "us",
        PolicyParameters(
            max_home_share=0.8,
            min_onsite_share=0.2,
            required_equipment=("computer", "internet", "phone"),
            leader_on_site_each_day=False,
            exclude_citizen_facing=False,
            exclude_dossier_handling=True,
            written_commitment_required=True,
            training_required=True,
            exclude_disciplined=True,
            notice_days=30,
        ),
        gettext_lazy("United States, Telework Enhancement Act 2010 (5 U.S.C. §§ 6502–6503)"),
    ),
    # Hanoi, April 2020, under Directive 16/CT-TTg (seed 003; docs/sources.md): at most 20–30 % of staff on site, in
    # rotation; leaders present as assigned; one-stop desks staffed, citizens guided to file online; everyone else
    # at home, their days assigned by the unit; non-urgent inspections, in-person reception and gatherings paused.
    "distancing_2020": Preset(
        "distancing_2020",
        PolicyParameters(
            max_home_share=1.0,
            min_onsite_share=0.0,
            required_equipment=(),
            leader_on_site_each_day=True,
            desk_staff_on_site=1,
            duty_staff_on_site=1,
            exclude_citizen_facing=False,
            exclude_dossier_handling=False,
            written_commitment_required=False,
            citizen_reception_suspended=True,
            max_onsite_share=0.3,
            home_days_assigned=True,
            paused_work_categories=("citizen_reception", "field_visit", "gathering", "inspection"),
        ),
        gettext_lazy("Hanoi, April 2020, under Directive 16/CT-TTg of the Prime Minister"),
        overlay={
            "max_home_share": 1.0,
            "min_onsite_share": 0.0,
            "max_home_days_per_week": None,
            "min_office_days_per_week": None,
            "max_home_days_per_month": None,
            "min_office_days_per_month": None,
            "required_equipment": (),
            "exclude_citizen_facing": False,
            "exclude_dossier_handling": False,
            "written_commitment_required": False,
            "training_required": False,
            "trial_period_days": 0,
            "notice_days": 0,
            "notice_days_during_trial": 0,
            "citizen_reception_suspended": True,
            "max_onsite_share": 0.3,
            "home_days_assigned": True,
            "paused_work_categories": ("citizen_reception", "field_visit", "gathering", "inspection"),
        },
    ),
    # Memo of 20/01/2025 "Return to In-Person Work" (docs/sources.md C5): nobody teleworks except named exemptions.
    "suspension": Preset(
        "suspension",
        PolicyParameters(max_home_share=0.0, min_onsite_share=1.0, telework_suspended=True),
        gettext_lazy("United States, “Return to In-Person Work” memorandum of 20/01/2025"),
        overlay={"telework_suspended": True},
    ),
}
