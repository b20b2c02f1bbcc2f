"""Who may see and act on which organisation rows. Every selector and permission check builds on this.

Scope by role: staff see themselves; a unit head sees the subtree of the unit they belong to; agency heads and
HR see their agency; Home Affairs, city leadership and system administrators see the whole city.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.organization.models import Agency, Staff, Unit

CITY_WIDE_ROLES = frozenset({Role.HOME_AFFAIRS, Role.CITY_LEADERSHIP, Role.SYSTEM_ADMIN})
AGENCY_ROLES = frozenset({Role.AGENCY_HEAD, Role.AGENCY_HR})
# Roles that decide registrations for staff in their scope (besides each staff member's direct superior).
DECIDING_ROLES = frozenset({Role.UNIT_HEAD, Role.AGENCY_HEAD})


def own_staff(user: Viewer) -> Staff | None:
    if not user.is_authenticated:
        return None
    try:
        return user.staff
    except Staff.DoesNotExist:
        return None


def staff_scope_filter(user: Viewer) -> Q:
    """A filter on Staff for the rows ``user`` may see."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.role in CITY_WIDE_ROLES or user.is_superuser:
        return Q()
    me = own_staff(user)
    if me is None:
        return Q(pk__in=[])
    if user.role in AGENCY_ROLES:
        return Q(unit__agency_id=me.unit.agency_id)
    if user.role == Role.UNIT_HEAD:
        return Q(unit__path__startswith=me.unit.path) | Q(pk=me.pk)
    return Q(pk=me.pk)


def visible_staff(user: Viewer) -> QuerySet[Staff]:
    return Staff.objects.filter(staff_scope_filter(user))


def visible_units(user: Viewer) -> QuerySet[Unit]:
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.role in CITY_WIDE_ROLES or user.is_superuser:
        return Unit.objects.all()
    me = own_staff(user)
    if me is None or user.role == Role.STAFF:
        return Unit.objects.none()
    if user.role in AGENCY_ROLES:
        return Unit.objects.filter(agency_id=me.unit.agency_id)
    return Unit.objects.filter(path__startswith=me.unit.path)


def visible_agencies(user: Viewer) -> QuerySet[Agency]:
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.role in CITY_WIDE_ROLES or user.is_superuser:
        return Agency.objects.all()
    me = own_staff(user)
    if me is None:
        return Agency.objects.none()
    return Agency.objects.filter(pk=me.unit.agency_id)


def can_see_staff(user: Viewer, staff: Staff) -> bool:
    return visible_staff(user).filter(pk=staff.pk).exists()


def can_decide_for(user: Viewer, staff: Staff) -> bool:
    """Whether ``user`` may approve, reject or revoke ``staff``'s registrations: their direct superior, or a unit
    head or agency head whose scope holds them. Nobody decides their own."""
    me = own_staff(user)
    if me is None or not user.is_authenticated or me.pk == staff.pk:
        return False
    if staff.direct_superior_id == me.pk:
        return True
    if user.role == Role.UNIT_HEAD:
        return staff.unit.path.startswith(me.unit.path)
    if user.role == Role.AGENCY_HEAD:
        return staff.unit.agency_id == me.unit.agency_id
    return False


def is_city_policy_maker(user: Viewer) -> bool:
    """Home Affairs (and system administrators) run pilots, policies and switches."""
    return user.is_authenticated and (user.role in {Role.HOME_AFFAIRS, Role.SYSTEM_ADMIN} or user.is_superuser)


def can_manage_organisation(user: Viewer, agency: Agency | None = None) -> bool:
    """Agency HR (for their agency), Home Affairs and system administrators import and edit the organisation."""
    if not user.is_authenticated:
        return False
    if user.role in {Role.HOME_AFFAIRS, Role.SYSTEM_ADMIN} or user.is_superuser:
        return True
    if user.role == Role.AGENCY_HR:
        me = own_staff(user)
        return me is not None and (agency is None or agency.pk == me.unit.agency_id)
    return False


def can_read_audit(user: Viewer) -> bool:
    """Every signed-in user reads the audit trail, each the rows about what they may see (``telework.portal.audit_views``):
    a staff member the history of their own registrations, work, leave and evaluations."""
    return bool(user.is_authenticated)
