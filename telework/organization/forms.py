"""Forms of the organisation screens. They shape input; the rules are in ``services`` and ``importing``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from telework.accounts.types import Viewer
from telework.organization import importing, scope, selectors
from telework.organization.models import Agency, Position, ServicePointKind, Staff, StaffType, Unit

MAX_IMPORT_BYTES = 20 * 1024 * 1024

FLAG_FILTER_CHOICES = [
    ("", _("Any")),
    ("position_open", _("Position open to telework (no citizen, dossier or desk flag)")),
    ("faces_citizens", _("Faces citizens")),
    ("handles_dossiers", _("Receives or returns dossiers")),
    ("is_one_stop_desk", _("One-stop desk")),
    ("is_duty_post", _("Duty post")),
    ("is_leader", _("Leaders")),
    ("no_training", _("No telework training on file")),
    ("inactive", _("Inactive records")),
]


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class StaffFilterForm(forms.Form):
    """Filters of the staff list. Choices are limited to what the viewer may see; a city-wide viewer picks an
    agency first, so the unit and position lists stay short."""

    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False, empty_label=_("All agencies"))
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units"))
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none(), required=False, empty_label=_("All positions"))
    staff_type = forms.ChoiceField(label=_("Staff type"), choices=[("", _("All types")), *StaffType.choices], required=False)
    flag = forms.ChoiceField(label=_("Position flag"), choices=FLAG_FILTER_CHOICES, required=False)

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = scope.visible_agencies(viewer).order_by("name")
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.single_agency = agencies.first() if agencies.count() == 1 else None
        agency = self.single_agency or self._chosen_agency(agencies)
        self.chosen_agency = agency
        if agency is not None:
            self.fields["unit"].queryset = scope.visible_units(viewer).filter(agency=agency).order_by("code")  # type: ignore[attr-defined]
            self.fields["position"].queryset = Position.objects.filter(agency=agency).order_by("code")  # type: ignore[attr-defined]

    def _chosen_agency(self, agencies: Any) -> Agency | None:
        raw = self.data.get("agency") if self.is_bound else None
        if raw and str(raw).isdigit():
            return agencies.filter(pk=int(raw)).first()  # type: ignore[no-any-return]
        return None

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = dict(self.cleaned_data)
        if self.single_agency is not None:
            data["agency"] = self.single_agency
        return data


class ImportUploadForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), empty_label=_("Choose the agency"))
    file = forms.FileField(
        label=_("Staff list (.xlsx or .csv)"),
        help_text=_("One sheet, Vietnamese headers on the first row (a title above is allowed), dates as dd/mm/yyyy. CSV: UTF-8, comma or semicolon."),
    )

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = selectors.manageable_agencies(viewer)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        if agencies.count() == 1:
            self.fields["agency"].initial = agencies.first()
            self.fields["agency"].widget = forms.HiddenInput()
            self.fixed_agency = agencies.first()
        else:
            self.fixed_agency = None
            self.fields["agency"].widget.attrs["class"] = "form-select"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_IMPORT_FILE_BYTES:
            # By the size counted as it arrived (telework.core.uploads): the file is refused without being read.
            raise forms.ValidationError(
                _("The file is %(size_mb)s MB; a staff list may be at most %(max_mb)s MB. Split it by unit and import each part.")
                % {"size_mb": round(upload.size / 1024 / 1024, 1), "max_mb": importing.MAX_IMPORT_FILE_BYTES // (1024 * 1024)}
            )
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv", ".txt")):
            if name.endswith(".xls"):
                raise forms.ValidationError(_("Old .xls workbooks are not read: save the file as .xlsx (Excel Workbook) or CSV UTF-8."))
            raise forms.ValidationError(_("Send an .xlsx workbook or a .csv file."))
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {"size": MAX_IMPORT_BYTES // (1024 * 1024)})
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput())
    valid_only = forms.BooleanField(label=_("Import only the valid rows"), required=False)


class PositionFlagsForm(forms.Form):
    faces_citizens = forms.BooleanField(label=_("Faces citizens"), required=False)
    handles_dossiers = forms.BooleanField(label=_("Receives or returns dossiers"), required=False)
    is_one_stop_desk = forms.BooleanField(label=_("One-stop desk"), required=False)
    is_duty_post = forms.BooleanField(label=_("Duty post"), required=False)


class StaffChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.code}) · {obj.position.name}"


class ServicePointForm(forms.Form):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("Choose the unit"))
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=ServicePointKind.choices, widget=forms.RadioSelect)
    code = forms.CharField(label=_("Code"), max_length=32, required=False, help_text=_("Leave blank to generate one from the unit's code."))
    required_on_site = forms.IntegerField(
        label=_("Staff required on site"), min_value=1, max_value=20, required=False, help_text=_("Leave blank to follow the policy.")
    )
    required_monday = forms.IntegerField(label=_("Monday"), min_value=1, max_value=20, required=False)
    required_tuesday = forms.IntegerField(label=_("Tuesday"), min_value=1, max_value=20, required=False)
    required_wednesday = forms.IntegerField(label=_("Wednesday"), min_value=1, max_value=20, required=False)
    required_thursday = forms.IntegerField(label=_("Thursday"), min_value=1, max_value=20, required=False)
    required_friday = forms.IntegerField(label=_("Friday"), min_value=1, max_value=20, required=False)
    qualified_staff = StaffChoices(
        label=_("Qualified staff"), queryset=Staff.objects.none(), required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )

    WEEKDAY_FIELDS = ("required_monday", "required_tuesday", "required_wednesday", "required_thursday", "required_friday")

    @classmethod
    def weekday_initial(cls, required_by_weekday: list[int | None]) -> dict[str, int | None]:
        """The five weekday fields of a stored ``required_by_weekday``."""
        return {name: (required_by_weekday[index] if index < len(required_by_weekday) else None) for index, name in enumerate(cls.WEEKDAY_FIELDS)}

    def required_by_weekday(self) -> list[int | None]:
        """Monday to Friday as entered (None where blank: as on other days); [] when every weekday is blank."""
        values = [self.cleaned_data.get(name) for name in self.WEEKDAY_FIELDS]
        return values if any(value is not None for value in values) else []

    def weekday_fields(self) -> list[Any]:
        return [self[name] for name in self.WEEKDAY_FIELDS]

    def __init__(self, *args: Any, viewer: Viewer, unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(agency__in=selectors.manageable_agencies(viewer)).filter(pk__in=scope.visible_units(viewer).values("pk"))
        self.fields["unit"].queryset = units.select_related("agency").order_by("agency__name", "code")  # type: ignore[attr-defined]
        self.fields["unit"].widget.attrs["class"] = "form-select"
        chosen = unit
        raw = self.data.get("unit") if self.is_bound else None
        if raw and str(raw).isdigit():
            chosen = units.filter(pk=int(raw)).first() or chosen
        self.chosen_unit = chosen
        if chosen is not None:
            self.fields["qualified_staff"].queryset = selectors.unit_staff_choices(chosen)  # type: ignore[attr-defined]
