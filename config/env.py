"""The only reader of ``os.environ``: every setting that comes from the environment is parsed here.

A bad value fails loudly at start-up (``ImproperlyConfigured``) instead of surfacing later as odd behaviour.
"""

from __future__ import annotations

import ipaddress
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
ALLOWED_HOSTS_GIVEN = "TELEWORK_ALLOWED_HOSTS" in os.environ


def production_allowed_hosts(hosts: list[str], given: bool) -> list[str]:
    """The host names production answers to: they must be given (no default), and never ``*``."""
    if not given or not hosts:
        raise ImproperlyConfigured("TELEWORK_ALLOWED_HOSTS must be set in production (the site's host names, comma-separated)")
    if "*" in hosts:
        raise ImproperlyConfigured("TELEWORK_ALLOWED_HOSTS must name the site's hosts, not '*'")
    return hosts


# Behind a load balancer or reverse proxy that ends TLS: the header it sets to say the request came over HTTPS
# ("X-Forwarded-Proto"); empty when the application serves TLS itself or the proxy is not trusted to say so.
PROXY_SSL_HEADER_NAME = env_str("TELEWORK_PROXY_SSL_HEADER", "").strip()


def proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """Django's SECURE_PROXY_SSL_HEADER for the header ``name`` (its value must be ``https``); None without one."""
    if not name:
        return None
    if not all(part.isalnum() for part in name.split("-")):
        raise ImproperlyConfigured(f"TELEWORK_PROXY_SSL_HEADER must be a header name such as X-Forwarded-Proto, got {name!r}")
    return ("HTTP_" + name.upper().replace("-", "_"), "https")


# Origins (https://host[:port]) a form may be posted from besides the site itself, e.g. the public address when the
# proxy rewrites the host.
CSRF_TRUSTED_ORIGINS = env_list("TELEWORK_CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"TELEWORK_CSRF_TRUSTED_ORIGINS entries must start with https:// (or http://), got {_origin!r}")
# HTTPS in production: redirect plain HTTP, and tell browsers to use HTTPS only (HSTS) for this many seconds.
SSL_REDIRECT = env_bool("TELEWORK_SSL_REDIRECT", True)
HSTS_SECONDS = env_int("TELEWORK_HSTS_SECONDS", 31_536_000)
if HSTS_SECONDS < 0:
    raise ImproperlyConfigured(f"TELEWORK_HSTS_SECONDS must be 0 or more, got {HSTS_SECONDS}")
HSTS_INCLUDE_SUBDOMAINS = env_bool("TELEWORK_HSTS_INCLUDE_SUBDOMAINS", True)
HSTS_PRELOAD = env_bool("TELEWORK_HSTS_PRELOAD", False)
# Where browsers send reports of what the content-security policy (report-only for now) would have blocked.
CSP_REPORT_URI = env_str("TELEWORK_CSP_REPORT_URI", "").strip()
# The API's rate limits, "count/period" (period: s, min or hour); empty turns one off.
API_RATE_PER_TOKEN = env_str("TELEWORK_API_RATE_PER_TOKEN", "120/min").strip()
API_RATE_PER_ADDRESS = env_str("TELEWORK_API_RATE_PER_ADDRESS", "1200/min").strip()
for _name, _rate in (("TELEWORK_API_RATE_PER_TOKEN", API_RATE_PER_TOKEN), ("TELEWORK_API_RATE_PER_ADDRESS", API_RATE_PER_ADDRESS)):
    _count, _slash, _period = _rate.partition("/")
    if _rate and not (_count.isdigit() and int(_count) > 0 and _period in {"s", "sec", "min", "m", "hour", "h"}):
        raise ImproperlyConfigured(f"{_name} must read like 120/min (a count, then s, min or hour), got {_rate!r}")
TRUSTED_PROXIES = env_int("TELEWORK_TRUSTED_PROXIES", 0)
if not 0 <= TRUSTED_PROXIES <= 5:
    raise ImproperlyConfigured(f"TELEWORK_TRUSTED_PROXIES must be between 0 and 5, got {TRUSTED_PROXIES}")
CACHE_URL = env_str("TELEWORK_CACHE_URL", "").strip()
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(f"TELEWORK_CACHE_URL must be a redis:// URL, got {CACHE_URL!r}")
# Logins: after this many failed attempts the account, or the address, is locked for this many minutes.
LOGIN_FAILURE_LIMIT = env_int("TELEWORK_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("TELEWORK_LOGIN_LOCKOUT_MINUTES", 15)
if not 3 <= LOGIN_FAILURE_LIMIT <= 20 or not 1 <= LOGIN_LOCKOUT_MINUTES <= 1440:
    raise ImproperlyConfigured("TELEWORK_LOGIN_FAILURE_LIMIT must be 3-20 and TELEWORK_LOGIN_LOCKOUT_MINUTES 1-1440")
# The second factor for the privileged roles: on unless turned off (the demo's local settings turn it off).
SECOND_FACTOR_REQUIRED = env_bool("TELEWORK_SECOND_FACTOR", True)
# A session ends after this many hours without a request: a working day (07:30 to 17:30), so a person who checks in
# on the page in the morning and out in the evening without a page between stays signed in; it never lasts the night.
SESSION_IDLE_HOURS = env_int("TELEWORK_SESSION_IDLE_HOURS", 10)
if not 1 <= SESSION_IDLE_HOURS <= 24:
    raise ImproperlyConfigured(f"TELEWORK_SESSION_IDLE_HOURS must be between 1 and 24, got {SESSION_IDLE_HOURS}")
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'telework.sqlite3'}")
# PostgreSQL: the morning check-in's two statements run as server-side prepared statements (planned once per
# connection, telework.core.db.hot_cursor). Set 0 behind a pooler that cannot keep them (PgBouncer in transaction
# mode before 1.21).
DATABASE_PREPARED_STATEMENTS = env_bool("TELEWORK_DB_PREPARED_STATEMENTS", True)
# A streaming replica that the dashboards, the outcome panel's screens and the exports may read (same engine as
# DATABASE_URL); empty: everything reads the primary. Past this many seconds of replay lag, they read the primary.
REPLICA_DATABASE_URL = env_str("TELEWORK_REPLICA_DATABASE_URL", "").strip()
REPLICA_MAX_LAG_SECONDS = env_int("TELEWORK_REPLICA_MAX_LAG_SECONDS", 30)
if not 1 <= REPLICA_MAX_LAG_SECONDS <= 86_400:
    raise ImproperlyConfigured(f"TELEWORK_REPLICA_MAX_LAG_SECONDS must be between 1 and 86400, got {REPLICA_MAX_LAG_SECONDS}")
# A replica that does not answer makes /health/ready/ fail only when this is on (the reports read the primary then).
READY_NEEDS_REPLICA = env_bool("TELEWORK_READY_NEEDS_REPLICA", False)
# Prometheus: the networks (CIDR, comma-separated) whose addresses may read /metrics; others get a 404.
METRICS_ALLOWED_NETS = env_list("TELEWORK_METRICS_ALLOWED_NETS", ["127.0.0.1/32", "::1/128"])
for _net in METRICS_ALLOWED_NETS:
    try:
        ipaddress.ip_network(_net, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"TELEWORK_METRICS_ALLOWED_NETS must list networks such as 10.0.0.0/24, got {_net!r}") from _error
# Several gunicorn workers (or Celery worker processes) on one host: an empty directory they all write their counts to
# (prometheus_client's multiprocess mode; set for the whole process tree, emptied before each start).
METRICS_MULTIPROC_DIR = env_str("PROMETHEUS_MULTIPROC_DIR", "").strip()
# Logs: "text" (Django's plain lines, the default) or "json" (one object per line, with the request id; telework.core.logs).
LOG_FORMAT = env_str("TELEWORK_LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"TELEWORK_LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOG_LEVEL = env_str("TELEWORK_LOG_LEVEL", "WARNING").strip().upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"TELEWORK_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}")
# The audit chain's daily head (row count and head hash, telework.core.audit_head): to syslog (/dev/log, or host:port
# over UDP) and/or appended to a file the operator keeps on write-once storage.
AUDIT_HEAD_SYSLOG = env_str("TELEWORK_AUDIT_HEAD_SYSLOG", "").strip()
AUDIT_HEAD_FILE = env_str("TELEWORK_AUDIT_HEAD_FILE", "").strip()
# PostgreSQL connections are kept between requests and tasks for this many seconds (0: one per request); each is
# checked before reuse (CONN_HEALTH_CHECKS), so a restarted server costs one reconnection, not an error.
DATABASE_CONN_MAX_AGE = env_int("TELEWORK_DB_CONN_MAX_AGE", 60)
if not 0 <= DATABASE_CONN_MAX_AGE <= 3600:
    raise ImproperlyConfigured(f"TELEWORK_DB_CONN_MAX_AGE must be between 0 and 3600 seconds, got {DATABASE_CONN_MAX_AGE}")
# Empty means "run background tasks in-process" (the embedded default); a redis:// URL means Celery workers.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
# Redis as a broker: a message taken by a worker and not acknowledged within this many seconds (the worker's host
# died) is delivered again to another worker. Longer than the longest task (a roster chunk: minutes); shorter means a
# slow task runs twice (harmless, tasks are idempotent, but wasted).
CELERY_VISIBILITY_TIMEOUT = env_int("TELEWORK_CELERY_VISIBILITY_TIMEOUT", 1800)
if not 1 <= CELERY_VISIBILITY_TIMEOUT <= 12 * 3600:
    raise ImproperlyConfigured(f"TELEWORK_CELERY_VISIBILITY_TIMEOUT must be between 1 and 43200 seconds, got {CELERY_VISIBILITY_TIMEOUT}")
# How often (seconds) a worker looks for such messages to deliver again.
CELERY_RESTORE_INTERVAL = env_int("TELEWORK_CELERY_RESTORE_INTERVAL", 60)
if not 1 <= CELERY_RESTORE_INTERVAL <= 3600:
    raise ImproperlyConfigured(f"TELEWORK_CELERY_RESTORE_INTERVAL must be between 1 and 3600 seconds, got {CELERY_RESTORE_INTERVAL}")
# A roster run fanned out to workers that has stored nothing for this many minutes lost a message (Redis restarted
# without its queue, a worker host died): the sweep (rosters.requeue_stalled_runs) queues its missing units again.
ROSTER_RUN_STALL_MINUTES = env_int("TELEWORK_ROSTER_RUN_STALL_MINUTES", 10)
if not 1 <= ROSTER_RUN_STALL_MINUTES <= 24 * 60:
    raise ImproperlyConfigured(f"TELEWORK_ROSTER_RUN_STALL_MINUTES must be between 1 and 1440, got {ROSTER_RUN_STALL_MINUTES}")
# The periodic jobs (stall and missed-check-in detection) run inside the web processes when there is no broker (the
# embedded default); with a broker, Celery beat runs them. Set 0 to rely on cron or beat instead.
SCHEDULER_IN_PROCESS = env_bool("TELEWORK_SCHEDULER_IN_PROCESS", not CELERY_BROKER_URL)
# E-mail (notifications, account activation). TELEWORK_EMAIL_BACKEND names the way out: ``smtp`` (a mail server:
# TELEWORK_EMAIL_HOST, _PORT, _USER, _PASSWORD, _USE_TLS or _USE_SSL), ``console`` (printed on the server's output: the
# demo and local development), ``locmem`` (kept in memory: tests), ``off`` (notifications stay in the app). Unset: smtp
# when a host is given, otherwise console (local) or off (production, ``production_email_backend``).
EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "off": "django.core.mail.backends.dummy.EmailBackend",
}
EMAIL_URL_HOST = env_str("TELEWORK_EMAIL_HOST", "").strip()
EMAIL_BACKEND_NAME = env_str("TELEWORK_EMAIL_BACKEND", "").strip().lower()
if EMAIL_BACKEND_NAME and EMAIL_BACKEND_NAME not in EMAIL_BACKENDS:
    raise ImproperlyConfigured(f"TELEWORK_EMAIL_BACKEND must be one of {', '.join(sorted(EMAIL_BACKENDS))}, got {EMAIL_BACKEND_NAME!r}")
if EMAIL_BACKEND_NAME == "smtp" and not EMAIL_URL_HOST:
    raise ImproperlyConfigured("TELEWORK_EMAIL_BACKEND=smtp needs TELEWORK_EMAIL_HOST (the mail server's name)")
EMAIL_PORT = env_int("TELEWORK_EMAIL_PORT", 25)
if not 0 < EMAIL_PORT < 65536:
    raise ImproperlyConfigured(f"TELEWORK_EMAIL_PORT must be a TCP port (1-65535), got {EMAIL_PORT}")
EMAIL_HOST_USER = env_str("TELEWORK_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("TELEWORK_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TELEWORK_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("TELEWORK_EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("TELEWORK_EMAIL_USE_TLS (STARTTLS, port 587) and TELEWORK_EMAIL_USE_SSL (port 465) exclude each other: set one")
EMAIL_TIMEOUT = env_int("TELEWORK_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("TELEWORK_FROM_EMAIL", "telework@localhost")
# How long an activation e-mail link or a printed activation code stays valid, in days.
ACCOUNT_ACTIVATION_DAYS = env_int("TELEWORK_ACTIVATION_DAYS", 14)
if not 1 <= ACCOUNT_ACTIVATION_DAYS <= 90:
    raise ImproperlyConfigured(f"TELEWORK_ACTIVATION_DAYS must be between 1 and 90, got {ACCOUNT_ACTIVATION_DAYS}")
# The address people reach the site at, for the links in e-mails (a notification's page, an activation link).
SITE_URL = env_str("TELEWORK_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"TELEWORK_SITE_URL must start with http:// or https://, got {SITE_URL!r}")


def local_email_backend(name: str, host: str) -> str:
    """The backend's dotted path for local development and the demo: as named, else smtp with a host, else console."""
    return EMAIL_BACKENDS[name or ("smtp" if host else "console")]


def production_email_backend(name: str, host: str) -> str:
    """The backend's dotted path in production, failing closed: the console and in-memory backends would print or
    drop people's mail (activation links included), so they are refused; unset means smtp with a host, else off."""
    name = name or ("smtp" if host else "off")
    if name in {"console", "locmem"}:
        raise ImproperlyConfigured(
            f"TELEWORK_EMAIL_BACKEND={name} would print or drop people's e-mail in production: use smtp (with TELEWORK_EMAIL_HOST) or off"
        )
    return EMAIL_BACKENDS[name]


TIME_ZONE = env_str("TELEWORK_TIME_ZONE", "Asia/Ho_Chi_Minh")
LANGUAGE_CODE = env_str("TELEWORK_LANGUAGE", "vi")
if LANGUAGE_CODE not in {"vi", "en"}:
    raise ImproperlyConfigured(f"TELEWORK_LANGUAGE must be 'vi' or 'en', got {LANGUAGE_CODE!r}")
# How many days back a head may correct a check-in (a forgotten check-out, a wrong time): the month's timesheet is
# filed, so its days cannot change forever. 0 allows today only.
ATTENDANCE_CORRECTION_DAYS = env_int("TELEWORK_ATTENDANCE_CORRECTION_DAYS", 35)
if not 0 <= ATTENDANCE_CORRECTION_DAYS <= 366:
    raise ImproperlyConfigured(f"TELEWORK_ATTENDANCE_CORRECTION_DAYS must be between 0 and 366, got {ATTENDANCE_CORRECTION_DAYS}")
# The address citizens' phones reach the public rating page at (printed in the QR codes on desk cards and slips),
# e.g. https://danhgia.hochiminhcity.gov.vn. Empty: the address the page that prints the card was opened at.
PUBLIC_URL = env_str("TELEWORK_PUBLIC_URL", "").rstrip("/")
if PUBLIC_URL and not PUBLIC_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"TELEWORK_PUBLIC_URL must start with https:// (or http://), got {PUBLIC_URL!r}")
# The smallest group of staff pulse answers whose figures are shown (smaller groups fold into the level above).
SURVEY_MIN_GROUP = env_int("TELEWORK_SURVEY_MIN_GROUP", 5)
if not 3 <= SURVEY_MIN_GROUP <= 100:
    raise ImproperlyConfigured(f"TELEWORK_SURVEY_MIN_GROUP must be between 3 and 100, got {SURVEY_MIN_GROUP}")

# Single sign-on with the province's OpenID Connect identity provider (telework.organization.sso): off unless
# TELEWORK_OIDC_ISSUER is set. The endpoints come from the provider's discovery document
# (<issuer>/.well-known/openid-configuration) unless given one by one; ID tokens must be signed RS256 with a key of the
# provider's JWKS. People are matched to staff by a claim carrying their staff code, never created.
OIDC_ISSUER = env_str("TELEWORK_OIDC_ISSUER", "").strip().rstrip("/")
OIDC_CLIENT_ID = env_str("TELEWORK_OIDC_CLIENT_ID", "").strip()
OIDC_CLIENT_SECRET = env_str("TELEWORK_OIDC_CLIENT_SECRET", "")
OIDC_ENDPOINTS = {
    name: env_str(f"TELEWORK_OIDC_{name.upper()}", "").strip()
    for name in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint")
}
OIDC_SCOPES = env_str("TELEWORK_OIDC_SCOPES", "openid").strip()
OIDC_STAFF_CODE_CLAIM = env_str("TELEWORK_OIDC_STAFF_CODE_CLAIM", "staff_code").strip()
OIDC_EMAIL_FALLBACK = env_bool("TELEWORK_OIDC_EMAIL_FALLBACK", False)
OIDC_MFA_ACR = env_list("TELEWORK_OIDC_MFA_ACR", [])
OIDC_MFA_AMR = env_list("TELEWORK_OIDC_MFA_AMR", [])
OIDC_TIMEOUT_SECONDS = env_int("TELEWORK_OIDC_TIMEOUT_SECONDS", 10)


def oidc_check(issuer: str, client_id: str, client_secret: str, endpoints: dict[str, str], scopes: str, claim: str, timeout: int) -> None:
    """Refuse a half-configured single sign-on at start-up: an issuer needs a client id and secret, every address must
    be http(s), ``openid`` must be among the scopes and the staff-code claim must be named."""
    if not issuer:
        if client_id or any(endpoints.values()):
            raise ImproperlyConfigured("TELEWORK_OIDC_* is set without TELEWORK_OIDC_ISSUER: set the provider's issuer to turn single sign-on on")
        return
    if not client_id or not client_secret:
        raise ImproperlyConfigured("TELEWORK_OIDC_ISSUER needs TELEWORK_OIDC_CLIENT_ID and TELEWORK_OIDC_CLIENT_SECRET (registered at the provider)")
    for name, url in {"TELEWORK_OIDC_ISSUER": issuer, **{f"TELEWORK_OIDC_{key.upper()}": value for key, value in endpoints.items()}}.items():
        if url and not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured(f"{name} must start with https:// (or http://), got {url!r}")
    if "openid" not in scopes.split():
        raise ImproperlyConfigured(f"TELEWORK_OIDC_SCOPES must include openid, got {scopes!r}")
    if not claim or len(claim) > 100:
        raise ImproperlyConfigured("TELEWORK_OIDC_STAFF_CODE_CLAIM must name the claim carrying the staff code")
    if not 1 <= timeout <= 60:
        raise ImproperlyConfigured(f"TELEWORK_OIDC_TIMEOUT_SECONDS must be between 1 and 60, got {timeout}")


oidc_check(OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_ENDPOINTS, OIDC_SCOPES, OIDC_STAFF_CODE_CLAIM, OIDC_TIMEOUT_SECONDS)
