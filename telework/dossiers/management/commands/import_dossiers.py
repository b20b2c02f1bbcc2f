"""``manage.py import_dossiers FILE --agency CODE [--valid-only] [--ratings] [--json]``: the one-stop system's daily
export (or, with ``--ratings``, the public-service portal's rating export) into the dossier register, from the shell
or a nightly job.

Prints the counts (created, updated, unchanged, refused) and each refused row with its reasons; ``--json`` prints
the same as one JSON object. Exits with status 1 (``CommandError``) when nothing was imported: an unreadable or
oversized file, or rows with errors without ``--valid-only``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from telework.dossiers.importing import MAX_FILE_BYTES
from telework.dossiers.imports import ImportReport, dossiers_import, ratings_import
from telework.organization.importing.layout import REFUSED
from telework.organization.models import Agency


class Command(BaseCommand):
    help = "Import the one-stop system's dossier export (or the portal's rating export) into the dossier register."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx or .csv export.")
        parser.add_argument("--agency", required=True, help="Code of the agency whose dossiers the file holds.")
        parser.add_argument("--valid-only", action="store_true", help="Import the valid rows even if other rows have errors.")
        parser.add_argument("--ratings", action="store_true", help="The file is the public-service portal's rating export.")
        parser.add_argument("--json", action="store_true", help="Print the counts and refused rows as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(_("No agency has the code %(code)s.") % {"code": options["agency"]})
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(
                _("The file is %(size_mb)s MB; an export may be at most %(max_mb)s MB. Export fewer days at a time.")
                % {"size_mb": round(path.stat().st_size / 1024 / 1024, 1), "max_mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        service = ratings_import if options["ratings"] else dossiers_import
        report = service(actor=None, agency=agency, file_name=path.name, content=path.read_bytes(), valid_only=options["valid_only"])
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(report), ensure_ascii=False))
        else:
            self._print(report)
        if report.file_problems:
            raise CommandError(report.file_problems[0].text())
        if not report.applied:
            raise CommandError(
                _("%(count)s rows have errors: nothing was imported. Correct them, or run again with --valid-only.") % {"count": len(report.refused)}
            )

    def _print(self, report: ImportReport) -> None:
        counts = report.counts
        self.stdout.write(
            _("Rows: %(rows)s; created: %(created)s; updated: %(updated)s; unchanged: %(unchanged)s; refused: %(refused)s.")
            % {key: counts[key] for key in ("rows", "created", "updated", "unchanged", "refused")}
        )
        for outcome in report.outcomes:
            for problem in outcome.problems:
                where = _("row %(row)s") % {"row": outcome.number}
                column = f" — {problem.column}" if problem.column else ""
                self.stdout.write(f"{where}{column}: {problem.text()}")


def _as_json(report: ImportReport) -> dict[str, Any]:
    return {
        **report.counts,
        "applied": report.applied,
        "file_problems": [problem.text() for problem in report.file_problems],
        "problems": [
            {"row": outcome.number, "code": outcome.code, "refused": outcome.action == REFUSED, "column": problem.column, "message": problem.text()}
            for outcome in report.outcomes
            for problem in outcome.problems
        ],
    }
