"""Generating many rosters at once (a week, city-wide or for one agency): in a process pool, or fanned out to Celery
workers by chunks of agencies; the ``RosterRun`` the screens poll; and the re-solve after a city-wide switch."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core import calendar, clock
from telework.core.audit import audit_record
from telework.core.background import uses_celery_workers
from telework.core.exceptions import NotPermitted
from telework.organization.models import Agency, Unit
from telework.policy.models import SwitchKind
from telework.rosters import selectors
from telework.rosters.adapters import load_units
from telework.rosters.engine.solver import SolveSettings, solve_units
from telework.rosters.models import Roster, RosterRun, RosterStatus
from telework.rosters.services import follow_ups
from telework.rosters.services.common import actor_user, week_days
from telework.rosters.services.generation import default_workers, prepare, start_method, store, summarise

# Below this many staff a process pool costs more than it saves.
POOL_MINIMUM_STAFF = 400
PROGRESS_SAVE_SECONDS = 0.5
UNITS_PER_TASK = 50

ProgressCallback = Callable[[int, int], None]


def rosters_generate_many(
    *,
    week_start: dt.date,
    actor: User | None,
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
    week_days(week_start)
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
            week_start=week_start, iso_week=selectors.iso_week_of(week_start), agency=agency, reason=reason[:200], started_by=actor_user(actor)
        )
    if uses_celery_workers():
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
        [item.instance for item in loaded], workers=workers, settings=settings, start_method=start_method(), progress=lambda done, _total: report(done)
    )
    by_unit = {result.roster.unit_id: result for result in results}
    solved = [prepare(item, by_unit[item.unit.pk]) for item in loaded]
    solve_seconds = time.perf_counter() - lap_started
    lap_started = time.perf_counter()
    with transaction.atomic():
        rosters = store(solved, week_start=week_start, actor=actor, reason=reason or _("Generated for the whole week"), run=run)
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


def _fan_out(run: RosterRun, unit_list: list[Unit], *, week_start: dt.date, actor: User | None, reason: str, started: float) -> dict[str, Any]:
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
    actor_id = actor_user(actor).pk if actor_user(actor) is not None else None
    for chunk in chunks:
        follow_ups.after_commit(follow_ups.UNITS_CHUNK, run.pk, chunk, week_start.isoformat(), actor_id, reason)
    return {
        "week": run.iso_week,
        "mode": "celery",
        "run": run.pk,
        "tasks": len(chunks),
        "units": len(unit_list),
        "seconds": {"queue": round(time.perf_counter() - started, 3)},
    }


def generate_units_chunk(*, run: RosterRun, unit_ids: list[int], week_start: dt.date, actor: User | None, reason: str) -> int:
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
    solved = [prepare(item, results[item.unit.pk], {**share, "solve": results[item.unit.pk].certificate.wall_seconds}) for item in loaded]
    lap_started = time.perf_counter()
    with transaction.atomic():
        rosters = store(solved, week_start=week_start, actor=actor, reason=reason or _("Generated for the whole week"), run=run)
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


def roster_run_start(*, week_start: dt.date, actor: User, agency: Agency | None = None) -> RosterRun:
    """Start a many-unit generation for the screens: the run is created now and the work is queued on commit (run
    in-process when no broker is configured, so it has finished when the request returns). Poll the run."""
    if not selectors.can_generate_city(actor):
        raise NotPermitted(rule="roster.generate_many")
    week_days(week_start)
    with transaction.atomic():
        run = RosterRun.objects.create(
            week_start=week_start, iso_week=selectors.iso_week_of(week_start), agency=agency, reason=_("Generated for the whole week"), started_by=actor
        )
        audit_record(actor=actor, action="roster.generate_many.start", target=run, after={"week": run.iso_week, "agency": agency.code if agency else None})
        follow_ups.after_commit(follow_ups.RUN_STARTED, run.pk)
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
            follow_ups.after_commit(follow_ups.HEADS_REGENERATED, new_ids, reason)
    return summaries
