"""Benchmark of a quarter's evaluation: N staff measured, scored, classified and quota-checked on PostgreSQL.

    uv run python -m bench.evaluation --staff 20000 --json

One command. It
1. creates a throwaway PostgreSQL cluster with Debian's ``pg_virtualenv -t`` and re-runs itself inside it;
2. migrates a database and seeds N staff in units of 20 across 15 agencies (80 % công chức under Decree 335, 20 % viên
   chức under Decree 90/2020, one leader per unit), each with ``--items`` work items due in Q3 2026 (most accepted,
   some late, some with a poor rating, some still open);
3. runs the quarter city-wide through the real services, twice:
   - ``first_run``: ``period_run`` right after opening (no general criteria scored yet);
   - ``classification``: the heads' general scores are written (not timed: that is the heads' work), then
     ``period_run`` again and ``quota_enforce``: the end-to-end figure (read inputs, score, enforce quotas, write);
4. prints JSON: read/score/write seconds of each run, quota seconds, the end-to-end total, the level counts and
   whether the target (< 5 s end to end) is met.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import cluster

DATABASE = "telework_bench_evaluation"
TARGET_SECONDS = 5.0
UNIT_SIZE = 20
AGENCIES = 15


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.evaluation", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--staff", type=int, default=20_000, help="staff evaluated (default 20000)")
    parser.add_argument("--items", type=int, default=6, help="work items per person in the quarter (default 6)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the generated work (default 7)")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--in-cluster", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.staff < UNIT_SIZE:
        parser.error(f"--staff must be at least {UNIT_SIZE}")
    return arguments


def log(arguments: argparse.Namespace, message: str) -> None:
    if not arguments.json:
        print(message, file=sys.stderr)


# --- the inner process: seed, run, measure ------------------------------------------------------------------------


def seed(staff_count: int, items_per_person: int, rng: random.Random) -> Any:
    """Agencies, units of 20 with one leader each, positions, staff and their Q3 2026 work; returns the Home Affairs
    user who runs the quarter."""
    import datetime as dt

    from django.utils import timezone

    from telework.accounts.models import Role, User
    from telework.assignments.models import WorkItem, WorkStatus
    from telework.organization.models import Agency, AgencyKind, Position, Staff, StaffType, Unit

    runner = User.objects.create_user(username="noivu-bench", password=None, role=Role.HOME_AFFAIRS)
    agencies = Agency.objects.bulk_create(
        Agency(code=f"BENCH{index:02d}", name=f"Sở thử nghiệm {index}", kind=AgencyKind.DEPARTMENT) for index in range(AGENCIES)
    )
    unit_count = -(-staff_count // UNIT_SIZE)
    units = Unit.objects.bulk_create(Unit(agency=agencies[index % AGENCIES], code=f"U{index:05d}", name=f"Phòng {index}") for index in range(unit_count))
    for unit in units:
        unit.path = f"/{unit.pk}/"
    Unit.objects.bulk_update(units, ["path"], batch_size=2000)
    positions = {
        agency.pk: Position.objects.bulk_create(
            Position(agency=agency, code=f"P{number}", name=name) for number, name in enumerate(("Chuyên viên", "Chuyên viên chính", "Văn thư"))
        )
        for agency in agencies
    }
    people = []
    for index in range(staff_count):
        unit = units[index // UNIT_SIZE]
        is_leader = index % UNIT_SIZE == 0
        people.append(
            Staff(
                code=f"B{index:06d}",
                full_name=f"Cán bộ {index}",
                staff_type=StaffType.VIEN_CHUC if index % 5 == 4 else StaffType.CONG_CHUC,
                unit=unit,
                position=positions[unit.agency_id][0 if is_leader else 1 + index % 2],
                is_leader=is_leader,
            )
        )
    people = Staff.objects.bulk_create(people, batch_size=5000)
    first_day = dt.date(2026, 7, 1)
    items = []
    for person in people:
        for _ in range(items_per_person):
            due_on = first_day + dt.timedelta(days=rng.randrange(0, 90))
            roll = rng.random()
            status = WorkStatus.IN_PROGRESS if roll < 0.05 else WorkStatus.ACCEPTED
            late = roll > 0.9
            accepted_at = timezone.make_aware(dt.datetime.combine(due_on + dt.timedelta(days=2 if late else 0), dt.time(10)))
            items.append(
                WorkItem(
                    staff=person,
                    unit_id=person.unit_id,
                    title="Việc",
                    estimated_hours=rng.choice((4, 8, 16)),
                    starts_on=due_on - dt.timedelta(days=7),
                    due_on=due_on,
                    status=status,
                    progress_percent=100 if status == WorkStatus.ACCEPTED else 40,
                    last_activity_on=due_on,
                    created_by=runner,
                    quality_rating=rng.choice((2, 3, 4, 4, 5, 5, 5)) if status == WorkStatus.ACCEPTED else None,
                    accepted_at=accepted_at if status == WorkStatus.ACCEPTED else None,
                )
            )
    WorkItem.objects.bulk_create(items, batch_size=5000)
    return runner


def score_generals(period: Any, rng: random.Random) -> None:
    """What the heads do during the review: score the four general criteria of everyone (not timed)."""
    from telework.evaluations.models import Evaluation

    evaluations = list(Evaluation.objects.filter(period=period).only("pk", "general_scores"))
    for evaluation in evaluations:
        evaluation.general_scores = {code: rng.choice((5.0, 6.0, 7.0, 7.5)) for code in ("ethics", "discipline", "service_attitude", "innovation")}
    Evaluation.objects.bulk_update(evaluations, ["general_scores"], batch_size=5000)


def run_benchmark(arguments: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(arguments.seed)  # noqa: S311 - generated test data
    started = time.monotonic()
    cluster.prepare_database(DATABASE)
    runner = seed(arguments.staff, arguments.items, rng)
    log(arguments, f"seeded {arguments.staff} staff in {time.monotonic() - started:.1f} s")

    from telework.evaluations import services
    from telework.evaluations.models import Evaluation, PeriodKind

    period = services.period_create(actor=runner, kind=PeriodKind.QUARTER, year=2026, number=3, agency=None)
    first: dict[str, float] = {}
    clock = time.perf_counter()
    count = services.period_run(period=period, actor=runner, timings=first)
    first["total_seconds"] = time.perf_counter() - clock

    score_generals(period, rng)
    second: dict[str, float] = {}
    clock = time.perf_counter()
    services.period_run(period=period, actor=runner, timings=second)
    quota_clock = time.perf_counter()
    drops = services.quota_enforce(period=period, actor=runner)
    second["quota_seconds"] = time.perf_counter() - quota_clock
    total = time.perf_counter() - clock
    levels = Counter(Evaluation.objects.filter(period=period).values_list("final_level", "proposed_level").iterator())
    level_counts = Counter[str]()
    for (final, proposed), number in levels.items():
        level_counts[final or proposed or "not_classified"] += number
    return {
        "benchmark": "evaluation",
        "database": "PostgreSQL (pg_virtualenv -t)",
        "staff": arguments.staff,
        "evaluations": count,
        "work_items": arguments.staff * arguments.items,
        "first_run": {key: round(value, 3) for key, value in first.items()},
        "classification": {**{key: round(value, 3) for key, value in second.items()}, "total_seconds": round(total, 3)},
        "read_seconds": round(second["read_seconds"], 3),
        "score_seconds": round(second["score_seconds"], 3),
        "quota_seconds": round(second["quota_seconds"], 3),
        "write_seconds": round(second["write_seconds"], 3),
        "total_seconds": round(total, 3),
        "quota_drops": drops,
        "levels": dict(sorted(level_counts.items())),
        "target_seconds": TARGET_SECONDS,
        "target_met": total < TARGET_SECONDS,
    }


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    arguments = parse_arguments(argv)
    if not arguments.in_cluster:
        return cluster.run_in_throwaway_cluster("bench.evaluation", argv, as_json=arguments.json)
    figures = run_benchmark(arguments)
    Path(arguments.result_file).write_text(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
