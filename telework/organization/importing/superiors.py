"""Who a person's direct superior should be, from their unit and their rank: the proposal the import shows.

Pure Python over plain data. The chain of command of Vietnamese state agencies (Decree 138/2020/NĐ-CP on civil
servants' management, art. 4: the head of a unit answers for it to the head of the agency): a member of a unit
and a deputy head answer to the unit's head; a unit's head answers to the head of the unit above, and at the top
to the agency's head; the agency's deputies answer to the agency's head, who has no superior in the agency.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    code: str
    unit: str  # the unit's code
    is_leader: bool
    is_deputy: bool
    heads_agency: bool = False  # the title is the agency's head's ("Chủ tịch", "Giám đốc") or a deputy's


def propose_superiors(people: Sequence[Person], parent_of: Mapping[str, str | None]) -> dict[str, str | None]:
    """Each person's proposed direct superior (a code), or None when nobody above them is known.

    ``people`` in the order of the list (the first non-deputy leader of a unit is its head, as offices list
    the head first); ``parent_of`` gives each unit's parent unit (None at the top of the agency).
    """
    agency_head = next((person for person in people if person.heads_agency and person.is_leader and not person.is_deputy), None)
    unit_head: dict[str, Person] = {}
    for person in people:
        if person.is_leader and not person.is_deputy and person is not agency_head:
            unit_head.setdefault(person.unit, person)

    def head_above(unit: str | None, exclude: Person) -> str | None:
        seen: set[str] = set()
        while unit is not None and unit not in seen:
            seen.add(unit)
            head = unit_head.get(unit)
            if head is not None and head is not exclude:
                return head.code
            unit = parent_of.get(unit)
        return agency_head.code if agency_head is not None and agency_head is not exclude else None

    proposals: dict[str, str | None] = {}
    for person in people:
        if person is agency_head:
            proposals[person.code] = None
        elif person.heads_agency and person.is_deputy:
            proposals[person.code] = agency_head.code if agency_head is not None else None
        elif unit_head.get(person.unit) is person:
            proposals[person.code] = head_above(parent_of.get(person.unit), person)
        else:
            proposals[person.code] = head_above(person.unit, person)
    return proposals
