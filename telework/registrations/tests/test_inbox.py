"""The approval inbox as a head uses it: each requester's workload on the days asked, several requests decided at once
(each through the single decision's service, a refused one naming its rule and undoing nothing), and a deputy deciding
in the head's name while a delegation is in force."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from telework.assignments import services as work_services
from telework.core.exceptions import ValidationFailed
from telework.core.models import AuditEvent, Notification
from telework.organization import delegations
from telework.organization.tests.factories import StaffFactory
from telework.registrations import selectors, services
from telework.registrations.models import Registration, RegistrationDay, RegistrationStatus
from telework.rosters.models import EntryStatus, Leave, LeaveKind, Roster, RosterEntry, RosterStatus

pytestmark = pytest.mark.django_db

D = dt.date
MONDAY = D(2026, 12, 7)  # no holiday that week; the suite's clock stands on Wednesday 18/11/2026
EQUIPMENT = ["computer", "internet", "phone", "printer"]


def submit(staff, monday=MONDAY, weekdays=(0,), weeks=1):
    return services.registration_submit(
        staff=staff,
        actor=staff.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=7 * weeks - 3),
        weekdays=list(weekdays),
        equipment_attested=EQUIPMENT,
        commitment_accepted=True,
    )


@pytest.fixture
def deputy(city):
    return StaffFactory(unit=city.unit, position=city.staff[0].position, is_leader=True, is_deputy=True, direct_superior=city.head, full_name="Phạm Văn Phó")


def delegate(city, deputy, starts_on, ends_on):
    return delegations.delegation_create(head=city.head_user, deputy=deputy.user, starts_on=starts_on, ends_on=ends_on, actor=city.head_user)


# --- several at once -----------------------------------------------------------------------------------------------


def test_approving_several_decides_each_on_its_own_and_a_refused_one_undoes_nothing(city):
    # Ten staff, at most 30 % at home: three may be at home on Monday 7/12; the fourth request is refused by the cap.
    registrations = [submit(member) for member in city.staff[:4]]
    outcomes = services.registrations_decide_many(registrations=reversed(registrations), actor=city.head_user, action="approve", comment="Đồng ý")
    assert [(outcome.registration.pk, outcome.is_done) for outcome in outcomes] == [
        (registrations[0].pk, True),
        (registrations[1].pk, True),
        (registrations[2].pk, True),
        (registrations[3].pk, False),
    ]
    assert outcomes[3].refusal.rule == "max_home_share"
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert [statuses[registration.pk] for registration in registrations] == [RegistrationStatus.APPROVED] * 3 + [RegistrationStatus.SUBMITTED]
    assert RegistrationDay.objects.filter(day=MONDAY, is_counted=True).count() == 3
    approvals = AuditEvent.objects.filter(action="registration.approve")
    assert sorted(approvals.values_list("object_id", flat=True)) == sorted(str(registration.pk) for registration in registrations[:3])
    assert set(approvals.values_list("reason", flat=True)) == {"Đồng ý"}


def test_rejecting_several_needs_one_reason_and_without_it_nothing_changes(city):
    registrations = [submit(member) for member in city.staff[:2]]
    with pytest.raises(ValidationFailed) as refused:
        services.registrations_decide_many(registrations=registrations, actor=city.head_user, action="reject", comment=" ")
    assert refused.value.rule == "reason"
    assert set(Registration.objects.values_list("status", flat=True)) == {RegistrationStatus.SUBMITTED}
    outcomes = services.registrations_decide_many(registrations=registrations, actor=city.head_user, action="reject", comment="Tuần này họp giao ban")
    assert all(outcome.is_done for outcome in outcomes)
    assert set(Registration.objects.values_list("status", "decision_comment")) == {(RegistrationStatus.REJECTED, "Tuần này họp giao ban")}


def test_the_bulk_page_says_which_were_approved_and_which_rule_refused_the_others(client, city):
    registrations = [submit(member) for member in city.staff[:4]]
    already = submit(city.staff[5], weekdays=(2,))
    services.registration_approve(registration=already, actor=city.head_user)  # decided meanwhile: no longer waiting
    client.force_login(city.head_user)
    response = client.post(
        reverse("registrations:inbox_decide"),
        {"action": "approve", "registration": [registration.pk for registration in registrations] + [already.pk], "comment": ""},
    )
    assert response.status_code == 200
    assert [result["registration"].pk for result in response.context["done"]] == [registration.pk for registration in registrations[:3]]
    assert [result["registration"].pk for result in response.context["refused"]] == [registrations[3].pk]
    assert response.context["gone"] == 1
    content = response.content.decode()
    assert "Đã duyệt 3 đơn" in content
    assert "1 đơn không được duyệt" in content
    assert 'data-rule="max_home_share"' in content
    assert "Tỷ lệ tối đa của đơn vị làm việc tại nhà trong ngày" in content  # the rule by its name, not its key
    assert "đơn bị từ chối không làm hủy các đơn khác" in content
    assert AuditEvent.objects.filter(action="registration.approve", object_id=str(already.pk)).count() == 1


def test_the_bulk_page_refuses_a_rejection_without_a_reason_and_decides_nothing(client, city):
    registrations = [submit(member) for member in city.staff[:2]]
    client.force_login(city.head_user)
    response = client.post(reverse("registrations:inbox_decide"), {"action": "reject", "registration": [r.pk for r in registrations], "comment": ""})
    assert response.status_code == 422
    content = response.content.decode()
    assert "Hãy nêu lý do từ chối." in content
    assert 'data-rule="reason"' in content
    assert set(Registration.objects.values_list("status", flat=True)) == {RegistrationStatus.SUBMITTED}


def test_the_inbox_offers_a_tick_per_request_and_the_bulk_buttons(client, city):
    registrations = [submit(member) for member in city.staff[:2]]
    client.force_login(city.head_user)
    content = client.get(reverse("registrations:inbox")).content.decode()
    for registration in registrations:
        assert f'name="registration" value="{registration.pk}" form="bulk-decide"' in content
    assert "Duyệt các đơn đã chọn" in content
    assert "Từ chối các đơn đã chọn" in content


def test_a_colleague_cannot_decide_several_at_once(client, city):
    registration = submit(city.staff[0])
    client.force_login(city.staff[1].user)
    response = client.post(reverse("registrations:inbox_decide"), {"action": "approve", "registration": [registration.pk]})
    assert response.status_code == 403
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.SUBMITTED


# --- workload ------------------------------------------------------------------------------------------------------


def test_each_request_shows_the_requesters_open_work_what_falls_due_and_other_plans_on_the_days_asked(client, city):
    member = city.staff[0]
    for title, hours, starts_on, due_on in (
        ("Báo cáo tháng", 6, MONDAY, MONDAY),  # due on the day asked
        ("Tổng hợp số liệu", 4, MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=9)),  # open, later
    ):
        work_services.work_item_assign(
            actor=city.head_user, staff=member, title=title, estimated_hours=hours, starts_on=starts_on, due_on=due_on, today=D(2026, 11, 18)
        )
    Leave.objects.create(staff=member, starts_on=MONDAY + dt.timedelta(days=3), ends_on=MONDAY + dt.timedelta(days=3), kind=LeaveKind.ANNUAL)
    second_week = MONDAY + dt.timedelta(days=7)
    roster = Roster.objects.create(unit=city.unit, week_start=second_week, iso_week="2026-W51", version=1, status=RosterStatus.PUBLISHED, days=[])
    RosterEntry.objects.create(roster=roster, staff=member, day=second_week, status=EntryStatus.DESK, service_point=city.desk)
    registration = submit(member, weekdays=(0, 3), weeks=2)  # Mondays and Thursdays: 7, 10, 14 and 17/12

    workload = selectors.requester_workloads([Registration.objects.prefetch_related("days").get(pk=registration.pk)])[registration.pk]
    assert workload.open_items == 2
    assert workload.due_on_days == [(MONDAY, 1)]
    # 6 hours due on Monday 7/12, and the second item's 4 hours spread over 14–16/12: 4/3 on Monday 14/12.
    assert (workload.load.planned_hours, workload.load.norm_hours) == (7.3, 32.0)
    assert [(day, plan.label, plan.is_conflict) for day, plan in workload.plans] == [
        (MONDAY + dt.timedelta(days=3), "Nghỉ phép năm", True),
        (second_week, "Trực: Bàn tiếp nhận hồ sơ", True),
    ]
    client.force_login(city.head_user)
    content = client.get(reverse("registrations:inbox")).content.decode()
    assert "2 việc đang mở" in content
    assert "1 việc đến hạn 07/12" in content
    assert "việc đã lên kế hoạch trong các ngày này: 7.3/32 giờ" in content
    assert "Trực: Bàn tiếp nhận hồ sơ 14/12" in content
    assert "Nghỉ phép năm 10/12" in content


def test_the_inbox_with_workloads_costs_the_same_queries_for_two_requests_or_ten(client, city, django_assert_num_queries):
    def load(member):
        work_services.work_item_assign(
            actor=city.head_user, staff=member, title="Việc", estimated_hours=8, starts_on=MONDAY, due_on=MONDAY, today=D(2026, 11, 18)
        )
        Leave.objects.create(staff=member, starts_on=MONDAY + dt.timedelta(days=2), ends_on=MONDAY + dt.timedelta(days=2), kind=LeaveKind.SICK)

    client.force_login(city.head_user)
    for member in city.staff[:2]:
        load(member)
        submit(member, weekdays=(0, 3))
    client.get(reverse("registrations:inbox"))
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("registrations:inbox")).status_code == 200
    newcomers = [StaffFactory(unit=city.unit, position=city.staff[0].position, direct_superior=city.head, full_name=f"Thêm {i}") for i in range(2)]
    for index, member in enumerate(city.staff[2:8] + newcomers):
        load(member)
        submit(member, monday=MONDAY + dt.timedelta(days=7 * (index % 2)), weekdays=(1, 4))
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("registrations:inbox"))
    assert len(response.context["rows"]) == 10


# --- a deputy in the head's name -----------------------------------------------------------------------------------


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_the_deputy_decides_in_the_heads_name_and_the_decision_and_audit_record_both(client, city, deputy):
    registration = submit(city.staff[0])
    delegate(city, deputy, D(2026, 11, 24), D(2026, 11, 27))
    services.registration_approve(registration=registration, actor=deputy.user, comment="Thay trưởng phòng")
    registration.refresh_from_db()
    assert (registration.status, registration.decided_by, registration.decided_on_behalf_of) == (RegistrationStatus.APPROVED, deputy.user, city.head_user)
    event = AuditEvent.objects.get(action="registration.approve", object_id=str(registration.pk))
    assert event.actor == deputy.user
    assert event.after["on_behalf_of"] == "Trần Thị Trưởng"
    assert "on_behalf_of" not in event.before
    client.force_login(city.staff[0].user)
    assert (
        'Phạm Văn Phó <span class="text-muted" data-on-behalf-of>(thay mặt Trần Thị Trưởng)</span>'
        in client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    )


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_the_head_deciding_themselves_records_nobody_acted_for(city, deputy):
    registration = submit(city.staff[0])
    delegate(city, deputy, D(2026, 11, 24), D(2026, 11, 27))
    services.registration_approve(registration=registration, actor=city.head_user)
    registration.refresh_from_db()
    assert registration.decided_on_behalf_of is None
    assert "on_behalf_of" not in AuditEvent.objects.get(action="registration.approve").after


def test_the_deputys_inbox_holds_the_heads_requests_only_while_the_delegation_is_in_force(client, city, deputy, clock):
    registration = submit(city.staff[0])
    delegation = delegate(city, deputy, D(2026, 11, 23), D(2026, 11, 27))
    client.force_login(deputy.user)
    assert client.get(reverse("registrations:inbox")).status_code == 403  # Wednesday 18/11: not yet
    clock.move_to(dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC))
    response = client.get(reverse("registrations:inbox"))
    assert [row["registration"].pk for row in response.context["rows"]] == [registration.pk]
    content = response.content.decode()
    assert "thay mặt Trần Thị Trưởng" in content
    assert 'data-delegation="acting-for" data-state="in_force"' in content
    delegations.delegation_cancel(delegation=delegation, actor=city.head_user)
    assert client.get(reverse("registrations:inbox")).status_code == 403
    assert client.get(reverse("registrations:detail", args=[registration.pk])).status_code == 404


def test_the_heads_inbox_says_who_acts_for_them(client, city, deputy):
    delegate(city, deputy, D(2026, 11, 23), D(2026, 11, 27))
    client.force_login(city.head_user)
    content = client.get(reverse("registrations:inbox")).content.decode()
    assert 'data-delegation="delegated-to" data-state="scheduled"' in content
    assert "Phạm Văn Phó thay mặt bạn từ 23/11/2026 đến 27/11/2026." in content
    assert 'id="delegate-link"' in content


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_a_submission_notifies_the_head_and_the_deputy_in_force(city, deputy, django_capture_on_commit_callbacks):
    delegate(city, deputy, D(2026, 11, 24), D(2026, 11, 27))
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(city.staff[0])
    key = f"registration:{registration.pk}:submitted:{registration.submitted_at}"
    assert sorted(Notification.objects.filter(key=key).values_list("user__username", flat=True)) == sorted([city.head.code, deputy.code])


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_the_api_names_the_head_a_deputy_decided_for(client, city, deputy):
    registration = submit(city.staff[0])
    delegate(city, deputy, D(2026, 11, 24), D(2026, 11, 27))
    client.force_login(deputy.user)
    assert [item["id"] for item in client.get("/api/approvals/inbox").json()] == [registration.pk]
    approved = client.post(f"/api/registrations/{registration.pk}/approve", {}, content_type="application/json").json()
    assert (approved["status"], approved["decided_by"], approved["decided_on_behalf_of"]) == ("approved", str(deputy.user), str(city.head_user))
