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


# --------------------------------------------------------------------------------------------- e-mail


def test_local_settings_print_mail_on_the_console_unless_told_otherwise():
    assert env.local_email_backend("", "") == "django.core.mail.backends.console.EmailBackend"
    assert env.local_email_backend("", "mail.hochiminhcity.gov.vn") == "django.core.mail.backends.smtp.EmailBackend"
    assert env.local_email_backend("locmem", "") == "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.parametrize("name", ["console", "locmem"])
def test_production_refuses_mail_that_would_be_printed_or_dropped(name):
    with pytest.raises(ImproperlyConfigured, match=f"TELEWORK_EMAIL_BACKEND={name} would print or drop"):
        env.production_email_backend(name, "mail.hochiminhcity.gov.vn")


def test_production_without_a_mail_server_keeps_notifications_in_the_app():
    assert env.production_email_backend("", "") == "django.core.mail.backends.dummy.EmailBackend"
    assert env.production_email_backend("", "mail.hochiminhcity.gov.vn") == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"TELEWORK_EMAIL_BACKEND": "sendgrid"}, "TELEWORK_EMAIL_BACKEND must be one of console, locmem, off, smtp, got 'sendgrid'"),
        ({"TELEWORK_EMAIL_BACKEND": "smtp"}, "TELEWORK_EMAIL_BACKEND=smtp needs TELEWORK_EMAIL_HOST"),
        ({"TELEWORK_EMAIL_PORT": "70000"}, "TELEWORK_EMAIL_PORT must be a TCP port"),
        ({"TELEWORK_EMAIL_USE_TLS": "1", "TELEWORK_EMAIL_USE_SSL": "1"}, "exclude each other"),
        ({"TELEWORK_SITE_URL": "telework.gov.vn"}, "TELEWORK_SITE_URL must start with http"),
    ],
)
def test_bad_email_settings_stop_start_up(environment, message):
    refused = settings_value("config.settings.local", "settings.EMAIL_BACKEND", **environment)
    assert refused.returncode != 0
    assert message in refused.stderr


def test_smtp_settings_come_from_the_environment():
    expression = "(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER, settings.EMAIL_USE_TLS)"
    configured = settings_value(
        "config.settings.production",
        expression,
        TELEWORK_SECRET_KEY=STRONG_KEY,
        TELEWORK_EMAIL_HOST="mail.hochiminhcity.gov.vn",
        TELEWORK_EMAIL_PORT="587",
        TELEWORK_EMAIL_USER="telework",
        TELEWORK_EMAIL_PASSWORD="secret",  # noqa: S106
        TELEWORK_EMAIL_USE_TLS="1",
    )
    assert configured.stdout == "('django.core.mail.backends.smtp.EmailBackend', 'mail.hochiminhcity.gov.vn', 587, 'telework', True)\n"
    console = settings_value("config.settings.production", "settings.EMAIL_BACKEND", TELEWORK_SECRET_KEY=STRONG_KEY, TELEWORK_EMAIL_BACKEND="console")
    assert console.returncode != 0
    assert "would print or drop people's e-mail in production" in console.stderr
