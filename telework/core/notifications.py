"""Notifications: always in the app, and by the other channels each person chose for the message's category.

``notify_user`` writes the in-app row (once per key: a retried task changes nothing) and, when the surrounding
transaction commits, queues the delivery by the other channels in the background (``core.background``): a rolled-back
action sends nothing, and a slow or refusing mail server never fails the request. The row's ``deliveries`` records
which channels delivered it, and when.

A channel is any object with a ``name``, a ``label`` and ``deliver(notification, user) -> bool`` (True when it went
out), registered once at start-up. Adding SMS or Zalo is a class in the app that owns the gateway, registered from its
``AppConfig.ready``::

    class SmsChannel:
        name = "sms"
        label = gettext_lazy("Text message (SMS)")
        default_categories = frozenset({NotificationCategory.EMERGENCY})

        def deliver(self, notification, user):
            number = getattr(getattr(user, "staff", None), "phone", "")
            if not number:
                return False
            return sms_gateway.send(number, notification.title)  # the operator's API; True when accepted

    notifications.register_channel(SmsChannel())

The preferences page then shows a column for it, and ``default_categories`` says where it is on until the person
chooses (none, when the attribute is missing).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from telework.core import clock
from telework.core.background import run_in_background
from telework.core.models import Notification, NotificationCategory, NotificationPreferences

__all__ = [
    "EMAIL",
    "IN_APP",
    "Channel",
    "EmailChannel",
    "InAppChannel",
    "NotificationCategory",
    "channels",
    "deliver",
    "deliver_all",
    "deliveries_muted",
    "notify_user",
    "preference_table",
    "preferences_of",
    "preferences_save",
    "register_channel",
]

logger = logging.getLogger(__name__)

IN_APP = "in_app"
EMAIL = "email"
DELIVER_TASK = "core.deliver_notifications"

# Where each channel is on until the person chooses: e-mail for what asks them to act or tells them what was decided,
# and for alerts; rosters, comments and the rest stay in the app.
EMAIL_BY_DEFAULT = frozenset(
    {
        NotificationCategory.APPROVALS,
        NotificationCategory.WORK_ALERTS,
        NotificationCategory.ATTENDANCE,
        NotificationCategory.EMERGENCY,
        NotificationCategory.ACCOUNT,
        NotificationCategory.GENERAL,
    }
)
# Messages nobody may switch off: an account's activation, a password reset, a new login.
ALWAYS_SENT = frozenset({NotificationCategory.ACCOUNT})


@runtime_checkable
class Channel(Protocol):
    """A way a notification reaches a person besides the app itself."""

    name: str
    label: Any

    def deliver(self, notification: Notification, user: AbstractUser) -> bool:
        """Send ``notification`` to ``user``; True when it went out (False: no address, refused)."""
        ...


class InAppChannel:
    """The notification list in the app: the row itself, written by ``notify_user``; always on."""

    name = IN_APP
    label = gettext_lazy("In the app")
    default_categories = frozenset(NotificationCategory)

    def deliver(self, notification: Notification, user: AbstractUser) -> bool:
        return True


class EmailChannel:
    """An e-mail through Django's configured backend (``TELEWORK_EMAIL_BACKEND``), in the recipient's language, to the
    account's address or else the one HR recorded on the staff record."""

    name = EMAIL
    label = gettext_lazy("E-mail")
    default_categories = EMAIL_BY_DEFAULT

    def deliver(self, notification: Notification, user: AbstractUser) -> bool:
        address = email_address(user)
        if not address or not email_is_configured():
            return False
        with translation.override(preferences_of(user).language or settings.LANGUAGE_CODE):
            body = render_to_string(
                "core/email/notification.txt",
                {
                    "notification": notification,
                    "link": absolute_url(notification.url),
                    "preferences_link": absolute_url(_preferences_path()),
                },
            )
        try:
            return send_mail(notification.title, body, None, [address], fail_silently=False) == 1
        except Exception:
            # A mail server down or refusing: the message stays in the app; the next notification tries again.
            logger.exception("E-mail for notification %s could not be sent", notification.pk)
            return False


_CHANNELS: dict[str, Channel] = {}


def register_channel(channel: Channel) -> None:
    """Make ``channel`` available to every notification and to the preferences page (call once, at start-up)."""
    if not isinstance(channel, Channel):
        raise TypeError(f"{channel!r} is not a notification channel (name, label, deliver)")
    _CHANNELS[channel.name] = channel


def unregister_channel(name: str) -> None:
    """Remove a channel (tests; an operator's gateway switched off)."""
    if name in (IN_APP, EMAIL):
        raise ValueError(f"The built-in channel {name!r} cannot be removed")
    _CHANNELS.pop(name, None)


def channels() -> list[Channel]:
    """The registered channels, in the app first, in registration order."""
    return list(_CHANNELS.values())


register_channel(InAppChannel())
register_channel(EmailChannel())


# --- preferences ---------------------------------------------------------------------------------------------------


def is_on_by_default(channel: Channel, category: str) -> bool:
    return category in getattr(channel, "default_categories", frozenset())


def chosen(choices: Mapping[str, Mapping[str, bool]], channel: Channel, category: str) -> bool:
    """Whether ``channel`` brings ``category`` to the person whose stored ``choices`` these are: the app always, an
    always-sent category by every channel that carries it by default, otherwise the choice or the default."""
    if channel.name == IN_APP:
        return True
    default = is_on_by_default(channel, category)
    if category in ALWAYS_SENT and default:
        return True
    return bool(choices.get(category, {}).get(channel.name, default))


def preferences_of(user: AbstractUser) -> NotificationPreferences:
    """The person's stored choices (an unsaved row holding the defaults when they never chose)."""
    found = NotificationPreferences.objects.filter(user_id=user.pk).first()
    return found or NotificationPreferences(user_id=user.pk)


@dataclass(frozen=True)
class PreferenceCell:
    channel: str
    category: str
    is_on: bool
    is_locked: bool


@dataclass(frozen=True)
class PreferenceRow:
    category: str
    label: str
    cells: list[PreferenceCell]


def preference_table(user: AbstractUser) -> list[PreferenceRow]:
    """The preferences page's table: one row per category, one cell per channel, with what is on and what the person
    may not change (the app, always-sent categories)."""
    choices = preferences_of(user).channels
    rows = []
    for category in NotificationCategory:
        cells = [
            PreferenceCell(
                channel=channel.name,
                category=category.value,
                is_on=chosen(choices, channel, category.value),
                is_locked=channel.name == IN_APP or (category in ALWAYS_SENT and is_on_by_default(channel, category.value)),
            )
            for channel in channels()
        ]
        rows.append(PreferenceRow(category=category.value, label=str(category.label), cells=cells))
    return rows


def preferences_save(*, user: AbstractUser, switched_on: Iterable[tuple[str, str]], language: str) -> NotificationPreferences:
    """Store the person's choices: ``switched_on`` holds the (category, channel) pairs they ticked; every other pair of
    a registered channel is off, except the locked ones (``preference_table``). Only differences from the defaults are
    kept, so a default changed later reaches everyone who never chose otherwise."""
    ticked = set(switched_on)
    choices: dict[str, dict[str, bool]] = {}
    for category in NotificationCategory:
        for channel in channels():
            if channel.name == IN_APP or (category in ALWAYS_SENT and is_on_by_default(channel, category.value)):
                continue
            is_on = (category.value, channel.name) in ticked
            if is_on != is_on_by_default(channel, category.value):
                choices.setdefault(category.value, {})[channel.name] = is_on
    if language and language not in {code for code, _label in settings.LANGUAGES}:
        raise ValueError(f"Unknown language {language!r}")
    preferences, _created = NotificationPreferences.objects.update_or_create(user_id=user.pk, defaults={"channels": choices, "language": language})
    return preferences


# --- sending -------------------------------------------------------------------------------------------------------


def notify_user(
    user: AbstractUser,
    *,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    category: str = NotificationCategory.GENERAL,
) -> Notification:
    """Tell ``user``: the in-app row now, once per ``key`` (tasks may be retried: the second run changes nothing), and
    the other channels the person chose for ``category`` in the background after the transaction commits."""
    notification, created = Notification.objects.get_or_create(
        user_id=user.pk, key=key[:200], defaults={"title": title[:200], "body": body, "url": url, "category": NotificationCategory(category).value}
    )
    if created:
        _queue_delivery(notification.pk)
    return notification


class _Batch:
    """The notifications one transaction created, delivered by one background task when it commits (a roster
    published to a whole unit, a city-wide missed check-in run: one task, not one per person)."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.is_sent = False

    def send(self) -> None:
        self.is_sent = True
        if self.ids and not _muted.active:
            run_in_background(DELIVER_TASK, list(self.ids))


class _Local(threading.local):
    batch: _Batch | None = None
    active: bool = False


_pending = _Local()
_muted = _Local()


class _Deferred(threading.local):
    ids: list[int] | None = None


_deferred = _Deferred()


def _queue_delivery(notification_id: int) -> None:
    if _muted.active:
        return
    deferred = _deferred.ids
    if deferred is not None:
        deferred.append(notification_id)
        return
    connection = transaction.get_connection()
    batch = _pending.batch
    # A batch whose transaction rolled back lost its callback (Django drops it with the savepoint): start another.
    is_waiting = batch is not None and not batch.is_sent and any(callback == batch.send for _sids, callback, _robust in connection.run_on_commit)
    if batch is None or not is_waiting:
        batch = _pending.batch = _Batch()
        batch.ids.append(notification_id)
        transaction.on_commit(batch.send)  # outside a transaction: at once
        return
    batch.ids.append(notification_id)


@contextmanager
def deliveries_muted() -> Iterator[None]:
    """Write notifications in the app only, sending nothing by the other channels: for history a seed or an import
    writes (the demo city's past weeks), not for news."""
    previous, _muted.active = _muted.active, True
    try:
        yield
    finally:
        _muted.active = previous


@contextmanager
def deliveries_deferred() -> Iterator[None]:
    """Write notifications in the app at once but send them by the other channels in one background task when the
    block ends: for long background work (a city-wide switch's follow-up) that notifies as it goes, so that delivery
    neither runs beside the work's own writes nor starts one task per person. Nested blocks join the outer one."""
    if _deferred.ids is not None:
        yield
        return
    _deferred.ids = []
    try:
        yield
    finally:
        ids, _deferred.ids = _deferred.ids, None
        if ids and not _muted.active:
            transaction.on_commit(partial(run_in_background, DELIVER_TASK, ids))


def deliver_all(notification_ids: Iterable[int]) -> int:
    """``deliver`` each notification; returns how many deliveries went out this time."""
    return sum(len(deliver(notification_id)) for notification_id in notification_ids)


def deliver(notification_id: int) -> list[str]:
    """Send the notification by every channel its recipient chose for its category and that has not delivered it yet;
    record each delivery on the row. Returns the channels that delivered it this time. Idempotent: the row is locked
    while it is sent, so a message handled twice by a broker reaches nobody twice."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().select_related("user").filter(pk=notification_id).first()
        if notification is None or not notification.user.is_active:
            return []
        choices = preferences_of(notification.user).channels
        sent: list[str] = []
        for channel in channels():
            if channel.name == IN_APP or channel.name in notification.deliveries:
                continue
            if not chosen(choices, channel, notification.category):
                continue
            if channel.deliver(notification, notification.user):
                notification.deliveries[channel.name] = clock.now().isoformat()
                sent.append(channel.name)
        if sent:
            notification.save(update_fields=["deliveries"])
    return sent


# --- helpers -------------------------------------------------------------------------------------------------------


def email_address(user: AbstractUser) -> str:
    """The account's address, or else the one HR recorded on the person's staff record."""
    if user.email:
        return str(user.email)
    staff = getattr(user, "staff", None)
    return str(getattr(staff, "email", "") or "")


def email_is_configured() -> bool:
    """False when e-mail is switched off (``TELEWORK_EMAIL_BACKEND=off``): notifications stay in the app."""
    return str(settings.EMAIL_BACKEND) != "django.core.mail.backends.dummy.EmailBackend"


def absolute_url(path: str) -> str:
    """``path`` on the site people reach (``TELEWORK_SITE_URL``), for links in e-mails."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


def _preferences_path() -> str:
    try:
        return reverse("portal:preferences")
    except NoReverseMatch:
        return ""
