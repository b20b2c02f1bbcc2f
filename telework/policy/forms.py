"""Forms for pilots, policy versions, overrides and the city-wide switches.

The forms only shape input; the rules (phases that overlap, overrides looser than the city) are the services'.
``apply_domain_error`` puts a service refusal next to the field it concerns, in the words of ``labels``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from telework.core.exceptions import DomainError, ValidationFailed
from telework.organization.models import Agency, Equipment, Position, Staff, Unit
from telework.policy import labels
from telework.policy.models import Pilot, PilotStatus
from telework.policy.parameters import PARAMETER_SPECS, SPEC_BY_NAME, SWITCH_ONLY_PARAMETERS, ParameterSpec
from telework.policy.selectors import staff_by_codes
from telework.policy.services import PRESET_NAMES

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class PilotForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32, widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}))
    name = forms.CharField(label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}))
    status = forms.ChoiceField(label=_("Status"), choices=PilotStatus.choices, widget=forms.Select(attrs={"class": "form-select"}))
    agencies = forms.ModelMultipleChoiceField(
        label=_("Participating agencies"),
        queryset=Agency.objects.all(),
        error_messages={"required": _("Choose at least one agency.")},
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.all(),
        required=False,
        help_text=_("Leave empty to include every unit of the chosen agencies. A unit includes the units below it."),
    )
    positions = forms.ModelMultipleChoiceField(
        label=_("Job positions"),
        queryset=Position.objects.all(),
        required=False,
        help_text=_("Leave empty to include every position."),
    )

    def __init__(self, *args: Any, pilot: Pilot | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pilot = pilot

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].strip().upper()
        taken = Pilot.objects.filter(code=code)
        if self.pilot is not None:
            taken = taken.exclude(pk=self.pilot.pk)
        if taken.exists():
            raise forms.ValidationError(gettext("Another pilot already uses the code %(code)s.") % {"code": code})
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        agencies = cleaned.get("agencies")
        positions = cleaned.get("positions")
        if agencies is not None and positions:
            agency_ids = {agency.pk for agency in agencies}
            outside = [position for position in positions if position.agency_id not in agency_ids]
            if outside:
                self.add_error(
                    "positions",
                    gettext("Position %(position)s belongs to an agency that is not in the pilot.") % {"position": f"{outside[0].name} ({outside[0].agency})"},
                )
        return cleaned


class PhaseForm(forms.Form):
    name = forms.CharField(label=_("Phase"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("e.g. Phase 1")}))
    starts_on = forms.DateField(label=_("From"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("To"), widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", gettext("The phase ends before it starts."))
        return cleaned


PhaseFormSet = forms.formset_factory(PhaseForm, extra=0, can_delete=True, min_num=1, validate_min=True)


def phases_from(formset: Any) -> list[tuple[str, dt.date, dt.date]]:
    return [
        (form.cleaned_data["name"], form.cleaned_data["starts_on"], form.cleaned_data["ends_on"])
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


# --- Policy parameters -------------------------------------------------------------------------------------------


def parameter_field(spec: ParameterSpec, *, required: bool) -> forms.Field:
    """A form field for one parameter: shares in percent, counts with "empty = no limit", equipment as checkboxes."""
    field = _parameter_field(spec, required=required)
    # How the template decorates the input ("%", "days/week"): see ``labels.ParameterLabel.unit``.
    field.unit = labels.PARAMETER_LABELS[spec.name].unit  # type: ignore[attr-defined]
    return field


def _parameter_field(spec: ParameterSpec, *, required: bool) -> forms.Field:
    name = spec.name
    common: dict[str, Any] = {"label": labels.PARAMETER_LABELS[name].label, "help_text": labels.PARAMETER_LABELS[name].help_text}
    if spec.kind is bool:
        return forms.BooleanField(required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input", "role": "switch"}), **common)
    if spec.kind is tuple:
        choices = [(key, str(text)) for key, text in labels.WORK_CATEGORY_LABELS.items()] if name == "paused_work_categories" else list(Equipment.choices)
        return forms.MultipleChoiceField(choices=choices, required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}), **common)
    if spec.kind is float:
        # Percent in, a fraction stored (``from_field_value``); a nullable share (the presence cap) left empty is no cap.
        return forms.DecimalField(
            min_value=Decimal(0),
            max_value=Decimal(100),
            decimal_places=1,
            required=required and not spec.nullable,
            widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.1", "inputmode": "decimal"}),
            **common,
        )
    return forms.IntegerField(
        min_value=int(spec.minimum) if spec.minimum is not None else None,
        max_value=int(spec.maximum) if spec.maximum is not None else None,
        required=required and not spec.nullable,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
        **common,
    )


def to_field_value(spec: ParameterSpec, value: Any) -> Any:
    """A stored parameter value as the form shows it (shares in percent)."""
    if spec.kind is float and value is not None:
        return Decimal(str(round(float(value) * 100, 1)))
    if spec.kind is tuple:
        return list(value or [])
    return value


def from_field_value(spec: ParameterSpec, value: Any) -> Any:
    """A cleaned form value as the policy stores it."""
    if spec.kind is float:
        return None if value is None else round(float(value) / 100, 4)
    if spec.kind is tuple:
        return sorted(value or [])
    if spec.kind is bool:
        return bool(value)
    return value


class ParameterFormMixin:
    """Fields ``p_<parameter>`` for each parameter, grouped like every other screen."""

    parameter_names: tuple[str, ...] = ()
    fields: dict[str, forms.Field]

    def add_parameter_fields(self, names: tuple[str, ...], *, initial: dict[str, Any], required: bool) -> None:
        self.parameter_names = names
        for name in names:
            spec = SPEC_BY_NAME[name]
            field = parameter_field(spec, required=required)
            field.initial = to_field_value(spec, initial.get(name))
            self.fields[f"p_{name}"] = field

    def parameter_groups(self) -> list[tuple[str, list[Any]]]:
        """[(group title, [bound fields])] for the template, in screen order."""
        groups = []
        for title, names in labels.PARAMETER_GROUPS:
            bound = [self[f"p_{name}"] for name in names if name in self.parameter_names]  # type: ignore[index]
            if bound:
                groups.append((str(title), bound))
        return groups


class CityPolicyForm(ParameterFormMixin, forms.Form):
    """A new city-wide version: every parameter, prefilled from the version it starts from."""

    name = forms.CharField(label=_("Name of the version"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))
    effective_from = forms.DateField(label=_("In force from"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Reason and legal basis"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        help_text=_("Kept in the audit trail."),
    )

    def __init__(self, *args: Any, parameters: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_parameter_fields(tuple(spec.name for spec in PARAMETER_SPECS), initial=parameters, required=True)

    def parameters(self) -> dict[str, Any]:
        return {name: from_field_value(SPEC_BY_NAME[name], self.cleaned_data.get(f"p_{name}")) for name in self.parameter_names}


class PresetForm(forms.Form):
    preset = forms.ChoiceField(label=_("Regime"), choices=(), widget=forms.RadioSelect)
    effective_from = forms.DateField(label=_("In force from"), widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        help_text=_("Leave empty to record the regime's legal source."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preset"].choices = [(key, name) for key, name in PRESET_NAMES.items()]  # type: ignore[attr-defined]


OVERRIDABLE = tuple(spec.name for spec in PARAMETER_SPECS if spec.name not in SWITCH_ONLY_PARAMETERS)


class OverrideForm(ParameterFormMixin, forms.Form):
    """An agency or unit override: tick the parameters to override and give each a value."""

    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), empty_label=_("— choose an agency —"), widget=forms.Select(attrs={"class": "form-select"})
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— the whole agency —"),
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("Choose a unit for a unit override; leave it for an agency override."),
    )
    name = forms.CharField(label=_("Name of the override"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))
    effective_from = forms.DateField(label=_("In force from"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}))

    def __init__(self, *args: Any, agencies: Any, city_parameters: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["unit"].queryset = Unit.objects.filter(agency__in=agencies)  # type: ignore[attr-defined]
        self.city_parameters = city_parameters
        self.add_parameter_fields(OVERRIDABLE, initial=city_parameters, required=False)
        for name in OVERRIDABLE:
            self.fields[f"o_{name}"] = forms.BooleanField(
                label=gettext("Override"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input override-toggle"})
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        agency, unit = cleaned.get("agency"), cleaned.get("unit")
        if agency is not None and unit is not None and unit.agency_id != agency.pk:
            self.add_error("unit", gettext("This unit does not belong to the chosen agency."))
        if not any(cleaned.get(f"o_{name}") for name in OVERRIDABLE):
            self.add_error(None, gettext("Tick at least one parameter to override."))
        return cleaned

    def parameters(self) -> dict[str, Any]:
        return {
            name: from_field_value(SPEC_BY_NAME[name], self.cleaned_data.get(f"p_{name}"))
            for name in self.parameter_names
            if self.cleaned_data.get(f"o_{name}")
        }

    def parameter_groups(self) -> list[tuple[str, list[Any]]]:
        groups = []
        for title, names in labels.PARAMETER_GROUPS:
            rows = [
                {
                    "field": self[f"p_{name}"],
                    "toggle": self[f"o_{name}"],
                    "name": name,
                    "city_value": labels.format_value(name, self.city_parameters.get(name)),
                }
                for name in names
                if name in self.parameter_names
            ]
            if rows:
                groups.append((str(title), rows))
        return groups


def apply_domain_error(form: forms.Form, error: DomainError, *, field_prefix: str = "p_", fields: dict[str, str] | None = None) -> DomainError:
    """Put a service refusal next to the fields it names and return the error to show above the form.

    Parameter problems (``details`` with a ``code`` from ``parameters.ParameterProblem``) are rewritten in the
    parameter's own terms: "Looser than the city's policy, which allows at most 30 %". ``fields`` maps other rule
    names (``effective_from``, ``pilot.units``) to form fields.
    """
    fields = fields or {}
    placed: list[dict[str, Any]] = []
    for detail in error.details or [{"rule": error.rule, "message": str(error.message)}]:
        rule = str(detail.get("rule", ""))
        message = _problem_message(rule, detail)
        field = fields.get(rule) or (f"{field_prefix}{rule}" if f"{field_prefix}{rule}" in form.fields else None)
        if field is not None and field in form.fields:
            form.add_error(field, message)
        placed.append({"rule": rule, "message": f"{labels.label(rule)}: {message}" if rule in SPEC_BY_NAME else message})
    if error.details:
        summary = gettext("Not saved: %(count)s value(s) break the rules below.") % {"count": len(placed)}
        return ValidationFailed(summary, rule=error.rule, params=error.params, details=placed)
    return error


def _problem_message(name: str, detail: dict[str, Any]) -> str:
    code, bound = detail.get("code"), detail.get("bound")
    if name not in SPEC_BY_NAME or code is None:
        return str(detail.get("message", ""))
    if code == "exceeds_city_bound":
        return gettext("Looser than the city's policy, which allows at most %(bound)s.") % {"bound": labels.format_value(name, bound)}
    if code == "below_city_bound":
        return gettext("Looser than the city's policy, which requires at least %(bound)s.") % {"bound": labels.format_value(name, bound)}
    if code == "drops_city_item":
        return gettext("The city's policy requires %(items)s; an override cannot drop it.") % {
            "items": ", ".join(labels.equipment_name(str(item)) for item in bound or [])
        }
    if code == "drops_city_requirement":
        return gettext("The city's policy requires this; an override cannot switch it off.")
    if code == "range" and isinstance(bound, (list, tuple)) and len(bound) == 2:
        return gettext("Must be between %(minimum)s and %(maximum)s.") % {
            "minimum": labels.format_value(name, bound[0]),
            "maximum": labels.format_value(name, bound[1]),
        }
    if code == "inconsistent_shares":
        return gettext("With this share at home, the share on site can be at most %(bound)s.") % {"bound": labels.format_value(name, bound)}
    if code == "switch_only":
        return gettext("Only the city-wide switches set this.")
    if code == "onsite_cap_below_minimum":
        return gettext("A presence cap below the on-site minimum (%(bound)s): no day could keep both. Raise the cap or lower the minimum.") % {
            "bound": labels.format_share(float(bound or 0))
        }
    if code == "onsite_cap_below_staffing":
        return gettext("A presence cap below what desks, duty posts and leaders need: they need at least %(bound)s people on site each day.") % {"bound": bound}
    if code == "assigned_with_suspension":
        return gettext("Home days cannot be assigned by the unit while telework is suspended: everybody works at the office.")
    return str(detail.get("message", ""))


# --- Switches ----------------------------------------------------------------------------------------------------

CODE_SEPARATORS = re.compile(r"[\s,;]+")


class SwitchForm(forms.Form):
    """Turning a switch on or off: a reason, the exemptions (suspension), then a confirmation step."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=_("Shown to every user on the home page and kept in the audit trail."),
        error_messages={"required": _("Give a reason for changing a city-wide switch.")},
    )
    exempted_codes = forms.CharField(
        label=_("Exempted staff (staff codes)"),
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control font-monospace", "rows": 3, "autocomplete": "off"}),
        help_text=_("Staff who keep working from home during the suspension; separate codes with spaces, commas or new lines."),
    )

    def __init__(self, *args: Any, with_exemptions: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_exemptions:
            del self.fields["exempted_codes"]
        self.exempted_staff: list[Staff] | None = None

    def clean_exempted_codes(self) -> str:
        raw: str = self.cleaned_data.get("exempted_codes", "")
        codes = [code for code in CODE_SEPARATORS.split(raw) if code]
        found, missing = staff_by_codes(codes)
        if missing:
            raise forms.ValidationError(gettext("No staff member has the code(s): %(codes)s.") % {"codes": ", ".join(missing)})
        self.exempted_staff = found
        return " ".join(member.code for member in found)
