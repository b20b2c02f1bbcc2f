"""Single sign-on with the province's OpenID Connect identity provider, matched to staff by their staff code.

mozilla-django-oidc runs the authorization-code flow (with PKCE and a nonce); this module decides who the person is:

* The ID token must be signed RS256 by a key of the provider's JWKS, name the configured issuer and this client as its
  audience, and be within its lifetime (``OIDC_CLOCK_SKEW_SECONDS`` of leeway); anything else is refused as a token
  that cannot be trusted (or has expired).
* The person is the staff member whose code is the claim ``OIDC_STAFF_CODE_CLAIM`` (from the ID token, else from the
  userinfo endpoint, whose ``sub`` must match). Only with ``OIDC_EMAIL_FALLBACK`` is a verified e-mail
  (``email_verified``) matched to exactly one staff member when the code is missing or unknown.
* Accounts are never created. An unknown code, a staff member without an account, one who has left or whose account is
  closed is refused with a Vietnamese message naming why, on the login page. Every sign-in and every refusal is audited
  (``account.sso_login``, ``account.sso_refused`` with the reason).
* The provider's signing keys (its JWKS) are kept in the cache for ``JWKS_CACHE_SECONDS``, so a morning of sign-ins
  does not ask the provider for them each time; a token signed by a key not in the kept set makes one fresh fetch (the
  provider rotated its key) before it is refused.
* A person of a role that must pass a second factor is then asked for this site's, unless the provider asserted one
  (``telework.accounts.oidc.asserts_second_factor``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from telework.accounts import oidc
from telework.accounts.models import User
from telework.accounts.services import audit_accounts, audit_unknown_account
from telework.organization.models import Staff

# Claims are the provider's text: bounded before they reach a message, a query or the audit trail.
MAX_CLAIM_LENGTH = 64
# How long the provider's signing keys are kept before they are fetched again (a rotation is caught sooner: a token
# whose key is not among the kept ones makes a fresh fetch).
JWKS_CACHE_SECONDS = 3600


class Refusal:
    """Why a single sign-on was refused, as the person reads it (``%(code)s``, ``%(name)s``, ``%(claim)s`` filled in)."""

    UNKNOWN_CODE = "unknown_code"
    NO_CODE = "no_code"
    AMBIGUOUS = "ambiguous"
    NO_ACCOUNT = "no_account"
    LEFT = "left"
    CLOSED = "closed"
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - a reason code
    EXPIRED_TOKEN = "expired_token"  # noqa: S105 - a reason code
    PROVIDER_UNREACHABLE = "provider_unreachable"
    PROVIDER_ERROR = "provider_error"
    SESSION_LOST = "session_lost"

    MESSAGES = {
        UNKNOWN_CODE: _(
            "The province's identity provider sent the staff code “%(code)s”, which is on no staff list here. Ask your HR office to check your staff code."
        ),
        NO_CODE: _(
            "The province's identity provider did not say your staff code (the “%(claim)s” claim), so you cannot be matched to a staff member. Log in with your password."
        ),
        AMBIGUOUS: _("Your e-mail address belongs to more than one staff member here: ask your HR office to correct the staff records."),
        NO_ACCOUNT: _("%(name)s has no account here yet: ask your HR office to create one."),
        LEFT: _("%(name)s has left the staff: the account no longer opens."),
        CLOSED: _("%(name)s's account is closed: ask your HR office to reopen it."),
        INVALID_TOKEN: _(
            "The sign-in answer from the province's identity provider could not be verified (its signature, issuer or audience is wrong). Try again."
        ),
        EXPIRED_TOKEN: _("The sign-in answer from the province's identity provider has expired. Try again."),
        PROVIDER_UNREACHABLE: _("The province's identity provider cannot be reached now. Try again later, or log in with your password."),
        PROVIDER_ERROR: _("The province's identity provider did not sign you in (cancelled or refused)."),
        SESSION_LOST: _("This sign-in was started in another session or has timed out. Start it again."),
    }
    # The reasons, named in the audit trail (telework.organization.audit_subjects).
    LABELS = {
        UNKNOWN_CODE: _("staff code unknown"),
        NO_CODE: _("no staff code sent"),
        AMBIGUOUS: _("e-mail of several staff members"),
        NO_ACCOUNT: _("no account yet"),
        LEFT: _("left the staff"),
        CLOSED: _("account closed"),
        INVALID_TOKEN: _("token not verified"),
        EXPIRED_TOKEN: _("token expired"),
        PROVIDER_UNREACHABLE: _("provider unreachable"),
        PROVIDER_ERROR: _("refused by the provider"),
    }


class SsoRefused(Exception):
    def __init__(self, reason: str, /, *, user: User | None = None, **params: str) -> None:
        super().__init__(reason)
        self.code = reason
        self.user = user
        self.params = params

    def message(self) -> str:
        return str(Refusal.MESSAGES[self.code]) % {"code": "", "name": "", "claim": "", **self.params}


@dataclass
class Outcome:
    """What the callback learnt, left on the request for the view: the refusal, or how the person was matched."""

    refusal: SsoRefused | None = None
    matched_by: str = ""
    staff_code: str = ""
    provider_mfa: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


OUTCOME_ATTRIBUTE = "_telework_sso_outcome"


def _claim_text(value: Any) -> str:
    return "".join(character for character in str(value) if character.isprintable())[:MAX_CLAIM_LENGTH].strip() if value is not None else ""


def match_staff(claims: dict[str, Any]) -> tuple[Staff, str]:
    """The staff member the claims name, and how (``staff_code`` or ``email``); ``SsoRefused`` otherwise."""
    claim = settings.OIDC_STAFF_CODE_CLAIM
    code = _claim_text(claims.get(claim))
    staff = None
    if code:
        staff = Staff.objects.select_related("user").filter(code__iexact=code).order_by("pk").first()
    matched_by = "staff_code"
    if staff is None and settings.OIDC_EMAIL_FALLBACK:
        email = _claim_text(claims.get("email"))
        if email and claims.get("email_verified") is True:
            found = list(Staff.objects.select_related("user").filter(Q(email__iexact=email) | Q(user__email__iexact=email), is_active=True)[:2])
            if len(found) > 1:
                raise SsoRefused(Refusal.AMBIGUOUS, staff_code=code)
            if found:
                staff, matched_by = found[0], "email"
    if staff is None:
        if code:
            raise SsoRefused(Refusal.UNKNOWN_CODE, code=code)
        raise SsoRefused(Refusal.NO_CODE, claim=claim)
    user = staff.user
    if user is None:
        raise SsoRefused(Refusal.NO_ACCOUNT, name=staff.full_name)
    if not staff.is_active:
        raise SsoRefused(Refusal.LEFT, user=user, name=staff.full_name)
    if not user.is_active:
        raise SsoRefused(Refusal.CLOSED, user=user, name=staff.full_name)
    return staff, matched_by


class StaffCodeBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend, answering only the provider's callback (the only caller that passes a nonce)
    when single sign-on is on; endpoints read when needed, so a password login never waits for the provider."""

    get_settings = staticmethod(oidc.setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library's constructor reads the endpoints (a discovery fetch): deferred to ``authenticate``.
        self.UserModel = get_user_model()

    def _configure(self) -> None:
        self.OIDC_OP_TOKEN_ENDPOINT = oidc.setting("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = oidc.setting("OIDC_OP_USER_ENDPOINT", "")
        self.OIDC_OP_JWKS_ENDPOINT = oidc.setting("OIDC_OP_JWKS_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "nonce" not in kwargs or not oidc.is_enabled():
            return None
        outcome = Outcome()
        setattr(request, OUTCOME_ATTRIBUTE, outcome)
        self.outcome = outcome
        try:
            self._configure()
            return super().authenticate(request, **kwargs)  # type: ignore[no-any-return]
        except SsoRefused as refusal:
            outcome.refusal = refusal
        except (oidc.ProviderUnavailable, requests.RequestException, ValueError):
            outcome.refusal = SsoRefused(Refusal.PROVIDER_UNREACHABLE)
        except (SuspiciousOperation, jwt.InvalidTokenError, KeyError):
            # A nonce that does not match, no key of the JWKS for the token, a token that is no JWT at all.
            outcome.refusal = SsoRefused(Refusal.INVALID_TOKEN)
        record_refusal(outcome.refusal)
        return None

    def retrieve_matching_jwk(self, token: str | bytes) -> jwt.PyJWK:
        """The provider's key that signed ``token``: from the kept JWKS, else from a fresh fetch (a rotated key)."""
        header = jwt.get_unverified_header(token)
        cache_key = "telework:sso:jwks:" + hashlib.sha256(str(self.OIDC_OP_JWKS_ENDPOINT).encode()).hexdigest()
        kept = cache.get(cache_key)
        if kept is not None and (key := _matching_key(kept, header)) is not None:
            return jwt.PyJWK(key)
        response = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT,
            verify=oidc.setting("OIDC_VERIFY_SSL", True),
            timeout=oidc.setting("OIDC_TIMEOUT", None),
            proxies=oidc.setting("OIDC_PROXY", None),
        )
        response.raise_for_status()
        jwks = response.json()
        cache.set(cache_key, jwks, JWKS_CACHE_SECONDS)
        if (key := _matching_key(jwks, header)) is None:
            raise SuspiciousOperation("No key of the provider's JWKS matches the token.")
        return jwt.PyJWK(key)

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """The ID token's claims, checked: RS256 only, the provider's key, our issuer and audience, in its lifetime."""
        try:
            header = jwt.get_unverified_header(payload)
            if header.get("alg") != "RS256":
                raise SsoRefused(Refusal.INVALID_TOKEN)
            return jwt.decode(
                payload,
                key,
                algorithms=["RS256"],
                audience=settings.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                leeway=settings.OIDC_CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError as error:
            raise SsoRefused(Refusal.EXPIRED_TOKEN) from error
        except jwt.InvalidTokenError as error:
            raise SsoRefused(Refusal.INVALID_TOKEN) from error

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        """The staff member's account (never created); ``SsoRefused`` names why not."""
        claims = dict(payload)
        if settings.OIDC_STAFF_CODE_CLAIM not in claims and self.OIDC_OP_USER_ENDPOINT:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if not isinstance(userinfo, dict) or userinfo.get("sub") != payload.get("sub"):
                raise SsoRefused(Refusal.INVALID_TOKEN)
            claims = {**userinfo, **payload}
        staff, matched_by = match_staff(claims)
        self.outcome.matched_by = matched_by
        self.outcome.staff_code = staff.code
        self.outcome.provider_mfa = oidc.asserts_second_factor(payload, acr_values=settings.OIDC_MFA_ACR, amr_values=settings.OIDC_MFA_AMR)
        methods = payload.get("amr") or []
        methods = [methods] if isinstance(methods, str) else methods if isinstance(methods, list) else []
        self.outcome.extra = {"acr": _claim_text(payload.get("acr")), "amr": [_claim_text(method) for method in methods if isinstance(method, str)][:10]}
        assert staff.user is not None
        return staff.user

    def get_user(self, user_id: Any) -> User | None:
        # Django's check (an account closed since stays out), not the library's plain lookup.
        return ModelBackend.get_user(self, user_id)


def _matching_key(jwks: Any, header: dict[str, Any]) -> dict[str, Any] | None:
    """The JWK of ``jwks`` with the token's key id (and its algorithm, when the key names one), as the library matches."""
    keys = jwks.get("keys") if isinstance(jwks, dict) else None
    found = None
    for key in keys if isinstance(keys, list) else []:
        if not isinstance(key, dict) or key.get("kid") != header.get("kid"):
            continue
        if "alg" in key and key["alg"] != header.get("alg"):
            continue
        found = key
    return found


def record_refusal(refusal: SsoRefused | None) -> None:
    """One audit row per refused sign-in: on the account when the person is known, otherwise on no account (read
    only by the roles that read the whole trail)."""
    if refusal is None:
        return
    after = {"refusal": refusal.code, **{key: value for key, value in refusal.params.items() if key in {"code", "claim"}}}
    if refusal.user is not None:
        audit_accounts(actor=None, action="account.sso_refused", users=[refusal.user], after=after)
        return
    audit_unknown_account(action="account.sso_refused", label=refusal.params.get("code") or str(Refusal.LABELS[refusal.code]), after=after)


# --- Views ---------------------------------------------------------------------------------------------------


def _refuse(request: HttpRequest, refusal: SsoRefused) -> HttpResponse:
    messages.error(request, refusal.message())
    return redirect(settings.LOGIN_URL)


class SsoLoginView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Sends the browser to the provider (state, nonce and PKCE kept in the session)."""

    get_settings = staticmethod(oidc.setting)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads the authorization endpoint here: deferred to ``get`` (a discovery fetch may fail).
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc.is_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oidc.setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except oidc.ProviderUnavailable:
            return _refuse(request, SsoRefused(Refusal.PROVIDER_UNREACHABLE))
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)  # type: ignore[no-any-return]


class SsoCallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider sends the browser back here: the code is exchanged, the token checked, the person matched and
    signed in — or told, on the login page, why not."""

    get_settings = staticmethod(oidc.setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not oidc.is_enabled():
            raise Http404
        state = request.GET.get("state", "")
        if request.GET.get("error"):
            refusal = SsoRefused(Refusal.PROVIDER_ERROR)
            record_refusal(refusal)
            # The state is forgotten (no replay) and nobody stays signed in, as the library does on an error.
            states = request.session.get("oidc_states", {})
            if state in states:
                del states[state]
                request.session.modified = True
            if request.user.is_authenticated:
                auth_logout(request)
            return _refuse(request, refusal)
        if not request.GET.get("code") or state not in request.session.get("oidc_states", {}):
            return _refuse(request, SsoRefused(Refusal.SESSION_LOST))
        return super().get(request)  # type: ignore[no-any-return]

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        outcome: Outcome = getattr(self.request, OUTCOME_ATTRIBUTE, Outcome())
        self.request.session[oidc.SSO_LOGIN_KEY] = True
        self.request.session[oidc.PROVIDER_MFA_KEY] = outcome.provider_mfa
        audit_accounts(
            actor=self.user,
            action="account.sso_login",
            users=[self.user],
            after={"matched_by": outcome.matched_by, "staff_code": outcome.staff_code, "provider_mfa": outcome.provider_mfa, **outcome.extra},
        )
        return response  # type: ignore[no-any-return]

    def login_failure(self) -> HttpResponse:
        outcome: Outcome | None = getattr(self.request, OUTCOME_ATTRIBUTE, None)
        refusal = outcome.refusal if outcome is not None and outcome.refusal is not None else SsoRefused(Refusal.INVALID_TOKEN)
        return _refuse(self.request, refusal)
