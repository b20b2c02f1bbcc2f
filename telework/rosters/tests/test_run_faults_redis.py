"""A roster run survives its faults with real processes (issue 15, point 6): a Celery worker killed with SIGKILL while
it holds a chunk, and a Redis server restarted while chunks are queued (without persistence: the queue is lost).

Everything here is real: a ``redis-server`` of the test's own (so restarting it disturbs no other test), Celery
workers started as separate processes (``celery -A config worker``) on the test's database, and the run queued by the
same service the screens call. The workers run on a file copy of the SQLite test database (a process cannot open the
suite's in-memory one), or on the PostgreSQL test database under ``--postgres``. Their clock is frozen at the
test's moment as the suite's is. A small city: 27 units in 10 agencies, 9 chunks.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from config.celery import app
from telework.core import clock
from telework.core.models import AuditEvent
from telework.core.tests.servers import free_loopback_port
from telework.demo.testing import build_city, next_monday
from telework.organization.tests.factories import AgencyFactory, StaffFactory, UnitFactory
from telework.rosters import services
from telework.rosters.models import Roster, RosterRun, RosterRunUnit
from telework.rosters.services import runs

# Imported while the app is registered, so the chunk task binds to it (see telework/core/tests/test_celery_redis.py).
from telework.rosters.tasks import generate_units_task  # noqa: F401

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
RUN_SECONDS = 150  # the whole run, workers' start-up included (a generous bound: the machine running the suite may be loaded)

# A worker process: the project's Celery app, its clock frozen at the test's moment (ticking), and two test hooks —
# it touches ``<marks>/<name>.ready`` when ready, and for each chunk it takes writes ``<marks>/<name>.<n>.json`` (the
# chunk's units) and, for the first chunk only, holds it for RESIL_HOLD seconds before working on it.
WORKER = """
import datetime as dt, json, os, pathlib, sys, time
import time_machine
time_machine.travel(dt.datetime.fromisoformat(os.environ["RESIL_NOW"]), tick=True).start()
from celery.signals import task_prerun, worker_ready
marks, name, hold = pathlib.Path(os.environ["RESIL_MARKS"]), os.environ["RESIL_NAME"], float(os.environ.get("RESIL_HOLD", "0"))
taken = []
@worker_ready.connect(weak=False)
def ready(**_kwargs):
    (marks / f"{name}.ready").touch()
@task_prerun.connect(weak=False)
def took(task=None, args=None, **_kwargs):
    if task.name != "rosters.generate_units":
        return
    taken.append(args[1])
    (marks / f"{name}.{len(taken)}.json").write_text(json.dumps(args[1]))
    if hold and len(taken) == 1:
        time.sleep(hold)
sys.argv = ["celery", "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING", "--without-gossip", "--without-mingle", "-n", f"{name}@%h"]
from celery.__main__ import main
main()
"""


class RedisServer:
    """A ``redis-server`` without persistence on a fixed port, which the test may restart (losing every queue)."""

    def __init__(self, log: Path) -> None:
        self.port = free_loopback_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        executable = "/usr/bin/redis-server"
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed executable, arguments built here
                [executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 15
        while True:
            try:
                if client.ping():
                    break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)
        client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def queued(self) -> int:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port)
        try:
            return int(client.llen("celery"))
        finally:
            client.close()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def worker_database(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """The ``DATABASE_URL`` worker processes use to reach the database this test reads and writes.

    On PostgreSQL, the test database itself. On SQLite, the suite's database is in memory: it is copied to a file
    (schema and migrations' rows) and this test's connection is pointed at that file until the end, when the suite's
    in-memory database (untouched) is put back."""
    original = connections["default"]
    if original.vendor == "postgresql":
        yield f"postgres:///{original.settings_dict['NAME']}"  # host, user and password: the PG* variables
        return
    path = tmp_path / "telework.sqlite3"
    original.ensure_connection()
    target = sqlite3.connect(path)
    original.connection.backup(target)
    target.close()
    replacement = original.__class__({**original.settings_dict, "NAME": str(path)}, alias="default")
    connections["default"] = replacement
    try:
        yield f"sqlite:///{path}"
    finally:
        replacement.close()
        connections["default"] = original


@pytest.fixture
def broker(redis_server: RedisServer) -> Iterator[RedisServer]:
    """This process publishes to the test's Redis (not eagerly), as the web servers do with ``CELERY_BROKER_URL``."""
    keys = ("broker_url", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    _forget_connections()
    app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    try:
        yield redis_server
    finally:
        _forget_connections()
        app.conf.update(saved)


def _forget_connections() -> None:
    """Drop the app's broker connections, the producers' pool included (``app.close`` keeps it, and it would go on
    publishing to the previous test's server)."""
    app.close()
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


class Workers:
    """Celery worker processes started by the test, each in its own process group (killed as a host dies)."""

    def __init__(self, marks: Path, database_url: str, broker_url: str) -> None:
        self.marks = marks
        self.database_url = database_url
        self.broker_url = broker_url
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, *, hold: float = 0) -> None:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            # A message taken by a worker that died comes back after 5 s (30 min in production), looked for every second.
            "TELEWORK_CELERY_VISIBILITY_TIMEOUT": "5",
            "TELEWORK_CELERY_RESTORE_INTERVAL": "1",
            "RESIL_NOW": clock.now().isoformat(),
            "RESIL_MARKS": str(self.marks),
            "RESIL_NAME": name,
            "RESIL_HOLD": str(hold),
        }
        with (self.marks / f"{name}.log").open("ab") as log:
            self.processes[name] = subprocess.Popen(  # noqa: S603 - this interpreter, our own bootstrap
                [sys.executable, "-c", WORKER], cwd=BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_for(self, pattern: str, *, timeout: float = 150) -> list[Path]:
        deadline = time.monotonic() + timeout
        while True:
            found = sorted(self.marks.glob(pattern))
            if found:
                return found
            for name, process in self.processes.items():
                if process.poll() is not None and name in pattern:
                    raise AssertionError(f"worker {name} exited with {process.returncode}: {self.log(name)}")
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing matched {pattern} within {timeout}s; logs: {[self.log(name) for name in self.processes]}")
            time.sleep(0.1)

    def taken(self, name: str) -> list[list[int]]:
        """The chunks ``name`` took, in order."""
        marks = sorted(self.marks.glob(f"{name}.*.json"), key=lambda path: int(path.name.split(".")[1]))
        return [json.loads(path.read_text()) for path in marks]

    def kill(self, name: str) -> None:
        """SIGKILL to the worker's whole process group: the host is gone, nothing is acknowledged or cleaned up."""
        process = self.processes[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def log(self, name: str) -> str:
        path = self.marks / f"{name}.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def workers(worker_database: str, broker: RedisServer, tmp_path: Path) -> Iterator[Workers]:
    marks = tmp_path / "marks"
    marks.mkdir()
    started = Workers(marks, worker_database, broker.url)
    try:
        yield started
    finally:
        started.stop_all()


def small_city() -> Any:
    """The test city (three units in two agencies) and eight more agencies of three units of three staff."""
    city = build_city()
    for index in range(8):
        agency = AgencyFactory(name=f"Phường thử nghiệm {index}")
        for unit_index in range(3):
            unit = UnitFactory(agency=agency, name=f"Bộ phận {index}.{unit_index}")
            for _person in range(3):
                StaffFactory(unit=unit)
    return city


def wait_until_done(run_id: int, workers: Workers, *, timeout: float = RUN_SECONDS) -> RosterRun:
    deadline = time.monotonic() + timeout
    while True:
        run = RosterRun.objects.get(pk=run_id)
        if run.status != RosterRun.Status.RUNNING:
            return run
        if time.monotonic() > deadline:
            raise AssertionError(
                f"run still {run.status} with {run.units_done}/{run.units_total} units; logs: {[workers.log(name) for name in workers.processes]}"
            )
        time.sleep(0.2)


def assert_each_unit_stored_once(run: RosterRun) -> None:
    expected = set(RosterRunUnit.objects.filter(run=run).values_list("unit_id", flat=True))
    stored = list(Roster.objects.filter(run=run).values_list("unit_id", flat=True))
    assert sorted(stored) == sorted(expected)  # every unit, none twice
    assert len(expected) == 27
    ids = [str(pk) for pk in Roster.objects.filter(run=run).values_list("pk", flat=True)]
    assert AuditEvent.objects.filter(action="roster.generate", object_id__in=ids).count() == 27
    assert not RosterRunUnit.objects.filter(run=run, done_at__isnull=True).exists()


def test_a_worker_killed_while_it_holds_a_chunk_leaves_it_to_another_and_the_run_completes(workers, monkeypatch):
    monkeypatch.setattr(runs, "UNITS_PER_TASK", 3)
    city = small_city()
    workers.start("victim", hold=120)
    workers.wait_for("victim.ready")

    queued = services.rosters_generate_many(week_start=next_monday(), actor=city.home_affairs)
    assert (queued["mode"], queued["units"], queued["tasks"]) == ("celery", 27, 9)
    (held,) = workers.wait_for("victim.1.json")
    held_units = json.loads(held.read_text())
    workers.kill("victim")  # mid-chunk: taken from the queue, not acknowledged, nothing stored
    assert not Roster.objects.filter(run_id=queued["run"], unit_id__in=held_units).exists()

    workers.start("survivor")
    run = wait_until_done(queued["run"], workers)

    assert (run.status, run.units_done, run.units_total) == (RosterRun.Status.DONE, 27, 27)
    assert_each_unit_stored_once(run)
    assert held_units in workers.taken("survivor")  # the chunk the killed worker held came back to the other
    assert run.summary["units"] == 27
    assert run.requeued == 0  # the broker gave it back (visibility timeout): no sweep was needed


def test_redis_restarted_while_chunks_are_queued_the_sweep_queues_them_again_and_the_run_completes(workers, broker, clock, monkeypatch):
    monkeypatch.setattr(runs, "UNITS_PER_TASK", 3)
    city = small_city()
    workers.start("worker", hold=3)
    workers.wait_for("worker.ready")

    queued = services.rosters_generate_many(week_start=next_monday(), actor=city.home_affairs)
    workers.wait_for("worker.1.json")  # the worker holds the first chunk; eight wait in Redis
    assert broker.queued() == 8
    broker.stop()  # Redis goes down, and comes back empty: the queued chunks are lost
    broker.start()
    assert broker.queued() == 0

    # The worker reconnects by itself and finishes what it held; then nothing more arrives: the run has stalled.
    time.sleep(5)
    stalled = RosterRun.objects.get(pk=queued["run"])
    assert stalled.status == RosterRun.Status.RUNNING
    pending = RosterRunUnit.objects.filter(run=stalled, done_at__isnull=True).count()
    assert pending >= 24  # at most the held chunk was stored
    # Ten minutes later the beat job's sweep queues the missing units again (this process publishes through the
    # restarted Redis: its connection is re-made too).
    clock.shift(dt.timedelta(minutes=settings.ROSTER_RUN_STALL_MINUTES + 1))
    requeued = services.roster_runs_requeue_stalled()
    assert requeued == {"runs": 1, "units": pending}

    run = wait_until_done(queued["run"], workers)
    assert (run.status, run.units_done, run.units_total, run.requeued) == (RosterRun.Status.DONE, 27, 27, 1)
    assert_each_unit_stored_once(run)
    assert AuditEvent.objects.filter(action="roster.generate_many.requeue", object_id=str(run.pk)).count() == 1
