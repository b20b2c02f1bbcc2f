"""The API's foundation: who is calling (bearer tokens for clients, the browser session for the web UI's own
calls) and the error shape every endpoint answers with.

Clients send ``Authorization: Bearer tw_…`` (see ``ApiToken``). A token's scope decides where it works: a full
token everywhere its user may act, a push-only token (``TokenScope.DOSSIER_PUSH``) only on the one-stop system's push
routes (``PushToken``); each is refused with 403 on the other's routes. The browser's session is accepted too, with
Django's CSRF check on unsafe methods. A request that carries a bearer token is judged by the token alone: a
revoked or unknown token answers 401 even if a session cookie rides along, so a client never silently acts
under someone else's session.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf
from redis.exceptions import RedisError

from telework.accounts import push_tokens
from telework.accounts.models import ApiToken, TokenScope, User
from telework.core import clock
from telework.core.exceptions import NotPermitted

logger = logging.getLogger(__name__)

# Messages the API shows for failures that happen before any service runs.
NOT_AUTHENTICATED = _("Log in, or send a valid API token as “Authorization: Bearer <token>”. A revoked token no longer works.")
CSRF_FAILED = _("The security check (CSRF) failed: reload the page, or send the X-CSRFToken header with a session.")
VALIDATION_FAILED = _("Some fields are missing or malformed; see the details for each field.")
NO_STAFF_RECORD = _("Your account is not linked to a staff record, so you have no home days of your own.")
MALFORMED_BODY = _("The request body is not valid JSON.")
REQUEST_TOO_LARGE = _("The request is too large.")
REQUEST_REFUSED = _("The request was refused: it carries more files or fields than allowed, or is malformed.")
OUT_OF_RANGE = _("A value is too large or too small to be stored.")
SERVER_ERROR = _("Something went wrong on our side. The error has been recorded; try again later.")
PUSH_ONLY_TOKEN = _("This token may only push dossiers and ratings from the one-stop system (/api/dossiers/push); it cannot be used here.")
PUSH_ISSUER_GONE = _("The person who issued this push token may no longer issue one for its agency: ask Home Affairs or the agency's HR for a new token.")
TOKEN_EXPIRED = _("This API token expired on %(date)s. Create a new one under Account → API tokens.")
READ_ONLY_TOKEN = _("This token may only read: it cannot change anything. Create a token with the scope “Read and write” for this.")
CHECK_IN_ONLY_TOKEN = _("This token may only check in, check out and say whether you can be reached: it cannot read or change anything else.")
TOO_MANY_REQUESTS = _("Too many requests. Wait %(seconds)s seconds, then try again.")
PUSH_TOKEN_NEEDED = _(
    "Only a dossier push token issued for an agency may push dossiers: create one under Account → API tokens with the scope “Dossier push only”."
)


class ReadableJSONRenderer(JSONRenderer):
    """UTF-8 JSON that leaves Vietnamese text readable ("Phòng Kế hoạch") instead of escaping every accented letter."""

    json_dumps_params = {"ensure_ascii": False}


def json_response(request: HttpRequest, data: Any, *, status: int) -> HttpResponse:
    """``data`` rendered exactly as the API renders a validated response, without validating it again: for an
    endpoint whose answer is built from one row by a function a test holds to its schema (the morning check-in)."""
    return HttpResponse(_READABLE_JSON.encode(data), status=status, content_type=_READABLE_JSON_TYPE)


# What ``ReadableJSONRenderer.render`` does, with one encoder made once (``json.dumps`` makes one per call): the same
# bytes, held by the check-in's test of its answer.
_READABLE_JSON = ReadableJSONRenderer.encoder_class(**ReadableJSONRenderer.json_dumps_params)
_READABLE_JSON_TYPE = f"{ReadableJSONRenderer.media_type}; charset={ReadableJSONRenderer.charset}"


def bearer_key(request: HttpRequest) -> str | None:
    """The key of ``Authorization: Bearer <key>``, read as ``BearerToken`` reads it; None without one."""
    value = request.META.get("HTTP_AUTHORIZATION")  # request.headers would build a dict of every header first
    if not value:
        return None
    scheme, _space, key = value.partition(" ")
    return key if scheme.lower() == "bearer" else None


def api_user(request: HttpRequest) -> User:
    """The user a route's authenticator let in (``BearerToken`` or ``BrowserSession``, both answer a ``User``);
    Ninja sets ``request.auth`` to it before the route runs, so a route with authentication always has one."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user


class TokenExpired(AuthenticationError):
    """401 for a token past its expiry, with the date it expired on (``config.api`` answers it)."""

    def __init__(self, expired_at: dt.datetime) -> None:
        super().__init__()
        self.explanation = TOKEN_EXPIRED % {"date": formats.date_format(timezone.localtime(expired_at), "d/m/Y H:i")}


# The routes of a phone's own day: what a check-in token may do (method, path under /api/).
CHECK_IN_ROUTES = frozenset({("POST", "attendance/check-in"), ("POST", "attendance/check-out"), ("PUT", "attendance/reachability")})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def required_scope(request: HttpRequest) -> str:
    """What a request needs of a token, decided here for every route: a read (GET), the phone's check-in routes
    (check-in), or a write (any other method: approving, deciding, editing…)."""
    method = request.method or "GET"
    path = request.path.split("/api/", 1)[-1].strip("/")
    if (method, path) in CHECK_IN_ROUTES:
        return TokenScope.CHECK_IN
    if method in SAFE_METHODS:
        return TokenScope.READ
    return TokenScope.WRITE


def check_token(found: ApiToken, needed: str) -> None:
    """Refuse ``found`` for a request needing ``needed``: 401 when expired, 403 when its scope does not grant it."""
    if found.is_expired():
        raise TokenExpired(found.expires_at)
    if found.is_push_only:
        raise NotPermitted(PUSH_ONLY_TOKEN, rule="token_scope")
    if not found.grants(needed):
        message = CHECK_IN_ONLY_TOKEN if found.scope == TokenScope.CHECK_IN else READ_ONLY_TOKEN
        raise NotPermitted(message, rule="token_scope")


class BearerToken(HttpBearer):
    """``Authorization: Bearer tw_…``: an unrevoked, unexpired token of an active user whose scope grants what the
    request needs (``required_scope``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.lookup(token)
        if found is None:
            return None
        check_token(found, required_scope(request))
        ApiToken.mark_used(found.pk, clock.now())
        request.user = found.user
        return found.user


def refuse_push_only(key: str) -> None:
    """For a route that reads its token on its own (the morning check-in) and found none that may check in: 401 with
    the date for an expired token, 403 for a push-only or read-only one; otherwise nothing (the route answers 401)."""
    found = ApiToken.lookup(key)
    if found is not None:
        check_token(found, TokenScope.CHECK_IN)


class RateLimit(BaseThrottle):
    """At most ``settings.API_THROTTLE_RATES[kind]`` ("120/min") requests per window of the API, counted per token
    (``kind="token"``: the bearer key's digest) or per client address (``kind="address"``: ``REMOTE_ADDR``, or the
    address the trusted proxy saw, ``NINJA_NUM_PROXIES``). Beyond it: 429 with ``Retry-After`` (``config.api``).

    A fixed window in Django's cache: one add and one increment per request. The cache is per process unless a shared
    cache is configured (``TELEWORK_CACHE_URL``), then the limit holds across processes and hosts."""

    PERIODS = {"s": 1, "sec": 1, "min": 60, "m": 60, "hour": 3600, "h": 3600}

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.retry_after = 1.0

    @classmethod
    def parse(cls, rate: str) -> tuple[int, int]:
        count, _slash, period = rate.partition("/")
        return int(count), cls.PERIODS[period]

    def ident(self, request: HttpRequest) -> str | None:
        if self.kind == "token":
            key = bearer_key(request)
            return ApiToken.digest(key)[:32] if key else None
        return self.get_ident(request)

    def allow_request(self, request: HttpRequest) -> bool:
        rate = settings.API_THROTTLE_RATES.get(self.kind)
        ident = self.ident(request) if rate else None
        if not rate or not ident:
            return True
        limit, seconds = self.parse(rate)
        now = clock.now().timestamp()
        window = int(now // seconds)
        key = f"telework:throttle:{self.kind}:{ident}:{window}"
        try:
            count = self.count(key, seconds + 1)
        except RedisError:
            # The shared cache (Redis) does not answer — restarted, or down: the request goes through uncounted rather
            # than failing, so a Redis restart never costs the morning's check-ins (found by bench/drill.py).
            logger.warning("API rate limit not counted: the shared cache does not answer")
            return True
        self.retry_after = max(1.0, (window + 1) * seconds - now)
        return count <= limit

    def count(self, key: str, timeout: int) -> int:
        """This request's number in its window. A token's window usually opens with this request (a phone's
        morning check-in is its token's first use in the window): creating the count at 1 is one cache call, one
        round trip with Redis. An address's window is usually open already (an office's phones share it):
        incrementing first is one call too (two round trips with Django's Redis cache, which checks the key
        exists first). Either way the count is the same fixed window."""
        if self.kind != "token":
            with contextlib.suppress(ValueError):  # no count yet in this window
                return int(cache.incr(key))
        if cache.add(key, 1, timeout):
            return 1
        try:
            return int(cache.incr(key))
        except ValueError:  # expired or evicted between the two calls
            cache.set(key, 1, timeout)
            return 1

    def wait(self) -> float | None:
        return self.retry_after


class PushToken(HttpBearer):
    """The one-stop system's push routes: only an unrevoked push-only token of an active user, bound to an agency.
    ``request.auth`` is the ``ApiToken`` (read it with ``push_token``); the browser session is not accepted, and a
    full-access token is refused with 403 (a leaked phone token cannot write the dossier register)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.lookup(token)
        if found is None:
            return None
        if found.is_expired():
            raise TokenExpired(found.expires_at)
        ApiToken.mark_used(found.pk, clock.now())
        if not found.is_push_only or found.agency_id is None:
            raise NotPermitted(PUSH_TOKEN_NEEDED, rule="token_scope")
        # The issuer's right is read again on every push: a token outlives neither their role nor their agency.
        if found.agency_id not in {pk for pk, _name in push_tokens.issuable_agencies(found.user)}:
            raise NotPermitted(PUSH_ISSUER_GONE, rule="token_issuer")
        request.user = found.user
        return found


def push_token(request: HttpRequest) -> ApiToken:
    """The push token ``PushToken`` let in."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return token


class BrowserSession(APIKeyCookie):
    """The logged-in browser session, CSRF-checked on unsafe methods.

    Skipped when the request carries an ``Authorization`` header (the token decides alone), and for anonymous
    requests, which answer 401 rather than a CSRF failure.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if "Authorization" in request.headers or not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, str(CSRF_FAILED))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is not None and request.user.is_authenticated:
            return request.user
        return None


class ErrorOut(Schema):
    """Every refusal: ``code`` is stable (``rule_violation``, ``not_found``…), ``rule`` names the rule or policy
    parameter that decided, ``message`` explains it in the request's language, ``details`` holds one entry per
    finding (per date, per rule or per field)."""

    code: str
    rule: str
    message: str
    params: dict[str, Any]
    details: list[dict[str, Any]]
