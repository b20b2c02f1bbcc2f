"""The audit trail is append-only in the database itself, whoever connects: raw SQL cannot edit or delete a row.

Unmarked tests run on both databases (SQLite in ``make test-unit``, PostgreSQL in ``make test-postgres``); the
``postgres`` ones check what only PostgreSQL has (the trigger in ``pg_trigger``).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from telework.core.audit import audit_record
from telework.core.models import AuditEvent


def record(city):
    return audit_record(
        actor=city.head_user,
        action="registration.approve",
        target=city.staff[0],
        before={"status": "submitted"},
        after={"status": "approved"},
        reason="Đồng ý",
        agency_id=city.agency.pk,
    )


def raw_sql_is_refused(statement: str, params: list) -> str:
    with pytest.raises(DatabaseError, match="append-only") as refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
    return str(refused.value)


def assert_row_unchanged(event: AuditEvent) -> None:
    row = AuditEvent.objects.values("action", "reason", "before", "after", "actor_id").get(pk=event.pk)
    assert row == {
        "action": "registration.approve",
        "reason": "Đồng ý",
        "before": {"status": "submitted"},
        "after": {"status": "approved"},
        "actor_id": event.actor_id,
    }


@pytest.mark.django_db
def test_raw_sql_update_of_an_audit_row_is_refused_by_the_database(city):
    event = record(city)
    raw_sql_is_refused("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["sửa lén", event.pk])
    assert_row_unchanged(event)


@pytest.mark.django_db
def test_raw_sql_delete_of_audit_rows_is_refused_by_the_database(city):
    event = record(city)
    raw_sql_is_refused("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    raw_sql_is_refused("DELETE FROM core_auditevent", [])
    assert AuditEvent.objects.filter(pk=event.pk).count() == 1
    assert_row_unchanged(event)


@pytest.mark.django_db
def test_the_orm_refuses_edits_before_reaching_the_database(city):
    event = record(city)
    event.reason = "sửa lén"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="sửa lén")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        event.delete()
    assert_row_unchanged(event)


@pytest.mark.django_db(transaction=True)
def test_the_test_suites_flush_leaves_the_triggers_in_force(city):
    # Transactional tests end with a flush that must get past the triggers (root conftest); afterwards the
    # triggers must guard the trail again, or every later test would run without them.
    record(city)
    call_command("flush", verbosity=0, interactive=False)
    assert AuditEvent.objects.count() == 0
    from telework.demo.testing import build_city

    event = record(build_city())
    raw_sql_is_refused("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["sửa lén", event.pk])
    raw_sql_is_refused("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert_row_unchanged(event)


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_trigger_guards_update_and_delete_of_every_row(city):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT t.tgname, t.tgenabled, p.proname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
               WHERE t.tgrelid = 'core_auditevent'::regclass AND NOT t.tgisinternal ORDER BY t.tgname"""
        )
        triggers = cursor.fetchall()
    assert triggers == [("core_auditevent_no_change", "O", "core_auditevent_refuse"), ("core_auditevent_no_truncate", "O", "core_auditevent_refuse")]
    event = record(city)
    message = raw_sql_is_refused("UPDATE core_auditevent SET after = '{}'::jsonb WHERE id = %s", [event.pk])
    assert "audit trail is append-only" in message
    raw_sql_is_refused("DELETE FROM core_auditevent WHERE agency_id = %s", [city.agency.pk])
    assert_row_unchanged(event)


@pytest.mark.postgres
@pytest.mark.django_db
def test_truncate_of_the_audit_trail_is_refused_on_postgresql():
    from django.db import DatabaseError, connection, transaction

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_auditevent")
