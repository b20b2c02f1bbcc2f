"""Who may see which attendance rows.

A staff member sees and writes only their own check-ins. The live board and the monthly timesheet of a unit are
read by those whose scope holds the unit (``telework.organization.scope.visible_units``): a unit head for the units of
their subtree, the agency head and agency HR for their agency, Home Affairs, city leadership and administrators
city-wide. A unit outside the viewer's scope answers 404, never 403, so ids do not leak.

A person's check-in is corrected by those who answer for them (``can_correct``): their heads
(``telework.organization.heads``), the unit and agency heads whose scope holds them, and their agency's HR office;
a deputy acting for one of those heads while the delegation is in force, as the head would.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.organization import heads, scope
from telework.organization.models import Staff, Unit


def readable_units(user: Viewer) -> QuerySet[Unit]:
    """Units whose live board and timesheets ``user`` may read (none for a plain staff member)."""
    return scope.visible_units(user).select_related("agency").order_by("agency__code", "path")


def can_read_unit(user: Viewer, unit: Unit) -> bool:
    return readable_units(user).filter(pk=unit.pk).exists()


def reads_units(user: Viewer) -> bool:
    """Whether ``user`` has any unit's board to read (the navigation shows the board only then)."""
    return readable_units(user).exists()


def correctable(user: Viewer, people: Iterable[Staff]) -> set[int]:
    """The ids among ``people`` whose check-ins ``user`` may correct: those they answer for (their direct superior,
    a unit head whose subtree holds them, their agency's head, or the heads ``heads_of`` names) and, for the agency's
    HR office, everyone of the agency. A deputy acting for a head under a delegation in force corrects whom the head
    may (``scope.acting_for``), never the head. Nobody corrects their own check-in. A fixed number of queries (the board asks
    for a whole unit). ``people`` come with their unit."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    me = scope.own_staff(user)
    if me is None:
        return set()
    people = list(people)
    allowed: set[int] = set()
    undecided: list[int] = []
    for person in people:
        if person.pk == me.pk:
            continue
        if user.role == Role.AGENCY_HR:
            if person.unit.agency_id == me.unit.agency_id:
                allowed.add(person.pk)
        elif _answers_for(user, person):
            allowed.add(person.pk)
        else:
            undecided.append(person.pk)
    if undecided and scope.may_be_deputy(user):
        # A deputy acting for a head corrects what the head may, never the head's own check-in (one query, cached).
        acting = scope.acting_for(user)
        for person in [person for person in people if person.pk in undecided]:
            if any(person.user_id != head.pk and _answers_for(head, person) for head in acting):
                allowed.add(person.pk)
                undecided.remove(person.pk)
    if undecided:
        # Whoever ``heads_of`` names answers for the person (a leader of their unit when they have no superior).
        others = Staff.objects.filter(pk__in=undecided).select_related("unit", "direct_superior__user")
        for person_id, accounts in heads.heads_by_staff(others).items():
            if any(account.pk == user.pk for account in accounts):
                allowed.add(person_id)
    return allowed


def _answers_for(user: Viewer, person: Staff) -> bool:
    """By their own right (no delegation, no query): ``person``'s direct superior, or the unit head whose subtree or
    agency head whose agency holds them."""
    me = scope.own_staff(user)
    if me is None or not user.is_authenticated:
        return False
    return (
        person.direct_superior_id == me.pk
        or (user.role == Role.UNIT_HEAD and person.unit.path.startswith(me.unit.path))
        or (user.role == Role.AGENCY_HEAD and person.unit.agency_id == me.unit.agency_id)
    )


def can_correct(user: Viewer, staff: Staff) -> bool:
    """Whether ``user`` may correct ``staff``'s check-ins (``correctable``)."""
    return staff.pk in correctable(user, [staff])
