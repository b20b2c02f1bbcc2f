"""Writing to the audit trail. Call ``audit_record`` inside the same transaction as the change it records."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models

from telework.core.exceptions import _jsonable
from telework.core.models import AuditEvent


def audit_record(
    *,
    actor: AbstractUser | AnonymousUser | None,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    agency_id: int | None = None,
) -> AuditEvent:
    """Append one audit row for ``action`` on ``target`` by ``actor`` (a user or None for the system)."""
    actor_user = actor if actor is not None and actor.is_authenticated else None
    label = ""
    if actor_user is not None:
        label = actor_user.get_full_name() or actor_user.get_username()
    return AuditEvent.objects.create(
        actor_id=actor_user.pk if actor_user is not None else None,
        actor_label=label or "system",
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_label=str(target)[:300],
        agency_id=agency_id,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
    )
