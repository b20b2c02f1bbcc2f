"""The two built-in criteria sets (``telework.evaluations.builtin``)."""

from django.db import migrations

from telework.evaluations.builtin import install


def create(apps, schema_editor):
    install(apps.get_model("evaluations", "CriteriaSet"))


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
