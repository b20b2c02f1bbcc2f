"""The settings that let workers and web processes survive their neighbours' faults (issue 15, point 6), and a
PostgreSQL connection cut under a process (what a server restart or failover looks like from the client) replaced
at the next request or task without a manual step."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.core.signals import request_started
from django.db import connection

from config.celery import app


def test_a_task_is_acknowledged_when_it_has_finished_and_a_lost_worker_gives_it_back():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is True


def test_the_broker_is_retried_forever_at_start_up_and_after():
    assert app.conf.broker_connection_retry is True
    assert app.conf.broker_connection_retry_on_startup is True
    assert app.conf.broker_connection_max_retries is None
    options = app.conf.broker_transport_options
    # Longer than a roster chunk takes, so a slow chunk is not handed to a second worker while the first still works.
    assert 600 <= options["visibility_timeout"] <= 12 * 3600
    assert options["socket_timeout"] > 0
    assert options["health_check_interval"] > 0


def test_production_keeps_postgresql_connections_a_minute_and_checks_them_before_reuse():
    """Read from the production settings themselves, in a fresh process (the suite's own database settings are the
    test runner's)."""
    program = (
        "import json, django; django.setup(); from django.conf import settings; database = settings.DATABASES['default']; "
        "print(json.dumps([database['ENGINE'], database['CONN_MAX_AGE'], database['CONN_HEALTH_CHECKS']]))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": "postgres://telework_app:secret@db.internal:5432/telework",
        "TELEWORK_SECRET_KEY": "k" * 30 + "0123456789abcdefghijklmnopqrstuvwxyz",
        "TELEWORK_ALLOWED_HOSTS": "telework.example.gov.vn",
    }
    environment.pop("TELEWORK_DB_CONN_MAX_AGE", None)
    output = subprocess.run([sys.executable, "-c", program], env=environment, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR)  # noqa: S603
    assert json.loads(output.stdout.strip().splitlines()[-1]) == ["django.db.backends.postgresql", 60, True]


def test_the_stall_sweep_is_on_beats_schedule():
    assert settings.CELERY_BEAT_SCHEDULE["rosters-requeue-stalled-runs"]["task"] == "rosters.requeue_stalled_runs"
    assert settings.ROSTER_RUN_STALL_MINUTES == 10


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _cut(pid: int) -> None:
    """End backend ``pid`` from another connection, as a server restart would."""
    import psycopg

    database = connection.settings_dict
    parameters = {"dbname": database["NAME"], "user": database["USER"], "password": database["PASSWORD"], "host": database["HOST"], "port": database["PORT"]}
    with psycopg.connect(**parameters, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def persistent_connection():  # type: ignore[no-untyped-def]
    """The test database's connection kept between requests and checked before reuse, as in production."""
    saved = {key: connection.settings_dict.get(key) for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(saved)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_database_dropped_its_connection_reconnects(persistent_connection):
    request_started.send(sender=None)
    first = _backend_pid()
    _cut(first)
    # The next request: Django checks the kept connection (CONN_HEALTH_CHECKS), finds it dead and opens another.
    request_started.send(sender=None)
    assert _backend_pid() != first


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_task_after_the_database_dropped_its_connection_reconnects(persistent_connection):
    task = app.tasks["celery.backend_cleanup"]  # any task taken from the broker (not run eagerly)
    task_prerun.send(sender=task, task_id="probe-1", task=task, args=[], kwargs={})
    first = _backend_pid()
    task_postrun.send(sender=task, task_id="probe-1", task=task, args=[], kwargs={}, retval=None, state="SUCCESS")
    _cut(first)
    # The worker's next task: ``close_stale_database_connections`` (config/celery.py) drops the dead connection first.
    task_prerun.send(sender=task, task_id="probe-2", task=task, args=[], kwargs={})
    assert _backend_pid() != first
