"""Who reads which units' outcome panel: a unit head their subtree, agency heads and HR their agency, Home Affairs,
city leadership and system administrators the whole city (the organisation's scope, ``organization.scope``). Staff
without such a role read the indicator dictionary only."""

from __future__ import annotations

from django.db.models import QuerySet

from telework.accounts.types import Viewer
from telework.organization import scope
from telework.organization.models import Unit


def panel_units(viewer: Viewer) -> QuerySet[Unit]:
    """The units whose panel ``viewer`` reads."""
    return scope.visible_units(viewer)


def reads_whole_city(viewer: Viewer) -> bool:
    return viewer.is_authenticated and (viewer.role in scope.CITY_WIDE_ROLES or viewer.is_superuser)


def can_read_unit(viewer: Viewer, unit: Unit) -> bool:
    return panel_units(viewer).filter(pk=unit.pk).exists()
