"""Who may see and act on which work items and progress reports, built on ``telework.organization.scope``.

* Seeing follows the organisation scope: staff see their own work, a unit head their unit's subtree, agency heads
  and HR their agency, Home Affairs, city leadership and administrators the city. An item outside the scope is a 404.
* Managing (assigning, accepting a proposal, accepting or returning submitted work, cancelling, reviewing a report)
  belongs to whoever may decide for the person: their direct superior, or a unit or agency head whose scope holds
  them (``scope.can_decide_for``), and a deputy acting for such a head while the delegation is in force. Nobody
  manages their own work.
* Doing the work (starting, progress, submitting) belongs to the assignee alone.
City leadership, HR and Home Affairs read; they never act (they are nobody's decider).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.assignments.models import ProgressReport, WorkItem
from telework.organization import scope
from telework.organization.models import Staff


def visible_items(user: Viewer) -> QuerySet[WorkItem]:
    """Work items of the staff ``user`` may see."""
    return WorkItem.objects.filter(staff__in=scope.visible_staff(user))


def visible_reports(user: Viewer) -> QuerySet[ProgressReport]:
    """Progress reports of the staff ``user`` may see."""
    return ProgressReport.objects.filter(staff__in=scope.visible_staff(user))


def is_assignee(user: Viewer, item: WorkItem) -> bool:
    me = scope.own_staff(user)
    return me is not None and me.pk == item.staff_id


def can_manage(user: Viewer, item: WorkItem) -> bool:
    """Assign, accept or decline a proposal, accept or return submitted work, cancel: the person's decider."""
    return scope.can_decide_for(user, item.staff)


def can_take_part(user: Viewer, item: WorkItem) -> bool:
    """Comment, attach files, issue an apology slip: the assignee and whoever manages the item."""
    return is_assignee(user, item) or can_manage(user, item)


def decidable_staff(user: Viewer) -> QuerySet[Staff]:
    """Active staff ``user`` may assign work to: the same people ``scope.can_decide_for`` answers yes for, as one
    query (direct reports; the unit subtree for a unit head; the agency for an agency head; for a deputy, while a
    delegation is in force, whom the head they act for may assign to, never the head), never oneself."""
    me = scope.own_staff(user)
    if me is None or not user.is_authenticated:
        return Staff.objects.none()
    condition = Q(direct_superior_id=me.pk)
    if user.role == Role.UNIT_HEAD:
        condition |= Q(unit__path__startswith=me.unit.path)
    elif user.role == Role.AGENCY_HEAD:
        condition |= Q(unit__agency_id=me.unit.agency_id)
    if scope.may_be_deputy(user):
        # Under a delegation in force, whom the head assigns to (their scope and direct reports), never the head; in the
        # same SQL (no query of its own), as ``scope.delegated_scope_filter``.
        in_force = scope.delegations_in_force().filter(deputy_id=user.pk)
        acted_for = scope.delegated_scope_filter(user) | Q(Exists(in_force.filter(head__staff=OuterRef("direct_superior_id"))))
        condition |= acted_for & ~Q(Exists(in_force.filter(head__staff=OuterRef("pk"))))
    return Staff.objects.filter(condition, is_active=True).exclude(pk=me.pk)


def is_head(user: Viewer) -> bool:
    """Whether ``user`` assigns and accepts work for anyone (shows the board, the assign form and the reviews)."""
    return decidable_staff(user).exists()


def can_read_boards(user: Viewer) -> bool:
    """The head's board: heads act on it; agency HR, Home Affairs and city leadership read it."""
    if not user.is_authenticated:
        return False
    if user.role in scope.CITY_WIDE_ROLES or user.is_superuser or user.role in scope.AGENCY_ROLES:
        return True
    return is_head(user)
