"""The content-security policy (django-csp), one definition for production, the test suite and the demo.

No inline script, no ``on…=`` handler, no ``style=`` attribute or ``<style>`` block: every page's code and styles come
from static files of this origin (docs/security.md). Data a script needs travels in ``data-*`` attributes or in a
``json_script`` block, which the browser never executes. ``TELEWORK_CSP_REPORT_URI`` collects what browsers refuse.
"""

from csp.constants import NONE, SELF

from config import env

MIDDLEWARE = "csp.middleware.CSPMiddleware"

_DIRECTIVES: dict[str, list[str] | str] = {
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
    _DIRECTIVES["report-uri"] = env.CSP_REPORT_URI

POLICY = {"DIRECTIVES": _DIRECTIVES}
