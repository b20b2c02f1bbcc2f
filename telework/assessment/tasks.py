"""Background work for the pilot assessment: the stored estimates' runs. Services queue by name
(``core.background.run_in_background``), so this module imports the service it calls and no service imports it."""

from __future__ import annotations

from celery import shared_task

from telework.assessment import estimates


@shared_task(name="assessment.run_estimates")
def run_estimates(estimate_ids: list[int]) -> list[str]:
    """Compute the queued estimates ``estimate_ids`` one after the other; returns each one's status (idempotent)."""
    return [estimate.status for estimate in estimates.estimates_run([int(pk) for pk in estimate_ids][:100])]
