"""``manage.py verify_audit [--json] [--against FILE]``: check the audit trail's hash chain from its first row to its
head, and (``--against``) every head exported earlier to syslog or the append-only file (``core.audit_head``).

Exit status 0 when intact, printing the row count and the head hash; 1 naming the first broken row, or the first day
whose exported head is no longer on the chain (rows cut from the end, or the chain rewritten since); 2 when the file
cannot be read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from telework.core import audit_chain, audit_head
from telework.core.models import AuditEvent


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and name the first broken row (and the first exported head that no longer matches)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
        parser.add_argument("--against", metavar="FILE", help="a file of exported heads (TELEWORK_AUDIT_HEAD_FILE, or a syslog extract)")

    def handle(self, *args: Any, **options: Any) -> None:
        heads: list[audit_head.Head] | None = None
        if options["against"]:
            try:
                heads = audit_head.read_head_file(Path(options["against"]))
            except (OSError, audit_head.HeadFileError) as error:
                self.stderr.write(f"cannot read the exported heads in {options['against']}: {error}")
                raise SystemExit(2) from error
        rows = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
        verdict = audit_chain.verify(rows)
        against: audit_head.HeadsVerdict | None = None
        if heads is not None and verdict.ok:
            hashes = AuditEvent.objects.order_by("id").values_list("row_hash", flat=True).iterator(chunk_size=5000)
            against = audit_head.check_heads(hashes, heads)
        ok = verdict.ok and (against is None or against.ok)
        if options["json"]:
            body: dict[str, Any] = {"ok": ok, "rows": verdict.rows, "head_hash": verdict.head_hash, "broken_id": verdict.broken_id, "problem": verdict.problem}
            if against is not None:
                mismatch = against.mismatch
                body.update(
                    heads_checked=against.checked,
                    heads_in_file=len(heads or []),
                    first_mismatch_day=mismatch.day.isoformat() if mismatch else None,
                    head_problem=against.problem,
                )
            self.stdout.write(json.dumps(body))
        elif not verdict.ok:
            self.stderr.write(f"audit chain broken at row {verdict.broken_id}: {verdict.problem}")
        elif against is not None and against.mismatch is not None:
            mismatch = against.mismatch
            self.stderr.write(
                f"audit chain does not match the head exported on {mismatch.day.isoformat()} ({mismatch.rows} rows, head {mismatch.head_hash}): "
                f"{against.problem}; {against.checked} earlier heads match"
            )
        else:
            line = f"audit chain intact: {verdict.rows} rows, head {verdict.head_hash}"
            if against is not None and heads:
                days = sorted(head.day for head in heads)
                line += f"; {against.checked} exported heads match ({days[0].isoformat()} to {days[-1].isoformat()})"
            elif against is not None:
                line += "; the file holds no exported head"
            self.stdout.write(line)
        if not ok:
            raise SystemExit(1)
