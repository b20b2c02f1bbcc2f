"""The eligibility engine: (staff, position, pilot, policy, date) → a decision and every rule's result.

Pure Python over frozen dataclasses: no ORM, no request. ``telework.policy.selectors.eligibility_for`` gathers
the facts from the database; this module only decides. Each rule returns a ``RuleResult`` whose reason exists
in Vietnamese and English (the message ids are English and translated through the project's ``.po`` files).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from telework.policy.parameters import PolicyParameters


@dataclass(frozen=True)
class PositionFacts:
    id: int
    name: str
    faces_citizens: bool
    handles_dossiers: bool
    is_one_stop_desk: bool
    is_duty_post: bool


@dataclass(frozen=True)
class StaffFacts:
    code: str
    full_name: str
    is_active: bool
    agency_id: int
    agency_name: str
    # The staff member's unit and every unit above it: pilot scope by unit includes subtrees.
    unit_ids: frozenset[int]
    unit_name: str
    position: PositionFacts
    equipment: frozenset[str]
    training_completed_on: dt.date | None = None
    disciplined_until: dt.date | None = None
    is_exempt_from_suspension: bool = False


@dataclass(frozen=True)
class PhaseFacts:
    name: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class PilotFacts:
    code: str
    name: str
    agency_ids: frozenset[int]
    unit_ids: frozenset[int]  # empty: every unit of the listed agencies
    position_ids: frozenset[int]  # empty: every position
    phases: tuple[PhaseFacts, ...]


@dataclass(frozen=True)
class RuleResult:
    """One rule's verdict. ``message`` is an English message id with ``%(name)s`` placeholders."""

    code: str
    passed: bool
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    # The policy parameter (or pilot setting) that drives the rule, shown to the user.
    parameter: str = ""

    def reason(self, language: str | None = None) -> str:
        """The reason in ``language`` ("vi" or "en"), or in the active language."""
        if language is None:
            return gettext(self.message) % {key: _display(value) for key, value in self.params.items()}
        with translation.override(language):
            # Parameters are rendered inside the switch too: equipment names are translated words.
            return self.reason()

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "passed": self.passed,
            "parameter": self.parameter,
            "params": {key: _display(value) for key, value in self.params.items()},
            "reason_vi": self.reason("vi"),
            "reason_en": self.reason("en"),
        }


@dataclass(frozen=True)
class EligibilityDecision:
    staff_code: str
    on: dt.date
    is_eligible: bool
    rules: tuple[RuleResult, ...]

    @property
    def failed_rules(self) -> tuple[RuleResult, ...]:
        return tuple(rule for rule in self.rules if not rule.passed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "staff_code": self.staff_code,
            "date": self.on.isoformat(),
            "is_eligible": self.is_eligible,
            "rules": [rule.as_dict() for rule in self.rules],
        }


def _display(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (list, tuple, frozenset, set)):
        return ", ".join(str(translation.gettext(str(item))) for item in sorted(value))
    return value


def decide(*, staff: StaffFacts, pilot: PilotFacts | None, parameters: PolicyParameters, on: dt.date) -> EligibilityDecision:
    """Decide whether ``staff`` may work from home on ``on``. Every rule is evaluated, so the user sees all
    reasons at once, not only the first."""
    rules = (
        rule_staff_active(staff),
        rule_in_pilot_scope(staff, pilot),
        rule_pilot_phase_open(pilot, on),
        rule_telework_not_suspended(staff, parameters),
        rule_not_citizen_facing(staff, parameters),
        rule_not_handling_dossiers(staff, parameters),
        rule_not_one_stop_desk(staff),
        rule_has_equipment(staff, parameters),
        rule_training_completed(staff, parameters, on),
        rule_not_disciplined(staff, parameters, on),
    )
    return EligibilityDecision(staff.code, on, all(rule.passed for rule in rules), rules)


def rule_staff_active(staff: StaffFacts) -> RuleResult:
    """Only staff on the active payroll may register."""
    if staff.is_active:
        return RuleResult("staff_active", True, gettext_noop("The staff record is active."))
    return RuleResult("staff_active", False, gettext_noop("The staff record is inactive."))


def rule_in_pilot_scope(staff: StaffFacts, pilot: PilotFacts | None) -> RuleResult:
    """The pilot chooses agencies, units and positions (MISSION item 1: đề án thí điểm)."""
    if pilot is None:
        return RuleResult("pilot_scope", False, gettext_noop("No telework pilot covers %(agency)s."), {"agency": staff.agency_name})
    params = {"pilot": pilot.name, "agency": staff.agency_name, "unit": staff.unit_name, "position": staff.position.name}
    if staff.agency_id not in pilot.agency_ids:
        return RuleResult("pilot_scope", False, gettext_noop("Agency %(agency)s is not in pilot “%(pilot)s”."), params, "pilot.agencies")
    if pilot.unit_ids and not (pilot.unit_ids & staff.unit_ids):
        return RuleResult("pilot_scope", False, gettext_noop("Unit %(unit)s is not in pilot “%(pilot)s”."), params, "pilot.units")
    if pilot.position_ids and staff.position.id not in pilot.position_ids:
        return RuleResult("pilot_scope", False, gettext_noop("Position %(position)s is not in pilot “%(pilot)s”."), params, "pilot.positions")
    return RuleResult("pilot_scope", True, gettext_noop("%(unit)s, position %(position)s, is in pilot “%(pilot)s”."), params, "pilot")


def rule_pilot_phase_open(pilot: PilotFacts | None, on: dt.date) -> RuleResult:
    """Telework is allowed only while a phase of the pilot runs."""
    if pilot is None:
        return RuleResult("pilot_phase", False, gettext_noop("There is no pilot phase on %(date)s."), {"date": on}, "pilot.phases")
    for phase in pilot.phases:
        if phase.starts_on <= on <= phase.ends_on:
            return RuleResult(
                "pilot_phase",
                True,
                gettext_noop("%(date)s falls in phase “%(phase)s” (%(start)s–%(end)s)."),
                {"date": on, "phase": phase.name, "start": phase.starts_on, "end": phase.ends_on},
                "pilot.phases",
            )
    return RuleResult(
        "pilot_phase", False, gettext_noop("%(date)s is outside every phase of pilot “%(pilot)s”."), {"date": on, "pilot": pilot.name}, "pilot.phases"
    )


def rule_telework_not_suspended(staff: StaffFacts, parameters: PolicyParameters) -> RuleResult:
    """The suspension switch stops all telework except named exemptions (US memo of 20/01/2025; docs/sources.md C5)."""
    if not parameters.telework_suspended:
        return RuleResult("not_suspended", True, gettext_noop("Telework is not suspended."), {}, "telework_suspended")
    if staff.is_exempt_from_suspension:
        return RuleResult("not_suspended", True, gettext_noop("Telework is suspended city-wide, but you hold a named exemption."), {}, "telework_suspended")
    return RuleResult(
        "not_suspended", False, gettext_noop("Telework is suspended city-wide; only named exemptions may work from home."), {}, "telework_suspended"
    )


def rule_not_citizen_facing(staff: StaffFacts, parameters: PolicyParameters) -> RuleResult:
    """Positions that receive citizens or businesses stay on site (HCMC pilot, docs/sources.md C1), unless the
    policy does not exclude them or citizen reception is suspended (HCMC 03/6/2021, docs/sources.md C2)."""
    params = {"position": staff.position.name}
    if not staff.position.faces_citizens:
        return RuleResult("not_citizen_facing", True, gettext_noop("Position %(position)s does not face citizens."), params, "exclude_citizen_facing")
    if parameters.citizen_reception_suspended:
        return RuleResult(
            "not_citizen_facing",
            True,
            gettext_noop("Position %(position)s faces citizens, but direct citizen reception is suspended."),
            params,
            "citizen_reception_suspended",
        )
    if not parameters.exclude_citizen_facing:
        return RuleResult(
            "not_citizen_facing", True, gettext_noop("Position %(position)s faces citizens; this policy does not exclude it."), params, "exclude_citizen_facing"
        )
    return RuleResult(
        "not_citizen_facing",
        False,
        gettext_noop("Position %(position)s faces citizens or businesses, so it must be done on site."),
        params,
        "exclude_citizen_facing",
    )


def rule_not_handling_dossiers(staff: StaffFacts, parameters: PolicyParameters) -> RuleResult:
    """Positions that receive or return administrative dossiers (thủ tục hành chính) stay on site (docs/sources.md B8)."""
    params = {"position": staff.position.name}
    if not staff.position.handles_dossiers:
        return RuleResult(
            "not_dossier_handling", True, gettext_noop("Position %(position)s does not handle administrative dossiers."), params, "exclude_dossier_handling"
        )
    if not parameters.exclude_dossier_handling:
        return RuleResult(
            "not_dossier_handling",
            True,
            gettext_noop("Position %(position)s handles administrative dossiers; this policy does not exclude it."),
            params,
            "exclude_dossier_handling",
        )
    return RuleResult(
        "not_dossier_handling",
        False,
        gettext_noop("Position %(position)s receives or returns administrative dossiers, so it must be done on site."),
        params,
        "exclude_dossier_handling",
    )


def rule_not_one_stop_desk(staff: StaffFacts) -> RuleResult:
    """A one-stop desk post (bộ phận một cửa, Decree 118/2025) is staffed in person by definition."""
    params = {"position": staff.position.name}
    if staff.position.is_one_stop_desk:
        return RuleResult("not_one_stop_desk", False, gettext_noop("Position %(position)s is a one-stop desk post."), params, "position.is_one_stop_desk")
    return RuleResult("not_one_stop_desk", True, gettext_noop("Position %(position)s is not a one-stop desk post."), params, "position.is_one_stop_desk")


def rule_has_equipment(staff: StaffFacts, parameters: PolicyParameters) -> RuleResult:
    """The staff member must have the working conditions the policy lists (phone, computer, printer, Internet)."""
    missing = frozenset(parameters.required_equipment) - staff.equipment
    if missing:
        return RuleResult("equipment", False, gettext_noop("Equipment missing from your record: %(missing)s."), {"missing": missing}, "required_equipment")
    if not parameters.required_equipment:
        return RuleResult("equipment", True, gettext_noop("The policy requires no equipment."), {}, "required_equipment")
    return RuleResult(
        "equipment",
        True,
        gettext_noop("You have the required equipment: %(required)s."),
        {"required": frozenset(parameters.required_equipment)},
        "required_equipment",
    )


def rule_training_completed(staff: StaffFacts, parameters: PolicyParameters, on: dt.date) -> RuleResult:
    """Training before starting, when the policy requires it (5 U.S.C. § 6503(a); docs/sources.md C4)."""
    if not parameters.training_required:
        return RuleResult("training", True, gettext_noop("The policy does not require telework training."), {}, "training_required")
    if staff.training_completed_on is not None and staff.training_completed_on <= on:
        return RuleResult(
            "training", True, gettext_noop("Telework training completed on %(date)s."), {"date": staff.training_completed_on}, "training_required"
        )
    return RuleResult("training", False, gettext_noop("The policy requires telework training before starting."), {}, "training_required")


def rule_not_disciplined(staff: StaffFacts, parameters: PolicyParameters, on: dt.date) -> RuleResult:
    """Staff under discipline are barred when the policy says so (5 U.S.C. § 6502(a)(2); docs/sources.md C4)."""
    if not parameters.exclude_disciplined:
        return RuleResult("discipline", True, gettext_noop("The policy does not bar staff under discipline."), {}, "exclude_disciplined")
    if staff.disciplined_until is not None and staff.disciplined_until >= on:
        return RuleResult(
            "discipline", False, gettext_noop("You are under discipline until %(date)s."), {"date": staff.disciplined_until}, "exclude_disciplined"
        )
    return RuleResult("discipline", True, gettext_noop("You are not under discipline."), {}, "exclude_disciplined")
