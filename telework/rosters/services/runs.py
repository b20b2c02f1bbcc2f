"""Generating many rosters at once (a week, city-wide or for one agency): in a process pool, or fanned out to Celery
workers by chunks of agencies; the ``RosterRun`` the screens poll; and the re-solve after a city-wide switch."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
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
from telework.rosters.models import Roster, RosterRun, RosterRunUnit, RosterStatus
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


def _chunks(units: Iterable[tuple[int, int]]) -> list[list[int]]:
    """``(unit id, agency id)`` pairs cut into chunks of at most ``UNITS_PER_TASK`` units. Small agencies are packed
    whole into a chunk (a chunk loads its agencies' policies once); an agency larger than a chunk is cut into pieces
    of near-equal size, so that one large department does not become one long task that the other workers wait for
    (each unit is solved alone: the cut changes no roster)."""
    by_agency: dict[int, list[int]] = defaultdict(list)
    for unit_id, agency_id in units:
        by_agency[agency_id].append(unit_id)
    chunks: list[list[int]] = [[]]
    for agency_id in sorted(by_agency):
        agency_units = sorted(by_agency[agency_id])
        pieces = -(-len(agency_units) // UNITS_PER_TASK)
        if pieces > 1:
            size = -(-len(agency_units) // pieces)
            chunks.extend(agency_units[start : start + size] for start in range(0, len(agency_units), size))
            chunks.append([])
            continue
        if chunks[-1] and len(chunks[-1]) + len(agency_units) > UNITS_PER_TASK:
            chunks.append([])
        chunks[-1].extend(agency_units)
    return [chunk for chunk in chunks if chunk]


def _queue_chunks(run: RosterRun, chunks: list[list[int]]) -> None:
    """Queue one ``rosters.generate_units`` task per chunk, when the current transaction commits."""
    actor_id = run.started_by_id
    for chunk in chunks:
        follow_ups.after_commit(follow_ups.UNITS_CHUNK, run.pk, chunk, run.week_start.isoformat(), actor_id, run.reason)


def _fan_out(run: RosterRun, unit_list: list[Unit], *, week_start: dt.date, actor: User | None, reason: str, started: float) -> dict[str, Any]:
    """Queue one Celery task per chunk of agencies (about ``UNITS_PER_TASK`` units each); the tasks update ``run``.
    Returns the run's state when queued: the caller polls ``RosterRun`` for progress and the final summary.

    Each unit gets its pending row in the run's ledger (``RosterRunUnit``) in the same transaction as the run's total,
    so a run's progress and what is left of it never depend on a message arriving."""
    chunks = _chunks((unit.pk, unit.agency_id) for unit in unit_list)
    with transaction.atomic():
        locked = RosterRun.objects.select_for_update().get(pk=run.pk)
        if RosterRunUnit.objects.filter(run=locked).exists():
            # Delivered again after its fan-out committed (the worker died before acknowledging): the ledger is there,
            # and the stall sweep queues whatever is still pending.
            return {"week": run.iso_week, "mode": "celery", "run": run.pk, "tasks": 0, "units": locked.units_total, "seconds": {"queue": 0.0}}
        RosterRunUnit.objects.bulk_create(RosterRunUnit(run=locked, unit_id=unit.pk) for unit in unit_list)
        RosterRun.objects.filter(pk=run.pk).update(units_total=len(unit_list), summary={"mode": "celery", "tasks": len(chunks)}, progress_at=clock.now())
        _queue_chunks(locked, chunks)
    return {
        "week": run.iso_week,
        "mode": "celery",
        "run": run.pk,
        "tasks": len(chunks),
        "units": len(unit_list),
        "seconds": {"queue": round(time.perf_counter() - started, 3)},
    }


def generate_units_chunk(*, run: RosterRun, unit_ids: list[int], week_start: dt.date, actor: User | None, reason: str) -> int:
    """One Celery task's share of a run: load, solve and save the units of ``unit_ids`` still pending in the run's
    ledger; count the run's progress from the ledger, and close the run with its summary when no unit is left.

    Idempotent, whatever the deliveries: a chunk delivered twice (a worker killed before acknowledging it, the sweep
    queuing it again, Redis restoring it) may be solved twice, but it is stored once — under the run's row lock, each
    unit is stored only if its ledger row is still pending, and ``one_roster_per_unit_per_run`` backs that up. Returns
    the number of rosters this call stored."""
    pending = set(RosterRunUnit.objects.filter(run=run, unit_id__in=unit_ids, done_at__isnull=True).values_list("unit_id", flat=True))
    if not pending:
        _count_progress(run.pk)
        return 0
    units = list(Unit.objects.select_related("agency").filter(pk__in=pending).order_by("pk"))
    lap_started = time.perf_counter()
    loaded = load_units(units, week_start)
    load_seconds = time.perf_counter() - lap_started
    results = {result.roster.unit_id: result for result in solve_units([item.instance for item in loaded], workers=1)}
    share = {"load": load_seconds / max(1, len(loaded))}
    solved = [prepare(item, results[item.unit.pk], {**share, "solve": results[item.unit.pk].certificate.wall_seconds}) for item in loaded]
    lap_started = time.perf_counter()
    with transaction.atomic():
        # The run's row lock serialises the chunks' writes: whoever comes second sees what the first stored.
        RosterRun.objects.select_for_update().filter(pk=run.pk).first()
        ledger = {row.unit_id: row for row in RosterRunUnit.objects.filter(run=run, unit_id__in=pending, done_at__isnull=True)}
        solved = [item for item in solved if item.loaded.unit.pk in ledger]
        rosters = store(solved, week_start=week_start, actor=actor, reason=reason or _("Generated for the whole week"), run=run)
        save_share = (time.perf_counter() - lap_started) / max(1, len(rosters))
        for roster in rosters:
            roster.certificate.setdefault("timings", {})["save"] = round(save_share, 6)
            Roster.objects.filter(pk=roster.pk).update(certificate=roster.certificate)
        # Every pending unit of the chunk is now done: with its roster, or without one (nobody to roster).
        now = clock.now()
        roster_of_unit = {roster.unit_id: roster for roster in rosters}
        for unit_id, row in ledger.items():
            row.roster = roster_of_unit.get(unit_id)
            row.done_at = now
        RosterRunUnit.objects.bulk_update(ledger.values(), ["roster", "done_at"])
        _count_progress(run.pk, locked=True)
    return len(rosters)


def _count_progress(run_id: int, *, locked: bool = False) -> None:
    """Set the run's progress from its ledger and close it when no unit is pending (once: under the run's lock, and
    only a running run closes)."""
    with transaction.atomic():
        if not locked:
            RosterRun.objects.select_for_update().filter(pk=run_id).first()
        counts = RosterRunUnit.objects.filter(run_id=run_id).aggregate(total=Count("pk"), done=Count("pk", filter=Q(done_at__isnull=False)))
        if not counts["total"]:
            return
        RosterRun.objects.filter(pk=run_id).update(units_done=counts["done"], progress_at=clock.now())
        if counts["done"] >= counts["total"] and RosterRun.objects.filter(pk=run_id, status=RosterRun.Status.RUNNING).update(status=RosterRun.Status.DONE):
            _close_run(run_id)


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
    if run.requeued:
        summary["requeued"] = run.requeued
    RosterRun.objects.filter(pk=run_id).update(summary=summary, finished_at=clock.now())


def roster_runs_requeue_stalled(*, stall_minutes: int | None = None) -> dict[str, int]:
    """The sweep (beat job ``rosters-requeue-stalled-runs``): queue again what a stalled run still lacks.

    A run fanned out to workers that has stored nothing for ``ROSTER_RUN_STALL_MINUTES`` lost a message: Redis
    restarted without its queue, or a worker's host died and the broker has not delivered its chunk again yet. Its
    pending units (the ledger) are queued again in chunks; a run whose fan-out itself was lost (no ledger yet) is
    started again. Both are idempotent, so a chunk that was only slow costs a second solve, never a second roster.
    Each re-queue is audited on the run. Returns how many runs and units were queued again."""
    minutes = stall_minutes or int(getattr(django_settings, "ROSTER_RUN_STALL_MINUTES", 10))
    now = clock.now()
    stalled_before = now - dt.timedelta(minutes=minutes)
    candidates = list(
        RosterRun.objects.filter(status=RosterRun.Status.RUNNING, finished_at__isnull=True)
        .annotate(last_progress=Coalesce("progress_at", "started_at"))
        .filter(last_progress__lt=stalled_before)
        .values_list("pk", flat=True)
    )
    requeued = {"runs": 0, "units": 0}
    for run_id in candidates:
        with transaction.atomic():
            run = RosterRun.objects.select_for_update().filter(pk=run_id, status=RosterRun.Status.RUNNING).first()
            if run is None or (run.progress_at or run.started_at) >= stalled_before:
                continue  # finished, or moved on, since the list was read
            pending = list(RosterRunUnit.objects.filter(run=run, done_at__isnull=True).values_list("unit_id", "unit__agency_id"))
            has_ledger = bool(pending) or RosterRunUnit.objects.filter(run=run).exists()
            if has_ledger and not pending:
                _count_progress(run.pk, locked=True)
                continue
            RosterRun.objects.filter(pk=run.pk).update(requeued=run.requeued + 1, progress_at=now)
            if has_ledger:
                _queue_chunks(run, _chunks(pending))
            else:
                follow_ups.after_commit(follow_ups.RUN_STARTED, run.pk)
            audit_record(
                actor=None,
                action="roster.generate_many.requeue",
                target=run,
                after={"week": run.iso_week, "units_pending": len(pending) if has_ledger else run.units_total, "stalled_minutes": minutes},
                agency_id=run.agency_id,
            )
            requeued["runs"] += 1
            requeued["units"] += len(pending)
    return requeued


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
