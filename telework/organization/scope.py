"""Who may see and act on which organisation rows. Every selector and permission check builds on this.

Scope by role: staff see themselves; a unit head sees the subtree of the unit they belong to; agency heads and
HR see their agency; Home Affairs, city leadership and system administrators see the whole city.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete, post_save

from telework.accounts.models import Role, User
from telework.accounts.types import Viewer
from telework.core import clock
from telework.organization.models import Agency, Delegation, Staff, Unit

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
    """A filter on Staff for the rows ``user`` may see; a deputy also sees, while a delegation is in force, what the
    head they act for sees (``delegated_scope_filter``)."""
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
        return Q(unit__path__startswith=me.unit.path) | Q(pk=me.pk) | delegated_scope_filter(user)
    if may_be_deputy(user):
        return Q(pk=me.pk) | delegated_scope_filter(user)
    return Q(pk=me.pk)


def visible_staff(user: Viewer) -> QuerySet[Staff]:
    return Staff.objects.filter(staff_scope_filter(user))


def visible_units(user: Viewer) -> QuerySet[Unit]:
    """The units ``user`` may see: as ``staff_scope_filter``, a deputy also sees, while a delegation is in force, the
    units the head they act for sees (``delegated_units_filter``)."""
    if not user.is_authenticated:
        return Unit.objects.none()
    if user.role in CITY_WIDE_ROLES or user.is_superuser:
        return Unit.objects.all()
    me = own_staff(user)
    if me is None:
        return Unit.objects.none()
    if user.role in AGENCY_ROLES:
        return Unit.objects.filter(agency_id=me.unit.agency_id)
    if user.role == Role.UNIT_HEAD:
        return Unit.objects.filter(Q(path__startswith=me.unit.path) | delegated_units_filter(user))
    if may_be_deputy(user):
        return Unit.objects.filter(delegated_units_filter(user))
    return Unit.objects.none()


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
    """Whether ``user`` may approve, reject or revoke ``staff``'s registrations (and manage their work): their direct
    superior, or a unit head or agency head whose scope holds them, or a deputy acting for one of those under a
    delegation in force today (``acting_head_for``). Nobody decides their own."""
    return decides_by_own_right(user, staff) or acting_head_for(user, staff) is not None


def decides_by_own_right(user: Viewer, staff: Staff) -> bool:
    """``can_decide_for`` without delegations: the direct superior, or a unit or agency head whose scope holds
    ``staff``; never oneself."""
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


# ----------------------------------------------------------------------------------------------- delegations
#
# A head away names a deputy for a date range (``organization.Delegation``, written by ``organization.delegations``).
# While it is in force the deputy sees what the head sees and decides what the head decides, in the head's name;
# every check above goes through here, so registrations, work, and every notification through ``heads`` follow.


def may_be_deputy(user: Viewer) -> bool:
    """Whether ``user`` could be named a deputy at all (``delegations.delegation_create`` allows only these): a head-role
    account, or a leader or deputy of a unit. Everyone else is never asked about delegations (no query)."""
    me = own_staff(user)
    return me is not None and user.is_authenticated and bool(user.role in DECIDING_ROLES or me.is_leader or me.is_deputy)


def delegations_in_force(on: dt.date | None = None) -> QuerySet[Delegation]:
    """Delegations in force on ``on`` (today): not cancelled, the day within their range, both accounts active."""
    day = on or clock.today()
    return Delegation.objects.filter(cancelled_at__isnull=True, starts_on__lte=day, ends_on__gte=day, head__is_active=True, deputy__is_active=True)


def delegated_scope_filter(user: Viewer) -> Q:
    """A filter on Staff for what the heads ``user`` acts for today see: an agency head's agency, a unit head's subtree
    and themselves. Mirrors ``staff_scope_filter`` for the two head roles a delegation may come from. Built from
    ``acting_for`` (one query per user object and day, none for people who cannot be deputies), so the caller's SQL
    carries plain conditions, not correlated subqueries the planner would run for every row."""
    condition = Q(pk__in=[])
    for head in acting_for(user):
        head_staff = getattr(head, "staff", None)
        if head_staff is None:
            continue
        if head.role == Role.AGENCY_HEAD:
            condition |= Q(unit__agency_id=head_staff.unit.agency_id)
        elif head.role == Role.UNIT_HEAD:
            condition |= Q(unit__path__startswith=head_staff.unit.path) | Q(pk=head_staff.pk)
    return condition


def delegated_units_filter(user: Viewer) -> Q:
    """A filter on Unit for the units the heads ``user`` acts for today see and manage (an agency head's agency, a unit
    head's subtree); built like ``delegated_scope_filter``."""
    condition = Q(pk__in=[])
    for head in acting_for(user):
        head_staff = getattr(head, "staff", None)
        if head_staff is None:
            continue
        if head.role == Role.AGENCY_HEAD:
            condition |= Q(agency_id=head_staff.unit.agency_id)
        elif head.role == Role.UNIT_HEAD:
            condition |= Q(path__startswith=head_staff.unit.path)
    return condition


# Bumped whenever a delegation is saved or deleted: ``acting_for``'s answer cached on a user object is then stale.
# (Django caches permissions on the user object the same way, ``ModelBackend._perm_cache``; a request builds its own
# user object, so the cache never outlives a request in production; the counter keeps long-lived objects honest.)
_delegations_version = 0


def _delegations_changed(**_kwargs: object) -> None:
    global _delegations_version
    _delegations_version += 1


post_save.connect(_delegations_changed, sender=Delegation, dispatch_uid="scope.delegations_changed.save")
post_delete.connect(_delegations_changed, sender=Delegation, dispatch_uid="scope.delegations_changed.delete")


def acting_for(user: Viewer) -> list[User]:
    """The heads whose delegation in force today names ``user`` their deputy, each with ``staff__unit`` loaded. One
    query the first time per user object and day (an inbox asks once per row); none for people who cannot be
    deputies (``may_be_deputy``)."""
    if not user.is_authenticated or not may_be_deputy(user):
        return []
    key = (clock.today(), _delegations_version)
    cached = getattr(user, "_telework_acting_for", None)
    if cached is not None and cached[0] == key:
        return list(cached[1])
    heads = list(
        User.objects.filter(pk__in=delegations_in_force().filter(deputy_id=user.pk).values("head_id"), is_active=True)
        .select_related("staff__unit")
        .order_by("pk")
    )
    user._telework_acting_for = (key, heads)  # type: ignore[attr-defined]
    return list(heads)


def acting_head_for(user: Viewer, staff: Staff) -> User | None:
    """The head in whose name ``user`` decides for ``staff`` today, when ``user`` may not by their own right but a
    delegation in force names them the deputy of a head who may; else None. The deputy never decides their own
    requests, nor the head's (the head's own superior does)."""
    me = own_staff(user)
    if me is None or me.pk == staff.pk or decides_by_own_right(user, staff):
        return None
    for head in acting_for(user):
        if decides_by_own_right(head, staff):
            return head
    return None
