"""What every app's screens say the same way: weekday and week labels, the date formats people type, and a service
refusal placed next to the form fields it names. Knows no app (the floors: ``core`` imports none)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from telework.core.exceptions import DomainError

WEEKDAY_NAMES = (
    pgettext_lazy("weekday", "Monday"),
    pgettext_lazy("weekday", "Tuesday"),
    pgettext_lazy("weekday", "Wednesday"),
    pgettext_lazy("weekday", "Thursday"),
    pgettext_lazy("weekday", "Friday"),
    pgettext_lazy("weekday", "Saturday"),
    pgettext_lazy("weekday", "Sunday"),
)
WEEKDAY_SHORT_NAMES = (
    pgettext_lazy("weekday short", "Mon"),
    pgettext_lazy("weekday short", "Tue"),
    pgettext_lazy("weekday short", "Wed"),
    pgettext_lazy("weekday short", "Thu"),
    pgettext_lazy("weekday short", "Fri"),
    pgettext_lazy("weekday short", "Sat"),
    pgettext_lazy("weekday short", "Sun"),
)

# What people type in a date box when the browser has no picker: ISO first (what <input type="date"> sends), then
# the Vietnamese day-first forms.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


def weekday_name(day: dt.date) -> str:
    """ "Thứ Hai" / "Monday"."""
    return str(WEEKDAY_NAMES[day.weekday()])


def day_label(day: dt.date, *, with_year: bool = False) -> str:
    """ "Thứ Hai 07/12", or "Thứ Hai, 07/12/2026" with the year."""
    if with_year:
        return f"{weekday_name(day)}, {day:%d/%m/%Y}"
    return f"{weekday_name(day)} {day:%d/%m}"


def week_label(monday: dt.date) -> str:
    """An ISO week as people and ``<input type="week">`` write it: "2026-W49"."""
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def date_input() -> forms.DateInput:
    """A native date picker that shows and sends ISO dates."""
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def place_refusal(form: forms.Form, refusal: DomainError, fields: Mapping[str, str]) -> list[dict[str, Any]]:
    """Put each finding of a service refusal under the form field its rule names (``fields``: rule → field) and
    return the findings no field takes, for the page to show above the form. Each message shows once."""
    elsewhere: list[dict[str, Any]] = []
    for finding in refusal.details or [{"rule": refusal.rule, "message": str(refusal.message)}]:
        field = fields.get(str(finding.get("rule") or ""))
        if field is not None and field in form.fields:
            form.add_error(field, str(finding["message"]))
        else:
            elsewhere.append(finding)
    return elsewhere
