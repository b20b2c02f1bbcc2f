"""Benchmark of the assessment dashboard on a city's year: panel rebuild, a day's refresh, and the pages' latency.

    uv run python -m bench.dashboard --json                 # 20,000 staff, 52 weeks, throwaway PostgreSQL
    uv run python -m bench.dashboard --scale 0.01 --json    # the same city shrunk a hundredfold

One command. It
1. creates a throwaway PostgreSQL cluster with Debian's ``pg_virtualenv -t`` and re-runs itself inside it (``--here``
   uses the PostgreSQL database Django is configured with; ``--reuse-data`` there times again on the data already
   generated);
2. seeds a city of ``20,000 × --scale`` staff (the ORM, bulk, deterministic from ``--seed``): agencies of varied size
   (a long tail: a few departments of a thousand and more, many departments and ward committees of a few hundred) split into
   units of 3–80 staff (a skewed draw, most around a dozen), one leader per unit; then generates ``--weeks`` weeks
   (default 52) ending this week inside PostgreSQL with ``bench.panel.generate`` (rosters, ~5 M check-ins, ~5 M work
   items, ~3 M dossiers with apology letters, ~1 M ratings, pulse waves), plus four published quarters of
   evaluations; a pilot whose phase started halfway through the year, with a randomised design recorded and launched
   through ``assessment.services`` (the dashboard's arms);
3. times ``outcomes.panel.rebuild()`` and ``refresh(yesterday)``;
4. times a mix of dashboard requests through Django's test ``Client`` as city leadership, an agency head and a unit
   head (city / agency / unit level, several indicators and periods), after one warm-up round, ``--rounds`` times;
   the Excel downloads (``excel``) and the pages the dashboard links to (``linked``: the phase, a unit's own panel and
   its file) are reported apart. Per request: milliseconds and SQL queries. ``--explain`` prints the plans (EXPLAIN
   ANALYZE) of the slowest distinct queries to stderr;
5. prints JSON: ``p95_ms`` (with ``p50_ms``, ``max_ms``) of the dashboard pages, ``day_refresh_seconds``,
   ``rebuild_seconds``, the source row counts, the load average, and whether the targets are met (pages p95 < 300 ms,
   a day < 10 s, a rebuild < 2 min).
"""

# ruff: noqa: S608 - the generating SQL holds table names and constants written here; the dates and seed are parameters.
from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bench import cluster
from bench import panel as bench_panel

DATABASE = "telework_bench_dashboard"
CITY_STAFF = 20_000
AGENCIES = 45
UNIT_MIN, UNIT_MAX, UNIT_TYPICAL = 3, 80, 12
P95_TARGET_MS = 300.0
DAY_TARGET_SECONDS = 10.0
REBUILD_TARGET_SECONDS = 120.0
PHASE_STARTS_AFTER_WEEKS = 26
EXPLAINED_QUERIES = 5


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the city's 20,000 staff (default 1; 0.005 for a test)")
    parser.add_argument("--weeks", type=int, default=52, help="weeks of history ending this week (default 52)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the organisation and the generated records (default 7)")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of the request mix after the warm-up (default 3)")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    parser.add_argument("--explain", action="store_true", help="print the plans of the slowest queries of the requests (stderr)")
    parser.add_argument("--here", action="store_true", help="use the PostgreSQL database Django is configured with")
    parser.add_argument("--reuse-data", action="store_true", help="with --here: keep the data already generated there and time again")
    parser.add_argument("--generate-only", action="store_true", help="with --here: generate the data and stop (time it later with --reuse-data)")
    parser.add_argument("--in-cluster", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if not 0.001 <= arguments.scale <= 10 or not 8 <= arguments.weeks <= 104 or not 1 <= arguments.rounds <= 50:
        parser.error("--scale must be 0.001–10, --weeks 8–104 and --rounds 1–50")
    if (arguments.reuse_data or arguments.generate_only) and not arguments.here:
        parser.error("--reuse-data and --generate-only need --here (a throwaway cluster is dropped at the end)")
    return arguments


def log(arguments: argparse.Namespace, message: str) -> None:
    if not arguments.json:
        print(message, file=sys.stderr)


# --- the organisation -------------------------------------------------------------------------------------------


def unit_sizes(total: int, rng: random.Random) -> list[int]:
    """Sizes of units adding up to ``total``, each 3–80 (a skewed draw around a dozen), or one unit when smaller."""
    if total <= UNIT_MIN:
        return [total]
    sizes: list[int] = []
    left = total
    while left > 0:
        size = min(UNIT_MAX, max(UNIT_MIN, round(rng.lognormvariate(math.log(UNIT_TYPICAL), 0.75))))
        if left - size < UNIT_MIN:
            size = left if left <= UNIT_MAX else left - UNIT_MIN
        sizes.append(size)
        left -= size
    return sizes


def agency_sizes(staff: int, rng: random.Random) -> list[int]:
    """Staff per agency: a long tail (a Pareto-like draw), at least 3 each, adding up to ``staff``."""
    count = max(2, min(AGENCIES, round(AGENCIES * staff / CITY_STAFF)))
    weights = sorted((rng.paretovariate(1.3) for _ in range(count)), reverse=True)
    sizes = [max(UNIT_MIN, math.floor(staff * weight / sum(weights))) for weight in weights]
    sizes[0] += staff - sum(sizes)
    return sizes


@dataclass
class City:
    leadership: Any
    home_affairs: Any
    agency_head: Any
    unit_head: Any
    agency_id: int
    unit_id: int
    other_unit_id: int
    agencies: int
    units: int
    staff: int
    agency_staff: list[int] = field(default_factory=list)
    unit_staff: list[int] = field(default_factory=list)


def seed_organisation(staff_count: int, seed: int) -> None:
    """Agencies, units of 3–80 staff (one leader each), one position per agency, the staff, the procedures."""
    from telework.accounts.models import Role, User
    from telework.dossiers.models import Procedure
    from telework.organization.models import Agency, AgencyKind, Position, Staff, StaffType, Unit

    rng = random.Random(seed)
    plan = [(agency_index, unit_sizes(size, rng)) for agency_index, size in enumerate(agency_sizes(staff_count, rng))]
    agencies = Agency.objects.bulk_create(
        Agency(
            code=f"DA{index:03d}",
            name=(f"UBND phường thử {index}" if index % 3 == 2 else f"Sở thử {index}"),
            kind=(AgencyKind.WARD_COMMITTEE if index % 3 == 2 else AgencyKind.DEPARTMENT),
        )
        for index, _ in plan
    )
    positions = Position.objects.bulk_create(Position(agency=agency, code="CV", name="Chuyên viên") for agency in agencies)
    units: list[Unit] = []
    sizes: list[int] = []
    for agency, (_, unit_plan) in zip(agencies, plan, strict=True):
        for size in unit_plan:
            index = len(units)
            units.append(Unit(agency=agency, code=f"DU{index:05d}", name=f"Phòng {index}", path=f"{index:05d}/"))
            sizes.append(size)
    units = Unit.objects.bulk_create(units, batch_size=2000)
    position_of = {position.agency_id: position for position in positions}
    staff: list[Staff] = []
    for unit, size in zip(units, sizes, strict=True):
        for seat in range(size):
            index = len(staff)
            staff.append(
                Staff(
                    code=f"DS{index:06d}",
                    full_name=f"Cán bộ {index}",
                    staff_type=StaffType.CONG_CHUC if rng.random() < 0.8 else StaffType.VIEN_CHUC,
                    unit=unit,
                    position=position_of[unit.agency_id],
                    is_leader=seat == 0,
                )
            )
    Staff.objects.bulk_create(staff, batch_size=5000)
    Procedure.objects.bulk_create(Procedure(code=f"DP{index:03d}", name=f"Thủ tục {index}", legal_working_days=1 + index % 15) for index in range(60))
    User.objects.create(username="bench-leadership", role=Role.CITY_LEADERSHIP)
    User.objects.create(username="bench-home-affairs", role=Role.HOME_AFFAIRS)
    User.objects.create(username="bench-agency-head", role=Role.AGENCY_HEAD)
    User.objects.create(username="bench-unit-head", role=Role.UNIT_HEAD)


def city() -> City:
    """The seeded city: its users (the agency head heads the second-largest agency, the unit head a unit of a dozen
    or more there) and its shape."""
    from django.db.models import Count

    from telework.accounts.models import User
    from telework.organization.models import Agency, Staff, Unit

    agency_staff = sorted((row["n"] for row in Staff.objects.values("unit__agency_id").annotate(n=Count("pk"))), reverse=True)
    unit_staff = sorted(row["n"] for row in Staff.objects.values("unit_id").annotate(n=Count("pk")))
    agencies = list(Agency.objects.annotate(n=Count("units__staff")).order_by("-n", "pk").values_list("pk", flat=True))
    agency_id = agencies[min(1, len(agencies) - 1)]
    units = list(Unit.objects.filter(agency_id=agency_id).annotate(n=Count("staff")).order_by("-n", "pk").values_list("pk", flat=True))
    unit_id = units[len(units) // 3]
    other_unit_id = units[-1]
    users = {user.username: user for user in User.objects.filter(username__startswith="bench-")}
    head = Staff.objects.filter(unit__agency_id=agency_id, is_leader=True).order_by("pk").first()
    leader = Staff.objects.filter(unit_id=unit_id, is_leader=True).first()
    assert head is not None
    assert leader is not None
    if head.user_id is None:
        Staff.objects.filter(pk=head.pk).update(user=users["bench-agency-head"])
        Staff.objects.filter(pk=leader.pk).update(user=users["bench-unit-head"])
    return City(
        leadership=users["bench-leadership"],
        home_affairs=users["bench-home-affairs"],
        agency_head=User.objects.get(username="bench-agency-head"),
        unit_head=User.objects.get(username="bench-unit-head"),
        agency_id=agency_id,
        unit_id=unit_id,
        other_unit_id=other_unit_id,
        agencies=len(agency_staff),
        units=len(unit_staff),
        staff=sum(unit_staff),
        agency_staff=agency_staff,
        unit_staff=unit_staff,
    )


# --- what bench.panel does not generate: evaluations and the pilot ---------------------------------------------------


def quarters(first_monday: dt.date, today: dt.date) -> list[tuple[int, int, dt.date, dt.date]]:
    """Calendar quarters that ended inside the window: (year, number, first day, last day)."""
    found = []
    for year in range(first_monday.year - 1, today.year + 1):
        for number in range(1, 5):
            starts = dt.date(year, 3 * number - 2, 1)
            ends = dt.date(year + (number == 4), (3 * number) % 12 + 1, 1) - dt.timedelta(days=1)
            if first_monday <= ends < today:
                found.append((year, number, starts, ends))
    return found


def generate_evaluations(seed: int, first_monday: dt.date, today: dt.date, actor: Any) -> None:
    """A published city-wide quarter for each quarter that ended in the window, every active staff member classified
    (about 15 % excellent, 60 % good, 20 % completed, 5 % not completed)."""
    from django.db import connection

    from telework.evaluations.models import CriteriaSet, EvaluationPeriod, PeriodKind, PeriodStatus

    criteria = {item.regime: item for item in CriteriaSet.objects.order_by("regime", "-version")}
    now = dt.datetime.now(dt.UTC)
    for year, number, starts, ends in quarters(first_monday, today):
        period = EvaluationPeriod.objects.create(
            kind=PeriodKind.QUARTER,
            year=year,
            number=number,
            starts_on=starts,
            ends_on=ends,
            criteria_335=criteria["decree_335_2025"],
            criteria_90=criteria["decree_90_2020"],
            status=PeriodStatus.PUBLISHED,
            created_by=actor,
            run_at=now,
            locked_at=now,
            published_at=now,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """INSERT INTO evaluations_evaluation (period_id, staff_id, unit_id, regime, peer_group, inputs, is_disciplined,
                    worked_from_home, self_assessment, self_level, proposed_level, rank_score, tie_score, final_level, change_reason,
                    is_quota_drop, quota_explanation, comment, appeal_text, appeal_decision, appeal_reason,
                    is_on_sick_or_maternity_leave, updated_at)
                    SELECT %(period)s, s.id, s.unit_id, 'decree_335_2025', '', '{}', FALSE, FALSE, '', '', lv.level, 0, 0, lv.level, '', FALSE,
                      '{}', '', '', '', '', FALSE, now()
                    FROM organization_staff s CROSS JOIN LATERAL (SELECT
                      (hashint8extended(s.id * 16 + %(period)s, %(seed)s) & 1073741823) / 1073741824.0 AS u) r
                    CROSS JOIN LATERAL (SELECT CASE WHEN r.u < 0.15 THEN 'excellent' WHEN r.u < 0.75 THEN 'good'
                      WHEN r.u < 0.95 THEN 'completed' ELSE 'not_completed' END AS level) lv
                    WHERE s.ended_on IS NULL OR s.ended_on > %(ends)s""",
                {"period": period.pk, "seed": seed, "ends": ends},
            )


def launch_pilot(first_monday: dt.date, weeks: int, today: dt.date, seed: int, actor: Any) -> Any:
    """A pilot over the whole city whose first phase started halfway through the window (26 weeks in a year), with
    a randomised design (half the units, stratified by agency and size) recorded and launched as Home Affairs does."""
    from telework.assessment import services
    from telework.assessment.models import DesignMethod
    from telework.organization.models import Agency
    from telework.policy.models import Pilot, PilotPhase, PilotStatus

    pilot = Pilot.objects.create(code="BENCH", name="Thí điểm làm việc tại nhà", status=PilotStatus.PLANNED)
    pilot.agencies.set(Agency.objects.all())
    phase = PilotPhase.objects.create(
        pilot=pilot,
        name="Giai đoạn 1",
        starts_on=first_monday + dt.timedelta(weeks=min(PHASE_STARTS_AFTER_WEEKS, weeks // 2)),
        ends_on=today + dt.timedelta(days=180),
    )
    phase.agencies.set(Agency.objects.all())
    inputs = services.DesignInputs(
        method=DesignMethod.RANDOMISED,
        seed=seed,
        primary_outcomes=("dossier_on_time_rate", "citizen_satisfied_share"),
        smallest_effect=0.03,
    )
    services.design_record(actor=actor, phase=phase, inputs=inputs)
    return services.phase_launch(actor=actor, phase=phase)


def source_counts() -> dict[str, int]:
    from django.db import connection

    counts = bench_panel.source_counts()
    with connection.cursor() as cursor:
        for name, table in {"evaluations": "evaluations_evaluation", "design_allocations": "assessment_designallocation"}.items():
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[name] = int(cursor.fetchone()[0])
    return counts


# --- the requests -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    label: str
    who: str  # leadership, agency_head, unit_head
    url_name: str
    params: dict[str, str]
    group: str = "pages"  # pages (the dashboard: p95_ms), excel (its downloads), linked (pages it links to)
    args: tuple[int, ...] = ()


def request_mix(town: City, phase_id: int, first_monday: dt.date, today: dt.date) -> list[Request]:
    """City, agency and unit level; several indicators and periods; the Excel downloads apart."""
    page, excel = "assessment:dashboard", "assessment:dashboard_excel"
    year = {"from": first_monday.isoformat(), "to": today.isoformat()}
    quarter = {"from": (today - dt.timedelta(weeks=13)).isoformat(), "to": today.isoformat()}
    phase = {"phase": str(phase_id)}
    agency, unit = {"agency": str(town.agency_id)}, {"unit": str(town.unit_id)}
    mix = [
        Request("city home", "leadership", page, {}),
        Request("city dossier on-time, phase", "leadership", page, {"indicator": "dossier_on_time_rate", **phase}),
        Request("city work on-time, year", "leadership", page, {"indicator": "work_on_time_rate", **year}),
        Request("city satisfaction, quarter", "leadership", page, {"indicator": "citizen_satisfied_share", **quarter}),
        Request("city well-being, phase", "leadership", page, {"indicator": "staff_wellbeing", **phase}),
        Request("city participation, year", "leadership", page, {"indicator": "participation_share", **year}),
        Request("city → agency dossiers", "leadership", page, {"indicator": "dossier_on_time_rate", **agency, **phase}),
        Request("city → unit home days", "leadership", page, {"indicator": "home_day_share", **unit, **year}),
        Request("agency home", "agency_head", page, {}),
        Request("agency throughput, quarter", "agency_head", page, {"indicator": "work_throughput_per_fte", **quarter}),
        Request("agency dossier on-time, year", "agency_head", page, {"indicator": "dossier_on_time_rate", **agency, **year}),
        Request("agency → unit attendance", "agency_head", page, {"indicator": "attendance_roster_match", **unit, **phase}),
        Request("unit home", "unit_head", page, {}),
        Request("unit work on-time, year", "unit_head", page, {"indicator": "work_on_time_rate", **year}),
        Request("unit attrition, phase", "unit_head", page, {"indicator": "attrition", **unit, **phase}),
        # The pages the dashboard links to: the phase (design, arms) and a unit's own panel.
        Request("phase page", "leadership", "assessment:phase_detail", {}, "linked", args=(phase_id,)),
        Request("unit panel (agency head)", "agency_head", "outcomes:unit", {}, "linked", args=(town.unit_id,)),
        Request("unit panel (unit head)", "unit_head", "outcomes:unit", {}, "linked", args=(town.unit_id,)),
        Request("excel city dossiers, phase", "leadership", excel, {"indicator": "dossier_on_time_rate", **phase}, "excel"),
        Request("excel agency work, year", "agency_head", excel, {"indicator": "work_on_time_rate", **year}, "excel"),
        Request("excel unit attendance, quarter", "unit_head", excel, {"indicator": "attendance_roster_match", **unit, **quarter}, "excel"),
        Request("excel unit panel", "unit_head", "outcomes:unit_xlsx", {}, "linked", args=(town.unit_id,)),
    ]
    return mix


def indicator_codes() -> list[str]:
    from telework.outcomes.indicators import INDICATORS

    return list(INDICATORS)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(samples: Sequence[float]) -> dict[str, float | int]:
    if not samples:
        return {"count": 0}
    return {
        "count": len(samples),
        "p50_ms": round(percentile(samples, 0.5), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
        "max_ms": round(max(samples), 1),
    }


def time_requests(arguments: argparse.Namespace, mix: list[Request], users: dict[str, Any]) -> dict[str, Any]:
    """One warm-up round, then ``--rounds`` timed rounds of the mix; per request: ms, status, SQL queries; and the
    slowest distinct queries (with their plans on stderr under ``--explain``)."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse
    from django.utils.http import urlencode

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clients = {}
    for who, user in users.items():
        clients[who] = Client()
        clients[who].force_login(user)
    missing: list[str] = []
    urls: list[tuple[Request, str]] = []
    for item in mix:
        try:
            path = reverse(item.url_name, args=item.args)
        except NoReverseMatch:
            if item.url_name not in missing:
                missing.append(item.url_name)
            continue
        urls.append((item, f"{path}?{urlencode(item.params)}" if item.params else path))

    def fetch(item: Request, url: str) -> tuple[float, int, list[dict[str, str]]]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = clients[item.who].get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)  # type: ignore[attr-defined]
            else:
                _ = response.content
            elapsed = (time.perf_counter() - started) * 1000
        return elapsed, response.status_code, list(queries.captured_queries)

    for item, url in urls:  # the warm-up: caches, the first plans, the templates
        fetch(item, url)
    per_label: dict[str, dict[str, Any]] = {}
    samples: dict[str, list[float]] = {"pages": [], "excel": [], "linked": []}
    slow: dict[str, tuple[float, str]] = {}
    for _ in range(arguments.rounds):
        for item, url in urls:
            elapsed, status, queries = fetch(item, url)
            samples[item.group].append(elapsed)
            entry = per_label.setdefault(item.label, {"url": url, "who": item.who, "group": item.group, "ms": [], "status": status, "queries": len(queries)})
            entry["ms"].append(elapsed)
            if status != 200:
                entry["status"] = status
            for query in queries:
                seconds = float(query.get("time") or 0)
                if query["sql"] not in slow or slow[query["sql"]][0] < seconds:
                    slow[query["sql"]] = (seconds, item.label)
    requests = {
        label: {
            "who": entry["who"],
            "group": entry["group"],
            "url": entry["url"],
            "status": entry["status"],
            "queries": entry["queries"],
            "median_ms": round(percentile(entry["ms"], 0.5), 1),
            "max_ms": round(max(entry["ms"]), 1),
        }
        for label, entry in per_label.items()
    }
    slowest = sorted(slow.items(), key=lambda pair: -pair[1][0])[:EXPLAINED_QUERIES]
    if arguments.explain:
        explain(slowest)
    return {
        "pages": summary(samples["pages"]),
        "excel": summary(samples["excel"]),
        "linked": summary(samples["linked"]),
        "requests": requests,
        "missing_pages": missing,
        "failed_requests": sorted(label for label, entry in requests.items() if entry["status"] != 200),
        "slowest_queries": [{"ms": round(seconds * 1000, 1), "request": label, "sql": sql[:400]} for sql, (seconds, label) in slowest],
    }


def explain(slowest: list[tuple[str, tuple[float, str]]]) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each slow query (the SQL Django logged, values inlined), rolled back."""
    from django.db import connection, transaction

    for sql, (seconds, label) in slowest:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql.replace("%", "%%"))
            plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
        print(f"--- {seconds * 1000:.1f} ms in «{label}»\n{sql}\n{plan}\n", file=sys.stderr)


# --- the run ----------------------------------------------------------------------------------------------------


def run_benchmark(arguments: argparse.Namespace, *, database: str) -> dict[str, Any]:
    from django.db import connection

    from telework.core import clock
    from telework.organization.models import Staff
    from telework.outcomes import panel
    from telework.outcomes.models import OutcomeValue
    from telework.policy.models import PilotPhase

    if connection.vendor != "postgresql":
        raise SystemExit("bench.dashboard generates its data in PostgreSQL: run it without --here, or with a PostgreSQL DATABASE_URL")
    today = clock.today()
    this_monday = panel.monday(today)
    first_monday = this_monday - dt.timedelta(weeks=arguments.weeks - 1)
    load_before = list(os.getloadavg())
    started = time.perf_counter()
    reuse = arguments.reuse_data and Staff.objects.exists()
    if not reuse:
        seed_organisation(max(30, round(CITY_STAFF * arguments.scale)), arguments.seed)
        town = city()
        bench_panel.generate(arguments.seed, first_monday, arguments.weeks, today)
        generate_evaluations(arguments.seed, first_monday, today, town.home_affairs)
        connection.cursor().execute("ANALYZE")
    town = city()
    generate_seconds = time.perf_counter() - started
    log(arguments, f"generated {arguments.weeks} weeks for {town.staff} staff in {generate_seconds:.1f} s")
    if arguments.generate_only:
        return {"benchmark": "dashboard", "generate_seconds": round(generate_seconds, 1), "source_rows": source_counts(), "target_met": True}

    rebuild = panel.rebuild()
    log(arguments, f"rebuild: {rebuild.refresh.rows} values in {rebuild.seconds:.1f} s")
    day = panel.refresh(today - dt.timedelta(days=1))
    log(arguments, f"day refresh: {day.refresh.rows} values in {day.seconds:.2f} s")
    phase = PilotPhase.objects.filter(pilot__code="BENCH").first() or launch_pilot(first_monday, arguments.weeks, today, arguments.seed, town.home_affairs)
    vacuumed = not connection.in_atomic_block
    if vacuumed:
        # What autovacuum does soon after the nightly refresh: the panel's visibility map, so that the dashboards'
        # sums are read from the covering index alone. (Not inside a transaction: the test's run skips it.)
        connection.cursor().execute("VACUUM (ANALYZE) outcomes_outcomevalue")
    connection.cursor().execute("ANALYZE")
    counts = source_counts()
    log(arguments, f"source rows: {counts}")

    users = {"leadership": town.leadership, "agency_head": town.agency_head, "unit_head": town.unit_head}
    timed = time_requests(arguments, request_mix(town, phase.pk, first_monday, today), users)
    log(arguments, f"pages: {timed['pages']}; excel: {timed['excel']}; linked: {timed['linked']}; missing: {timed['missing_pages']}")
    pages = timed["pages"]
    p95 = pages.get("p95_ms")
    return {
        "benchmark": "dashboard",
        "database": database,
        "vendor": connection.vendor,
        "seed": arguments.seed,
        "scale": arguments.scale,
        "weeks": arguments.weeks,
        "rounds": arguments.rounds,
        "organisation": {
            "agencies": town.agencies,
            "units": town.units,
            "staff": town.staff,
            "agency_staff_min_median_max": [town.agency_staff[-1], town.agency_staff[len(town.agency_staff) // 2], town.agency_staff[0]],
            "unit_staff_min_median_max": [town.unit_staff[0], town.unit_staff[len(town.unit_staff) // 2], town.unit_staff[-1]],
        },
        "source_rows": counts,
        "generate_seconds": round(generate_seconds, 1),
        "data_reused": reuse,
        "rebuild_seconds": round(rebuild.seconds, 3),
        "rebuild_seconds_by_family": rebuild.seconds_by_family,
        "day_refresh_seconds": round(day.seconds, 3),
        "day_refresh_seconds_by_family": day.seconds_by_family,
        "panel_rows": OutcomeValue.objects.count(),
        "panel_vacuumed": vacuumed,
        "p50_ms": pages.get("p50_ms"),
        "p95_ms": p95,
        "max_ms": pages.get("max_ms"),
        **timed,
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
        "targets": {"p95_ms": P95_TARGET_MS, "day_refresh_seconds": DAY_TARGET_SECONDS, "rebuild_seconds": REBUILD_TARGET_SECONDS},
        "target_met": (
            p95 is not None
            and p95 < P95_TARGET_MS
            and not timed["failed_requests"]
            and not timed["missing_pages"]
            and day.seconds < DAY_TARGET_SECONDS
            and rebuild.seconds < REBUILD_TARGET_SECONDS
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    arguments = parse_arguments(argv)
    return cluster.main("bench.dashboard", DATABASE, arguments, argv, run_benchmark)


if __name__ == "__main__":
    raise SystemExit(main())
