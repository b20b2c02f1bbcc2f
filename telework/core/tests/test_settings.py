"""Settings are strict: debug only when asked for, and production refuses a development or weak secret key."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config import env

STRONG_KEY = "k7Qx-2vN9pLr_4TzW8bYc1Hs6Fj3Md0Ga5Ue7Ri9Oo2Kw4Xy6Zq8Vt1Nb3Pl5Sm"

# Each test starts Python with other settings (or reads them): nothing here uses the suite's database.
pytestmark = pytest.mark.own_process


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

    accepted = settings_value(
        "config.settings.production", "settings.DEBUG", TELEWORK_SECRET_KEY=STRONG_KEY, TELEWORK_ALLOWED_HOSTS="telework.example.gov.vn", TELEWORK_DEBUG="1"
    )
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
        TELEWORK_ALLOWED_HOSTS="telework.example.gov.vn",
        TELEWORK_EMAIL_HOST="mail.hochiminhcity.gov.vn",
        TELEWORK_EMAIL_PORT="587",
        TELEWORK_EMAIL_USER="telework",
        TELEWORK_EMAIL_PASSWORD="secret",  # noqa: S106
        TELEWORK_EMAIL_USE_TLS="1",
    )
    assert configured.stdout == "('django.core.mail.backends.smtp.EmailBackend', 'mail.hochiminhcity.gov.vn', 587, 'telework', True)\n"
    console = settings_value(
        "config.settings.production",
        "settings.EMAIL_BACKEND",
        TELEWORK_SECRET_KEY=STRONG_KEY,
        TELEWORK_ALLOWED_HOSTS="telework.example.gov.vn",
        TELEWORK_EMAIL_BACKEND="console",
    )
    assert console.returncode != 0
    assert "would print or drop people's e-mail in production" in console.stderr


# --------------------------------------------------------------------------------------------- fail closed

PRODUCTION_ENVIRONMENT = {"TELEWORK_SECRET_KEY": STRONG_KEY, "TELEWORK_ALLOWED_HOSTS": "telework.example.gov.vn"}


def run_clean(arguments: list[str], **environment: str) -> subprocess.CompletedProcess[str]:
    """``arguments`` run by our interpreter from the repository, with no DJANGO_SETTINGS_MODULE and only
    ``environment`` among the TELEWORK_* variables."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("TELEWORK_") and key != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(  # noqa: S603 - our own interpreter on our own code
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env={**clean, "PYTHONPATH": str(settings.BASE_DIR), **environment},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    "arguments",
    [["manage.py", "check"], ["-c", "import config.wsgi"], ["-c", "from config.celery import app; app.loader.import_default_modules()"]],
    ids=["manage.py", "wsgi", "celery"],
)
def test_entry_points_default_to_production_and_refuse_to_start_without_a_secret_key(arguments):
    refused = run_clean(arguments)
    assert refused.returncode != 0
    assert "TELEWORK_SECRET_KEY must be set in production" in refused.stderr


def test_production_refuses_to_start_without_its_host_names():
    refused = run_clean(["manage.py", "check"], TELEWORK_SECRET_KEY=STRONG_KEY)
    assert refused.returncode != 0
    assert "TELEWORK_ALLOWED_HOSTS must be set in production" in refused.stderr
    wildcard = run_clean(["manage.py", "check"], TELEWORK_SECRET_KEY=STRONG_KEY, TELEWORK_ALLOWED_HOSTS="*")
    assert "not '*'" in wildcard.stderr


def test_the_deployment_check_is_clean_with_production_settings():
    checked = run_clean(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION_ENVIRONMENT)
    assert checked.returncode == 0, checked.stderr
    assert "System check identified no issues" in checked.stdout


def test_https_proxy_and_trusted_origins_come_from_the_environment():
    expression = "(settings.SECURE_PROXY_SSL_HEADER, settings.CSRF_TRUSTED_ORIGINS, settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT)"
    configured = settings_value(
        "config.settings.production",
        expression,
        **PRODUCTION_ENVIRONMENT,
        TELEWORK_PROXY_SSL_HEADER="X-Forwarded-Proto",
        TELEWORK_CSRF_TRUSTED_ORIGINS="https://telework.example.gov.vn,https://dichvucong.example.gov.vn",
        TELEWORK_HSTS_SECONDS="3600",
        TELEWORK_SSL_REDIRECT="0",
    )
    assert configured.stdout == (
        "(('HTTP_X_FORWARDED_PROTO', 'https'), ['https://telework.example.gov.vn', 'https://dichvucong.example.gov.vn'], 3600, False)\n"
    ), configured.stderr
    defaults = settings_value("config.settings.production", expression, **PRODUCTION_ENVIRONMENT)
    assert defaults.stdout == "(None, [], 31536000, True)\n"
    bad = settings_value("config.settings.production", "1", **PRODUCTION_ENVIRONMENT, TELEWORK_PROXY_SSL_HEADER="X-Forwarded-Proto: https")
    assert "TELEWORK_PROXY_SSL_HEADER must be a header name" in bad.stderr


CSP_PROBE = """
import django
django.setup()
from django.test import Client, override_settings
plain = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=plain):
    page = Client().get("/accounts/login/", secure=True, HTTP_HOST="telework.example.gov.vn")
    plain_http = Client().get("/accounts/login/", HTTP_HOST="telework.example.gov.vn")
print(page.status_code)
print(page.headers.get("Content-Security-Policy"))
print("Content-Security-Policy-Report-Only" in page.headers)
print(page.headers.get("Strict-Transport-Security"))
print(plain_http.status_code, plain_http.headers.get("Location"))
"""


def test_production_pages_carry_an_enforcing_content_security_policy_hsts_and_redirect_to_https(tmp_path):
    served = run_clean(
        ["-c", CSP_PROBE],
        **PRODUCTION_ENVIRONMENT,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        TELEWORK_CSP_REPORT_URI="https://csp.example.gov.vn/report",
    )
    assert served.returncode == 0, served.stderr
    status, policy, report_only, hsts, redirect = served.stdout.splitlines()
    assert status == "200"
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "connect-src": "'self'",
        "font-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        "report-uri": "https://csp.example.gov.vn/report",
    }
    assert report_only == "False"  # enforced: the browser refuses what the policy does not allow, not only reports it
    assert hsts == "max-age=31536000; includeSubDomains"
    assert redirect == "301 https://telework.example.gov.vn/accounts/login/"


def test_the_test_suite_sends_the_enforcing_policy_so_the_browser_tests_prove_it(client):
    response = client.get("/accounts/login/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "Content-Security-Policy-Report-Only" not in response.headers
