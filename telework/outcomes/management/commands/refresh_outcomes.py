"""``python manage.py refresh_outcomes [--day YYYY-MM-DD | --rebuild] [--json]``: recompute the outcome panel's week
of a day (default: yesterday, as the nightly job does) or the whole panel. A rebuild is audited."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from telework.core import clock
from telework.outcomes import panel


class Command(BaseCommand):
    help = "Recompute the outcome panel: the week of a day (default yesterday) or, with --rebuild, every week."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--day", help="recompute the week of this day, YYYY-MM-DD (default: yesterday's local date)")
        group.add_argument("--rebuild", action="store_true", help="recompute every week from the first record to this week")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            result = panel.rebuild()
        else:
            day = clock.today() - dt.timedelta(days=1)
            if options["day"]:
                try:
                    day = dt.date.fromisoformat(options["day"])
                except ValueError as error:
                    raise CommandError(f"--day must be a date written YYYY-MM-DD, got {options['day']!r}") from error
            result = panel.refresh(day)
        refresh = result.refresh
        summary = {
            "kind": refresh.kind,
            "first_week": refresh.first_week.isoformat() if refresh.first_week else None,
            "last_week": refresh.last_week.isoformat() if refresh.last_week else None,
            "rows": refresh.rows,
            "seconds": round(result.seconds, 2),
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary))
            return
        self.stdout.write(
            f"Outcome panel ({summary['kind']}): weeks {summary['first_week']} to {summary['last_week']}, {summary['rows']} values in {summary['seconds']} s."
        )
