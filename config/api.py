"""The HTTP API: one NinjaAPI, a router per app, and error handlers that give every failure one JSON shape:
``{code, rule, message, params, details}`` (``telework.accounts.api_auth.ErrorOut``)."""

from __future__ import annotations

import logging
import math
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import DataError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from telework.accounts.api_auth import (
    CSRF_FAILED,
    MALFORMED_BODY,
    NOT_AUTHENTICATED,
    OUT_OF_RANGE,
    REQUEST_REFUSED,
    REQUEST_TOO_LARGE,
    SERVER_ERROR,
    TOO_MANY_REQUESTS,
    VALIDATION_FAILED,
    BearerToken,
    BrowserSession,
    RateLimit,
    ReadableJSONRenderer,
)
from telework.core.error_views import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS
from telework.core.exceptions import DomainError, NotFound, NotPermitted
from telework.organization.api import router as me_router

logger = logging.getLogger("telework.api")

api = NinjaAPI(
    title="Telework API",
    version="1.0",
    description=(
        "Eligibility, home-day registrations and approvals for the work-from-home pilot. "
        "Authenticate with `Authorization: Bearer <token>` (create a token under Account → API tokens), "
        "or with the browser session (send the `X-CSRFToken` header on POST and PUT). "
        "Every refusal answers with the same JSON: `code` (stable), `rule` (the rule or policy parameter that decided), "
        "`message` (in the request's language, Vietnamese by default), `params` and `details` (one entry per date, rule or field). "
        "An object outside your scope answers 404."
    ),
    auth=[BearerToken(), BrowserSession()],
    # Per token and per client address (settings.API_THROTTLE_RATES): beyond the rate, 429 with Retry-After.
    throttle=[RateLimit("token"), RateLimit("address")],
    urls_namespace="api",
    renderer=ReadableJSONRenderer(),
)


def _error(request: HttpRequest, status: int, *, code: str, rule: str, message: Any, details: list[dict[str, Any]] | None = None) -> HttpResponse:
    body = {"code": code, "rule": rule, "message": str(message), "params": {}, "details": details or []}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return api.create_response(request, error.as_dict(), status=error.http_status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return api.create_response(request, NotFound().as_dict(), status=404)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    """Django's own refusal, if a helper raises it inside an endpoint: the 403 of NotPermitted, not a 500."""
    return api.create_response(request, NotPermitted(str(error) or None).as_dict(), status=403)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    # An expired token says when it expired (telework.accounts.api_auth.TokenExpired).
    message = getattr(error, "explanation", NOT_AUTHENTICATED)
    response = _error(request, 401, code="not_authenticated", rule="authentication", message=message)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if isinstance(error, Throttled):
        # Ninja adds Retry-After (whole seconds) to this answer.
        seconds = max(1, math.ceil(error.wait or 1))
        return _error(request, 429, code="too_many_requests", rule="rate_limit", message=TOO_MANY_REQUESTS % {"seconds": seconds})
    if error.status_code == 403:
        return _error(request, 403, code="csrf_failed", rule="csrf", message=CSRF_FAILED)
    if error.status_code == 400:
        # Ninja's only 400: a body it cannot parse (its message would quote the parser's exception under DEBUG).
        return _error(request, 400, code="malformed_request", rule="body", message=MALFORMED_BODY)
    return _error(request, error.status_code, code="http_error", rule="", message=error.message)


@api.exception_handler(RequestDataTooBig)
def request_too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    """A body without files over DATA_UPLOAD_MAX_MEMORY_SIZE, refused before it is read."""
    return _error(request, 413, code="request_too_large", rule="request_size", message=REQUEST_TOO_LARGE)


@api.exception_handler(SuspiciousOperation)
def request_refused(request: HttpRequest, error: SuspiciousOperation) -> HttpResponse:
    """More files or fields than a request may carry (DATA_UPLOAD_MAX_NUMBER_FILES…), or a request Django deems
    forged: refused whole, nothing read."""
    logger.warning("API request refused on %s %s: %s", request.method, request.path, error)
    return _error(request, 400, code="malformed_request", rule="request", message=REQUEST_REFUSED)


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def out_of_range(request: HttpRequest, error: Exception) -> HttpResponse:
    """A number or date beyond what the database or the calendar can hold. The input types
    (``telework.accounts.api_inputs``) bound ids, pages and dates before they reach a query; this is the net under
    them, so a value they miss still answers 422 rather than 500."""
    logger.warning("API input out of range on %s %s: %s", request.method, request.path, error)
    return _error(request, 422, code="validation_failed", rule="value_range", message=OUT_OF_RANGE)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
    """The database did not answer (a restart, a failover): nothing was written, and the same request can be sent
    again after Retry-After — the phone app retries a check-in with the same key (idempotent)."""
    logger.warning("Database unavailable on %s %s: %s", request.method, request.path, error)
    response = _error(request, 503, code="database_unavailable", rule="", message=DATABASE_UNAVAILABLE)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(Exception)
def server_error(request: HttpRequest, error: Exception) -> HttpResponse:
    """Any other failure is a bug: logged with its traceback for us, answered in the one error shape for the client —
    never Django's HTML page, never a traceback, whatever DEBUG says."""
    logger.exception("Unhandled error in the API on %s %s", request.method, request.path, exc_info=error)
    return _error(request, 500, code="server_error", rule="", message=SERVER_ERROR)


@api.exception_handler(ValidationError)
def validation_failed(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """Ninja's input validation, in the domain errors' shape: one detail per field (``field`` is the dotted path
    inside the body, query or path, ``rule`` the kind of check that failed)."""
    details = []
    for item in error.errors:
        location = [str(part) for part in item.get("loc", ())]
        # Drop Ninja's wrappers ("body", "payload", "query"…) so the field reads as the client sent it.
        while location and location[0] in {"body", "query", "path", "payload", "filters", "pagination"}:
            location = location[1:]
        details.append({"field": ".".join(location), "rule": item.get("type", ""), "message": item.get("msg", "")})
    rule = details[0]["field"] if details else ""
    return _error(request, 422, code="validation_failed", rule=rule, message=VALIDATION_FAILED, details=details)


from telework.assignments.api import router as assignments_router  # noqa: E402
from telework.attendance.api import router as attendance_router  # noqa: E402
from telework.dossiers.api import router as dossiers_router  # noqa: E402
from telework.evaluations.api import router as evaluations_router  # noqa: E402
from telework.policy.api import router as policy_router  # noqa: E402
from telework.registrations.api import router as registrations_router  # noqa: E402
from telework.rosters.api import router as rosters_router  # noqa: E402
from telework.staffing.api import router as staffing_router  # noqa: E402

# Attendance first: Django tries URL patterns in order, and the morning check-in peak should not walk every other
# endpoint's pattern first (bench/checkin.py).
api.add_router("/attendance", attendance_router)
api.add_router("/evaluations", evaluations_router)
api.add_router("/", me_router)
api.add_router("/", policy_router)
api.add_router("/", registrations_router)
api.add_router("/work", assignments_router)
api.add_router("/rosters", rosters_router)
api.add_router("/staffing", staffing_router)
api.add_router("/dossiers", dossiers_router)
