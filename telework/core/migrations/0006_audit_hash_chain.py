"""The audit trail becomes a hash chain (telework.core.audit_chain): existing rows are linked in id order, and on
SQLite an ``INSERT OR REPLACE`` over an existing row is refused (SQLite's REPLACE deletes the old row without
firing delete triggers unless recursive triggers are on, so the guard is on INSERT)."""

import importlib

from django.db import migrations, models

import telework.core.clock

SQLITE_TRIGGERS = importlib.import_module("telework.core.migrations.0002_audit_append_only_triggers")

SQLITE_NO_REPLACE = """CREATE TRIGGER core_auditevent_no_replace BEFORE INSERT ON core_auditevent
   WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM core_auditevent WHERE id = NEW.id)
   BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;"""


def link_existing_rows(apps, schema_editor):
    from telework.core import audit_chain

    AuditEvent = apps.get_model("core", "AuditEvent")
    if not AuditEvent.objects.exists():
        return
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_change")
    else:  # the table was just rebuilt by the field changes above, without its triggers (close_replace restores them)
        for statement in SQLITE_TRIGGERS.SQLITE_BACKWARD:
            schema_editor.execute(statement)
    last = audit_chain.GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        digest = audit_chain.row_hash(event, last)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=last, row_hash=digest)
        last = digest
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_change")


def close_replace(apps, schema_editor):
    """SQLite rebuilt the table for the new fields, which drops its triggers: restore those of 0002, add the REPLACE
    guard."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in [*SQLITE_TRIGGERS.SQLITE_BACKWARD, *SQLITE_TRIGGERS.SQLITE_FORWARD, SQLITE_NO_REPLACE]:
            schema_editor.execute(statement)


def open_replace(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_replace")
        for statement in [*SQLITE_TRIGGERS.SQLITE_BACKWARD, *SQLITE_TRIGGERS.SQLITE_FORWARD]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_notification_categories_channels_and_preferences")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="occurred_at",
            field=models.DateTimeField(db_index=True, default=telework.core.clock.now, editable=False, verbose_name="time"),
        ),
        migrations.AddField(model_name="auditevent", name="prev_hash", field=models.CharField(blank=True, editable=False, max_length=64)),
        migrations.AddField(model_name="auditevent", name="row_hash", field=models.CharField(blank=True, editable=False, max_length=64)),
        migrations.RunPython(link_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(close_replace, open_replace),
    ]
