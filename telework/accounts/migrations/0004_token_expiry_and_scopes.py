"""API tokens expire (at most 90 days) and gain the read, check-in and write scopes.

Tokens issued before expiry existed get 90 days from the migration: phones keep working, and their holders see the
date on the tokens page before it comes."""

import datetime as dt

from django.db import migrations, models


def give_existing_tokens_ninety_days(apps, schema_editor):
    from telework.core import clock

    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(expires_at=clock.now() + dt.timedelta(days=90))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_token_scope"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunPython(give_existing_tokens_ninety_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[
                    ("full", "Full access (everything you may do)"),
                    ("dossier_push", "Dossier push only (one-stop system)"),
                    ("read", "Read only"),
                    ("check_in", "Check-in only (phone)"),
                    ("write", "Read and write"),
                ],
                default="full",
                max_length=32,
                verbose_name="scope",
            ),
        ),
    ]
