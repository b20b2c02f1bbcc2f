"""Vietnamese first: the language is the one the user chose (the language cookie), else the site default.

Django's ``LocaleMiddleware`` would follow the browser's Accept-Language header, so an office PC set up in English
would show the product in English to a ward officer who never asked for it. API clients are different: they set
Accept-Language on purpose, so under /api/ the header is honoured.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from telework.core import clock


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen not in self.supported and request.path.startswith("/api/"):
            chosen = translation.get_language_from_request(request)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class IdleSessionMiddleware:
    """A session lasts ``SESSION_COOKIE_AGE`` (a working day) after the last request, not after the login.

    Django re-saves a session (and so pushes its expiry back) only when it changes, unless
    ``SESSION_SAVE_EVERY_REQUEST`` — one database write per page. Here a signed-in session is re-saved at most every
    ``SESSION_IDLE_REFRESH_SECONDS``: a person who keeps working stays signed in, one who leaves the desk for longer
    than the working day must sign in again. The stamp is set at login (``stamp_login``), so the first pages after it
    write nothing. Goes after ``AuthenticationMiddleware``.
    """

    KEY = "_telework_seen"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not session.accessed or not user.is_authenticated:
            return response
        now = int(clock.now().timestamp())
        seen = session.get(self.KEY)
        if not isinstance(seen, int) or now - seen >= settings.SESSION_IDLE_REFRESH_SECONDS:
            session[self.KEY] = now  # modified: SessionMiddleware (outer) saves it with a fresh expiry
        return response


def stamp_login(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """``user_logged_in``: the session's idle clock starts at the login (connected in ``CoreConfig.ready``)."""
    if request is not None and hasattr(request, "session"):
        request.session[IdleSessionMiddleware.KEY] = int(clock.now().timestamp())
