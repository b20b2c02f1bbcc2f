"""The distancing switch end to end on the rosters' side (issue 14 pt 2): switching it on re-plans this week and next
for every unit, publishes at once, tells each person their on-site days and each head; switching it off re-plans
back under the pilot's rules the same way."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.core import clock
from telework.core.models import AuditEvent, Notification
from telework.policy.models import PolicySwitch, SwitchKind
from telework.policy.services import switch_set
from telework.rosters.models import EntryStatus, Roster, RosterEntry, RosterStatus
from telework.rosters.selectors import week_start_of
from telework.rosters.services import roster_generate, roster_publish

pytestmark = pytest.mark.django_db


def _weeks() -> tuple[dt.date, dt.date]:
    monday = week_start_of(clock.today())
    return monday, monday + dt.timedelta(weeks=1)


def test_switching_distancing_on_publishes_next_week_for_every_unit_and_tells_each_person_their_days(city, django_capture_on_commit_callbacks):
    this_monday, next_monday = _weeks()
    before = roster_generate(unit=city.unit, week_start=this_monday, actor=city.head.user)
    roster_publish(roster=before, actor=city.head.user)

    with django_capture_on_commit_callbacks(execute=True):
        change = switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=True, reason="Chỉ thị 16/CT-TTg")
    assert change is not None

    this_week = Roster.objects.get(unit=city.unit, week_start=this_monday, is_current=True)
    next_week = Roster.objects.get(unit=city.unit, week_start=next_monday, is_current=True)
    # The other unit had no roster at all: under distancing it is planned for next week too.
    assert Roster.objects.filter(unit=city.outsider.unit, week_start=next_monday, is_current=True, status=RosterStatus.PUBLISHED).exists()
    for roster in (this_week, next_week):
        assert roster.status == RosterStatus.PUBLISHED
        assert roster.published_by is None  # the system published it, nobody clicked
        assert roster.policy["active_switches"] == [SwitchKind.DISTANCING]
    assert this_week.version == before.version + 1
    # Monday and Tuesday were lived under the pilot's version: kept as they were.
    for entry in RosterEntry.objects.filter(roster=before, day__lt=clock.today()):
        kept = RosterEntry.objects.get(roster=this_week, staff=entry.staff, day=entry.day)
        assert (kept.status, kept.service_point_id) == (entry.status, entry.service_point_id)

    member = city.staff[0]
    note = Notification.objects.get(user=member.user, key__startswith="distancing-days:")
    on_site = RosterEntry.objects.filter(roster=next_week, staff=member, status__in=[EntryStatus.OFFICE, EntryStatus.DESK]).order_by("day")
    assert note.title == "Các ngày làm việc của bạn theo chế độ giãn cách"
    assert "2026-W48" in note.body
    for entry in on_site:
        assert f"{entry.day:%d/%m}" in note.body
    head_note = Notification.objects.get(user=city.head.user, key__startswith="distancing-head:")
    assert "đã được lập lại và công bố" in head_note.title
    switch = PolicySwitch.objects.get(kind=SwitchKind.DISTANCING)
    replan = AuditEvent.objects.get(action="switch.replanned", object_id=str(switch.pk))
    # This week: the one unit with a roster; next week: every unit with active staff (the unit, the other unit, HR).
    assert replan.after["rosters_published"] == 4
    assert AuditEvent.objects.filter(action="roster.publish", object_id=str(next_week.pk), actor__isnull=True).count() == 1
    change.refresh_from_db()
    assert (change.units_done, change.units_total) == (4, 4)


def test_switching_distancing_off_replans_under_the_pilot_rules_and_publishes(city, django_capture_on_commit_callbacks):
    _this_monday, next_monday = _weeks()
    with django_capture_on_commit_callbacks(execute=True):
        switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=True, reason="Chỉ thị 16/CT-TTg")
    under_distancing = Roster.objects.get(unit=city.unit, week_start=next_monday, is_current=True)

    with django_capture_on_commit_callbacks(execute=True):
        switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=False, reason="Hết giãn cách")

    back = Roster.objects.get(unit=city.unit, week_start=next_monday, is_current=True)
    assert back.version == under_distancing.version + 1
    assert back.status == RosterStatus.PUBLISHED
    assert back.policy["active_switches"] == []
    assert back.policy["max_home_share"] == 0.3  # the HCMC pilot's cap again
    assert Notification.objects.filter(user=city.staff[0].user, title="Các ngày làm việc của bạn khi chế độ giãn cách kết thúc").count() == 1


def test_distancing_cannot_be_switched_on_while_telework_is_suspended_and_nothing_changes(city):
    switch_set(actor=city.home_affairs, kind=SwitchKind.SUSPENSION, is_active=True, reason="Tạm dừng")
    from telework.core.exceptions import RuleViolation

    with pytest.raises(RuleViolation) as refused:
        switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=True, reason="Giãn cách")
    assert refused.value.rule == "switch.distancing_with_suspension"
    assert "Tạm dừng làm việc tại nhà" in str(refused.value.message) or "tạm dừng" in str(refused.value.message).lower()
    assert not PolicySwitch.objects.filter(kind=SwitchKind.DISTANCING, is_active=True).exists()
    assert not AuditEvent.objects.filter(action="switch.on", object_label__icontains="giãn").exists()


def test_the_suspension_cannot_be_switched_on_while_distancing_is_on(city):
    switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=True, reason="Giãn cách")
    from telework.core.exceptions import RuleViolation

    with pytest.raises(RuleViolation):
        switch_set(actor=city.home_affairs, kind=SwitchKind.SUSPENSION, is_active=True, reason="Tạm dừng")
    assert not PolicySwitch.objects.filter(kind=SwitchKind.SUSPENSION, is_active=True).exists()


def test_with_emergency_mode_on_too_distancing_holds(city):
    from telework.policy.selectors import policy_for_unit

    switch_set(actor=city.home_affairs, kind=SwitchKind.EMERGENCY, is_active=True, reason="Khẩn cấp")
    switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=True, reason="Giãn cách")
    resolved = policy_for_unit(city.unit, clock.today())
    assert resolved.parameters.max_home_share == 1.0
    assert resolved.parameters.max_onsite_share == 0.3
    assert resolved.parameters.home_days_assigned is True
