"""A real OpenID Connect provider for the single sign-on tests: a tiny Django project (django-oauth-toolkit), started
in a subprocess by ``provider.py`` on a free loopback port, with an RSA key generated for each start.

Everything comes from the environment ``provider.py`` sets: the issuer, the key file, the database file and the people
it knows (with the claims it asserts for them)."""

import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
SECRET_KEY = "oidc-provider-tests-only"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "oauth2_provider"]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "telework.organization.tests.oidc_provider.urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["OIDC_PROVIDER_DB"]}}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [HERE / "templates"], "APP_DIRS": True}]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
LOGIN_URL = "/login/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PEOPLE = json.loads(os.environ["OIDC_PROVIDER_PEOPLE"])
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": Path(os.environ["OIDC_PROVIDER_KEY"]).read_text(),
    "OIDC_ISS_ENDPOINT": os.environ["OIDC_PROVIDER_ISSUER"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "SCOPES": {"openid": "OpenID Connect", "staff": "Staff code"},
    "OAUTH2_VALIDATOR_CLASS": "telework.organization.tests.oidc_provider.validator.StaffClaimsValidator",
    "PKCE_REQUIRED": True,
    # A sign-in answer lives five minutes, as provinces' providers issue them.
    "ID_TOKEN_EXPIRE_SECONDS": 300,
}
