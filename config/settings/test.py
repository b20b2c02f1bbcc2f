"""Test settings: fast hashing, in-memory mail, eager tasks unless a test starts a broker."""

from config.settings import csp
from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE

SECRET_KEY = "telework-tests-only"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run with the clock frozen (root conftest.py) while Chromium keeps the machine's real clock: cookies that
# carry an expiry computed from the frozen clock could already be stale for the browser, so in tests they are
# session cookies.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Background work (a switch's follow-up) runs inline, so a test sees its result when the request returns.
BACKGROUND_THREADS = False
# Tests never start the scheduler's thread; they call telework.core.scheduler.run_due_jobs themselves.
SCHEDULER_IN_PROCESS = False
CSRF_COOKIE_AGE = None
# No rate limits across the suite (its requests all come from 127.0.0.1 within one frozen minute); the tests of the
# limits switch them on (telework/accounts/tests/test_api_tokens.py).
API_THROTTLE_RATES = {"token": None, "address": None}
# The second factor is off across the suite (its logins use force_login and the login form); the tests of the second
# factor switch it on (telework/accounts/tests/test_second_factor.py). Lockout stays on, as in production.
SECOND_FACTOR_REQUIRED = False
# Many tests move the clock days ahead with one signed-in client: sessions keep Django's two weeks here. The idle
# expiry of a working day (base settings) is tested with its own value (telework/accounts/tests/test_sessions.py).
SESSION_COOKIE_AGE = 14 * 24 * 3600
# The enforcing content-security policy of production, so every browser test proves its pages run under it (a refused
# script or style is a console error, which fails the test).
MIDDLEWARE = [*MIDDLEWARE, csp.MIDDLEWARE]
CONTENT_SECURITY_POLICY = csp.POLICY
