"""Forms for work items, progress, decisions, apology slips and progress reports. They check the input's shape
(numbers, dates that exist, choices); every rule is the services' to decide, and a refusal is shown next to the
field its ``rule`` names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from telework.assignments.models import Priority, ReportPeriod, WorkCategory
from telework.assignments.uploads import ALLOWED_EXTENSIONS, MAX_ATTACHMENT_BYTES, MAX_FILES_PER_UPLOAD
from telework.core import clock
from telework.core.ui import DATE_INPUT_FORMATS, date_input
from telework.organization.models import Staff

ACCEPT_ATTRIBUTE = ",".join(ALLOWED_EXTENSIONS)


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, input_formats=DATE_INPUT_FORMATS, widget=date_input(), help_text=help_text)


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


class StaffChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.code}) · {obj.unit.name}"


class WorkItemForm(forms.Form):
    """Assign work (with ``staff_queryset``: whom the head may assign to) or propose it for oneself (without)."""

    staff = StaffChoiceField(label=_("Assign to"), queryset=Staff.objects.none(), widget=forms.Select(attrs={"class": "form-select"}))
    title = forms.CharField(label=pgettext_lazy("work item", "Title"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"}))
    description = forms.CharField(label=_("Description and expected result"), required=False, max_length=8000, widget=_text(4))
    estimated_hours = forms.DecimalField(
        label=_("Estimated effort (hours)"),
        min_value=Decimal("0.5"),
        max_value=Decimal("2000"),
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5", "inputmode": "decimal"}),
        help_text=_("Working hours the work needs in all; it is spread over the working days from the start to the deadline."),
    )
    starts_on = _date_field(_("Start date"), required=False, help_text=_("Empty: today."))
    due_on = _date_field(_("Deadline"), required=False, help_text=_("For a dossier, empty means its legal due date."))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL, widget=forms.Select(attrs={"class": "form-select"}))
    category = forms.ChoiceField(
        label=pgettext_lazy("work item", "Kind of work"),
        # Optional: a client that does not send it (an older page, a script) assigns general work.
        required=False,
        choices=WorkCategory.choices,
        initial=WorkCategory.GENERAL,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("A distancing regime may pause inspections, in-person reception, gatherings and field visits; their deadlines move when it ends."),
    )
    is_legal_deadline = forms.BooleanField(
        label=_("An administrative dossier with a legal deadline"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    dossier_code = forms.CharField(label=_("Dossier code"), required=False, max_length=64, widget=forms.TextInput(attrs={"class": "form-control"}))
    dossier_received_on = _date_field(_("Received on"), required=False)
    legal_deadline_working_days = forms.IntegerField(
        label=_("Legal deadline (working days)"),
        required=False,
        min_value=1,
        max_value=365,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
        help_text=_("As the procedure sets it; counted from the day after receipt, without weekends and public holidays."),
    )

    def __init__(self, *args: Any, staff_queryset: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A browser silently cuts what is typed or pasted past ``maxlength``: a long title lost its end unseen. Without
        # the attribute the whole text reaches the server, which refuses it with its length.
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)
        if staff_queryset is None:
            del self.fields["staff"]
        else:
            field = self.fields["staff"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = staff_queryset.select_related("unit").order_by("unit__name", "full_name")
            field.empty_label = str(_("— choose a person —"))

    def terms(self) -> dict[str, Any]:
        """The cleaned input as the keyword arguments of ``work_item_assign`` / ``work_item_propose``."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "estimated_hours": data["estimated_hours"],
            "starts_on": data["starts_on"],
            "due_on": data["due_on"],
            "priority": data["priority"],
            "category": data["category"] or WorkCategory.GENERAL,
            "is_legal_deadline": data["is_legal_deadline"],
            "dossier_code": data["dossier_code"],
            "dossier_received_on": data["dossier_received_on"],
            "legal_deadline_working_days": data["legal_deadline_working_days"],
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by the service (type from the content, size)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control", "accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(_("At most %(count)s files at once.") % {"count": MAX_FILES_PER_UPLOAD})
        return [single(item, initial) for item in files]


# Lazy: the help text renders in the language of each request, not the one active at import.
ATTACHMENT_HELP = lazy(
    lambda: gettext("PDF, Word (.docx), Excel (.xlsx), PNG or JPEG; at most %(mb)s MB each.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}, str
)()


class ProgressForm(forms.Form):
    progress_percent = forms.IntegerField(
        label=_("Done (%)"), min_value=0, max_value=100, widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric", "step": "5"})
    )
    hours_spent = forms.DecimalField(
        label=_("Hours spent"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(24),
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5", "inputmode": "decimal"}),
    )
    work_date = _date_field(_("Day worked"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=_text(2))
    attachments = MultipleFileField(label=_("Attach files"), required=False, help_text=ATTACHMENT_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_date"].widget.attrs["max"] = clock.today().isoformat()


class AttachForm(forms.Form):
    attachments = MultipleFileField(label=_("Attach files"), help_text=ATTACHMENT_HELP)


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=4000, widget=_text(2))


class ReasonForm(forms.Form):
    """The reason of a return, a cancellation or a declined proposal (required by the service), or an optional
    comment (accepting a proposal, submitting)."""

    comment = forms.CharField(required=False, max_length=4000, widget=_text(2))


RATING_CHOICES = [
    (5, _("5 – excellent")),
    (4, _("4 – good")),
    (3, _("3 – satisfactory")),
    (2, _("2 – below expectations")),
    (1, _("1 – poor")),
]


class AcceptForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Quality"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    comment = forms.CharField(label=_("Comment on the result"), required=False, max_length=4000, widget=_text(2))


class ApologySlipForm(forms.Form):
    new_due_date = _date_field(_("New date for the result"))
    reason = forms.CharField(label=_("Reason for the delay"), max_length=4000, widget=_text(2))


class ReportForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Report"), choices=ReportPeriod.choices, initial=ReportPeriod.WEEKLY, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    day = _date_field(_("Day (daily) or any day of the week (weekly)"))
    note = forms.CharField(
        label=_("Your note to your head"), required=False, max_length=4000, widget=_text(4), help_text=_("Results, difficulties, what you need, plans.")
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Your comment"), max_length=4000, widget=_text(3))


# A refusal's rule, and the field of the work-item form it concerns.
WORK_ITEM_FIELDS = {
    "title",
    "description",
    "estimated_hours",
    "starts_on",
    "due_on",
    "priority",
    "category",
    "dossier_code",
    "dossier_received_on",
    "legal_deadline_working_days",
}
PROGRESS_FIELDS = {"progress_percent", "hours_spent", "work_date", "note"}
