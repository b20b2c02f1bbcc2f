"""``seed_demo --reset`` empties the database, so it refuses anything that may be a real one."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from telework.demo.management.commands.seed_demo import reset_refusal
from telework.organization.models import Agency
from telework.organization.tests.factories import AgencyFactory


@pytest.mark.parametrize(
    ("settings_module", "vendor", "name", "confirmed", "allowed"),
    [
        ("config.settings.local", "sqlite", "/srv/telework/var/telework.sqlite3", None, True),
        ("config.settings.local", "postgresql", "telework_demo", None, True),
        ("config.settings.local", "postgresql", "test_telework", None, True),
        ("config.settings.local", "postgresql", "telework-dev", None, True),
        ("config.settings.local", "postgresql", "telework", None, False),
        ("config.settings.local", "postgresql", "hcmc_latest", None, False),  # "test" inside a word is not a demo
        ("config.settings.production", "postgresql", "telework_demo", None, False),
        ("config.settings.production", "sqlite", "/srv/telework/var/telework.sqlite3", None, False),
        ("config.settings.production", "postgresql", "telework_demo", "telework_demo", True),
        ("config.settings.local", "postgresql", "telework", "telework", True),
        ("config.settings.local", "postgresql", "telework", "telework_demo", False),
    ],
)
def test_reset_runs_only_on_a_demo_database_or_one_whose_name_is_typed(settings_module, vendor, name, confirmed, allowed):
    refusal = reset_refusal(settings_module=settings_module, vendor=vendor, database_name=name, confirmed_name=confirmed)
    assert (refusal is None) == allowed


@pytest.mark.django_db
def test_reset_under_the_production_settings_is_refused_and_changes_nothing(settings):
    settings.SETTINGS_MODULE = "config.settings.production"
    AgencyFactory(code="THAT", name="Sở Thật")

    with pytest.raises(CommandError, match=r"refuses to empty a database under the production settings"):
        call_command("seed_demo", reset=True, staff=200, stdout=StringIO())

    assert list(Agency.objects.values_list("code", flat=True)) == ["THAT"]
