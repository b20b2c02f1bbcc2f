"""The public rating form: the dossier and slip codes, the satisfaction level, the nine indicators, a comment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from telework.dossiers import indicators, screening

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
