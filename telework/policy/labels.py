"""Human labels, help texts and value formats for every policy parameter, presets and switches.

The policy engine speaks in identifiers (``max_home_share = 0.3``); the screens, the audit trail and the exports speak
to a unit head in a ward office ("Tỷ lệ tối đa làm việc tại nhà: 30 %"). Everything here is lazily translated, so it
renders in the language of the request that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from telework.core import numbers
from telework.organization.models import Equipment
from telework.policy.parameters import PARAMETER_SPECS, PRESETS, SPEC_BY_NAME, PolicyParameters


@dataclass(frozen=True)
class ParameterLabel:
    label: Promise
    help_text: Promise
    # How the value reads: "share" (30 %), "week_days", "month_days", "people", "days", "trial_days",
    # "notice_days", "equipment", "bool".
    unit: str


PARAMETER_LABELS: dict[str, ParameterLabel] = {
    "max_home_share": ParameterLabel(
        _("Maximum share of a unit at home on a day"),
        _("At most this share of a unit's staff may work from home on the same working day (rounded down)."),
        "share",
    ),
    "min_onsite_share": ParameterLabel(
        _("Minimum share of a unit on site on a day"),
        _("At least this share of a unit's staff must be at the office every working day (rounded up)."),
        "share",
    ),
    "max_home_days_per_week": ParameterLabel(
        _("Maximum home days per person per week"),
        _("Leave empty for no weekly limit."),
        "week_days",
    ),
    "min_office_days_per_week": ParameterLabel(
        _("Minimum office days per person per week"),
        _("Working days at the office each week; public holidays do not count. Leave empty for no minimum."),
        "week_days",
    ),
    "max_home_days_per_month": ParameterLabel(
        _("Maximum home days per person per month"),
        _("Leave empty for no monthly limit."),
        "month_days",
    ),
    "min_office_days_per_month": ParameterLabel(
        _("Minimum office days per person per month"),
        _("Leave empty for no minimum."),
        "month_days",
    ),
    "required_equipment": ParameterLabel(
        _("Required equipment at home"),
        _("The staff member must have and attest each of these working conditions."),
        "equipment",
    ),
    "leader_on_site_each_day": ParameterLabel(
        _("A leader on site every day"),
        _("At least one leader of each unit stays at the office every working day."),
        "bool",
    ),
    "desk_staff_on_site": ParameterLabel(
        _("Staff on site per one-stop desk"),
        _("Qualified staff who must be at each one-stop desk (bộ phận một cửa) every working day."),
        "people",
    ),
    "duty_staff_on_site": ParameterLabel(
        _("Staff on site per duty post"),
        _("Qualified staff who must be at each duty post every working day."),
        "people",
    ),
    "exclude_citizen_facing": ParameterLabel(
        _("Exclude positions facing citizens"),
        _("Positions that receive citizens or businesses stay at the office."),
        "bool",
    ),
    "exclude_dossier_handling": ParameterLabel(
        _("Exclude positions handling administrative dossiers"),
        _("Positions that receive or return administrative dossiers stay at the office."),
        "bool",
    ),
    "written_commitment_required": ParameterLabel(
        _("Written commitment required"),
        _("The staff member commits in writing to deadlines, volume and quality of work."),
        "bool",
    ),
    "training_required": ParameterLabel(
        _("Telework training required"),
        _("Only staff who have completed telework training may register."),
        "bool",
    ),
    "exclude_disciplined": ParameterLabel(
        _("Exclude staff under discipline"),
        _("Staff under a disciplinary measure may not work from home while it lasts."),
        "bool",
    ),
    "trial_period_days": ParameterLabel(
        _("Trial period"),
        _("Days after a first approval during which either side may end telework at shorter notice."),
        "trial_days",
    ),
    "notice_days": ParameterLabel(
        _("Notice to end telework"),
        _("Days between a revocation and the last home day."),
        "notice_days",
    ),
    "notice_days_during_trial": ParameterLabel(
        _("Notice to end telework during the trial period"),
        _("Days between a revocation and the last home day while the trial period runs."),
        "notice_days",
    ),
    "citizen_reception_suspended": ParameterLabel(
        _("Direct citizen reception suspended"),
        _("Set by emergency mode: positions facing citizens may then work from home."),
        "bool",
    ),
    "telework_suspended": ParameterLabel(
        _("Telework suspended"),
        _("Set by the suspension switch: nobody works from home except named exemptions."),
        "bool",
    ),
    "office_norm_hours_per_day": ParameterLabel(
        _("Office norm (hours per working day)"),
        _("The hours of work one working day stands for: planned work is compared with it to find who is under- or over-loaded."),
        "hours",
    ),
    "max_onsite_share": ParameterLabel(
        _("Maximum share of a unit on site on a day"),
        _(
            "Distancing: at most this share of a unit's staff may be at the office on the same working day (rounded "
            "down; never fewer than the desks, duty posts and leader rule need). Empty: no cap. A lower cap is tighter: "
            "an agency or unit may lower it, never raise or lift it."
        ),
        "share",
    ),
    "max_onsite_headcount": ParameterLabel(
        _("Maximum number of a unit's staff on site on a day"),
        _(
            "Distancing: at most this many people of a unit at the office on the same working day; it may not be below "
            "what desks, duty posts and leaders need. Empty: no cap. A lower cap is tighter: an agency or unit may lower "
            "it, never raise or lift it."
        ),
        "people",
    ),
    "home_days_assigned": ParameterLabel(
        _("Home days assigned by the unit"),
        _("Set by the distancing switch: nobody requests home days; the unit's roster decides who comes in, in rotation."),
        "bool",
    ),
    "paused_work_categories": ParameterLabel(
        _("Work paused"),
        _("Set by the distancing switch: work in these categories is postponed until the switch ends."),
        "categories",
    ),
}

# The order and grouping of parameters on every screen.
PARAMETER_GROUPS: tuple[tuple[Promise, tuple[str, ...]], ...] = (
    (_("Unit ratio per day"), ("max_home_share", "min_onsite_share")),
    (_("Days per person"), ("max_home_days_per_week", "min_office_days_per_week", "max_home_days_per_month", "min_office_days_per_month")),
    (_("Who may work from home"), ("exclude_citizen_facing", "exclude_dossier_handling", "training_required", "exclude_disciplined", "required_equipment")),
    (_("Staffing kept on site"), ("leader_on_site_each_day", "desk_staff_on_site", "duty_staff_on_site")),
    (_("Commitment, trial and notice"), ("written_commitment_required", "trial_period_days", "notice_days", "notice_days_during_trial")),
    (_("Presence cap (distancing)"), ("max_onsite_share", "max_onsite_headcount")),
    (_("Set by the city-wide switches"), ("citizen_reception_suspended", "telework_suspended", "home_days_assigned", "paused_work_categories")),
    (_("Workload"), ("office_norm_hours_per_day",)),
)

PRESET_DESCRIPTIONS: dict[str, Promise] = {
    "hcmc_pilot": _(
        "The HCMC civil-service pilot 2024–2030: only positions that neither face citizens nor handle administrative "
        "dossiers; at most 30 per cent of a unit and 2 days a week at home; equipment attested and a written commitment."
    ),
    "emergency_2021": _(
        "HCMC, 3 June 2021: up to half of each unit at home, no weekly day limits, direct citizen reception suspended so "
        "citizen-facing staff may also work from home."
    ),
    "france": _(
        "Like the French civil service (Décret 2016-151): at most 3 home days and at least 2 office days a week, "
        "a 3-month adaptation period and 2 months' notice to end."
    ),
    "us": _(
        "Like the US Telework Enhancement Act 2010: every position is considered, a written agreement and telework "
        "training before starting, staff under discipline barred."
    ),
    "suspension": _("Nobody works from home except named exemptions (like the US return-to-office memo of 20 January 2025)."),
    "distancing_2020": _(
        "Hanoi, April 2020 (Directive 16/CT-TTg): at most 30 per cent of a unit on site on a day, in rotation; the unit "
        "assigns everyone's home days; one-stop desks, duty posts and a leader stay on site; citizen reception moves "
        "online; inspections, field visits and gatherings are paused."
    ),
}

# ``eligibility`` names missing equipment by its raw id inside a sentence ("Equipment missing from your record:
# computer, printer") and translates each id at render time: these are the ids' message entries.
EQUIPMENT_IN_SENTENCES = (gettext_noop("phone"), gettext_noop("computer"), gettext_noop("printer"), gettext_noop("internet"))
# ``equipment_name`` shows ``organization.models.Equipment`` labels; listed here too so this catalog is complete alone.
EQUIPMENT_LABELS = (gettext_noop("Phone"), gettext_noop("Computer"), gettext_noop("Printer"), gettext_noop("Internet"))

# The categories of work a distancing regime may pause (``parameters.PAUSABLE_WORK_CATEGORIES``), as people say them.
WORK_CATEGORY_LABELS: dict[str, Promise] = {
    "inspection": _("Non-urgent inspections"),
    "citizen_reception": _("In-person citizen reception"),
    "gathering": _("Conferences and in-person training"),
    "field_visit": _("Field visits"),
}

SWITCH_PRESETS: dict[str, str] = {"emergency": "emergency_2021", "distancing": "distancing_2020", "suspension": "suspension"}

SWITCH_DESCRIPTIONS: dict[str, Promise] = {
    "emergency": _(
        "For an epidemic or disaster: every agency switches at once to the 2021 emergency rules, over any agency or unit "
        "policy, until the switch is turned off."
    ),
    "distancing": _(
        "For an epidemic that needs distancing (Hanoi, April 2020, Directive 16/CT-TTg): in every agency at once, at "
        "most 30 per cent of a unit on site on a day and within its usable seats, in rotation; the units assign home "
        "days (nobody needs to request them); desks, duty posts and a leader stay on site; citizen reception moves "
        "online and non-urgent inspections, field visits and gatherings are paused. This week's and next week's rosters "
        "are re-planned and published at once, and everyone is told their days. It holds over emergency mode, and "
        "cannot be on together with the telework suspension."
    ),
    "suspension": _(
        "Stops telework in every agency at once: from the next check, nobody is eligible except the staff named as "
        "exemptions (disability, medical condition, compelling reason)."
    ),
}


def label(name: str) -> str:
    """The parameter's label in the active language (the identifier itself for an unknown name)."""
    entry = PARAMETER_LABELS.get(name)
    return str(entry.label) if entry else name


def help_text(name: str) -> str:
    entry = PARAMETER_LABELS.get(name)
    return str(entry.help_text) if entry else ""


def format_share(value: float) -> str:
    """0.3 → "30 %", 0.333 → "33,3 %" in Vietnamese, "33.3 %" in English."""
    return numbers.format_percent(value)


def equipment_name(item: str) -> str:
    try:
        return str(Equipment(item).label)
    except ValueError:
        return item


def format_value(name: str, value: Any) -> str:
    """A parameter value as a person reads it: "30 %", "2 ngày/tuần", "Máy tính, Internet", "Có"."""
    entry = PARAMETER_LABELS.get(name)
    unit = entry.unit if entry else ""
    if unit == "share" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return format_share(value)
    if unit in {"share", "people"} and value is None:
        return gettext("No limit")
    if unit in {"week_days", "month_days"}:
        if value is None:
            return gettext("No limit")
        if unit == "week_days":
            return ngettext("%(count)s day/week", "%(count)s days/week", int(value)) % {"count": value}
        return ngettext("%(count)s day/month", "%(count)s days/month", int(value)) % {"count": value}
    if unit == "people" and isinstance(value, int):
        return ngettext("%(count)s person", "%(count)s people", value) % {"count": value}
    if unit in {"trial_days", "notice_days"} and isinstance(value, int):
        if value == 0:
            return gettext("No trial period") if unit == "trial_days" else gettext("No notice")
        return ngettext("%(count)s day", "%(count)s days", value) % {"count": value}
    if unit == "equipment" and isinstance(value, (list, tuple, set, frozenset)):
        if not value:
            return gettext("None required")
        return ", ".join(equipment_name(str(item)) for item in sorted(value))
    if unit == "categories" and isinstance(value, (list, tuple, set, frozenset)):
        if not value:
            return gettext("Nothing paused")
        return ", ".join(str(WORK_CATEGORY_LABELS.get(str(item), item)) for item in sorted(value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if value is None:
        return "—"
    return str(value)


@dataclass(frozen=True)
class ParameterRow:
    """One parameter as shown on a screen."""

    name: str
    label: str
    value: str
    help_text: str
    previous: str | None = None  # the value in the previous version, when it changed
    city_value: str | None = None  # the city's value, beside an override


def parameter_rows(parameters: dict[str, Any], *, only: set[str] | None = None) -> list[tuple[str, list[ParameterRow]]]:
    """Parameters grouped as on every screen: [(group title, rows)]; ``only`` keeps a subset (an override's)."""
    groups = []
    for title, names in PARAMETER_GROUPS:
        rows = [ParameterRow(name, label(name), format_value(name, parameters.get(name)), help_text(name)) for name in names if only is None or name in only]
        if rows:
            groups.append((str(title), rows))
    return groups


@dataclass(frozen=True)
class ParameterChange:
    name: str
    label: str
    before: str
    after: str


def parameter_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[ParameterChange]:
    """What changed from ``before`` to ``after``, in screen order. Lists compare as sets (equipment order is not a
    change); a parameter missing on one side reads "not set"."""
    before = before or {}
    changes = []
    for spec in PARAMETER_SPECS:
        name = spec.name
        if name not in before and name not in after:
            continue
        old, new = before.get(name, _MISSING), after.get(name, _MISSING)
        if _same(old, new):
            continue
        changes.append(ParameterChange(name, label(name), _format_or_unset(name, old), _format_or_unset(name, new)))
    return changes


_MISSING = object()


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)):
        return sorted(old) == sorted(new)
    return bool(old == new)


def _format_or_unset(name: str, value: Any) -> str:
    if value is _MISSING:
        return gettext("not set")
    return format_value(name, value)


def describe_overlay(overlay: dict[str, Any]) -> list[str]:
    """What a switch does, in words: "Maximum share of a unit at home on a day: 50 %", one line per parameter."""
    return [f"{label(name)}: {format_value(name, value)}" for name, value in overlay.items() if name in SPEC_BY_NAME]


def describe_switch(kind: str) -> list[str]:
    return describe_overlay(PRESETS[SWITCH_PRESETS[kind]].overlay)


def preset_rows(key: str) -> list[tuple[str, list[ParameterRow]]]:
    return parameter_rows(PRESETS[key].parameters.as_dict())


def default_parameters() -> dict[str, Any]:
    return PolicyParameters().as_dict()
