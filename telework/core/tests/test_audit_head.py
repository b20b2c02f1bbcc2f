"""The audit chain's daily head goes outside the database (syslog, an append-only file), once a day, and
``verify_audit --against FILE`` names the first day whose head is no longer on the chain: rows cut from the end, or a
chain rewritten whole (which the chain alone cannot see)."""

from __future__ import annotations

import datetime as dt
import io
import json
import socket

import pytest
from django.core.management import call_command

from telework.core import audit_chain, audit_head
from telework.core.models import AuditEvent, ScheduledRun
from telework.core.tests.test_audit_chain import without_guards

pytestmark = pytest.mark.django_db


def append(count: int, start: int = 0) -> None:
    AuditEvent.objects.bulk_create(
        [AuditEvent(actor_label="system", action="roster.generate", object_type="rosters.roster", object_id=str(start + n), reason="") for n in range(count)]
    )


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def verify_against(path) -> tuple[int, dict]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", "--json", "--against", str(path), stdout=out, stderr=err)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, json.loads(out.getvalue()) if out.getvalue() else {"stderr": err.getvalue()}


def three_days_of_heads(settings, tmp_path, clock) -> tuple:
    """Heads exported on Wed 18, Thu 19 and Fri 20 November, with rows appended each day."""
    path = tmp_path / "audit-heads.log"
    settings.AUDIT_HEAD_FILE = str(path)
    for day, rows in ((18, 4), (19, 3), (20, 5)):
        clock.move_to(dt.datetime(2026, 11, day, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=7))))
        append(rows, start=day * 100)
        audit_head.export_head()
    return path


def test_the_head_is_appended_to_the_file_once_a_day(settings, tmp_path, clock):
    path = tmp_path / "audit-heads.log"
    settings.AUDIT_HEAD_FILE = str(path)
    append(4)
    first = audit_head.export_head()
    assert first["exported"] == 1
    assert audit_head.export_head() == {"exported": 0, "reason": "already exported today"}
    append(2, start=10)
    clock.move_to(dt.datetime(2026, 11, 19, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    audit_head.export_head()
    written = lines(path)
    last = AuditEvent.objects.order_by("-id").first()
    assert [(line["day"], line["rows"]) for line in written] == [("2026-11-18", 4), ("2026-11-19", 6)]
    assert written[-1]["head_hash"] == last.row_hash
    assert written[-1]["head_id"] == last.pk
    assert written[-1]["kind"] == "telework-audit-head"


def test_without_a_destination_nothing_is_claimed(settings):
    settings.AUDIT_HEAD_FILE = ""
    settings.AUDIT_HEAD_SYSLOG = ""
    assert audit_head.export_head()["exported"] == 0
    assert not ScheduledRun.objects.filter(job=audit_head.CLAIM_JOB).exists()


def test_the_head_goes_to_a_syslog_server_over_udp(settings):
    append(3)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(5)
        settings.AUDIT_HEAD_SYSLOG = f"127.0.0.1:{server.getsockname()[1]}"
        audit_head.export_head()
        datagram = server.recv(4096).decode()
    # <priority>tag: {json}; authpriv (10) × 8 + info (6) = 86.
    assert datagram.startswith("<86>telework-audit: {")
    body = json.loads(datagram[datagram.index("{") :])
    assert body["rows"] == 3
    assert body["head_hash"] == AuditEvent.objects.order_by("-id").first().row_hash


def test_a_syslog_socket_that_is_missing_fails_the_run_and_a_later_run_that_day_retries(settings, tmp_path):
    append(2)
    address = tmp_path / "log.sock"
    settings.AUDIT_HEAD_SYSLOG = str(address)
    with pytest.raises(OSError, match="did not take the audit head"):
        audit_head.export_head()
    assert ScheduledRun.objects.get(job=audit_head.CLAIM_JOB).outcome == ScheduledRun.Outcome.FAILED
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(str(address))
        server.settimeout(5)
        assert audit_head.export_head()["exported"] == 1
        assert b'"rows":2' in server.recv(4096)
    assert ScheduledRun.objects.get(job=audit_head.CLAIM_JOB).outcome == ScheduledRun.Outcome.SUCCEEDED


def test_verify_against_the_exported_heads_passes_on_an_untouched_chain(settings, tmp_path, clock):
    path = three_days_of_heads(settings, tmp_path, clock)
    append(2, start=900)  # rows after the last export are fine
    status, verdict = verify_against(path)
    assert status == 0
    assert verdict["ok"] is True
    assert verdict["heads_checked"] == 3
    assert verdict["first_mismatch_day"] is None
    out = io.StringIO()
    call_command("verify_audit", "--against", str(path), stdout=out)
    assert "3 exported heads match (2026-11-18 to 2026-11-20)" in out.getvalue()


@pytest.mark.django_db(transaction=True)  # PostgreSQL: the guards are dropped outside the inserts' transaction
def test_rows_cut_from_the_end_are_named_by_the_first_day_whose_head_is_gone(settings, tmp_path, clock):
    path = three_days_of_heads(settings, tmp_path, clock)
    # Someone able to drop the guards cuts the last six rows: the chain itself stays consistent.
    last_ids = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:6])
    without_guards("DELETE FROM core_auditevent WHERE id >= %s", [min(last_ids)])
    assert audit_chain.verify(AuditEvent.objects.order_by("id").iterator()).ok
    status, verdict = verify_against(path)
    assert status == 1
    assert verdict["ok"] is False
    assert verdict["first_mismatch_day"] == "2026-11-19"
    assert "rows cut" in verdict["head_problem"]


@pytest.mark.django_db(transaction=True)  # PostgreSQL: the guards are dropped outside the inserts' transaction
def test_a_chain_rewritten_whole_is_named_by_the_first_day_it_no_longer_matches(settings, tmp_path, clock):
    path = three_days_of_heads(settings, tmp_path, clock)
    # The owner rewrites row 6's reason and re-hashes everything after it: the chain is consistent again.
    rows = list(AuditEvent.objects.order_by("id"))
    previous = rows[4].row_hash
    for row in rows[5:]:
        if row is rows[5]:
            row.reason = "rewritten"
        row.prev_hash = previous
        row.row_hash = previous = audit_chain.row_hash(row, previous)
        without_guards("UPDATE core_auditevent SET reason = %s, prev_hash = %s, row_hash = %s WHERE id = %s", [row.reason, row.prev_hash, row.row_hash, row.pk])
    assert audit_chain.verify(AuditEvent.objects.order_by("id").iterator()).ok
    status, verdict = verify_against(path)
    assert status == 1
    assert verdict["first_mismatch_day"] == "2026-11-19"
    assert "rewritten" in verdict["head_problem"]
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_audit", "--against", str(path), stdout=io.StringIO(), stderr=err)
    assert "exported on 2026-11-19" in err.getvalue()


def test_heads_inside_syslog_lines_are_read_and_other_lines_skipped(tmp_path):
    head = audit_head.Head(day=dt.date(2026, 11, 18), rows=0, head_hash=audit_chain.GENESIS)
    path = tmp_path / "syslog"
    path.write_text(f"Nov 18 00:05:01 app1 sshd[1]: unrelated\nNov 18 00:05:02 app1 telework-audit: {head.line()}\n")
    assert audit_head.read_head_file(path) == [head]
    status, verdict = verify_against(path)
    assert (status, verdict["heads_checked"]) == (0, 1)


def test_a_file_that_is_not_heads_is_refused_with_status_2(tmp_path):
    path = tmp_path / "bad"
    path.write_text('{"kind": "telework-audit-head", "day": "yesterday"}\n')
    status, verdict = verify_against(path)
    assert status == 2
    assert "not a readable head" in verdict["stderr"]
