"""Benchmark of the outcome panel: a day's refresh and a full rebuild on a city-sized, half-year history.

    uv run python -m bench.panel --staff 20000 --weeks 26 --json

One command. It
1. creates a throwaway PostgreSQL cluster with Debian's ``pg_virtualenv -t`` and re-runs itself inside it (``--here``
   instead uses the PostgreSQL database Django is configured with);
2. migrates a database and seeds agencies of about 500 staff in units of 15 (the ORM, bulk), then generates inside
   PostgreSQL (``INSERT … SELECT`` over ``generate_series``, deterministic from ``--seed`` through ``hashint8extended``)
   ``--weeks`` weeks ending this week (each table written in the order production writes it — week by week, day by
   day — so that a week's rows lie together on disk as they do after a year of use) of: published rosters (one per unit and week, five days per person: about 25 %
   at home, 3 % on leave), check-ins against them, about five work items per person and week (most accepted, some
   late, some returned once, most rated), three dossiers per person and week in the units that receive dossiers
   (returned, some late with an apology letter, a third rated), and two pulse-survey waves;
3. times ``refresh(yesterday)`` (the nightly job), the refresh of a whole past week, and ``rebuild()``;
4. prints JSON: the source row counts, ``day_refresh_seconds``, ``week_refresh_seconds``, ``rebuild_seconds``,
   ``panel_rows``, and whether the targets (a day under 10 s, a rebuild under 2 min) are met.
"""

# ruff: noqa: S608 - the generating SQL holds table names and constants written here; the dates, sizes and seed are parameters.
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

from bench import cluster

DATABASE = "telework_bench_panel"
DAY_TARGET_SECONDS = 10.0
REBUILD_TARGET_SECONDS = 120.0
STAFF_PER_AGENCY = 500
STAFF_PER_UNIT = 15
WORK_ITEMS_PER_PERSON_WEEK = 5
DOSSIERS_PER_PERSON_WEEK = 3  # over all staff, received by a third of the units
DOSSIER_UNIT_EVERY = 3


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.panel", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=20_000, help="staff in the city (default 20000)")
    parser.add_argument("--weeks", type=int, default=26, help="weeks of history ending this week (default 26)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated records (default 7)")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--here", action="store_true", help="use the PostgreSQL database Django is configured with")
    parser.add_argument("--explain", action="store_true", help="print the plan of each statement of a day's refresh (stderr)")
    parser.add_argument("--in-cluster", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if not 100 <= arguments.staff <= 200_000 or not 2 <= arguments.weeks <= 104:
        parser.error("--staff must be 100–200000 and --weeks 2–104")
    return arguments


def log(arguments: argparse.Namespace, message: str) -> None:
    if not arguments.json:
        print(message, file=sys.stderr)


def seed_organisation(staff_count: int) -> None:
    from telework.accounts.models import User
    from telework.dossiers.models import Procedure
    from telework.organization.models import Agency, AgencyKind, Position, Staff, StaffType, Unit

    agencies = Agency.objects.bulk_create(
        Agency(code=f"BA{index:03d}", name=f"Sở thử {index}", kind=AgencyKind.DEPARTMENT) for index in range(max(1, staff_count // STAFF_PER_AGENCY))
    )
    positions = Position.objects.bulk_create(Position(agency=agency, code="CV", name="Chuyên viên") for agency in agencies)
    unit_count = max(1, staff_count // STAFF_PER_UNIT)
    units = Unit.objects.bulk_create(
        Unit(agency=agencies[index % len(agencies)], code=f"BU{index:05d}", name=f"Phòng {index}", path=f"{index:05d}/") for index in range(unit_count)
    )
    position_of = {position.agency_id: position for position in positions}
    Staff.objects.bulk_create(
        (
            Staff(
                code=f"BS{index:06d}",
                full_name=f"Cán bộ {index}",
                staff_type=StaffType.CONG_CHUC,
                unit=units[index % unit_count],
                position=position_of[units[index % unit_count].agency_id],
                # About 4 % leave during the half-year.
                ended_on=None,
            )
            for index in range(staff_count)
        ),
        batch_size=5000,
    )
    Procedure.objects.bulk_create(Procedure(code=f"BP{index:03d}", name=f"Thủ tục {index}", legal_working_days=1 + index % 15) for index in range(60))
    User.objects.create(username="bench-panel")


def generate(seed: int, first_monday: dt.date, weeks: int, today: dt.date) -> None:
    """The history, generated inside PostgreSQL. ``u(i, salt)`` is a deterministic uniform number in [0, 1)."""
    from django.db import connection

    zone = "Asia/Ho_Chi_Minh"
    statements = [
        f"""CREATE OR REPLACE FUNCTION pg_temp.u(i bigint, salt int) RETURNS double precision IMMUTABLE LANGUAGE sql
            AS $$ SELECT (hashint8extended(i * 64 + salt, {int(seed)}) & 1073741823) / 1073741824.0 $$""",
        """CREATE TEMP TABLE people AS SELECT (ROW_NUMBER() OVER (ORDER BY s.id) - 1) AS idx, s.id AS staff_id, s.unit_id,
            u.agency_id FROM organization_staff s JOIN organization_unit u ON u.id = s.unit_id""",
        "CREATE TEMP TABLE bench_weeks AS SELECT n AS idx, CAST(%(first)s AS date) + 7 * n AS monday FROM generate_series(0, %(weeks)s - 1) n",
        # Some people leave during the half-year (about 4 %).
        """UPDATE organization_staff s SET ended_on = CAST(%(first)s AS date) + CAST(floor(pg_temp.u(p.idx, 1) * 7 * %(weeks)s) AS int),
            is_active = FALSE FROM people p WHERE p.staff_id = s.id AND pg_temp.u(p.idx, 2) < 0.04""",
        # Rosters: one published version per unit and week; five days per person.
        """INSERT INTO rosters_roster (unit_id, week_start, iso_week, version, status, is_current, days, policy, certificate, explanation,
            input_hash, output_hash, reason, created_at, updated_at)
            SELECT u.id, w.monday, to_char(w.monday, 'IYYY-"W"IW'), 1, 'published', TRUE, '[]', '{}', '{}', '{}', '', '', '', now(), now()
            FROM organization_unit u CROSS JOIN bench_weeks w""",
        """INSERT INTO rosters_rosterentry (roster_id, staff_id, day, status, is_manual)
            SELECT r.id, p.staff_id, r.week_start + d,
              CASE WHEN pg_temp.u(p.idx * 1000 + w.idx * 7 + d, 3) < 0.03 THEN 'leave'
                   WHEN pg_temp.u(p.idx * 1000 + w.idx * 7 + d, 4) < 0.25 THEN 'home' ELSE 'office' END, FALSE
            FROM people p JOIN bench_weeks w ON TRUE JOIN rosters_roster r ON r.unit_id = p.unit_id AND r.week_start = w.monday
            CROSS JOIN generate_series(0, 4) d ORDER BY w.idx, r.id, p.staff_id, d""",
        # Check-ins: most rostered working days before today, at the rostered place but for a few.
        f"""INSERT INTO attendance_checkin (staff_id, unit_id, day, mode, checked_in_at, note, check_out_note, rostered, finding, is_mismatch,
            reachability)
            SELECT e.staff_id, r.unit_id, e.day,
              CASE WHEN pg_temp.u(e.id, 5) < 0.05 THEN (CASE WHEN e.status = 'home' THEN 'office' ELSE 'home' END)
                   ELSE (CASE WHEN e.status = 'home' THEN 'home' ELSE 'office' END) END,
              (e.day + time '07:45' + make_interval(mins => CAST(pg_temp.u(e.id, 6) * 60 AS int))) AT TIME ZONE '{zone}',
              '', '', e.status, 'matches', FALSE,
              CASE WHEN e.status = 'home' AND pg_temp.u(e.id, 7) < 0.8 THEN 'reachable' ELSE '' END
            FROM rosters_rosterentry e JOIN rosters_roster r ON r.id = e.roster_id
            WHERE e.status <> 'leave' AND e.day < %(today)s AND pg_temp.u(e.id, 8) < 0.95 ORDER BY e.day, e.staff_id""",
        # Work items: about five per person and week, accepted on a weekday of that week (most), some late.
        f"""INSERT INTO assignments_workitem (decision_comment, staff_id, unit_id, title, description, estimated_hours, starts_on, due_on,
            priority, is_legal_deadline, dossier_code, status, progress_percent, hours_spent, last_activity_on, created_by_id,
            quality_rating, rating_comment, accepted_at, created_at, updated_at, category)
            SELECT '', p.staff_id, p.unit_id, 'Nhiệm vụ', '', 8, w.monday - 3, w.monday + CAST(floor(pg_temp.u(k.i, 9) * 6) AS int), 'normal', FALSE, '',
              CASE WHEN pg_temp.u(k.i, 10) < 0.92 THEN 'accepted' ELSE 'in_progress' END, 100, 8, w.monday, (SELECT id FROM accounts_user LIMIT 1),
              CASE WHEN pg_temp.u(k.i, 10) < 0.92 AND pg_temp.u(k.i, 11) < 0.6 THEN 1 + CAST(floor(pg_temp.u(k.i, 12) * 5) AS int) END, '',
              CASE WHEN pg_temp.u(k.i, 10) < 0.92 THEN (w.monday + CAST(floor(pg_temp.u(k.i, 13) * 5) AS int) + time '09:00'
                + make_interval(hours => CAST(pg_temp.u(k.i, 14) * 8 AS int))) AT TIME ZONE '{zone}' END,
              now(), now(), 'general'
            FROM (SELECT p.idx * 2000 + w.idx * 10 + n AS i, p.idx AS person, w.idx AS week FROM people p CROSS JOIN bench_weeks w
                  CROSS JOIN generate_series(1, {WORK_ITEMS_PER_PERSON_WEEK}) n) k
            JOIN people p ON p.idx = k.person JOIN bench_weeks w ON w.idx = k.week
            WHERE w.monday <= %(today)s ORDER BY w.idx, k.i""",
        # About 5 % of the accepted items were returned once (the audit trail says so).
        # Written outside the hash chain (prev_hash and row_hash left empty): benchmark data, never verified.
        """INSERT INTO core_auditevent (occurred_at, actor_label, action, object_type, object_id, object_label, reason, prev_hash, row_hash)
            SELECT i.accepted_at - interval '1 day', 'bench', 'work_item.return', 'assignments.workitem', CAST(i.id AS varchar), 'Nhiệm vụ', '', '', ''
            FROM assignments_workitem i WHERE i.status = 'accepted' AND pg_temp.u(i.id, 15) < 0.05 ORDER BY i.accepted_at""",
        # Dossiers, received by every third unit.
        f"""INSERT INTO dossiers_dossier (code, procedure_id, agency_id, unit_id, received_at, legal_due_at, due_at, returned_at, online_level,
            channel, status, source, row_digest, created_at, updated_at)
            SELECT 'BD' || k.i, pr.id, u.agency_id, u.id, k.received, k.received + make_interval(days => pr.legal_working_days * 7 / 5, hours => 2),
              k.received + make_interval(days => pr.legal_working_days * 7 / 5, hours => 2),
              CASE WHEN pg_temp.u(k.i, 20) < 0.9 THEN k.received + make_interval(days => pr.legal_working_days * 7 / 5, hours => 2)
                * (CASE WHEN pg_temp.u(k.i, 21) < 0.92 THEN 0.1 + 0.85 * pg_temp.u(k.i, 22) ELSE 1.05 + 0.5 * pg_temp.u(k.i, 22) END) END,
              CASE WHEN pg_temp.u(k.i, 23) < 0.7 THEN 'fully_online' ELSE 'in_person' END,
              CASE WHEN pg_temp.u(k.i, 23) < 0.7 THEN 'online' ELSE 'desk' END,
              CASE WHEN pg_temp.u(k.i, 20) < 0.9 THEN 'returned' ELSE 'in_progress' END, 'import', '', now(), now()
            FROM (SELECT n AS i, (CAST(%(first)s AS date) + CAST(floor(pg_temp.u(n, 24) * 7 * %(weeks)s) AS int) + time '07:30'
                    + make_interval(mins => CAST(pg_temp.u(n, 25) * 540 AS int))) AT TIME ZONE '{zone}' AS received,
                    CAST(floor(pg_temp.u(n, 26) * (SELECT COUNT(*) FROM organization_unit) / {DOSSIER_UNIT_EVERY}) AS int) * {DOSSIER_UNIT_EVERY} AS unit_index,
                    1 + CAST(floor(pg_temp.u(n, 27) * 60) AS int) AS procedure_index
                  FROM generate_series(1, %(dossiers)s) n) k
            JOIN (SELECT id, agency_id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS idx FROM organization_unit) u ON u.idx = k.unit_index
            JOIN (SELECT id, legal_working_days, ROW_NUMBER() OVER (ORDER BY id) AS idx FROM dossiers_procedure) pr ON pr.idx = k.procedure_index
            ORDER BY k.received""",
        "UPDATE dossiers_dossier SET returned_at = NULL, status = 'in_progress' WHERE returned_at > now()",
        """INSERT INTO dossiers_apologyletter (dossier_id, issued_at, new_due_at, reason)
            SELECT d.id, d.legal_due_at - interval '4 hours', d.legal_due_at + interval '3 days', 'Chờ bổ sung'
            FROM dossiers_dossier d WHERE (d.returned_at IS NULL OR d.returned_at > d.legal_due_at) AND d.legal_due_at < now() AND pg_temp.u(d.id, 30) < 0.5""",
        """INSERT INTO dossiers_rating (dossier_id, source, level, scores, comment, submitted_at)
            SELECT d.id, 'portal', CASE WHEN pg_temp.u(d.id, 31) < 0.55 THEN 'satisfied' WHEN pg_temp.u(d.id, 31) < 0.9 THEN 'very_satisfied'
              ELSE 'not_satisfied' END, '[]', '', d.returned_at + interval '2 hours'
            FROM dossiers_dossier d WHERE d.returned_at IS NOT NULL AND d.returned_at + interval '2 hours' < now() AND pg_temp.u(d.id, 32) < 0.33
            ORDER BY d.returned_at""",
        # Two pulse waves; about 60 % answer.
        """INSERT INTO surveys_pulsewave (title, phase, opens_on, closes_on, created_at)
            SELECT 'Khảo sát ' || n, 'during', CAST(%(first)s AS date) + 7 * (n * %(weeks)s / 3) - 7, CAST(%(first)s AS date) + 7 * (n * %(weeks)s / 3) + 4, now()
            FROM generate_series(1, 2) n""",
        """INSERT INTO surveys_pulseresponse (id, wave_id, agency_id, unit_id, answers)
            SELECT gen_random_uuid(), v.id, p.agency_id, p.unit_id, jsonb_build_object(
              'who5_cheerful', CAST(floor(pg_temp.u(p.idx * 4 + v.id, 40) * 6) AS int), 'who5_calm', CAST(floor(pg_temp.u(p.idx * 4 + v.id, 41) * 6) AS int),
              'who5_active', CAST(floor(pg_temp.u(p.idx * 4 + v.id, 42) * 6) AS int), 'who5_rested', CAST(floor(pg_temp.u(p.idx * 4 + v.id, 43) * 6) AS int),
              'who5_interest', CAST(floor(pg_temp.u(p.idx * 4 + v.id, 44) * 6) AS int),
              'stress_time', 1 + CAST(floor(pg_temp.u(p.idx * 4 + v.id, 45) * 5) AS int), 'stress_load', 1 + CAST(floor(pg_temp.u(p.idx * 4 + v.id, 46) * 5) AS int),
              'stress_switch_off', 1 + CAST(floor(pg_temp.u(p.idx * 4 + v.id, 47) * 5) AS int), 'stress_tense', 1 + CAST(floor(pg_temp.u(p.idx * 4 + v.id, 48) * 5) AS int),
              'balance', 1 + CAST(floor(pg_temp.u(p.idx * 4 + v.id, 49) * 5) AS int), 'stay', 1 + CAST(floor(pg_temp.u(p.idx * 4 + v.id, 50) * 5) AS int))
            FROM people p CROSS JOIN surveys_pulsewave v WHERE pg_temp.u(p.idx * 4 + v.id, 51) < 0.6""",
        "ANALYZE",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM organization_staff")
        (staff_count,) = cursor.fetchone()
        parameters: dict[str, dt.date | int] = {
            "first": first_monday,
            "weeks": weeks,
            "today": today,
            "dossiers": staff_count * weeks * DOSSIERS_PER_PERSON_WEEK,
        }
        for statement in statements:
            cursor.execute(statement, parameters if "%(" in statement else None)


def source_counts() -> dict[str, int]:
    from django.db import connection

    tables = {
        "staff": "organization_staff",
        "units": "organization_unit",
        "rosters": "rosters_roster",
        "roster_entries": "rosters_rosterentry",
        "check_ins": "attendance_checkin",
        "work_items": "assignments_workitem",
        "returned_audit_rows": "core_auditevent",
        "dossiers": "dossiers_dossier",
        "apology_letters": "dossiers_apologyletter",
        "ratings": "dossiers_rating",
        "pulse_responses": "surveys_pulseresponse",
    }
    counts = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - fixed table names
            counts[name] = int(cursor.fetchone()[0])
    return counts


def explain(today: dt.date) -> None:
    """EXPLAIN ANALYZE of each family's statement for the week of yesterday (rolled back)."""
    from django.db import connection, transaction

    from telework.core import clock
    from telework.outcomes import panel

    week = panel.monday(today - dt.timedelta(days=1))
    now = connection.ops.adapt_datetimefield_value(clock.now())
    for statement in panel._statements(panel.Window(week, week), today):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + panel._rows(statement.sql), [now, *statement.params])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
        print(f"--- {statement.family}\n{plan}", file=sys.stderr)


def run_benchmark(arguments: argparse.Namespace, *, database: str) -> dict[str, Any]:
    from django.db import connection

    from telework.core import clock
    from telework.outcomes import panel
    from telework.outcomes.models import OutcomeValue

    if connection.vendor != "postgresql":
        raise SystemExit("bench.panel generates its data in PostgreSQL: run it without --here, or with a PostgreSQL DATABASE_URL")
    today = clock.today()
    this_monday = panel.monday(today)
    first_monday = this_monday - dt.timedelta(weeks=arguments.weeks - 1)
    started = time.perf_counter()
    seed_organisation(arguments.staff)
    generate(arguments.seed, first_monday, arguments.weeks, today)
    generate_seconds = time.perf_counter() - started
    counts = source_counts()
    log(arguments, f"generated {counts} in {generate_seconds:.1f} s")

    if arguments.explain:
        explain(today)
    rebuild = panel.rebuild()
    log(arguments, f"rebuild: {rebuild.refresh.rows} values in {rebuild.seconds:.1f} s")
    day = panel.refresh(today - dt.timedelta(days=1))
    log(arguments, f"day refresh: {day.refresh.rows} values in {day.seconds:.2f} s")
    past = panel.refresh(this_monday - dt.timedelta(weeks=arguments.weeks // 2))
    log(arguments, f"past week refresh: {past.refresh.rows} values in {past.seconds:.2f} s")
    again = panel.rebuild()
    log(arguments, f"second rebuild: {again.refresh.rows} values in {again.seconds:.1f} s")
    rebuild_seconds = max(rebuild.seconds, again.seconds)
    return {
        "benchmark": "panel",
        "database": database,
        "vendor": connection.vendor,
        "seed": arguments.seed,
        "staff": arguments.staff,
        "weeks": arguments.weeks,
        "source_rows": counts,
        "generate_seconds": round(generate_seconds, 1),
        "day_refresh_seconds": round(day.seconds, 3),
        "day_refresh_rows": day.refresh.rows,
        "week_refresh_seconds": round(past.seconds, 3),
        "rebuild_seconds": round(rebuild_seconds, 3),
        "rebuild_seconds_runs": [round(rebuild.seconds, 3), round(again.seconds, 3)],
        "day_refresh_seconds_by_family": day.seconds_by_family,
        "rebuild_seconds_by_family": again.seconds_by_family,
        "load_average": list(os.getloadavg()),
        "panel_rows": OutcomeValue.objects.count(),
        "panel_rows_per_indicator": again.refresh.counts,
        "targets": {"day_refresh_seconds": DAY_TARGET_SECONDS, "rebuild_seconds": REBUILD_TARGET_SECONDS},
        "target_met": day.seconds < DAY_TARGET_SECONDS and past.seconds < DAY_TARGET_SECONDS and rebuild_seconds < REBUILD_TARGET_SECONDS,
    }


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    arguments = parse_arguments(argv)
    return cluster.main("bench.panel", DATABASE, arguments, argv, run_benchmark)


if __name__ == "__main__":
    raise SystemExit(main())
