"""A deputy acting for a unit head under a delegation (``organization.delegations``) assigns work to whom the head
may, only while the delegation is in force, never to the head."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.assignments import permissions
from telework.organization import delegations
from telework.organization.models import Staff
from telework.organization.tests.factories import StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def team(city):
    """The unit's deputy head, and a sub-unit member who reports to the sub-unit's leader, not to the head."""
    deputy = StaffFactory(unit=city.unit, position=city.staff[0].position, is_leader=True, is_deputy=True, direct_superior=city.head, full_name="Phạm Văn Phó")
    sub_unit = UnitFactory(agency=city.agency, parent=city.unit, name="Tổ tổng hợp")
    sub_leader = StaffFactory(unit=sub_unit, position=city.staff[0].position, direct_superior=city.head, full_name="Đỗ Văn Tổ Trưởng")
    StaffFactory(unit=sub_unit, position=city.staff[0].position, direct_superior=sub_leader, full_name="Vũ Thị Tổ Viên")
    return deputy


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def the_heads_people(city, deputy):
    """Whom the head assigns work to, but the deputy themselves."""
    return set(permissions.decidable_staff(city.head_user).exclude(pk=deputy.pk).values_list("pk", flat=True))


def test_the_deputy_assigns_to_whom_the_head_may_only_while_the_delegation_is_in_force(city, team, clock):
    deputy = team
    delegations.delegation_create(head=city.head_user, deputy=deputy.user, starts_on=D(2026, 11, 23), ends_on=D(2026, 11, 27), actor=city.head_user)
    assert list(permissions.decidable_staff(fresh(deputy.user))) == []  # Wednesday 18/11: not yet
    assert not permissions.is_head(fresh(deputy.user))
    clock.move_to(dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC))
    assigned = set(permissions.decidable_staff(fresh(deputy.user)).values_list("pk", flat=True))
    assert assigned == the_heads_people(city, deputy)
    assert len(assigned) == Staff.objects.filter(unit__path__startswith=city.unit.path).count() - 2  # all but the head and the deputy
    assert city.head.pk not in assigned
    assert permissions.is_head(fresh(deputy.user))
    clock.move_to(dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC))
    assert list(permissions.decidable_staff(fresh(deputy.user))) == []


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_after_a_cancellation_the_deputy_assigns_to_nobody(city, team):
    deputy = team
    delegation = delegations.delegation_create(
        head=city.head_user, deputy=deputy.user, starts_on=D(2026, 11, 24), ends_on=D(2026, 11, 27), actor=city.head_user
    )
    assert permissions.decidable_staff(deputy.user).count() == len(the_heads_people(city, deputy))
    delegations.delegation_cancel(delegation=delegation, actor=city.head_user)
    assert list(permissions.decidable_staff(deputy.user)) == []
