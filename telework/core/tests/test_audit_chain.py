"""The audit trail proves it was not touched: every row links to the one before by hash, ``manage.py verify_audit``
names the first broken row, and each tampering route is either refused by the database or detected.

Unmarked tests run on SQLite (``make test-unit``) and PostgreSQL (``make test-postgres``); the ``postgres`` ones
need what only PostgreSQL has (roles, advisory locks across connections)."""

from __future__ import annotations

import io
import json
import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from telework.core import audit_chain
from telework.core.audit import audit_record
from telework.core.models import AuditEvent


def record(city, index=0, reason="Đồng ý"):
    return audit_record(
        actor=city.head_user,
        action="registration.approve",
        target=city.staff[index],
        before={"status": "submitted", "days": [1, 2.5]},
        after={"status": "approved"},
        reason=reason,
        agency_id=city.agency.pk,
    )


def verify() -> tuple[int, dict]:
    out = io.StringIO()
    try:
        call_command("verify_audit", "--json", stdout=out)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    return status, json.loads(out.getvalue())


def without_guards(statement: str, params: list) -> None:
    """Run ``statement`` as someone who can remove the database's guards (the SQLite file's owner, a PostgreSQL
    superuser): triggers off, the statement, triggers back."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
            cursor.execute(statement, params)
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
        else:
            for name in ("no_update", "no_delete", "no_replace"):
                cursor.execute(f"DROP TRIGGER core_auditevent_{name}")
            cursor.execute(statement, params)
    if connection.vendor == "sqlite":  # the triggers come back as the migrations made them
        from importlib import import_module

        guards = import_module("telework.core.migrations.0002_audit_append_only_triggers")
        chain_migration = import_module("telework.core.migrations.0006_audit_hash_chain")
        with connection.cursor() as cursor:
            for sql in [*guards.SQLITE_FORWARD, chain_migration.SQLITE_NO_REPLACE]:
                cursor.execute(sql)


@pytest.mark.django_db
def test_rows_are_chained_and_verified(city):
    events = [record(city, index) for index in range(3)]
    AuditEvent.objects.bulk_create(
        [AuditEvent(actor_label="system", action="roster.generate", object_type="rosters.roster", object_id=str(n), reason="") for n in range(4)]
    )
    rows = list(AuditEvent.objects.order_by("id"))
    assert rows[0].prev_hash == audit_chain.GENESIS
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.row_hash
    assert events[-1].row_hash in {row.row_hash for row in rows}
    status, verdict = verify()
    assert status == 0
    assert verdict == {"ok": True, "rows": len(rows), "head_hash": rows[-1].row_hash, "broken_id": None, "problem": ""}


@pytest.mark.django_db
def test_update_delete_and_replace_are_refused_by_the_database(city):
    event = record(city)
    for statement, params in [
        ("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["sửa lén", event.pk]),
        ("DELETE FROM core_auditevent WHERE id = %s", [event.pk]),
    ]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
    if connection.vendor == "sqlite":
        # SQLite's INSERT OR REPLACE deletes the old row without firing delete triggers: refused on insert.
        columns = "id, occurred_at, actor_label, action, object_type, object_id, object_label, reason, prev_hash, row_hash"
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT OR REPLACE INTO core_auditevent ({columns}) VALUES (%s, '2026-11-18 02:30:00', 'x', 'x', 'x', 'x', 'x', 'sửa lén', '', '')",  # noqa: S608
                [event.pk],
            )
    assert AuditEvent.objects.get(pk=event.pk).reason == "Đồng ý"
    assert verify()[0] == 0


@pytest.mark.django_db(transaction=True)
def test_a_row_changed_behind_the_guards_is_named(city):
    first, second, third = (record(city, index) for index in range(3))
    without_guards("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["Không đồng ý", second.pk])
    status, verdict = verify()
    assert status == 1
    assert verdict["broken_id"] == second.pk
    assert "content does not match" in verdict["problem"]
    assert first.pk < second.pk < third.pk


@pytest.mark.django_db(transaction=True)
def test_a_row_changed_and_rehashed_behind_the_guards_breaks_the_next_link(city):
    _first, second, third = (record(city, index) for index in range(3))
    changed = AuditEvent.objects.get(pk=second.pk)
    changed.reason = "Không đồng ý"
    forged = audit_chain.row_hash(changed, changed.prev_hash)
    without_guards("UPDATE core_auditevent SET reason = %s, row_hash = %s WHERE id = %s", ["Không đồng ý", forged, second.pk])
    status, verdict = verify()
    assert (status, verdict["broken_id"]) == (1, third.pk)
    assert "link does not match" in verdict["problem"]


@pytest.mark.django_db(transaction=True)
def test_a_row_removed_behind_the_guards_is_detected_at_the_next(city):
    _first, second, third = (record(city, index) for index in range(3))
    without_guards("DELETE FROM core_auditevent WHERE id = %s", [second.pk])
    status, verdict = verify()
    assert (status, verdict["broken_id"]) == (1, third.pk)


def test_verify_audit_prints_the_head_for_export(db, city):
    record(city)
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith("audit chain intact: 1 rows, head ")


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_application_role_may_only_insert_and_select_the_audit_trail(city):
    """The role the application connects as in production (docs/security.md): INSERT and SELECT on the trail; no
    UPDATE, DELETE or TRUNCATE, and — not being the owner — it cannot disable the triggers."""
    event = record(city)
    with connection.cursor() as cursor:
        cursor.execute("DROP ROLE IF EXISTS telework_app_test")
        cursor.execute("CREATE ROLE telework_app_test NOLOGIN")
        for statement in audit_chain.app_role_grants("telework_app_test"):
            cursor.execute(statement)
        cursor.execute("GRANT SELECT ON accounts_user TO telework_app_test")
    for statement in [
        "UPDATE core_auditevent SET reason = 'x'",
        "DELETE FROM core_auditevent",
        "TRUNCATE core_auditevent",
        "ALTER TABLE core_auditevent DISABLE TRIGGER USER",
    ]:
        with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL ROLE telework_app_test; {statement}")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL ROLE telework_app_test")
        appended = record(city, 1)
        assert AuditEvent.objects.count() == 2
    assert appended.prev_hash == event.row_hash
    assert verify()[0] == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain(city):
    """Four threads, each on its own connection, append 25 rows each in their own transactions at once: one chain."""
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(offset: int) -> None:
        try:
            start.wait()
            for n in range(25):
                with transaction.atomic():
                    record(city, (offset + n) % len(city.staff), reason=f"luồng {offset} lần {n}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(offset,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    status, verdict = verify()
    assert (status, verdict["rows"]) == (0, 100)
    assert len(set(AuditEvent.objects.values_list("prev_hash", flat=True))) == 100
