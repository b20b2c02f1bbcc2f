"""The labels and the refusal placement every screen shares."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import translation

from telework.core.exceptions import RuleViolation
from telework.core.ui import day_label, place_refusal, week_label, weekday_name


def test_weekdays_and_weeks_read_the_same_on_every_screen():
    monday = dt.date(2027, 2, 8)
    with translation.override("vi"):
        assert weekday_name(monday) == "Thứ Hai"
        assert day_label(monday) == "Thứ Hai 08/02"
        assert day_label(monday, with_year=True) == "Thứ Hai, 08/02/2027"
    with translation.override("en"):
        assert day_label(monday) == "Monday 08/02"
    assert week_label(monday) == "2027-W06"
    assert week_label(dt.date(2026, 12, 28)) == "2026-W53"


class PeriodForm(forms.Form):
    starts_on = forms.DateField()
    note = forms.CharField(required=False)


def test_a_refusal_goes_under_the_field_its_rule_names_and_the_rest_stays_above():
    form = PeriodForm({"starts_on": "2027-02-08"})
    assert form.is_valid()
    refusal = RuleViolation(
        "Refused",
        rule="period",
        details=[{"rule": "period", "message": "The period starts in the past."}, {"rule": "max_home_share", "message": "Too many at home."}],
    )
    elsewhere = place_refusal(form, refusal, {"period": "starts_on"})
    assert form.errors["starts_on"] == ["The period starts in the past."]
    assert elsewhere == [{"rule": "max_home_share", "message": "Too many at home."}]
