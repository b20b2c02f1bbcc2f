"""``manage.py import_staff FILE --agency CODE [--valid-only] [--accept-structure] [--dry-run]``: the web import,
from the shell.

Exits with status 1 (``CommandError``) whenever the file is not imported, or, with ``--dry-run``, would not be: an
unreadable or oversized file, rows with errors (without ``--valid-only``), no row to import, or changes to the
agency's structure (new or changed units and positions, names the file writes differently) without
``--accept-structure``: they are listed, and nothing changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from telework.organization import importing
from telework.organization.models import Agency
from telework.organization.services import ImportRefused, staff_import, staff_import_preview


class Command(BaseCommand):
    help = "Import an agency's staff list (.xlsx or .csv, the HR layout) and print the row-by-row report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument("--agency", required=True, help="Code of the agency the staff belong to.")
        parser.add_argument("--valid-only", action="store_true", help="Import the valid rows even if other rows have errors.")
        parser.add_argument(
            "--accept-structure",
            action="store_true",
            help="Confirm the listed changes to the agency's structure (new or changed units and positions); without it they are listed and nothing is imported.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Print the report without importing anything.")
        parser.add_argument("--problems-only", action="store_true", help="Print only the rows with errors or warnings.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(_("No agency has the code %(code)s.") % {"code": options["agency"]})
        size = path.stat().st_size
        if size > importing.MAX_IMPORT_FILE_BYTES:
            raise CommandError(
                _("The file is %(size_mb)s MB; a staff list may be at most %(max_mb)s MB. Split it by unit and import each part.")
                % {"size_mb": round(size / 1024 / 1024, 1), "max_mb": importing.MAX_IMPORT_FILE_BYTES // (1024 * 1024)}
            )
        content = path.read_bytes()
        if options["dry_run"]:
            report = staff_import_preview(actor=None, agency=agency, file_name=path.name, content=content)
            self._print(report, agency, problems_only=options["problems_only"])
            self.stdout.write(_("Dry run: nothing was imported."))
            # A dry run that finds the file would be refused fails too (exit status 1), so a script can check a file.
            if not report.is_readable:
                raise CommandError(report.file_problems[0].text())
            if report.error_rows and not options["valid_only"]:
                raise CommandError(
                    ngettext(
                        "%(count)s row has errors: the import would be refused.", "%(count)s rows have errors: the import would be refused.", report.error_rows
                    )
                    % {"count": report.error_rows}
                )
            if report.structure_changes and not options["accept_structure"]:
                raise CommandError(_("The file changes the agency's structure: run again with --accept-structure to apply the changes listed."))
            return
        try:
            result = staff_import(
                actor=None, agency=agency, file_name=path.name, content=content, valid_only=options["valid_only"], accept_structure=options["accept_structure"]
            )
        except ImportRefused as refusal:
            self._print(refusal.report, agency, problems_only=options["problems_only"])
            if refusal.rule == "import_structure_confirmed":
                raise CommandError(
                    _("The file changes the agency's structure (listed above); nothing was imported. Run again with --accept-structure to apply them.")
                    + f" [{refusal.rule}]"
                ) from refusal
            raise CommandError(f"{refusal.message} [{refusal.rule}]") from refusal
        self._print(result.report, agency, problems_only=options["problems_only"])
        self.stdout.write(self.style.SUCCESS(_("Imported into %(agency)s (audit #%(id)s).") % {"agency": agency.name, "id": result.audit_event.pk}))

    def _print(self, report: importing.ImportReport, agency: Agency, *, problems_only: bool) -> None:
        write = self.stdout.write
        write(_("File %(file)s → %(agency)s (%(code)s)") % {"file": report.file_name, "agency": agency.name, "code": agency.code})
        for problem in report.file_problems:
            write(self.style.ERROR("  " + problem.text()))
        if not report.is_readable:
            return
        write(_("Header on row %(row)s.") % {"row": report.header_row})
        if report.footer_row:
            write(_("The list ends at row %(row)s (signature footer or totals, not read).") % {"row": report.footer_row})
        if report.ignored_headers:
            write(_("Columns not used: %(columns)s") % {"columns": ", ".join(report.ignored_headers)})
        for notice in report.notices:
            write(self.style.WARNING("  " + notice.text()))
        changes = report.structure_changes
        if changes:
            write(self.style.WARNING(_("Changes to the agency's structure (applied only with --accept-structure):")))
            if report.codes_given:
                write(
                    "  "
                    + _(
                        "The file gives units and positions by name only: a new one gets its code from the import (the agency's code and a number for a unit, VT and a number for a position)."
                    )
                )
            for kind, plan in changes:
                write("  " + importing.structure_change_text(kind, plan))
        for row in report.rows:
            if problems_only and not row.problems:
                continue
            style = self.style.ERROR if row.action == importing.REFUSED else (self.style.WARNING if row.problems else str)
            write(style(f"{_('Row')} {row.number:>6}  {row.code:<14} {row.full_name:<32} {importing.ACTION_LABELS[row.action]}"))
            for name, (before, after) in row.changes.items():
                write(f"         {importing.field_label(name)}: {importing.display_value(before)} → {importing.display_value(after)}")
            for problem in row.problems:
                mark = _("error") if problem.is_error else _("warning")
                write(f"         [{mark}] {problem.column}: {problem.text()}")
        if report.proposed_superiors:
            write(
                ngettext(
                    "%(count)s direct superior proposed from “Chức vụ” and the unit (rows naming none).",
                    "%(count)s direct superiors proposed from “Chức vụ” and the unit (rows naming none).",
                    report.proposed_superiors,
                )
                % {"count": report.proposed_superiors}
            )
        counts = report.counts()
        write(
            _(
                "%(rows)s rows: %(created)s to create, %(updated)s to update, %(unchanged)s unchanged, %(refused)s refused, "
                "%(warnings)s with warnings. Units: %(units_created)s new, %(units_updated)s changed. "
                "Positions: %(positions_created)s new, %(positions_updated)s changed."
            )
            % counts
        )
