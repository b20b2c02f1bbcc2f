"""Local development and the demo: debug on, a throwaway secret key if none is set."""

from config.settings.base import *  # noqa: F403
from config.settings.base import SECRET_KEY

DEBUG = True
SECRET_KEY = SECRET_KEY or "telework-local-development-only-not-secret"  # noqa: S105
