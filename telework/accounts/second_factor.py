"""Logins that resist guessing: lockout after repeated failures (django-axes) and a second factor (django-otp).

* **Lockout.** ``LockoutBackend`` (first of ``AUTHENTICATION_BACKENDS``) refuses an account or an address that failed
  ``AXES_FAILURE_LIMIT`` times until ``AXES_COOLOFF_TIME`` has passed, on the site's login and the admin's; the page
  then says so (``locked_out``). The address is ``client_address``: ``REMOTE_ADDR``, or the one the trusted proxies
  saw (``NINJA_NUM_PROXIES``), never a header a client may forge.
* **Second factor.** A person with a confirmed authenticator (TOTP) must enter its code after the password; the roles
  of ``SECOND_FACTOR_ROLES`` must enrol one when ``SECOND_FACTOR_REQUIRED``. Until then every page but the enrolment,
  verification and logout pages sends them there (``SecondFactorMiddleware``), and the API refuses their session.
  Recovery codes (ten, each usable once) stand in for a lost phone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import user_has_device

from telework.accounts import oidc
from telework.accounts.models import User

LOCKED_OUT = gettext_lazy("Too many failed logins for this account or from this address. Wait %(minutes)s minutes, then try again.")


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """django-axes' check before the password is looked at. A call without a request (``Client.login`` in tests, a
    management command) has no address to count and passes to the next backend."""

    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)  # type: ignore[no-any-return]


def client_address(request: HttpRequest) -> str:
    """The client's address for lockouts: the proxies' view when ``NINJA_NUM_PROXIES`` of them are trusted."""
    proxies = settings.NINJA_NUM_PROXIES
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR", ""))


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """The page a locked-out login gets (429): the login form again, with the wait in Vietnamese."""
    minutes = settings.AXES_COOLOFF_TIME * 60
    message = LOCKED_OUT % {"minutes": round(minutes)}
    if request.path.startswith("/django-admin/"):
        return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)


# Whether the signed-in person has a confirmed authenticator, noted in the session at login (and at enrolment), so
# that a page costs no device query.
ENROLLED_KEY = "_telework_second_factor"


def note_enrolment(sender: object, request: HttpRequest | None = None, user: User | None = None, **kwargs: object) -> None:
    """``user_logged_in``: note in the session whether the person has an authenticator."""
    if request is not None and user is not None and hasattr(request, "session"):
        request.session[ENROLLED_KEY] = bool(user_has_device(user, confirmed=True))


def is_enrolled(request: HttpRequest, user: User) -> bool:
    noted = request.session.get(ENROLLED_KEY)
    if noted is None:  # a session from before the note existed
        noted = request.session[ENROLLED_KEY] = bool(user_has_device(user, confirmed=True))
    return bool(noted)


def must_use_second_factor(request: HttpRequest, user: User) -> bool:
    """Whether ``user`` must pass a second factor: of a role that must enrol, or enrolled — unless they signed in
    through the province's identity provider and it asserted a second factor (``telework.accounts.oidc``)."""
    if request.session.get(oidc.PROVIDER_MFA_KEY):
        return False
    if settings.SECOND_FACTOR_REQUIRED and user.role in settings.SECOND_FACTOR_ROLES:
        return True
    return is_enrolled(request, user)


def safe_next(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return str(candidate)
    return fallback


class SecondFactorMiddleware:
    """Sends a signed-in person who must pass a second factor and has not (this session) to the verification page —
    or, with no authenticator yet, to the enrolment page — from every page but those two, logout and static files.
    The API refuses such a session with 403 (a bearer token is judged on its own). After ``OTPMiddleware``."""

    OPEN_PATHS = ("/accounts/verify/", "/accounts/two-factor/", "/accounts/logout/", "/static/", "/i18n/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or request.path.startswith(self.OPEN_PATHS)
            or user.is_verified()
            or not must_use_second_factor(request, user)
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if "Authorization" in request.headers:
                return self.get_response(request)
            body = {
                "code": "second_factor_required",
                "rule": "second_factor",
                "message": _("Enter the code of your authenticator app on the site first."),
                "params": {},
                "details": [],
            }
            return JsonResponse(body, status=403, json_dumps_params={"ensure_ascii": False})
        enrolled = is_enrolled(request, user)
        target = reverse("accounts:verify" if enrolled else "accounts:two_factor")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
