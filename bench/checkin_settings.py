"""Settings for the check-in benchmark's server only: production settings plus two reference endpoints.

Loaded by ``bench.checkin`` as ``DJANGO_SETTINGS_MODULE=bench.checkin_settings``, and only when
``TELEWORK_BENCHMARK_ENDPOINTS=1`` is also set: the reference endpoints (a trivial response, a raw single-row
INSERT) exist under this settings module alone, so no production configuration can route to them.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

if os.environ.get("TELEWORK_BENCHMARK_ENDPOINTS") != "1":
    raise ImproperlyConfigured("bench.checkin_settings serves benchmark-only endpoints: set TELEWORK_BENCHMARK_ENDPOINTS=1 (bench.checkin does)")

from config.settings.base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = "telework-benchmark-only"  # noqa: S105 - a throwaway server on loopback
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.checkin_urls"
# wrk sends every phone's check-in from 127.0.0.1: the per-address limit, meant for one office's router, is off; the
# per-token limit (one check-in per phone) stays on and is measured.
API_THROTTLE_RATES = {"token": "120/min", "address": None}
# The benchmark measures the application, not the log: warnings only, as in production.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"handlers": [], "level": "WARNING"}}
