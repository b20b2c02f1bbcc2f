"""Who may see and act on which evaluation rows, from the org tree (``telework.organization.scope``).

Staff see their own evaluation; a unit head sees and reviews their unit subtree (never their own); the agency head
reviews the agency and decides appeals; agency HR and Home Affairs run periods (HR for their agency); city
leadership reads everything and acts on nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.evaluations.models import Evaluation, EvaluationPeriod
from telework.organization import scope
from telework.organization.models import Agency

RUNNING_ROLES = frozenset({Role.AGENCY_HEAD, Role.AGENCY_HR})


def _is_city_runner(user: Viewer) -> bool:
    return user.is_authenticated and (user.role in {Role.HOME_AFFAIRS, Role.SYSTEM_ADMIN} or user.is_superuser)


def visible_evaluations(user: Viewer) -> QuerySet[Evaluation]:
    """Evaluations of the staff ``user`` may see (their own for staff)."""
    return Evaluation.objects.filter(staff__in=scope.visible_staff(user))


def visible_periods(user: Viewer) -> QuerySet[EvaluationPeriod]:
    """Periods of the agencies ``user`` may see, and city-wide periods."""
    if not user.is_authenticated:
        return EvaluationPeriod.objects.none()
    return EvaluationPeriod.objects.filter(Q(agency__in=scope.visible_agencies(user)) | Q(agency__isnull=True))


def can_run(user: Viewer, agency: Agency | None) -> bool:
    """Create, compute, lock and publish a period: Home Affairs for any scope; the agency head or HR for their
    agency's periods."""
    if _is_city_runner(user):
        return True
    if agency is None or getattr(user, "role", None) not in RUNNING_ROLES:
        return False
    me = scope.own_staff(user)
    return me is not None and me.unit.agency_id == agency.pk


def can_review(user: Viewer, evaluation: Evaluation) -> bool:
    """Score the general criteria and confirm or change the level: a unit head whose subtree holds the person, or
    the agency head; for an agency head, Home Affairs. Nobody decides their own."""
    me = scope.own_staff(user)
    if me is not None and me.pk == evaluation.staff_id:
        return False
    if _is_city_runner(user):
        # The head of an agency is evaluated by the superior body (Decree 90/2020/NĐ-CP; domain rules A11), for
        # which Home Affairs acts here; nobody else's level is Home Affairs' to decide.
        person_user = getattr(evaluation.staff, "user", None)
        return person_user is not None and person_user.role == Role.AGENCY_HEAD
    if me is None or not user.is_authenticated:
        return False
    if user.role == Role.UNIT_HEAD:
        return evaluation.unit.path.startswith(me.unit.path)
    if user.role == Role.AGENCY_HEAD:
        return evaluation.unit.agency_id == me.unit.agency_id
    return False


def can_review_any(user: Viewer) -> bool:
    return getattr(user, "role", None) in {Role.UNIT_HEAD, Role.AGENCY_HEAD} and scope.own_staff(user) is not None


def can_decide_appeal(user: Viewer, evaluation: Evaluation) -> bool:
    """Appeals go to the agency head (the competent person, Decree 90/2020/NĐ-CP Art. 18 step 4) or Home Affairs;
    never to the person who appealed."""
    me = scope.own_staff(user)
    if me is not None and me.pk == evaluation.staff_id:
        return False
    if _is_city_runner(user):
        return True
    return getattr(user, "role", None) == Role.AGENCY_HEAD and me is not None and evaluation.unit.agency_id == me.unit.agency_id


def can_decide_appeals(user: Viewer) -> bool:
    return _is_city_runner(user) or (getattr(user, "role", None) == Role.AGENCY_HEAD and scope.own_staff(user) is not None)
