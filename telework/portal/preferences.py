"""The person's notification preferences: which channels bring each kind of message, and the language of e-mails."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import notifications


@login_required
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        ticked = []
        for value in request.POST.getlist("on"):
            category, _separator, channel = value.partition(":")
            ticked.append((category, channel))
        language = request.POST.get("language", "")
        if language not in {code for code, _label in settings.LANGUAGES}:
            language = ""
        notifications.preferences_save(user=user, switched_on=ticked, language=language)
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("portal:preferences")
    context = {
        "channels": notifications.channels(),
        "rows": notifications.preference_table(user),
        "language": notifications.preferences_of(user).language,
        "languages": settings.LANGUAGES,
        "email_address": notifications.email_address(user),
        "email_is_configured": notifications.email_is_configured(),
    }
    return render(request, "portal/preferences.html", context)
