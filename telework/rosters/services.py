"""Roster actions: generate (one unit, or many at once), edit a cell, publish, swap days, record leave and unit events.

One decision, one service, one transaction: each checks who acts, validates against the rules, changes state,
writes the audit row and queues notifications on commit. The rules are the pure engine's: the solver makes the
roster, the independent checker (``telework.rosters.engine.checker``) judges every hand edit and swap against the facts
of the day, so a head can never publish a roster that breaks city policy by a click.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings as django_settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from telework.core import calendar, clock
from telework.core.audit import audit_record
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.models import AuditEvent
from telework.organization.models import Agency, ServicePoint, Staff, Unit
from telework.registrations import services as registration_services
from telework.rosters import selectors, tasks
from telework.rosters.adapters import LoadedUnit, instance_digest, load_unit, load_units
from telework.rosters.engine import instance as engine
from telework.rosters.engine.checker import check
from telework.rosters.engine.explain import explain, unavoidable_violations
from telework.rosters.engine.solver import SolveSettings, UnitResult, solve_unit, solve_units
from telework.rosters.models import (
    ROSTER_TRANSITIONS,
    SWAP_TRANSITIONS,
    EntryStatus,
    Leave,
    LeaveKind,
    Roster,
    RosterEntry,
    RosterRun,
    RosterStatus,
    SwapRequest,
    SwapStatus,
    UnitEvent,
    UnitEventKind,
)

# Below this many staff a process pool costs more than it saves.
POOL_MINIMUM_STAFF = 400
PROGRESS_SAVE_SECONDS = 0.5
EMPTY_EXPLANATION: dict[str, list[Any]] = {"unavoidable": [], "conflicts": [], "relaxed": []}


# --- helpers -------------------------------------------------------------------------------------------------------


def _week_days(week_start: dt.date) -> list[dt.date]:
    if week_start.weekday() != 0:
        raise ValidationFailed(_("A roster week starts on a Monday."), rule="week", params={"week_start": week_start})
    days = calendar.working_days(week_start, week_start + dt.timedelta(days=4))
    if not days:
        raise ValidationFailed(
            _("Week %(week)s has no working day (public holidays); there is nothing to roster.") % {"week": selectors.iso_week_of(week_start)},
            rule="week",
            params={"week": selectors.iso_week_of(week_start)},
        )
    return days


def _actor_user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def default_workers() -> int:
    """Processes for a city-wide solve: every core (``ROSTER_SOLVE_WORKERS`` in the settings overrides it)."""
    configured = getattr(django_settings, "ROSTER_SOLVE_WORKERS", None)
    return int(configured) if configured else max(1, os.cpu_count() or 1)


def _start_method() -> str:
    # Forking a process that runs other threads (a threaded web server, a Celery thread pool) can copy a lock held by
    # another thread; a fork server starts clean workers instead (solver.solve_units says the same).
    return "fork" if threading.active_count() == 1 else "forkserver"


def _explanation(loaded: LoadedUnit, result: UnitResult, bound_total: int) -> dict[str, Any]:
    """Why the roster breaks rules, in Vietnamese and English; empty when it keeps every rule."""
    if not result.breaches and bound_total == 0 and result.certificate.is_proven_optimal:
        return {key: list(value) for key, value in EMPTY_EXPLANATION.items()}
    return explain(loaded.instance, result).as_dict()


def _certificate(loaded: LoadedUnit, result: UnitResult, timings: dict[str, float] | None = None) -> tuple[dict[str, Any], int]:
    """The solver's certificate, with the breaches, the independent checker's count and the structural bound."""
    data = result.certificate.as_dict()
    data["breaches"] = [breach.as_dict() for breach in result.breaches]
    report = check(loaded.instance, result.roster)
    data["checker"] = {
        "by_rule": {rule: count for rule, count in report.by_rule.items() if count},
        "total": report.total,
        "policy_total": report.policy_total,
        "relaxable_total": report.relaxable_total,
        "integrity_errors": list(report.integrity_errors),
    }
    bound = unavoidable_violations(loaded.instance)
    data["unavoidable"] = {rule: count for rule, count in bound.by_rule.items() if count}
    data["staff"] = loaded.staff_count
    if timings:
        data["timings"] = {name: round(value, 6) for name, value in timings.items()}
    return data, bound.total


ENTRY_COLUMNS = ("roster_id", "staff_id", "day", "status", "service_point_id", "is_manual")


def _entry_rows(roster: Roster, result: UnitResult) -> list[tuple[Any, ...]]:
    """The roster's cells as rows of ``ENTRY_COLUMNS``."""
    rows: list[tuple[Any, ...]] = []
    prefix = engine.STATUS_DESK_PREFIX
    for row in result.roster.rows:
        for day, status in zip(result.roster.days, row.statuses, strict=True):
            if status.startswith(prefix):
                rows.append((roster.pk, row.person_id, day, EntryStatus.DESK.value, int(status[len(prefix) :]), False))
            else:
                rows.append((roster.pk, row.person_id, day, status, None, False))
    return rows


def _insert_entries(rows: list[tuple[Any, ...]]) -> None:
    """Write roster cells in bulk. A city-wide week is about 100,000 cells: PostgreSQL takes them with COPY, other
    databases with one prepared INSERT run over every row (model instances and ``bulk_create`` cost several seconds
    more for the same rows)."""
    if not rows:
        return
    table = RosterEntry._meta.db_table
    columns = ", ".join(ENTRY_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(ENTRY_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608 - table and columns are ours
                [(roster_id, staff_id, day.isoformat(), status, point_id, manual) for roster_id, staff_id, day, status, point_id, manual in rows],
            )


def _roster_summary(roster: Roster) -> dict[str, Any]:
    certificate = roster.certificate or {}
    return {
        "version": roster.version,
        "status": roster.status,
        "week": roster.iso_week,
        "solver_status": certificate.get("status"),
        "objective": certificate.get("objective"),
        "hard_violations": (certificate.get("checker") or {}).get("policy_total"),
        "input_hash": roster.input_hash,
        "output_hash": roster.output_hash,
    }


@dataclass
class _Solved:
    loaded: LoadedUnit
    result: UnitResult
    certificate: dict[str, Any]
    explanation: dict[str, Any]
    hard_violations: int = 0
    unavoidable: int = 0


def _prepare(loaded: LoadedUnit, result: UnitResult, timings: dict[str, float] | None = None) -> _Solved:
    certificate, bound_total = _certificate(loaded, result, timings)
    return _Solved(
        loaded=loaded,
        result=result,
        certificate=certificate,
        explanation=_explanation(loaded, result, bound_total),
        hard_violations=certificate["checker"]["policy_total"],
        unavoidable=bound_total,
    )


def _store(solved: Sequence[_Solved], *, week_start: dt.date, actor: Any, reason: str, run: RosterRun | None) -> list[Roster]:
    """Save the rosters as new draft versions (previous versions stop being current), their entries and one audit row
    each. Call inside a transaction. Queries: a fixed handful, whatever the number of units."""
    if not solved:
        return []
    unit_ids = [item.loaded.unit.pk for item in solved]
    latest = dict(
        Roster.objects.filter(unit_id__in=unit_ids, week_start=week_start).values("unit_id").annotate(version=Max("version")).values_list("unit_id", "version")
    )
    Roster.objects.filter(unit_id__in=unit_ids, week_start=week_start, is_current=True).update(is_current=False)
    user = _actor_user(actor)
    iso_week = selectors.iso_week_of(week_start)
    rosters = [
        Roster(
            unit=item.loaded.unit,
            week_start=week_start,
            iso_week=iso_week,
            version=(latest.get(item.loaded.unit.pk) or 0) + 1,
            status=RosterStatus.DRAFT,
            is_current=True,
            days=[day.isoformat() for day in item.loaded.instance.days],
            policy=item.loaded.policy,
            certificate=item.certificate,
            explanation=item.explanation,
            input_hash=instance_digest(item.loaded.instance),
            output_hash=item.result.digest(),
            reason=reason[:200],
            run=run,
            created_by=user,
        )
        for item in solved
    ]
    try:
        with transaction.atomic():
            Roster.objects.bulk_create(rosters)
    except IntegrityError as error:
        raise InvalidTransition(_("Another generation of the same rosters finished first; generate again."), rule="roster.version") from error
    if any(roster.pk is None for roster in rosters):  # backends without RETURNING: read the ids back
        ids = dict(Roster.objects.filter(unit_id__in=unit_ids, week_start=week_start, is_current=True).values_list("unit_id", "pk"))
        for roster in rosters:
            roster.pk = ids[roster.unit_id]
    _insert_entries([cell for roster, item in zip(rosters, solved, strict=True) for cell in _entry_rows(roster, item.result)])
    label = (user.get_full_name() or user.get_username()) if user is not None else "system"
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=user,
            actor_label=label,
            action="roster.generate",
            object_type=Roster._meta.label_lower,
            object_id=str(roster.pk),
            object_label=f"{roster.unit.name} {roster.iso_week} v{roster.version}"[:300],
            agency_id=roster.unit.agency_id,
            before=None,
            after=_roster_summary(roster),
            reason=reason,
        )
        for roster in rosters
    )
    return rosters


# --- generation ----------------------------------------------------------------------------------------------------


def roster_generate(*, unit: Unit, week_start: dt.date, actor: Any, settings: SolveSettings | None = None, reason: str = "") -> Roster:
    """Solve ``unit``'s roster for the ISO week starting ``week_start`` and store it as draft version n+1.

    The previous version stops being current; a published one stays what staff see until the new draft is
    published. The roster carries its certificate (proof of optimality, or the best bound) and, when a rule could
    not be met, the explanation in words.
    """
    if actor is not None and not (selectors.can_manage_unit(actor, unit) or selectors.can_generate_city(actor)):
        raise NotPermitted(rule="roster.generate")
    _week_days(week_start)
    loaded = load_unit(unit, week_start)
    if loaded is None:
        raise ValidationFailed(_("%(unit)s has no active staff; there is nobody to roster.") % {"unit": unit.name}, rule="unit")
    started = time.perf_counter()
    result = solve_unit(loaded.instance, settings)
    solved = _prepare(loaded, result, {"solve": time.perf_counter() - started})
    with transaction.atomic():
        # Serialises generations of the same unit: the row lock makes the second wait, then take version n+2.
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        (roster,) = _store([solved], week_start=week_start, actor=actor, reason=reason or _("Generated for the unit"), run=None)
    return roster


ProgressCallback = Callable[[int, int], None]


def rosters_generate_many(
    *,
    week_start: dt.date,
    actor: Any,
    agency: Agency | None = None,
    units: Iterable[Unit] | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
    reason: str = "",
    run: RosterRun | None = None,
    settings: SolveSettings | None = None,
) -> dict[str, Any]:
    """Generate the rosters of many units for one week: the whole city, one agency, or the given units.

    Loads every unit in a few queries (``adapters.load_units``), solves them in a process pool (the embedded
    default; stragglers are re-solved harder by the solver itself) or, when a Celery broker is configured, as Celery
    tasks by chunks of agencies; saves in bulk. ``progress(done, total)`` is called as units finish, and ``run`` (a
    ``RosterRun``) follows along. Returns the summary (see ``summarise``).
    """
    if actor is not None and not selectors.can_generate_city(actor):
        raise NotPermitted(rule="roster.generate_many")
    _week_days(week_start)
    lap_started = time.perf_counter()
    unit_queryset = Unit.objects.select_related("agency").order_by("pk")
    all_units = units is None and agency is None
    if units is not None:
        unit_list = list(unit_queryset.filter(pk__in=[unit.pk for unit in units]))
    elif agency is not None:
        unit_list = list(unit_queryset.filter(agency=agency))
    else:
        unit_list = list(unit_queryset)
    if run is None:
        run = RosterRun.objects.create(
            week_start=week_start, iso_week=selectors.iso_week_of(week_start), agency=agency, reason=reason[:200], started_by=_actor_user(actor)
        )
    if _uses_celery():
        return _fan_out(run, unit_list, week_start=week_start, actor=actor, reason=reason, started=lap_started)
    loaded = load_units(unit_list, week_start, all_units=all_units)
    load_seconds = time.perf_counter() - lap_started
    RosterRun.objects.filter(pk=run.pk).update(units_total=len(loaded))
    total = len(loaded)

    last_saved = [0.0]

    def report(done: int) -> None:
        # The run row is what the screens poll: written at most twice a second, not once per unit.
        now = time.perf_counter()
        if done == total or now - last_saved[0] >= PROGRESS_SAVE_SECONDS:
            last_saved[0] = now
            RosterRun.objects.filter(pk=run.pk).update(units_done=done)
        if progress is not None:
            progress(done, total)

    lap_started = time.perf_counter()
    staff = sum(item.staff_count for item in loaded)
    workers = workers or default_workers()
    if staff < POOL_MINIMUM_STAFF:
        workers = 1
    results = solve_units(
        [item.instance for item in loaded], workers=workers, settings=settings, start_method=_start_method(), progress=lambda done, _total: report(done)
    )
    by_unit = {result.roster.unit_id: result for result in results}
    solved = [_prepare(item, by_unit[item.unit.pk]) for item in loaded]
    solve_seconds = time.perf_counter() - lap_started
    lap_started = time.perf_counter()
    with transaction.atomic():
        rosters = _store(solved, week_start=week_start, actor=actor, reason=reason or _("Generated for the whole week"), run=run)
    save_seconds = time.perf_counter() - lap_started
    summary = summarise(
        [roster.certificate for roster in rosters],
        week_start=week_start,
        agency=agency,
        units_skipped=len(unit_list) - len(loaded),
        workers=workers,
        mode="process_pool",
        seconds={"load": load_seconds, "solve": solve_seconds, "save": save_seconds},
    )
    RosterRun.objects.filter(pk=run.pk).update(status=RosterRun.Status.DONE, units_done=total, summary=summary, finished_at=clock.now())
    run.refresh_from_db()
    if actor is not None:
        audit_record(actor=actor, action="roster.generate_many", target=run, after=summary, reason=reason)
    return summary


def summarise(
    certificates: Sequence[dict[str, Any]],
    *,
    week_start: dt.date,
    agency: Agency | None,
    units_skipped: int,
    workers: int,
    mode: str,
    seconds: dict[str, float],
) -> dict[str, Any]:
    """What a many-unit generation produced: units, staff, the share proven optimal, city-policy violations counted by
    the independent checker against the structural bound, relaxations, and the time of each phase."""
    units = len(certificates)
    optimal = sum(1 for certificate in certificates if certificate.get("status") == "OPTIMAL")
    return {
        "week": selectors.iso_week_of(week_start),
        "agency": agency.code if agency is not None else None,
        "units": units,
        "staff": sum(int(certificate.get("staff", 0)) for certificate in certificates),
        "units_skipped": units_skipped,
        "optimal_share": round(optimal / units, 5) if units else 1.0,
        "units_not_optimal": units - optimal,
        "hard_violations": sum(int((certificate.get("checker") or {}).get("policy_total", 0)) for certificate in certificates),
        "unavoidable": sum(sum((certificate.get("unavoidable") or {}).values()) for certificate in certificates),
        "relaxed": sum(int((certificate.get("checker") or {}).get("relaxable_total", 0)) for certificate in certificates),
        "units_with_violations": sum(1 for certificate in certificates if (certificate.get("checker") or {}).get("total", 0)),
        "workers": workers,
        "mode": mode,
        "seconds": {**{name: round(value, 3) for name, value in seconds.items()}, "total": round(sum(seconds.values()), 3)},
    }


def _uses_celery() -> bool:
    """Celery workers take the units when tasks are not run in-process: a broker is configured
    (``CELERY_BROKER_URL``), so the settings turn eager execution off."""
    from config.celery import app

    return not app.conf.task_always_eager


UNITS_PER_TASK = 50


def _fan_out(run: RosterRun, unit_list: list[Unit], *, week_start: dt.date, actor: Any, reason: str, started: float) -> dict[str, Any]:
    """Queue one Celery task per chunk of agencies (about ``UNITS_PER_TASK`` units each); the tasks update ``run``.
    Returns the run's state when queued: the caller polls ``RosterRun`` for progress and the final summary."""
    by_agency: dict[int, list[int]] = defaultdict(list)
    for unit in unit_list:
        by_agency[unit.agency_id].append(unit.pk)
    chunks: list[list[int]] = [[]]
    for agency_id in sorted(by_agency):
        if chunks[-1] and len(chunks[-1]) + len(by_agency[agency_id]) > UNITS_PER_TASK:
            chunks.append([])
        chunks[-1].extend(by_agency[agency_id])
    chunks = [chunk for chunk in chunks if chunk]
    RosterRun.objects.filter(pk=run.pk).update(units_total=len(unit_list), summary={"mode": "celery", "tasks": len(chunks)})
    actor_id = _actor_user(actor).pk if _actor_user(actor) is not None else None
    for chunk in chunks:
        transaction.on_commit(partial(tasks.generate_units_task.delay, run.pk, chunk, week_start.isoformat(), actor_id, reason))
    return {
        "week": run.iso_week,
        "mode": "celery",
        "run": run.pk,
        "tasks": len(chunks),
        "units": len(unit_list),
        "seconds": {"queue": round(time.perf_counter() - started, 3)},
    }


def generate_units_chunk(*, run: RosterRun, unit_ids: list[int], week_start: dt.date, actor: Any, reason: str) -> int:
    """One Celery task's share of a run: load, solve and save ``unit_ids``; count them done on the run, and close the
    run with its summary when the last chunk finishes. Idempotent per unit: a unit that already has a roster of this
    run is skipped."""
    already = set(Roster.objects.filter(run=run, unit_id__in=unit_ids).values_list("unit_id", flat=True))
    units = list(Unit.objects.select_related("agency").filter(pk__in=[unit_id for unit_id in unit_ids if unit_id not in already]))
    lap_started = time.perf_counter()
    loaded = load_units(units, week_start)
    load_seconds = time.perf_counter() - lap_started
    results = {result.roster.unit_id: result for result in solve_units([item.instance for item in loaded], workers=1)}
    share = {"load": load_seconds / max(1, len(loaded))}
    solved = [_prepare(item, results[item.unit.pk], {**share, "solve": results[item.unit.pk].certificate.wall_seconds}) for item in loaded]
    lap_started = time.perf_counter()
    with transaction.atomic():
        rosters = _store(solved, week_start=week_start, actor=actor, reason=reason or _("Generated for the whole week"), run=run)
        save_share = (time.perf_counter() - lap_started) / max(1, len(rosters))
        for roster in rosters:
            roster.certificate.setdefault("timings", {})["save"] = round(save_share, 6)
            Roster.objects.filter(pk=roster.pk).update(certificate=roster.certificate)
        RosterRun.objects.filter(pk=run.pk).update(units_done=F("units_done") + len(unit_ids) - len(already))
    finished = RosterRun.objects.filter(pk=run.pk, status=RosterRun.Status.RUNNING, units_done__gte=F("units_total")).update(status=RosterRun.Status.DONE)
    if finished:
        _close_run(run.pk)
    return len(rosters)


def _close_run(run_id: int) -> None:
    run = RosterRun.objects.select_related("agency").get(pk=run_id)
    certificates = list(Roster.objects.filter(run=run).values_list("certificate", flat=True))
    seconds: dict[str, float] = defaultdict(float)
    for certificate in certificates:
        for name, value in (certificate.get("timings") or {}).items():
            seconds[name] += float(value)
    summary = summarise(
        certificates,
        week_start=run.week_start,
        agency=run.agency,
        units_skipped=run.units_total - len(certificates),
        workers=0,
        mode="celery",
        seconds=dict(seconds),
    )
    summary["wall_seconds"] = round((clock.now() - run.started_at).total_seconds(), 3)
    RosterRun.objects.filter(pk=run_id).update(summary=summary, finished_at=clock.now())


def roster_run_start(*, week_start: dt.date, actor: Any, agency: Agency | None = None) -> RosterRun:
    """Start a many-unit generation for the screens: the run is created now and the work is queued on commit (run
    in-process when no broker is configured, so it has finished when the request returns). Poll the run."""
    if not selectors.can_generate_city(actor):
        raise NotPermitted(rule="roster.generate_many")
    _week_days(week_start)
    with transaction.atomic():
        run = RosterRun.objects.create(
            week_start=week_start, iso_week=selectors.iso_week_of(week_start), agency=agency, reason=_("Generated for the whole week"), started_by=actor
        )
        audit_record(actor=actor, action="roster.generate_many.start", target=run, after={"week": run.iso_week, "agency": agency.code if agency else None})
        transaction.on_commit(lambda: tasks.generate_run_task.delay(run.pk))
    return run


def roster_run_execute(*, run: RosterRun) -> dict[str, Any]:
    """Carry out a queued run (the task's body)."""
    try:
        return rosters_generate_many(week_start=run.week_start, actor=run.started_by, agency=run.agency, run=run, reason=run.reason)
    except Exception as error:
        RosterRun.objects.filter(pk=run.pk).update(status=RosterRun.Status.FAILED, error=str(error)[:2000], finished_at=clock.now())
        raise


def weeks_resolved_after_switch(today: dt.date) -> list[dt.date]:
    """The Mondays a switch change re-solves: this week's and next week's, when they hold working days."""
    monday = selectors.week_start_of(today)
    weeks = (monday, monday + dt.timedelta(weeks=1))
    return [week_start for week_start in weeks if calendar.working_days(week_start, week_start + dt.timedelta(days=4))]


def rosters_regenerate_after_switch(
    *, kind: str, is_active: bool, today: dt.date | None = None, progress: ProgressCallback | None = None
) -> list[dict[str, Any]]:
    """A city-wide switch changed: re-generate this week's and next week's rosters of every unit that has one.

    Draft rosters get a new draft version; published ones get a new draft too (staff keep seeing the published
    version until the head publishes the new one) and the head is told to review it. ``progress(done, total)``
    counts units over both weeks.
    """
    from telework.policy.models import SwitchKind

    today = today or clock.today()
    label = str(SwitchKind(kind).label) if kind in SwitchKind.values else kind
    reason = (_("Re-solved after %(switch)s was switched on") if is_active else _("Re-solved after %(switch)s was switched off")) % {"switch": label}
    plan = []
    for week_start in weeks_resolved_after_switch(today):
        current = list(Roster.objects.filter(week_start=week_start, is_current=True).values_list("unit_id", "status"))
        if current:
            plan.append((week_start, current))
    total = sum(len(current) for _week, current in plan)
    done_before = 0
    if progress is not None:
        progress(0, total)
    summaries = []
    for week_start, current in plan:
        published_units = sorted(unit_id for unit_id, status in current if status == RosterStatus.PUBLISHED)
        units = list(Unit.objects.filter(pk__in=[unit_id for unit_id, _status in current]))
        offset = done_before

        def report(done: int, _total: int, offset: int = offset) -> None:
            if progress is not None:
                progress(offset + done, total)

        summary = rosters_generate_many(week_start=week_start, actor=None, units=units, reason=reason, progress=report)
        summaries.append(summary)
        done_before += len(current)
        if progress is not None:
            progress(done_before, total)
        if published_units:
            new_ids = list(Roster.objects.filter(week_start=week_start, is_current=True, unit_id__in=published_units).values_list("pk", flat=True))
            transaction.on_commit(partial(tasks.notify_heads_regenerated_task.delay, new_ids, reason))
    return summaries


# --- editing -------------------------------------------------------------------------------------------------------


@dataclass
class CellCheck:
    """The outcome of validating a change: the relaxable rules it breaks (warnings; hard rules raise instead)."""

    warnings: list[dict[str, Any]] = field(default_factory=list)
    # Approved home days the change carries from one day to another (a swap): (staff id, from day, to day).
    moves: list[HomeDayMove] = field(default_factory=list)


Change = tuple[int, dt.date, str, int | None]  # staff id, day, status, service point id
HomeDayMove = tuple[int, dt.date, dt.date]  # staff id, approved home day given, day it moves to


def _home_day_moves(instance: engine.UnitInstance, entries: dict[tuple[int, dt.date], RosterEntry], changes: Sequence[Change]) -> list[HomeDayMove]:
    """The approved home days a swap carries with it. A person who gives an approved home day away and takes a home
    day in exchange keeps their approval: it moves, in date order, from each day given to each day taken that is
    not approved yet. A home day taken with no approved day given in return moves nothing (and the checker refuses
    it as a day not approved)."""
    people = {person.id: person for person in instance.people}
    moves: list[HomeDayMove] = []
    for staff_id in sorted({change[0] for change in changes}):
        approved = people[staff_id].approved_home_days
        was_home = {day: entries[staff_id, day].status == EntryStatus.HOME for sid, day, _status, _point in changes if sid == staff_id}
        becomes_home = {day: status == EntryStatus.HOME for sid, day, status, _point in changes if sid == staff_id}
        taken = sorted(day for day, home in becomes_home.items() if home and not was_home[day] and day not in approved)
        given = sorted(day for day, home in becomes_home.items() if not home and was_home[day] and day in approved)
        moves.extend((staff_id, from_day, to_day) for from_day, to_day in zip(given, taken, strict=False))
    return moves


def _require_current(roster: Roster) -> None:
    if not roster.is_current:
        raise InvalidTransition(_("This is an older version of the roster; open the current one to change it."), rule="roster.is_current")


def _validate_changes(roster: Roster, changes: Sequence[Change], *, carry_approved_days: bool = False) -> CellCheck:
    """Check ``changes`` to ``roster`` against every hard rule, on today's facts, with the independent checker.

    Refuses (``RuleViolation``, naming the rule and every finding) when the changes would break a city-policy rule or
    make a broken one worse; rules the head may relax (fixed on-site days, the home-day guarantee) only warn. With
    ``carry_approved_days`` (a swap), approved home days move with the home days exchanged (``_home_day_moves``):
    the person must be eligible on the day taken, and the roster is checked against the moved approvals.
    """
    loaded = load_unit(roster.unit, roster.week_start)
    if loaded is None:
        raise ValidationFailed(_("%(unit)s has no active staff; there is nobody to roster.") % {"unit": roster.unit.name}, rule="unit")
    instance = loaded.instance
    days = set(selectors.roster_days(roster))
    people = {person.id: person for person in instance.people}
    entries = selectors.entry_map(roster)
    points = {point.id: point for point in instance.service_points}
    for staff_id, day, status, point_id in changes:
        person = people.get(staff_id)
        if person is None or (staff_id, day) not in entries:
            raise ValidationFailed(_("This person is not in this roster."), rule="staff")
        if day not in days:
            raise ValidationFailed(_("%(date)s is not a working day of this roster.") % {"date": day.strftime("%d/%m/%Y")}, rule="day")
        if status == EntryStatus.LEAVE or day in person.leave_days:
            raise ValidationFailed(
                _("%(person)s is on recorded leave on %(date)s; leave is changed by recording or cancelling it, not in the roster.")
                % {"person": person.name, "date": day.strftime("%d/%m/%Y")}
                if day in person.leave_days
                else _("Leave is recorded with the leave form, not set in the roster."),
                rule="status",
            )
        if status not in (EntryStatus.OFFICE, EntryStatus.HOME, EntryStatus.DESK):
            raise ValidationFailed(_("Choose office, home or a desk."), rule="status")
        if status == EntryStatus.DESK:
            point = points.get(point_id or 0)
            if point is None:
                raise ValidationFailed(_("Choose the desk or duty post."), rule="service_point")
            if staff_id not in point.qualified_ids:
                raise ValidationFailed(
                    _("%(person)s is not qualified for %(point)s.") % {"person": person.name, "point": point.name},
                    rule="service_point",
                    params={"point": point.name},
                )
    moves = _home_day_moves(instance, entries, changes) if carry_approved_days else []
    judged = instance
    if moves:
        staff_by_id = {
            member.pk: member for member in Staff.objects.filter(pk__in={staff_id for staff_id, _from, _to in moves}).select_related("unit", "position")
        }
        for staff_id, from_day, to_day in moves:
            registration_services.home_day_move_check(staff=staff_by_id[staff_id], from_day=from_day, to_day=to_day)
        moved = {person.id: set(person.approved_home_days) for person in instance.people}
        for staff_id, from_day, to_day in moves:
            moved[staff_id].discard(from_day)
            moved[staff_id].add(to_day)
        judged = dataclasses.replace(
            instance, people=tuple(dataclasses.replace(person, approved_home_days=frozenset(moved[person.id])) for person in instance.people)
        )
    order = [person.id for person in instance.people]
    before = selectors.with_leave(instance, selectors.engine_roster(roster, entries, order))
    edited = {
        (staff_id, day): (f"{engine.STATUS_DESK_PREFIX}{point_id}" if status == EntryStatus.DESK else str(status))
        for staff_id, day, status, point_id in changes
    }
    after = engine.Roster(
        unit_id=before.unit_id,
        days=before.days,
        rows=tuple(
            engine.RosterRow(row.person_id, tuple(edited.get((row.person_id, day), status) for day, status in zip(before.days, row.statuses, strict=True)))
            for row in before.rows
        ),
    )
    report_before, report_after = check(instance, before), check(judged, after)
    had: dict[tuple[Any, ...], int] = defaultdict(int)
    for finding in report_before.findings:
        had[finding.rule, finding.period, finding.person_id, finding.point_id] += finding.amount
    statuses = after.status_by_cell()
    refusals: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    for finding in report_after.findings:
        if finding.amount <= had[finding.rule, finding.period, finding.person_id, finding.point_id]:
            continue
        detail = {
            "rule": finding.rule,
            "rule_label": selectors.rule_label(finding.rule),
            "date": finding.period,
            "message": selectors.describe_finding(instance, statuses, finding),
        }
        (warnings if finding.rule in engine.RELAXABLE_RULES else refusals).append(detail)
    if refusals:
        first = refusals[0]
        raise RuleViolation(first["message"], rule=first["rule"], params={"violations": len(refusals), "rule_label": first["rule_label"]}, details=refusals)
    return CellCheck(warnings=warnings, moves=moves)


def roster_cell_check(*, roster: Roster, staff: Staff, day: dt.date, status: str, service_point: ServicePoint | None = None) -> CellCheck:
    """What ``roster_edit_cell`` would say, without changing anything (for live validation as the head edits)."""
    _require_current(roster)
    return _validate_changes(roster, [(staff.pk, day, status, service_point.pk if service_point else None)])


@transaction.atomic
def roster_edit_cell(
    *, roster: Roster, staff: Staff, day: dt.date, status: str, actor: Any, service_point: ServicePoint | None = None
) -> tuple[RosterEntry, list[dict[str, Any]]]:
    """Set one person's status on one day (office, home, or a desk/duty post), by hand.

    Validated against the hard rules on today's facts: a change that would break city policy (or worsen a rule
    already broken) is refused with the rule named and nothing changes; a relaxable rule (a meeting day, the
    home-day guarantee) only warns. On a published roster the person is told of the change.
    """
    if not selectors.can_manage_unit(actor, roster.unit):
        raise NotPermitted(rule="roster.edit")
    # The roster row serialises edits: two heads editing the same week cannot each pass the cap with one slot left.
    roster = Roster.objects.select_for_update().select_related("unit").get(pk=roster.pk)
    _require_current(roster)
    entry = RosterEntry.objects.select_related("service_point").filter(roster=roster, staff=staff, day=day).first()
    if entry is None:
        raise ValidationFailed(_("This person is not in this roster."), rule="staff")
    point_id = service_point.pk if service_point is not None and status == EntryStatus.DESK else None
    if entry.status == status and entry.service_point_id == point_id:
        return entry, []
    outcome = _validate_changes(roster, [(staff.pk, day, status, point_id)])
    before = {"staff": staff.code, "day": day.isoformat(), "status": entry.status, "service_point": entry.service_point.name if entry.service_point else None}
    entry.status = status
    entry.service_point_id = point_id
    entry.is_manual = True
    entry.save(update_fields=["status", "service_point", "is_manual"])
    Roster.objects.filter(pk=roster.pk).update(updated_at=clock.now())
    after = {"staff": staff.code, "day": day.isoformat(), "status": status, "service_point": service_point.name if point_id and service_point else None}
    audit_record(
        actor=actor,
        action="roster.edit",
        target=roster,
        before=before,
        after=after,
        reason="; ".join(warning["message"] for warning in outcome.warnings),
        agency_id=roster.unit.agency_id,
    )
    if roster.is_published:
        entry_id = entry.pk
        transaction.on_commit(lambda: tasks.notify_cell_changed_task.delay(entry_id))
    return entry, outcome.warnings


@transaction.atomic
def roster_publish(*, roster: Roster, actor: Any) -> Roster:
    """Publish a draft: it becomes the list staff see for the week, and every staff member of the unit is told."""
    if not selectors.can_manage_unit(actor, roster.unit):
        raise NotPermitted(rule="roster.publish")
    roster = Roster.objects.select_for_update().select_related("unit").get(pk=roster.pk)
    _require_current(roster)
    sources, target = ROSTER_TRANSITIONS["publish"]
    if roster.status not in sources:
        raise InvalidTransition(_("This roster is already published."), rule="roster.status")
    roster.status = target
    roster.published_by = _actor_user(actor)
    roster.published_at = clock.now()
    roster.save(update_fields=["status", "published_by", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="roster.publish",
        target=roster,
        before={"status": RosterStatus.DRAFT, "version": roster.version},
        after={"status": roster.status, "version": roster.version},
        agency_id=roster.unit.agency_id,
    )
    roster_id = roster.pk
    transaction.on_commit(lambda: tasks.notify_roster_published_task.delay(roster_id))
    return roster


# --- swaps ---------------------------------------------------------------------------------------------------------


def _swap_changes(roster: Roster, swap_days: Iterable[dt.date], first: Staff, second: Staff) -> list[Change]:
    """The cells a swap changes: on each day, the two people exchange statuses."""
    entries = {(entry.staff_id, entry.day): entry for entry in RosterEntry.objects.filter(roster=roster, staff__in=[first, second], day__in=list(swap_days))}
    changes: list[Change] = []
    for day in sorted(set(swap_days)):
        mine, theirs = entries.get((first.pk, day)), entries.get((second.pk, day))
        if mine is None or theirs is None:
            raise ValidationFailed(_("Both colleagues must be in the roster on %(date)s.") % {"date": day.strftime("%d/%m/%Y")}, rule="days")
        if EntryStatus.LEAVE in (mine.status, theirs.status):
            raise ValidationFailed(_("Nobody can swap a day of leave (%(date)s).") % {"date": day.strftime("%d/%m/%Y")}, rule="days")
        if (mine.status, mine.service_point_id) != (theirs.status, theirs.service_point_id):
            changes.append((first.pk, day, theirs.status, theirs.service_point_id))
            changes.append((second.pk, day, mine.status, mine.service_point_id))
    if not changes:
        raise ValidationFailed(_("The two colleagues have the same status on these days; swapping changes nothing."), rule="days")
    return changes


def _transition(swap: SwapRequest, action: str) -> str:
    sources, target = SWAP_TRANSITIONS[action]
    if swap.status not in sources:
        raise InvalidTransition(_("This swap is “%(status)s”; it cannot be changed that way.") % {"status": swap.get_status_display()}, rule="swap.status")
    return target


def _swap_snapshot(swap: SwapRequest) -> dict[str, Any]:
    return {
        "status": swap.status,
        "requester": swap.requester.code,
        "counterpart": swap.counterpart.code,
        "requester_day": swap.requester_day.isoformat(),
        "counterpart_day": swap.counterpart_day.isoformat(),
        "roster": swap.roster_id,
    }


@transaction.atomic
def swap_request(
    *, roster: Roster, requester: Staff, counterpart: Staff, requester_day: dt.date, counterpart_day: dt.date, actor: Any, reason: str = ""
) -> SwapRequest:
    """A staff member asks a colleague of the same unit to exchange statuses on one or two days of a published week.
    Checked against the hard rules now (and again when the head approves)."""
    if requester.user_id is None or getattr(actor, "pk", None) != requester.user_id:
        raise NotPermitted(rule="swap.requester")
    roster = Roster.objects.select_related("unit").get(pk=roster.pk)
    if not roster.is_current or not roster.is_published:
        raise InvalidTransition(_("Swaps are asked on the published roster of the week."), rule="roster.status")
    if counterpart.pk == requester.pk:
        raise ValidationFailed(_("Choose a colleague other than yourself."), rule="counterpart")
    days = set(selectors.roster_days(roster))
    for field_name, day in (("requester_day", requester_day), ("counterpart_day", counterpart_day)):
        if day not in days:
            raise ValidationFailed(_("%(date)s is not a working day of this roster.") % {"date": day.strftime("%d/%m/%Y")}, rule=field_name)
    changes = _swap_changes(roster, {requester_day, counterpart_day}, requester, counterpart)
    _validate_changes(roster, changes, carry_approved_days=True)
    swap = SwapRequest.objects.create(
        roster=roster,
        requester=requester,
        counterpart=counterpart,
        requester_day=requester_day,
        counterpart_day=counterpart_day,
        reason=reason.strip(),
    )
    audit_record(actor=actor, action="swap.request", target=swap, after=_swap_snapshot(swap), reason=swap.reason, agency_id=roster.unit.agency_id)
    swap_id = swap.pk
    transaction.on_commit(lambda: tasks.notify_swap_task.delay(swap_id, "requested"))
    return swap


@transaction.atomic
def swap_accept(*, swap: SwapRequest, actor: Any) -> SwapRequest:
    """The colleague agrees; the head decides next."""
    swap = SwapRequest.objects.select_for_update().select_related("roster__unit", "requester", "counterpart").get(pk=swap.pk)
    if swap.counterpart.user_id is None or getattr(actor, "pk", None) != swap.counterpart.user_id:
        raise NotPermitted(rule="swap.counterpart")
    before = _swap_snapshot(swap)
    swap.status = _transition(swap, "accept")
    swap.accepted_at = clock.now()
    swap.save(update_fields=["status", "accepted_at"])
    audit_record(actor=actor, action="swap.accept", target=swap, before=before, after=_swap_snapshot(swap), agency_id=swap.roster.unit.agency_id)
    swap_id = swap.pk
    transaction.on_commit(lambda: tasks.notify_swap_task.delay(swap_id, "accepted"))
    return swap


@transaction.atomic
def swap_approve(*, swap: SwapRequest, actor: Any, comment: str = "") -> SwapRequest:
    """The head approves: the swap is validated again on the current roster of the week (facts may have changed since
    it was asked) and both cells change, marked as changed by hand. A swap that now breaks a rule is refused with
    the rule and nothing changes."""
    swap = SwapRequest.objects.select_for_update().select_related("roster__unit", "requester", "counterpart").get(pk=swap.pk)
    if not selectors.can_manage_unit(actor, swap.roster.unit):
        raise NotPermitted(rule="swap.approve")
    target = _transition(swap, "approve")
    roster = Roster.objects.select_for_update().select_related("unit").filter(unit=swap.roster.unit, week_start=swap.roster.week_start, is_current=True).first()
    if roster is None:
        raise InvalidTransition(_("The roster of this week no longer exists."), rule="roster.is_current")
    changes = _swap_changes(roster, {swap.requester_day, swap.counterpart_day}, swap.requester, swap.counterpart)
    outcome = _validate_changes(roster, changes, carry_approved_days=True)
    before = _swap_snapshot(swap)
    cells_before = []
    for staff_id, day, status, point_id in changes:
        entry = RosterEntry.objects.get(roster=roster, staff_id=staff_id, day=day)
        cells_before.append({"staff": staff_id, "day": day.isoformat(), "status": entry.status})
        entry.status, entry.service_point_id, entry.is_manual = status, point_id, True
        entry.save(update_fields=["status", "service_point", "is_manual"])
    # The approvals follow the home days exchanged, so the next generation of the week keeps the swap.
    people = {swap.requester.pk: swap.requester, swap.counterpart.pk: swap.counterpart}
    for staff_id, from_day, to_day in outcome.moves:
        registration_services.home_day_move(
            staff=people[staff_id], from_day=from_day, to_day=to_day, actor=actor, reason=_("Swap of days approved by the head.")
        )
    swap.roster = roster
    swap.status = target
    swap.decided_by = _actor_user(actor)
    swap.decided_at = clock.now()
    swap.decision_comment = comment.strip()
    swap.save(update_fields=["roster", "status", "decided_by", "decided_at", "decision_comment"])
    after = {
        **_swap_snapshot(swap),
        "cells": [{"staff": staff_id, "day": day.isoformat(), "status": status} for staff_id, day, status, _point in changes],
        "home_days_moved": [
            {"staff": people[staff_id].code, "from": from_day.isoformat(), "to": to_day.isoformat()} for staff_id, from_day, to_day in outcome.moves
        ],
    }
    audit_record(
        actor=actor,
        action="swap.approve",
        target=swap,
        before={**before, "cells": cells_before},
        after=after,
        reason=swap.decision_comment,
        agency_id=roster.unit.agency_id,
    )
    swap_id = swap.pk
    transaction.on_commit(lambda: tasks.notify_swap_task.delay(swap_id, "approved"))
    return swap


@transaction.atomic
def swap_reject(*, swap: SwapRequest, actor: Any, reason: str) -> SwapRequest:
    """The colleague declines (before accepting) or the head rejects; a reason is required."""
    swap = SwapRequest.objects.select_for_update().select_related("roster__unit", "requester", "counterpart").get(pk=swap.pk)
    is_counterpart = swap.counterpart.user_id is not None and getattr(actor, "pk", None) == swap.counterpart.user_id
    if not (selectors.can_manage_unit(actor, swap.roster.unit) or (is_counterpart and swap.status == SwapStatus.REQUESTED)):
        raise NotPermitted(rule="swap.reject")
    if not reason.strip():
        raise ValidationFailed(_("Give a reason for rejecting the swap."), rule="reason")
    before = _swap_snapshot(swap)
    swap.status = _transition(swap, "reject")
    swap.decided_by = _actor_user(actor)
    swap.decided_at = clock.now()
    swap.decision_comment = reason.strip()
    swap.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    audit_record(
        actor=actor,
        action="swap.reject",
        target=swap,
        before=before,
        after=_swap_snapshot(swap),
        reason=swap.decision_comment,
        agency_id=swap.roster.unit.agency_id,
    )
    swap_id = swap.pk
    transaction.on_commit(lambda: tasks.notify_swap_task.delay(swap_id, "rejected"))
    return swap


@transaction.atomic
def swap_withdraw(*, swap: SwapRequest, actor: Any) -> SwapRequest:
    """The requester takes the request back before the head decides."""
    swap = SwapRequest.objects.select_for_update().select_related("roster__unit", "requester", "counterpart").get(pk=swap.pk)
    if swap.requester.user_id is None or getattr(actor, "pk", None) != swap.requester.user_id:
        raise NotPermitted(rule="swap.requester")
    before = _swap_snapshot(swap)
    swap.status = _transition(swap, "withdraw")
    swap.save(update_fields=["status"])
    audit_record(actor=actor, action="swap.withdraw", target=swap, before=before, after=_swap_snapshot(swap), agency_id=swap.roster.unit.agency_id)
    return swap


# --- leave and unit events -----------------------------------------------------------------------------------------


def _mark_leave_in_rosters(staff: Staff, starts_on: dt.date, ends_on: dt.date, *, on_leave: bool) -> int:
    """Bring the current rosters that cover the period in line with recorded leave: leave days become "leave"; days
    of a cancelled leave go back to the office (always within the rules) unless another leave still covers them."""
    entries = RosterEntry.objects.filter(roster__is_current=True, staff=staff, day__gte=starts_on, day__lte=ends_on)
    if on_leave:
        return entries.exclude(status=EntryStatus.LEAVE).update(status=EntryStatus.LEAVE, service_point=None, is_manual=False)
    still = Leave.objects.filter(staff=staff, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on).values_list("starts_on", "ends_on")
    covered = {day for first, last in still for day in calendar.days_between(first, last)}
    return entries.filter(status=EntryStatus.LEAVE).exclude(day__in=covered).update(status=EntryStatus.OFFICE, is_manual=False)


@transaction.atomic
def leave_record(*, staff: Staff, starts_on: dt.date, ends_on: dt.date, kind: str, actor: Any, note: str = "") -> Leave:
    """Record approved leave (or a business trip). The solver treats those working days as absent; the current rosters
    covering them are updated at once."""
    if not selectors.can_record_leave(actor, staff):
        raise NotPermitted(rule="leave.record")
    if kind not in LeaveKind.values:
        raise ValidationFailed(_("Choose the kind of leave."), rule="kind")
    if ends_on < starts_on:
        raise ValidationFailed(_("The leave ends before it starts."), rule="ends_on")
    if (ends_on - starts_on).days > 366:
        raise ValidationFailed(_("Record leave of at most a year at a time."), rule="ends_on")
    overlapping = Leave.objects.select_for_update().filter(staff=staff, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlapping is not None:
        raise ValidationFailed(
            _("%(person)s already has leave from %(start)s to %(end)s.")
            % {"person": staff.full_name, "start": overlapping.starts_on.strftime("%d/%m/%Y"), "end": overlapping.ends_on.strftime("%d/%m/%Y")},
            rule="starts_on",
        )
    leave = Leave.objects.create(staff=staff, starts_on=starts_on, ends_on=ends_on, kind=kind, note=note.strip(), recorded_by=_actor_user(actor))
    changed = _mark_leave_in_rosters(staff, starts_on, ends_on, on_leave=True)
    audit_record(
        actor=actor,
        action="leave.record",
        target=leave,
        after={"staff": staff.code, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "kind": kind, "roster_cells_changed": changed},
        reason=leave.note,
        agency_id=staff.unit.agency_id,
    )
    return leave


@transaction.atomic
def leave_cancel(*, leave: Leave, actor: Any) -> Leave:
    """Cancel recorded leave: the row stays (with ``cancelled_at``) and the days go back to the office in the current
    rosters."""
    leave = Leave.objects.select_for_update().select_related("staff__unit").get(pk=leave.pk)
    if not selectors.can_record_leave(actor, leave.staff):
        raise NotPermitted(rule="leave.cancel")
    if leave.cancelled_at is not None:
        raise InvalidTransition(_("This leave is already cancelled."), rule="leave.cancelled_at")
    leave.cancelled_at = clock.now()
    leave.save(update_fields=["cancelled_at"])
    changed = _mark_leave_in_rosters(leave.staff, leave.starts_on, leave.ends_on, on_leave=False)
    audit_record(
        actor=actor,
        action="leave.cancel",
        target=leave,
        before={"cancelled": False},
        after={"cancelled": True, "roster_cells_changed": changed},
        agency_id=leave.staff.unit.agency_id,
    )
    return leave


@transaction.atomic
def unit_event_save(
    *,
    unit: Unit,
    day: dt.date,
    title: str,
    kind: str,
    actor: Any,
    is_for_everyone: bool = True,
    attendees: Sequence[Staff] = (),
    event: UnitEvent | None = None,
) -> UnitEvent:
    """Create or change a meeting, training or team day: the people concerned are on site that day in the next
    generated roster (the head may relax it later, with a warning)."""
    if not selectors.can_manage_unit(actor, unit):
        raise NotPermitted(rule="unit_event.save")
    if not title.strip():
        raise ValidationFailed(_("Give the event a title."), rule="title")
    if kind not in UnitEventKind.values:
        raise ValidationFailed(_("Choose the kind of event."), rule="kind")
    if not calendar.is_working_day(day):
        raise ValidationFailed(_("%(date)s is not a working day.") % {"date": day.strftime("%d/%m/%Y")}, rule="day")
    members = list(attendees)
    outsiders = [member for member in members if member.unit_id != unit.pk]
    if outsiders:
        raise ValidationFailed(_("%(person)s is not in %(unit)s.") % {"person": outsiders[0].full_name, "unit": unit.name}, rule="attendees")
    if not is_for_everyone and not members:
        raise ValidationFailed(_("Choose who must be on site, or mark the event for everyone."), rule="attendees")
    before = None
    if event is None:
        event = UnitEvent.objects.create(unit=unit, day=day, title=title.strip(), kind=kind, is_for_everyone=is_for_everyone, created_by=_actor_user(actor))
    else:
        if event.unit_id != unit.pk:
            raise ValidationFailed(_("This event belongs to another unit."), rule="unit")
        before = {"day": event.day.isoformat(), "title": event.title, "kind": event.kind, "is_for_everyone": event.is_for_everyone}
        event.day, event.title, event.kind, event.is_for_everyone = day, title.strip(), kind, is_for_everyone
        event.save(update_fields=["day", "title", "kind", "is_for_everyone"])
    event.attendees.set([] if is_for_everyone else members)
    after = {
        "day": day.isoformat(),
        "title": event.title,
        "kind": kind,
        "is_for_everyone": is_for_everyone,
        "attendees": sorted(member.code for member in members) if not is_for_everyone else [],
    }
    audit_record(actor=actor, action="unit_event.save", target=event, before=before, after=after, agency_id=unit.agency_id)
    return event


@transaction.atomic
def unit_event_cancel(*, event: UnitEvent, actor: Any) -> UnitEvent:
    """Cancel a meeting, training or team day (the row stays, with ``cancelled_at``)."""
    event = UnitEvent.objects.select_for_update().select_related("unit").get(pk=event.pk)
    if not selectors.can_manage_unit(actor, event.unit):
        raise NotPermitted(rule="unit_event.cancel")
    if event.cancelled_at is not None:
        raise InvalidTransition(_("This event is already cancelled."), rule="unit_event.cancelled_at")
    event.cancelled_at = clock.now()
    event.save(update_fields=["cancelled_at"])
    audit_record(actor=actor, action="unit_event.cancel", target=event, before={"cancelled": False}, after={"cancelled": True}, agency_id=event.unit.agency_id)
    return event
