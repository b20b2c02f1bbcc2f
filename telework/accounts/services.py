"""Accounts' writes: first passwords (e-mailed one-time links and printed one-time codes), deactivation.

A person's account is created without a usable password (``telework.organization.accounts.provide_accounts``);
it is *activated* when its owner sets one, through a link or a code. Both are single use, expire after
``settings.ACCOUNT_ACTIVATION_DAYS`` and stop working once a password is set. Deactivating an account ends its
sessions, API tokens and unused codes at once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sessions.models import Session
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from telework.accounts.models import ActivationCode, ApiToken, User
from telework.core import clock
from telework.core.background import run_in_background
from telework.core.exceptions import InvalidTransition, ValidationFailed, _jsonable
from telework.core.models import AuditEvent

# Printed codes avoid the characters people misread on paper (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def activation_days() -> int:
    return int(settings.ACCOUNT_ACTIVATION_DAYS)


def is_activated(user: User) -> bool:
    """Whether the person has set a password of their own (an account starts without a usable one)."""
    return user.has_usable_password()


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """The e-mailed link's token: Django's password-reset token under its own salt, read on the project's clock,
    valid ``ACCOUNT_ACTIVATION_DAYS``. It hashes the password, so it dies once the person sets one (single use)."""

    key_salt = "telework.accounts.activation_link"

    def _now(self) -> dt.datetime:
        return clock.local_now().replace(tzinfo=None)

    def check_token(self, user: Any, token: str | None) -> bool:
        if not (user and token):
            return False
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        secrets_to_try = [self.secret, *self.secret_fallbacks]
        if not any(constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token) for secret in secrets_to_try):
            return False
        return (self._num_seconds(self._now()) - timestamp) <= activation_days() * 86_400


activation_tokens = ActivationTokenGenerator()


def generate_code() -> str:
    """A fresh code as printed: eight characters in two groups ("KXR7-M2QD")."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str) -> str:
    """The code as typed, without spaces or dashes, in capitals (people type "kxr7 m2qd")."""
    return "".join(character for character in text.upper() if character.isalnum())


def code_digest(user_id: int, code: str) -> str:
    """The keyed digest stored for ``code``: without the server's secret a stolen table reveals no code."""
    return salted_hmac("telework.accounts.activation_code", f"{user_id}:{normalise_code(code)}", algorithm="sha256").hexdigest()


def audit_accounts(
    *,
    actor: User | None,
    action: str,
    users: Sequence[User],
    after: Mapping[str, Any] | None = None,
    reason: str = "",
    agency_ids: Mapping[int, int] | None = None,
) -> None:
    """One audit row per account for ``action``, written in one insert (a whole import's accounts at once).
    Mirrors ``telework.core.audit.audit_record`` field by field; ``agency_ids`` maps a user id to its agency."""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    label = (actor_user.get_full_name() or actor_user.get_username()) if actor_user is not None else "system"
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                actor=actor_user,
                actor_label=label,
                action=action,
                object_type=User._meta.label_lower,
                object_id=str(user.pk),
                object_label=str(user)[:300],
                agency_id=(agency_ids or {}).get(user.pk),
                before=None,
                after=_jsonable(dict(after)) if after is not None else None,
                reason=reason,
            )
            for user in users
        ],
        batch_size=500,
    )


def audit_account_change(*, actor: User | None, action: str, user: User, after: Mapping[str, Any], reason: str, agency_id: int | None) -> None:
    """One account's change by an administrator (closed, reopened, its second factor reset), with the reason they gave
    and, when known, the agency whose administrators may read the row."""
    audit_accounts(
        actor=actor,
        action=action,
        users=[user],
        after=after,
        reason=reason.strip(),
        agency_ids={user.pk: agency_id} if agency_id else None,
    )


def audit_unknown_account(*, action: str, label: str, after: Mapping[str, Any]) -> None:
    """An audit row about an account nobody could name (a single sign-on refused before the person was known): object
    id 0, which is no account, so only the roles that read the whole trail read it."""
    AuditEvent.objects.create(
        actor=None,
        actor_label="system",
        action=action,
        object_type=User._meta.label_lower,
        object_id="0",
        object_label=label[:300],
        after=_jsonable(dict(after)),
    )


def _awaiting_activation(users: Iterable[User]) -> list[User]:
    return [user for user in users if user.is_active and not user.has_usable_password()]


# --- Printed codes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedCode:
    """A code as it goes on paper: shown once, never stored in clear."""

    user: User
    code: str
    expires_at: dt.datetime


def activation_codes_issue(*, users: Iterable[User], actor: User, agency_ids: Mapping[int, int] | None = None) -> list[IssuedCode]:
    """Issue a one-time code to each active account still awaiting activation (others are skipped), replacing any
    earlier unused code, in a fixed number of queries. Audited (``account.code_issued``). The caller prints them."""
    chosen = _awaiting_activation(users)
    if not chosen:
        return []
    now = clock.now()
    expires_at = now + dt.timedelta(days=activation_days())
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    issued = [IssuedCode(user=user, code=generate_code(), expires_at=expires_at) for user in chosen]
    with transaction.atomic():
        ActivationCode.objects.filter(user__in=chosen, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        ActivationCode.objects.bulk_create(
            [
                ActivationCode(user=item.user, code_digest=code_digest(item.user.pk, item.code), created_at=now, created_by=actor_user, expires_at=expires_at)
                for item in issued
            ],
            batch_size=500,
        )
        audit_accounts(actor=actor, action="account.code_issued", users=chosen, after={"expires_at": expires_at}, agency_ids=agency_ids)
    return issued


WRONG_CODE = _("The username or the activation code is not right, or the code has expired. Check them, or ask your HR office for a new code.")


def activation_code_check(*, username: str, code: str) -> tuple[User, ActivationCode]:
    """The account and its code if ``code`` activates ``username`` now; a wrong guess counts against the person's
    newest code (five wrong guesses lock it). One answer for every failure, so a guess learns nothing."""
    now = clock.now()
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None or user.has_usable_password():
        raise ValidationFailed(WRONG_CODE, rule="activation_code")
    candidate = ActivationCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).order_by("-created_at", "-pk").first()
    if candidate is None or not candidate.is_usable(now):
        raise ValidationFailed(WRONG_CODE, rule="activation_code")
    if not constant_time_compare(candidate.code_digest, code_digest(user.pk, code)):
        ActivationCode.objects.filter(pk=candidate.pk).update(failed_attempts=candidate.failed_attempts + 1)
        raise ValidationFailed(WRONG_CODE, rule="activation_code")
    return user, candidate


def activate_with_code(*, username: str, code: str, password: str) -> User:
    """Set the first password of ``username`` with a printed code, under the password policy; the code is spent.
    Audited (``account.activated``)."""
    user, candidate = activation_code_check(username=username, code=code)
    validate_password(password, user)
    with transaction.atomic():
        # Spent under a condition, so two tabs racing with the same code activate once.
        spent = ActivationCode.objects.filter(pk=candidate.pk, used_at__isnull=True, revoked_at__isnull=True).update(used_at=clock.now())
        if not spent:
            raise ValidationFailed(WRONG_CODE, rule="activation_code")
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_accounts(actor=user, action="account.activated", users=[user], after={"by": "code"})
    return user


def account_activated_by_link(*, user: User) -> None:
    """Record that ``user`` set their first password through an e-mailed link (the view's form saved it); any
    printed code left for them stops working."""
    with transaction.atomic():
        ActivationCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=clock.now())
        audit_accounts(actor=user, action="account.activated", users=[user], after={"by": "link"})


# --- E-mailed links ----------------------------------------------------------------------------------------


def activation_link(user: User, base_url: str) -> str:
    """The one-time link for ``user``: ``base_url`` is the site's address as people reach it ("https://host")."""
    path = reverse("accounts:activate_link", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": activation_tokens.make_token(user)})
    return base_url.rstrip("/") + path


def activation_links_send(*, users: Iterable[User], actor: User, base_url: str, agency_ids: Mapping[int, int] | None = None) -> list[User]:
    """E-mail a one-time activation link to each active account awaiting activation that has an address (the others
    are skipped and need a printed code). The mail goes out after the commit, off the request. Audited
    (``account.link_sent``). Returns the accounts written to."""
    chosen = [user for user in _awaiting_activation(users) if user.email]
    if not chosen:
        return []
    with transaction.atomic():
        audit_accounts(actor=actor, action="account.link_sent", users=chosen, after={"expires_in_days": activation_days()}, agency_ids=agency_ids)
        ids = [user.pk for user in chosen]
        transaction.on_commit(lambda: run_in_background("accounts.send_activation_links", ids, base_url))
    return chosen


def activation_emails_send(user_ids: Sequence[int], base_url: str) -> int:
    """Send the activation e-mails, in the site's language, over one connection (the task behind
    ``activation_links_send``). Accounts activated or deactivated meanwhile get nothing. Returns how many went."""
    users = _awaiting_activation(User.objects.filter(pk__in=list(user_ids)).exclude(email="").order_by("pk"))
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            context = {"user": user, "link": activation_link(user, base_url), "days": activation_days(), "site": base_url}
            subject = render_to_string("accounts/email/activation_subject.txt", context).strip()
            body = render_to_string("accounts/email/activation_body.txt", context)
            messages.append(EmailMultiAlternatives(subject, body, None, [user.email]))
    if messages:
        get_connection().send_messages(messages)
    return len(messages)


# --- Deactivation ------------------------------------------------------------------------------------------


def deactivate_account(*, user: User, actor: User | None, reason: str, agency_id: int | None = None) -> User:
    """Close ``user``'s account: it can no longer log in, its open sessions end (the next request is logged out),
    its API tokens are revoked and unused activation codes die. Audited (``account.deactivate``). Called by HR on
    the accounts page and when a person leaves the staff."""
    if not reason.strip():
        raise ValidationFailed(_("Say why the account is closed."), rule="account_deactivation_reason")
    if getattr(actor, "pk", None) == user.pk:
        raise InvalidTransition(_("You cannot close your own account."), rule="account_deactivate_self")
    now = clock.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            return locked
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        tokens = ApiToken.objects.filter(user=locked, revoked_at__isnull=True).update(revoked_at=now)
        ActivationCode.objects.filter(user=locked, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        sessions = end_sessions(locked)
        audit_account_change(
            actor=actor,
            action="account.deactivate",
            user=locked,
            after={"is_active": False, "sessions_ended": sessions, "tokens_revoked": tokens},
            reason=reason,
            agency_id=agency_id,
        )
    user.is_active = False
    return locked


def reactivate_account(*, user: User, actor: User | None, reason: str = "", agency_id: int | None = None) -> User:
    """Open a closed account again (a person reinstated). Their old password works again; audited
    (``account.reactivate``)."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active:
            return locked
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        audit_account_change(actor=actor, action="account.reactivate", user=locked, after={"is_active": True}, reason=reason, agency_id=agency_id)
    user.is_active = True
    return locked


# --- Second factor --------------------------------------------------------------------------------------------


def reset_second_factor(*, user: User, actor: User | None, reason: str, agency_id: int | None = None) -> int:
    """Remove ``user``'s authenticator and recovery codes (a lost or stolen phone) and end their sessions: at the next
    login they set up the two-step login again (a role that must have it cannot go further until they do). Nobody
    resets their own: a second factor reset by its holder would protect nothing. Audited
    (``account.second_factor_reset``). Returns how many authenticators were removed."""
    if not reason.strip():
        raise ValidationFailed(_("Say why the two-step login is reset."), rule="second_factor_reset_reason")
    if getattr(actor, "pk", None) == user.pk:
        raise InvalidTransition(_("You cannot reset your own two-step login: ask another administrator."), rule="second_factor_reset_self")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        authenticators = int(TOTPDevice.objects.filter(user=locked).count())
        recovery = StaticDevice.objects.filter(user=locked)
        codes = StaticToken.objects.filter(device__in=recovery).count()
        TOTPDevice.objects.filter(user=locked).delete()
        recovery.delete()
        sessions = end_sessions(locked)
        audit_account_change(
            actor=actor,
            action="account.second_factor_reset",
            user=locked,
            after={"authenticators_removed": authenticators, "recovery_codes_removed": codes, "sessions_ended": sessions},
            reason=reason,
            agency_id=agency_id,
        )
    return authenticators


def end_sessions(user: User) -> int:
    """Delete the database sessions that carry ``user``'s login (``SESSION_ENGINE`` is the database). Sessions are
    encoded, so each unexpired one is decoded: fine for a deactivation, which is rare. Returns how many ended."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=clock.now()).only("session_key", "session_data").iterator(chunk_size=1000):
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ended.append(session.session_key)
    if ended:
        Session.objects.filter(session_key__in=ended).delete()
    return len(ended)
