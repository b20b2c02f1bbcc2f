"""A deputy acting for a unit head under a delegation (``organization.delegations``) manages what the head manages —
the rosters of the head's units, swaps, leave — only while the delegation is in force, never the head's own leave
nor their own."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.core.exceptions import NotPermitted
from telework.core.models import AuditEvent
from telework.organization import delegations
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.rosters import selectors
from telework.rosters.models import Leave, LeaveKind, LeaveRequest, LeaveRequestStatus
from telework.rosters.services.facts import leave_record
from telework.rosters.services.leave_requests import leave_request_approve, leave_request_submit

pytestmark = pytest.mark.django_db

D = dt.date
# The suite's moment is Wednesday 18/11/2026; the head is away the next week, Monday 23 to Friday 27.
AWAY_FROM, AWAY_TO = D(2026, 11, 23), D(2026, 11, 27)
IN_THE_RANGE = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)  # Tuesday 24/11, 09:00 in Hồ Chí Minh City
AFTER_THE_RANGE = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)  # Monday 30/11


@pytest.fixture
def team(city):
    """The unit's deputy head (a leader and deputy, with a staff account) and a sub-unit of the head's unit whose member
    reports to the sub-unit's leader, not to the head."""
    deputy = StaffFactory(unit=city.unit, position=city.staff[0].position, is_leader=True, is_deputy=True, direct_superior=city.head, full_name="Phạm Văn Phó")
    sub_unit = UnitFactory(agency=city.agency, parent=city.unit, name="Tổ tổng hợp")
    sub_leader = StaffFactory(unit=sub_unit, position=city.staff[0].position, direct_superior=city.head, full_name="Đỗ Văn Tổ Trưởng")
    member = StaffFactory(unit=sub_unit, position=city.staff[0].position, direct_superior=sub_leader, full_name="Vũ Thị Tổ Viên")
    return deputy, sub_unit, member


def delegate(city, deputy, starts_on=AWAY_FROM, ends_on=AWAY_TO):
    return delegations.delegation_create(head=city.head_user, deputy=deputy.user, starts_on=starts_on, ends_on=ends_on, actor=city.head_user)


def fresh(user):
    """The account as a new request loads it."""
    return type(user).objects.get(pk=user.pk)


def test_the_deputy_manages_the_heads_rosters_only_while_the_delegation_is_in_force(city, team, clock):
    deputy, sub_unit, _member = team
    delegate(city, deputy)
    assert not selectors.can_manage_unit(fresh(deputy.user), city.unit)  # Wednesday 18/11: not yet
    assert list(selectors.managed_units(fresh(deputy.user))) == []
    clock.move_to(IN_THE_RANGE)
    assert selectors.can_manage_unit(fresh(deputy.user), city.unit)
    assert selectors.can_manage_unit(fresh(deputy.user), sub_unit)
    assert not selectors.can_manage_unit(fresh(deputy.user), city.outsider.unit)
    assert set(selectors.managed_units(fresh(deputy.user))) == {city.unit, sub_unit}
    assert set(selectors.managed_units(fresh(deputy.user))) == set(selectors.managed_units(city.head_user))
    assert sub_unit in selectors.roster_units(viewer=fresh(deputy.user))
    clock.move_to(AFTER_THE_RANGE)
    assert not selectors.can_manage_unit(fresh(deputy.user), city.unit)
    assert list(selectors.managed_units(fresh(deputy.user))) == []
    assert list(selectors.roster_units(viewer=fresh(deputy.user))) == [city.unit]  # their own unit's published rosters


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_after_a_cancellation_the_deputy_no_longer_manages_the_rosters(city, team):
    deputy, sub_unit, member = team
    delegation = delegate(city, deputy, starts_on=D(2026, 11, 24))
    assert selectors.can_manage_unit(deputy.user, sub_unit)
    assert selectors.can_record_leave(deputy.user, member)
    delegations.delegation_cancel(delegation=delegation, actor=city.head_user)
    assert not selectors.can_manage_unit(deputy.user, sub_unit)
    assert not selectors.can_record_leave(deputy.user, member)
    assert not selectors.can_decide_leave(deputy.user, member)
    assert list(selectors.managed_units(deputy.user)) == []


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_in_force_the_deputy_records_and_decides_leave_for_the_heads_people_never_the_heads_nor_their_own(city, team):
    deputy, _sub_unit, member = team
    assert not selectors.can_decide_leave(deputy.user, member)  # before the delegation: the member is not theirs
    delegate(city, deputy, starts_on=D(2026, 11, 24))
    deputy_user = fresh(deputy.user)
    assert selectors.can_record_leave(deputy_user, member)
    assert selectors.can_decide_leave(deputy_user, member)
    assert selectors.can_decide_leave(deputy_user, city.staff[0])
    assert not selectors.can_record_leave(deputy_user, city.head)
    assert not selectors.can_decide_leave(deputy_user, city.head)
    assert not selectors.can_decide_leave(deputy_user, deputy)
    assert not selectors.can_record_leave(deputy_user, city.outsider)


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_the_deputy_approves_a_leave_request_in_the_heads_absence(city, team):
    deputy, _sub_unit, member = team
    delegate(city, deputy, starts_on=D(2026, 11, 24))
    request = leave_request_submit(actor=member.user, starts_on=D(2026, 12, 1), ends_on=D(2026, 12, 2), kind=LeaveKind.ANNUAL, note="Việc gia đình")
    assert selectors.leave_requests_waiting(viewer=fresh(deputy.user)) == [request]
    leave_request_approve(request=request, actor=fresh(deputy.user))
    request.refresh_from_db()
    assert request.status == LeaveRequestStatus.APPROVED
    assert Leave.objects.get().staff == member
    event = AuditEvent.objects.get(action="leave_request.approve")
    assert (event.actor, event.after["on_behalf_of"]) == (deputy.user, city.head.full_name)


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_the_heads_own_decision_during_a_delegation_names_nobody_acted_for(city, team):
    deputy, _sub_unit, member = team
    delegate(city, deputy, starts_on=D(2026, 11, 24))
    request = leave_request_submit(actor=member.user, starts_on=D(2026, 12, 1), ends_on=D(2026, 12, 2), kind=LeaveKind.ANNUAL)
    leave_request_approve(request=request, actor=city.head_user)
    assert "on_behalf_of" not in AuditEvent.objects.get(action="leave_request.approve").after


def test_once_the_delegation_has_ended_the_deputy_cannot_approve_and_nothing_changes(city, team, clock):
    deputy, _sub_unit, member = team
    delegate(city, deputy)
    clock.move_to(AFTER_THE_RANGE)
    request = leave_request_submit(actor=member.user, starts_on=D(2026, 12, 1), ends_on=D(2026, 12, 2), kind=LeaveKind.ANNUAL)
    before = (list(LeaveRequest.objects.values()), list(Leave.objects.values()), AuditEvent.objects.count())
    with pytest.raises(NotPermitted):
        leave_request_approve(request=request, actor=fresh(deputy.user))
    assert (list(LeaveRequest.objects.values()), list(Leave.objects.values()), AuditEvent.objects.count()) == before


def test_the_deputy_records_leave_on_the_heads_unit_only_while_the_delegation_is_in_force(city, team, clock):
    deputy, _sub_unit, member = team
    delegate(city, deputy)
    clock.move_to(IN_THE_RANGE)
    leave = leave_record(staff=member, starts_on=D(2026, 12, 1), ends_on=D(2026, 12, 1), kind=LeaveKind.ANNUAL, actor=fresh(deputy.user))
    assert (leave.staff, leave.starts_on) == (member, D(2026, 12, 1))
    clock.move_to(AFTER_THE_RANGE)
    before = (list(Leave.objects.values()), AuditEvent.objects.count())
    with pytest.raises(NotPermitted):
        leave_record(staff=member, starts_on=D(2026, 12, 3), ends_on=D(2026, 12, 3), kind=LeaveKind.ANNUAL, actor=fresh(deputy.user))
    assert (list(Leave.objects.values()), AuditEvent.objects.count()) == before
