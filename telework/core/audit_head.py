"""The audit chain's daily head, written outside the database (issue 15, point 4's gap).

The hash chain (``core.audit_chain``) shows a row changed or removed anywhere but at the end. Rows cut from the end,
or a chain rewritten whole by someone holding the owner's role, show only against a head recorded earlier somewhere
the database's users cannot reach. Once a day ``export_head`` writes one line::

    {"kind": "telework-audit-head", "day": "2026-11-18", "rows": 10234, "head_id": 10240, "head_hash": "ab12…", "exported_at": "…"}

to syslog (``TELEWORK_AUDIT_HEAD_SYSLOG``: ``/dev/log``, or ``host:514`` over UDP; facility ``authpriv``) and/or
appended to ``TELEWORK_AUDIT_HEAD_FILE`` (opened for appending only, flushed and synced; the operator puts it on
write-once storage: ``chattr +a``, a WORM share, or a log host). Once per day, however many processes or retries
(a claim row per day, like the scheduler's). ``manage.py verify_audit --against FILE`` reads such lines back (syslog
lines too: the JSON is found in each line) and names the first day whose head is no longer on the chain.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import os
import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from telework.core import audit_chain, clock
from telework.core.models import AuditEvent, ScheduledRun

logger = logging.getLogger("telework.audit.head")

KIND = "telework-audit-head"
CLAIM_JOB = "audit-head-export"
SYSLOG_TAG = "telework-audit"
# Bounds for reading a file of heads back: a line, and the lines (a century of days is 36,500).
MAX_LINE_LENGTH = 4096
MAX_HEADS = 100_000


@dataclass(frozen=True)
class Head:
    day: dt.date
    rows: int
    head_hash: str
    head_id: int | None = None

    def line(self) -> str:
        body = {
            "kind": KIND,
            "day": self.day.isoformat(),
            "rows": self.rows,
            "head_id": self.head_id,
            "head_hash": self.head_hash,
            "exported_at": clock.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":"))


def current_head(day: dt.date) -> Head:
    """The chain's head now: how many rows, the last row's id and hash (the genesis hash when empty)."""
    last = AuditEvent.objects.order_by("-id").values_list("id", "row_hash").first()
    if last is None:
        return Head(day=day, rows=0, head_hash=audit_chain.GENESIS)
    rows = AuditEvent.objects.filter(id__lte=last[0]).count()
    return Head(day=day, rows=rows, head_hash=last[1], head_id=last[0])


def destinations() -> list[str]:
    return [name for name, value in (("syslog", settings.AUDIT_HEAD_SYSLOG), ("file", settings.AUDIT_HEAD_FILE)) if value]


def syslog_address(value: str) -> str | tuple[str, int]:
    """``/dev/log`` (a local socket) or ``host:port`` (UDP)."""
    if value.startswith("/"):
        return value
    host, _colon, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"TELEWORK_AUDIT_HEAD_SYSLOG must be a socket path or host:port, got {value!r}")
    return (host.strip("[]"), int(port))


class _SysLog(logging.handlers.SysLogHandler):
    """The standard handler, except that a line it could not send is an error (not a message on stderr)."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 — logging's name
        raise  # noqa: PLE0704 — re-raises the error emit() is handling


def write_syslog(line: str, address: str) -> None:
    handler = _SysLog(address=syslog_address(address), facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV, socktype=socket.SOCK_DGRAM)
    handler.ident = f"{SYSLOG_TAG}: "
    handler.append_nul = False  # the line is read back by verify_audit --against; rsyslog and journald need no NUL
    try:
        handler.emit(logging.LogRecord(SYSLOG_TAG, logging.INFO, __file__, 0, line, None, None))
    except Exception as error:
        raise OSError(f"syslog at {address} did not take the audit head: {type(error).__name__}: {error}") from error
    finally:
        handler.close()


def append_file(line: str, path: str) -> None:
    """Append ``line`` (O_APPEND: never overwrites, works on an append-only file) and sync it to disk."""
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(descriptor, (line + "\n").encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _claim(day: dt.date) -> ScheduledRun | None:
    """The day's claim row: None when the head of ``day`` was already exported (or is being exported)."""
    slot = dt.datetime.combine(day, dt.time(0, 0), tzinfo=clock.local_now().tzinfo)
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=CLAIM_JOB, slot=slot, started_at=clock.now(), runner=f"{socket.gethostname()}:{os.getpid()}"[:120])
    except IntegrityError:
        pass
    # A failed attempt of the same day may be taken over (the destination was down); a success or a run in progress not.
    with transaction.atomic():
        taken = ScheduledRun.objects.filter(job=CLAIM_JOB, slot=slot, outcome=ScheduledRun.Outcome.FAILED).update(
            outcome=ScheduledRun.Outcome.RUNNING, started_at=clock.now(), error=""
        )
    return ScheduledRun.objects.get(job=CLAIM_JOB, slot=slot) if taken else None


def export_head(day: dt.date | None = None) -> dict[str, object]:
    """Write today's head to the configured destinations, once per day. Returns what was done (the task's counts)."""
    day = day or clock.today()
    targets = destinations()
    if not targets:
        return {"exported": 0, "reason": "no destination configured"}
    claim = _claim(day)
    if claim is None:
        return {"exported": 0, "reason": "already exported today"}
    head = current_head(day)
    line = head.line()
    try:
        if settings.AUDIT_HEAD_SYSLOG:
            write_syslog(line, settings.AUDIT_HEAD_SYSLOG)
        if settings.AUDIT_HEAD_FILE:
            append_file(line, settings.AUDIT_HEAD_FILE)
    except Exception as error:
        ScheduledRun.objects.filter(pk=claim.pk).update(outcome=ScheduledRun.Outcome.FAILED, error=str(error)[:2000], finished_at=clock.now())
        raise
    counts: dict[str, object] = {"exported": 1, "rows": head.rows, "head": head.head_hash[:16], "destinations": ",".join(targets)}
    ScheduledRun.objects.filter(pk=claim.pk).update(outcome=ScheduledRun.Outcome.SUCCEEDED, counts=counts, finished_at=clock.now())
    logger.info("Audit head of %s exported: %s rows, head %s", day, head.rows, head.head_hash, extra={"rows": head.rows, "head": head.head_hash})
    return counts


# --- Reading heads back ------------------------------------------------------------------------------------------


class HeadFileError(ValueError):
    pass


def read_heads(lines: Iterable[str]) -> list[Head]:
    """The heads in ``lines`` (our JSON lines, bare or inside syslog lines); other lines are skipped. Sorted by rows."""
    heads = []
    for number, raw in enumerate(lines, start=1):
        if len(raw) > MAX_LINE_LENGTH:
            raise HeadFileError(f"line {number} is longer than {MAX_LINE_LENGTH} characters")
        start = raw.find("{")
        if start < 0 or KIND not in raw:
            continue
        try:
            body = json.loads(raw[start : raw.rfind("}") + 1])
            if body.get("kind") != KIND:
                continue
            head = Head(day=dt.date.fromisoformat(body["day"]), rows=int(body["rows"]), head_hash=str(body["head_hash"]), head_id=body.get("head_id"))
        except (ValueError, KeyError, TypeError) as error:
            raise HeadFileError(f"line {number} is not a readable head: {error}") from error
        if head.rows < 0 or len(head.head_hash) != 64:
            raise HeadFileError(f"line {number} is not a readable head")
        heads.append(head)
        if len(heads) > MAX_HEADS:
            raise HeadFileError(f"more than {MAX_HEADS} heads")
    return sorted(heads, key=lambda head: (head.rows, head.day))


def read_head_file(path: Path) -> list[Head]:
    with path.open(encoding="utf-8", errors="replace") as stream:
        return read_heads(stream)


@dataclass(frozen=True)
class HeadsVerdict:
    checked: int
    mismatch: Head | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.mismatch is None


def check_heads(hashes: Iterator[str], heads: list[Head]) -> HeadsVerdict:
    """Walk the chain's row hashes in id order; each exported head must be the hash of the row at its count. The first
    head (in chain order) that is not names the earliest day the trail no longer matches."""
    pending = sorted(heads, key=lambda head: (head.rows, head.day))
    index = 0
    while index < len(pending) and pending[index].rows == 0:
        if pending[index].head_hash != audit_chain.GENESIS:
            return HeadsVerdict(index, pending[index], "the head exported for an empty trail does not match")
        index += 1
    count = 0
    for row_hash in hashes:
        if index >= len(pending):
            break
        count += 1
        while index < len(pending) and pending[index].rows == count:
            if pending[index].head_hash != row_hash:
                return HeadsVerdict(index, pending[index], f"row {count} of the chain no longer has the hash exported that day (rows rewritten)")
            index += 1
    if index < len(pending):
        head = pending[index]
        return HeadsVerdict(index, head, f"the chain has {count} rows, fewer than the {head.rows} exported that day (rows cut)")
    return HeadsVerdict(index)
