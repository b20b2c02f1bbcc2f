"""The 403, 404 and 500 pages: the site's layout, the reason in the reader's language, a way back.

Wired as ``handler403/404/500`` in ``config/urls.py``. The 500 page renders from the template alone, without a request
context: no database query, no session, no user (the database may be what failed). The language is the one the request
chose (``ChosenLanguageMiddleware`` has activated it before the view ran, and is still active when Django turns an
exception into this response).
"""

from __future__ import annotations

import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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


# How long a client is asked to wait when the database does not answer: a restarted PostgreSQL accepts connections
# again within seconds (bench/drill.py measured 0.1–1.8 s), and Django opens a new connection at the next request.
RETRY_AFTER_SECONDS = 5
DATABASE_UNAVAILABLE = gettext_lazy(
    "The database is not answering for a moment (it may be restarting). If you were sending a form or a check-in, "
    "it was not saved: wait a few seconds and send it again."
)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page; 503 with Retry-After when the database did not answer (a restart, a failover, SQLite busy): the
    request can simply be sent again, and the load balancer and the phone app know it from the status."""
    error = sys.exc_info()[1]  # Django calls this handler inside its ``except`` around the failed request
    if isinstance(error, (OperationalError, InterfaceError)):
        return database_unavailable(request)
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


def database_unavailable(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/api/"):
        # The API's one error shape (config/api.py), for a failure before the API's own handlers ran (the session).
        body = {"code": "database_unavailable", "rule": "", "message": str(DATABASE_UNAVAILABLE), "params": {}, "details": []}
        response = JsonResponse(body, status=503)
    else:
        context = {"title": _("Briefly unavailable"), "reason": DATABASE_UNAVAILABLE, "path": "", "is_server_error": True}
        response = HttpResponse(loader.get_template(ERROR_TEMPLATE).render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
