"""Settings shared by every environment. Values that vary come from ``config.env``."""

from __future__ import annotations

from typing import Any

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config import env

BASE_DIR = env.BASE_DIR
DEBUG = env.DEBUG
SECRET_KEY = env.SECRET_KEY
ALLOWED_HOSTS = env.ALLOWED_HOSTS

# Our apps come first: their translation catalogs then take precedence over Django's own for shared words.
INSTALLED_APPS = [
    "telework.core",
    "telework.accounts",
    "telework.organization",
    "telework.policy",
    "telework.registrations",
    "telework.assignments",
    "telework.rosters",
    "telework.attendance",
    "telework.dossiers",
    "telework.evaluations",
    "telework.staffing",
    "telework.surveys",
    "telework.outcomes",
    "telework.assessment",
    "telework.portal",
    "telework.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Lockout after repeated failed logins (site and admin), and the second factor (TOTP, recovery codes).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Installed for its static files: /api/docs serves Swagger UI locally instead of from a CDN.
    "ninja",
]

MIDDLEWARE = [
    # First: /health/live/ and /health/ready/ answer before the SSL redirect, host check, session and login
    # (telework.core.health), so a load balancer's probe is never redirected and writes no session.
    "telework.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "telework.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "telework.core.middleware.IdleSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "telework.accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# A form refused by the CSRF check gets the site's 403 page with what to do (config/urls.py names the other errors').
CSRF_FAILURE_VIEW = "telework.core.error_views.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "telework.portal.context_processors.navigation",
            ],
        },
    },
]

# Connections persist for TELEWORK_DB_CONN_MAX_AGE seconds and are checked before each request or task reuses one
# (CONN_HEALTH_CHECKS): after a PostgreSQL restart the first request reconnects instead of failing on a dead socket.
DATABASES = {"default": dj_database_url.parse(env.DATABASE_URL, conn_max_age=env.DATABASE_CONN_MAX_AGE, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; IMMEDIATE makes a write transaction take the
    # lock at BEGIN, so two approvals never both read a cap before either writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.DATABASE_PREPARED_STATEMENTS:
    # Only the cursors of telework.core.db.hot_cursor prepare (Django's own cursors bind on the client and never do);
    # 0: they prepare at their first execution.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
# A read replica (PostgreSQL streaming standby) for dashboards, the outcome panel's screens and the exports
# (telework.core.db.reporting_alias, which falls back to "default" when it is down or lags). Tests mirror it onto
# the default database.
if env.REPLICA_DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(env.REPLICA_DATABASE_URL, conn_max_age=60)
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("TELEWORK_REPLICA_DATABASE_URL must use the same database engine as DATABASE_URL")
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # A replica that hangs must not hold a dashboard for long: reporting_alias then falls back to the primary.
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
REPLICA_MAX_LAG_SECONDS = env.REPLICA_MAX_LAG_SECONDS
# /health/ready/ fails when the replica does not answer (set 0 to keep the application hosts in the pool then: the
# reports fall back to the primary by themselves).
READY_NEEDS_REPLICA = env.READY_NEEDS_REPLICA

# The API's rate limits (telework.accounts.api_auth.RateLimit): per token, and per client address (a ward office's
# staff may share one address behind its router, hence the higher figure). None turns one off.
API_THROTTLE_RATES: dict[str, str | None] = {"token": env.API_RATE_PER_TOKEN or None, "address": env.API_RATE_PER_ADDRESS or None}
# How many proxies in front of the application append to X-Forwarded-For: the client address is the one the
# outermost trusted proxy saw. 0: REMOTE_ADDR (a forged X-Forwarded-For cannot dodge the per-address limit).
NINJA_NUM_PROXIES = env.TRUSTED_PROXIES
# A shared cache (redis://…) makes the rate limits hold across processes and hosts; without one, each process counts.
if env.CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.CACHE_URL}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploads: a file above 2.5 MB streams to a temporary file, never to memory; past the largest size any form accepts
# (telework.core.uploads.MAX_UPLOAD_FILE_BYTES, 20 MB) the rest is dropped as it arrives and the file is refused by
# its size before anything reads it. At most 10 files in one request (forms and the API take 5; beyond 10 Django
# refuses the request outright); a JSON or form body without files is at most 2.5 MB.
FILE_UPLOAD_HANDLERS = [
    "telework.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 10
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"
# A session ends after a working day without a request (telework.core.middleware.IdleSessionMiddleware re-saves a
# working session at most every SESSION_IDLE_REFRESH_SECONDS, so its expiry follows the last request).
SESSION_COOKIE_AGE = env.SESSION_IDLE_HOURS * 3600
SESSION_IDLE_REFRESH_SECONDS = 300

# Checked wherever a person chooses a password: activation, change and reset (telework.accounts).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Logins: django-axes counts failed attempts per account and per address (separately) on the site's and the admin's
# login; at AXES_FAILURE_LIMIT the account (or the address) is locked for AXES_COOLOFF_TIME, even with the right
# password, and the login page says so in Vietnamese (telework.accounts.second_factor.locked_out).
AUTHENTICATION_BACKENDS = ["telework.accounts.second_factor.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = env.LOGIN_LOCKOUT_MINUTES / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "telework.accounts.second_factor.locked_out"
AXES_CLIENT_IP_CALLABLE = "telework.accounts.second_factor.client_address"
AXES_VERBOSE = False
# The second factor (TOTP with recovery codes) is required of the roles in SECOND_FACTOR_ROLES when
# SECOND_FACTOR_REQUIRED (on in production; off in the demo and the tests, which switch it on in their own tests), and
# of anyone who enrolled a device, whatever the setting (telework.accounts.second_factor).
SECOND_FACTOR_REQUIRED = env.SECOND_FACTOR_REQUIRED
SECOND_FACTOR_ROLES = ["system_admin", "home_affairs", "city_leadership", "agency_head", "agency_hr"]
OTP_TOTP_ISSUER = "Telework"
# An activation e-mail link and a printed activation code stay valid this many days (telework.accounts.activation).
ACCOUNT_ACTIVATION_DAYS = env.ACCOUNT_ACTIVATION_DAYS

LANGUAGE_CODE = env.LANGUAGE_CODE
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS: list[Any] = [BASE_DIR / "static"]
# Front-end packages (Bootstrap, HTMX, Chart.js) come from the npm registry at set-up and are served
# from here: agencies run on intranets, so no page may reference a CDN.
NODE_MODULES_DIR = BASE_DIR / "node_modules"
if NODE_MODULES_DIR.exists():
    STATICFILES_DIRS.append(("vendor", NODE_MODULES_DIR))

EMAIL_BACKEND = env.local_email_backend(env.EMAIL_BACKEND_NAME, env.EMAIL_URL_HOST)
EMAIL_HOST = env.EMAIL_URL_HOST or "localhost"
EMAIL_PORT = env.EMAIL_PORT
EMAIL_HOST_USER = env.EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = env.EMAIL_HOST_PASSWORD
EMAIL_USE_TLS = env.EMAIL_USE_TLS
EMAIL_USE_SSL = env.EMAIL_USE_SSL
EMAIL_TIMEOUT = env.EMAIL_TIMEOUT
DEFAULT_FROM_EMAIL = env.DEFAULT_FROM_EMAIL
SITE_URL = env.SITE_URL

CELERY_BROKER_URL = env.CELERY_BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not env.CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Surviving a worker, Redis or PostgreSQL going away (docs/architecture.md, "Faults"). A task is acknowledged when it
# has finished, not when a worker takes it, so a worker killed mid-task leaves its message to be delivered again (every
# task is idempotent); a worker process lost under the prefork pool sends it back at once; each worker process holds
# one message at a time, so a killed worker strands at most one per process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis: a message not acknowledged within the visibility timeout (its worker's host died) goes back to the queue;
# socket timeouts and health checks notice a broker that vanished without closing the connection.
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {
    "visibility_timeout": env.CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": env.CELERY_RESTORE_INTERVAL,
    "unacked_restore_throttle": 1,
    "socket_timeout": 30,
    "socket_connect_timeout": 10,
    "socket_keepalive": True,
    "health_check_interval": 25,
}
# Redis restarted or unreachable: workers, beat and publishers keep retrying, at start-up too, instead of exiting.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# A task running when the broker connection drops can no longer be acknowledged, so it will be delivered again: stop
# it rather than finish it twice (Celery 6's default).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 10, "interval_start": 0.2, "interval_step": 0.5, "interval_max": 3}
# Redis lost the queue (restarted without persistence) or a message was lost otherwise: a roster run that stored nothing
# for this many minutes is queued again by the sweep below (telework.rosters.services.runs.roster_runs_requeue_stalled).
ROSTER_RUN_STALL_MINUTES = env.ROSTER_RUN_STALL_MINUTES
# Without a broker, work that should not hold a request (a switch's follow-up) runs in a daemon thread of the serving
# process (telework.core.background); tests turn this off to run it inline.
BACKGROUND_THREADS = True
# The same schedule runs in-process (telework.core.scheduler: a daemon thread per serving process, one run per job and
# slot across processes) when no broker is configured; a pass every SCHEDULER_INTERVAL_SECONDS.
SCHEDULER_IN_PROCESS = env.SCHEDULER_IN_PROCESS
SCHEDULER_INTERVAL_SECONDS = 30
# How many days back a head may correct a person's check-in (telework.attendance.rules.correction_problem).
ATTENDANCE_CORRECTION_DAYS = env.ATTENDANCE_CORRECTION_DAYS
CELERY_BEAT_SCHEDULE: dict[str, Any] = {
    # Stall and deadline alerts each working morning, before the day starts (the task skips weekends and public
    # holidays itself). Without a broker, the in-process scheduler (telework.core.scheduler) runs the same entries.
    "assignments-detect-stalls": {"task": "assignments.detect_stalls", "schedule": crontab(hour=7, minute=0, day_of_week="mon-fri")},
    # Missed check-ins just after the 09:00 cut-off on working days (public holidays are skipped by the task; it is
    # idempotent). Without a broker, the in-process scheduler runs it.
    "attendance-detect-missed-check-ins": {
        "task": "attendance.detect_missed_check_ins",
        "schedule": crontab(hour=9, minute=5, day_of_week="mon-fri"),
        "kwargs": {"cutoff": "09:00"},
    },
    # Staff records whose leaving day has come close (with their accounts) early in the morning; idempotent, so a day
    # the job does not run (the in-process scheduler skips weekends and holidays) is caught up by the next run.
    "organization-apply-scheduled-ends": {"task": "organization.apply_scheduled_ends", "schedule": crontab(hour=0, minute=15)},
    # Same-day staffing rounds: remind the units that have not answered a round due within two hours (idempotent).
    "staffing-send-reminders": {"task": "staffing.send_reminders", "schedule": crontab(hour="7-17", minute="0,30", day_of_week="mon-fri")},
    # The outcome panel: yesterday's week recomputed each night (idempotent; a missed night is caught up by the next, as
    # it recomputes whole weeks; `manage.py refresh_outcomes --rebuild` recomputes everything).
    "outcomes-refresh-panel": {"task": "outcomes.refresh_panel", "schedule": crontab(hour=1, minute=30)},
    # Roster runs fanned out to workers that stalled (a message lost with Redis, a worker host gone): their missing
    # units are queued again (idempotent: a unit stored for the run is never solved twice).
    "rosters-requeue-stalled-runs": {"task": "rosters.requeue_stalled_runs", "schedule": crontab(minute="*/5")},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

TELEWORK_PUBLIC_URL = env.PUBLIC_URL

# Staff pulse figures are shown for a unit or agency only from this many answers (nobody can be singled out).
SURVEY_MIN_GROUP = env.SURVEY_MIN_GROUP
