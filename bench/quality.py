"""Benchmark of the service-quality figures at city-month scale: the database path against the old Python path.

    uv run python -m bench.quality --dossiers 260000 --seed 7 --json

One command. It
1. creates a throwaway PostgreSQL cluster with Debian's ``pg_virtualenv -t`` and re-runs itself inside it (``--here``
   instead uses the database Django is configured with: the tests run it tiny that way);
2. seeds the city of ``bench/dossiers.py`` and imports, through the real services, its generator's one-stop exports
   and portal ratings — here all received on the working days of one month (June 2026; HCMC receives about 12,000
   dossiers a working day, about 260,000 a month);
3. times the city-month figures as Home Affairs sees them (``selectors.quality_rows(level=city, period=month)``),
   the same per desk, unit and agency, and the officers' Decree-61 rows — each the best of ``--repeat`` runs — then
   the old path (every dossier row pulled into Python and fed to ``quality.py``) once, and checks both give the
   same figures;
4. prints JSON: the counts, the seconds of each, ``speedup`` (Python ÷ SQL for the city-month, in the same run),
   ``same_figures`` and whether the target (the city-month figures in under 2 s, and the same figures) is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import resource
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench import cluster
from bench import dossiers as bench_dossiers

DATABASE = "telework_bench_quality"
TARGET_SECONDS = 2.0
MONTH_FIRST_MONDAY = dt.date(2026, 6, 1)  # June 2026: four full weeks, no public holiday
MONTH_WEEKS = 4
DAY_IN_MONTH = dt.date(2026, 6, 15)


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", type=int, default=260_000, help="dossiers received in the month (default 260000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generated exports (default 7)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each database figure; the best is kept (default 3)")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--here", action="store_true", help="use the database Django is configured with (no throwaway cluster)")
    parser.add_argument("--in-cluster", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.dossiers < bench_dossiers.AGENCIES:
        parser.error(f"--dossiers must be at least {bench_dossiers.AGENCIES}")
    if not 1 <= arguments.repeat <= 20:
        parser.error("--repeat is between 1 and 20")
    return arguments


def log(arguments: argparse.Namespace, message: str) -> None:
    if not arguments.json:
        print(message, file=sys.stderr)


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = math.inf, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def same_rows(computed: list[Any], reference: list[Any]) -> bool:
    if [(row.key, row.name) for row in computed] != [(row.key, row.name) for row in reference]:
        return False
    for ours, theirs in zip(computed, reference, strict=True):
        left, right = ours.figures, theirs.figures
        exact = (
            "received",
            "returned",
            "on_time",
            "overdue",
            "open_overdue",
            "apologies",
            "online",
            "rated",
            "level_counts",
            "indicator_sums",
            "indicator_answers",
        )
        if any(getattr(left, name) != getattr(right, name) for name in exact):
            return False
        if not math.isclose(left.handling_percent_total, right.handling_percent_total, rel_tol=1e-9, abs_tol=1e-6):
            return False
    return True


def run_benchmark(arguments: argparse.Namespace, *, database: str) -> dict[str, Any]:
    from django.db import connection

    from telework.accounts.models import User
    from telework.dossiers import selectors
    from telework.dossiers.models import Dossier, Rating

    # The import benchmark's city and generator, with every dossier received in one month.
    bench_dossiers.FIRST_MONDAY = MONTH_FIRST_MONDAY
    bench_dossiers.WEEKS = MONTH_WEEKS
    plans = bench_dossiers.city_plan()
    exports = bench_dossiers.generate_exports(arguments.dossiers, arguments.seed, plans)
    bench_dossiers.seed_city(plans, exports)
    log(arguments, f"generated {exports.dossier_count} dossiers and {exports.rating_count} ratings; importing")
    imported = bench_dossiers.import_all(exports)
    log(arguments, f"imported in {imported['seconds']:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics (VACUUM cannot run inside the tests' transaction)
    viewer = User.objects.get(username="motcua-bench")  # Home Affairs: sees the whole city

    def figures(level: str) -> Callable[[], Any]:
        return lambda: selectors.quality_rows(viewer, level=level, period=selectors.MONTH, day=DAY_IN_MONTH)

    sql_seconds: dict[str, float] = {}
    sql_rows: dict[str, Any] = {}
    for level in selectors.LEVELS:
        sql_seconds[level], sql_rows[level] = best_of(arguments.repeat, figures(level))
    sql_seconds["officers"], officers = best_of(arguments.repeat, lambda: selectors.officer_rows(viewer, period=selectors.MONTH, day=DAY_IN_MONTH))
    log(arguments, f"database: city-month {sql_seconds['city']:.3f} s, officers {sql_seconds['officers']:.3f} s")

    started = time.perf_counter()
    python_city = selectors.quality_rows_in_python(viewer, level=selectors.CITY, period=selectors.MONTH, day=DAY_IN_MONTH)
    python_city_seconds = time.perf_counter() - started
    started = time.perf_counter()
    python_officers = selectors.officer_rows_in_python(viewer, period=selectors.MONTH, day=DAY_IN_MONTH)
    python_officers_seconds = time.perf_counter() - started
    python_desks = selectors.quality_rows_in_python(viewer, level=selectors.DESK, period=selectors.MONTH, day=DAY_IN_MONTH)
    log(arguments, f"python: city-month {python_city_seconds:.3f} s, officers {python_officers_seconds:.3f} s")

    same = same_rows(sql_rows[selectors.CITY], python_city) and same_rows(sql_rows[selectors.DESK], python_desks) and officers == python_officers
    city = sql_rows[selectors.CITY][0].figures if sql_rows[selectors.CITY] else None
    return {
        "benchmark": "quality",
        "database": database,
        "vendor": connection.vendor,
        "seed": arguments.seed,
        "dossiers": Dossier.objects.count(),
        "ratings": Rating.objects.count(),
        "month_dossiers": city.received if city else 0,
        "import_seconds": round(imported["seconds"], 3),
        "repeat": arguments.repeat,
        "sql_seconds": {key: round(value, 4) for key, value in sql_seconds.items()},
        "sql_page_seconds": round(sql_seconds["city"] + sql_seconds["officers"], 4),
        "python_seconds": {"city": round(python_city_seconds, 4), "officers": round(python_officers_seconds, 4)},
        "python_page_seconds": round(python_city_seconds + python_officers_seconds, 4),
        "speedup": round(python_city_seconds / sql_seconds["city"], 1) if sql_seconds["city"] else None,
        "page_speedup": round((python_city_seconds + python_officers_seconds) / (sql_seconds["city"] + sql_seconds["officers"]), 1),
        "rows": {
            "desks": len(sql_rows[selectors.DESK]),
            "units": len(sql_rows[selectors.UNIT]),
            "agencies": len(sql_rows[selectors.AGENCY]),
            "officers": len(officers),
        },
        "city_figures": {
            "on_time_rate": round(city.on_time_rate, 4) if city and city.on_time_rate is not None else None,
            "response_rate": round(city.response_rate, 4) if city and city.response_rate is not None else None,
            "apologies": city.apologies if city else 0,
        },
        "same_figures": same,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "target_seconds": TARGET_SECONDS,
        "target_met": sql_seconds["city"] < TARGET_SECONDS and same,
    }


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    arguments = parse_arguments(argv)
    return cluster.main("bench.quality", DATABASE, arguments, argv, run_benchmark)


if __name__ == "__main__":
    raise SystemExit(main())
