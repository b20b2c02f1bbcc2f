"""Background work for the organisation. ``organization.apply_scheduled_ends`` runs every morning (``CELERY_BEAT_SCHEDULE``;
the in-process scheduler runs the same entry without a broker): it closes the records and accounts of people whose
leaving day has come. Idempotent."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from telework.organization.staff_records import apply_scheduled_ends as apply_ends


@shared_task(name="organization.apply_scheduled_ends")
def apply_scheduled_ends() -> dict[str, Any]:
    return {"closed": apply_ends()}
