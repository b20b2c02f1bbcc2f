"""Background work of the ground floor: delivering notifications by the channels people chose."""

from __future__ import annotations

from celery import shared_task

from telework.core.notifications import DELIVER_TASK, deliver


@shared_task(name=DELIVER_TASK)
def deliver_notification_task(notification_id: int) -> list[str]:
    """Send one notification by its recipient's channels (``core.notifications.deliver``); idempotent."""
    return deliver(notification_id)
