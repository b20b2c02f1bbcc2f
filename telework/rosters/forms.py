"""Forms of the roster screens. They check the shape of the input only (a week that parses, a date, a choice that
exists in the viewer's unit); every rule (caps, desks, leaders, who may do what) is the services' to decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from telework.core import calendar
from telework.core.ui import DATE_INPUT_FORMATS, date_input, week_label
from telework.organization.models import Agency, Staff
from telework.rosters.models import EntryStatus, LeaveKind, UnitEventKind

# What a head may set a cell to by hand; leave is recorded as leave, never typed into a cell.
EDITABLE_STATUSES = (EntryStatus.OFFICE, EntryStatus.HOME, EntryStatus.DESK)


def parse_week(value: str | None) -> dt.date | None:
    """The Monday of an ISO week written "2026-W49" (also accepted: the ``<input type="week">`` value, which is the
    same text), or None when it does not parse."""
    return calendar.iso_week_monday(value)


class WeekField(forms.CharField):
    """An ISO week ("2026-W49"), cleaned to its Monday."""

    default_error_messages = {"invalid_week": _("Write the week as year-Wweek, for example 2026-W49.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "form-control", "type": "week", "placeholder": "2026-W49", "pattern": r"\d{4}-W\d{1,2}"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        monday = parse_week(text)
        if monday is None:
            raise forms.ValidationError(self.error_messages["invalid_week"], code="invalid_week")
        return monday

    def prepare_value(self, value: Any) -> Any:
        return week_label(value) if isinstance(value, dt.date) else value


class CellForm(forms.Form):
    """One cell the head sets: who, which day, which status (``desk:<id>`` for a desk or duty post)."""

    staff = forms.IntegerField(min_value=1)
    day = forms.DateField(input_formats=["%Y-%m-%d"])
    choice = forms.CharField(max_length=32)

    def clean_choice(self) -> tuple[str, int | None]:
        choice = self.cleaned_data["choice"].strip()
        status, _sep, point = choice.partition(":")
        if status == EntryStatus.DESK:
            if not point.isdigit():
                raise forms.ValidationError(_("Choose which desk or duty post."), code="service_point")
            return status, int(point)
        if point:
            raise forms.ValidationError(_("Unknown status."), code="status")
        return status, None


class SwapRequestForm(forms.Form):
    """A staff member asks a colleague to exchange statuses: on the requester's day and on the colleague's day."""

    requester_day = forms.TypedChoiceField(label=_("My day"), coerce=dt.date.fromisoformat, widget=forms.Select(attrs={"class": "form-select"}))
    counterpart = forms.TypedChoiceField(label=_("Colleague"), coerce=int, widget=forms.Select(attrs={"class": "form-select"}))
    counterpart_day = forms.TypedChoiceField(label=_("Colleague's day"), coerce=dt.date.fromisoformat, widget=forms.Select(attrs={"class": "form-select"}))
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control", "maxlength": "1000"})
    )

    def __init__(self, *args: Any, days: list[tuple[dt.date, str]], my_days: list[tuple[dt.date, str]], colleagues: list[Staff], **kwargs: Any) -> None:
        """``days`` label the colleague's choices, ``my_days`` the requester's (with the requester's status)."""
        super().__init__(*args, **kwargs)
        self.fields["requester_day"].choices = [(day.isoformat(), label) for day, label in my_days]  # type: ignore[attr-defined]
        self.fields["counterpart_day"].choices = [(day.isoformat(), label) for day, label in days]  # type: ignore[attr-defined]
        self.fields["counterpart"].choices = [("", "—")] + [(member.pk, member.full_name) for member in colleagues]  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    """The comment of a swap decision: the reason is required to reject (the service says so)."""

    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class LeaveForm(forms.Form):
    """Approved leave of one staff member of the unit (recording it is the approval)."""

    staff = forms.TypedChoiceField(label=_("Staff member"), coerce=int, widget=forms.Select(attrs={"class": "form-select"}))
    starts_on = forms.DateField(label=_("From"), input_formats=DATE_INPUT_FORMATS, widget=date_input())
    ends_on = forms.DateField(label=_("To"), input_formats=DATE_INPUT_FORMATS, widget=date_input())
    kind = forms.ChoiceField(label=_("Kind"), choices=LeaveKind.choices, initial=LeaveKind.ANNUAL, widget=forms.Select(attrs={"class": "form-select"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=300, widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args: Any, members: list[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [("", "—")] + [(member.pk, member.full_name) for member in members]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day comes before the first."))
        return data


class LeaveRequestForm(forms.Form):
    """A staff member asks for leave: the kind, from, to, and a note for the head."""

    kind = forms.ChoiceField(label=_("Kind"), choices=LeaveKind.choices, initial=LeaveKind.ANNUAL, widget=forms.Select(attrs={"class": "form-select"}))
    starts_on = forms.DateField(label=_("From"), input_formats=DATE_INPUT_FORMATS, widget=date_input())
    ends_on = forms.DateField(label=_("To"), input_formats=DATE_INPUT_FORMATS, widget=date_input())
    note = forms.CharField(label=_("Note for your head (optional)"), required=False, max_length=300, widget=forms.TextInput(attrs={"class": "form-control"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The last day comes before the first."))
        return data


class LeaveDecisionForm(forms.Form):
    """The head's comment on a leave request: required to reject (the service says so)."""

    comment = forms.CharField(required=False, max_length=2000, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))


class UnitEventForm(forms.Form):
    """A meeting, training or team day: everyone of the unit on site that day, or only the staff ticked."""

    day = forms.DateField(label=pgettext_lazy("calendar date", "Day"), input_formats=DATE_INPUT_FORMATS, widget=date_input())
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitEventKind.choices, initial=UnitEventKind.MEETING, widget=forms.Select(attrs={"class": "form-select"}))
    is_for_everyone = forms.TypedChoiceField(
        label=_("Who must be on site"),
        coerce=lambda value: value == "yes",
        choices=(("yes", _("The whole unit")), ("no", _("Only the staff ticked below"))),
        initial="yes",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    attendees = forms.TypedMultipleChoiceField(
        label=_("Staff on site"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args: Any, members: list[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(member.pk, member.full_name) for member in members]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_for_everyone") is False and not data.get("attendees"):
            self.add_error("attendees", _("Tick the staff who must be on site, or choose the whole unit."))
        return data


class CityGenerateForm(forms.Form):
    """Home Affairs: generate every unit's roster for a week, city-wide or for one agency."""

    week = WeekField(label=_("Week"))
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False, empty_label=_("The whole city"), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
