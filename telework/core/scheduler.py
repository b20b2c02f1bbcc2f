"""The in-process scheduler: periodic jobs run by themselves in the embedded default (no Celery broker).

It reads the same schedule as Celery beat (``settings.CELERY_BEAT_SCHEDULE``), asks ``core.scheduling`` which slot
of each job is due, claims the slot by inserting its ``ScheduledRun`` row — the unique (job, slot) constraint lets
exactly one process win, however many web processes run the loop — then runs the task's body in this process and
records the outcome and the counts the task returned. With a broker, beat sends the jobs to the workers instead and
each run is recorded by the ``task_postrun`` hook below, so the boards read "last ran at …" the same way.

The loop is a daemon thread started once per serving process (``CoreConfig.ready`` → ``maybe_start``): under
``runserver`` and gunicorn, not under other management commands (migrate, seed_demo…) nor in tests.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, connections, transaction
from django.utils import timezone

from telework.core import calendar, clock, metrics
from telework.core.models import ScheduledRun
from telework.core.scheduling import Job, cron_weekday_to_python, due_slots

logger = logging.getLogger(__name__)

SERVING_COMMANDS = frozenset({"runserver"})
SERVING_PROGRAMS = ("gunicorn", "uvicorn", "daphne")


def jobs_from_beat_schedule(schedule: dict[str, Any] | None = None) -> list[Job]:
    """The beat schedule's crontab entries as ``Job`` values (entries with another kind of schedule are left out:
    beat alone runs those)."""
    from celery.schedules import crontab

    schedule = settings.CELERY_BEAT_SCHEDULE if schedule is None else schedule
    jobs = []
    for name, entry in schedule.items():
        when = entry.get("schedule")
        if not isinstance(when, crontab):
            continue
        # crontab keeps its expanded sets as attributes the type stubs do not declare.
        fields: Any = when
        jobs.append(
            Job(
                name=name,
                task=entry["task"],
                minutes=frozenset(fields.minute),
                hours=frozenset(fields.hour),
                weekdays=frozenset(cron_weekday_to_python(day) for day in fields.day_of_week),
                kwargs=dict(entry.get("kwargs") or {}),
                working_days_only=name not in getattr(settings, "SCHEDULER_EVERY_DAY_JOBS", ()),
            )
        )
    return jobs


def _runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def claim(job: Job, slot: dt.datetime) -> ScheduledRun | None:
    """Insert the run's row, or None when another process (or an earlier pass) already holds this slot. A database
    too busy to take the insert (SQLite's lock while another process writes) is no claim either: the next pass
    tries again, and finds the row if the other process took the slot."""
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=job.name, slot=slot, started_at=clock.now(), runner=_runner())
    except IntegrityError:
        return None
    except OperationalError:
        logger.warning("Could not claim %s at %s: the database is busy; the next pass tries again", job.name, slot)
        return None


def _jsonable_counts(result: Any) -> dict[str, Any]:
    if isinstance(result, dict):
        return {str(key): value for key, value in result.items() if isinstance(value, (int, float, str, bool)) or value is None}
    if isinstance(result, (int, float)):
        return {"count": result}
    return {}


def run_job(job: Job, slot: dt.datetime) -> ScheduledRun | None:
    """Claim ``slot`` of ``job`` and run its task's body here; None when the slot was already taken."""
    run = claim(job, slot)
    if run is None:
        return None
    from django.utils.module_loading import autodiscover_modules

    from config.celery import app

    # A web process imports an app's tasks module only when something uses it: load them all, as a worker would.
    autodiscover_modules("tasks")
    try:
        result = app.tasks[job.task](**dict(job.kwargs))
    except Exception as error:
        logger.exception("Scheduled job %s failed", job.name)
        metrics.task_finished(job.task, "failure")
        ScheduledRun.objects.filter(pk=run.pk).update(outcome=ScheduledRun.Outcome.FAILED, error=str(error)[:2000], finished_at=clock.now())
    else:
        metrics.task_finished(job.task, "success")
        ScheduledRun.objects.filter(pk=run.pk).update(outcome=ScheduledRun.Outcome.SUCCEEDED, counts=_jsonable_counts(result), finished_at=clock.now())
    run.refresh_from_db()
    return run


def run_due_jobs(jobs: Sequence[Job] | None = None) -> list[ScheduledRun]:
    """One pass of the scheduler: run every job whose latest slot is due and not yet claimed. Returns the runs this
    process made."""
    jobs = jobs_from_beat_schedule() if jobs is None else list(jobs)
    runs = []
    for job, slot in due_slots(list(jobs), clock.local_now(), calendar.is_working_day):
        run = run_job(job, slot)
        if run is not None:
            runs.append(run)
    return runs


def last_run(task: str) -> ScheduledRun | None:
    """The latest recorded run of the scheduled job(s) that run ``task`` (a Celery task name), for the boards."""
    names = [name for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry.get("task") == task]
    if not names:
        return None
    return ScheduledRun.objects.filter(job__in=names).exclude(outcome=ScheduledRun.Outcome.RUNNING).order_by("-started_at", "-id").first()


# --- The loop -----------------------------------------------------------------------------------------------------

_started = threading.Event()
_start_lock = threading.Lock()
_thread: threading.Thread | None = None


def is_serving(argv: Sequence[str]) -> bool:
    """Whether this process serves the web app: ``manage.py runserver`` or a WSGI/ASGI server program."""
    program = os.path.basename(argv[0]) if argv else ""
    if program.startswith(SERVING_PROGRAMS):
        return True
    return len(argv) > 1 and argv[1] in SERVING_COMMANDS


def should_start(argv: Sequence[str]) -> bool:
    """Start the loop in serving processes of deployments without a broker (``SCHEDULER_IN_PROCESS``)."""
    return bool(getattr(settings, "SCHEDULER_IN_PROCESS", False)) and is_serving(argv)


def _loop(interval_seconds: float, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            run_due_jobs()
        except Exception:
            logger.exception("The in-process scheduler's pass failed")
        finally:
            connections.close_all()
        stop.wait(interval_seconds)


def start(*, interval_seconds: float | None = None) -> threading.Event | None:
    """Start the loop's daemon thread once per process; returns the event that stops it (None if already started)."""
    with _start_lock:
        if _started.is_set():
            return None
        _started.set()
    global _thread
    stop = threading.Event()
    interval = interval_seconds if interval_seconds is not None else float(getattr(settings, "SCHEDULER_INTERVAL_SECONDS", 30))
    _thread = threading.Thread(target=_loop, args=(interval, stop), name="telework-scheduler", daemon=True)
    _thread.start()
    return stop


def maybe_start(argv: Sequence[str]) -> None:
    if should_start(argv):
        start()


# --- Runs sent by Celery beat ------------------------------------------------------------------------------------


def record_beat_run(task_name: str, result: Any, *, failed: bool, error: str = "") -> None:
    """With a broker, beat sends the jobs to the workers: record each finished run of a scheduled task (slot = the
    minute it finished, local), so the boards read the same table."""
    names = [name for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry.get("task") == task_name]
    if not names:
        return
    now = clock.now()
    slot = timezone.localtime(now).replace(second=0, microsecond=0)
    outcome = ScheduledRun.Outcome.FAILED if failed else ScheduledRun.Outcome.SUCCEEDED
    ScheduledRun.objects.update_or_create(
        job=names[0],
        slot=slot,
        defaults={"started_at": now, "finished_at": now, "outcome": outcome, "counts": _jsonable_counts(result), "error": error[:2000], "runner": _runner()},
    )
