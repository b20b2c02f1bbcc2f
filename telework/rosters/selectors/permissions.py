"""Who may act on which unit's rosters, and which units a viewer may read.

Scope follows ``telework.organization.scope``: a unit head manages the rosters of their unit's subtree, an agency head
those of their agency, a system administrator all; Home Affairs generates city-wide and reads everything, city
leadership and agency HR read; a staff member reads the *published* rosters of their own unit."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.core.exceptions import NotFound
from telework.organization import heads, scope
from telework.organization.models import Staff, Unit

# --- permissions --------------------------------------------------------------------------------------------------


def _is_admin(user: Viewer) -> bool:
    return bool(user.is_authenticated and (user.role == Role.SYSTEM_ADMIN or user.is_superuser))


def can_manage_unit(user: Viewer, unit: Unit) -> bool:
    """Generate, edit and publish rosters, approve swaps, record leave and unit events: the unit head whose unit's
    subtree holds ``unit``, the agency head of its agency, system administrators, and a deputy acting for one of those
    heads while the delegation is in force (``scope.acting_for``)."""
    if not user.is_authenticated:
        return False
    if _is_admin(user) or _manages_by_own_right(user, unit):
        return True
    return any(_manages_by_own_right(head, unit) for head in scope.acting_for(user))


def _manages_by_own_right(user: Viewer, unit: Unit) -> bool:
    """``can_manage_unit`` for a unit or agency head, without delegations."""
    me = scope.own_staff(user)
    if me is None or not user.is_authenticated:
        return False
    if user.role == Role.UNIT_HEAD:
        return unit.path.startswith(me.unit.path)
    if user.role == Role.AGENCY_HEAD:
        return unit.agency_id == me.unit.agency_id
    return False


def managed_units(user: Viewer) -> QuerySet[Unit]:
    """Units whose rosters ``user`` manages (``can_manage_unit``), as one query."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if _is_admin(user):
        return Unit.objects.all()
    me = scope.own_staff(user)
    if me is None:
        return Unit.objects.none()
    condition = Q(pk__in=[])
    if user.role == Role.UNIT_HEAD:
        condition = Q(path__startswith=me.unit.path)
    elif user.role == Role.AGENCY_HEAD:
        condition = Q(agency_id=me.unit.agency_id)
    if scope.may_be_deputy(user):
        condition |= scope.delegated_units_filter(user)
    return Unit.objects.filter(condition)


def can_generate_city(user: Viewer) -> bool:
    """Generate every unit's roster for a week at once: Home Affairs (who runs the pilot) and administrators."""
    return bool(user.is_authenticated and (user.role == Role.HOME_AFFAIRS or _is_admin(user)))


def can_record_leave(user: Viewer, staff: Staff) -> bool:
    """Record or cancel approved leave: whoever manages the person's unit, and the agency's HR office. A deputy acting
    for a head records what the head may, never for the head themselves nor for themselves (``scope.acting_head_for``)."""
    if not user.is_authenticated:
        return False
    if _is_admin(user) or _manages_by_own_right(user, staff.unit):
        return True
    if user.role == Role.AGENCY_HR:
        me = scope.own_staff(user)
        return me is not None and me.unit.agency_id == staff.unit.agency_id
    return scope.acting_head_for(user, staff) is not None


def can_decide_leave(user: Viewer, staff: Staff) -> bool:
    """Approve or reject ``staff``'s leave request: the heads who answer for the person
    (``telework.organization.heads.heads_of``: their direct superior, else their unit's leaders, else the heads
    above, and the deputies acting for them) and whoever may record their leave (``can_record_leave``). Nobody decides
    their own."""
    if not user.is_authenticated or staff.user_id == user.pk:
        return False
    return can_record_leave(user, staff) or any(head.pk == user.pk for head in heads.heads_of(staff))


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
