"""Who answers for a person or a unit: the one answer every notification and inbox uses.

A person's heads are their direct superior; a person without one on record is followed by the leaders of their own
unit who hold a head's account, and failing those by the unit heads of the units above. A unit's heads are the
unit-head accounts of the unit and of every unit above it (``Unit.path``).

A head away may have named a deputy (``organization.delegations``): while the delegation is in force the deputy is
answered alongside the head, so every notification and inbox built on these functions reaches them too."""

from __future__ import annotations

from collections.abc import Iterable

from telework.accounts.models import Role, User
from telework.organization.delegations import deputies_by_head
from telework.organization.models import Staff, Unit

HEAD_ROLES = (Role.UNIT_HEAD, Role.AGENCY_HEAD)


def unit_heads(units: Iterable[Unit]) -> list[User]:
    """The active unit-head accounts whose unit is one of ``units`` or above one of them, in a stable order, followed
    by the deputies acting for them today."""
    heads = _unit_head_accounts(units)
    return _with_deputies(heads, deputies_by_head(head.pk for head in heads))


def _with_deputies(heads: list[User], deputies: dict[int, list[User]], *, never: int | None = None) -> list[User]:
    """``heads`` followed by the deputies acting for them, each once, never the account ``never`` (the person the
    answer is about)."""
    answer = list(heads)
    for head in heads:
        answer += [deputy for deputy in deputies.get(head.pk, []) if deputy not in answer and deputy.pk != never]
    return answer


def _unit_head_accounts(units: Iterable[Unit]) -> list[User]:
    ancestors = {int(part) for unit in units for part in unit.path.strip("/").split("/") if part}
    if not ancestors:
        return []
    return list(User.objects.filter(is_active=True, role=Role.UNIT_HEAD, staff__unit_id__in=ancestors).order_by("pk"))


def heads_of(staff: Staff) -> list[User]:
    """The accounts that answer for ``staff``: the direct superior's; else the head-role leaders of their own unit;
    else the unit heads above. Never the person themselves."""
    return heads_by_staff([staff])[staff.pk]


def heads_by_staff(people: Iterable[Staff]) -> dict[int, list[User]]:
    """``heads_of`` for many people at once, in a fixed number of queries (the morning's missed check-ins of a whole
    city). ``people`` should come with ``direct_superior__user`` selected."""
    people = list(people)
    result: dict[int, list[User]] = {}
    without_superior: list[Staff] = []
    for person in people:
        superior = person.direct_superior
        if superior is not None and superior.user is not None and superior.user.is_active and superior.pk != person.pk:
            result[person.pk] = [superior.user]
        else:
            without_superior.append(person)
    if not without_superior:
        return _deputised(result, people)
    leaders: dict[int, list[Staff]] = {}
    for member in (
        Staff.objects.filter(
            unit_id__in={person.unit_id for person in without_superior}, is_active=True, is_leader=True, user__is_active=True, user__role__in=HEAD_ROLES
        )
        .select_related("user")
        .order_by("pk")
    ):
        leaders.setdefault(member.unit_id, []).append(member)
    above: dict[int, list[User]] = {}
    for person in without_superior:
        own = [member.user for member in leaders.get(person.unit_id, []) if member.pk != person.pk and member.user is not None]
        if own:
            result[person.pk] = own
            continue
        if person.unit_id not in above:
            above[person.unit_id] = _unit_head_accounts([person.unit])
        result[person.pk] = [user for user in above[person.unit_id] if user.pk != person.user_id]
    return _deputised(result, people)


def _deputised(result: dict[int, list[User]], people: list[Staff]) -> dict[int, list[User]]:
    """Each answer followed by the deputies acting for its heads today (one query for everybody's heads)."""
    deputies = deputies_by_head({head.pk for heads in result.values() for head in heads})
    return {person.pk: _with_deputies(result[person.pk], deputies, never=person.user_id) for person in people}


def agency_heads(agency_id: int) -> list[User]:
    """The active agency-head accounts of an agency, followed by the deputies acting for them today."""
    heads = [
        member.user
        for member in Staff.objects.filter(unit__agency_id=agency_id, is_active=True, user__role=Role.AGENCY_HEAD, user__is_active=True).select_related("user")
        if member.user is not None
    ]
    return _with_deputies(heads, deputies_by_head(head.pk for head in heads))
