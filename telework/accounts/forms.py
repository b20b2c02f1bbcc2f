"""The forms a person fills in to activate their account with a printed code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from telework.accounts import services
from telework.accounts.models import User
from telework.core.exceptions import ValidationFailed


class ActivationCodeForm(forms.Form):
    """Username and printed code, and the password the person chooses (under ``AUTH_PASSWORD_VALIDATORS``)."""

    username = forms.CharField(label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "characters"}))
    code = forms.CharField(
        label=_("Activation code"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"})
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user: User | None = None
        # Built per form, so the rules read in the reader's language.
        self.fields["new_password1"].help_text = password_validation.password_validators_help_text_html()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        username, code = cleaned.get("username", ""), cleaned.get("code", "")
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if not (username and code and first and second):
            return cleaned
        try:
            self.user, _code = services.activation_code_check(username=username, code=code)
        except ValidationFailed as error:
            raise forms.ValidationError(error.message, code="activation_code") from error
        if first != second:
            self.add_error("new_password2", forms.ValidationError(_("The two passwords are not the same."), code="password_mismatch"))
            return cleaned
        try:
            password_validation.validate_password(first, self.user)
        except forms.ValidationError as error:
            self.add_error("new_password1", error)
        return cleaned
