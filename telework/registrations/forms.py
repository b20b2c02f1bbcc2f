"""Forms for registering home days and deciding on them. They check the shape of the input only (dates that
parse, choices that exist); every rule (eligibility, caps, equipment, commitment) is the services' to decide."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from telework.core import clock
from telework.core.ui import DATE_INPUT_FORMATS, WEEKDAY_NAMES, date_input
from telework.policy.parameters import EQUIPMENT_ITEMS
from telework.registrations.models import RegistrationMode

# Message ids the services and the cap rules translate through a variable (``_(item)``, ``gettext(period)``):
# listed here so that ``makemessages`` extracts them into this app's catalog.
MESSAGE_IDS_USED_THROUGH_VARIABLES = (
    gettext_noop("phone"),
    gettext_noop("computer"),
    gettext_noop("printer"),
    gettext_noop("internet"),
    gettext_noop("week"),
    gettext_noop("month"),
)


# What the staff member attests for each item the policy requires (the seeds list phone, computer, printer, Internet).
EQUIPMENT_ATTESTATIONS = {
    "phone": _("I have a phone on which I can be reached during working hours"),
    "computer": _("I have a computer to work on at home"),
    "printer": _("I have a printer at home"),
    "internet": _("I have a reliable Internet connection at home"),
}

_DATE_SEPARATORS = re.compile(r"[\s,;]+")


class DateListWidget(forms.Widget):
    """Several ``<input type="date">`` sharing one name (easy on a phone: the native picker for each), plus a
    button that adds another. A typed list ("02/12/2026, 09/12/2026") in any box works too."""

    template_name = "registrations/widgets/date_list.html"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        if isinstance(values, str):
            values = [values]
        return [value for value in values if value and value.strip()]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def format_value(self, value: Any) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return [item.isoformat() if isinstance(item, dt.date) else str(item) for item in value]

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["values"] = self.format_value(value)
        return context


class SkippedDateListWidget(DateListWidget):
    """The days left out of a weekly pattern: the same pickers, labelled for what they hold."""

    template_name = "registrations/widgets/skipped_date_list.html"


class DateListField(forms.Field):
    """A list of dates from several inputs, each of which may also hold a comma- or space-separated list."""

    widget = DateListWidget
    default_error_messages = {"invalid_date": _("“%(value)s” is not a date; write it as dd/mm/yyyy.")}

    def to_python(self, value: Any) -> list[dt.date]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        dates: set[dt.date] = set()
        for entry in value:
            for token in _DATE_SEPARATORS.split(str(entry).strip()):
                if token:
                    dates.add(_parse_date(token, str(self.error_messages["invalid_date"])))
        return sorted(dates)


def _parse_date(token: str, message: str) -> dt.date:
    for date_format in DATE_INPUT_FORMATS:
        try:
            return dt.datetime.strptime(token, date_format).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    raise forms.ValidationError(message, code="invalid_date", params={"value": token})


class RegistrationForm(forms.Form):
    """A new registration, or the edit of one sent back for changes. ``required_equipment`` lists the items the
    policy in force requires: only those are offered for attestation."""

    starts_on = forms.DateField(label=_("From"), input_formats=DATE_INPUT_FORMATS, widget=date_input())
    ends_on = forms.DateField(label=_("To"), input_formats=DATE_INPUT_FORMATS, widget=date_input())
    mode = forms.ChoiceField(
        label=_("Pattern"), choices=RegistrationMode.choices, initial=RegistrationMode.WEEKLY, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Home days each week"),
        choices=[(index, WEEKDAY_NAMES[index]) for index in range(5)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    dates = DateListField(label=_("Chosen dates"), required=False)
    skip_dates = DateListField(
        label=_("Except these days"),
        required=False,
        widget=SkippedDateListWidget,
        help_text=_("Days of the pattern you will be at the office anyway, for example in a week shortened by a public holiday."),
    )
    equipment = forms.MultipleChoiceField(
        label=_("Working conditions at home"), choices=(), required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    commitment_accepted = forms.BooleanField(
        label=_("I accept this commitment"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    work_plan = forms.CharField(
        label=_("Work planned for the home days"),
        required=False,
        max_length=4000,
        help_text=_("Optional: what you will work on, so your head can judge the volume."),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args: Any, required_equipment: tuple[str, ...] = EQUIPMENT_ITEMS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        equipment_field = self.fields["equipment"]
        assert isinstance(equipment_field, forms.MultipleChoiceField)
        equipment_field.choices = [(item, EQUIPMENT_ATTESTATIONS.get(item, item)) for item in required_equipment]
        self.fields["dates"].widget.attrs["min"] = clock.today().isoformat()
        self.fields["skip_dates"].widget.attrs["min"] = clock.today().isoformat()

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned input as keyword arguments of ``registration_submit`` / ``registration_resubmit``."""
        data = self.cleaned_data
        return {
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "mode": data["mode"],
            "weekdays": data["weekdays"] if data["mode"] == RegistrationMode.WEEKLY else [],
            "dates": data["dates"] if data["mode"] == RegistrationMode.DATES else [],
            "skipped_dates": data["skip_dates"] if data["mode"] == RegistrationMode.WEEKLY else [],
            "equipment_attested": data["equipment"],
            "commitment_accepted": data["commitment_accepted"],
            "work_plan": data["work_plan"].strip(),
        }


# A refusal's rule, and the field it concerns: the message is also shown under that field.
FIELD_FOR_RULE = {
    "period": "starts_on",
    "mode": "mode",
    "weekdays": "weekdays",
    "dates": "dates",
    "skipped_dates": "skip_dates",
    "required_equipment": "equipment",
    "written_commitment_required": "commitment_accepted",
}


class DecisionForm(forms.Form):
    """The comment of a decision: optional for an approval, the reason (required by the service) otherwise."""

    comment = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
