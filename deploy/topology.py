"""The production topology of docs/deployment.md, built on one machine in network namespaces (issue 15, point 5).

    python3 -m deploy.topology up        # build it and leave it running (prints the addresses)
    python3 -m deploy.topology status    # what runs where, and whether it answers
    python3 -m deploy.topology down      # kill everything, delete namespaces, bridge and temporary files

Needs root (namespaces, veth pairs, a bridge), Debian's PostgreSQL 15, redis-server and haproxy (installed with
apt-get when missing), and the project's virtual environment (gunicorn, celery). Stdlib + subprocess only.

One private bridge ``twdrill0`` (10.77.0.1/24 on the host side) and one namespace per host::

    lb       10.77.0.10  haproxy :80, round robin over app1 and app2, health-checking GET /health/live/
    app1/2   10.77.0.11/12  gunicorn :8000, production settings (DJANGO_SETTINGS_MODULE unset)
    db1      10.77.0.21  PostgreSQL 15 primary :5432, WAL archived to <tmp>/wal-archive
    db2      10.77.0.22  streaming replica (pg_basebackup -R), TELEWORK_REPLICA_DATABASE_URL of the app
    redis    10.77.0.30  redis-server :6379 (append-only file), Celery broker (db 0) and shared cache (db 1)
    worker1/2 10.77.0.41/42  celery worker
    beat     10.77.0.50  celery beat

The application speaks plain HTTP inside the bridge: SSL redirect is off (``TELEWORK_SSL_REDIRECT=0``) because the
drill's client talks HTTP to haproxy; in production haproxy ends TLS and sets X-Forwarded-Proto (docs/deployment.md).
Migrations run once as the database owner ``telework_owner``; the application, the workers and beat connect as
``telework_app``, which may only INSERT and SELECT the audit table (docs/security.md). A secret key is made at start.

``down`` works from the fixed names alone (it kills every process ``ip netns pids`` lists in each of our namespaces),
so it also cleans up after a crash; it is idempotent. The drill (``bench/drill.py``) uses ``Topology`` as a context
manager and its ``kill_host`` / ``start_service`` / ``restart_*`` methods.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
BRIDGE = "twdrill0"
SUBNET = "10.77.0"
HOST_SIDE_ADDRESS = f"{SUBNET}.1"
NAMESPACE_PREFIX = "twd-"
HOSTS: dict[str, int] = {"lb": 10, "app1": 11, "app2": 12, "db1": 21, "db2": 22, "restore": 23, "redis": 30, "worker1": 41, "worker2": 42, "beat": 50}
APP_HOSTS = ("app1", "app2")
WORKER_HOSTS = ("worker1", "worker2")
APP_PORT = 8000
PG_PORT = 5432
REDIS_PORT = 6379
DATABASE = "telework"
OWNER_ROLE = "telework_owner"
APP_ROLE = "telework_app"
REPLICATION_ROLE = "replicator"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
STATE_FILE = Path(tempfile.gettempdir()) / "telework-topology.json"
TEMP_PREFIX = "telework-topology-"
MARKER = ".telework-topology"
# The health check haproxy and the drill use: branch h-ops adds /health/live/; /accounts/login/ answers 200 before.
LIVENESS_PATHS = ("/health/live/", "/accounts/login/")
APT_PACKAGES = {"haproxy": "haproxy", "redis-server": "redis-server"}


def address(host: str) -> str:
    return f"{SUBNET}.{HOSTS[host]}"


def namespace(host: str) -> str:
    return f"{NAMESPACE_PREFIX}{host}"


def veth_name(host: str) -> str:
    """The host-side end of a namespace's veth pair (at most 15 characters, the kernel's limit)."""
    return f"twv-{host}"[:15]


def haproxy_config(health_path: str, app_addresses: Sequence[str], port: int = APP_PORT) -> str:
    """haproxy's configuration: HTTP on :80, round robin over the application hosts, each checked every second on
    ``health_path`` (down after 2 failures, up after 2 successes); a request whose connection to a dead host fails is
    retried on the other one (``retry-on conn-failure``: never a request the application may have received)."""
    servers = "\n".join(f"    server app{index} {host}:{port} check inter 1s fall 2 rise 2 maxconn 64" for index, host in enumerate(app_addresses, start=1))
    return f"""global
    maxconn 4096
    log stdout format raw local0 info

defaults
    mode http
    log global
    option httplog
    option forwardfor
    option redispatch
    retries 3
    retry-on conn-failure
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout queue 30s

frontend web
    bind {address("lb")}:80
    default_backend app

backend app
    balance roundrobin
    option httpchk
    http-check send meth GET uri {health_path} ver HTTP/1.1 hdr Host {address("lb")}
    http-check expect status 200
{servers}
"""


def audit_grants(app_role: str = APP_ROLE) -> list[str]:
    """The application role's grants (docs/security.md): everything on the tables but the audit trail, which it may
    only INSERT and SELECT. Re-run after every migration that adds tables."""
    return [
        f"GRANT USAGE ON SCHEMA public TO {app_role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app_role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app_role}",
        f"REVOKE ALL ON core_auditevent FROM {app_role}",
        f"GRANT SELECT, INSERT ON core_auditevent TO {app_role}",
        f"GRANT USAGE, SELECT ON SEQUENCE core_auditevent_id_seq TO {app_role}",
    ]


def database_url(role: str, password: str, host: str = "db1", name: str = DATABASE) -> str:
    return f"postgres://{role}:{password}@{address(host)}:{PG_PORT}/{name}"


def run(command: Sequence[str], *, check: bool = True, env: dict[str, str] | None = None, quiet: bool = False) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(list(command), capture_output=True, text=True, env=env, check=False)  # noqa: S603 - fixed commands
    if check and completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({completed.returncode}):\n{completed.stdout[-2000:]}{completed.stderr[-2000:]}")
    if not quiet and completed.returncode != 0:
        print(completed.stderr.strip(), file=sys.stderr)
    return completed


def in_namespace(host: str, command: Sequence[str]) -> list[str]:
    return ["ip", "netns", "exec", namespace(host), *command]


def as_user(user: str, command: Sequence[str]) -> list[str]:
    return ["runuser", "-u", user, "--", *command]


def namespace_pids(host: str) -> list[int]:
    completed = run(["ip", "netns", "pids", namespace(host)], check=False, quiet=True)
    return [int(pid) for pid in completed.stdout.split()] if completed.returncode == 0 else []


def kill_namespace(host: str, sig: int = signal.SIGKILL, timeout: float = 10.0) -> int:
    """Send ``sig`` to every process in the host's namespace; with SIGKILL, wait until none is left. Returns how many."""
    pids = namespace_pids(host)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
    if sig == signal.SIGKILL:
        deadline = time.monotonic() + timeout
        while namespace_pids(host) and time.monotonic() < deadline:
            time.sleep(0.05)
    return len(pids)


def wait_for_port(host: str, port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((address(host), port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{host} ({address(host)}:{port}) did not open its port within {timeout:.0f} s") from None
            time.sleep(0.2)


def http_status(url: str, timeout: float = 3.0) -> int:
    """The status of GET ``url``, 0 when there is no answer."""
    request = urllib.request.Request(url, headers={"Host": address("lb")})  # noqa: S310 - our own bridge addresses
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)
    except OSError:
        return 0


def ensure_packages() -> None:
    """Debian's haproxy and redis-server, installed when missing (as the Makefile's system-packages does)."""
    missing = [package for tool, package in APT_PACKAGES.items() if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists()]
    if missing:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run(["apt-get", "install", "-y", "-q", *missing], env=env)
    if not (PG_BIN / "postgres").exists():
        raise RuntimeError("PostgreSQL 15 is missing (apt-get install postgresql-15)")


def static_files_stale(root: Path = ROOT) -> bool:
    """Whether ``collectstatic`` must run: no manifest in STATIC_ROOT (var/static) yet, or a static file of the project
    newer than it. (It compresses every front-end package too: minutes on a busy machine, so not at every ``up``.)"""
    manifest = root / "var" / "static" / "staticfiles.json"
    if not manifest.exists():
        return True
    collected = manifest.stat().st_mtime
    sources = [root / "static", *sorted((root / "telework").glob("*/static"))]
    return any(path.stat().st_mtime > collected for source in sources if source.exists() for path in source.rglob("*") if path.is_file())


@dataclass
class Service:
    """A long-running process on one host: how to start it again after a fault."""

    host: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    user: str = ""

    def argv(self) -> list[str]:
        command = as_user(self.user, self.command) if self.user else self.command
        return in_namespace(self.host, command)


def down(state_file: Path = STATE_FILE, *, verbose: bool = False) -> None:
    """Kill every process in our namespaces, delete the namespaces, the bridge and the temporary directories.
    Works from the fixed names, with or without the state file (after a crash); idempotent."""
    for host in HOSTS:
        killed = kill_namespace(host)
        if killed and verbose:
            print(f"killed {killed} process(es) on {host}", file=sys.stderr)
        run(["ip", "netns", "del", namespace(host)], check=False, quiet=True)
        run(["ip", "link", "del", veth_name(host)], check=False, quiet=True)
    run(["ip", "link", "del", BRIDGE], check=False, quiet=True)
    directories: set[Path] = set()
    if state_file.exists():
        with contextlib.suppress(ValueError, KeyError, OSError):
            directories.add(Path(json.loads(state_file.read_text())["directory"]))
    directories.update(path.parent for path in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*/{MARKER}"))
    for directory in directories:
        if directory.name.startswith(TEMP_PREFIX) and (directory / MARKER).exists():
            shutil.rmtree(directory, ignore_errors=True)
    state_file.unlink(missing_ok=True)


class Topology:
    """Build the topology (``up``), act on it (kill a host, restart a service), tear it down (``down``)."""

    def __init__(self, *, app_workers: int = 3, worker_concurrency: int = 1, visibility_timeout: int = 150, log: bool = True) -> None:
        self.app_workers = app_workers
        self.visibility_timeout = visibility_timeout
        self.worker_concurrency = worker_concurrency
        self.log_enabled = log
        self.directory = Path()
        self.services: dict[str, Service] = {}
        self.owner_password = secrets.token_urlsafe(18)
        self.app_password = secrets.token_urlsafe(18)
        self.replication_password = secrets.token_urlsafe(18)
        self.secret_key = secrets.token_urlsafe(64)
        self.health_path = LIVENESS_PATHS[-1]
        self.timings: dict[str, float] = {}

    # --- context manager ----------------------------------------------------------------------------------------
    def __enter__(self) -> Topology:
        try:
            self.up()
        except BaseException:
            self.down()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.down()

    def log(self, message: str) -> None:
        if self.log_enabled:
            print(f"[topology] {message}", file=sys.stderr, flush=True)

    # --- addresses and environments -----------------------------------------------------------------------------
    @property
    def lb_url(self) -> str:
        return f"http://{address('lb')}"

    def app_url(self, host: str) -> str:
        return f"http://{address(host)}:{APP_PORT}"

    @property
    def owner_url(self) -> str:
        return database_url(OWNER_ROLE, self.owner_password)

    @property
    def app_database_url(self) -> str:
        return database_url(APP_ROLE, self.app_password)

    def app_environment(self, host: str) -> dict[str, str]:
        """What an application host, a worker or beat is given (docs/deployment.md lists each variable)."""
        prometheus = self.directory / f"prometheus-{host}"
        prometheus.mkdir(exist_ok=True)
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.directory),
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "TELEWORK_SECRET_KEY": self.secret_key,
            "TELEWORK_ALLOWED_HOSTS": ",".join([address("lb"), *(address(app) for app in APP_HOSTS), "telework.internal"]),
            # Plain HTTP inside the bridge (the drill's client talks HTTP to haproxy); production ends TLS at haproxy.
            "TELEWORK_SSL_REDIRECT": "0",
            "TELEWORK_TRUSTED_PROXIES": "1",
            "DATABASE_URL": self.app_database_url,
            "TELEWORK_REPLICA_DATABASE_URL": database_url(APP_ROLE, self.app_password, host="db2"),
            "CELERY_BROKER_URL": f"redis://{address('redis')}:{REDIS_PORT}/0",
            "TELEWORK_CACHE_URL": f"redis://{address('redis')}:{REDIS_PORT}/1",
            "TELEWORK_LOG_FORMAT": "json",
            "TELEWORK_METRICS_ALLOWED_NETS": f"{SUBNET}.0/24",
            "PROMETHEUS_MULTIPROC_DIR": str(prometheus),
            "TELEWORK_EMAIL_BACKEND": "off",
            # The drill's load generator is one address behind haproxy; an office's phones share one too.
            "TELEWORK_API_RATE_PER_ADDRESS": "100000/min",
            "TELEWORK_API_RATE_PER_TOKEN": "120/min",
            # A message whose worker's host died goes back to the queue after this long (longer than a roster chunk
            # takes here; tasks are idempotent, so a slow chunk delivered twice is only wasted work). Production: 1800.
            "TELEWORK_CELERY_VISIBILITY_TIMEOUT": str(self.visibility_timeout),
            "TELEWORK_CELERY_RESTORE_INTERVAL": "10",
        }

    def manage(
        self, host: str, arguments: Sequence[str], *, database_url: str | None = None, check: bool = True, pgoptions: str = ""
    ) -> subprocess.CompletedProcess[str]:
        """``manage.py`` on ``host`` with the production settings (as the owner when ``database_url`` says so)."""
        env = self.app_environment(host)
        if database_url:
            env["DATABASE_URL"] = database_url
        if pgoptions:
            env["PGOPTIONS"] = pgoptions
        return run(in_namespace(host, [sys.executable, str(ROOT / "manage.py"), *arguments]), env=env, check=check)

    # --- building ------------------------------------------------------------------------------------------------
    def up(self) -> None:
        if os.geteuid() != 0:
            raise RuntimeError("deploy.topology needs root (network namespaces)")
        started = time.monotonic()
        ensure_packages()
        down()
        self.directory = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
        self.directory.chmod(0o755)
        (self.directory / MARKER).write_text("deploy.topology\n")
        (self.directory / "logs").mkdir()
        (self.directory / "logs").chmod(0o777)
        self.save_state()
        self.network()
        self.timed("database", self.databases)
        self.timed("redis", self.redis)
        self.timed("migrate", self.migrate)
        self.timed("replica", self.replica)
        self.timed("applications", self.applications)
        self.timed("workers", self.workers)
        self.timed("load_balancer", self.load_balancer)
        self.save_state()
        self.timings["up"] = round(time.monotonic() - started, 2)
        self.log(f"up in {self.timings['up']:.0f} s: {self.lb_url}")

    def timed(self, name: str, step: object) -> None:
        started = time.monotonic()
        step()  # type: ignore[operator]
        self.timings[name] = round(time.monotonic() - started, 2)

    def save_state(self) -> None:
        state = {
            "directory": str(self.directory),
            "hosts": {host: address(host) for host in HOSTS},
            "namespaces": [namespace(host) for host in HOSTS],
            "bridge": BRIDGE,
            "load_balancer": self.lb_url,
        }
        STATE_FILE.write_text(json.dumps(state, indent=2))

    def network(self) -> None:
        self.log(f"bridge {BRIDGE} {HOST_SIDE_ADDRESS}/24 and {len(HOSTS)} namespaces")
        run(["ip", "link", "add", BRIDGE, "type", "bridge"])
        run(["ip", "addr", "add", f"{HOST_SIDE_ADDRESS}/24", "dev", BRIDGE])
        run(["ip", "link", "set", BRIDGE, "up"])
        for host in HOSTS:
            ns = namespace(host)
            run(["ip", "netns", "add", ns])
            run(["ip", "link", "add", veth_name(host), "type", "veth", "peer", "name", "eth0", "netns", ns])
            run(["ip", "link", "set", veth_name(host), "master", BRIDGE])
            run(["ip", "link", "set", veth_name(host), "up"])
            run(in_namespace(host, ["ip", "addr", "add", f"{address(host)}/24", "dev", "eth0"]))
            run(in_namespace(host, ["ip", "link", "set", "eth0", "up"]))
            run(in_namespace(host, ["ip", "link", "set", "lo", "up"]))

    def start_service(self, name: str) -> subprocess.Popen[bytes]:
        """Start (or start again) service ``name`` in the background, its output appended to logs/<name>.log."""
        service = self.services[name]
        # Prometheus' per-process files of a previous start would be summed with the new ones: empty the directory.
        metrics = Path(service.env["PROMETHEUS_MULTIPROC_DIR"]) if "PROMETHEUS_MULTIPROC_DIR" in service.env else None
        if metrics is not None and metrics.is_dir():
            for stale in metrics.iterdir():
                stale.unlink(missing_ok=True)
        log_file = (self.directory / "logs" / f"{name}.log").open("ab")
        process = subprocess.Popen(service.argv(), env=service.env or None, stdout=log_file, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)  # noqa: S603
        log_file.close()
        return process

    # PostgreSQL --------------------------------------------------------------------------------------------------
    def pg_data(self, host: str) -> Path:
        return self.directory / host / "data"

    def pg_ctl(self, host: str, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.pg_data(host)), "-l", str(self.directory / "logs" / f"{host}.log"), *arguments]
        return run(in_namespace(host, as_user("postgres", command)), check=check)

    def psql(self, sql: str, *, host: str = "db1", database: str = "postgres") -> str:
        """SQL as the superuser over the host's Unix socket (peer authentication)."""
        command = [str(PG_BIN / "psql"), "-h", str(self.directory / host), "-p", str(PG_PORT), "-d", database, "-v", "ON_ERROR_STOP=1", "-Atqc", sql]
        return run(in_namespace(host, as_user("postgres", command))).stdout.strip()

    def configure_cluster(self, host: str, *, archive: bool) -> None:
        settings = [
            f"listen_addresses = '{address(host)}'",
            f"port = {PG_PORT}",
            f"unix_socket_directories = '{self.directory / host}'",
            "max_connections = 200",
            "shared_buffers = 128MB",
            "wal_level = replica",
            "max_wal_senders = 10",
            "hot_standby = on",
            "fsync = on",
            "synchronous_commit = on",
            "logging_collector = off",
            "max_wal_size = 2GB",
            "checkpoint_timeout = 15min",
        ]
        if archive:
            archive_dir = self.directory / "wal-archive"
            settings += ["archive_mode = on", f"archive_command = 'test ! -f {archive_dir}/%f && cp %p {archive_dir}/%f'", "archive_timeout = 60"]
        with (self.pg_data(host) / "postgresql.conf").open("a") as conf:
            conf.write("\n# deploy.topology\n" + "\n".join(settings) + "\n")
        (self.pg_data(host) / "pg_hba.conf").write_text(
            "local all postgres peer\n"
            f"host replication {REPLICATION_ROLE} {SUBNET}.0/24 scram-sha-256\n"
            f"host all {OWNER_ROLE},{APP_ROLE} {SUBNET}.0/24 scram-sha-256\n"
        )

    def databases(self) -> None:
        self.log("PostgreSQL primary on db1")
        for directory in ("db1", "db2", "wal-archive", "backup"):
            path = self.directory / directory
            path.mkdir()
            shutil.chown(path, "postgres", "postgres")
        run(
            in_namespace(
                "db1", as_user("postgres", [str(PG_BIN / "initdb"), "-D", str(self.pg_data("db1")), "--locale=C.UTF-8", "--encoding=UTF8", "-A", "peer"])
            )
        )
        self.configure_cluster("db1", archive=True)
        self.pg_ctl("db1", "-w", "-t", "60", "start")
        self.psql(
            f"CREATE ROLE {OWNER_ROLE} LOGIN PASSWORD '{self.owner_password}';"
            f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{self.app_password}';"
            f"CREATE ROLE {REPLICATION_ROLE} LOGIN REPLICATION PASSWORD '{self.replication_password}';"
        )
        self.psql(f"CREATE DATABASE {DATABASE} OWNER {OWNER_ROLE}")
        self.psql(f"REVOKE ALL ON SCHEMA public FROM PUBLIC; GRANT ALL ON SCHEMA public TO {OWNER_ROLE}", database=DATABASE)
        self.psql(f"GRANT CONNECT, TEMPORARY ON DATABASE {DATABASE} TO {APP_ROLE}")

    def replica(self) -> None:
        """db2: a base backup of db1 streamed with -R (standby.signal and primary_conninfo), then started."""
        self.log("streaming replica on db2 (pg_basebackup -R)")
        env = {"PATH": os.environ.get("PATH", ""), "PGPASSWORD": self.replication_password}
        command = [
            str(PG_BIN / "pg_basebackup"),
            "-h",
            address("db1"),
            "-p",
            str(PG_PORT),
            "-U",
            REPLICATION_ROLE,
            "-D",
            str(self.pg_data("db2")),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        ]
        run(in_namespace("db2", as_user("postgres", ["env", f"PGPASSWORD={self.replication_password}", *command])), env=env)
        conf = self.pg_data("db2") / "postgresql.conf"
        lines = [line for line in conf.read_text().splitlines() if not line.startswith(("listen_addresses", "unix_socket_directories", "archive_mode"))]
        lines += [f"listen_addresses = '{address('db2')}'", f"unix_socket_directories = '{self.directory / 'db2'}'", "archive_mode = off"]
        conf.write_text("\n".join(lines) + "\n")
        self.pg_ctl("db2", "-w", "-t", "60", "start")

    def replica_lag_bytes(self) -> int:
        """How far db2's replay is behind db1's current WAL position, in bytes."""
        position = self.psql("SELECT pg_current_wal_lsn()")
        replayed = self.psql("SELECT pg_last_wal_replay_lsn()", host="db2")
        return int(self.psql(f"SELECT pg_wal_lsn_diff('{position}', '{replayed}')"))

    def migrate(self) -> None:
        """Migrations once, as the owner (from app1), then the application role's grants, then collectstatic."""
        self.log("migrations as the owner; grants to the application role; collectstatic")
        # Each migration and each of migrate's permission rows commits on its own: without waiting for the disk at each
        # commit (a crash would only mean running migrate again) it takes seconds instead of minutes.
        self.manage("app1", ["migrate", "--no-input", "-v", "0"], database_url=self.owner_url, pgoptions="-c synchronous_commit=off")
        self.grant()
        if static_files_stale():
            self.manage("app1", ["collectstatic", "--no-input", "-v", "0"], database_url=self.owner_url)

    def grant(self) -> None:
        self.psql(";".join(audit_grants()), database=DATABASE)

    # Redis, the applications, the workers, beat, haproxy ---------------------------------------------------------
    def redis(self) -> None:
        self.log("redis on redis (append-only file)")
        directory = self.directory / "redis"
        directory.mkdir()
        shutil.chown(directory, "redis", "redis")
        self.services["redis"] = Service(
            "redis",
            [
                "redis-server",
                "--bind",
                address("redis"),
                "--port",
                str(REDIS_PORT),
                "--dir",
                str(directory),
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--protected-mode",
                "no",
                "--save",
                "",
            ],
            user="redis",
        )
        self.start_service("redis")
        wait_for_port("redis", REDIS_PORT)

    def applications(self) -> None:
        self.log("gunicorn on app1 and app2")
        for host in APP_HOSTS:
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"{address(host)}:{APP_PORT}",
                "--workers",
                str(self.app_workers),
                "--worker-class",
                "sync",
                "--backlog",
                "2048",
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                "--log-level",
                "warning",
            ]
            self.services[host] = Service(host, command, env=self.app_environment(host))
            self.start_service(host)
        for host in APP_HOSTS:
            wait_for_port(host, APP_PORT, timeout=240)
        # gunicorn binds before its workers have imported Django (slow on a busy machine): wait for an answer.
        deadline = time.monotonic() + 300
        while any(http_status(self.app_url(host) + LIVENESS_PATHS[-1]) != 200 for host in APP_HOSTS):
            if time.monotonic() > deadline:
                raise TimeoutError("the application hosts did not answer within 300 s")
            time.sleep(0.5)
        # The liveness path: /health/live/ when branch h-ops is merged, the login page before.
        for path in LIVENESS_PATHS:
            if http_status(self.app_url("app1") + path) == 200:
                self.health_path = path
                break

    def workers(self) -> None:
        self.log("celery workers on worker1 and worker2; beat on beat")
        for host in WORKER_HOSTS:
            command = [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-n",
                f"{host}@%h",
                "--concurrency",
                str(self.worker_concurrency),
                "--loglevel",
                "INFO",
            ]
            self.services[host] = Service(host, command, env={**self.app_environment(host), "C_FORCE_ROOT": "1"})
            self.start_service(host)
        beat_dir = self.directory / "beat"
        beat_dir.mkdir()
        command = [sys.executable, "-m", "celery", "-A", "config", "beat", "--schedule", str(beat_dir / "schedule"), "--loglevel", "INFO"]
        self.services["beat"] = Service("beat", command, env=self.app_environment("beat"))
        self.start_service("beat")

    def load_balancer(self) -> None:
        self.log(f"haproxy on lb, health check GET {self.health_path}")
        config = self.directory / "haproxy.cfg"
        config.write_text(haproxy_config(self.health_path, [address(host) for host in APP_HOSTS]))
        self.services["lb"] = Service("lb", ["haproxy", "-db", "-f", str(config)])
        self.start_service("lb")
        wait_for_port("lb", 80)
        self.wait_until_serving()

    def wait_until_serving(self, timeout: float = 120.0) -> float:
        """Seconds until haproxy answers 200 on the liveness path."""
        started = time.monotonic()
        while http_status(self.lb_url + self.health_path) != 200:
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"haproxy did not answer 200 on {self.health_path} within {timeout:.0f} s")
            time.sleep(0.2)
        return time.monotonic() - started

    def wait_until_host_serves(self, host: str, timeout: float = 300.0) -> float:
        """Seconds until ``host`` answers 200 on the liveness path itself (haproxy takes it back two checks later)."""
        started = time.monotonic()
        while http_status(self.app_url(host) + self.health_path) != 200:
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"{host} did not answer 200 on {self.health_path} within {timeout:.0f} s")
            time.sleep(0.2)
        return round(time.monotonic() - started, 2)

    # --- faults --------------------------------------------------------------------------------------------------
    def kill_host(self, host: str) -> int:
        """SIGKILL every process on ``host`` (a machine that dies): returns how many were killed."""
        self.log(f"SIGKILL every process on {host}")
        return kill_namespace(host, signal.SIGKILL)

    def restart_redis(self) -> None:
        """Stop redis as an operator or a package upgrade does (SIGTERM: it writes its append-only file), start it."""
        self.log("restarting redis")
        kill_namespace("redis", signal.SIGTERM)
        deadline = time.monotonic() + 30
        while namespace_pids("redis") and time.monotonic() < deadline:
            time.sleep(0.05)
        kill_namespace("redis", signal.SIGKILL)
        self.start_service("redis")
        wait_for_port("redis", REDIS_PORT)

    def restart_primary(self, mode: str = "fast") -> None:
        """``pg_ctl restart -m mode`` on db1 (fast: connections cut, a clean shutdown; immediate: a crash)."""
        self.log(f"restarting PostgreSQL on db1 (-m {mode})")
        self.pg_ctl("db1", "-w", "-t", "120", "-m", mode, "restart")

    # --- tearing down --------------------------------------------------------------------------------------------
    def down(self) -> None:
        self.log("down")
        down()

    def status(self) -> dict[str, object]:
        return status()


def status() -> dict[str, object]:
    """Each host: its address, how many processes it runs, whether its service port answers."""
    ports = {"lb": 80, "app1": APP_PORT, "app2": APP_PORT, "db1": PG_PORT, "db2": PG_PORT, "redis": REDIS_PORT}
    hosts: dict[str, object] = {}
    for host in HOSTS:
        exists = run(["ip", "netns", "pids", namespace(host)], check=False, quiet=True).returncode == 0
        answers = None
        if exists and host in ports:
            try:
                with socket.create_connection((address(host), ports[host]), timeout=1):
                    answers = True
            except OSError:
                answers = False
        hosts[host] = {"address": address(host), "namespace": exists, "processes": len(namespace_pids(host)) if exists else 0, "port_open": answers}
    state = json.loads(STATE_FILE.read_text()) if STATE_FILE.exists() else None
    return {"state": state, "hosts": hosts}


@contextlib.contextmanager
def topology(**options: int) -> Iterator[Topology]:
    with Topology(**options) as built:  # type: ignore[arg-type]
        yield built


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m deploy.topology", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["up", "down", "status"])
    parser.add_argument("--app-workers", type=int, default=3, help="gunicorn sync workers per application host (default 3)")
    arguments = parser.parse_args(argv)
    if arguments.action == "down":
        down(verbose=True)
        return 0
    if arguments.action == "status":
        print(json.dumps(status(), indent=2))
        return 0
    built = Topology(app_workers=arguments.app_workers)
    try:
        built.up()
    except BaseException:
        built.down()
        raise
    print(json.dumps({"load_balancer": built.lb_url, "health": built.health_path, "directory": str(built.directory), "timings": built.timings}, indent=2))
    print(f"owner: {built.owner_url}\napplication: {built.app_database_url}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
