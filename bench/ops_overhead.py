"""What the operations layer costs a request and a statement (issue 15, point 5), as ratios measured in one run.

``python -m bench.ops_overhead --json``: an in-memory SQLite database, Django's test client; the same request
(``/accounts/login/``, GET) timed with the settings' middleware and without the four added by this change (health,
metrics, request id, django-prometheus' two), alternating rounds; and ``SELECT 1`` through a connection with and
without the statement counter. Prints medians and ratios with the machine's load."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

ADDED = (
    "telework.core.health.HealthCheckMiddleware",
    "telework.core.metrics.MetricsMiddleware",
    "telework.core.logs.RequestIdMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--statements", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    with_ops = list(settings.MIDDLEWARE)
    without_ops = [name for name in with_ops if name not in ADDED]

    def time_requests(middleware: list[str]) -> float:
        with override_settings(MIDDLEWARE=middleware):
            client = Client()
            client.get("/accounts/login/")
            started = time.perf_counter()
            for _ in range(arguments.requests):
                client.get("/accounts/login/")
            return float((time.perf_counter() - started) / arguments.requests * 1e6)

    def time_statements(counted: bool) -> float:
        connection.ensure_connection()
        wrappers = list(connection.execute_wrappers)
        if not counted:
            connection.execute_wrappers[:] = [w for w in wrappers if not getattr(w, "telework_metrics", False)]
        try:
            with connection.cursor() as cursor:
                started = time.perf_counter()
                for _ in range(arguments.statements):
                    cursor.execute("SELECT 1")
                return float((time.perf_counter() - started) / arguments.statements * 1e6)
        finally:
            connection.execute_wrappers[:] = wrappers

    ours_only = [name for name in with_ops if not name.startswith("django_prometheus")]
    request_with, request_without, request_ours, statement_with, statement_without = [], [], [], [], []
    for _ in range(arguments.rounds):
        request_without.append(time_requests(without_ops))
        request_with.append(time_requests(with_ops))
        request_ours.append(time_requests(ours_only))
        statement_without.append(time_statements(False))
        statement_with.append(time_statements(True))
    result = {
        "request_us_without_ops": round(statistics.median(request_without), 1),
        "request_us_with_ops": round(statistics.median(request_with), 1),
        "request_ratio": round(statistics.median(request_with) / statistics.median(request_without), 3),
        "request_us_health_metrics_request_id_only": round(statistics.median(request_ours), 1),
        "request_ratio_without_django_prometheus": round(statistics.median(request_ours) / statistics.median(request_without), 3),
        "statement_us_without_counter": round(statistics.median(statement_without), 2),
        "statement_us_with_counter": round(statistics.median(statement_with), 2),
        "statement_ratio": round(statistics.median(statement_with) / statistics.median(statement_without), 3),
        "requests_per_round": arguments.requests,
        "statements_per_round": arguments.statements,
        "rounds": arguments.rounds,
        "loadavg": open("/proc/loadavg").read().split()[:3],  # noqa: SIM115
    }
    print(json.dumps(result, indent=None if arguments.json else 2))


if __name__ == "__main__":
    main()
