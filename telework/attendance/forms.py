"""Forms of the check-in page. They only shape input; the services decide."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from telework.attendance.models import Reachability, WorkMode
from telework.attendance.services import NOTE_MAX_LENGTH

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


def parse_day(value: str | None) -> dt.date | None:
    """An ISO date; None when missing or impossible (2026-02-30)."""
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None
