"""The 403, 404 and 500 pages: the site's layout, the reason in the reader's language, a way back.

Wired as ``handler403/404/500`` in ``config/urls.py``. The 500 page renders from the template alone, without a request
context: no database query, no session, no user (the database may be what failed). The language is the one the request
chose (``ChosenLanguageMiddleware`` has activated it before the view ran, and is still active when Django turns an
exception into this response).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

ERROR_TEMPLATE = "core/error.html"


def _reason(exception: Exception | None) -> str:
    """The message a view gave its refusal, when it wrote one for people (Django's own 404 messages are for
    developers: "No Staff matches the given query.", the URL resolver's tried patterns)."""
    if exception is None or not exception.args:
        return ""
    message = exception.args[0]
    if not isinstance(message, str) or "matches the given query" in message:
        return ""
    return message


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {
        "title": _("Page not found"),
        "reason": _reason(exception) or _("The page or the record you asked for does not exist, or it is outside what your account may see."),
        "path": request.path,
        "is_server_error": False,
    }
    return render(request, ERROR_TEMPLATE, context, status=404)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    context = {
        "title": _("Not allowed"),
        "reason": _reason(exception) or _("Your account is not allowed to open this page or to do this."),
        "path": request.path,
        "is_server_error": False,
    }
    return render(request, ERROR_TEMPLATE, context, status=403)


@requires_csrf_token
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (``CSRF_FAILURE_VIEW``): Django's ``reason`` is for developers; the reader
    gets what to do."""
    context = {
        "title": _("The form has expired"),
        "reason": _("The page was open too long or you logged in again in another tab. Go back, reload the page and send the form again."),
        "path": request.path,
        "is_server_error": False,
    }
    return render(request, ERROR_TEMPLATE, context, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {
        "title": _("Something went wrong"),
        "reason": _(
            "The server could not complete your request. Nothing you entered was lost: the error has been logged; "
            "try again in a moment, and tell the help desk if it happens again."
        ),
        "path": "",
        "is_server_error": True,
    }
    return HttpResponseServerError(loader.get_template(ERROR_TEMPLATE).render(context))
