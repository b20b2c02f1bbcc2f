"""``manage.py roster_solve --week 2026-W49 [--agency CODE] [--workers N] [--json]``: generate every unit's roster for a
week (issue 3, item 6)."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from telework.core.exceptions import DomainError
from telework.organization.models import Agency
from telework.rosters.models import RosterRun
from telework.rosters.selectors import parse_iso_week
from telework.rosters.services import default_workers, rosters_generate_many

CELERY_POLL_SECONDS = 1.0
CELERY_TIMEOUT_SECONDS = 3600.0


class Command(BaseCommand):
    help = (
        "Generate the roster of every unit (or of one agency's units) for an ISO week: loads the organisation, "
        "registrations, leave, events and history in bulk, solves each unit with CP-SAT in a process pool (or as Celery "
        "tasks when CELERY_BROKER_URL is set), and saves each roster as a new draft version with its certificate. "
        "Progress goes to stderr; --json prints the summary (units, staff, share proven optimal, hard violations "
        "counted by the independent checker against the unavoidable ones, seconds per phase)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", required=True, help="ISO week, e.g. 2026-W49")
        parser.add_argument("--agency", default=None, help="only this agency's units (agency code)")
        parser.add_argument("--workers", type=int, default=None, help=f"solver processes (default: every core, here {default_workers()})")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        try:
            week_start = parse_iso_week(options["week"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        agency = None
        if options["agency"]:
            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(f"No agency with code {options['agency']!r}.")
        if options["workers"] is not None and options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        progress = _Progress(self.stderr, started)
        try:
            summary = rosters_generate_many(
                week_start=week_start,
                actor=None,
                agency=agency,
                workers=options["workers"],
                progress=progress,
                reason=f"manage.py roster_solve --week {options['week']}",
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        if summary.get("mode") == "celery":
            summary = self._wait_for_celery(int(summary["run"]), progress)
        progress.finish()
        summary["seconds"]["command"] = round(time.perf_counter() - started, 3)
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False))
        else:
            seconds = summary["seconds"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"{summary['week']}: {summary['units']} units, {summary['staff']} staff; {summary['optimal_share']:.2%} proven optimal; "
                    f"{summary['hard_violations']} hard violations ({summary['unavoidable']} unavoidable); "
                    f"load {seconds.get('load', 0)} s, solve {seconds.get('solve', 0)} s, save {seconds.get('save', 0)} s, "
                    f"whole command {seconds['command']} s."
                )
            )

    def _wait_for_celery(self, run_id: int, progress: _Progress) -> dict[str, Any]:
        deadline = time.monotonic() + CELERY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            run = RosterRun.objects.get(pk=run_id)
            progress(run.units_done, run.units_total)
            if run.status == RosterRun.Status.FAILED:
                raise CommandError(run.error or "The generation failed.")
            if run.status == RosterRun.Status.DONE and run.finished_at is not None:
                return dict(run.summary)
            time.sleep(CELERY_POLL_SECONDS)
        raise CommandError(f"The Celery workers did not finish run {run_id} within {CELERY_TIMEOUT_SECONDS:.0f} s.")


class _Progress:
    """Units done / total and elapsed seconds on stderr: one line rewritten in place on a terminal, a line per update
    (at most every half second, and at the end) otherwise."""

    def __init__(self, stream: Any, started: float) -> None:
        self.stream = stream
        self.started = started
        self.last = 0.0
        self.shown = False
        self.in_place = bool(getattr(stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - self.last < 0.5 and done < total:
            return
        self.last = now
        self.shown = True
        line = f"roster_solve: {done}/{total} units solved, {now - self.started:.1f} s elapsed"
        self.stream.write(f"\r{line}" if self.in_place else line, ending="" if self.in_place else "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.shown and self.in_place:
            self.stream.write("")
