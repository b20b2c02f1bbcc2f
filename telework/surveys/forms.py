"""The survey forms: the public citizen survey, the staff pulse survey, and Home Affairs' campaign and wave forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from telework.organization.models import Agency
from telework.surveys import scales
from telework.surveys.models import SurveyPhase

ANSWER_REQUIRED = {"required": _("Please answer this question.")}


def _scale_field(question: scales.Question, labels: dict[int, Any]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=question.text,
        choices=[(str(value), label) for value, label in labels.items()],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=ANSWER_REQUIRED,
    )


class CitizenSurveyForm(forms.Form):
    """Ten statements, two per SIPAS factor, each answered from very dissatisfied (1) to very satisfied (5)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for factor in scales.FACTORS:
            for question in factor.questions:
                self.fields[question.key] = _scale_field(question, scales.AGREEMENT_LABELS)

    def factor_groups(self) -> list[tuple[scales.Factor, list[forms.BoundField]]]:
        return [(factor, [self[question.key] for question in factor.questions]) for factor in scales.FACTORS]

    def answers(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in scales.CITIZEN_QUESTION_KEYS}


class PulseForm(forms.Form):
    """WHO-5 (over the last two weeks), four job-stress items, work–life balance and the intention to stay."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in scales.WHO5_ITEMS:
            self.fields[item.key] = _scale_field(item, scales.WHO5_LABELS)
        for item in scales.STRESS_ITEMS:
            self.fields[item.key] = _scale_field(item, scales.FREQUENCY_LABELS)
        for item in (scales.BALANCE_ITEM, scales.STAY_ITEM):
            self.fields[item.key] = _scale_field(item, scales.AGREE_LABELS)

    def sections(self) -> list[tuple[Any, Any, list[forms.BoundField]]]:
        return [
            (_("Your well-being"), _("Over the last two weeks…"), [self[item.key] for item in scales.WHO5_ITEMS]),
            (_("Pressure at work"), _("Over the last month, how often…"), [self[item.key] for item in scales.STRESS_ITEMS]),
            (_("Family, personal life and the future"), "", [self[scales.BALANCE_ITEM.key], self[scales.STAY_ITEM.key]]),
        ]

    def answers(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in scales.PULSE_KEYS}


class _RoundForm(forms.Form):
    title = forms.CharField(label=_("Name of the survey"), max_length=200)
    phase = forms.ChoiceField(label=_("Phase"), choices=SurveyPhase.choices)
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs={"type": "date"}))
    agencies = forms.ModelMultipleChoiceField(label=_("Agencies"), queryset=Agency.objects.order_by("name"), widget=forms.CheckboxSelectMultiple)


class CampaignForm(_RoundForm):
    target_responses = forms.IntegerField(label=_("Target sample size per agency"), min_value=1, max_value=100000, initial=100)


class WaveForm(_RoundForm):
    pass
