"""Production: every secret must come from the environment; refuse to start otherwise.

The entry points (``manage.py``, ``config/wsgi.py``, ``config/celery.py``) load this module when
``DJANGO_SETTINGS_MODULE`` is unset: a server started without configuration stops at start-up instead of serving
tracebacks under a public key. ``make demo`` and the tests name their settings explicitly.
"""

from csp.constants import NONE, SELF

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import ALLOWED_HOSTS, MIDDLEWARE, SECRET_KEY

DEBUG = False
# A missing, short, or known development/test key stops start-up (ImproperlyConfigured).
SECRET_KEY = env.production_secret_key(SECRET_KEY)
ALLOWED_HOSTS = env.production_allowed_hosts(ALLOWED_HOSTS, env.ALLOWED_HOSTS_GIVEN)
# No console or in-memory mail in production; without a mail server, notifications stay in the app.
EMAIL_BACKEND = env.production_email_backend(env.EMAIL_BACKEND_NAME, env.EMAIL_URL_HOST)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = env.CSRF_TRUSTED_ORIGINS
SECURE_PROXY_SSL_HEADER = env.proxy_ssl_header(env.PROXY_SSL_HEADER_NAME)
SECURE_SSL_REDIRECT = env.SSL_REDIRECT
# The load balancer's probes and Prometheus' scrapes come over plain HTTP to the host's address (they are also answered
# before SecurityMiddleware: telework.core.health, telework.core.metrics).
SECURE_REDIRECT_EXEMPT = [r"^health/(live|ready)/$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.HSTS_INCLUDE_SUBDOMAINS
SECURE_HSTS_PRELOAD = env.HSTS_PRELOAD
# Preloading (W021) puts the whole domain on the browsers' HTTPS-only list, which anyone may submit once the header
# says "preload": a decision for the owner of the province's domain (TELEWORK_HSTS_PRELOAD=1), not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Content-security policy, report-only: browsers report what an enforced policy would block without blocking it.
# Enforcing it needs the inline <script> blocks and on…= handlers moved into static files first (docs/security.md).
MIDDLEWARE = [*MIDDLEWARE, "csp.middleware.CSPMiddleware"]
_CSP_DIRECTIVES: dict[str, list[str] | str] = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "connect-src": [SELF],
    "font-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
if env.CSP_REPORT_URI:
    _CSP_DIRECTIVES["report-uri"] = env.CSP_REPORT_URI
CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
CONTENT_SECURITY_POLICY = None
