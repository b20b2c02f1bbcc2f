"""Forms of the organisation screens. They shape input; the rules are in ``services`` and ``importing``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from telework.accounts.types import Viewer
from telework.core import ui
from telework.core.exceptions import DomainError
from telework.organization import importing, scope, selectors, staff_records
from telework.organization.models import Agency, EndReason, Equipment, Position, ServicePointKind, Sex, Staff, StaffType, Unit

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


STATUS_CHOICES = [("", _("On the staff or left")), ("active", _("On the staff")), ("leaving", _("Leaving soon")), ("ended", _("Left the staff"))]
ACCOUNT_CHOICES = [("", _("With or without an account")), ("with", _("With an account")), ("without", _("Without an account"))]


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
    status = forms.ChoiceField(label=_("On the staff"), choices=STATUS_CHOICES, required=False)
    account = forms.ChoiceField(label=pgettext_lazy("staff list", "Account"), choices=ACCOUNT_CHOICES, required=False)

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


# --- Staff records -------------------------------------------------------------------------------------------------


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.code}) · {obj.unit.name}"


class PositionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


def _date_field(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=ui.DATE_INPUT_FORMATS, widget=ui.date_input(), help_text=help_text)


def _style(form: forms.Form) -> None:
    """Bootstrap classes on every widget, so templates render fields in a loop."""
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select"
        else:
            widget.attrs.setdefault("class", "form-control")


def _agency_staff(agency: Agency, exclude: Staff | None = None) -> Any:
    """Who may be named a direct superior: active staff of the agency, leaders first (and the person's superior on
    file, even one who has left, so an edit of other fields keeps it)."""
    kept = Q(pk=exclude.direct_superior_id) if exclude is not None and exclude.direct_superior_id else Q(pk__in=[])
    queryset = Staff.objects.filter(Q(is_active=True, ended_on__isnull=True) | kept, unit__agency=agency)
    queryset = queryset.select_related("unit").order_by("-is_leader", "full_name")
    return queryset.exclude(pk=exclude.pk) if exclude is not None else queryset


def _clean_phone(value: str) -> str:
    try:
        return staff_records.validate_phone(value)
    except DomainError as refusal:
        raise forms.ValidationError(str(refusal.message)) from refusal


class StaffRecordForm(forms.Form):
    """A person's record as HR enters it (``staff_records.StaffRecord``). The code and the unit are entered at
    creation only: an existing code is not changed, and a move to another unit is a transfer."""

    code = forms.CharField(label=_("Staff code"), max_length=32, help_text=_("Also the login name of the person's account."))
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    staff_type = forms.ChoiceField(label=_("Staff type"), choices=[("", _("Choose the type")), *StaffType.choices])
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none(), empty_label=_("Choose the unit"))
    position = PositionChoiceField(label=_("Job position"), queryset=Position.objects.none(), empty_label=_("Choose the position"))
    title = forms.CharField(label=_("Title (Chức vụ)"), max_length=120, required=False, help_text=_("As the HR file writes it, e.g. Phó Trưởng phòng."))
    is_leader = forms.BooleanField(label=_("Leader"), required=False)
    is_deputy = forms.BooleanField(label=_("Deputy (phó)"), required=False, help_text=_("A deputy is also a leader."))
    direct_superior = StaffChoiceField(label=_("Direct superior"), queryset=Staff.objects.none(), required=False, empty_label=_("None: the unit's leaders"))
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    equipment = forms.MultipleChoiceField(
        label=_("Equipment at home"), choices=Equipment.choices, required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    started_on = _date_field(_("Joined the agency on"))
    training_completed_on = _date_field(_("Telework training completed on"))
    disciplined_until = _date_field(_("Under discipline until"))
    date_of_birth = _date_field(_("Date of birth"))
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Not recorded")), *Sex.choices], required=False)

    def __init__(self, *args: Any, agency: Agency, person: Staff | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agency = agency
        self.person = person
        self.fields["unit"].queryset = Unit.objects.filter(agency=agency).order_by("path")  # type: ignore[attr-defined]
        self.fields["position"].queryset = Position.objects.filter(agency=agency).order_by("name")  # type: ignore[attr-defined]
        self.fields["direct_superior"].queryset = _agency_staff(agency, person)  # type: ignore[attr-defined]
        if person is not None:
            del self.fields["code"]
            del self.fields["unit"]
        if not agency.keeps_personal_data:
            del self.fields["date_of_birth"]
            del self.fields["sex"]
        _style(self)

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])

    @classmethod
    def initial_of(cls, person: Staff) -> dict[str, Any]:
        return {name: getattr(person, name) for name in staff_records.RECORD_FIELDS if name != "unit"}

    def record(self) -> staff_records.StaffRecord:
        data = self.cleaned_data
        return staff_records.StaffRecord(
            full_name=data["full_name"],
            staff_type=data["staff_type"],
            unit=self.person.unit if self.person is not None else data["unit"],
            position=data["position"],
            is_leader=data["is_leader"],
            is_deputy=data["is_deputy"],
            title=data["title"],
            direct_superior=data["direct_superior"],
            phone=data["phone"],
            email=data["email"],
            equipment=list(data["equipment"]),
            started_on=data["started_on"],
            training_completed_on=data["training_completed_on"],
            disciplined_until=data["disciplined_until"],
            date_of_birth=data.get("date_of_birth"),
            sex=data.get("sex", ""),
        )


class StaffTransferForm(forms.Form):
    to_unit = UnitChoiceField(label=_("New unit"), queryset=Unit.objects.none(), empty_label=_("Choose the unit"))
    effective_on = _date_field(_("Effective on"), required=True)
    position = PositionChoiceField(label=_("New job position"), queryset=Position.objects.none(), required=False, empty_label=_("Keep the current position"))
    direct_superior = StaffChoiceField(
        label=_("New direct superior"), queryset=Staff.objects.none(), required=False, empty_label=_("None: the new unit's leaders")
    )
    note = forms.CharField(
        label=pgettext_lazy("staff record", "Note"), max_length=300, required=False, help_text=_("For example the number of the transfer decision.")
    )

    def __init__(self, *args: Any, person: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = person.unit.agency
        self.fields["to_unit"].queryset = Unit.objects.filter(agency=agency).exclude(pk=person.unit_id).order_by("path")  # type: ignore[attr-defined]
        self.fields["position"].queryset = Position.objects.filter(agency=agency).order_by("name")  # type: ignore[attr-defined]
        self.fields["direct_superior"].queryset = _agency_staff(agency, person)  # type: ignore[attr-defined]
        _style(self)


class StaffEndForm(forms.Form):
    ended_on = _date_field(_("Leaves on"), required=True, help_text=_("A later day is kept as a scheduled end: the record closes that morning."))
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("Choose the reason")), *EndReason.choices])
    note = forms.CharField(label=pgettext_lazy("staff record", "Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class StaffReinstateForm(forms.Form):
    note = forms.CharField(label=pgettext_lazy("staff record", "Note"), max_length=300, required=False)


class OwnContactForm(forms.Form):
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False, help_text=_("The number your head calls when you work from home."))
    equipment = forms.MultipleChoiceField(
        label=_("Equipment I have at home"), choices=Equipment.choices, required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data["phone"])


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
    accept_structure = forms.BooleanField(label=_("Apply these changes to the agency's structure"), required=False)


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
