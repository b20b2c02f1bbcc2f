"""Shared pytest set-up: which database a run uses, test-only database plumbing, the ``city`` fixture, and a real
Redis server with a Celery worker for the tests marked ``redis``, and the suite's frozen clock.

One clock. Every test runs with time frozen (time-machine, ticking from there) at ``SUITE_NOW``: Wednesday
18 November 2026, 09:30 in Ho Chi Minh City, so no test takes its dates from the machine's real clock and the suite
passes whatever day it runs. A test that needs another moment says so with ``@pytest.mark.frozen_at("2027-02-17
08:00")`` (local time) or moves the ``clock`` fixture (``clock.move_to(...)``). Tests that need holidays in their
period pick them on purpose (Tết 2027 is 5–11 February, Reunification Day 30 April, National Day 2 September).

Two databases, one suite. ``make test-unit`` runs everything not marked postgres/redis/browser on an in-memory
SQLite database; ``make test-postgres`` runs that same suite again, plus the tests marked ``postgres`` (the
concurrency races, the audit trigger), on a throwaway PostgreSQL cluster that ``pg_virtualenv`` creates and
describes in PGHOST/PGPORT/PGUSER/PGPASSWORD.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import threading
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine

# Playwright fixtures for the tests marked ``browser``, wherever they live (telework/core/tests/browser/fixtures.py).
pytest_plugins = ["telework.core.tests.browser.fixtures"]

POSTGRES_HINT = "needs PostgreSQL: `make test-postgres` runs it under pg_virtualenv (pytest --postgres)"


CITY_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# A Wednesday in an ordinary week. The next week holds Vietnam Cultural Day (Tuesday 24/11), so tests that take
# "next week" meet a holiday on purpose; `next_monday()` (telework.demo.testing) skips to 30/11, four ordinary weeks.
SUITE_NOW = dt.datetime(2026, 11, 18, 9, 30, tzinfo=CITY_ZONE)
# For shaking out date assumptions: `TELEWORK_TEST_NOW=2027-02-03 pytest ...` runs the suite on another day.
if os.environ.get("TELEWORK_TEST_NOW"):
    SUITE_NOW = dt.datetime.fromisoformat(os.environ["TELEWORK_TEST_NOW"]).replace(hour=9, minute=30, tzinfo=CITY_ZONE)


_SUITE_TRAVELLER = pytest.StashKey[time_machine.travel]()


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_SUITE_TRAVELLER, None)
    if traveller is not None:
        traveller.stop()


def _frozen_moment(request: pytest.FixtureRequest) -> dt.datetime:
    marker = request.node.get_closest_marker("frozen_at")
    if marker is None:
        return SUITE_NOW
    value = marker.args[0]
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=CITY_ZONE)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(9, 30), tzinfo=CITY_ZONE)
    moment = dt.datetime.fromisoformat(str(value))
    if len(str(value)) <= 10:
        moment = moment.replace(hour=9, minute=30)
    return moment if moment.tzinfo else moment.replace(tzinfo=CITY_ZONE)


@pytest.fixture(autouse=True)
def clock(request: pytest.FixtureRequest) -> Iterator[time_machine.Coordinates]:
    """Time frozen at ``SUITE_NOW`` (or the test's ``frozen_at`` marker) and ticking from there, for every test.

    The moment travels with the test: ``clock.move_to(datetime)`` jumps, ``clock.shift(timedelta)`` moves on."""
    with time_machine.travel(_frozen_moment(request), tick=True) as traveller:
        yield traveller


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        action="store_true",
        default=False,
        help="run against the PostgreSQL server named by PGHOST/PGPORT/PGUSER/PGPASSWORD (make test-postgres sets them with pg_virtualenv)",
    )


def _wants_postgres(config: pytest.Config) -> bool:
    if config.getoption("postgres"):
        if not os.environ.get("PGHOST"):
            raise pytest.UsageError("--postgres needs PGHOST (and PGPORT/PGUSER/PGPASSWORD): run it under pg_virtualenv, as `make test-postgres` does")
        return True
    # Kept from the first version: `pytest -m postgres` inside pg_virtualenv also switches.
    markexpr = config.getoption("markexpr", default="") or ""
    return "postgres" in markexpr and "not postgres" not in markexpr and bool(os.environ.get("PGHOST"))


def pytest_configure(config: pytest.Config) -> None:
    # Frozen from the start: collection, module- and session-scoped fixtures (the permission matrix's world, the
    # live server) read the same clock as the tests, never the machine's.
    suite_traveller = time_machine.travel(SUITE_NOW, tick=True)
    suite_traveller.start()
    config.stash[_SUITE_TRAVELLER] = suite_traveller
    # WhiteNoise warns, for every test client, that STATIC_ROOT (filled by collectstatic for production) does not
    # exist; tests serve static files from the finders instead.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning:django.core.handlers.base")
    if _wants_postgres(config):
        from config import env

        _switch_default_database(
            {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": os.environ.get("PGDATABASE", "postgres"),
                "USER": os.environ["PGUSER"],
                "PASSWORD": os.environ.get("PGPASSWORD", ""),
                "HOST": os.environ["PGHOST"],
                "PORT": os.environ.get("PGPORT", "5432"),
                "CONN_MAX_AGE": 0,
                # As config.settings.base sets it for PostgreSQL: the hot path's statements are prepared.
                "OPTIONS": {"prepare_threshold": 0} if env.DATABASE_PREPARED_STATEMENTS else {},
                # pytest-django creates and drops it; pg_virtualenv's user is the cluster's superuser.
                "TEST": {"NAME": "telework_test"},
            }
        )
    _let_test_flushes_pass_the_audit_triggers()


def _switch_default_database(database: dict[str, Any]) -> None:
    """Point the ``default`` alias at ``database``. ``django.setup()`` (run by pytest-django before this hook) has
    already read DATABASES and opened the SQLite connection object, so both are dropped and rebuilt."""
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"] = database
    for connection in connections.all(initialized_only=True):
        connection.close()
    if hasattr(connections._connections, "default"):
        del connections["default"]
    connections.__dict__.pop("settings", None)
    connections._settings = None
    assert connections["default"].vendor == "postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason=POSTGRES_HINT)
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _let_test_flushes_pass_the_audit_triggers() -> None:
    """Transactional tests (``transaction=True``, ``live_server``) end with Django's ``flush``, which empties every
    table. The audit trail's triggers (core migration 0002) refuse that on purpose, so, in tests only, the flush
    steps around them: on SQLite it drops and re-creates them (the same SQL as the migration) in the flush's
    transaction; on PostgreSQL it disables and re-enables the table's user triggers, so a TRUNCATE guard added later
    is covered too. The tests that prove the trail append-only run with the triggers in place."""
    from django.db.backends.postgresql.operations import DatabaseOperations as PostgresOperations
    from django.db.backends.sqlite3.operations import DatabaseOperations as SqliteOperations

    if getattr(SqliteOperations.sql_flush, "steps_around_audit_triggers", False):
        return
    triggers = importlib.import_module("telework.core.migrations.0002_audit_append_only_triggers")
    table = "core_auditevent"

    def wrap(original: Any, before: list[str], after: list[str]) -> Any:
        def sql_flush(self: Any, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False) -> list[str]:
            statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
            if table not in tables or not statements:
                return list(statements)
            return [*before, *statements, *after]

        sql_flush.steps_around_audit_triggers = True  # type: ignore[attr-defined]
        return sql_flush

    SqliteOperations.sql_flush = wrap(SqliteOperations.sql_flush, triggers.SQLITE_BACKWARD, triggers.SQLITE_FORWARD)  # type: ignore[method-assign]
    PostgresOperations.sql_flush = wrap(  # type: ignore[method-assign]
        PostgresOperations.sql_flush, [f"ALTER TABLE {table} DISABLE TRIGGER USER;"], [f"ALTER TABLE {table} ENABLE TRIGGER USER;"]
    )


@pytest.fixture
def city(db):  # type: ignore[no-untyped-def]
    """A unit of ten in a running pilot under the HCMC preset (see ``telework.demo.testing``)."""
    from telework.demo.testing import build_city

    return build_city()


# --- Redis and Celery (tests marked ``redis``) -------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A throwaway ``redis-server`` on a free loopback port, without persistence, for the whole session."""
    from telework.core.tests.servers import redis_server

    with redis_server() as url:
        yield url


@dataclass
class FinishedTask:
    name: str
    args: list[Any]
    state: str
    is_eager: bool
    routing_key: str  # the broker queue it came from ("" when run in-process)
    thread_name: str
    error: BaseException | None = None


@dataclass
class CeleryWorker:
    """The running worker and every task it finished (filled from the worker's ``task_postrun`` signal)."""

    hostname: str
    finished: list[FinishedTask] = field(default_factory=list)
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def record(self, task: FinishedTask) -> None:
        with self._changed:
            self.finished.append(task)
            self._changed.notify_all()

    def wait_for(self, count: int, *, timeout: float = 20) -> list[FinishedTask]:
        """Block until the worker has finished ``count`` tasks in all; return them in the order they finished."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.finished) >= count, timeout=timeout):
                raise AssertionError(f"the worker finished {len(self.finished)} task(s) within {timeout}s, expected {count}: {self.finished}")
            return list(self.finished)


@pytest.fixture
def celery_worker(redis_url: str, transactional_db: None) -> Iterator[CeleryWorker]:
    """The project's Celery app on the real Redis broker (not eager), with a worker running in a thread.

    The database is transactional: the worker thread reads what the test committed, through its own connection.
    Settings are restored afterwards, so the rest of the session runs tasks eagerly again.
    """
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_failure, task_postrun

    from config.celery import app

    keys = ("broker_url", "task_always_eager", "broker_connection_retry_on_startup", "worker_hijack_root_logger")
    saved = {key: app.conf[key] for key in keys}
    app.close()  # drop a connection pool built for the previous broker
    # ... and the producers' pool, which ``close`` keeps: it would go on publishing to the previous broker.
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    app.conf.update(broker_url=redis_url, task_always_eager=False, broker_connection_retry_on_startup=True, worker_hijack_root_logger=False)
    failures: dict[str, BaseException] = {}

    def on_failure(task_id: str, exception: BaseException, **_kwargs: Any) -> None:
        failures[task_id] = exception

    task_failure.connect(on_failure, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30) as worker:
            probe = CeleryWorker(hostname=worker.hostname)

            def on_postrun(task_id: str, task: Any, args: Any, state: str | None = None, **_kwargs: Any) -> None:
                probe.record(
                    FinishedTask(
                        name=task.name,
                        args=list(args or []),
                        state=state or "",
                        is_eager=bool(task.request.is_eager),
                        routing_key=(task.request.delivery_info or {}).get("routing_key") or "",
                        thread_name=threading.current_thread().name,
                        error=failures.get(task_id),
                    )
                )

            task_postrun.connect(on_postrun, weak=False)
            try:
                yield probe
            finally:
                task_postrun.disconnect(on_postrun)
    finally:
        task_failure.disconnect(on_failure)
        app.close()
        app.conf.update(saved)
