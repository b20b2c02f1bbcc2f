"""Forms of the check-in page. They only shape input; the services decide."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from telework.attendance.models import Reachability, WorkMode
from telework.attendance.services import NOTE_MAX_LENGTH, REASON_MAX_LENGTH

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class CheckInForm(forms.Form):
    """The two buttons ("at the office", "at home") carry the mode; the note is optional."""

    mode = forms.ChoiceField(label=_("Where do you work today?"), choices=WorkMode.choices)
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("e.g. meeting at the ward office in the afternoon")}),
    )


class CheckOutForm(forms.Form):
    note = forms.CharField(
        label=_("Note at check-out (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("e.g. finished the quarterly report")}),
    )


class ReachabilityForm(forms.Form):
    status = forms.ChoiceField(label=_("Reachable status"), choices=Reachability.choices)


def parse_month(value: str | None, today: dt.date) -> dt.date | None:
    """The first day of a month written "2026-11"; this month when empty; None when it is not a real month."""
    if not value:
        return today.replace(day=1)
    match = MONTH.match(value.strip())
    if match is None:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None
    return dt.date(year, month, 1)


class CorrectionForm(forms.Form):
    """A head's correction of one person-day: where they worked, from when to when, and why. ``seen`` hands back the
    state of the check-in the head read (``selectors.check_in_fingerprint``)."""

    mode = forms.ChoiceField(label=_("Where the person worked"), choices=WorkMode.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    checked_in = forms.TimeField(
        label=_("Check-in time"), input_formats=["%H:%M"], widget=forms.TimeInput(format="%H:%M", attrs={"class": "form-control", "type": "time"})
    )
    checked_out = forms.TimeField(
        label=_("Check-out time (empty: not checked out)"),
        required=False,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "form-control", "type": "time"}),
    )
    reason = forms.CharField(
        label=_("Reason (the person reads it)"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("e.g. forgot to check out; left at 17:00 as agreed")}),
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
