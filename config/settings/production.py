"""Production: every secret must come from the environment; refuse to start otherwise."""

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import SECRET_KEY

DEBUG = False
# A missing, short, or known development/test key stops start-up (ImproperlyConfigured).
SECRET_KEY = env.production_secret_key(SECRET_KEY)
# No console or in-memory mail in production; without a mail server, notifications stay in the app.
EMAIL_BACKEND = env.production_email_backend(env.EMAIL_BACKEND_NAME, env.EMAIL_URL_HOST)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
