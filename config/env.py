"""The only reader of ``os.environ``: every setting that comes from the environment is parsed here.

A bad value fails loudly at start-up (``ImproperlyConfigured``) instead of surfacing later as odd behaviour.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from error


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("TELEWORK_DEBUG", False)
SECRET_KEY = env_str("TELEWORK_SECRET_KEY", "")
# The keys written in this repository (local development, tests, benchmarks): public, so never a production key.
LOCAL_DEVELOPMENT_SECRET_KEY = "telework-local-development-only-not-secret"  # noqa: S105
KNOWN_DEVELOPMENT_SECRET_KEYS = frozenset({LOCAL_DEVELOPMENT_SECRET_KEY, "telework-tests-only", "telework-benchmark-only"})
# Django's deployment check (security.W009) asks for at least 50 characters and 5 different ones.
MINIMUM_SECRET_KEY_LENGTH = 50
MINIMUM_SECRET_KEY_UNIQUE_CHARACTERS = 5


def production_secret_key(key: str) -> str:
    """``key`` if it may sign production sessions; ImproperlyConfigured when it is missing, a development or test key
    of this repository, Django's ``django-insecure-`` kind, or too short or too plain to resist guessing."""
    if not key:
        raise ImproperlyConfigured("TELEWORK_SECRET_KEY must be set in production")
    if key in KNOWN_DEVELOPMENT_SECRET_KEYS or key.startswith("django-insecure") or "not-secret" in key:
        raise ImproperlyConfigured("TELEWORK_SECRET_KEY is a development key, published with the code: set a new random key in production")
    if len(key) < MINIMUM_SECRET_KEY_LENGTH or len(set(key)) < MINIMUM_SECRET_KEY_UNIQUE_CHARACTERS:
        raise ImproperlyConfigured(
            f"TELEWORK_SECRET_KEY is too weak for production: use at least {MINIMUM_SECRET_KEY_LENGTH} random characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')"
        )
    return key


ALLOWED_HOSTS = env_list("TELEWORK_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'telework.sqlite3'}")
# PostgreSQL: the morning check-in's two statements run as server-side prepared statements (planned once per
# connection, telework.core.db.hot_cursor). Set 0 behind a pooler that cannot keep them (PgBouncer in transaction
# mode before 1.21).
DATABASE_PREPARED_STATEMENTS = env_bool("TELEWORK_DB_PREPARED_STATEMENTS", True)
# Empty means "run background tasks in-process" (the embedded default); a redis:// URL means Celery workers.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
# The periodic jobs (stall and missed-check-in detection) run inside the web processes when there is no broker (the
# embedded default); with a broker, Celery beat runs them. Set 0 to rely on cron or beat instead.
SCHEDULER_IN_PROCESS = env_bool("TELEWORK_SCHEDULER_IN_PROCESS", not CELERY_BROKER_URL)
EMAIL_URL_HOST = env_str("TELEWORK_EMAIL_HOST", "")
EMAIL_PORT = env_int("TELEWORK_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("TELEWORK_FROM_EMAIL", "telework@localhost")
TIME_ZONE = env_str("TELEWORK_TIME_ZONE", "Asia/Ho_Chi_Minh")
LANGUAGE_CODE = env_str("TELEWORK_LANGUAGE", "vi")
if LANGUAGE_CODE not in {"vi", "en"}:
    raise ImproperlyConfigured(f"TELEWORK_LANGUAGE must be 'vi' or 'en', got {LANGUAGE_CODE!r}")
# The address citizens' phones reach the public rating page at (printed in the QR codes on desk cards and slips),
# e.g. https://danhgia.hochiminhcity.gov.vn. Empty: the address the page that prints the card was opened at.
PUBLIC_URL = env_str("TELEWORK_PUBLIC_URL", "").rstrip("/")
if PUBLIC_URL and not PUBLIC_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"TELEWORK_PUBLIC_URL must start with https:// (or http://), got {PUBLIC_URL!r}")
