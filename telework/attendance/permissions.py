"""Who may see which attendance rows.

A staff member sees and writes only their own check-ins. The live board and the monthly timesheet of a unit are
read by those whose scope holds the unit (``telework.organization.scope.visible_units``): a unit head for the units of
their subtree, the agency head and agency HR for their agency, Home Affairs, city leadership and administrators
city-wide. A unit outside the viewer's scope answers 404, never 403, so ids do not leak.
"""

from __future__ import annotations

from django.db.models import QuerySet

from telework.accounts.types import Viewer
from telework.organization import scope
from telework.organization.models import Unit


def readable_units(user: Viewer) -> QuerySet[Unit]:
    """Units whose live board and timesheets ``user`` may read (none for a plain staff member)."""
    return scope.visible_units(user).select_related("agency").order_by("agency__code", "path")


def can_read_unit(user: Viewer, unit: Unit) -> bool:
    return readable_units(user).filter(pk=unit.pk).exists()


def reads_units(user: Viewer) -> bool:
    """Whether ``user`` has any unit's board to read (the navigation shows the board only then)."""
    return readable_units(user).exists()
