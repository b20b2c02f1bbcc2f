"""The Django admin for units: administrators set a unit's usable office seats (issue 14); the rest of a unit comes
from the staff import and stays read-only here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from telework.organization.models import Unit


class UnitSeatsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Unit
        fields = ("office_seats",)

    def clean_office_seats(self) -> Any:
        seats = self.cleaned_data.get("office_seats")
        if seats is not None and seats < 1:
            raise forms.ValidationError(_("Give between 1 and %(maximum)s seats, or leave it empty for no limit.") % {"maximum": 1000})
        return seats


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = UnitSeatsForm
    list_display = ("code", "name", "agency", "office_seats")
    list_filter = ("agency",)
    search_fields = ("code", "name")
    fields = ("agency", "code", "name", "parent", "office_seats")
    readonly_fields = ("agency", "code", "name", "parent")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
