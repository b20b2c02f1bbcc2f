"""What the PostgreSQL benchmarks share: re-running a benchmark module inside a throwaway cluster (Debian's
``pg_virtualenv -t``) and preparing its database there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def run_in_throwaway_cluster(module: str, argv: Sequence[str], *, as_json: bool) -> int:
    """Run ``module`` again under ``pg_virtualenv -t`` with ``--in-cluster`` and print the JSON it leaves in a file
    (pg_virtualenv talks on stdout too). Exit 0 when the benchmark met its target."""
    if shutil.which("pg_virtualenv") is None:
        print(f"{module} needs `pg_virtualenv` (Debian package postgresql-common)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="telework-bench-") as directory:
        result = Path(directory) / "result.json"
        command = ["pg_virtualenv", "-t", "-c", "--locale=C.UTF-8 --encoding=UTF8", "-o", "shared_buffers=256MB", "-o", "fsync=off"]
        command += [sys.executable, "-m", module, *argv, "--in-cluster", "--result-file", str(result)]
        completed = subprocess.run(command, cwd=ROOT, stdout=sys.stderr, check=False)  # noqa: S603 - our own module
        if completed.returncode != 0 or not result.exists():
            print(f"the benchmark failed (exit {completed.returncode})", file=sys.stderr)
            return completed.returncode or 1
        figures = json.loads(result.read_text())
    print(json.dumps(figures, ensure_ascii=False, indent=None if as_json else 2))
    return 0 if figures["target_met"] else 1


def database_url(name: str) -> str:
    user, password = os.environ["PGUSER"], os.environ.get("PGPASSWORD", "")
    host, port = os.environ.get("PGHOST", "localhost"), os.environ.get("PGPORT", "5432")
    return f"postgres://{user}:{password}@{host}:{port}/{name}"


def prepare_database(name: str) -> None:
    """A fresh database ``name`` in the cluster, Django set up on it and migrated."""
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as server:
        server.execute(f"DROP DATABASE IF EXISTS {name}")
        server.execute(f"CREATE DATABASE {name}")
    os.environ.update({"DATABASE_URL": database_url(name), "DJANGO_SETTINGS_MODULE": "config.settings.local", "PYTHONPATH": str(ROOT)})
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # As in production: the development settings' query log would format every bulk statement.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def main(module: str, database: str, arguments: Any, argv: Sequence[str], run_benchmark: Callable[..., dict[str, Any]]) -> int:
    """The entry point the PostgreSQL benchmarks share. ``--here``: run on the database Django is configured with and
    print the JSON. Otherwise run ``module`` again inside a throwaway cluster (``run_in_throwaway_cluster``), where
    ``--in-cluster`` makes a fresh, migrated ``database`` and leaves the JSON in ``--result-file``. Exit 0 when the
    benchmark met its target."""
    if arguments.here:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        import django

        django.setup()
        figures = run_benchmark(arguments, database="the configured database")
        print(json.dumps(figures, ensure_ascii=False, indent=None if arguments.json else 2))
        return 0 if figures["target_met"] else 1
    if not arguments.in_cluster:
        return run_in_throwaway_cluster(module, argv, as_json=arguments.json)
    prepare_database(database)
    figures = run_benchmark(arguments, database="PostgreSQL (pg_virtualenv -t)")
    Path(arguments.result_file).write_text(json.dumps(figures))
    return 0
