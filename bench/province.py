"""Benchmark of one province: seed it on PostgreSQL, run its week of rosters on 1 and 2 Celery workers, a quarter's
evaluation, the dashboards and (outside the cluster) the morning check-in peak; extrapolate to the nation.

    uv run python -m bench.province --staff 200000 --seed 7 --json [--roster-staff 40000] [--checkin-staff 40000]
    uv run python -m bench.province --staff 200000 --roster-staff 20000 --stages "" --json   # seed and rosters only

One command. It
1. creates a throwaway PostgreSQL cluster (``bench.cluster.run_in_throwaway_cluster``) and a loopback
   ``redis-server``, and re-runs itself inside the cluster with ``CELERY_BROKER_URL`` set;
2. seeds the province (timed): the units of ``bench.instances.generate_city`` (sizes drawn log-normally around 15,
   3–200; leaders, approved home-day patterns, leave, one-stop desks and duty posts with their qualified staff,
   team days, in the roster benchmark's eight families) grouped into about one agency per 2,000 staff (a long tail:
   a fifth departments, the rest ward and commune People's Committees), written through the ORM in bulk: staff (the
   eligible ones with the equipment the policy asks) and, for the agencies the roster runs cover, approved weekly
   registrations and their counted home days, leave, desks, team days; the HCMC preset city-wide and a pilot over
   every agency whose first phase is designed and launched over at most 5,000 units (``launch_pilot``); then, with
   the ``history`` stage, ``--weeks`` weeks of history ending this week (``bench.panel.generate``: published
   rosters, check-ins, work items, dossiers, ratings, pulse answers);
3. measures the database: ``pg_database_size``, the biggest tables (bytes, rows, bytes per row) and the bytes each
   staff member adds per week of use;
4. generates next week's rosters through the real fan-out (``rosters_generate_many`` with a broker: a ``RosterRun``
   and ``rosters.generate_units`` tasks of ~50 units) for the agencies holding ``--roster-staff`` staff (0: all),
   once with 1 Celery worker process (``--pool solo``) and once with 2: wall seconds, parallel efficiency
   t1 / (2 · t2), worker and PostgreSQL CPU seconds per 1,000 staff;
5. runs a quarter's evaluation for the whole province (``evaluations.services``: run, the heads' scores written
   untimed by ``bench.evaluation.score_generals``, run again, quotas), seconds and seconds per 1,000 staff;
6. rebuilds the outcome panel and times the assessment dashboard at province, agency and unit level
   (``bench.dashboard.request_mix`` / ``time_requests``): p50/p95 per level;
7. outside the cluster, runs ``python -m bench.checkin`` as it is (``--checkin-staff`` staff, its default
   concurrency) and reports its check-in / raw-INSERT ratio, or reads an earlier run's JSON (``--checkin-result``);
8. prints JSON with the load average at start and end and ``extrapolation``: the nation (2.1 M staff, 34 provinces)
   from the measured per-unit costs (``extrapolate``, pure and tested).

The machine is shared: every wall time comes with the load average beside it.
"""

# ruff: noqa: S608 - the SQL holds table names written here; values are parameters.
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import cluster

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "telework_bench_province"
STAFF_PER_AGENCY = 2_000
DEPARTMENT_SHARE = 0.2
ROSTER_RUN_TIMEOUT_SECONDS = 3_600
WORKER_START_TIMEOUT_SECONDS = 120
TOP_TABLES = 15
EQUIPMENT = ["computer", "internet", "phone", "printer"]
# Tables a week of use grows (written by ``bench.panel.generate``, one row per person, day, item or dossier).
WEEKLY_TABLES = (
    "rosters_roster",
    "rosters_rosterentry",
    "attendance_checkin",
    "assignments_workitem",
    "dossiers_dossier",
    "dossiers_apologyletter",
    "dossiers_rating",
    "core_auditevent",
)

# --- the nation (issue 15 point 7) ----------------------------------------------------------------------------------

NATION_STAFF = 2_100_000
NATION_PROVINCES = 34
# The morning peak: everyone checks in between 07:30 and 08:00; the busiest ten minutes before 08:00 carry
# PEAK_TEN_MINUTE_SHARE of them (an assumption stated in docs/scaling.md, not a measurement).
PEAK_WINDOW_SECONDS = 30 * 60
PEAK_TEN_MINUTE_SHARE = 0.5
CHECKIN_SHARE = 0.95  # present and checking in (the rest on leave, travelling, ill)
WEEKS_PER_YEAR = 52
QUARTERS_PER_YEAR = 4
ROSTER_DEADLINE_SECONDS = 15 * 60  # a week's rosters for a province within a quarter of an hour
HEADROOM = 2.0  # capacity planned at twice the measured need


@dataclass(frozen=True)
class PerUnitCosts:
    """What one province's measurement gives per staff member (the inputs of ``extrapolate``)."""

    roster_worker_cpu_seconds_per_1000_staff: float  # solve + load + save, in the workers, per week
    roster_database_cpu_seconds_per_1000_staff: float
    roster_parallel_efficiency: float
    evaluation_seconds_per_1000_staff: float  # one quarter, end to end, one process
    bytes_per_staff_week: float  # the tables a week of use grows, indexes included
    bytes_per_staff_quarter: float  # evaluations (one row per person and quarter)
    checkin_requests_per_second_per_core: float  # the measured check-in throughput over the machine's cores


def peak_checkins_per_second(staff: int, *, share: float = CHECKIN_SHARE, ten_minute_share: float = PEAK_TEN_MINUTE_SHARE) -> dict[str, float]:
    """The morning peak of ``staff``: the 07:30–08:00 average and the busiest ten minutes, in check-ins per second."""
    checking_in = staff * share
    return {
        "average_per_second": round(checking_in / PEAK_WINDOW_SECONDS, 1),
        "busiest_ten_minutes_per_second": round(checking_in * ten_minute_share / 600, 1),
    }


def extrapolate(costs: PerUnitCosts, *, staff: int = NATION_STAFF, provinces: int = NATION_PROVINCES, largest_province_staff: int = 200_000) -> dict[str, Any]:
    """The nation from one province's per-staff costs: weekly roster CPU, database growth a year, the check-in
    peak, and the cores each tier needs (``HEADROOM`` times the measured need). Pure arithmetic, tested."""
    average = staff / provinces
    roster_cpu_seconds = costs.roster_worker_cpu_seconds_per_1000_staff * staff / 1000
    roster_database_cpu_seconds = costs.roster_database_cpu_seconds_per_1000_staff * staff / 1000
    bytes_year_per_staff = costs.bytes_per_staff_week * WEEKS_PER_YEAR + costs.bytes_per_staff_quarter * QUARTERS_PER_YEAR
    nation_peak = peak_checkins_per_second(staff)
    largest_peak = peak_checkins_per_second(largest_province_staff)
    average_peak = peak_checkins_per_second(round(average))

    def roster_cores(province_staff: float) -> int:
        seconds = costs.roster_worker_cpu_seconds_per_1000_staff * province_staff / 1000
        return max(1, math.ceil(HEADROOM * seconds / ROSTER_DEADLINE_SECONDS / max(costs.roster_parallel_efficiency, 0.1)))

    def checkin_cores(rate: float) -> int:
        return max(1, math.ceil(HEADROOM * rate / costs.checkin_requests_per_second_per_core))

    return {
        "staff": staff,
        "provinces": provinces,
        "average_province_staff": round(average),
        "largest_province_staff": largest_province_staff,
        "weekly_rosters": {
            "worker_cpu_hours": round(roster_cpu_seconds / 3600, 2),
            "database_cpu_hours": round(roster_database_cpu_seconds / 3600, 2),
            "worker_cores_for_15_minutes_average_province": roster_cores(average),
            "worker_cores_for_15_minutes_largest_province": roster_cores(largest_province_staff),
        },
        "quarterly_evaluation": {
            "nation_process_hours": round(costs.evaluation_seconds_per_1000_staff * staff / 1000 / 3600, 2),
            "largest_province_minutes": round(costs.evaluation_seconds_per_1000_staff * largest_province_staff / 1000 / 60, 1),
        },
        "database_bytes_per_year": {
            "per_staff": round(bytes_year_per_staff),
            "average_province_gb": round(bytes_year_per_staff * average / 1e9, 1),
            "largest_province_gb": round(bytes_year_per_staff * largest_province_staff / 1e9, 1),
            "nation_gb": round(bytes_year_per_staff * staff / 1e9, 1),
        },
        "checkin_peak": {
            "nation": nation_peak,
            "average_province": average_peak,
            "largest_province": largest_peak,
            "app_cores_average_province": checkin_cores(average_peak["busiest_ten_minutes_per_second"]),
            "app_cores_largest_province": checkin_cores(largest_peak["busiest_ten_minutes_per_second"]),
            "app_cores_nation": checkin_cores(nation_peak["busiest_ten_minutes_per_second"]),
        },
    }


# --- arguments ------------------------------------------------------------------------------------------------------


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.province", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=200_000, help="staff of the province (default 200000)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated province (default 7)")
    parser.add_argument("--weeks", type=int, default=2, help="weeks of history ending this week (default 2)")
    parser.add_argument("--roster-staff", type=int, default=40_000, help="staff whose units the roster runs cover, whole agencies (0: all; default 40000)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of the dashboard requests (default 3)")
    parser.add_argument("--checkin-staff", type=int, default=40_000, help="staff of the bench.checkin run (0: skip; default 40000)")
    parser.add_argument("--checkin-result", help="read this bench.checkin JSON (an earlier run) instead of running it")
    parser.add_argument(
        "--stages",
        default="history,evaluation,dashboards",
        help="what runs besides the seed and the rosters: history, evaluation, dashboards (comma-separated; evaluation and dashboards need history)",
    )
    parser.add_argument("--reference-result", help="a bench.province JSON (a smaller province) whose figures stand in for the stages skipped here")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--in-cluster", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if not 1_000 <= arguments.staff <= 500_000 or not 1 <= arguments.weeks <= 13 or not 1 <= arguments.rounds <= 20:
        parser.error("--staff must be 1000–500000, --weeks 1–13 and --rounds 1–20")
    if not 0 <= arguments.roster_staff <= arguments.staff:
        parser.error("--roster-staff must be 0–--staff")
    arguments.stage_set = {stage.strip() for stage in arguments.stages.split(",") if stage.strip()}
    if not arguments.stage_set <= {"history", "evaluation", "dashboards"} or ("history" not in arguments.stage_set and arguments.stage_set):
        parser.error("--stages: history, evaluation, dashboards; evaluation and dashboards need history")
    return arguments


def log(arguments: argparse.Namespace, message: str) -> None:
    if not arguments.json:
        print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", file=sys.stderr, flush=True)


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


# --- the Celery workers (their broker: telework.core.tests.servers.redis_server) ------------------------------------


@contextlib.contextmanager
def celery_workers(count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``count`` Celery worker nodes (one process each, ``--pool solo``: one per "worker host"), ready when yielded,
    stopped (SIGTERM, then SIGKILL) on exit."""
    from config.celery import app

    workers = [
        subprocess.Popen(  # noqa: S603 - our own command
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--concurrency",
                "1",
                "--prefetch-multiplier",
                "1",
                "-n",
                f"province{number}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ},
            start_new_session=True,
        )
        for number in range(1, count + 1)
    ]
    try:
        deadline = time.monotonic() + WORKER_START_TIMEOUT_SECONDS
        while len(app.control.ping(timeout=1.0) or []) < count:
            if any(worker.poll() is not None for worker in workers) or time.monotonic() > deadline:
                raise RuntimeError("the Celery workers did not start")
        yield workers
    finally:
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()


# --- seeding --------------------------------------------------------------------------------------------------------


@dataclass
class Province:
    home_affairs: Any
    next_monday: dt.date
    first_monday: dt.date
    today: dt.date
    agencies: int
    units: int
    staff: int
    staff_by_agency: dict[int, int]


def agency_plan(unit_sizes: Sequence[int], staff: int, rng: random.Random) -> list[int]:
    """The agency index of each unit: about one agency per ``STAFF_PER_AGENCY`` staff, sizes drawn with a long tail
    (a few big departments, many ward committees of a few hundred to a few thousand), units taken in order."""
    count = max(2, round(staff / STAFF_PER_AGENCY))
    weights = [rng.paretovariate(1.5) for _ in range(count)]
    targets = [staff * weight / sum(weights) for weight in weights]
    plan: list[int] = []
    agency = 0
    filled = 0
    for size in unit_sizes:
        if filled >= targets[agency] and agency < count - 1:
            agency += 1
            filled = 0
        plan.append(agency)
        filled += size
    return plan


def seed_province(arguments: argparse.Namespace) -> Province:
    """The organisation, the policy and pilot, the roster facts of next week (from ``bench.instances``), and the
    history (``bench.panel.generate``)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from bench import panel as bench_panel
    from bench.instances import generate_city
    from telework.accounts.models import Role, User
    from telework.core import clock
    from telework.dossiers.models import Procedure
    from telework.organization.models import Agency, AgencyKind, Position, ServicePoint, Staff, StaffType, Unit
    from telework.policy.services import policy_apply_preset, switches_ensure
    from telework.registrations.models import Registration, RegistrationMode, RegistrationStatus
    from telework.rosters.models import Leave, LeaveKind, UnitEvent

    rng = random.Random(f"province:{arguments.seed}")
    today = clock.today()
    this_monday = today - dt.timedelta(days=today.weekday())
    next_monday = this_monday + dt.timedelta(weeks=1)
    first_monday = this_monday - dt.timedelta(weeks=arguments.weeks - 1)
    step = time.perf_counter()
    generated = generate_city(arguments.staff, arguments.seed, weeks=1)
    log(arguments, f"generated {len(generated)} units in {time.perf_counter() - step:.1f} s")
    plan = agency_plan([unit.instance.staff_count for unit in generated], arguments.staff, rng)
    agency_count = max(plan) + 1
    # The roster facts (registrations, leave, desks, team days) of the agencies the roster runs cover, taken in order.
    staff_per_agency = [0] * agency_count
    for agency_index, item in zip(plan, generated, strict=True):
        staff_per_agency[agency_index] += item.instance.staff_count
    covered_agencies: set[int] = set()
    covered = 0
    for agency_index in range(agency_count):
        if arguments.roster_staff and covered >= arguments.roster_staff:
            break
        covered_agencies.add(agency_index)
        covered += staff_per_agency[agency_index]
    departments = max(1, round(agency_count * DEPARTMENT_SHARE))
    agencies = Agency.objects.bulk_create(
        Agency(
            code=f"PA{index:03d}",
            name=f"Sở thử {index}" if index < departments else f"UBND phường, xã thử {index}",
            kind=AgencyKind.DEPARTMENT if index < departments else AgencyKind.WARD_COMMITTEE,
        )
        for index in range(agency_count)
    )
    positions = Position.objects.bulk_create(Position(agency=agency, code="CV", name="Chuyên viên") for agency in agencies)
    units = Unit.objects.bulk_create(
        (Unit(agency=agencies[plan[index]], code=f"PU{index:05d}", name=f"Phòng {index}", path=f"{index:05d}/") for index in range(len(generated))),
        batch_size=2000,
    )
    position_of = {position.agency_id: position for position in positions}
    staff_rows: list[Staff] = []
    for unit, item in zip(units, generated, strict=True):
        for person in item.instance.people:
            staff_rows.append(
                Staff(
                    code=f"PS{person.id:06d}",
                    full_name=person.name,
                    staff_type=StaffType.CONG_CHUC if rng.random() < 0.8 else StaffType.VIEN_CHUC,
                    unit=unit,
                    position=position_of[unit.agency_id],
                    is_leader=person.is_leader,
                    equipment=EQUIPMENT if person.is_eligible else [],
                )
            )
    staff_rows = Staff.objects.bulk_create(staff_rows, batch_size=5000)
    staff_of = {int(row.code[2:]): row for row in staff_rows}
    log(arguments, f"organisation written ({time.perf_counter() - step:.1f} s since the start of the seed)")

    home_affairs = User.objects.create(username="bench-home-affairs", role=Role.HOME_AFFAIRS, password=make_password(None))
    for username, role in (("bench-leadership", Role.CITY_LEADERSHIP), ("bench-agency-head", Role.AGENCY_HEAD), ("bench-unit-head", Role.UNIT_HEAD)):
        User.objects.create(username=username, role=role, password=make_password(None))
    Procedure.objects.bulk_create(Procedure(code=f"PP{index:03d}", name=f"Thủ tục {index}", legal_working_days=1 + index % 15) for index in range(60))
    policy_apply_preset(actor=home_affairs, preset="hcmc_pilot", effective_from=first_monday, note="Bench province")
    switches_ensure()

    # Next week's facts, mapped weekday for weekday from the generated horizon.
    def shifted(day: dt.date) -> dt.date:
        return next_monday + dt.timedelta(days=day.weekday())

    now = clock.now()
    registrations: list[Registration] = []
    leaves: list[Leave] = []
    events: list[UnitEvent] = []
    points: list[tuple[ServicePoint, frozenset[int]]] = []
    for index, (unit, item) in enumerate(zip(units, generated, strict=True)):
        if plan[index] not in covered_agencies:
            continue
        instance = item.instance
        for person in instance.people:
            member = staff_of[person.id]
            weekdays = sorted({day.weekday() for day in person.approved_home_days})
            if person.is_eligible and weekdays:
                registrations.append(
                    Registration(
                        staff=member,
                        unit=unit,
                        starts_on=first_monday,
                        ends_on=next_monday + dt.timedelta(days=4),
                        mode=RegistrationMode.WEEKLY,
                        weekdays=weekdays,
                        status=RegistrationStatus.APPROVED,
                        equipment_attested=EQUIPMENT,
                        commitment_accepted=True,
                        submitted_at=now,
                        approved_at=now,
                    )
                )
            leaves.extend(
                Leave(staff=member, starts_on=shifted(day), ends_on=shifted(day), kind=LeaveKind.ANNUAL, recorded_by=home_affairs)
                for day in sorted(person.leave_days)
            )
        for fixed in instance.fixed_on_site:
            events.append(UnitEvent(unit=unit, day=shifted(fixed.day), title=fixed.label, is_for_everyone=True, created_by=home_affairs))
        for point in instance.service_points:
            points.append(
                (
                    ServicePoint(
                        unit=unit,
                        code=f"PD{point.id}",
                        name=point.name,
                        kind=point.kind,
                        required_on_site=point.required_on_site,
                        required_by_weekday=list(point.required_by_weekday),
                    ),
                    point.qualified_ids,
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=5000)
    with connection.cursor() as cursor:
        # Every working weekday of each approved pattern, from the history's first Monday to next Friday.
        cursor.execute(
            """INSERT INTO registrations_registrationday (registration_id, staff_id, unit_id, day, is_counted)
               SELECT r.id, r.staff_id, r.unit_id, CAST(d AS date), TRUE
               FROM registrations_registration r CROSS JOIN generate_series(r.starts_on, r.ends_on, interval '1 day') d
               WHERE r.weekdays @> to_jsonb(CAST(extract(isodow FROM d) AS int) - 1)"""
        )
    Leave.objects.bulk_create(leaves, batch_size=5000)
    UnitEvent.objects.bulk_create(events, batch_size=5000)
    created = ServicePoint.objects.bulk_create([point for point, _ in points], batch_size=2000)
    through = ServicePoint.qualified_staff.through
    through.objects.bulk_create(
        (
            through(servicepoint_id=point.pk, staff_id=staff_of[person_id].pk)
            for point, (_, qualified) in zip(created, points, strict=True)
            for person_id in qualified
        ),
        batch_size=5000,
    )
    log(arguments, f"roster facts written ({time.perf_counter() - step:.1f} s)")
    launch_pilot(first_monday, arguments.weeks, today, arguments.seed, home_affairs, agencies)
    log(arguments, f"pilot designed and launched ({time.perf_counter() - step:.1f} s)")
    if "history" in arguments.stage_set:
        bench_panel.generate(arguments.seed, first_monday, arguments.weeks, today)
        log(arguments, f"history of {arguments.weeks} weeks generated ({time.perf_counter() - step:.1f} s)")
    connection.cursor().execute("ANALYZE")
    staff_by_agency: dict[int, int] = defaultdict(int)
    for row in staff_rows:
        staff_by_agency[row.unit.agency_id] += 1
    return Province(
        home_affairs=home_affairs,
        next_monday=next_monday,
        first_monday=first_monday,
        today=today,
        agencies=agency_count,
        units=len(units),
        staff=len(staff_rows),
        staff_by_agency=dict(staff_by_agency),
    )


def launch_pilot(first_monday: dt.date, weeks: int, today: dt.date, seed: int, actor: Any, agencies: Sequence[Any]) -> Any:
    """``bench.dashboard.launch_pilot`` for a province: the pilot covers every agency (so everyone's home days are
    eligible), its first phase the first agencies up to the design's limit of candidate units
    (``assessment.design.MAX_CANDIDATES``, 5,000: a province of 10,000 units is designed phase by phase)."""
    from django.db.models import Count

    from bench.dashboard import PHASE_STARTS_AFTER_WEEKS
    from telework.assessment import services
    from telework.assessment.design import MAX_CANDIDATES
    from telework.assessment.models import DesignMethod
    from telework.organization.models import Agency
    from telework.policy.models import Pilot, PilotPhase, PilotStatus

    units_of = {row["pk"]: row["n"] for row in Agency.objects.annotate(n=Count("units")).values("pk", "n")}
    phase_agencies = []
    total = 0
    for agency in agencies:
        if total + units_of[agency.pk] > MAX_CANDIDATES:
            break
        phase_agencies.append(agency)
        total += units_of[agency.pk]
    pilot = Pilot.objects.create(code="BENCH", name="Thí điểm làm việc tại nhà", status=PilotStatus.PLANNED)
    pilot.agencies.set(agencies)
    phase = PilotPhase.objects.create(
        pilot=pilot,
        name="Giai đoạn 1",
        starts_on=first_monday + dt.timedelta(weeks=min(PHASE_STARTS_AFTER_WEEKS, weeks // 2)),
        ends_on=today + dt.timedelta(days=180),
    )
    phase.agencies.set(phase_agencies)
    inputs = services.DesignInputs(
        method=DesignMethod.RANDOMISED, seed=seed, primary_outcomes=("dossier_on_time_rate", "citizen_satisfied_share"), smallest_effect=0.03
    )
    services.design_record(actor=actor, phase=phase, inputs=inputs)
    return services.phase_launch(actor=actor, phase=phase)


# --- measurements ---------------------------------------------------------------------------------------------------


def table_sizes() -> dict[str, Any]:
    """The database's size and its biggest tables: bytes (indexes and TOAST included), rows, bytes per row."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        (database_bytes,) = cursor.fetchone()
        cursor.execute(
            """SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT %s""",
            [TOP_TABLES],
        )
        biggest = cursor.fetchall()
        tables: dict[str, dict[str, Any]] = {}
        for name, size in biggest:
            cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
            (rows,) = cursor.fetchone()
            tables[name] = {"bytes": int(size), "mb": round(size / 1e6, 1), "rows": int(rows), "bytes_per_row": round(size / rows) if rows else None}
    return {"database_bytes": int(database_bytes), "database_mb": round(database_bytes / 1e6, 1), "tables": tables}


def weekly_growth(staff: int, weeks: int) -> dict[str, Any]:
    """Bytes (indexes included) the tables of a week of use hold per staff member and week, from what
    ``bench.panel.generate`` wrote."""
    from django.db import connection

    per_table: dict[str, float] = {}
    with connection.cursor() as cursor:
        for table in WEEKLY_TABLES:
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            (size,) = cursor.fetchone()
            per_table[table] = round(size / staff / weeks, 1)
    return {"bytes_per_staff_week": round(sum(per_table.values()), 1), "by_table": per_table}


def roster_units(province: Province, roster_staff: int) -> tuple[list[Any], int]:
    """The units of whole agencies, in order, until they hold ``roster_staff`` staff (all when 0)."""
    from telework.organization.models import Unit

    chosen: list[int] = []
    covered = 0
    for agency_id in sorted(province.staff_by_agency):
        if roster_staff and covered >= roster_staff:
            break
        chosen.append(agency_id)
        covered += province.staff_by_agency[agency_id]
    return list(Unit.objects.filter(agency_id__in=chosen).order_by("pk")), covered


def roster_run(province: Province, units: list[Any], worker_count: int, arguments: argparse.Namespace) -> dict[str, Any]:
    """One week of rosters for ``units`` through the Celery fan-out on ``worker_count`` worker processes."""
    from bench.checkin import postmaster_pid, process_tree_cpu_seconds
    from config.celery import app
    from telework.rosters.models import RosterRun
    from telework.rosters.services import rosters_generate_many

    app.control.purge()  # anything an earlier step queued (the pilot's launch) is not this run's work
    load_before = load_average()
    with celery_workers(worker_count) as workers:
        worker_cpu = sum(process_tree_cpu_seconds(worker.pid) for worker in workers)
        database_cpu = process_tree_cpu_seconds(postmaster_pid())
        started = time.perf_counter()
        queued = rosters_generate_many(week_start=province.next_monday, actor=province.home_affairs, units=units, reason=f"bench {worker_count} worker(s)")
        run_id = queued["run"]
        deadline = time.monotonic() + ROSTER_RUN_TIMEOUT_SECONDS
        while True:
            run = RosterRun.objects.get(pk=run_id)
            if run.finished_at is not None or run.status == RosterRun.Status.FAILED or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        wall = time.perf_counter() - started
        worker_cpu = sum(process_tree_cpu_seconds(worker.pid) for worker in workers) - worker_cpu
        database_cpu = process_tree_cpu_seconds(postmaster_pid()) - database_cpu
    summary = run.summary or {}
    staff = int(summary.get("staff") or 0)
    log(arguments, f"rosters on {worker_count} worker(s): {run.units_done}/{run.units_total} units in {wall:.1f} s ({run.status})")
    return {
        "workers": worker_count,
        "status": run.status,
        "tasks": queued.get("tasks"),
        "units": run.units_total,
        "units_done": run.units_done,
        "staff": staff,
        "wall_seconds": round(wall, 2),
        "worker_cpu_seconds": round(worker_cpu, 2),
        "database_cpu_seconds": round(database_cpu, 2),
        "worker_cpu_seconds_per_1000_staff": round(worker_cpu / staff * 1000, 3) if staff else None,
        "database_cpu_seconds_per_1000_staff": round(database_cpu / staff * 1000, 3) if staff else None,
        "optimal_share": summary.get("optimal_share"),
        "hard_violations": summary.get("hard_violations"),
        "unavoidable": summary.get("unavoidable"),
        "seconds_in_tasks": summary.get("seconds"),
        "load_average_before": load_before,
        "load_average_after": load_average(),
    }


def evaluation_quarter(province: Province, arguments: argparse.Namespace) -> dict[str, Any]:
    """This quarter for the whole province through ``evaluations.services``, timed as ``bench.evaluation`` does."""
    from bench.evaluation import score_generals
    from telework.evaluations import services
    from telework.evaluations.models import PeriodKind

    rng = random.Random(arguments.seed)
    today = province.today
    period = services.period_create(actor=province.home_affairs, kind=PeriodKind.QUARTER, year=today.year, number=(today.month - 1) // 3 + 1, agency=None)
    first: dict[str, float] = {}
    clock_started = time.perf_counter()
    count = services.period_run(period=period, actor=province.home_affairs, timings=first)
    first_seconds = time.perf_counter() - clock_started
    score_generals(period, rng)
    second: dict[str, float] = {}
    clock_started = time.perf_counter()
    services.period_run(period=period, actor=province.home_affairs, timings=second)
    quota_started = time.perf_counter()
    drops = services.quota_enforce(period=period, actor=province.home_affairs)
    second["quota_seconds"] = time.perf_counter() - quota_started
    total = time.perf_counter() - clock_started
    log(arguments, f"evaluation: {count} people, first run {first_seconds:.1f} s, classification {total:.1f} s")
    return {
        "evaluations": count,
        "first_run_seconds": round(first_seconds, 2),
        "classification": {key: round(value, 2) for key, value in second.items()},
        "total_seconds": round(total, 2),
        "seconds_per_1000_staff": round(total / count * 1000, 3) if count else None,
        "quota_drops": drops,
    }


def dashboards(province: Province, arguments: argparse.Namespace) -> dict[str, Any]:
    """The outcome panel rebuilt, then the assessment dashboard's request mix at province, agency and unit level."""
    from django.db import connection

    from bench import dashboard
    from telework.outcomes import panel
    from telework.policy.models import PilotPhase

    rebuild = panel.rebuild()
    log(arguments, f"panel rebuild: {rebuild.refresh.rows} values in {rebuild.seconds:.1f} s")
    connection.cursor().execute("VACUUM (ANALYZE) outcomes_outcomevalue")
    town = dashboard.city()
    phase = PilotPhase.objects.get(pilot__code="BENCH")
    users = {"leadership": town.leadership, "agency_head": town.agency_head, "unit_head": town.unit_head}
    mix = dashboard.request_mix(town, phase.pk, province.first_monday, province.today)
    timed = dashboard.time_requests(argparse.Namespace(rounds=arguments.rounds, explain=False), mix, users)
    levels = {"province": "leadership", "agency": "agency_head", "unit": "unit_head"}
    by_level: dict[str, Any] = {}
    for level, who in levels.items():
        medians = [entry["median_ms"] for entry in timed["requests"].values() if entry["who"] == who and entry["group"] == "pages"]
        maxima = [entry["max_ms"] for entry in timed["requests"].values() if entry["who"] == who and entry["group"] == "pages"]
        by_level[level] = {
            "requests": len(medians),
            "median_of_medians_ms": round(sorted(medians)[len(medians) // 2], 1) if medians else None,
            "max_ms": round(max(maxima), 1) if maxima else None,
        }
    # time_requests keeps each request's median and maximum, not every sample: per level, the median of the
    # requests' medians and the largest maximum.
    return {
        "panel_rebuild_seconds": round(rebuild.seconds, 2),
        "panel_values": rebuild.refresh.rows,
        "pages": timed["pages"],
        "excel": timed["excel"],
        "linked": timed["linked"],
        "by_level": by_level,
        "requests": timed["requests"],
        "failed_requests": timed["failed_requests"],
        "missing_pages": timed["missing_pages"],
    }


def run_benchmark(arguments: argparse.Namespace) -> dict[str, Any]:
    load_before = load_average()
    started = time.perf_counter()
    cluster.prepare_database(DATABASE)
    from telework.core import clock

    started_at = clock.now().isoformat(timespec="seconds")
    migrate_seconds = time.perf_counter() - started
    log(arguments, f"migrated in {migrate_seconds:.1f} s")
    seed_started = time.perf_counter()
    province = seed_province(arguments)
    seed_seconds = time.perf_counter() - seed_started
    log(arguments, f"seeded {province.staff} staff, {province.units} units, {province.agencies} agencies in {seed_seconds:.1f} s")
    sizes_after_seed = table_sizes()
    growth = weekly_growth(province.staff, arguments.weeks) if "history" in arguments.stage_set else None
    units, covered = roster_units(province, arguments.roster_staff)
    log(arguments, f"rosters for {len(units)} units ({covered} staff)")
    one = roster_run(province, units, 1, arguments)
    two = roster_run(province, units, 2, arguments)
    efficiency = round(one["wall_seconds"] / (2 * two["wall_seconds"]), 3) if two["wall_seconds"] else None
    evaluation = evaluation_quarter(province, arguments) if "evaluation" in arguments.stage_set else None
    boards = dashboards(province, arguments) if "dashboards" in arguments.stage_set else None
    sizes_at_end = table_sizes()
    if growth is not None:
        evaluation_bytes = sizes_at_end["tables"].get("evaluations_evaluation", {}).get("bytes", 0)
        growth["evaluation_bytes_per_staff_quarter"] = round(evaluation_bytes / province.staff, 1)
    figures: dict[str, Any] = {
        "benchmark": "province (issue 15 point 7)",
        "database": "PostgreSQL (pg_virtualenv -t, shared_buffers=256MB, fsync=off)",
        "started_at": started_at,
        "cpus": os.cpu_count(),
        "seed": arguments.seed,
        "province": {"staff": province.staff, "units": province.units, "agencies": province.agencies, "history_weeks": arguments.weeks},
        "stages": sorted(arguments.stage_set),
        "migrate_seconds": round(migrate_seconds, 1),
        "seed_seconds": round(seed_seconds, 1),
        "database_after_seed": sizes_after_seed,
        "growth": growth,
        "rosters": {
            "week": province.next_monday.isoformat(),
            "fraction": {"staff": covered, "units": len(units), "share_of_province": round(covered / province.staff, 3)},
            "one_worker": one,
            "two_workers": two,
            "parallel_efficiency": efficiency,
        },
        "evaluation": evaluation,
        "dashboards": boards,
        "database_at_end": sizes_at_end,
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "wall_seconds": round(time.perf_counter() - started, 1),
    }
    figures["target_met"] = (
        one["status"] == "done"
        and two["status"] == "done"
        and (boards is None or (not boards["failed_requests"] and not boards["missing_pages"]))
        and (evaluation is None or evaluation["evaluations"] > 0)
    )
    return figures


# --- the outer process ----------------------------------------------------------------------------------------------


def checkin_figures(arguments: argparse.Namespace) -> dict[str, Any] | None:
    """``bench.checkin`` as it is (its own throwaway cluster, after the province's is gone), or an earlier run's JSON."""
    if arguments.checkin_result:
        figures = json.loads(Path(arguments.checkin_result).read_text())
        source = f"read from {arguments.checkin_result}"
    elif arguments.checkin_staff:
        command = [sys.executable, "-m", "bench.checkin", "--staff", str(arguments.checkin_staff), "--json"]
        completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603 - our own module
        if not completed.stdout.strip():
            return {"error": completed.stderr[-2000:]}
        figures = json.loads(completed.stdout.strip().splitlines()[-1])
        source = " ".join(["python", "-m", "bench.checkin", *command[3:]])
    else:
        return None
    return {
        "source": source,
        "staff": figures["staff"],
        "ratio_checkin_to_raw_insert": figures["ratios"]["checkin_to_raw_insert"],
        "rounds": figures["rounds"],
        "checkin_peak_rps": figures["checkin_peak"]["throughput_rps"],
        "raw_insert_rps": figures["raw_insert"]["throughput_rps"],
        "paced": {key: figures["checkin_paced"][key] for key in ("target_rps", "throughput_rps", "p95_ms", "p99_ms")},
        "targets": figures["targets"],
        "host_load_average": figures["setup"]["host_load_average"],
        "cpus": figures["setup"]["cpus"],
    }


def costs_from(figures: dict[str, Any], checkin: dict[str, Any] | None) -> PerUnitCosts:
    rosters = figures["rosters"]
    growth = figures.get("growth") or {}
    evaluation = figures.get("evaluation") or {}
    return PerUnitCosts(
        roster_worker_cpu_seconds_per_1000_staff=rosters["one_worker"]["worker_cpu_seconds_per_1000_staff"] or 0.0,
        roster_database_cpu_seconds_per_1000_staff=rosters["one_worker"]["database_cpu_seconds_per_1000_staff"] or 0.0,
        roster_parallel_efficiency=rosters["parallel_efficiency"] or 1.0,
        evaluation_seconds_per_1000_staff=evaluation.get("seconds_per_1000_staff") or 0.0,
        bytes_per_staff_week=growth.get("bytes_per_staff_week") or 0.0,
        bytes_per_staff_quarter=growth.get("evaluation_bytes_per_staff_quarter") or 0.0,
        checkin_requests_per_second_per_core=(checkin["checkin_peak_rps"] / checkin["cpus"]) if checkin and "checkin_peak_rps" in checkin else 100.0,
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    arguments = parse_arguments(argv)
    if arguments.in_cluster:
        from telework.core.tests.servers import redis_server

        with redis_server() as broker:
            # Before Django starts (cluster.prepare_database): the settings read the broker once.
            os.environ["CELERY_BROKER_URL"] = broker
            figures = run_benchmark(arguments)
        Path(arguments.result_file).write_text(json.dumps(figures))
        return 0
    inner = [item for item in argv if item != "--json"]  # the inner run logs its progress on stderr
    with tempfile.TemporaryDirectory(prefix="telework-province-") as directory:
        output = Path(directory) / "province.json"
        with output.open("w") as stream, contextlib.redirect_stdout(stream):
            status = cluster.run_in_throwaway_cluster("bench.province", inner, as_json=True)
        text = output.read_text().strip()
    if not text:
        return status or 1
    figures = json.loads(text.splitlines()[-1])
    if arguments.reference_result:
        reference = json.loads(Path(arguments.reference_result).read_text().strip().splitlines()[-1])
        figures["reference"] = {"source": arguments.reference_result, "province": reference["province"], "started_at": reference["started_at"]}
        for stage in ("growth", "evaluation", "dashboards"):
            if figures.get(stage) is None:
                figures[stage] = reference.get(stage)
                figures["reference"].setdefault("stages_taken", []).append(stage)
    checkin = checkin_figures(arguments)
    figures["checkin"] = checkin
    costs = costs_from(figures, checkin)
    figures["per_unit_costs"] = asdict(costs)
    figures["extrapolation"] = extrapolate(costs, largest_province_staff=figures["province"]["staff"])
    print(json.dumps(figures, ensure_ascii=False, indent=None if arguments.json else 2))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
