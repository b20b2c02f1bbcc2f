"""Shared pytest set-up: database settings for the PostgreSQL run."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Under pg_virtualenv (make test-postgres) PGHOST & co. are set: point Django at that cluster.
    markexpr = config.getoption("markexpr", default="") or ""
    if "postgres" in markexpr and "not postgres" not in markexpr and os.environ.get("PGHOST"):
        from django.conf import settings

        settings.DATABASES["default"] = {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("PGDATABASE", "postgres"),
            "USER": os.environ["PGUSER"],
            "PASSWORD": os.environ.get("PGPASSWORD", ""),
            "HOST": os.environ["PGHOST"],
            "PORT": os.environ.get("PGPORT", "5432"),
            "CONN_MAX_AGE": 0,
            "OPTIONS": {},
            "TEST": {"NAME": "telework_test"},
        }


@pytest.fixture
def city(db):  # type: ignore[no-untyped-def]
    """A unit of ten in a running pilot under the HCMC preset (see ``telework.core.testing``)."""
    from telework.core.testing import build_city

    return build_city()
