"""Audit rows about desk cards (issued, retired), read by whoever sees the desk's unit."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.types import Viewer
from telework.core.audit_subjects import AuditSubject, register
from telework.dossiers.models import DeskCard
from telework.organization import scope


def visible_cards(viewer: Viewer) -> QuerySet[DeskCard]:
    return DeskCard.objects.filter(service_point__unit__in=scope.visible_units(viewer))


register(
    AuditSubject(
        object_type="dossiers.deskcard",
        visible=visible_cards,
        actions={"desk_card.issue": _("Rating card issued for a one-stop desk")},
    )
)
