"""Background work for the city-wide switches. Tasks take ids and call a service; they are idempotent."""

from __future__ import annotations

from celery import shared_task

from telework.policy.models import SwitchChange
from telework.policy.services import switch_follow_up


@shared_task(name="policy.switch_follow_up")
def switch_follow_up_task(change_id: int) -> None:
    """Tell the people a switch change touches and re-solve the affected rosters (``services.switch_follow_up``)."""
    change = SwitchChange.objects.filter(pk=change_id).first()
    if change is not None:
        switch_follow_up(change=change)
