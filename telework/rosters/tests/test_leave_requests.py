"""Leave asked for by a staff member and decided by their head: the request's rules (dates, working days, overlaps),
who decides, the declared moves, the roster following an approval exactly as when a head records leave (published
roster included), notifications both ways, and nothing changed on every refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from telework.accounts.models import Role
from telework.attendance import selectors as attendance_selectors
from telework.core.exceptions import InvalidTransition, NotPermitted, ValidationFailed
from telework.core.models import AuditEvent, Notification
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.rosters import selectors
from telework.rosters.models import EntryStatus, Leave, LeaveKind, LeaveRequest, LeaveRequestStatus, RosterEntry
from telework.rosters.services import (
    leave_record,
    leave_request_approve,
    leave_request_reject,
    leave_request_submit,
    leave_request_submit_check,
    leave_request_withdraw,
    roster_generate,
    roster_publish,
)

pytestmark = pytest.mark.django_db

# ISO week 2026-W50: Monday 7 to Friday 11 December 2026, no public holiday. The suite's clock is 18/11/2026.
MONDAY = dt.date(2026, 12, 7)
FRIDAY = MONDAY + dt.timedelta(days=4)
NEW_YEAR = dt.date(2027, 1, 1)  # a Friday and a public holiday


def day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def snapshot():
    """Everything a refused request or decision must leave as it was."""
    return (
        list(LeaveRequest.objects.order_by("pk").values()),
        list(Leave.objects.order_by("pk").values()),
        sorted(RosterEntry.objects.values_list("pk", "status")),
        Notification.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def asked(city, django_capture_on_commit_callbacks):
    """staff[0] asks for annual leave on Tuesday and Wednesday of the week."""
    with django_capture_on_commit_callbacks(execute=True):
        return leave_request_submit(actor=city.staff[0].user, starts_on=day(1), ends_on=day(2), kind=LeaveKind.ANNUAL, note="Việc gia đình")


def test_a_staff_member_asks_for_leave_and_their_head_is_told(city, asked):
    assert (asked.staff, asked.starts_on, asked.ends_on, asked.kind, asked.note, asked.status) == (
        city.staff[0],
        day(1),
        day(2),
        "annual",
        "Việc gia đình",
        LeaveRequestStatus.REQUESTED,
    )
    assert asked.working_days == 2
    assert asked.leave is None
    assert not Leave.objects.exists()  # a request waiting is no leave
    notification = Notification.objects.get()
    assert notification.user == city.head.user
    assert notification.title == f"{city.staff[0].full_name} xin Nghỉ phép năm từ 08/12/2026 đến 09/12/2026 (2 ngày làm việc)"
    assert notification.body == "Việc gia đình"
    assert notification.url == f"/rosters/leave/?unit={city.unit.pk}"
    event = AuditEvent.objects.get(action="leave_request.submit")
    assert (event.actor, event.object_id, event.reason) == (city.staff[0].user, str(asked.pk), "Việc gia đình")


def test_working_days_leave_out_weekends_and_public_holidays(city):
    request = leave_request_submit(actor=city.staff[1].user, starts_on=dt.date(2026, 12, 31), ends_on=dt.date(2027, 1, 4), kind=LeaveKind.ANNUAL)
    # Thursday 31/12 and Monday 4/1 count; New Year's Day and the weekend do not.
    assert request.working_days == 2


def test_a_waiting_request_does_not_count_as_leave_anywhere(city, asked):
    assert attendance_selectors.leave_days([city.staff[0].pk], day(1), day(2)) == {}
    assert list(selectors.leave_list(viewer=city.head.user, unit=city.unit, starts_on=MONDAY, ends_on=FRIDAY)) == []


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "kind", "rule"),
    [
        pytest.param(day(2), day(1), LeaveKind.ANNUAL, "ends_on", id="ends before it starts"),
        pytest.param(day(1), day(1), "holiday", "kind", id="unknown kind"),
        pytest.param(day(5), day(6), LeaveKind.ANNUAL, "ends_on", id="a weekend only"),
        pytest.param(NEW_YEAR, NEW_YEAR, LeaveKind.ANNUAL, "ends_on", id="a public holiday only"),
        pytest.param(day(0), day(0) + dt.timedelta(days=400), LeaveKind.ANNUAL, "ends_on", id="more than a year"),
    ],
)
def test_a_malformed_request_is_refused_and_nothing_is_written(city, starts_on, ends_on, kind, rule):
    before = snapshot()
    with pytest.raises(ValidationFailed) as refusal:
        leave_request_submit(actor=city.staff[0].user, starts_on=starts_on, ends_on=ends_on, kind=kind)
    assert refusal.value.rule == rule
    assert snapshot() == before


def test_a_request_overlapping_leave_in_force_is_refused_with_its_dates(city):
    leave_record(staff=city.staff[0], starts_on=day(2), ends_on=day(3), kind=LeaveKind.SICK, actor=city.head.user)
    before = snapshot()
    with pytest.raises(ValidationFailed) as refusal:
        leave_request_submit(actor=city.staff[0].user, starts_on=day(0), ends_on=day(2), kind=LeaveKind.ANNUAL)
    assert str(refusal.value.message) == f"{city.staff[0].full_name} đã có nghỉ phép từ 09/12/2026 đến 10/12/2026."
    assert refusal.value.params == {"starts_on": "2026-12-09", "ends_on": "2026-12-10"}
    assert snapshot() == before


def test_a_request_overlapping_one_still_waiting_is_refused(city, asked):
    before = snapshot()
    with pytest.raises(ValidationFailed) as refusal:
        leave_request_submit(actor=city.staff[0].user, starts_on=day(2), ends_on=day(4), kind=LeaveKind.ANNUAL)
    assert str(refusal.value.message) == ("Bạn đã xin nghỉ từ 08/12/2026 đến 09/12/2026 và lãnh đạo chưa quyết định; hãy rút đơn đó nếu muốn thay đổi.")
    assert snapshot() == before
    assert not leave_request_submit_check(actor=city.staff[0].user, starts_on=day(2), ends_on=day(4), kind=LeaveKind.ANNUAL)
    assert leave_request_submit_check(actor=city.staff[0].user, starts_on=day(3), ends_on=day(4), kind=LeaveKind.ANNUAL)


def test_an_account_without_a_staff_record_cannot_ask(city):
    with pytest.raises(NotPermitted):
        leave_request_submit(actor=city.home_affairs, starts_on=day(1), ends_on=day(1), kind=LeaveKind.ANNUAL)
    assert not LeaveRequest.objects.exists()


def test_approval_records_the_leave_and_the_published_roster_follows(city, asked, django_capture_on_commit_callbacks):
    roster = roster_generate(unit=city.unit, week_start=MONDAY, actor=city.head.user)
    roster_publish(roster=roster, actor=city.head.user)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        approved = leave_request_approve(request=asked, actor=city.head.user, comment="Đồng ý")
    approved.refresh_from_db()
    assert (approved.status, approved.decided_by, approved.decision_comment) == (LeaveRequestStatus.APPROVED, city.head.user, "Đồng ý")
    leave = approved.leave
    assert (leave.staff, leave.starts_on, leave.ends_on, leave.kind, leave.note, leave.recorded_by, leave.cancelled_at) == (
        city.staff[0],
        day(1),
        day(2),
        "annual",
        "Việc gia đình",
        city.head.user,
        None,
    )
    # The published roster of the week shows those days as leave, as when a head records leave.
    roster.refresh_from_db()
    assert roster.is_published
    statuses = dict(RosterEntry.objects.filter(roster=roster, staff=city.staff[0]).values_list("day", "status"))
    assert (statuses[day(1)], statuses[day(2)]) == (EntryStatus.LEAVE, EntryStatus.LEAVE)
    assert EntryStatus.LEAVE not in (statuses[day(0)], statuses[day(3)], statuses[day(4)])
    # Attendance expects no check-in on those days.
    assert attendance_selectors.leave_days([city.staff[0].pk], MONDAY, FRIDAY) == {city.staff[0].pk: {day(1): "annual", day(2): "annual"}}
    recorded = AuditEvent.objects.get(action="leave.record")
    assert (recorded.object_id, recorded.after["roster_cells_changed"], recorded.reason) == (str(leave.pk), 2, "Lãnh đạo đã duyệt đơn xin nghỉ.")
    decided = AuditEvent.objects.get(action="leave_request.approve")
    assert (decided.before["status"], decided.after["status"], decided.reason) == ("requested", "approved", "Đồng ý")
    notification = Notification.objects.get()
    assert notification.user == city.staff[0].user
    assert notification.title == "Đơn Nghỉ phép năm của bạn từ 08/12/2026 đến 09/12/2026 đã được duyệt"
    assert notification.body == "Đồng ý"
    assert notification.url == "/rosters/leave/mine/"


def test_approval_is_refused_when_leave_recorded_since_overlaps_and_nothing_changes(city, asked):
    leave_record(staff=city.staff[0], starts_on=day(2), ends_on=day(2), kind=LeaveKind.SICK, actor=city.hr)
    before = snapshot()
    with pytest.raises(ValidationFailed) as refusal:
        leave_request_approve(request=asked, actor=city.head.user)
    assert refusal.value.rule == "starts_on"
    assert snapshot() == before


def test_a_head_rejects_with_a_comment_and_the_person_is_told(city, asked, django_capture_on_commit_callbacks):
    before = snapshot()
    with pytest.raises(ValidationFailed) as refusal:
        leave_request_reject(request=asked, actor=city.head.user, comment="  ")
    assert refusal.value.rule == "comment"
    assert snapshot() == before
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        leave_request_reject(request=asked, actor=city.head.user, comment="Tuần này đơn vị có đợt kiểm tra")
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by, asked.decision_comment, asked.leave) == (
        LeaveRequestStatus.REJECTED,
        city.head.user,
        "Tuần này đơn vị có đợt kiểm tra",
        None,
    )
    assert not Leave.objects.exists()
    notification = Notification.objects.get()
    assert (notification.user, notification.title, notification.body) == (
        city.staff[0].user,
        "Đơn Nghỉ phép năm của bạn từ 08/12/2026 đến 09/12/2026 bị từ chối",
        "Tuần này đơn vị có đợt kiểm tra",
    )


def test_the_person_withdraws_a_waiting_request(city, asked):
    leave_request_withdraw(request=asked, actor=city.staff[0].user)
    asked.refresh_from_db()
    assert asked.status == LeaveRequestStatus.WITHDRAWN
    # The days are free to ask for again.
    leave_request_submit(actor=city.staff[0].user, starts_on=day(1), ends_on=day(1), kind=LeaveKind.SICK)


@pytest.mark.parametrize("action", ["approve", "reject", "withdraw"])
def test_a_decided_request_cannot_be_decided_again(city, asked, action):
    leave_request_reject(request=asked, actor=city.head.user, comment="Không")
    before = snapshot()
    with pytest.raises(InvalidTransition) as refusal:
        {
            "approve": lambda: leave_request_approve(request=asked, actor=city.head.user),
            "reject": lambda: leave_request_reject(request=asked, actor=city.head.user, comment="Không"),
            "withdraw": lambda: leave_request_withdraw(request=asked, actor=city.staff[0].user),
        }[action]()
    assert refusal.value.rule == "leave_request.status"
    assert snapshot() == before


def test_who_decides(city, asked):
    other_head = StaffFactory(unit=UnitFactory(agency=city.agency), is_leader=True, user__role=Role.UNIT_HEAD)
    assert selectors.can_decide_leave(city.head.user, city.staff[0])  # the direct superior
    assert selectors.can_decide_leave(city.hr, city.staff[0])  # the agency's HR office records leave
    assert not selectors.can_decide_leave(city.staff[0].user, city.staff[0])  # never one's own
    assert not selectors.can_decide_leave(city.staff[1].user, city.staff[0])
    assert not selectors.can_decide_leave(other_head.user, city.staff[0])
    assert not selectors.can_decide_leave(city.outsider.user, city.staff[0])
    assert selectors.leave_requests_waiting(viewer=city.head.user) == [asked]
    assert selectors.leave_requests_waiting(viewer=city.head.user, unit=other_head.unit) == []
    assert selectors.leave_requests_waiting(viewer=city.staff[1].user) == []


@pytest.mark.parametrize("who", ["person", "colleague", "other head", "outsider"])
def test_someone_who_does_not_answer_for_the_person_cannot_decide(city, asked, who):
    actor = {
        "person": city.staff[0].user,
        "colleague": city.staff[1].user,
        "other head": StaffFactory(unit=UnitFactory(agency=city.agency), is_leader=True, user__role=Role.UNIT_HEAD).user,
        "outsider": city.outsider.user,
    }[who]
    before = snapshot()
    with pytest.raises(NotPermitted):
        leave_request_approve(request=asked, actor=actor)
    with pytest.raises(NotPermitted):
        leave_request_reject(request=asked, actor=actor, comment="Không")
    assert snapshot() == before


def test_only_the_person_withdraws(city, asked):
    with pytest.raises(NotPermitted):
        leave_request_withdraw(request=asked, actor=city.head.user)
    asked.refresh_from_db()
    assert asked.status == LeaveRequestStatus.REQUESTED


def test_the_database_refuses_a_request_ending_before_it_starts(city):
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaveRequest.objects.create(staff=city.staff[0], starts_on=day(2), ends_on=day(1))


def test_a_direct_superior_without_a_heads_role_decides_from_their_own_page(city):
    deputy = city.staff[5]  # a staff account, named as the person's direct superior
    member = city.staff[4]
    member.direct_superior = deputy
    member.save()
    request = leave_request_submit(actor=member.user, starts_on=day(3), ends_on=day(3), kind=LeaveKind.ANNUAL)
    assert selectors.leave_requests_waiting(viewer=deputy.user) == [request]
    leave_request_approve(request=request, actor=deputy.user)
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (LeaveRequestStatus.APPROVED, deputy.user)


def test_while_a_newer_draft_is_prepared_the_published_roster_staff_read_follows_too(city, asked):
    from telework.attendance.tests.builders import publish_roster

    published = publish_roster(city.unit, MONDAY, {}, version=1)
    draft = publish_roster(city.unit, MONDAY, {}, version=2, published=False)
    published.refresh_from_db()
    assert (published.is_current, draft.is_current) == (False, True)
    leave_request_approve(request=asked, actor=city.head.user)

    def statuses(roster):
        return dict(RosterEntry.objects.filter(roster=roster, staff=city.staff[0]).values_list("day", "status"))

    for roster in (published, draft):
        assert [statuses(roster)[day(offset)] for offset in range(5)] == ["office", "leave", "leave", "office", "office"]
    marked = AuditEvent.objects.get(action="roster.leave_marked")
    assert (marked.object_id, marked.after, marked.reason) == (
        str(published.pk),
        {"staff": city.staff[0].code, "days": ["2026-12-08", "2026-12-09"], "status": "leave"},
        f"Đã ghi nhận nghỉ phép cho {city.staff[0].full_name}.",
    )
    assert AuditEvent.objects.get(action="leave.record").after["roster_cells_changed"] == 4

    # Cancelling the leave takes the days out of both versions again.
    from telework.rosters.services import leave_cancel

    asked.refresh_from_db()
    leave_cancel(leave=asked.leave, actor=city.head.user)
    for roster in (published, draft):
        assert set(statuses(roster).values()) == {"office"}
    assert AuditEvent.objects.get(action="roster.leave_unmarked").after["days"] == ["2026-12-08", "2026-12-09"]


def test_an_older_published_version_is_left_as_it_was_once_a_newer_one_is_published(city, asked):
    from telework.attendance.tests.builders import publish_roster

    older = publish_roster(city.unit, MONDAY, {}, version=1)
    newer = publish_roster(city.unit, MONDAY, {}, version=2)
    leave_request_approve(request=asked, actor=city.head.user)
    assert set(RosterEntry.objects.filter(roster=older, staff=city.staff[0]).values_list("status", flat=True)) == {"office"}
    assert RosterEntry.objects.filter(roster=newer, staff=city.staff[0], status="leave").count() == 2
    assert not AuditEvent.objects.filter(action="roster.leave_marked").exists()
