"""The emergency switch opens a same-day staffing round by itself (issue 12, point 4). ``policy`` sits below this app
and cannot call it, so this app registers a follow-up of the switch (``policy.effects``): it runs in the switch's
background job, after the people concerned are told, one writer at a time."""

from __future__ import annotations

import logging

from telework.core.exceptions import DomainError
from telework.policy.effects import ProgressCallback
from telework.policy.models import SwitchChange, SwitchKind

logger = logging.getLogger(__name__)


def open_round_on_emergency(kind: str, is_active: bool, progress: ProgressCallback) -> None:
    """Turning the emergency switch on opens a round for every special unit; any other change does nothing. A refusal
    never fails the switch's follow-up: Home Affairs can still open the round by hand."""
    if kind != SwitchKind.EMERGENCY or not is_active:
        return
    from telework.staffing.services import round_open_for_emergency

    change = SwitchChange.objects.filter(kind=SwitchKind.EMERGENCY, is_active=True).order_by("-started_at", "-id").first()
    if change is None:
        return
    try:
        round_open_for_emergency(change_id=change.pk)
    except DomainError:
        logger.exception("the emergency switch could not open a staffing round")
