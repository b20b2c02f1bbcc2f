"""The work flow through the services: assign → progress → submit → return (reason) → progress → submit → accept
(rating); proposals; every invalid move refused with nothing changed; bad input; attachments by content; apology
slips; notifications and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from telework.accounts.models import Role
from telework.assignments import services
from telework.assignments.models import TRANSITIONS, ApologySlip, Attachment, ProgressUpdate, WorkItem, WorkStatus
from telework.assignments.tests.helpers import EXECUTABLE, JPEG, PDF, PNG, SCRIPT, assign, office_file, plain_zip
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.models import AuditEvent, Notification
from telework.organization.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def state(item: WorkItem) -> tuple:
    """Everything a refused action must leave as it was."""
    item.refresh_from_db()
    return (
        item.status,
        item.progress_percent,
        item.hours_spent,
        item.due_on,
        item.quality_rating,
        item.decision_comment,
        item.updates.count(),
        item.attachments.count(),
        item.comments.count(),
        item.apology_slips.count(),
        AuditEvent.objects.count(),
    )


def test_the_whole_flow_assign_progress_submit_return_resubmit_accept(city, django_capture_on_commit_callbacks):
    member, head = city.staff[0], city.head_user
    with django_capture_on_commit_callbacks(execute=True):
        item = assign(city, estimated_hours=12)
    assert (item.status, item.assigned_by, item.unit) == (WorkStatus.ASSIGNED, head, city.unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_record(item=item, actor=member.user, progress_percent=40, hours_spent="3.5", note="Đã thu thập số liệu")
        services.work_item_submit(item=WorkItem.objects.get(pk=item.pk), actor=member.user)
    item.refresh_from_db()
    assert (item.status, item.progress_percent, item.hours_spent) == (WorkStatus.SUBMITTED, 100, Decimal("3.5"))
    with django_capture_on_commit_callbacks(execute=True):
        services.work_item_return(item=item, actor=head, reason="Thiếu số liệu phòng Tài chính")
    item.refresh_from_db()
    assert (item.status, item.decision_comment) == (WorkStatus.RETURNED, "Thiếu số liệu phòng Tài chính")
    services.progress_record(item=item, actor=member.user, progress_percent=90, hours_spent=2, note="Bổ sung")
    item.refresh_from_db()
    assert item.status == WorkStatus.IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=True):
        services.work_item_submit(item=item, actor=member.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.work_item_accept(item=item, actor=head, rating=4, comment="Tốt")
    item.refresh_from_db()
    assert (item.status, item.quality_rating, item.rating_comment, item.hours_spent) == (WorkStatus.ACCEPTED, 4, "Tốt", Decimal("5.5"))
    actions = list(AuditEvent.objects.filter(object_type="assignments.workitem", object_id=str(item.pk)).order_by("id").values_list("action", flat=True))
    assert actions == [
        "work_item.assign",
        "work_item.progress",
        "work_item.submit",
        "work_item.return",
        "work_item.progress",
        "work_item.submit",
        "work_item.accept",
    ]
    titles = list(Notification.objects.filter(user=member.user).order_by("id").values_list("title", flat=True))
    assert len(titles) == 3  # assigned, returned, accepted
    assert Notification.objects.filter(user=head, key__contains=":submitted:").count() == 2  # each submission once


def test_every_transition_not_in_the_table_is_refused_with_nothing_changed(city):
    member, head = city.staff[0], city.head_user
    actions = {
        "start": lambda item: services.work_item_start(item=item, actor=member.user),
        "submit": lambda item: services.work_item_submit(item=item, actor=member.user),
        "accept": lambda item: services.work_item_accept(item=item, actor=head, rating=3),
        "return": lambda item: services.work_item_return(item=item, actor=head, reason="x"),
        "cancel": lambda item: services.work_item_cancel(item=item, actor=head, reason="x"),
        "accept_proposal": lambda item: services.work_item_accept_proposal(item=item, actor=head),
        "decline_proposal": lambda item: services.work_item_decline_proposal(item=item, actor=head, reason="x"),
    }
    assert set(actions) == set(TRANSITIONS)
    refused = 0
    for status in WorkStatus.values:
        for action, perform in actions.items():
            sources, _target = TRANSITIONS[action]
            if status in sources:
                continue
            item = assign(city)
            WorkItem.objects.filter(pk=item.pk).update(status=status)
            before = state(item)
            with pytest.raises(InvalidTransition) as error:
                perform(item)
            assert error.value.rule == "work_item.status"
            assert error.value.params == {"status": status, "action": action}
            assert state(item) == before
            refused += 1
    assert refused == 8 * 7 - sum(len(sources) for sources, _target in TRANSITIONS.values())


@pytest.mark.parametrize("status", [WorkStatus.SUBMITTED, WorkStatus.ACCEPTED, WorkStatus.CANCELLED, WorkStatus.PROPOSED, WorkStatus.DECLINED])
def test_progress_refused_once_the_work_is_out_of_the_staff_members_hands(city, status):
    item = assign(city)
    WorkItem.objects.filter(pk=item.pk).update(status=status)
    before = state(item)
    with pytest.raises(InvalidTransition):
        services.progress_record(item=item, actor=city.staff[0].user, progress_percent=50)
    assert state(item) == before


def test_proposal_accepted_becomes_assigned_work(city, django_capture_on_commit_callbacks):
    member = city.staff[1]
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        item = services.work_item_propose(
            actor=member.user, title="Số hoá hồ sơ lưu trữ", estimated_hours=8, starts_on=today, due_on=today + dt.timedelta(days=10)
        )
    assert (item.status, item.staff, item.assigned_by) == (WorkStatus.PROPOSED, member, None)
    assert Notification.objects.filter(user=city.head_user, key__contains=":proposed:").count() == 1
    services.work_item_accept_proposal(item=item, actor=city.head_user, comment="Đồng ý")
    item.refresh_from_db()
    assert (item.status, item.assigned_by) == (WorkStatus.ASSIGNED, city.head_user)


def test_declining_a_proposal_needs_a_reason(city):
    today = timezone.localdate()
    item = services.work_item_propose(actor=city.staff[1].user, title="Đề xuất", estimated_hours=4, due_on=today + dt.timedelta(days=5))
    before = state(item)
    with pytest.raises(ValidationFailed) as error:
        services.work_item_decline_proposal(item=item, actor=city.head_user, reason="  ")
    assert error.value.rule == "reason"
    assert state(item) == before
    services.work_item_decline_proposal(item=item, actor=city.head_user, reason="Không thuộc nhiệm vụ của phòng")
    item.refresh_from_db()
    assert (item.status, item.decision_comment) == (WorkStatus.DECLINED, "Không thuộc nhiệm vụ của phòng")


def test_return_needs_a_reason_and_changes_nothing_without_one(city):
    item = assign(city)
    services.progress_record(item=item, actor=city.staff[0].user, progress_percent=100)
    services.work_item_submit(item=item, actor=city.staff[0].user)
    before = state(item)
    with pytest.raises(ValidationFailed) as error:
        services.work_item_return(item=item, actor=city.head_user, reason="")
    assert error.value.rule == "reason"
    assert state(item) == before


@pytest.mark.parametrize("rating", [0, 6, None, "4", True])
def test_acceptance_needs_a_rating_from_1_to_5(city, rating):
    item = assign(city)
    services.progress_record(item=item, actor=city.staff[0].user, progress_percent=100)
    services.work_item_submit(item=item, actor=city.staff[0].user)
    before = state(item)
    with pytest.raises(ValidationFailed) as error:
        services.work_item_accept(item=item, actor=city.head_user, rating=rating)
    assert error.value.rule == "quality_rating"
    assert state(item) == before


def test_cancel_by_the_head_with_a_reason_closes_the_alerts(city):
    item = assign(city)
    services.work_item_cancel(item=item, actor=city.head_user, reason="Không còn cần thiết")
    item.refresh_from_db()
    assert (item.status, item.decision_comment) == (WorkStatus.CANCELLED, "Không còn cần thiết")


# --------------------------------------------------------------------------------------------- who may act


def test_a_colleague_cannot_assign_work(city):
    with pytest.raises(NotPermitted):
        assign_as(city.staff[1].user, city, city.staff[0])
    assert not WorkItem.objects.exists()


def assign_as(actor, city, staff):
    today = timezone.localdate()
    return services.work_item_assign(actor=actor, staff=staff, title="X", estimated_hours=2, starts_on=today, due_on=today + dt.timedelta(days=3))


def test_nobody_assigns_work_to_themselves_or_outside_their_scope(city):
    with pytest.raises(NotPermitted):
        assign_as(city.head_user, city, city.head)
    with pytest.raises(NotPermitted):
        assign_as(city.head_user, city, city.outsider)
    with pytest.raises(NotPermitted):
        assign_as(city.leadership, city, city.staff[0])
    assert not WorkItem.objects.exists()


def test_an_agency_head_assigns_across_the_agency(city):
    office = StaffFactory(unit__agency=city.agency, is_leader=True, user__role=Role.AGENCY_HEAD, full_name="Giám đốc")
    item = assign_as(office.user, city, city.staff[3])
    assert item.assigned_by == office.user


def test_only_the_assignee_reports_progress_and_submits(city):
    item = assign(city)
    before = state(item)
    for actor in (city.staff[1].user, city.head_user, city.leadership, city.home_affairs):
        with pytest.raises(NotPermitted):
            services.progress_record(item=item, actor=actor, progress_percent=10)
    assert state(item) == before


def test_the_assignee_cannot_accept_their_own_work(city):
    item = assign(city)
    services.progress_record(item=item, actor=city.staff[0].user, progress_percent=100)
    services.work_item_submit(item=item, actor=city.staff[0].user)
    before = state(item)
    with pytest.raises(NotPermitted):
        services.work_item_accept(item=item, actor=city.staff[0].user, rating=5)
    with pytest.raises(NotPermitted):
        services.work_item_accept(item=item, actor=city.leadership, rating=5)
    assert state(item) == before


# --------------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"due_on": "start-1"}, "due_on"),
        ({"due_on": "today-1", "starts_on": "today-5"}, "due_on"),
        ({"estimated_hours": 0}, "estimated_hours"),
        ({"estimated_hours": -3}, "estimated_hours"),
        ({"estimated_hours": "nhiều"}, "estimated_hours"),
        ({"estimated_hours": 5000}, "estimated_hours"),
        ({"title": "   "}, "title"),
        ({"priority": "whenever"}, "priority"),
    ],
)
def test_impossible_terms_are_refused(city, changes, rule):
    today = timezone.localdate()
    start = today + dt.timedelta(days=3)
    resolved = {}
    for key, value in changes.items():
        if value == "start-1":
            value = start - dt.timedelta(days=1)
        elif isinstance(value, str) and value.startswith("today-"):
            value = today - dt.timedelta(days=int(value.split("-")[1]))
        resolved[key] = value
    terms = {"title": "Việc", "estimated_hours": 8, "starts_on": start, "due_on": start + dt.timedelta(days=7), **resolved}
    with pytest.raises(ValidationFailed) as error:
        services.work_item_assign(actor=city.head_user, staff=city.staff[0], today=today, **terms)
    assert error.value.rule == rule
    assert not WorkItem.objects.exists()


def test_a_span_without_working_day_is_refused(city):
    saturday = dt.date(2027, 1, 2)
    with pytest.raises(ValidationFailed) as error:
        services.work_item_assign(
            actor=city.head_user,
            staff=city.staff[0],
            title="Trực Tết",
            estimated_hours=8,
            starts_on=dt.date(2027, 2, 6),
            due_on=dt.date(2027, 2, 10),
            today=saturday,
        )
    assert error.value.rule == "due_on"
    assert "working day" in error.value.details[0]["message"] or "ngày làm việc" in error.value.details[0]["message"]


def test_every_problem_is_reported_at_once_one_per_field(city):
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as error:
        services.work_item_assign(
            actor=city.head_user, staff=city.staff[0], title="", estimated_hours=0, starts_on=today + dt.timedelta(days=5), due_on=today, today=today
        )
    assert [detail["rule"] for detail in error.value.details] == ["title", "estimated_hours", "due_on"]


@pytest.mark.parametrize(
    ("percent", "hours", "rule"), [(101, 0, "progress_percent"), (-1, 0, "progress_percent"), (50, 25, "hours_spent"), (50, -1, "hours_spent")]
)
def test_progress_out_of_range_is_refused(city, percent, hours, rule):
    item = assign(city)
    before = state(item)
    with pytest.raises(ValidationFailed) as error:
        services.progress_record(item=item, actor=city.staff[0].user, progress_percent=percent, hours_spent=hours)
    assert error.value.rule == rule
    assert state(item) == before


def test_hours_cannot_be_reported_for_tomorrow_or_beyond_a_day(city):
    member = city.staff[0]
    first, second = assign(city), assign(city, title="Việc thứ hai")
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as error:
        services.progress_record(item=first, actor=member.user, progress_percent=10, hours_spent=2, work_date=today + dt.timedelta(days=1))
    assert error.value.rule == "work_date"
    services.progress_record(item=first, actor=member.user, progress_percent=10, hours_spent=20)
    before = state(second)
    with pytest.raises(ValidationFailed) as error:
        services.progress_record(item=second, actor=member.user, progress_percent=10, hours_spent=5)
    assert error.value.rule == "hours_spent"
    assert state(second) == before


def test_an_update_that_says_nothing_is_refused(city):
    item = assign(city)
    before = state(item)
    with pytest.raises(ValidationFailed) as error:
        services.progress_record(item=item, actor=city.staff[0].user, progress_percent=0)
    assert error.value.rule == "note"
    assert state(item) == before


# --------------------------------------------------------------------------------------------- attachments


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("bao-cao.pdf", PDF, "pdf"),
        ("Báo cáo.docx", office_file("docx"), "docx"),
        ("so-lieu.xlsx", office_file("xlsx"), "xlsx"),
        ("anh.png", PNG, "png"),
        ("scan.JPG", JPEG, "jpg"),
        ("scan.jpeg", JPEG, "jpg"),
    ],
)
def test_allowed_files_are_attached_with_their_sniffed_type(city, name, content, kind):
    item = assign(city)
    update = services.progress_record(item=item, actor=city.staff[0].user, progress_percent=20, files=[services.UploadedFile(name=name, content=content)])
    attachment = Attachment.objects.get(progress_update=update)
    assert (attachment.filename, attachment.kind, attachment.size, bytes(attachment.content)) == (name, kind, len(content), content)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("hoa-don.pdf", EXECUTABLE, "content"),  # a program disguised with a .pdf name
        ("bao-cao.pdf", SCRIPT, "content"),
        ("bao-cao.pdf", PNG, "mismatch"),  # a real image, named .pdf
        ("so-lieu.xlsx", office_file("docx"), "mismatch"),
        ("tai-lieu.docx", plain_zip(), "content"),
        ("setup.exe", EXECUTABLE, "extension"),
        ("ghi-chu.txt", b"hello", "extension"),
        ("rong.pdf", b"", "empty"),
    ],
)
def test_disguised_or_wrong_files_are_refused_with_nothing_saved(city, name, content, code):
    item = assign(city)
    before = state(item)
    with pytest.raises(ValidationFailed) as error:
        services.progress_record(
            item=item, actor=city.staff[0].user, progress_percent=30, note="kèm tệp", files=[services.UploadedFile(name=name, content=content)]
        )
    assert error.value.rule == "attachment"
    assert name in str(error.value.message)
    assert state(item) == before
    assert code  # the sniffing result itself is tested in test_uploads


def test_an_oversized_file_is_refused(city):
    item = assign(city)
    big = PDF + b"0" * (10 * 1024 * 1024)
    before = state(item)
    with pytest.raises(ValidationFailed) as error:
        services.attachment_add(item=item, actor=city.staff[0].user, files=[services.UploadedFile(name="lon.pdf", content=big)])
    assert (error.value.rule, error.value.params["max_mb"]) == ("attachment", 10)
    assert state(item) == before


def test_files_cannot_be_added_to_closed_work(city):
    item = assign(city)
    services.work_item_cancel(item=item, actor=city.head_user, reason="Huỷ")
    with pytest.raises(InvalidTransition):
        services.attachment_add(item=item, actor=city.head_user, files=[services.UploadedFile(name="a.pdf", content=PDF)])


# --------------------------------------------------------------------------------------------- comments


def test_comments_reach_the_other_side(city, django_capture_on_commit_callbacks):
    item = assign(city)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(item=item, actor=city.staff[0].user, body="Cần thêm số liệu quý trước?")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(item=item, actor=city.head_user, body="Có, lấy từ báo cáo năm")
    assert Notification.objects.filter(user=city.head_user, key__startswith="work-comment:").count() == 1
    assert Notification.objects.filter(user=city.staff[0].user, key__startswith="work-comment:").count() == 1
    with pytest.raises(NotPermitted):
        services.comment_add(item=item, actor=city.staff[1].user, body="Tôi cũng muốn góp ý")
    assert item.comments.count() == 2


# --------------------------------------------------------------------------------------------- legal deadlines


def dossier(city, *, received_on, working_days, today, **terms):
    return services.work_item_assign(
        actor=city.head_user,
        staff=city.staff[2],
        title="Hồ sơ cấp phép",
        estimated_hours=6,
        is_legal_deadline=True,
        dossier_code="HS-2027-0001",
        dossier_received_on=received_on,
        legal_deadline_working_days=working_days,
        today=today,
        **terms,
    )


def test_a_dossier_is_due_by_its_legal_deadline_in_working_days_skipping_tet(city):
    item = dossier(city, received_on=dt.date(2027, 2, 2), working_days=3, today=dt.date(2027, 2, 2))
    # Received Tuesday 2/2/2027: Wed 3/2, then Tết until 10/2, then Thu 11 and Fri 12.
    assert (item.legal_due_on, item.due_on, item.starts_on) == (dt.date(2027, 2, 12), dt.date(2027, 2, 12), dt.date(2027, 2, 2))


def test_an_internal_deadline_after_the_legal_one_is_refused(city):
    with pytest.raises(ValidationFailed) as error:
        dossier(city, received_on=dt.date(2027, 2, 2), working_days=3, today=dt.date(2027, 2, 2), due_on=dt.date(2027, 2, 15))
    assert error.value.rule == "due_on"
    assert not WorkItem.objects.exists()


def test_a_dossier_needs_its_code_receipt_date_and_legal_days(city):
    today = dt.date(2027, 3, 1)
    with pytest.raises(ValidationFailed) as error:
        services.work_item_assign(actor=city.head_user, staff=city.staff[2], title="Hồ sơ", estimated_hours=2, is_legal_deadline=True, today=today)
    assert [detail["rule"] for detail in error.value.details] == ["dossier_code", "dossier_received_on", "legal_deadline_working_days"]
    with pytest.raises(ValidationFailed) as error:
        dossier(city, received_on=today + dt.timedelta(days=1), working_days=3, today=today)
    assert error.value.rule == "dossier_received_on"


def test_apology_slip_moves_the_deadline_once_and_only_in_time(city, django_capture_on_commit_callbacks):
    office = StaffFactory(unit__agency=city.agency, is_leader=True, user__role=Role.AGENCY_HEAD, full_name="Giám đốc Sở")
    received = dt.date(2026, 12, 1)  # Tuesday; 5 working days → Tuesday 8/12
    item = dossier(city, received_on=received, working_days=5, today=received)
    assert item.due_on == dt.date(2026, 12, 8)
    member = city.staff[2].user
    before = state(item)
    with pytest.raises(RuleViolation) as error:
        services.apology_slip_issue(item=item, actor=member, reason="Chờ ý kiến sở ngành", new_due_date=dt.date(2026, 12, 11), today=dt.date(2026, 12, 8))
    assert error.value.rule == "apology_lead_days"
    assert state(item) == before
    with django_capture_on_commit_callbacks(execute=True):
        slip = services.apology_slip_issue(
            item=item, actor=member, reason="Chờ ý kiến sở ngành", new_due_date=dt.date(2026, 12, 11), today=dt.date(2026, 12, 7)
        )
    item.refresh_from_db()
    assert (slip.sequence, slip.previous_due_date, item.due_on, item.legal_due_on) == (1, dt.date(2026, 12, 8), dt.date(2026, 12, 11), dt.date(2026, 12, 8))
    assert Notification.objects.filter(user=office.user, key__contains=":apology_slip:").count() == 1
    before = state(item)
    with pytest.raises(RuleViolation) as error:
        services.apology_slip_issue(item=item, actor=member, reason="Lần nữa", new_due_date=dt.date(2026, 12, 15), today=dt.date(2026, 12, 9))
    assert error.value.rule == "max_reschedules"
    assert state(item) == before
    assert ApologySlip.objects.count() == 1


def test_no_apology_slip_for_ordinary_work_or_by_outsiders(city):
    item = assign(city)
    with pytest.raises(RuleViolation) as error:
        services.apology_slip_issue(item=item, actor=city.head_user, reason="?", new_due_date=item.due_on + dt.timedelta(days=7))
    assert error.value.rule == "is_legal_deadline"
    received = timezone.localdate()
    legal = dossier(city, received_on=received, working_days=10, today=received)
    with pytest.raises(NotPermitted):
        services.apology_slip_issue(item=legal, actor=city.staff[0].user, reason="?", new_due_date=legal.due_on + dt.timedelta(days=7))
    assert not ApologySlip.objects.exists()


# --------------------------------------------------------------------------------------------- email


def test_notifications_are_also_emailed_to_the_staff_record_address(city, django_capture_on_commit_callbacks):
    member = city.staff[0]
    assert member.user.email == ""
    assert member.email
    with django_capture_on_commit_callbacks(execute=True):
        assign(city)
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert ProgressUpdate.objects.count() == 0
