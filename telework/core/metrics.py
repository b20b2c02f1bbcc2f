"""Prometheus metrics (issue 15, point 5): ``GET /metrics`` for the addresses of ``TELEWORK_METRICS_ALLOWED_NETS``.

* Requests (count, latency, status by view), from django-prometheus' two middlewares; database statements by alias
  and vendor, and their errors, counted by an execute wrapper put on every connection (``count_statements``), so the
  database engines stay Django's own.
* Domain figures: ``telework_check_ins_total`` (check-ins recorded, by mode: incremented by the check-in services
  after their transaction commits), ``telework_tasks_total`` (background task runs by task and outcome: Celery's, and
  the in-process scheduler's), and gauges read when Prometheus scrapes (``register_gauge``: apps add theirs from
  ``AppConfig.ready``, core cannot import them): today's check-ins, each scheduled job's last run, the audit chain's
  length, the read replica's lag.
* Several gunicorn workers: start them with ``PROMETHEUS_MULTIPROC_DIR`` set to an empty directory (emptied at each
  start; ``docs/deployment.md``), and any worker answers the scrape with the sum of all of them.

``MetricsMiddleware`` answers ``/metrics`` first in ``MIDDLEWARE`` (no session, login or second factor). Any other
address gets the site's ordinary 404, as if there were no such page: the address is the socket's (``REMOTE_ADDR``),
never a forwarded header. Scrape each application host directly, not through the load balancer.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Counter, generate_latest
from prometheus_client import multiprocess as prometheus_multiprocess
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

METRICS_PATH = "/metrics"

CHECK_INS = Counter("telework_check_ins", "Check-ins recorded (committed), by mode", ["mode"])
TASKS = Counter("telework_tasks", "Background task runs finished, by task and outcome", ["task", "outcome"])
DB_STATEMENTS = Counter("telework_db_statements", "SQL statements executed, by database alias and vendor", ["alias", "vendor"])
DB_ERRORS = Counter("telework_db_statement_errors", "SQL statements that raised, by database alias and vendor", ["alias", "vendor"])

# --- Gauges read at scrape time ----------------------------------------------------------------------------------

# name → (help, read). ``read`` returns (labels, value) pairs; it should cost one indexed query at most.
GaugeReader = Callable[[], Iterable[tuple[dict[str, str], float]]]
_gauges: dict[str, tuple[str, GaugeReader]] = {}


def register_gauge(name: str, documentation: str, read: GaugeReader) -> None:
    """Add a gauge computed when Prometheus scrapes (from an app's ``AppConfig.ready``)."""
    _gauges[name] = (documentation, read)


class _ScrapeTimeGauges(Collector):
    def collect(self) -> Iterator[Metric]:
        for name, (documentation, read) in sorted(_gauges.items()):
            started = time.monotonic()
            try:
                samples = list(read())
            except Exception as error:  # noqa: BLE001 — a figure that cannot be read is left out of this scrape
                logger.warning("Metric %s could not be read: %s: %s", name, type(error).__name__, error)
                continue
            label_names = sorted({key for labels, _value in samples for key in labels})
            family = GaugeMetricFamily(name, documentation, labels=label_names)
            for labels, value in samples:
                family.add_metric([labels.get(key, "") for key in label_names], value)
            yield family
            if time.monotonic() - started > 1:
                logger.warning("Metric %s took %.1f s to read", name, time.monotonic() - started)


# --- Counting statements -----------------------------------------------------------------------------------------


def _statement_counter(alias: str, vendor: str) -> Callable[..., Any]:
    statements = DB_STATEMENTS.labels(alias, vendor)
    errors = DB_ERRORS.labels(alias, vendor)

    def count(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        statements.inc()
        try:
            return execute(sql, params, many, context)
        except Exception:
            errors.inc()
            raise

    count.telework_metrics = True  # type: ignore[attr-defined]
    return count


def count_statements(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created``: count the connection's statements (once per connection object, across reconnects)."""
    if not any(getattr(wrapper, "telework_metrics", False) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(_statement_counter(connection.alias, connection.vendor))


def connect_signals() -> None:
    """From ``CoreConfig.ready``."""
    connection_created.connect(count_statements, dispatch_uid="core.metrics.count_statements", weak=False)


def task_finished(task: str, outcome: str) -> None:
    TASKS.labels(task or "unknown", outcome.lower()).inc()


# --- The endpoint ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(nets: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(net, strict=False) for net in nets)


def may_scrape(request: HttpRequest) -> bool:
    """Whether the socket's address is in ``METRICS_ALLOWED_NETS``."""
    try:
        address = ipaddress.ip_address(str(request.META.get("REMOTE_ADDR", "")).strip())
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.METRICS_ALLOWED_NETS)))


_scrape_time = CollectorRegistry(auto_describe=False)
_scrape_time.register(_ScrapeTimeGauges())


def exposition() -> bytes:
    """Every metric in Prometheus' text format: this process's, or all the workers' with ``PROMETHEUS_MULTIPROC_DIR``."""
    if settings.METRICS_MULTIPROC_DIR:
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry, path=settings.METRICS_MULTIPROC_DIR)  # type: ignore[no-untyped-call]
        counted = generate_latest(registry)
    else:
        counted = generate_latest(REGISTRY)
    return counted + generate_latest(_scrape_time)


class MetricsMiddleware:
    """Answers ``GET /metrics`` for allowed addresses, before any other middleware; others go on to the 404 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.rstrip("/") != METRICS_PATH or request.method not in {"GET", "HEAD"} or not may_scrape(request):
            return self.get_response(request)
        response = HttpResponse(exposition(), content_type=CONTENT_TYPE_PLAIN_0_0_4)  # what every Prometheus reads
        response["Cache-Control"] = "no-store"
        return response
