"""Structured logs and the request id (issue 15, point 5).

* ``RequestIdMiddleware`` gives every request an id: the proxy's ``X-Request-ID`` when it is a short token of safe
  characters (letters, digits, ``. _ : -``, at most ``REQUEST_ID_MAX_LENGTH``), otherwise a new random one. The id is
  returned in the response's ``X-Request-ID`` and carried by every log record written while the request runs. At the
  end it writes one record to the ``telework.request`` logger: method, path, status, duration in ms, user id.
* ``TELEWORK_LOG_FORMAT=json`` turns the console's output into one JSON object per line (``JsonFormatter``): time
  (UTC, ISO 8601), level, logger, message, request_id, method, path, status, duration_ms, user_id, and the traceback
  when there is one. The default (``text``) stays Django's plain lines, and request records are not written then.

What is never written: query strings (activation and reset tokens, search terms); the parts of a path that carry a
secret (``<token>``, ``<uidb64>``… of the URL pattern become ``…``); and in every message and traceback, passwords,
bearer tokens and phone numbers are masked (``scrub``). The user is an id, never a name.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_MAX_LENGTH = 64
_SAFE_REQUEST_ID = re.compile(rf"[A-Za-z0-9._:-]{{1,{REQUEST_ID_MAX_LENGTH}}}")
# URL pattern arguments whose value is a secret (an activation or reset link, a public survey's or desk's token).
SECRET_ARGUMENTS = ("token", "uidb64", "key", "secret", "code_hash")
# Extra attributes a record may carry (``logger.info(..., extra={...})``) that the JSON line keeps; others are dropped.
EXTRA_FIELDS = ("check", "job", "task", "outcome", "rows", "head")

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("telework_request", default=None)
request_logger = logging.getLogger("telework.request")

# --- What must not reach a log -----------------------------------------------------------------------------------

_SCRUBBERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)\b(bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}"), r"\1 [redacted]"),
    (re.compile(r"(?i)\b(password|passwd|pwd|secret|token|otp|api_key|csrfmiddlewaretoken)(['\"]?\s*[:=]\s*['\"]?)[^\s&,;'\"]+"), r"\1\2[redacted]"),
    # Vietnamese phone numbers: 0 or +84 followed by 9-10 digits, possibly grouped by spaces, dots or dashes.
    (re.compile(r"(?<![\w+])(?:\+84|0084|0)(?:[ .-]?\d){8,10}(?!\d)"), "[phone]"),
]


def scrub(text: str) -> str:
    """``text`` with passwords, tokens and phone numbers masked."""
    for pattern, replacement in _SCRUBBERS:
        text = pattern.sub(replacement, text)
    return text


def request_id_from(header: str | None) -> str:
    """The proxy's id when it is safe to repeat (short, plain characters); otherwise a new one."""
    if header and _SAFE_REQUEST_ID.fullmatch(header.strip()):
        return header.strip()
    return secrets.token_hex(16)


def loggable_path(request: HttpRequest) -> str:
    """The request's path without its query string, secret URL arguments replaced by ``…``."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if any(secret in name.lower() for secret in SECRET_ARGUMENTS) and value:
                path = path.replace(str(value), "…")
    return scrub(path)[:300]


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id when the request already knows it (never loads a session just to log it)."""
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", user) if user is not None else None
    if wrapped is None or wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return getattr(wrapped, "pk", None)


def current() -> dict[str, Any]:
    """The running request's log fields ({} outside a request)."""
    return dict(_context.get() or {})


class RequestIdMiddleware:
    """Early in ``MIDDLEWARE`` (after the health and metrics answers): the request id, the context of the request's
    log records, and one ``telework.request`` record per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        fields: dict[str, Any] = {"request_id": request_id, "method": request.method, "path": request.path[:300]}
        token = _context.set(fields)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            response[REQUEST_ID_HEADER] = request_id
            fields.update(path=loggable_path(request), status=response.status_code, duration_ms=duration_ms, user_id=_user_id(request))
            if request_logger.isEnabledFor(logging.INFO):
                request_logger.info("%s %s %s %.1f ms", request.method, fields["path"], response.status_code, duration_ms)
            return response
        finally:
            _context.reset(token)


class RequestContextFilter(logging.Filter):
    """Puts the running request's fields on every record (as attributes), for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        fields = _context.get()
        request = getattr(record, "request", None)
        if fields is None and isinstance(request, HttpRequest) and hasattr(request, "request_id"):
            # Django logs a 4xx/5xx response ("Not Found: …") after the middleware returned: the request says which.
            fields = {"request_id": request.request_id, "method": request.method, "path": loggable_path(request)}
        for name, value in (fields or {}).items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request's fields; secrets and phone numbers masked."""

    def format(self, record: logging.LogRecord) -> str:
        moment = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
        entry: dict[str, Any] = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        context = _context.get() or {}
        for name in ("request_id", "method", "path", "status", "duration_ms", "user_id"):
            value = getattr(record, name, context.get(name))
            if value is not None:
                entry[name] = value
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value if isinstance(value, int | float | bool) else scrub(str(value))
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        elif record.stack_info:
            entry["stack"] = scrub(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(log_format: str, level: str = "WARNING") -> dict[str, Any]:
    """Django's ``LOGGING`` for ``TELEWORK_LOG_FORMAT`` (``text`` or ``json``): the console at ``level``; with json,
    one record per request too (``telework.request`` at INFO)."""
    formatter = {"()": "telework.core.logs.JsonFormatter"} if log_format == "json" else {"format": "%(message)s"}
    config: dict[str, Any] = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "telework.core.logs.RequestContextFilter"}},
        "formatters": {"main": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "main", "filters": ["request"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {},
    }
    if log_format == "json":
        config["loggers"]["telework.request"] = {"level": "INFO"}
        config["loggers"]["telework.audit.head"] = {"level": "INFO"}
        # Django's own "Not Found: /x" and the like would repeat the request record; its errors still come through.
        config["loggers"]["django.request"] = {"level": "ERROR"}
    return config
