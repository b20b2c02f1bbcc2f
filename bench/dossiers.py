"""Benchmark of the dossier register's import: N one-stop dossiers and their portal ratings, imported twice.

    uv run python -m bench.dossiers --dossiers 100000 --seed 7 --json

One command. It
1. creates a throwaway PostgreSQL cluster with Debian's ``pg_virtualenv -t`` and re-runs itself inside it (``--here``
   instead uses the database Django is configured with: the tests run it tiny that way);
2. migrates a database and seeds several agencies with units, one-stop desks, staff, published rosters naming who
   staffed each desk each day, and a few legal-deadline work items carrying a dossier code;
3. generates, deterministically from ``--seed``, each agency's one-stop export (the header and line writers are the
   demo's, ``telework.demo.dossiers``) (CSV, as the one-stop system writes
   it: Vietnamese headers, dd/mm/yyyy HH:MM) — procedures of 1–15 working days, about 70 % online, some late with an
   apology letter — and the portal's rating export for about 30 % of them;
4. imports every file through the real services (``dossiers_import`` then ``ratings_import``), then again;
5. prints JSON: the counts, ``first_import_seconds``, ``reimport_seconds``, ``duplicates`` (codes held more than
   once: 0), the peak memory, and whether the target (the first import under 60 s) is met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench import cluster

DATABASE = "telework_bench_dossiers"
TARGET_SECONDS = 60.0
AGENCIES = 6
UNITS_PER_AGENCY = 3
DESKS_PER_UNIT = 2
STAFF_PER_UNIT = 8
PROCEDURES = 60
# The dossiers are received on the working days of these weeks (in the past whatever day the benchmark runs).
FIRST_MONDAY = dt.date(2026, 7, 6)
WEEKS = 12
ONLINE_SHARE = 0.7
RATED_SHARE = 0.3
LATE_SHARE = 0.08
WORK_ITEM_SHARE = 0.02


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.dossiers", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dossiers", type=int, default=100_000, help="dossiers in the exports (default 100000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generated exports (default 7)")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--here", action="store_true", help="use the database Django is configured with (no throwaway cluster)")
    parser.add_argument("--in-cluster", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.dossiers < AGENCIES:
        parser.error(f"--dossiers must be at least {AGENCIES}")
    return arguments


def log(arguments: argparse.Namespace, message: str) -> None:
    if not arguments.json:
        print(message, file=sys.stderr)


# --- the city and its exports -------------------------------------------------------------------------------------


@dataclass
class AgencyPlan:
    code: str
    units: list[str]  # unit codes
    desks: dict[str, list[str]]  # unit code → desk codes
    staff: dict[str, list[str]]  # unit code → staff codes


@dataclass
class Exports:
    """Per agency code: the one-stop export and the portal's rating export, as bytes; the dossier codes that have a
    legal-deadline work item."""

    dossiers: dict[str, bytes] = field(default_factory=dict)
    ratings: dict[str, bytes] = field(default_factory=dict)
    dossier_count: int = 0
    rating_count: int = 0
    work_item_codes: list[tuple[str, str, str]] = field(default_factory=list)  # (dossier code, unit code, staff code)


def city_plan() -> list[AgencyPlan]:
    plans = []
    for agency in range(AGENCIES):
        units = [f"BD{agency:02d}U{unit}" for unit in range(UNITS_PER_AGENCY)]
        plans.append(
            AgencyPlan(
                code=f"BDA{agency:02d}",
                units=units,
                desks={unit: [f"{unit}Q{desk}" for desk in range(DESKS_PER_UNIT)] for unit in units},
                staff={unit: [f"{unit}C{person:02d}" for person in range(STAFF_PER_UNIT)] for unit in units},
            )
        )
    return plans


def working_days() -> list[dt.date]:
    from telework.core import calendar

    return calendar.working_days(FIRST_MONDAY, FIRST_MONDAY + dt.timedelta(weeks=WEEKS) - dt.timedelta(days=1))


def generate_exports(count: int, seed: int, plans: list[AgencyPlan]) -> Exports:
    """The one-stop exports of ``count`` dossiers spread over the agencies, and their portal ratings: the same bytes
    for the same ``count`` and ``seed``."""
    from telework.core import calendar
    from telework.demo.dossiers import DOSSIER_HEADER, RATING_HEADER, dossier_line, rating_line

    rng = random.Random(seed)  # noqa: S311 - generated test data
    days = working_days()
    procedures = [(f"1.00{number:04d}", f"Thủ tục hành chính số {number}", rng.randint(1, 15)) for number in range(PROCEDURES)]
    exports = Exports()
    for index, plan in enumerate(plans):
        share = count // len(plans) + (1 if index < count % len(plans) else 0)
        dossier_lines = [DOSSIER_HEADER]
        rating_lines = [RATING_HEADER]
        for number in range(share):
            unit = rng.choice(plan.units)
            desk = rng.choice(plan.desks[unit])
            procedure_code, procedure_name, legal_days = rng.choice(procedures)
            day = rng.choice(days)
            received = dt.datetime.combine(day, dt.time(7, 30)) + dt.timedelta(minutes=rng.randrange(0, 9 * 60))
            due_day = calendar.add_working_days(day, legal_days)
            online = rng.random() < ONLINE_SHARE
            level = rng.choice(("Toàn trình", "Một phần")) if online else "Trực tiếp"
            channel = "Trực tuyến" if online else rng.choice(("Trực tiếp", "Trực tiếp", "Bưu chính"))
            late = rng.random() < LATE_SHARE
            apology_due: dt.date | None = None
            apology_at: dt.datetime | None = None
            if late:
                returned_day = calendar.add_working_days(due_day, rng.randint(1, 4))
                if rng.random() < 0.5:
                    apology_due = calendar.add_working_days(due_day, 5)
                    apology_at = dt.datetime.combine(due_day - dt.timedelta(days=1), dt.time(16))
            else:
                returned_day = calendar.add_working_days(day, rng.randint(0, legal_days))
            returned = dt.datetime.combine(returned_day, dt.time(8)) + dt.timedelta(minutes=rng.randrange(0, 8 * 60))
            if returned <= received:
                returned = received + dt.timedelta(hours=1)
            handlers = rng.sample(plan.staff[unit], rng.choice((1, 1, 2)))
            code = f"{plan.code}.H29-{day:%y%m%d}-{number:06d}"
            dossier_lines.append(
                dossier_line(
                    number=number + 1,
                    code=code,
                    procedure=(procedure_code, procedure_name, legal_days),
                    unit=unit,
                    desk=desk,
                    received=received,
                    due_day=due_day,
                    returned=returned,
                    level=level,
                    channel=channel,
                    status="Đã trả kết quả",
                    handlers=handlers,
                    apology_due=apology_due,
                    apology_at=apology_at,
                )
            )
            if rng.random() < WORK_ITEM_SHARE:
                exports.work_item_codes.append((code, unit, handlers[0]))
            if rng.random() < RATED_SHARE:
                rating_lines.append(rating_line(rng, code, returned + dt.timedelta(hours=rng.randint(1, 48))))
                exports.rating_count += 1
        exports.dossiers[plan.code] = ("\n".join(dossier_lines) + "\n").encode()
        exports.ratings[plan.code] = ("\n".join(rating_lines) + "\n").encode()
        exports.dossier_count += share
    return exports


def seed_city(plans: list[AgencyPlan], exports: Exports) -> None:
    """Agencies, units, desks, staff, a published roster per unit-week naming each desk's staff, and the work items."""
    from telework.accounts.models import Role, User
    from telework.assignments.models import WorkItem, WorkStatus
    from telework.organization.models import Agency, AgencyKind, Position, ServicePoint, ServicePointKind, Staff, StaffType, Unit
    from telework.rosters.models import EntryStatus, Roster, RosterEntry, RosterStatus

    creator = User.objects.create_user(username="motcua-bench", password=None, role=Role.HOME_AFFAIRS)
    staff_ids: dict[str, int] = {}
    unit_ids: dict[str, int] = {}
    desk_ids: dict[str, int] = {}
    for plan in plans:
        agency = Agency.objects.create(code=plan.code, name=f"UBND phường {plan.code}", kind=AgencyKind.DEPARTMENT)
        position = Position.objects.create(agency=agency, code=f"{plan.code}P", name="Cán bộ một cửa")
        for unit_code in plan.units:
            unit = Unit.objects.create(agency=agency, code=unit_code, name=f"Bộ phận {unit_code}")
            unit.path = f"/{unit.pk}/"
            unit.save(update_fields=["path"])
            unit_ids[unit_code] = unit.pk
            for desk_code in plan.desks[unit_code]:
                desk_ids[desk_code] = ServicePoint.objects.create(unit=unit, code=desk_code, name=f"Quầy {desk_code}", kind=ServicePointKind.ONE_STOP_DESK).pk
            people = Staff.objects.bulk_create(
                Staff(code=code, full_name=f"Cán bộ {code}", staff_type=StaffType.CONG_CHUC, unit=unit, position=position) for code in plan.staff[unit_code]
            )
            staff_ids.update({person.code: person.pk for person in people})
    entries = []
    for plan in plans:
        for unit_code in plan.units:
            for week in range(WEEKS):
                monday = FIRST_MONDAY + dt.timedelta(weeks=week)
                roster = Roster.objects.create(
                    unit_id=unit_ids[unit_code],
                    week_start=monday,
                    iso_week="{}-W{:02d}".format(*monday.isocalendar()[:2]),
                    version=1,
                    status=RosterStatus.PUBLISHED,
                    days=[],
                )
                for day_number in range(5):
                    day = monday + dt.timedelta(days=day_number)
                    for desk_number, desk_code in enumerate(plan.desks[unit_code]):
                        person = plan.staff[unit_code][(week + day_number + desk_number) % STAFF_PER_UNIT]
                        entries.append(
                            RosterEntry(roster=roster, staff_id=staff_ids[person], day=day, status=EntryStatus.DESK, service_point_id=desk_ids[desk_code])
                        )
    RosterEntry.objects.bulk_create(entries, batch_size=5000)
    WorkItem.objects.bulk_create(
        (
            WorkItem(
                staff_id=staff_ids[staff_code.strip()],
                unit_id=unit_ids[unit_code],
                title="Giải quyết hồ sơ",
                estimated_hours=2,
                starts_on=FIRST_MONDAY,
                due_on=FIRST_MONDAY + dt.timedelta(weeks=WEEKS),
                status=WorkStatus.IN_PROGRESS,
                progress_percent=50,
                last_activity_on=FIRST_MONDAY,
                created_by=creator,
                dossier_code=code,
            )
            for code, unit_code, staff_code in exports.work_item_codes
        ),
        batch_size=5000,
    )


def import_all(exports: Exports) -> dict[str, Any]:
    """Every agency's one-stop export then its rating export, through the services; the summed counts and times."""
    from telework.dossiers.imports import dossiers_import, ratings_import
    from telework.organization.models import Agency

    agencies = {agency.code: agency for agency in Agency.objects.filter(code__in=list(exports.dossiers))}
    totals: dict[str, Any] = {"dossiers": {}, "ratings": {}}
    started = time.perf_counter()
    phases: dict[str, float] = {}
    for code, content in exports.dossiers.items():
        report = dossiers_import(actor=None, agency=agencies[code], file_name=f"{code}-hoso.csv", content=content, timings=phases)
        assert report.applied, [problem.text() for outcome in report.refused[:3] for problem in outcome.problems]  # noqa: S101
        for key, value in report.counts.items():
            totals["dossiers"][key] = totals["dossiers"].get(key, 0) + value
    totals["dossiers_seconds"] = time.perf_counter() - started
    totals["dossier_phases"] = {key: round(value, 3) for key, value in phases.items()}
    started = time.perf_counter()
    for code, content in exports.ratings.items():
        report = ratings_import(actor=None, agency=agencies[code], file_name=f"{code}-danhgia.csv", content=content)
        assert report.applied, [problem.text() for outcome in report.refused[:3] for problem in outcome.problems]  # noqa: S101
        for key, value in report.counts.items():
            totals["ratings"][key] = totals["ratings"].get(key, 0) + value
    totals["ratings_seconds"] = time.perf_counter() - started
    totals["seconds"] = totals["dossiers_seconds"] + totals["ratings_seconds"]
    return totals


def run_benchmark(arguments: argparse.Namespace, *, database: str) -> dict[str, Any]:
    from django.db import connection
    from django.db.models import Count

    from telework.dossiers.models import Dossier, Rating

    plans = city_plan()
    clock = time.perf_counter()
    exports = generate_exports(arguments.dossiers, arguments.seed, plans)
    generate_seconds = time.perf_counter() - clock
    seed_city(plans, exports)
    log(arguments, f"generated {exports.dossier_count} dossiers and {exports.rating_count} ratings in {generate_seconds:.1f} s")
    first = import_all(exports)
    log(arguments, f"first import in {first['seconds']:.1f} s")
    again = import_all(exports)
    log(arguments, f"re-import in {again['seconds']:.1f} s")
    duplicates = Dossier.objects.values("code").annotate(copies=Count("id")).filter(copies__gt=1).count()
    return {
        "benchmark": "dossiers",
        "database": database,
        "vendor": connection.vendor,
        "seed": arguments.seed,
        "dossiers": Dossier.objects.count(),
        "ratings": Rating.objects.count(),
        "export_bytes": sum(len(content) for content in exports.dossiers.values()) + sum(len(content) for content in exports.ratings.values()),
        "agencies": len(plans),
        "apology_letters": Dossier.objects.filter(apologies__isnull=False).count(),
        "linked_work_items": Dossier.objects.filter(work_item__isnull=False).count(),
        "dossiers_with_desk_staff": Dossier.objects.filter(desk_staff__isnull=False).distinct().count(),
        "generate_seconds": round(generate_seconds, 3),
        "first_import_seconds": round(first["seconds"], 3),
        "first_import": {
            "dossier_phases": first["dossier_phases"],
            "dossiers_seconds": round(first["dossiers_seconds"], 3),
            "ratings_seconds": round(first["ratings_seconds"], 3),
            "dossier_rows": first["dossiers"],
            "rating_rows": first["ratings"],
        },
        "reimport_seconds": round(again["seconds"], 3),
        "reimport": {
            "dossier_phases": again["dossier_phases"],
            "dossiers_seconds": round(again["dossiers_seconds"], 3),
            "ratings_seconds": round(again["ratings_seconds"], 3),
            "dossier_rows": again["dossiers"],
            "rating_rows": again["ratings"],
        },
        "reimport_writes": again["dossiers"]["created"] + again["dossiers"]["updated"] + again["ratings"]["created"] + again["ratings"]["updated"],
        "duplicates": duplicates,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "target_seconds": TARGET_SECONDS,
        "target_met": first["seconds"] < TARGET_SECONDS and duplicates == 0,
    }


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    arguments = parse_arguments(argv)
    return cluster.main("bench.dossiers", DATABASE, arguments, argv, run_benchmark)


if __name__ == "__main__":
    raise SystemExit(main())
