"""What single sign-on needs that knows no staff: the provider's endpoints, whether its ID token asserts a second
factor, and the provider's logout.

The person is matched to a staff member in ``telework.organization.sso`` (staff codes live one floor up); this module
holds the OpenID Connect plumbing the logout and the second-factor middleware also need.

* **Endpoints** come from the settings when given one by one (``TELEWORK_OIDC_TOKEN_ENDPOINT`` …), else from the
  provider's discovery document ``<issuer>/.well-known/openid-configuration``, fetched when first needed (never at
  start-up: a provider that is down must not stop password logins) and kept ``DISCOVERY_SECONDS``. The document must
  name the configured issuer (OpenID Connect Discovery 1.0, §4.3).
* **Second factor.** After a single sign-on, a person of a role that must pass a second factor still does so on this
  site unless the provider's ID token says it checked one: an ``acr`` among ``OIDC_MFA_ACR`` or an ``amr`` method
  among ``OIDC_MFA_AMR``. Neither is trusted unless configured, so by default single sign-on replaces the password
  only (docs/security.md).
* **Logout** ends the local session; with an ``end_session_endpoint`` the browser then goes to the provider to end
  its session too (RP-initiated logout 1.0), and comes back to the login page.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

import requests
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

# The session keys single sign-on leaves: that the provider asserted a second factor (the site then asks for none),
# and the ID token, kept for the provider's logout (``id_token_hint``; mozilla-django-oidc's own key).
PROVIDER_MFA_KEY = "_telework_sso_mfa"
ID_TOKEN_KEY = "oidc_id_token"  # noqa: S105 - a session key, not a secret
SSO_LOGIN_KEY = "_telework_sso"

DISCOVERY_SECONDS = 3600
# The settings each endpoint is read from, and its name in the discovery document.
ENDPOINT_SETTINGS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read, or does not describe the configured issuer."""


def is_enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


_discovered: dict[str, tuple[float, dict[str, Any]]] = {}
_discovery_lock = threading.Lock()


def discovery_document(issuer: str) -> dict[str, Any]:
    """The provider's discovery document (cached ``DISCOVERY_SECONDS`` per process). Raises ``ProviderUnavailable``."""
    with _discovery_lock:
        cached = _discovered.get(issuer)
        if cached is not None and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
            return cached[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from error
    if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
        raise ProviderUnavailable(f"{url} does not describe the issuer {issuer}")
    with _discovery_lock:
        _discovered[issuer] = (time.monotonic(), document)
    return document


def forget_discovery() -> None:
    """Drop the cached discovery documents (a test that starts another provider)."""
    with _discovery_lock:
        _discovered.clear()


def setting(name: str, *default: Any) -> Any:
    """A mozilla-django-oidc setting, an endpoint taken from the discovery document when not configured. The
    library's views and backend read their settings through this (their ``get_settings``)."""
    value = getattr(settings, name, *default) if default else getattr(settings, name)
    if name in ENDPOINT_SETTINGS and not value:
        value = discovery_document(settings.OIDC_OP_ISSUER).get(ENDPOINT_SETTINGS[name]) or ""
        if not value and name != "OIDC_OP_LOGOUT_ENDPOINT" and not default:
            raise ProviderUnavailable(f"the provider's discovery document names no {ENDPOINT_SETTINGS[name]}")
    return value


def asserts_second_factor(claims: Mapping[str, Any], *, acr_values: Iterable[str], amr_values: Iterable[str]) -> bool:
    """Whether an ID token's claims say the provider checked a second factor: its ``acr`` is one of ``acr_values``, or
    one of its ``amr`` methods is among ``amr_values`` (RFC 8176 names them: ``mfa``, ``otp``, ``hwk``, ``sc`` …).
    Nothing is trusted when both lists are empty."""
    accepted_acr = {value for value in acr_values if value}
    accepted_amr = {value for value in amr_values if value}
    acr = claims.get("acr")
    if isinstance(acr, str) and acr in accepted_acr:
        return True
    amr = claims.get("amr")
    if isinstance(amr, str):
        amr = [amr]
    return isinstance(amr, list) and any(isinstance(method, str) and method in accepted_amr for method in amr)


def provider_logout_url(request: HttpRequest, id_token: str) -> str:
    """Where the browser goes after the local logout when it signed in through the provider: the provider's
    ``end_session_endpoint`` with the ID token as hint and the login page to come back to; "" when the provider
    advertises none (or cannot be reached: the local session has ended all the same)."""
    if not is_enabled() or not id_token:
        return ""
    try:
        endpoint = setting("OIDC_OP_LOGOUT_ENDPOINT", "")
    except ProviderUnavailable:
        return ""
    if not endpoint:
        return ""
    back = request.build_absolute_uri(reverse(settings.LOGOUT_REDIRECT_URL))
    query = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": back, "client_id": settings.OIDC_RP_CLIENT_ID})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
