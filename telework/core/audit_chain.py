"""The audit trail's hash chain: each row carries the hash of the row before it (``prev_hash``) and the hash of its
own canonical content including that link (``row_hash``), so a row changed, removed or inserted anywhere but at the
end breaks the chain at that row (``manage.py verify_audit`` names it).

Appends are serialised so that two writers never link to the same predecessor (a fork): on PostgreSQL by a
transaction-level advisory lock held until the appending transaction commits; on SQLite by its single writer (the
settings open every write transaction with ``BEGIN IMMEDIATE``). Row ids then follow the chain's order.

The database refuses the other routes besides: triggers refuse UPDATE and DELETE (core migration 0002) and, on
SQLite, an ``INSERT OR REPLACE`` over an existing row (migration 0006); on PostgreSQL the application's role is
granted only INSERT and SELECT on the table (``app_role_grants``; docs/security.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection

if TYPE_CHECKING:
    from telework.core.models import AuditEvent

GENESIS = "0" * 64
# Any fixed number: the advisory lock's key for the audit trail's appends.
ADVISORY_LOCK_KEY = 7_304_515_001
CHAINED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "agency_id",
    "before",
    "after",
    "reason",
)


def canonical(event: AuditEvent, prev_hash: str) -> bytes:
    """The row's content as hashed: its fields (time in UTC, microseconds) and its link, as sorted compact JSON."""
    content: dict[str, Any] = {name: getattr(event, name) for name in CHAINED_FIELDS}
    content["occurred_at"] = event.occurred_at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    content["prev_hash"] = prev_hash
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def row_hash(event: AuditEvent, prev_hash: str) -> str:
    return hashlib.sha256(canonical(event, prev_hash)).hexdigest()


def lock_for_append() -> None:
    """Hold the append lock until the current transaction ends (PostgreSQL); SQLite's writer lock already does."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def chain(events: Iterable[AuditEvent], last_hash: str) -> str:
    """Link ``events`` (not yet saved) after the row whose hash is ``last_hash``; the new last hash."""
    for event in events:
        event.prev_hash = last_hash
        event.row_hash = last_hash = row_hash(event, last_hash)
    return last_hash


@dataclass(frozen=True)
class Verdict:
    rows: int
    head_hash: str
    broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(rows: Iterator[AuditEvent]) -> Verdict:
    """Walk the rows in id order: each must link to the previous row's hash and hash to its own ``row_hash``."""
    expected_prev = GENESIS
    count = 0
    for event in rows:
        count += 1
        if event.prev_hash != expected_prev:
            return Verdict(count, expected_prev, event.pk, "its link does not match the row before it (a row was removed, inserted or changed)")
        if row_hash(event, event.prev_hash) != event.row_hash:
            return Verdict(count, expected_prev, event.pk, "its content does not match its hash (the row was changed)")
        expected_prev = event.row_hash
    return Verdict(count, expected_prev)


def app_role_grants(role: str, table: str = "core_auditevent") -> list[str]:
    """PostgreSQL: what the application's role may do with the audit trail — INSERT and SELECT, nothing else (the
    owner, who runs the migrations, keeps the rest). Run by the owner after each migration."""
    quoted = connection.ops.quote_name(role)
    return [
        f"REVOKE ALL ON {table} FROM {quoted}",
        f"GRANT SELECT, INSERT ON {table} TO {quoted}",
        f"GRANT USAGE, SELECT ON SEQUENCE {table}_id_seq TO {quoted}",
    ]
