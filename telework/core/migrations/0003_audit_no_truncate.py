"""PostgreSQL: refuse TRUNCATE of the audit trail too (row triggers do not fire on TRUNCATE).

Resetting a demo database (``seed_demo --reset``) disables this trigger for its own transaction only.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse();"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent;")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only_triggers")]
    operations = [migrations.RunPython(forward, backward)]
