"""Benchmark of the one-stop system's push API: N dossiers pushed over HTTP in batches of 1,000, then pushed again.

    uv run python -m bench.push --dossiers 20000 --seed 7 --json

One command. It
1. creates a throwaway PostgreSQL cluster with Debian's ``pg_virtualenv -t`` and re-runs itself inside it (``--here``
   instead uses the database Django is configured with: the tests run it tiny that way);
2. migrates a database and seeds the city of ``bench/dossiers.py`` (agencies, units, desks, staff, published rosters,
   work items carrying a dossier code), and issues each agency a push-only token (``TokenScope.DOSSIER_PUSH``) as Home
   Affairs would;
3. turns that benchmark's deterministic one-stop exports into the push API's JSON (``DossierIn``: ISO date-times with
   the city's offset, the export's words as the API's choices, the apology letter as an object), in batches of
   ``--batch`` dossiers (at most the API's 1,000);
4. POSTs every batch to ``/api/dossiers/push`` with its agency's token through Django's test client — the whole
   request path: middleware, bearer authentication and the issuer's right, the schema, the import's reading and
   writes, the audit row — then POSTs them all again unchanged;
5. prints JSON: ``dossiers``, ``batches``, ``first_push_seconds``, ``repush_seconds``, ``rows_per_second`` (of the
   first push), ``duplicates`` (codes held more than once: 0), ``unchanged_on_repush`` (every dossier), the answers'
   counts, and whether the target is met (every dossier created once, nothing refused, nothing written again).
   The request bodies are serialised before the clock starts: the times are the server's.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import resource
import sys
import time
from collections.abc import Sequence
from typing import Any

from bench import cluster
from bench import dossiers as bench_dossiers

DATABASE = "telework_bench_push"
PUSH_PATH = "/api/dossiers/push"
MAX_BATCH = 1_000  # telework.dossiers.schemas.MAX_BATCH (imported once Django is set up)
CITY_OFFSET = dt.timezone(dt.timedelta(hours=7))  # Asia/Ho_Chi_Minh, no daylight saving
END_OF_OFFICE_DAY = dt.time(17, 0)


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.push", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", type=int, default=20_000, help="dossiers pushed (default 20000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generated dossiers (default 7)")
    parser.add_argument("--batch", type=int, default=MAX_BATCH, help=f"dossiers per request (default and at most {MAX_BATCH})")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--here", action="store_true", help="use the database Django is configured with (no throwaway cluster)")
    parser.add_argument("--in-cluster", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if not bench_dossiers.AGENCIES <= arguments.dossiers <= 1_000_000:
        parser.error(f"--dossiers is between {bench_dossiers.AGENCIES} and 1000000")
    if not 1 <= arguments.batch <= MAX_BATCH:
        parser.error(f"--batch is between 1 and {MAX_BATCH}")
    return arguments


def log(arguments: argparse.Namespace, message: str) -> None:
    if not arguments.json:
        print(message, file=sys.stderr)


# --- The exports as the push API's JSON -----------------------------------------------------------------------------


def _moment(text: str, default_time: dt.time | None = None) -> str | None:
    """An export's ``dd/mm/yyyy HH:MM`` (or ``dd/mm/yyyy`` at ``default_time``) as ISO 8601 with the city's offset."""
    if not text:
        return None
    if default_time is not None and " " not in text:
        moment = dt.datetime.combine(dt.datetime.strptime(text, "%d/%m/%Y").date(), default_time)  # noqa: DTZ007 - the city's offset is added below
    else:
        moment = dt.datetime.strptime(text, "%d/%m/%Y %H:%M")  # noqa: DTZ007 - the city's offset is added below
    return moment.replace(tzinfo=CITY_OFFSET).isoformat()


def dossier_items(content: bytes) -> list[dict[str, Any]]:
    """The rows of one agency's one-stop export (``bench.dossiers.generate_exports``) as the push API's ``DossierIn``."""
    from telework.dossiers import importing
    from telework.organization.importing.layout import normalize

    reader = csv.reader(io.StringIO(content.decode()))
    next(reader)  # the header
    items = []
    for cells in reader:
        (_number, code, procedure_code, procedure_name, legal_days, unit, desk, received, due, returned, level, channel, status, handlers) = cells[:14]
        apology_due, apology_at = cells[14:16]
        item: dict[str, Any] = {
            "code": code,
            "procedure_code": procedure_code,
            "procedure_name": procedure_name,
            "legal_working_days": int(legal_days),
            "unit": unit,
            "desk": desk,
            "received_at": _moment(received),
            "due_at": _moment(due, END_OF_OFFICE_DAY),
            "returned_at": _moment(returned),
            "online_level": importing.ONLINE_LEVEL_WORDS[normalize(level)],
            "channel": importing.CHANNEL_WORDS[normalize(channel)],
            "status": importing.STATUS_WORDS[normalize(status)],
            "handler_codes": [handler.strip() for handler in handlers.split(",") if handler.strip()],
            "apology": {"issued_at": _moment(apology_at), "new_due_at": _moment(apology_due, END_OF_OFFICE_DAY)} if apology_due else None,
        }
        items.append(item)
    return items


def batches(exports: bench_dossiers.Exports, size: int) -> list[tuple[str, bytes]]:
    """(agency code, JSON body) of every request, agency after agency, serialised once for both pushes."""
    bodies = []
    for agency_code, content in exports.dossiers.items():
        items = dossier_items(content)
        for start in range(0, len(items), size):
            bodies.append((agency_code, json.dumps({"dossiers": items[start : start + size]}, ensure_ascii=False).encode()))
    return bodies


# --- The run ----------------------------------------------------------------------------------------------------------


def issue_tokens(agency_codes: Sequence[str]) -> dict[str, str]:
    """A push-only token per agency, issued by the seeded Home Affairs user: agency code → clear-text key."""
    from telework.accounts.models import ApiToken, TokenScope, User
    from telework.organization.models import Agency

    issuer = User.objects.get(username="motcua-bench")
    keys = {}
    for agency in Agency.objects.filter(code__in=list(agency_codes)):
        _token, keys[agency.code] = ApiToken.issue(user=issuer, name=f"Một cửa {agency.code} (bench)", scope=TokenScope.DOSSIER_PUSH, agency_id=agency.pk)
    return keys


def push_all(bodies: list[tuple[str, bytes]], keys: dict[str, str]) -> dict[str, Any]:
    """POST every body with its agency's token; the summed answers and the seconds. A refused request stops the run."""
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="localhost")
    # The benchmark measures the import, not the API's rate limits (every batch of the city comes from one token per
    # agency and one address, faster than a one-stop system sends them).
    no_limits = override_settings(API_THROTTLE_RATES={"token": None, "address": None})
    no_limits.enable()
    totals: dict[str, Any] = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0, "warnings": 0}
    started = time.perf_counter()
    for agency_code, body in bodies:
        response = client.post(PUSH_PATH, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {keys[agency_code]}")
        if response.status_code != 200:
            raise RuntimeError(f"the push of {agency_code} answered {response.status_code}: {response.content[:500]!r}")
        answer = response.json()
        for key in ("created", "updated", "unchanged", "refused"):
            totals[key] += answer[key]
        totals["warnings"] += sum(1 for row in answer["rows"] if row["problems"])
    totals["seconds"] = time.perf_counter() - started
    no_limits.disable()
    return totals


def run_benchmark(arguments: argparse.Namespace, *, database: str) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count

    from telework.dossiers.models import Dossier, DossierSource
    from telework.dossiers.schemas import MAX_BATCH as API_MAX_BATCH

    assert arguments.batch <= API_MAX_BATCH  # noqa: S101 - MAX_BATCH above mirrors the schema's bound
    plans = bench_dossiers.city_plan()
    clock = time.perf_counter()
    exports = bench_dossiers.generate_exports(arguments.dossiers, arguments.seed, plans)
    bodies = batches(exports, arguments.batch)
    generate_seconds = time.perf_counter() - clock
    bench_dossiers.seed_city(plans, exports)
    keys = issue_tokens([plan.code for plan in plans])
    log(arguments, f"generated {exports.dossier_count} dossiers in {len(bodies)} batches in {generate_seconds:.1f} s")
    first = push_all(bodies, keys)
    log(arguments, f"first push in {first['seconds']:.1f} s")
    again = push_all(bodies, keys)
    log(arguments, f"re-push in {again['seconds']:.1f} s")
    dossiers = Dossier.objects.count()
    duplicates = Dossier.objects.values("code").annotate(copies=Count("id")).filter(copies__gt=1).count()
    return {
        "benchmark": "push",
        "database": database,
        "vendor": connection.vendor,
        "seed": arguments.seed,
        "dossiers": dossiers,
        "batches": len(bodies),
        "batch_size": arguments.batch,
        "request_bytes": sum(len(body) for _code, body in bodies),
        "generate_seconds": round(generate_seconds, 3),
        "first_push_seconds": round(first["seconds"], 3),
        "repush_seconds": round(again["seconds"], 3),
        "rows_per_second": round(exports.dossier_count / first["seconds"], 1) if first["seconds"] else None,
        "repush_rows_per_second": round(exports.dossier_count / again["seconds"], 1) if again["seconds"] else None,
        "first_push": {key: value for key, value in first.items() if key != "seconds"},
        "repush": {key: value for key, value in again.items() if key != "seconds"},
        "duplicates": duplicates,
        "unchanged_on_repush": again["unchanged"],
        "pushed_source": Dossier.objects.filter(source=DossierSource.API).count(),
        "dossiers_with_desk_staff": Dossier.objects.filter(desk_staff__isnull=False).distinct().count(),
        "linked_work_items": Dossier.objects.filter(work_item__isnull=False).count(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "target_met": (
            dossiers == exports.dossier_count == first["created"]
            and duplicates == 0
            and first["refused"] == again["refused"] == 0
            and again["unchanged"] == exports.dossier_count
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    arguments = parse_arguments(argv)
    return cluster.main("bench.push", DATABASE, arguments, argv, run_benchmark)


if __name__ == "__main__":
    raise SystemExit(main())
