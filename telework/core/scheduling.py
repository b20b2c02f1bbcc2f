"""When a periodic job is due: pure rules over plain data (no ORM, no clock of its own).

The schedule is the one Celery beat reads (``settings.CELERY_BEAT_SCHEDULE``); ``core.scheduler`` turns its crontab
entries into ``Job`` values and runs, in-process, what ``latest_due_slot`` names when no broker is configured. A slot
is a local wall-clock moment (Asia/Ho_Chi_Minh) on which the job should run: a matching minute, hour and weekday, on
a working day (public holidays skipped, like the jobs themselves skip them). After downtime only the latest missed
slot within ``lookback`` is run, once — never a backlog of stale alerts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_LOOKBACK = dt.timedelta(hours=12)


@dataclass(frozen=True)
class Job:
    """One periodic job: its beat name, the Celery task it runs with its keyword arguments, and when (local time).

    ``weekdays`` uses Python's numbering (0 = Monday); ``working_days_only`` skips weekends and public holidays.
    """

    name: str
    task: str
    minutes: frozenset[int]
    hours: frozenset[int]
    weekdays: frozenset[int] = frozenset(range(7))
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    working_days_only: bool = True

    def matches(self, moment: dt.datetime, is_working_day: Callable[[dt.date], bool]) -> bool:
        """Whether ``moment`` (local, to the minute) is one of the job's slots."""
        if moment.minute not in self.minutes or moment.hour not in self.hours or moment.weekday() not in self.weekdays:
            return False
        return not self.working_days_only or is_working_day(moment.date())


def latest_due_slot(
    job: Job,
    now: dt.datetime,
    is_working_day: Callable[[dt.date], bool],
    *,
    lookback: dt.timedelta = DEFAULT_LOOKBACK,
) -> dt.datetime | None:
    """The latest slot of ``job`` at or before ``now`` and after ``now - lookback`` (local times, seconds dropped),
    or None. Walks back day by day, then through the job's hours and minutes, latest first."""
    now = now.replace(second=0, microsecond=0)
    earliest = now - lookback
    day = now.date()
    while dt.datetime.combine(day, dt.time.max, tzinfo=now.tzinfo) > earliest:
        if day.weekday() in job.weekdays and (not job.working_days_only or is_working_day(day)):
            for hour in sorted(job.hours, reverse=True):
                for minute in sorted(job.minutes, reverse=True):
                    slot = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=now.tzinfo)
                    if earliest < slot <= now:
                        return slot
        day -= dt.timedelta(days=1)
    return None


def due_slots(
    jobs: list[Job],
    now: dt.datetime,
    is_working_day: Callable[[dt.date], bool],
    *,
    lookback: dt.timedelta = DEFAULT_LOOKBACK,
) -> list[tuple[Job, dt.datetime]]:
    """Each job's latest due slot, in job order (jobs with none left out). The caller claims each (job, slot) once."""
    found = []
    for job in jobs:
        slot = latest_due_slot(job, now, is_working_day, lookback=lookback)
        if slot is not None:
            found.append((job, slot))
    return found


def cron_weekday_to_python(cron_weekday: int) -> int:
    """Cron and Celery count Sunday as 0 (and 7); Python counts Monday as 0."""
    return (cron_weekday - 1) % 7
