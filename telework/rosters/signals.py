"""Switching emergency mode or the suspension re-solves the rosters it affects (issue 3, item 6)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from telework.policy.models import PolicySwitch


@receiver(post_save, sender=PolicySwitch, dispatch_uid="rosters.resolve_after_switch")
def resolve_after_switch(sender: type[PolicySwitch], instance: PolicySwitch, created: bool, update_fields: Any = None, **kwargs: Any) -> None:
    """``policy.services.switch_set`` saves the switch with ``update_fields`` naming ``is_active``; reading the switches
    (which creates them off) does not. The re-solve runs after the switch's transaction commits, so it reads the new
    state and the new exemptions."""
    if created or not update_fields or "is_active" not in update_fields:
        return
    from telework.rosters.tasks import resolve_after_switch_task

    kind, is_active, actor_id = instance.kind, instance.is_active, instance.changed_by_id
    transaction.on_commit(lambda: resolve_after_switch_task.delay(kind, is_active, actor_id))
