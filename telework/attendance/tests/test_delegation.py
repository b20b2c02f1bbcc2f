"""A deputy acting for a unit head under a delegation (``organization.delegations``) corrects the check-ins the head
may correct, only while the delegation is in force, never the head's own; the audit row names the head acted for."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.attendance import permissions, services
from telework.attendance.models import CheckIn, CheckInCorrection
from telework.attendance.services import Correction
from telework.attendance.tests.builders import at, publish_roster
from telework.core.exceptions import NotPermitted
from telework.core.models import AuditEvent
from telework.organization import delegations
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.rosters.models import EntryStatus

pytestmark = pytest.mark.django_db

# Attendance's ``clock`` fixture (``conftest.py``) sets the moment: ``clock.set(day, hour)`` in Hồ Chí Minh City time.

D = dt.date
TUESDAY, WEDNESDAY, FRIDAY = D(2026, 11, 24), D(2026, 11, 25), D(2026, 11, 27)


@pytest.fixture
def team(city):
    """The unit's deputy head, and a sub-unit member who reports to the sub-unit's leader, not to the head."""
    deputy = StaffFactory(unit=city.unit, position=city.staff[0].position, is_leader=True, is_deputy=True, direct_superior=city.head, full_name="Phạm Văn Phó")
    sub_unit = UnitFactory(agency=city.agency, parent=city.unit, name="Tổ tổng hợp")
    sub_leader = StaffFactory(unit=sub_unit, position=city.staff[0].position, direct_superior=city.head, full_name="Đỗ Văn Tổ Trưởng")
    member = StaffFactory(unit=sub_unit, position=city.staff[0].position, direct_superior=sub_leader, full_name="Vũ Thị Tổ Viên")
    return deputy, member


def delegate(city, deputy, starts_on, ends_on=FRIDAY):
    return delegations.delegation_create(head=city.head_user, deputy=deputy.user, starts_on=starts_on, ends_on=ends_on, actor=city.head_user)


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_the_deputy_corrects_whom_the_head_may_only_while_the_delegation_is_in_force(city, team, clock):
    deputy, member = team
    people = [member, city.staff[0], city.head, deputy, city.outsider]
    delegate(city, deputy, starts_on=D(2026, 11, 23))
    assert permissions.correctable(fresh(deputy.user), people) == set()  # Wednesday 18/11: not yet
    clock.set(TUESDAY, 9)
    assert permissions.correctable(fresh(deputy.user), people) == {member.pk, city.staff[0].pk}
    clock.set(D(2026, 11, 30), 9)
    assert permissions.correctable(fresh(deputy.user), people) == set()


def test_a_deputys_correction_is_audited_on_behalf_of_the_head(city, team, clock):
    deputy, member = team
    clock.set(WEDNESDAY, 10)
    publish_roster(member.unit, TUESDAY, {member: EntryStatus.OFFICE})
    services.attendance_check_in(actor=member.user, mode="office", now=at(TUESDAY, 7, 50))
    delegate(city, deputy, starts_on=WEDNESDAY)
    fix = Correction(mode="office", checked_in_at=at(TUESDAY, 7, 50), checked_out_at=at(TUESDAY, 17, 0), reason="Quên chấm công ra")
    services.attendance_correct(actor=fresh(deputy.user), staff=member, day=TUESDAY, correction=fix, now=at(WEDNESDAY, 10, 0))
    assert CheckIn.objects.get(staff=member, day=TUESDAY).checked_out_at == at(TUESDAY, 17, 0)
    event = AuditEvent.objects.get(action="check_in.correct")
    assert (event.actor, event.after["on_behalf_of"]) == (deputy.user, city.head.full_name)


def test_after_a_cancellation_the_deputy_cannot_correct_and_nothing_changes(city, team, clock):
    deputy, member = team
    clock.set(WEDNESDAY, 10)
    publish_roster(member.unit, TUESDAY, {member: EntryStatus.OFFICE})
    services.attendance_check_in(actor=member.user, mode="office", now=at(TUESDAY, 7, 50))
    delegation = delegate(city, deputy, starts_on=WEDNESDAY)
    delegations.delegation_cancel(delegation=delegation, actor=city.head_user)
    before = (list(CheckIn.objects.values()), CheckInCorrection.objects.count(), AuditEvent.objects.count())
    fix = Correction(mode="office", checked_in_at=at(TUESDAY, 7, 50), checked_out_at=at(TUESDAY, 17, 0), reason="Quên chấm công ra")
    with pytest.raises(NotPermitted):
        services.attendance_correct(actor=fresh(deputy.user), staff=member, day=TUESDAY, correction=fix, now=at(WEDNESDAY, 10, 0))
    assert (list(CheckIn.objects.values()), CheckInCorrection.objects.count(), AuditEvent.objects.count()) == before
