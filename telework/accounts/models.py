"""Users, their role, and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from telework.core import clock


class Role(models.TextChoices):
    """What a user may see and do. The scope (own data, unit subtree, agency, city) follows from the role and
    the staff record the user is linked to (see ``telework.organization.scope``)."""

    STAFF = "staff", _("Staff member")
    UNIT_HEAD = "unit_head", _("Unit head")
    AGENCY_HEAD = "agency_head", _("Agency head")
    AGENCY_HR = "agency_hr", _("Agency HR officer")
    HOME_AFFAIRS = "home_affairs", _("Home Affairs officer")
    CITY_LEADERSHIP = "city_leadership", _("City leadership")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class TokenScope(models.TextChoices):
    """What a token may do (``telework.accounts.api_auth.required_scope`` names what each request needs):

    - ``read``: reading only (GET);
    - ``check_in``: the phone's own day — check in, check out, reachability — and nothing else: it cannot read others'
      data, approve or decide anything;
    - ``write``: reading and every change its user may make through the API;
    - ``full``: the same as ``write`` (tokens issued before the scopes existed);
    - ``dossier_push``: only pushes one agency's dossiers and ratings (``/api/dossiers/push…``), refused elsewhere.
    """

    FULL = "full", _("Full access (everything you may do)")
    DOSSIER_PUSH = "dossier_push", _("Dossier push only (one-stop system)")
    READ = "read", _("Read only")
    CHECK_IN = "check_in", _("Check-in only (phone)")
    WRITE = "write", _("Read and write")


# Which request kinds (``api_auth.required_scope``) each token scope grants.
SCOPE_GRANTS: dict[str, frozenset[str]] = {
    TokenScope.FULL: frozenset({TokenScope.READ, TokenScope.CHECK_IN, TokenScope.WRITE}),
    TokenScope.WRITE: frozenset({TokenScope.READ, TokenScope.CHECK_IN, TokenScope.WRITE}),
    TokenScope.READ: frozenset({TokenScope.READ}),
    TokenScope.CHECK_IN: frozenset({TokenScope.CHECK_IN}),
    TokenScope.DOSSIER_PUSH: frozenset(),
}
# A token lives at most this many days (chosen at creation; the default is the longest).
TOKEN_MAX_DAYS = 90


class ApiToken(models.Model):
    """A bearer token for API clients. Only a SHA-256 digest is stored; the key is shown once at creation.

    A ``dossier_push`` token is bound to ``agency``: the one-stop system of that agency pushes its dossiers with it,
    acting as the user who issued it (``user``, for the audit trail)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=32, choices=TokenScope.choices, default=TokenScope.FULL)
    # A string reference: accounts sits under organization and imports nothing from it.
    agency = models.ForeignKey("organization.Agency", verbose_name=_("agency"), null=True, blank=True, on_delete=models.CASCADE, related_name="push_tokens")
    key_digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    # Refused from this moment on (at most TOKEN_MAX_DAYS after creation); a new token must be issued.
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user: User, name: str, scope: str = TokenScope.FULL, agency_id: int | None = None, days: int = TOKEN_MAX_DAYS) -> tuple[ApiToken, str]:
        """Create a token valid ``days`` days (1 to TOKEN_MAX_DAYS) and return it with its clear-text key (never
        stored). A push token needs its agency; the caller has checked that ``user`` may issue one for it
        (``telework.accounts.push_tokens``)."""
        if (scope == TokenScope.DOSSIER_PUSH) != (agency_id is not None):
            raise ValueError("a dossier push token, and only one, is bound to an agency")
        if not 1 <= days <= TOKEN_MAX_DAYS:
            raise ValueError(f"a token lives 1 to {TOKEN_MAX_DAYS} days")
        key = "tw_" + secrets.token_urlsafe(32)
        expires_at = clock.now() + dt.timedelta(days=days)
        token = cls.objects.create(user=user, name=name, key_digest=cls.digest(key), prefix=key[3:11], scope=scope, agency_id=agency_id, expires_at=expires_at)
        return token, key

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return (now or clock.now()) >= self.expires_at

    def grants(self, needed: str) -> bool:
        """Whether this token may make a request of kind ``needed`` (read, check_in or write)."""
        return needed in SCOPE_GRANTS.get(self.scope, frozenset())

    @staticmethod
    def check_in_sql(alias: str = "t") -> str:
        """The SQL condition (parameter ``%(token_now)s``: now) under which the token row ``alias`` may check in:
        unrevoked, unexpired, of a scope granting check-in. For the morning peak's one-statement check-in."""
        scopes = ", ".join(f"'{scope}'" for scope, grants in SCOPE_GRANTS.items() if TokenScope.CHECK_IN in grants)
        return f"{alias}.revoked_at IS NULL AND {alias}.expires_at > %(token_now)s AND {alias}.scope IN ({scopes})"

    @property
    def is_push_only(self) -> bool:
        return self.scope == TokenScope.DOSSIER_PUSH

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        """The unrevoked, unexpired token ``key`` of an active user (any scope), its use stamped; None otherwise
        (``lookup`` tells an expired token apart)."""
        token = cls.lookup(key)
        if token is None or token.is_expired():
            return None
        cls.mark_used(token.pk, clock.now())
        return token

    @classmethod
    def lookup(cls, key: str) -> ApiToken | None:
        """The unrevoked token ``key`` of an active user, expired or not, nothing stamped."""
        token = cls.objects.select_related("user").filter(key_digest=cls.digest(key), revoked_at__isnull=True).first()
        if token is None or not token.user.is_active:
            return None
        return token

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        """The user of the token ``key`` if it may check in (full, write or check-in scope); None for an unknown,
        revoked, expired or other-scope token (``api_auth.refuse_push_only`` explains which)."""
        token = cls.find(key)
        if token is None or not token.grants(TokenScope.CHECK_IN):
            return None
        return token.user

    @classmethod
    def mark_used(cls, token_id: int, when: dt.datetime) -> None:
        """Stamp the token's last use (shown under Account → API tokens)."""
        cls.objects.filter(pk=token_id).update(last_used_at=when)


class ActivationCode(models.Model):
    """A short one-time code printed on paper for a person without e-mail, to set their first password at
    ``/accounts/activate/``. Only a keyed digest is stored (``telework.accounts.activation``); a code works once,
    until ``expires_at``, for at most ``MAX_ATTEMPTS`` wrong guesses, and a newer code for the same person replaces it."""

    MAX_ATTEMPTS = 5

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="activation_codes")
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        indexes = [models.Index(fields=["user", "used_at", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%d/%m/%Y}"

    def is_usable(self, now: dt.datetime) -> bool:
        """Neither used, replaced, expired nor locked by too many wrong guesses."""
        return self.used_at is None and self.revoked_at is None and now < self.expires_at and self.failed_attempts < self.MAX_ATTEMPTS
