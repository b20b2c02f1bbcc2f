"""In-app notifications, copied by email when the user has an address."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.mail import send_mail

from telework.core.models import Notification


def notify_user(user: AbstractUser, *, key: str, title: str, body: str = "", url: str = "") -> Notification:
    """Create the notification once per ``key`` (tasks may be retried: the second run changes nothing)."""
    notification, created = Notification.objects.get_or_create(user_id=user.pk, key=key[:200], defaults={"title": title, "body": body, "url": url})
    if created and user.email:
        send_mail(title, f"{body}\n\n{url}".strip(), None, [user.email], fail_silently=True)
    return notification
