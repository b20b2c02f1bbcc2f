"""Background work of the ground floor: delivering notifications by the channels people chose."""

from __future__ import annotations

from celery import shared_task

from telework.core.notifications import DELIVER_TASK, deliver_all


@shared_task(name=DELIVER_TASK)
def deliver_notifications_task(notification_ids: list[int]) -> int:
    """Send the notifications one transaction created by their recipients' channels (``core.notifications.deliver``);
    idempotent. Returns how many deliveries went out."""
    return deliver_all(notification_ids)
