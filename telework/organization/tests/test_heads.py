"""Who answers for a person: one rule for every notification and inbox (``organization.heads``)."""

from __future__ import annotations

import pytest

from telework.accounts.models import Role
from telework.organization.heads import heads_by_staff, heads_of, unit_heads
from telework.organization.tests.factories import StaffFactory, UnitFactory


@pytest.fixture
def department(db):
    """A department with a sub-unit: the department's head, the sub-unit's leader (a unit head) and two members,
    one with a direct superior on record and one without."""
    top = UnitFactory(name="Phòng Tổng hợp")
    sub = UnitFactory(name="Tổ Văn thư", agency=top.agency, parent=top)
    head = StaffFactory(unit=top, is_leader=True, user__role=Role.UNIT_HEAD, full_name="Trưởng phòng")
    leader = StaffFactory(unit=sub, is_leader=True, user__role=Role.UNIT_HEAD, full_name="Tổ trưởng")
    with_superior = StaffFactory(unit=sub, direct_superior=leader, full_name="Có cấp trên")
    without = StaffFactory(unit=sub, full_name="Chưa có cấp trên")
    return top, sub, head, leader, with_superior, without


def test_the_direct_superior_answers_first(department):
    _top, _sub, _head, leader, with_superior, _without = department
    assert heads_of(with_superior) == [leader.user]


def test_without_a_superior_the_head_role_leaders_of_the_unit_answer(department):
    _top, _sub, _head, leader, _with_superior, without = department
    assert heads_of(without) == [leader.user]


def test_a_unit_leader_without_a_superior_is_followed_by_the_heads_above_never_by_themselves(department):
    _top, _sub, head, leader, _with_superior, _without = department
    assert heads_of(leader) == [head.user]


def test_a_units_heads_are_the_unit_head_accounts_of_the_unit_and_above(department):
    top, sub, head, leader, _with_superior, _without = department
    assert unit_heads([sub]) == [head.user, leader.user]
    assert unit_heads([top]) == [head.user]


def test_many_people_at_once_in_a_fixed_number_of_queries(department, django_assert_max_num_queries):
    _top, _sub, _head, _leader, with_superior, without = department
    people = [type(with_superior).objects.select_related("direct_superior__user", "user", "unit").get(pk=pk) for pk in (with_superior.pk, without.pk)]
    with django_assert_max_num_queries(2):
        answer = heads_by_staff(people)
    assert answer == {with_superior.pk: heads_of(with_superior), without.pk: heads_of(without)}
