"""Record and alert the check-ins missed on a working day (the Celery beat job, runnable by hand or from cron).

    uv run python manage.py detect_missed_checkins [--today | --day YYYY-MM-DD] [--cutoff 09:00] [--json]

Without ``--today`` or ``--day`` it takes the latest working day whose cut-off has passed (today after the cut-off,
otherwise the previous working day), so a run at any hour catches up. ``--today`` checks today only and does nothing
before the cut-off. Running it again records and alerts nobody twice.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from telework.attendance import rules, selectors
from telework.attendance.services import missed_check_ins_detect
from telework.core import calendar, clock


def _parse_time(value: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--cutoff must be a time such as 09:00, got {value!r}") from error


def _parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--day must be a date such as 2026-12-01, got {value!r}") from error


def latest_day_due(now: dt.datetime, cutoff: dt.time) -> dt.date:
    """The latest working day whose cut-off has passed at ``now`` (local time)."""
    day = timezone.localdate(now)
    if not (calendar.is_working_day(day) and timezone.localtime(now) >= rules.cutoff_moment(day, cutoff, timezone.get_current_timezone())):
        day -= dt.timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
    return day


class Command(BaseCommand):
    help = "Record and alert the check-ins missed after the cut-off on a working day (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--today", action="store_true", help="check today (nothing happens before the cut-off)")
        which.add_argument("--day", help="check this past day, YYYY-MM-DD")
        parser.add_argument("--cutoff", default=selectors.DEFAULT_CUTOFF.strftime("%H:%M"), help="local time after which a check-in is missed (default 09:00)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = _parse_time(options["cutoff"])
        now = clock.now()
        if options["today"]:
            day = timezone.localdate(now)
        elif options["day"]:
            day = _parse_day(options["day"])
            if day > timezone.localdate(now):
                raise CommandError(f"{day.isoformat()} is in the future: a check-in cannot be missed yet")
        else:
            day = latest_day_due(now, cutoff)
        result = missed_check_ins_detect(day=day, now=now, cutoff=cutoff).as_dict()
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        if result["skipped"] == "before_cutoff":
            self.stdout.write(f"{result['day']}: the cut-off {result['cutoff']} has not passed yet; nothing checked.")
        elif result["skipped"]:
            self.stdout.write(f"{result['day']}: not a working day ({result['skipped']}); nothing to check.")
        else:
            self.stdout.write(
                f"{result['day']}: {result['expected']} expected by the rosters, {result['checked_in']} checked in, "
                f"{result['missed']} missed ({result['new']} newly recorded and alerted)."
            )
