"""Background work for the surveys: telling staff that a pulse survey is open (idempotent)."""

from __future__ import annotations

from celery import shared_task

from telework.surveys import services


@shared_task(name="surveys.notify_wave_opened")
def notify_wave_opened(wave_id: int) -> int:
    return services.notify_wave_opened(wave_id)
