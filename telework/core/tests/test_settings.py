"""Settings are strict: debug only when asked for, and production refuses a development or weak secret key."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

STRONG_KEY = "k7Qx-2vN9pLr_4TzW8bYc1Hs6Fj3Md0Ga5Ue7Ri9Oo2Kw4Xy6Zq8Vt1Nb3Pl5Sm"


def settings_value(module: str, expression: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """Import a settings module in a fresh interpreter with only ``environment`` set among TELEWORK_* variables."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("TELEWORK_") and key != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(  # noqa: S603 - our own interpreter on our own code
        [sys.executable, "-c", f"import {module} as settings; print({expression})"],
        env={**clean, **environment},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("key", sorted(env.KNOWN_DEVELOPMENT_SECRET_KEYS))
def test_production_refuses_every_development_key_of_the_repository(key):
    with pytest.raises(ImproperlyConfigured, match="development key"):
        env.production_secret_key(key)


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("", "must be set"),
        ("django-insecure-" + "x1y2z3" * 10, "development key"),
        ("short-but-random-9f8e7d", "too weak"),
        ("a" * 80, "too weak"),
    ],
)
def test_production_refuses_a_missing_insecure_short_or_plain_key(key, reason):
    with pytest.raises(ImproperlyConfigured, match=reason):
        env.production_secret_key(key)


def test_production_accepts_a_long_random_key():
    assert env.production_secret_key(STRONG_KEY) == STRONG_KEY


def test_production_settings_do_not_load_with_the_local_development_key():
    refused = settings_value("config.settings.production", "settings.SECRET_KEY", TELEWORK_SECRET_KEY=env.LOCAL_DEVELOPMENT_SECRET_KEY)
    assert refused.returncode != 0
    assert "ImproperlyConfigured: TELEWORK_SECRET_KEY is a development key" in refused.stderr

    accepted = settings_value("config.settings.production", "settings.DEBUG", TELEWORK_SECRET_KEY=STRONG_KEY, TELEWORK_DEBUG="1")
    assert (accepted.returncode, accepted.stdout) == (0, "False\n")


def test_local_settings_keep_debug_off_unless_asked_for():
    assert settings_value("config.settings.local", "settings.DEBUG").stdout == "False\n"
    assert settings_value("config.settings.local", "settings.DEBUG", TELEWORK_DEBUG="1").stdout == "True\n"
