"""Background work of the ground floor: delivering notifications by the channels people chose."""

from __future__ import annotations

from celery import shared_task

from telework.core import audit_head
from telework.core.notifications import DELIVER_TASK, deliver_all


@shared_task(name=DELIVER_TASK)
def deliver_notifications_task(notification_ids: list[int]) -> int:
    """Send the notifications one transaction created by their recipients' channels (``core.notifications.deliver``);
    idempotent. Returns how many deliveries went out."""
    return deliver_all(notification_ids)


@shared_task(name="core.export_audit_head")
def export_audit_head_task() -> dict[str, object]:
    """Write the audit chain's head (row count, head hash) to syslog and/or the append-only file, once a day
    (``core.audit_head``); idempotent per day."""
    return audit_head.export_head()
