"""Switches are idempotent and tell people (issue 9, point 8): a second "on" changes nothing; starting or ending
emergency or suspension notifies every affected staff member and head; approved home days voided by the suspension
show as suspended (lists, detail, API); the confirmation counts home days, rosters and people beforehand; the
follow-up reports its progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.core.models import AuditEvent, Notification
from telework.demo.testing import next_monday
from telework.policy.models import SwitchChange, SwitchKind
from telework.policy.services import switch_set
from telework.registrations import services
from telework.registrations.tests.test_services import submit
from telework.rosters.models import Roster
from telework.rosters.selectors import week_start_of
from telework.rosters.services import roster_generate


@pytest.fixture
def approved(city, django_capture_on_commit_callbacks):
    """Two approved home days (Monday and Friday of next week) for ``city.staff[0]`` and one for ``city.staff[1]``."""
    monday = next_monday()
    registrations = []
    with django_capture_on_commit_callbacks(execute=True):
        for member, weekdays in ((city.staff[0], (0, 4)), (city.staff[1], (2,))):
            registration = submit(member, monday, weekdays=weekdays)
            services.registration_approve(registration=registration, actor=city.head_user, comment="Đồng ý")
            registrations.append(registration)
    return registrations


@pytest.fixture
def this_week_roster(city):
    return roster_generate(unit=city.unit, week_start=week_start_of(dt.date(2026, 11, 18)), actor=city.head_user)


def _switch(city, capture, kind, is_active, **kwargs):
    with capture(execute=True):
        return switch_set(actor=city.home_affairs, kind=kind, is_active=is_active, reason="Quyết định của UBND", **kwargs)


@pytest.mark.django_db
def test_turning_on_a_switch_that_is_already_on_changes_nothing(city, this_week_roster, django_capture_on_commit_callbacks):
    first = _switch(city, django_capture_on_commit_callbacks, SwitchKind.EMERGENCY, True)
    assert first is not None
    state = (
        AuditEvent.objects.count(),
        SwitchChange.objects.count(),
        sorted(Roster.objects.values_list("unit_id", "week_start", "version")),
        Notification.objects.count(),
    )
    second = _switch(city, django_capture_on_commit_callbacks, SwitchKind.EMERGENCY, True)
    assert second is None
    assert (
        AuditEvent.objects.count(),
        SwitchChange.objects.count(),
        sorted(Roster.objects.values_list("unit_id", "week_start", "version")),
        Notification.objects.count(),
    ) == state
    assert AuditEvent.objects.filter(action="switch.on").count() == 1


@pytest.mark.django_db
def test_turning_off_a_switch_that_is_off_changes_nothing(city, django_capture_on_commit_callbacks):
    before = (AuditEvent.objects.count(), SwitchChange.objects.count())
    assert _switch(city, django_capture_on_commit_callbacks, SwitchKind.SUSPENSION, False) is None
    assert (AuditEvent.objects.count(), SwitchChange.objects.count()) == before


@pytest.mark.django_db
def test_changing_only_the_exemptions_of_a_suspension_that_is_on_is_a_change(city, django_capture_on_commit_callbacks):
    _switch(city, django_capture_on_commit_callbacks, SwitchKind.SUSPENSION, True, exempted_staff=[])
    change = _switch(city, django_capture_on_commit_callbacks, SwitchKind.SUSPENSION, True, exempted_staff=[city.staff[0]])
    assert change is not None
    assert AuditEvent.objects.filter(action="switch.on").count() == 2


@pytest.mark.django_db
def test_suspension_start_and_end_notify_every_affected_staff_member_and_their_head(city, approved, this_week_roster, django_capture_on_commit_callbacks):
    Notification.objects.all().delete()
    on = _switch(city, django_capture_on_commit_callbacks, SwitchKind.SUSPENSION, True, exempted_staff=[])
    on.refresh_from_db()
    told = set(Notification.objects.filter(key=f"switch-change:{on.pk}").values_list("user_id", flat=True))
    # Everyone on this week's roster (the whole unit: head, eight officers, the desk clerk) and their head.
    expected = {member.user_id for member in [city.head, *city.staff, city.clerk]}
    assert told == expected
    assert on.people_notified == len(expected)
    note = Notification.objects.get(key=f"switch-change:{on.pk}", user=city.staff[0].user)
    assert note.title == "Tạm dừng làm việc tại nhà đã bắt đầu"
    assert note.body.startswith("Làm việc tại nhà bị tạm dừng trên toàn thành phố")

    off = _switch(city, django_capture_on_commit_callbacks, SwitchKind.SUSPENSION, False)
    note = Notification.objects.get(key=f"switch-change:{off.pk}", user=city.staff[0].user)
    assert note.title == "Tạm dừng làm việc tại nhà đã kết thúc"


@pytest.mark.django_db
def test_without_rosters_the_people_with_approved_home_days_and_their_head_are_told(city, approved, django_capture_on_commit_callbacks):
    change = _switch(city, django_capture_on_commit_callbacks, SwitchKind.EMERGENCY, True)
    told = set(Notification.objects.filter(key=f"switch-change:{change.pk}").values_list("user_id", flat=True))
    assert told == {city.staff[0].user_id, city.staff[1].user_id, city.head_user.pk}


@pytest.mark.django_db
def test_approved_home_days_show_as_suspended_in_the_list_the_detail_and_the_api(client, city, approved, django_capture_on_commit_callbacks):
    mine, exempt = approved
    _switch(city, django_capture_on_commit_callbacks, SwitchKind.SUSPENSION, True, exempted_staff=[city.staff[1]])
    client.force_login(city.staff[0].user)
    listing = client.get(reverse("registrations:mine")).content.decode()
    assert 'data-status="suspended">Tạm dừng (tạm dừng làm việc tại nhà)</span>' in listing
    assert 'data-status="approved"' not in listing
    detail = client.get(reverse("registrations:detail", args=[mine.pk])).content.decode()
    assert 'data-status="suspended"' in detail
    assert detail.count('data-state="suspended"') == 2
    body = client.get(f"/api/registrations/{mine.pk}").json()
    assert (body["status"], body["shown_status"], body["is_suspended"], body["suspended_from"]) == ("approved", "suspended", True, "2026-11-18")
    assert body["status_label"] == "Tạm dừng (tạm dừng làm việc tại nhà)"
    # The named exemption keeps an approved registration.
    client.force_login(city.staff[1].user)
    body = client.get(f"/api/registrations/{exempt.pk}").json()
    assert (body["shown_status"], body["is_suspended"], body["suspended_from"]) == ("approved", False, None)


@pytest.mark.django_db
def test_home_days_count_as_approved_again_when_the_suspension_ends(client, city, approved, django_capture_on_commit_callbacks):
    _switch(city, django_capture_on_commit_callbacks, SwitchKind.SUSPENSION, True, exempted_staff=[])
    _switch(city, django_capture_on_commit_callbacks, SwitchKind.SUSPENSION, False)
    client.force_login(city.staff[0].user)
    assert 'data-status="approved"' in client.get(reverse("registrations:mine")).content.decode()
    body = client.get(f"/api/registrations/{approved[0].pk}").json()
    assert (body["shown_status"], body["status_label"], body["is_suspended"]) == ("approved", "Đã phê duyệt", False)


@pytest.mark.django_db
def test_the_confirmation_counts_home_days_rosters_and_people_beforehand(client, city, approved, this_week_roster):
    client.force_login(city.home_affairs)
    before = (AuditEvent.objects.count(), SwitchChange.objects.count())
    data = {"turn": "on", "reason": "Quyết định của UBND", "exempted_codes": city.staff[1].code}
    content = client.post(reverse("policy:switch_change", args=[SwitchKind.SUSPENSION]), data).content.decode()
    # Staff 0's two home days are suspended; staff 1 is exempted. One roster (this week). Ten people on it.
    assert '<li id="impact-home-days">2 ngày làm việc tại nhà đã duyệt từ hôm nay sẽ bị tạm dừng.</li>' in content
    assert '<li id="impact-rosters">1 lịch làm việc của tuần này và tuần sau sẽ được lập lại.</li>' in content
    assert '<li id="impact-people">10 công chức, viên chức sẽ được thông báo, cùng lãnh đạo đơn vị của họ.</li>' in content
    assert (AuditEvent.objects.count(), SwitchChange.objects.count()) == before


@pytest.mark.django_db
def test_the_confirmation_says_when_a_switch_is_already_in_that_state(client, city, django_capture_on_commit_callbacks):
    _switch(city, django_capture_on_commit_callbacks, SwitchKind.EMERGENCY, True)
    client.force_login(city.home_affairs)
    content = client.post(reverse("policy:switch_change", args=[SwitchKind.EMERGENCY]), {"turn": "on", "reason": "Lặp lại"}).content.decode()
    assert 'id="switch-already"' in content
    response = client.post(reverse("policy:switch_change", args=[SwitchKind.EMERGENCY]), {"turn": "on", "reason": "Lặp lại", "confirm": "yes"}, follow=True)
    assert "Chế độ khẩn cấp đã bật từ trước: không có gì thay đổi." in response.content.decode()
    assert AuditEvent.objects.filter(action="switch.on").count() == 1


@pytest.mark.django_db
def test_confirming_leads_to_the_progress_of_the_follow_up(client, city, this_week_roster, django_capture_on_commit_callbacks):
    client.force_login(city.home_affairs)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("policy:switch_change", args=[SwitchKind.EMERGENCY]), {"turn": "on", "reason": "Dịch bệnh", "confirm": "yes"})
    change = SwitchChange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("policy:switch_progress", args=[change.pk])
    assert (change.status, change.units_done, change.units_total) == (SwitchChange.Status.DONE, 1, 1)
    page = client.get(response["Location"]).content.decode()
    assert "Lịch làm việc đã lập lại: 1 trên 1 đơn vị." in page
    assert 'data-status="done"' in page
    assert "hx-trigger" not in page.split('id="switch-progress"')[1].split(">")[0]


@pytest.mark.django_db
def test_a_running_follow_up_polls_its_own_fragment(client, city):
    change = SwitchChange.objects.create(kind=SwitchKind.EMERGENCY, is_active=True, status=SwitchChange.Status.RUNNING, units_total=40, units_done=10)
    client.force_login(city.leadership)
    fragment = client.get(reverse("policy:switch_progress", args=[change.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="switch-progress"')
    assert f'hx-get="{reverse("policy:switch_progress", args=[change.pk])}" hx-trigger="every 2s"' in fragment
    assert "Lịch làm việc đã lập lại: 10 trên 40 đơn vị." in fragment
    assert 'aria-valuenow="25"' in fragment


@pytest.mark.django_db
def test_staff_cannot_see_a_switch_change(client, city):
    change = SwitchChange.objects.create(kind=SwitchKind.EMERGENCY, is_active=True)
    client.force_login(city.staff[0].user)
    assert client.get(reverse("policy:switch_progress", args=[change.pk])).status_code == 404
