"""Background work for staffing rounds: the reminder before each open round's deadline. Idempotent."""

from __future__ import annotations

from celery import shared_task

from telework.staffing.services import reminders_send


@shared_task(name="staffing.send_reminders")
def send_reminders() -> int:
    """The periodic job (working hours, every half hour): remind the heads of units that have not yet answered a round
    due within two hours. Returns the number of (unit, head) pairs reminded; a retry
    creates no second notification (one key per pair)."""
    return reminders_send()
