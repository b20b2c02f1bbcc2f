"""``manage.py verify_audit [--json]``: check the audit trail's hash chain from its first row to its head.

Exit status 0 when intact, printing the row count and the head hash (export it daily to write-once storage or
syslog: a later run that no longer reaches the same head at that count shows rows removed from the end); 1 naming
the first broken row otherwise."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from telework.core import audit_chain
from telework.core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and name the first broken row."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the verdict as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
        verdict = audit_chain.verify(rows)
        if options["json"]:
            body = {"ok": verdict.ok, "rows": verdict.rows, "head_hash": verdict.head_hash, "broken_id": verdict.broken_id, "problem": verdict.problem}
            self.stdout.write(json.dumps(body))
        elif verdict.ok:
            self.stdout.write(f"audit chain intact: {verdict.rows} rows, head {verdict.head_hash}")
        else:
            self.stderr.write(f"audit chain broken at row {verdict.broken_id}: {verdict.problem}")
        if not verdict.ok:
            raise SystemExit(1)
