"""Local development and the demo: a throwaway secret key if none is set; debug only when asked for.

``DEBUG`` stays off (as in production) unless ``TELEWORK_DEBUG=1``: a demo shown on a ward office's network must
not print tracebacks and settings to whoever hits an error. ``make demo`` serves the static files itself
(``runserver --insecure``), so the pages keep their layout with debug off.
"""

from config import env
from config.settings import csp
from config.settings.base import *  # noqa: F403
from config.settings.base import MIDDLEWARE, SECRET_KEY

DEBUG = env.DEBUG
SECRET_KEY = SECRET_KEY or env.LOCAL_DEVELOPMENT_SECRET_KEY
# The demo prints one password per role and no authenticator is set up for them: the second factor is off unless
# TELEWORK_SECOND_FACTOR=1 (then each privileged login enrols on its first visit). Production keeps it on.
SECOND_FACTOR_REQUIRED = env.env_bool("TELEWORK_SECOND_FACTOR", False)
# The demo reports what production's content-security policy would refuse (the browser's console) without refusing it,
# so Django's own debug pages (inline styles) stay readable with TELEWORK_DEBUG=1.
MIDDLEWARE = [*MIDDLEWARE, csp.MIDDLEWARE]
CONTENT_SECURITY_POLICY_REPORT_ONLY = csp.POLICY
CONTENT_SECURITY_POLICY = None
