"""Delegation to a deputy (``organization.delegations``): who may be named, for how long, and what the deputy may do in
the head's name while it is in force — and no longer once it has ended or been cancelled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.accounts.models import Role
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.models import AuditEvent, Notification
from telework.organization import delegations, scope
from telework.organization.heads import heads_of, unit_heads
from telework.organization.models import Delegation
from telework.organization.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

D = dt.date
# The suite's moment is Wednesday 18/11/2026; the head is away the next week.
AWAY_FROM, AWAY_TO = D(2026, 11, 23), D(2026, 11, 27)


@pytest.fixture
def deputy(city):
    """The unit's deputy head (Phó trưởng phòng): a leader and deputy of the head's unit, with a staff account."""
    return StaffFactory(unit=city.unit, position=city.staff[0].position, is_leader=True, is_deputy=True, direct_superior=city.head, full_name="Phạm Văn Phó")


def delegate(city, deputy, starts_on=AWAY_FROM, ends_on=AWAY_TO, **kwargs):
    return delegations.delegation_create(head=city.head_user, deputy=deputy.user, starts_on=starts_on, ends_on=ends_on, actor=city.head_user, **kwargs)


def fresh(user):
    """The account as a new request loads it (``scope.acting_for`` caches its answer on the user object)."""
    return type(user).objects.get(pk=user.pk)


def test_the_deputy_decides_for_the_heads_staff_only_within_the_range(city, deputy, clock):
    member = city.staff[0]
    delegate(city, deputy)
    assert not scope.can_decide_for(fresh(deputy.user), member)  # Wednesday 18/11: not yet
    clock.move_to(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC))
    assert scope.can_decide_for(fresh(deputy.user), member)
    assert scope.acting_head_for(fresh(deputy.user), member) == city.head_user
    clock.move_to(dt.datetime(2026, 11, 27, 16, 0, tzinfo=dt.UTC))  # 23:00 in Hồ Chí Minh City, still the 27th
    assert scope.can_decide_for(fresh(deputy.user), member)
    clock.move_to(dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC))
    assert not scope.can_decide_for(fresh(deputy.user), member)


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_after_a_cancellation_the_deputy_no_longer_decides(city, deputy):
    delegation = delegate(city, deputy, starts_on=D(2026, 11, 24))
    deputy_user = deputy.user
    assert scope.can_decide_for(deputy_user, city.staff[0])
    delegations.delegation_cancel(delegation=delegation, actor=city.head_user, reason="Về sớm")
    assert not scope.can_decide_for(deputy_user, city.staff[0])  # the same account object: the cache follows
    assert list(scope.visible_staff(deputy_user).values_list("pk", flat=True)) == [deputy.pk]
    assert delegations.state_of(Delegation.objects.get(pk=delegation.pk)) == delegations.CANCELLED


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_in_force_the_deputy_sees_what_the_head_sees_but_never_decides_their_own_or_the_heads(city, deputy):
    delegate(city, deputy, starts_on=D(2026, 11, 24))
    seen = set(scope.visible_staff(deputy.user).values_list("pk", flat=True))
    assert seen == set(scope.visible_staff(city.head_user).values_list("pk", flat=True))
    assert city.outsider.pk not in seen
    assert not scope.can_decide_for(deputy.user, deputy)
    assert not scope.can_decide_for(deputy.user, city.head)
    assert not scope.can_decide_for(deputy.user, city.outsider)


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_notifications_to_the_head_reach_the_deputy_while_in_force(city, deputy):
    delegate(city, deputy, starts_on=D(2026, 11, 24))
    assert heads_of(city.staff[0]) == [city.head_user, deputy.user]
    assert unit_heads([city.unit]) == [city.head_user, deputy.user]
    # The deputy's own heads are the head alone: never themselves.
    assert heads_of(deputy) == [city.head_user]


def test_before_the_range_the_heads_are_the_head_alone(city, deputy):
    delegate(city, deputy)
    assert heads_of(city.staff[0]) == [city.head_user]


def test_a_delegation_is_audited_and_the_deputy_told(city, deputy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delegation = delegate(city, deputy, note="Đi học lớp bồi dưỡng")
    event = AuditEvent.objects.get(action="delegation.create")
    assert (event.actor, event.object_id, event.agency_id) == (city.head_user, str(delegation.pk), city.agency.pk)
    assert event.after == {
        "head": "Trần Thị Trưởng",
        "deputy": "Phạm Văn Phó",
        "starts_on": "2026-11-23",
        "ends_on": "2026-11-27",
        "note": "Đi học lớp bồi dưỡng",
        "cancelled_at": None,
    }
    notice = Notification.objects.get(user=deputy.user)
    assert notice.title == "Trần Thị Trưởng ủy quyền cho bạn quyết định từ 23/11/2026 đến 27/11/2026"
    with django_capture_on_commit_callbacks(execute=True):
        delegations.delegation_cancel(delegation=delegation, actor=city.head_user)
    assert AuditEvent.objects.filter(action="delegation.cancel", object_id=str(delegation.pk)).count() == 1
    assert Notification.objects.filter(user=deputy.user).count() == 2


def test_a_plain_colleague_cannot_be_named(city):
    with pytest.raises(RuleViolation) as refused:
        delegate(city, city.staff[1])
    assert refused.value.rule == "delegation.deputy"
    assert not Delegation.objects.exists()


def test_a_head_outside_the_heads_scope_cannot_be_named(city):
    other_head = StaffFactory(unit=city.outsider.unit, position=city.outsider.position, is_leader=True, user__role=Role.UNIT_HEAD)
    with pytest.raises(RuleViolation) as refused:
        delegate(city, other_head)
    assert refused.value.rule == "delegation.deputy"
    assert not Delegation.objects.exists()


def test_only_the_head_declares_their_delegation(city, deputy):
    with pytest.raises(NotPermitted):
        delegations.delegation_create(head=city.head_user, deputy=deputy.user, starts_on=AWAY_FROM, ends_on=AWAY_TO, actor=city.hr)
    with pytest.raises(NotPermitted):
        delegations.delegation_create(head=city.staff[0].user, deputy=deputy.user, starts_on=AWAY_FROM, ends_on=AWAY_TO, actor=city.staff[0].user)
    assert not Delegation.objects.exists()


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "rule"),
    [
        (D(2026, 11, 17), D(2026, 11, 20), "delegation.period"),  # starts yesterday
        (D(2026, 11, 27), D(2026, 11, 23), "delegation.period"),  # ends before it starts
        (D(2026, 11, 23), D(2027, 2, 21), "delegation.max_days"),  # 91 days: 90 is the most
    ],
)
def test_dates_in_the_past_reversed_or_too_long_are_refused(city, deputy, starts_on, ends_on, rule):
    with pytest.raises(ValidationFailed) as refused:
        delegate(city, deputy, starts_on=starts_on, ends_on=ends_on)
    assert refused.value.rule == rule
    assert not Delegation.objects.exists()


def test_ninety_days_are_allowed(city, deputy):
    delegation = delegate(city, deputy, starts_on=D(2026, 11, 23), ends_on=D(2026, 11, 23) + dt.timedelta(days=89))
    assert delegation.ends_on == D(2027, 2, 20)


def test_a_heads_delegations_never_overlap(city, deputy):
    first = delegate(city, deputy)
    other_deputy = StaffFactory(unit=city.unit, position=city.staff[0].position, is_leader=True, is_deputy=True, full_name="Lê Thị Phó Hai")
    with pytest.raises(RuleViolation) as refused:
        delegate(city, other_deputy, starts_on=D(2026, 11, 27), ends_on=D(2026, 12, 4))
    assert refused.value.rule == "delegation.overlap"
    assert list(Delegation.objects.values_list("pk", flat=True)) == [first.pk]
    # Once cancelled, the dates are free again.
    delegations.delegation_cancel(delegation=first, actor=city.head_user)
    assert delegate(city, other_deputy, starts_on=D(2026, 11, 27), ends_on=D(2026, 12, 4)).deputy == other_deputy.user


def test_only_the_head_cancels_and_never_twice(city, deputy):
    delegation = delegate(city, deputy)
    with pytest.raises(NotPermitted):
        delegations.delegation_cancel(delegation=delegation, actor=deputy.user)
    delegations.delegation_cancel(delegation=delegation, actor=city.head_user)
    with pytest.raises(InvalidTransition) as refused:
        delegations.delegation_cancel(delegation=delegation, actor=city.head_user)
    assert refused.value.rule == "delegation.status"
    assert AuditEvent.objects.filter(action="delegation.cancel").count() == 1


# --- the page ------------------------------------------------------------------------------------------------------


def test_the_head_names_a_deputy_on_the_page_and_both_see_it(client, city, deputy):
    client.force_login(city.head_user)
    page = client.get(reverse("organization:delegations"))
    assert page.status_code == 200
    assert [user.pk for user in page.context["form"].fields["deputy"].queryset] == [deputy.user.pk]
    response = client.post(reverse("organization:delegations"), {"deputy": deputy.user.pk, "starts_on": "2026-11-23", "ends_on": "2026-11-27", "note": ""})
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert (delegation.head, delegation.deputy, delegation.starts_on, delegation.ends_on) == (city.head_user, deputy.user, AWAY_FROM, AWAY_TO)
    head_page = client.get(reverse("organization:delegations")).content.decode()
    assert "Phạm Văn Phó" in head_page
    assert "Sắp có hiệu lực" in head_page
    client.force_login(deputy.user)
    deputy_page = client.get(reverse("organization:delegations")).content.decode()
    assert "Trần Thị Trưởng" in deputy_page
    assert "23/11/2026 – 27/11/2026" in deputy_page


def test_a_refused_delegation_shows_the_rule_in_words_and_writes_nothing(client, city, deputy):
    client.force_login(city.head_user)
    response = client.post(reverse("organization:delegations"), {"deputy": deputy.user.pk, "starts_on": "2026-11-23", "ends_on": "2027-03-01"})
    assert response.status_code == 422
    assert "tối đa 90 ngày" in response.content.decode()
    assert not Delegation.objects.exists()


def test_the_head_cancels_on_the_page(client, city, deputy):
    delegation = delegate(city, deputy)
    client.force_login(city.head_user)
    assert client.post(reverse("organization:delegation_cancel", args=[delegation.pk])).status_code == 302
    assert Delegation.objects.get().cancelled_at is not None


def test_a_staff_member_without_delegations_cannot_open_the_page_nor_cancel_anothers(client, city, deputy):
    delegation = delegate(city, deputy)
    client.force_login(city.staff[1].user)
    assert client.get(reverse("organization:delegations")).status_code == 403
    assert client.post(reverse("organization:delegation_cancel", args=[delegation.pk])).status_code == 404
    assert Delegation.objects.get().cancelled_at is None
