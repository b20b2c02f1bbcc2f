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
    """What a token may do. ``full`` is everything its user may do through the API (the only scope before the push
    API); ``dossier_push`` only pushes one agency's dossiers and ratings (``/api/dossiers/push…``) and is refused
    everywhere else. Issue 15 adds the read, check-in and write scopes here."""

    FULL = "full", _("Full access (everything you may do)")
    DOSSIER_PUSH = "dossier_push", _("Dossier push only (one-stop system)")


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
    def issue(cls, *, user: User, name: str, scope: str = TokenScope.FULL, agency_id: int | None = None) -> tuple[ApiToken, str]:
        """Create a token and return it with its clear-text key (never stored). A push token needs its agency; the
        caller has checked that ``user`` may issue one for it (``telework.accounts.push_tokens``)."""
        if (scope == TokenScope.DOSSIER_PUSH) != (agency_id is not None):
            raise ValueError("a dossier push token, and only one, is bound to an agency")
        key = "tw_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_digest=cls.digest(key), prefix=key[3:11], scope=scope, agency_id=agency_id)
        return token, key

    @property
    def is_push_only(self) -> bool:
        return self.scope == TokenScope.DOSSIER_PUSH

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        """The unrevoked token ``key`` of an active user (any scope), its use stamped; None otherwise."""
        token = cls.objects.select_related("user").filter(key_digest=cls.digest(key), revoked_at__isnull=True).first()
        if token is None or not token.user.is_active:
            return None
        cls.mark_used(token.pk, clock.now())
        return token

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        """The user of the full-access token ``key``; None for an unknown, revoked or push-only token (the API's
        ``BearerToken`` tells the push-only case apart, with a 403)."""
        token = cls.find(key)
        if token is None or token.is_push_only:
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
