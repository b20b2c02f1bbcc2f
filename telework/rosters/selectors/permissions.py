"""Who may act on which unit's rosters, and which units a viewer may read.

Scope follows ``telework.organization.scope``: a unit head manages the rosters of their unit's subtree, an agency head
those of their agency, a system administrator all; Home Affairs generates city-wide and reads everything, city
leadership and agency HR read; a staff member reads the *published* rosters of their own unit."""

from __future__ import annotations

from django.db.models import QuerySet

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.core.exceptions import NotFound
from telework.organization import scope
from telework.organization.models import Staff, Unit

# --- permissions --------------------------------------------------------------------------------------------------


def _is_admin(user: Viewer) -> bool:
    return bool(user.is_authenticated and (user.role == Role.SYSTEM_ADMIN or user.is_superuser))


def can_manage_unit(user: Viewer, unit: Unit) -> bool:
    """Generate, edit and publish rosters, approve swaps, record leave and unit events: the unit head whose unit's
    subtree holds ``unit``, the agency head of its agency, and system administrators."""
    if not user.is_authenticated:
        return False
    if _is_admin(user):
        return True
    me = scope.own_staff(user)
    if me is None:
        return False
    if user.role == Role.UNIT_HEAD:
        return unit.path.startswith(me.unit.path)
    if user.role == Role.AGENCY_HEAD:
        return unit.agency_id == me.unit.agency_id
    return False


def managed_units(user: Viewer) -> QuerySet[Unit]:
    """Units whose rosters ``user`` manages."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if _is_admin(user):
        return Unit.objects.all()
    me = scope.own_staff(user)
    if me is None:
        return Unit.objects.none()
    if user.role == Role.UNIT_HEAD:
        return Unit.objects.filter(path__startswith=me.unit.path)
    if user.role == Role.AGENCY_HEAD:
        return Unit.objects.filter(agency_id=me.unit.agency_id)
    return Unit.objects.none()


def can_generate_city(user: Viewer) -> bool:
    """Generate every unit's roster for a week at once: Home Affairs (who runs the pilot) and administrators."""
    return bool(user.is_authenticated and (user.role == Role.HOME_AFFAIRS or _is_admin(user)))


def can_record_leave(user: Viewer, staff: Staff) -> bool:
    """Record or cancel approved leave: whoever manages the person's unit, and the agency's HR office."""
    if can_manage_unit(user, staff.unit):
        return True
    if user.is_authenticated and user.role == Role.AGENCY_HR:
        me = scope.own_staff(user)
        return me is not None and me.unit.agency_id == staff.unit.agency_id
    return False


def roster_units(*, viewer: Viewer) -> QuerySet[Unit]:
    """Units whose rosters ``viewer`` may read: the scope's units, and a staff member's own unit."""
    units = scope.visible_units(viewer)
    me = scope.own_staff(viewer)
    if me is not None:
        units = units | Unit.objects.filter(pk=me.unit_id)
    return units.distinct().select_related("agency")


def sees_drafts(viewer: Viewer, unit: Unit) -> bool:
    """Drafts are the head's working copy: managers, Home Affairs and administrators see them; others wait for the
    published version."""
    return can_manage_unit(viewer, unit) or can_generate_city(viewer)


def require_unit(viewer: Viewer, unit: Unit) -> None:
    if not roster_units(viewer=viewer).filter(pk=unit.pk).exists():
        raise NotFound()
