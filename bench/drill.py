"""The fault drill (issue 15, point 6) on the production topology built by ``deploy.topology`` (needs root).

    python3 -m uv run python -m bench.drill --json [--staff 2000] [--check-ins 3000]

It builds the topology (haproxy → app1/app2 gunicorn → PostgreSQL primary db1 + streaming replica db2, redis, two
Celery worker hosts and beat, each in its own network namespace), seeds a city (``seed_demo``) and the check-in
bench's staff with phone tokens (``bench.checkin.seed``), then, in turn:

a. **worker killed**: a city-wide roster run (``roster_solve`` on app1, fanned out to both workers in chunks of
   ``rosters.generate_units``); as soon as worker1 holds a chunk (received, not finished: read from its log) every
   process on worker1 gets SIGKILL. Every unit must have exactly one roster of the run, and the run must finish
   (worker2 alone: the chunk comes back after the visibility timeout; worker1 stays dead until the run is over).
c. **redis restarted**: a second city-wide run; redis is stopped (SIGTERM, its append-only file written) and started
   again as soon as the run's chunks are queued; the run must finish, each unit once.
b. **app host killed**: every staff member checks in once through haproxy (a Python client, 32 connections; a
   request that fails or answers 5xx is retried, up to 20 times); when a third are acknowledged every process on app1
   gets SIGKILL. ``acknowledged`` are the 2xx the client received, ``stored`` the acknowledged people whose check-in
   is in the database, ``lost`` those without, ``duplicated`` people with more than one check-in row for the day.
d. **PostgreSQL restarted**: ``pg_ctl restart -m fast`` on db1 while a probe checks people in every 0.2 s through
   haproxy: seconds until the first acknowledged check-in after the restart, and the errors seen meanwhile.
e. **backup and restore**: ``pg_basebackup`` of db1 (WAL archived by ``archive_command``), rows written after it
   (check-ins and audit rows), the WAL switched and archived; the backup restored to a new cluster on host
   ``restore`` (``recovery.signal`` + ``restore_command``, recovery to the end of the archived WAL); the main tables'
   row counts compared with db1's (beat and the workers paused meanwhile, so nothing writes between the two
   counts), and ``manage.py verify_audit`` run against the restored copy.

It prints one JSON object (see ``KEYS``); exit 0 when every check held. The drill is not part of ``make test``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from deploy.topology import PG_BIN, Topology, address, as_user, http_status, in_namespace, namespace_pids, run

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("units_expected", "units_solved_once", "acknowledged", "stored", "lost", "duplicated", "restore_counts_match", "audit_chain_ok")
# The tables whose row counts the restored copy must match.
COUNTED_TABLES = (
    "accounts_user",
    "accounts_apitoken",
    "organization_agency",
    "organization_unit",
    "organization_staff",
    "registrations_registration",
    "rosters_rosterrun",
    "rosters_rosterrununit",
    "rosters_roster",
    "rosters_rosterentry",
    "attendance_checkin",
    "core_auditevent",
)
RUN_TIMEOUT_SECONDS = 900
CLIENT_RETRIES = 20


def loadavg() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def log(message: str) -> None:
    print(f"[drill {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the drill's own view of the database (as the owner, through the bridge) ---------------------------------------


def setup_django(owner_url: str) -> None:
    os.environ.update({"DATABASE_URL": owner_url, "DJANGO_SETTINGS_MODULE": "config.settings.local", "PYTHONPATH": str(ROOT)})
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False


def fresh_connection() -> None:
    from django.db import connections

    connections.close_all()


def count_rows(tables: Sequence[str]) -> dict[str, int]:
    from django.db import connection

    fresh_connection()
    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own table names
            row = cursor.fetchone()
            counts[table] = int(row[0]) if row else 0
    return counts


def next_week_start() -> dt.date:
    """Next week's Monday in the city's time zone: the week ``seed_demo`` gave approved home days."""
    from telework.core import clock

    today = clock.today()
    monday = today - dt.timedelta(days=today.weekday())
    return monday + dt.timedelta(weeks=1)


def units_expected(week_start: dt.date) -> set[int]:
    """The units a city-wide run must solve: those the roster adapter loads (units with staff that week)."""
    from telework.organization.models import Unit
    from telework.rosters.adapters import load_units

    fresh_connection()
    return {item.unit.pk for item in load_units(list(Unit.objects.select_related("agency").order_by("pk")), week_start, all_units=True)}


def rosters_per_unit(run_id: int) -> dict[int, int]:
    from django.db.models import Count

    from telework.rosters.models import Roster

    fresh_connection()
    return {row["unit_id"]: row["n"] for row in Roster.objects.filter(run_id=run_id).values("unit_id").annotate(n=Count("id"))}


def latest_run_id() -> int:
    from telework.rosters.models import RosterRun

    fresh_connection()
    return RosterRun.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def run_state(run_id: int) -> tuple[str, int, int, bool]:
    from telework.rosters.models import RosterRun

    fresh_connection()
    run = RosterRun.objects.get(pk=run_id)
    return run.status, run.units_done, run.units_total, run.finished_at is not None


# --- a and c: a city-wide roster run with a fault at a quarter ------------------------------------------------------


def worker_holds_chunk(topology: Topology, host: str) -> bool:
    """Whether ``host``'s worker has taken a roster chunk it has not finished (from its log: received, not succeeded)."""
    path = topology.directory / "logs" / f"{host}.log"
    text = path.read_text(errors="replace") if path.exists() else ""
    received = {line.split("[", 2)[2].split("]", 1)[0] for line in text.splitlines() if "rosters.generate_units[" in line and line.endswith("received")}
    finished = {
        line.split("rosters.generate_units[", 1)[1].split("]", 1)[0] for line in text.splitlines() if "rosters.generate_units[" in line and "succeeded" in line
    }
    return bool(received - finished)


def roster_run_with_fault(
    topology: Topology, week_start: dt.date, fault: Callable[[], object], fault_name: str, ready: Callable[[int, int], bool]
) -> dict[str, Any]:
    year, week, _day = week_start.isocalendar()
    iso_week = f"{year}-W{week:02d}"
    expected = units_expected(week_start)
    before = latest_run_id()
    env = topology.app_environment("app1")
    command = in_namespace("app1", [sys.executable, str(ROOT / "manage.py"), "roster_solve", "--week", iso_week, "--json"])
    log(f"{fault_name}: roster_solve --week {iso_week} on app1, {len(expected)} units")
    started = time.monotonic()
    output = (topology.directory / "logs" / f"roster-{fault_name}.log").open("w")
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=output, text=True, cwd=ROOT)  # noqa: S603
    run_id = 0
    fault_at: dict[str, Any] = {}
    deadline = started + RUN_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not run_id:
            run_id = latest_run_id()
            run_id = run_id if run_id > before else 0
        if run_id and not fault_at:
            status, done, total, _finished = run_state(run_id)
            if total and done < total and ready(done, total):
                fault_at = {"units_done": done, "units_total": total, "seconds": round(time.monotonic() - started, 2)}
                log(f"{fault_name}: fault at {done}/{total} units")
                fault()
        if process.poll() is not None:
            break
        time.sleep(0.2)
    else:
        process.kill()
    stdout, _stderr = process.communicate(timeout=30)
    output.close()
    wall = round(time.monotonic() - started, 2)
    per_unit = rosters_per_unit(run_id) if run_id else {}
    status, done, total, finished = run_state(run_id) if run_id else ("missing", 0, 0, False)
    solved_once = sum(1 for unit in expected if per_unit.get(unit) == 1)
    result = {
        "run": run_id,
        "week": iso_week,
        "fault": fault_name,
        "fault_at": fault_at,
        "units_expected": len(expected),
        "units_solved_once": solved_once,
        "units_solved_more_than_once": sum(1 for count in per_unit.values() if count > 1),
        "units_missing": sum(1 for unit in expected if unit not in per_unit),
        "units_unexpected": sum(1 for unit in per_unit if unit not in expected),
        "run_status": status,
        "run_finished": finished and status == "done",
        "units_done_counter": done,
        "units_total": total,
        "command_exit": process.returncode,
        "wall_seconds": wall,
    }
    if process.returncode == 0:
        try:
            summary = json.loads(stdout)
            result["summary"] = {key: summary.get(key) for key in ("units", "staff", "optimal_share", "hard_violations", "unavoidable", "mode")}
        except ValueError:
            pass
    log(f"{fault_name}: {json.dumps({key: result[key] for key in ('units_expected', 'units_solved_once', 'run_status', 'wall_seconds')})}")
    return result


# --- b and d: check-ins through haproxy --------------------------------------------------------------------------


class CheckInClient:
    """Check people in through haproxy with keep-alive connections; a failed attempt (no answer, 5xx) is retried on a
    new connection. Records per key the statuses received."""

    def __init__(self, host: str, keys: Sequence[str], connections: int) -> None:
        self.host = host
        self.keys = list(keys)
        self.connections = connections
        self.lock = threading.Lock()
        self.next_index = 0
        self.outcomes: dict[str, list[int]] = {}
        self.acknowledged: set[str] = set()
        self.latencies: list[float] = []

    def take(self) -> str | None:
        with self.lock:
            if self.next_index >= len(self.keys):
                return None
            key = self.keys[self.next_index]
            self.next_index += 1
            return key

    def attempt(self, connection: http.client.HTTPConnection, key: str) -> int:
        body = json.dumps({"mode": "office", "note": "drill"})
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json", "Host": self.host}
        connection.request("POST", "/api/attendance/check-in", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return int(response.status)

    def worker(self) -> None:
        connection = http.client.HTTPConnection(self.host, 80, timeout=30)
        while (key := self.take()) is not None:
            statuses: list[int] = []
            for attempt in range(CLIENT_RETRIES):
                started = time.monotonic()
                try:
                    status = self.attempt(connection, key)
                except (OSError, http.client.HTTPException):
                    status = 0
                    connection.close()
                    connection = http.client.HTTPConnection(self.host, 80, timeout=30)
                statuses.append(status)
                if 200 <= status < 300:
                    with self.lock:
                        self.acknowledged.add(key)
                        self.latencies.append(time.monotonic() - started)
                    break
                if status in {0, 429} or status >= 500:
                    time.sleep(min(2.0, 0.1 * (attempt + 1)))
                    continue
                break  # 4xx: an answer (409 = already checked in by an earlier attempt whose answer was lost)
            with self.lock:
                self.outcomes[key] = statuses
        connection.close()

    def run(self) -> threading.Thread:
        threads = [threading.Thread(target=self.worker, daemon=True) for _ in range(self.connections)]
        for thread in threads:
            thread.start()

        def join() -> None:
            for thread in threads:
                thread.join()

        joiner = threading.Thread(target=join, daemon=True)
        joiner.start()
        return joiner


def staff_of_keys(keys: Sequence[str]) -> dict[str, int]:
    from telework.accounts.models import ApiToken
    from telework.organization.models import Staff

    fresh_connection()
    digests = {hashlib.sha256(key.encode()).hexdigest(): key for key in keys}
    user_of_digest = dict(ApiToken.objects.filter(key_digest__in=list(digests)).values_list("key_digest", "user_id"))
    staff_of_user = dict(Staff.objects.filter(user_id__in=list(user_of_digest.values())).values_list("user_id", "pk"))
    return {digests[digest]: staff_of_user[user] for digest, user in user_of_digest.items() if user in staff_of_user}


def check_in_peak(topology: Topology, keys: Sequence[str], connections: int) -> dict[str, Any]:
    from django.db import connection

    client = CheckInClient(address("lb"), keys, connections)
    log(f"check-in peak: {len(keys)} people, {connections} connections, SIGKILL app1 at a third")
    started = time.monotonic()
    joiner = client.run()
    killed_at: dict[str, Any] = {}
    while joiner.is_alive():
        if not killed_at and len(client.acknowledged) >= len(keys) / 3:
            killed_at = {"acknowledged": len(client.acknowledged), "seconds": round(time.monotonic() - started, 2)}
            killed_at["processes"] = topology.kill_host("app1")
        time.sleep(0.05)
    wall = time.monotonic() - started
    staff = staff_of_keys(keys)
    fresh_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT staff_id, count(*) FROM attendance_checkin WHERE day = (now() AT TIME ZONE 'Asia/Ho_Chi_Minh')::date GROUP BY staff_id")
        rows = dict(cursor.fetchall())
    acknowledged = client.acknowledged
    stored = sum(1 for key in acknowledged if rows.get(staff[key], 0) >= 1)
    retried = sum(1 for statuses in client.outcomes.values() if len(statuses) > 1)
    conflict_after_failure = sum(1 for statuses in client.outcomes.values() if statuses and statuses[-1] == 409 and len(statuses) > 1)
    unanswered = [key for key in keys if key not in acknowledged]
    latencies = sorted(client.latencies)
    result = {
        "people": len(keys),
        "killed_at": killed_at,
        "acknowledged": len(acknowledged),
        "stored": stored,
        "lost": len(acknowledged) - stored,
        "duplicated": sum(1 for count in rows.values() if count > 1),
        "requests_retried": retried,
        # A retry that met 409 ("already checked in"): the first attempt was stored but its answer was lost with app1.
        "retried_then_409": conflict_after_failure,
        "not_acknowledged": len(unanswered),
        "not_acknowledged_but_stored": sum(1 for key in unanswered if rows.get(staff.get(key, 0), 0) >= 1),
        "statuses": _status_histogram(client.outcomes),
        "wall_seconds": round(wall, 2),
        "throughput_rps": round(len(acknowledged) / wall, 1) if wall else 0.0,
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1) if latencies else None,
    }
    log(f"check-in peak: {json.dumps({key: result[key] for key in ('acknowledged', 'stored', 'lost', 'duplicated', 'requests_retried')})}")
    return result


def _status_histogram(outcomes: dict[str, list[int]]) -> dict[str, int]:
    histogram: dict[str, int] = {}
    for statuses in outcomes.values():
        for status in statuses:
            histogram[str(status)] = histogram.get(str(status), 0) + 1
    return dict(sorted(histogram.items()))


def postgres_restart(topology: Topology, keys: Sequence[str]) -> dict[str, Any]:
    """A probe checks one person in every 0.2 s through haproxy while db1 restarts; how long until it works again."""
    probe = CheckInClient(address("lb"), [], 1)
    connection = http.client.HTTPConnection(address("lb"), 80, timeout=10)
    remaining = list(keys)
    events: list[tuple[float, int]] = []
    stop = threading.Event()

    def probing() -> None:
        nonlocal connection
        while not stop.is_set() and remaining:
            key = remaining.pop()
            try:
                status = probe.attempt(connection, key)
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = http.client.HTTPConnection(address("lb"), 80, timeout=10)
            events.append((time.monotonic(), status))
            time.sleep(0.2)

    thread = threading.Thread(target=probing, daemon=True)
    thread.start()
    time.sleep(2)
    log("PostgreSQL restart on db1 (pg_ctl restart -m fast)")
    restart_started = time.monotonic()
    topology.restart_primary("fast")
    database_back = time.monotonic()
    deadline = database_back + 120
    first_success = None
    ready_at = None
    while time.monotonic() < deadline:
        after = [(moment, status) for moment, status in events if moment >= database_back]
        successes = [moment for moment, status in after if 200 <= status < 300]
        if ready_at is None and topology.health_path == "/health/live/" and http_status(topology.lb_url + "/health/ready/") == 200:
            ready_at = time.monotonic()
        if successes:
            first_success = successes[0]
            if len(successes) >= 10 and (ready_at is not None or topology.health_path != "/health/live/"):
                break
        time.sleep(0.2)
    stop.set()
    thread.join(timeout=15)
    during = [status for moment, status in events if moment >= restart_started]
    errors_after_back = [
        status for moment, status in events if moment >= database_back and (first_success is None or moment <= first_success) and not 200 <= status < 300
    ]
    result = {
        "restart_seconds": round(database_back - restart_started, 2),
        "recovered": first_success is not None,
        "seconds_to_recovery_from_restart": round(first_success - restart_started, 2) if first_success else None,
        "seconds_to_recovery_after_database_up": round(first_success - database_back, 2) if first_success else None,
        "failed_probes_after_database_up": len(errors_after_back),
        # /health/ready/ (branch h-ops) answers 200 again through haproxy: the database, the replica, cache and broker.
        "seconds_to_ready_after_database_up": round(ready_at - database_back, 2) if ready_at else None,
        "probe_statuses_during": _status_histogram({"probe": during}),
        "replica_streaming_again": replica_streaming(topology),
    }
    log(f"PostgreSQL restart: {json.dumps(result)}")
    return result


def replica_streaming(topology: Topology, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if topology.psql("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == "1":
                return True
        except RuntimeError:
            pass
        time.sleep(0.5)
    return False


# --- e: base backup, WAL archive, restore ------------------------------------------------------------------------


def pause_background(topology: Topology, pause: bool) -> None:
    """SIGSTOP (or SIGCONT) beat and the workers: nothing writes between db1's count and the end of the WAL."""
    for host in ("beat", "worker1", "worker2"):
        for pid in namespace_pids(host):
            try:
                os.kill(pid, signal.SIGSTOP if pause else signal.SIGCONT)
            except ProcessLookupError:
                pass


def backup_and_restore(topology: Topology, keys: Sequence[str]) -> dict[str, Any]:
    from telework.core.audit import audit_record
    from telework.rosters.models import RosterRun

    directory = topology.directory
    backup = directory / "backup" / "base"
    env = {"PATH": os.environ.get("PATH", "")}
    log("base backup of db1 (pg_basebackup)")
    started = time.monotonic()
    command = [str(PG_BIN / "pg_basebackup"), "-h", address("db1"), "-U", "replicator", "-D", str(backup), "-X", "stream", "-c", "fast"]
    run(in_namespace("restore", as_user("postgres", ["env", f"PGPASSWORD={topology.replication_password}", *command])), env=env)
    backup_seconds = time.monotonic() - started
    # Rows written after the backup: check-ins through haproxy, and audit rows (the chain must go on across them).
    client = CheckInClient(address("lb"), keys, 8)
    client.run().join()
    fresh_connection()
    latest = RosterRun.objects.order_by("-pk").first()
    for number in range(20):
        if latest is not None:
            audit_record(actor=None, action="roster.generate_many", target=latest, after={"drill": "after the base backup", "n": number})
    after_backup = {"check_ins": len(client.acknowledged), "audit_rows": 20 if latest is not None else 0}
    pause_background(topology, True)
    try:
        time.sleep(1)
        primary_counts = count_rows(COUNTED_TABLES)
        segment = topology.psql("SELECT pg_walfile_name(pg_current_wal_lsn())")
        topology.psql("SELECT pg_switch_wal()")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            archived = topology.psql("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
            if archived >= segment:
                break
            time.sleep(0.3)
        log(f"WAL archived up to {segment}; restoring to a new cluster on host restore")
        restore_started = time.monotonic()
        data = directory / "restore" / "data"
        data.parent.mkdir(exist_ok=True)
        shutil.chown(data.parent, "postgres", "postgres")
        shutil.copytree(backup, data, symlinks=True)
        run(["chown", "-R", "postgres:postgres", str(data)])
        data.chmod(0o700)
        conf = data / "postgresql.conf"
        lines = [
            line
            for line in conf.read_text().splitlines()
            if not line.startswith(("listen_addresses", "unix_socket_directories", "archive_mode", "archive_command"))
        ]
        lines += [
            f"listen_addresses = '{address('restore')}'",
            f"unix_socket_directories = '{data.parent}'",
            "archive_mode = off",
            f"restore_command = 'cp {directory / 'wal-archive'}/%f %p'",
            "recovery_target_timeline = 'latest'",
        ]
        conf.write_text("\n".join(lines) + "\n")
        (data / "recovery.signal").write_text("")
        shutil.chown(data / "recovery.signal", "postgres", "postgres")
        log_file = directory / "logs" / "restore.log"
        run(in_namespace("restore", as_user("postgres", [str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(log_file), "-w", "-t", "300", "start"])))
        psql = [str(PG_BIN / "psql"), "-h", str(data.parent), "-d", "telework", "-Atqc"]
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if run(in_namespace("restore", as_user("postgres", [*psql, "SELECT pg_is_in_recovery()"])), check=False, quiet=True).stdout.strip() == "f":
                break
            time.sleep(0.5)
        restore_seconds = time.monotonic() - restore_started
        restored_counts = {}
        for table in COUNTED_TABLES:
            value = run(in_namespace("restore", as_user("postgres", [*psql, f"SELECT count(*) FROM {table}"]))).stdout.strip()  # noqa: S608 - our table names
            restored_counts[table] = int(value)
    finally:
        pause_background(topology, False)
    verify_env = topology.app_environment("restore")
    verify_env["DATABASE_URL"] = f"postgres://telework_app:{topology.app_password}@{address('restore')}:5432/telework"
    verify = run(in_namespace("restore", [sys.executable, str(ROOT / "manage.py"), "verify_audit", "--json"]), env=verify_env, check=False)
    primary_verify = topology.manage("app1", ["verify_audit", "--json"], check=False)
    mismatched = {table: [primary_counts[table], restored_counts[table]] for table in COUNTED_TABLES if primary_counts[table] != restored_counts[table]}
    result = {
        "backup_seconds": round(backup_seconds, 2),
        "restore_seconds": round(restore_seconds, 2),
        "written_after_backup": after_backup,
        "wal_segment_switched": segment,
        "counts": primary_counts,
        "restore_counts_match": not mismatched,
        "mismatched": mismatched,
        "audit_chain_ok": verify.returncode == 0,
        "verify_audit_restored": _json_or_text(verify.stdout),
        "audit_chain_ok_on_primary": primary_verify.returncode == 0,
    }
    log(f"restore: counts match {result['restore_counts_match']}, audit chain ok {result['audit_chain_ok']}")
    return result


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text.strip()[-500:]


# --- the whole drill -----------------------------------------------------------------------------------------------


def seed(topology: Topology, staff: int, seed_number: int) -> float:
    """The city (``seed_demo``, as the owner, with commits not waiting for the disk: seeding is not what is measured)."""
    started = time.monotonic()
    env = {**os.environ, "DATABASE_URL": topology.owner_url, "DJANGO_SETTINGS_MODULE": "config.settings.local", "PGOPTIONS": "-c synchronous_commit=off"}
    env.pop("CELERY_BROKER_URL", None)
    log(f"seed_demo --staff {staff} --seed {seed_number}")
    completed = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "seed_demo", "--staff", str(staff), "--seed", str(seed_number)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"seed_demo failed:\n{completed.stderr[-3000:]}")
    topology.grant()
    return round(time.monotonic() - started, 2)


def drill(arguments: argparse.Namespace) -> dict[str, Any]:
    load_before = loadavg()
    started = time.monotonic()
    result: dict[str, Any] = {"drill": "issue 15 point 6", "cpus": os.cpu_count(), "loadavg": {"before": load_before}}
    with Topology(app_workers=arguments.app_workers) as topology:
        result["topology"] = {"health_path": topology.health_path, "timings": topology.timings, "app_workers": arguments.app_workers}
        setup_django(topology.owner_url)
        result["seed_seconds"] = seed(topology, arguments.staff, arguments.seed)
        week_start = next_week_start()
        # a. worker1 killed mid-run; it stays dead until the run is over, then comes back.
        worker = roster_run_with_fault(
            topology, week_start, lambda: topology.kill_host("worker1"), "worker1_sigkill", lambda _done, _total: worker_holds_chunk(topology, "worker1")
        )
        topology.start_service("worker1")
        result["loadavg"]["after_roster_run"] = loadavg()
        # c. redis restarted mid-run.
        # Restarted as soon as the run's chunks are queued, before the workers have finished them.
        broker = roster_run_with_fault(topology, week_start, topology.restart_redis, "redis_restart", lambda _done, _total: True)
        # b. the check-in peak, app1 killed mid-peak.
        from bench.checkin import seed as seed_check_ins

        log(f"seeding {arguments.check_ins + 600} people with phone tokens (bench.checkin)")
        fresh_connection()
        keys = seed_check_ins(arguments.check_ins + 600)
        topology.grant()
        peak = check_in_peak(topology, keys[: arguments.check_ins], arguments.connections)
        result["loadavg"]["after_peak"] = loadavg()
        topology.start_service("app1")
        peak["app1_restarted_seconds"] = topology.wait_until_host_serves("app1")
        # d. PostgreSQL restarted.
        database = postgres_restart(topology, keys[arguments.check_ins : arguments.check_ins + 300])
        # e. base backup + WAL, restore.
        restore = backup_and_restore(topology, keys[arguments.check_ins + 300 :])
        result["loadavg"]["after"] = loadavg()
    units_expected_total = worker["units_expected"] + broker["units_expected"]
    result.update(
        {
            "units_expected": units_expected_total,
            "units_solved_once": worker["units_solved_once"] + broker["units_solved_once"],
            "acknowledged": peak["acknowledged"],
            "stored": peak["stored"],
            "lost": peak["lost"],
            "duplicated": peak["duplicated"],
            "restore_counts_match": restore["restore_counts_match"],
            "audit_chain_ok": restore["audit_chain_ok"],
            "postgres_recovered": database["recovered"],
            "seconds_to_recovery": database["seconds_to_recovery_from_restart"],
            "worker_killed": worker,
            "redis_restarted": broker,
            "check_in_peak": peak,
            "postgres_restarted": database,
            "backup_restore": restore,
            "wall_seconds": round(time.monotonic() - started, 1),
        }
    )
    result["passed"] = {
        "every_unit_solved_once": worker["units_solved_once"] == worker["units_expected"] and broker["units_solved_once"] == broker["units_expected"],
        "runs_completed": worker["run_finished"] and broker["run_finished"],
        "nothing_lost": peak["lost"] == 0,
        "nothing_duplicated": peak["duplicated"] == 0,
        "postgres_recovered": database["recovered"],
        "restore_counts_match": restore["restore_counts_match"],
        "audit_chain_ok": restore["audit_chain_ok"],
    }
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.drill", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=2000, help="the city's staff (seed_demo, default 2000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--check-ins", type=int, default=3000, help="people who check in during the peak (default 3000)")
    parser.add_argument("--connections", type=int, default=32, help="the check-in client's connections (default 32)")
    parser.add_argument("--app-workers", type=int, default=3, help="gunicorn sync workers per application host (default 3)")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--output", help="also write the JSON to this file")
    arguments = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("bench.drill needs root (network namespaces)", file=sys.stderr)
        return 2
    result = drill(arguments)
    text = json.dumps(result, ensure_ascii=False, indent=None if arguments.json else 2)
    if arguments.output:
        Path(arguments.output).write_text(text + "\n")
    print(text)
    return 0 if all(result["passed"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
