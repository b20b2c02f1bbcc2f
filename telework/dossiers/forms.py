"""The public rating form: the dossier and slip codes, the satisfaction level, the nine indicators, a comment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from telework.accounts.types import Viewer
from telework.core.uploads import MAX_UPLOAD_FILE_BYTES
from telework.dossiers import indicators, permissions, screening
from telework.dossiers.models import ImportKind
from telework.organization.models import Agency

SKIPPED = ""


class RatingForm(forms.Form):
    dossier_code = forms.CharField(label=_("Dossier code (on your receipt)"), max_length=64)
    code = forms.CharField(label=_("Rating code (on your slip)"), max_length=16)
    level = forms.ChoiceField(
        label=_("Overall, how satisfied are you?"),
        choices=[(level, indicators.LEVEL_LABELS[level]) for level in indicators.LEVELS],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you want to tell us (optional)"),
        required=False,
        max_length=screening.MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Please do not write phone numbers or ID numbers: they are removed before anyone reads the comment."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in indicators.INDICATORS:
            self.fields[f"indicator_{indicator.number}"] = forms.ChoiceField(
                label=str(indicator.question),
                required=False,
                choices=[(str(points), answer) for points, answer in enumerate(indicator.answers)] + [(SKIPPED, _("Skip"))],
                widget=forms.RadioSelect,
                initial=SKIPPED,
            )

    def indicator_fields(self) -> list[forms.BoundField]:
        return [self[f"indicator_{indicator.number}"] for indicator in indicators.INDICATORS]

    def scores(self) -> list[int | None]:
        values = [self.cleaned_data.get(f"indicator_{indicator.number}", SKIPPED) for indicator in indicators.INDICATORS]
        return [int(value) if value not in (SKIPPED, None) else None for value in values]


# A file sent through the import screen: the upload handler stops keeping a file past this size
# (``core.uploads``), so the staged copy between the steps is bounded too. A larger export goes through the
# ``import_dossiers`` command (``importing.MAX_FILE_BYTES``).
MAX_WEB_IMPORT_BYTES = MAX_UPLOAD_FILE_BYTES


class DossierImportUploadForm(forms.Form):
    """Step 1 of the import screen: which export, for which agency (from the viewer's scope), the file."""

    kind = forms.ChoiceField(label=pgettext_lazy("dossier import", "Export"), choices=ImportKind.choices, widget=forms.RadioSelect)
    agency = forms.ModelChoiceField(label=pgettext_lazy("dossier import", "Agency"), queryset=Agency.objects.none())
    file = forms.FileField(
        label=pgettext_lazy("dossier import", "File (.xlsx or .csv)"),
        help_text=pgettext_lazy(
            "dossier import",
            "The export as the one-stop system or the public-service portal writes it: one sheet, Vietnamese headers (a title above is allowed), "
            "dates as dd/mm/yyyy HH:MM. CSV: UTF-8, comma or semicolon.",
        ),
    )

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = permissions.importable_agencies(viewer)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)  # noqa: S101 - declared above
        agency_field.queryset = agencies
        self.fixed_agency = agencies.first() if agencies.count() == 1 else None
        if self.fixed_agency is not None:
            agency_field.initial = self.fixed_agency
        self.fields["kind"].initial = ImportKind.DOSSIERS

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_WEB_IMPORT_BYTES:
            # By the size counted as it arrived (telework.core.uploads): the file is refused without being read.
            raise forms.ValidationError(
                pgettext(
                    "dossier import",
                    "The file is %(size_mb)s MB; an export sent here may be at most %(max_mb)s MB. Export fewer days at a time.",
                )
                % {"size_mb": round(upload.size / 1024 / 1024, 1), "max_mb": MAX_WEB_IMPORT_BYTES // (1024 * 1024)}
            )
        name = upload.name.lower()
        if name.endswith(".xls"):
            raise forms.ValidationError(pgettext("dossier import", "Old .xls workbooks are not read: save the file as .xlsx or CSV UTF-8."))
        if not name.endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(pgettext("dossier import", "Send an .xlsx workbook or a .csv file."))
        return upload


class DossierImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput(), max_length=64)
    valid_only = forms.BooleanField(label=pgettext_lazy("dossier import", "Import only the valid rows"), required=False)
