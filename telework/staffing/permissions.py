"""Who may see and act on report rounds and rows.

Home Affairs (and system administrators) open, close and decide rounds and see every row; city leadership reads
them. A unit head fills the rows of units in their subtree; an agency head signs off their agency's rows and reads
them. Everybody else sees nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.organization import scope
from telework.staffing.models import ReportRound, ReportRow

READERS_CITY_WIDE = frozenset({Role.HOME_AFFAIRS, Role.SYSTEM_ADMIN, Role.CITY_LEADERSHIP})


def can_run_rounds(viewer: Viewer) -> bool:
    """Home Affairs and system administrators open, close and decide rounds."""
    return scope.is_city_policy_maker(viewer)


def reads_city_wide(viewer: Viewer) -> bool:
    return viewer.is_authenticated and (viewer.role in READERS_CITY_WIDE or viewer.is_superuser)


def visible_rows(viewer: Viewer) -> QuerySet[ReportRow]:
    """The rows ``viewer`` may read: every row city-wide; a unit head's or agency head's own units' rows."""
    if not viewer.is_authenticated:
        return ReportRow.objects.none()
    if reads_city_wide(viewer):
        return ReportRow.objects.all()
    if viewer.role not in {Role.UNIT_HEAD, Role.AGENCY_HEAD}:
        return ReportRow.objects.none()
    return ReportRow.objects.filter(unit__in=scope.visible_units(viewer))


def visible_rounds(viewer: Viewer) -> QuerySet[ReportRound]:
    if not viewer.is_authenticated:
        return ReportRound.objects.none()
    if reads_city_wide(viewer):
        return ReportRound.objects.all()
    return ReportRound.objects.filter(pk__in=visible_rows(viewer).values("report_round_id"))


def can_fill(viewer: Viewer, row: ReportRow) -> bool:
    """The unit's head (a unit-head account whose unit is the row's unit or above it)."""
    if not viewer.is_authenticated or viewer.role != Role.UNIT_HEAD:
        return False
    me = scope.own_staff(viewer)
    return me is not None and row.unit.path.startswith(me.unit.path)


def can_sign_off(viewer: Viewer, row: ReportRow) -> bool:
    """The head of the agency the row's unit belongs to."""
    if not viewer.is_authenticated or viewer.role != Role.AGENCY_HEAD:
        return False
    me = scope.own_staff(viewer)
    return me is not None and me.unit.agency_id == row.unit.agency_id
