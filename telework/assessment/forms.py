"""Forms of the design wizard, the phase scope and the review. They shape input; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from telework.assessment.models import DesignMethod, ReviewDecision
from telework.assessment.services import MAX_PERIODS, MAX_SEED, DesignInputs
from telework.organization.models import Agency, Position, Unit
from telework.outcomes.indicators import INDICATORS

SELECT = {"class": "form-select"}
NUMBER = {"class": "form-control"}


class DesignForm(forms.Form):
    method = forms.ChoiceField(label=_("Method"), choices=DesignMethod.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=MAX_SEED,
        widget=forms.NumberInput(attrs=NUMBER),
        help_text=_("Any whole number: the same seed gives the same allocation, so anyone can reproduce it."),
    )
    pilot_share = forms.FloatField(
        label=_("Share of units in the pilot arm"),
        min_value=0.05,
        max_value=0.95,
        initial=0.5,
        required=False,
        widget=forms.NumberInput(attrs={**NUMBER, "step": "0.05"}),
    )
    waves = forms.IntegerField(label=_("Number of waves"), min_value=2, max_value=52, initial=3, required=False, widget=forms.NumberInput(attrs=NUMBER))
    wave_weeks = forms.IntegerField(
        label=_("Weeks between waves"), min_value=1, max_value=52, initial=8, required=False, widget=forms.NumberInput(attrs=NUMBER)
    )
    pilot_units = forms.TypedMultipleChoiceField(
        label=_("Pilot units (matched design)"), coerce=int, required=False, widget=forms.SelectMultiple(attrs={**SELECT, "size": "8"})
    )
    primary_outcomes = forms.MultipleChoiceField(
        label=_("Primary outcomes"),
        choices=[],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("The indicators the phase will be judged on, chosen before launch."),
    )
    smallest_effect = forms.FloatField(
        label=_("Smallest effect that matters"),
        min_value=0.000001,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={**NUMBER, "step": "any"}),
        help_text=_("In the outcome's own unit (for a share, 0.03 is 3 points)."),
    )
    icc = forms.FloatField(
        label=_("Intra-cluster correlation (assumed)"), min_value=0, max_value=1, initial=0.05, widget=forms.NumberInput(attrs={**NUMBER, "step": "0.01"})
    )
    outcome_sd = forms.FloatField(
        label=_("Standard deviation of the outcome"),
        min_value=0.000001,
        max_value=1_000_000,
        initial=0.15,
        widget=forms.NumberInput(attrs={**NUMBER, "step": "any"}),
    )
    periods_before = forms.IntegerField(
        label=_("Weeks before the start"), min_value=0, max_value=MAX_PERIODS, initial=26, widget=forms.NumberInput(attrs=NUMBER)
    )
    periods_after = forms.IntegerField(label=_("Weeks after the start"), min_value=1, max_value=MAX_PERIODS, initial=26, widget=forms.NumberInput(attrs=NUMBER))
    why = forms.CharField(
        label=_("Why change the locked design"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )

    def __init__(self, *args: Any, unit_choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pilot_units"].choices = unit_choices  # type: ignore[attr-defined]
        self.fields["primary_outcomes"].choices = [(code, indicator.name) for code, indicator in INDICATORS.items()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data.get("method")
        if method == DesignMethod.STEPPED_WEDGE:
            for name in ("waves", "wave_weeks"):
                if not data.get(name):
                    self.add_error(name, _("A stepped-wedge design needs this."))
        if method == DesignMethod.MATCHED and not data.get("pilot_units"):
            self.add_error("pilot_units", _("Choose the pilot units; the platform finds their nearest comparison units."))
        return data

    def inputs(self) -> DesignInputs:
        data = self.cleaned_data
        return DesignInputs(
            method=data["method"],
            seed=data["seed"],
            primary_outcomes=tuple(data["primary_outcomes"]),
            smallest_effect=data["smallest_effect"],
            pilot_share=data.get("pilot_share") or 0.5,
            waves=data.get("waves"),
            wave_weeks=data.get("wave_weeks"),
            pilot_unit_ids=frozenset(data.get("pilot_units") or ()),
            icc=data["icc"],
            outcome_sd=data["outcome_sd"],
            periods_before=data["periods_before"],
            periods_after=data["periods_after"],
        )


class PhaseScopeForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(label=_("Agencies"), queryset=Agency.objects.none(), widget=forms.SelectMultiple(attrs={**SELECT, "size": "6"}))
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={**SELECT, "size": "8"}),
        help_text=_("None chosen: every unit of the chosen agencies."),
    )
    positions = forms.ModelMultipleChoiceField(
        label=_("Job positions"),
        queryset=Position.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={**SELECT, "size": "6"}),
        help_text=_("None chosen: every position."),
    )

    def __init__(self, *args: Any, agency_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = Agency.objects.filter(pk__in=agency_ids).order_by("name")  # type: ignore[attr-defined]
        self.fields["units"].queryset = Unit.objects.filter(agency_id__in=agency_ids).select_related("agency").order_by("agency__name", "path")  # type: ignore[attr-defined]
        self.fields["positions"].queryset = Position.objects.filter(agency_id__in=agency_ids).order_by("agency__name", "name")  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    reasons = forms.CharField(label=_("Reasons"), max_length=10_000, widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}))
    report_reference = forms.CharField(
        label=_("Report reference"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Number and date of the review report (báo cáo sơ kết)."),
    )
