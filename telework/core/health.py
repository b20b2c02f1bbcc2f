"""Health and readiness for the load balancer and the operator (issue 15, point 5).

* ``GET /health/live/`` — the process answers: 200 ``ok`` as plain text, nothing else consulted (no database).
* ``GET /health/ready/`` — this process can serve: 200 when the default database answers, the cache, and the Celery
  broker when one is configured; otherwise 503. A configured replica is checked and reported too, but by default it
  does not make the process unready: the reports read the primary while it is down, so taking every application host
  out of the pool for it would turn a slower dashboard into an outage (``TELEWORK_READY_NEEDS_REPLICA=1`` makes it
  count). Both answer JSON ``{"ready": …, "checks": {"database": "ok", "cache": "…", …}}`` where a failed check says in
  plain words what does not answer (the exception's kind only: the page is public, the details go to the log).

``HealthCheckMiddleware`` answers these two paths first in ``MIDDLEWARE``, before the SSL redirect, the host check,
the session, the login, the second factor and the idle-session stamp: a probe from the load balancer (plain HTTP to
the host's address) is never redirected or refused, and writes no session. The same views are in ``core.urls`` so
the paths also resolve when the middleware is left out. django-health-check was not used: its JSON names its own
plugin classes, and a probe that passes through the session and second-factor middleware was what had to be avoided.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from telework.core import db

logger = logging.getLogger(__name__)

LIVE_PATH = "/health/live/"
READY_PATH = "/health/ready/"
# Seconds a broker check may take before it counts as not answering.
BROKER_TIMEOUT_SECONDS = 2


def _database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    if not row or row[0] != 1:
        raise RuntimeError("unexpected answer to SELECT 1")


def _cache() -> None:
    key = "telework:health:" + secrets.token_hex(8)
    cache.set(key, "1", timeout=10)
    value = cache.get(key)
    cache.delete(key)
    if value != "1":
        raise RuntimeError("the value written could not be read back")


def _broker() -> None:
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS)


def broker_configured() -> bool:
    """A Celery broker is in use (otherwise tasks run in-process and there is nothing to check)."""
    return not settings.CELERY_TASK_ALWAYS_EAGER and not str(settings.CELERY_BROKER_URL).startswith("memory://")


def checks_to_run() -> dict[str, tuple[str, Callable[[], None], bool]]:
    """name → (what failed, in words; the check; whether its failure makes the process unready). Order: what the
    response lists first."""
    checks: dict[str, tuple[str, Callable[[], None], bool]] = {"database": ("the database does not answer", lambda: _database("default"), True)}
    if db.replica_configured():
        if settings.READY_NEEDS_REPLICA:
            checks["replica"] = ("the read replica does not answer", lambda: _database("replica"), True)
        else:
            checks["replica"] = ("the read replica does not answer; the reports read the primary", lambda: _database("replica"), False)
    checks["cache"] = ("the cache does not answer", _cache, True)
    if broker_configured():
        checks["broker"] = ("the task broker does not answer", _broker, True)
    return checks


def readiness() -> tuple[bool, dict[str, str]]:
    """Run every check; (all passed, name → "ok" or what failed in words)."""
    results: dict[str, str] = {}
    ready = True
    for name, (failure, check, required) in checks_to_run().items():
        started = time.monotonic()
        try:
            check()
        except Exception as error:  # noqa: BLE001 — any failure of a dependency means "not ready", said in words
            ready = ready and not required
            results[name] = f"{failure} ({type(error).__name__})"
            logger.warning("Readiness: %s: %s", failure, error, extra={"check": name, "duration_ms": round((time.monotonic() - started) * 1000, 1)})
        else:
            results[name] = "ok"
    return ready, results


@never_cache
def live(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
def ready(request: HttpRequest) -> HttpResponse:
    is_ready, results = readiness()
    return JsonResponse({"ready": is_ready, "checks": results}, status=200 if is_ready else 503)


class HealthCheckMiddleware:
    """Answers ``/health/live/`` and ``/health/ready/`` (GET or HEAD) before any other middleware sees the request.
    First in ``MIDDLEWARE``."""

    VIEWS = {LIVE_PATH: live, READY_PATH: ready}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.VIEWS.get(request.path_info)
        if view is None or request.method not in {"GET", "HEAD"}:
            return self.get_response(request)
        response = view(request)
        response["X-Content-Type-Options"] = "nosniff"
        return response
