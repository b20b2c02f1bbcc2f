"""The dashboards' covering index on the panel, and the indexes the panel's refresh of one week reads its sources by.

The source indexes belong to other apps' tables but serve only the panel's week-by-week reads (``outcomes.panel``), so
they live here, in plain SQL that SQLite and PostgreSQL both accept (a partial index for the accepted work items):
without them a day's refresh scans every work item and dossier of the city's history (bench/dashboard.py).
"""

from django.db import migrations, models

SOURCE_INDEXES = [
    # Work items accepted in a week (the "work" family).
    ("outcome_src_work_accepted", "assignments_workitem", "accepted_at", "WHERE status = 'accepted'"),
    # Dossiers returned in a week (returned, overdue) and received in a week.
    ("outcome_src_dossier_returned", "dossiers_dossier", "returned_at", ""),
    ("outcome_src_dossier_received", "dossiers_dossier", "received_at", ""),
]


class Migration(migrations.Migration):
    dependencies = [
        ("organization", "0003_staff_records_and_delegation"),
        ("assignments", "0001_initial"),
        ("dossiers", "0002_dossier_import"),
        ("outcomes", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="outcomevalue",
            name="outcome_value_by_indicator",
        ),
        migrations.AddIndex(
            model_name="outcomevalue",
            index=models.Index(fields=["indicator", "week"], include=("unit", "numerator", "denominator", "value"), name="outcome_value_sums"),
        ),
        *(
            migrations.RunSQL(f"CREATE INDEX {name} ON {table} ({column}) {where}".strip(), f"DROP INDEX {name}")
            for name, table, column, where in SOURCE_INDEXES
        ),
    ]
