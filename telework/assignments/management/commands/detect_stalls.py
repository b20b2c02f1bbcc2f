"""``python manage.py detect_stalls [--today YYYY-MM-DD] [--json]``: the daily stall detection in the embedded default
(no Celery workers): run it each working morning from cron or a systemd timer. Running it twice on one day sends
nothing new."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from telework.assignments.services import detect_stalls


class Command(BaseCommand):
    help = "Raise stall and deadline alerts on open work items (no update for N working days, behind schedule, legal deadlines)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the day to check as, YYYY-MM-DD (default: today's local date)")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(f"--today must be a date written YYYY-MM-DD, got {options['today']!r}") from error
        summary = detect_stalls(today=today)
        if options["json"]:
            self.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False))
            return
        if not summary.is_working_day:
            self.stdout.write(f"{summary.today.isoformat()} is not a working day (weekend or public holiday): nothing checked.")
            return
        kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(summary.new_alerts.items())) or "none"
        self.stdout.write(
            f"{summary.today.isoformat()}: {summary.items_checked} open work items checked; "
            f"{summary.new_total} new alerts ({kinds}); {summary.resolved} alerts closed."
        )
