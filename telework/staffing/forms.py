"""Forms for the staffing screens: open a round, fill a row (short, for a phone), record a decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from telework.core import clock
from telework.organization.models import Unit


class RoundOpenForm(forms.Form):
    ALL_SPECIAL = "special"
    CHOSEN = "chosen"

    title = forms.CharField(label=_("Round title"), max_length=200)
    reference_number = forms.CharField(label=_("Reference number"), max_length=64, required=False)
    deadline = forms.DateTimeField(
        label=_("Report deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"), input_formats=["%Y-%m-%dT%H:%M"]
    )
    recipients = forms.CharField(label=_("Recipients (“Nơi nhận”)"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    addressees = forms.ChoiceField(
        label=_("Units that report"),
        choices=[(ALL_SPECIAL, _("All special units (with a one-stop desk or a duty post)")), (CHOSEN, _("The units chosen below"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        initial=ALL_SPECIAL,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args: Any, special_units: Any, all_units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.special_units = special_units
        units_field = self.fields["units"]
        assert isinstance(units_field, forms.ModelMultipleChoiceField)
        units_field.queryset = all_units
        units_field.label_from_instance = lambda unit: f"{unit.name} · {unit.agency.name}"  # type: ignore[method-assign,assignment]
        if not self.is_bound:
            self.initial.setdefault("deadline", timezone.make_aware(dt.datetime.combine(clock.today(), dt.time(16, 0))).strftime("%Y-%m-%dT%H:%M"))

    def chosen_units(self) -> list[Unit]:
        if self.cleaned_data["addressees"] == self.ALL_SPECIAL:
            return list(self.special_units)
        return list(self.cleaned_data["units"])


class RowFillForm(forms.Form):
    needed_on_site = forms.IntegerField(label=_("Needed on site"), min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    proposed_at_home = forms.IntegerField(label=_("Proposed at home"), min_value=0, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    late = forms.BooleanField(label=_("I know the deadline has passed: send as a late report"), required=False)


class DecisionForm(forms.Form):
    on_site_minimum = forms.IntegerField(label=_("On-site minimum (people)"), min_value=0)
    home_cap = forms.IntegerField(label=_("Home cap (people)"), min_value=0)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
