"""Work paused by the distancing switch (issue 14, point 4), on the suite's Wednesday 18/11/2026: switched on, the
open inspections, receptions, gatherings and field visits pause; switched off on Monday 30/11, they resume with their
deadlines moved by the working days paused — seven, not eight, since Tuesday 24/11 is Vietnam Cultural Day. A
legal deadline does not move: it is flagged. Each pause and resume is audited and told to the person and the head;
a retried follow-up does nothing twice; paused work raises no stall or overdue alert."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from telework.assignments import rules, services
from telework.assignments.models import Alert, AlertKind, WorkItem, WorkPause, WorkStatus
from telework.assignments.tests.helpers import assign
from telework.core.models import AuditEvent, Notification
from telework.policy.models import SwitchChange, SwitchKind
from telework.policy.parameters import PAUSABLE_WORK_CATEGORIES
from telework.policy.selectors import switch_impact
from telework.policy.services import switch_set

pytestmark = pytest.mark.django_db

D = dt.date
WEDNESDAY = D(2026, 11, 18)
MONDAY_AFTER = D(2026, 11, 30)
MONDAY_MORNING = dt.datetime(2026, 11, 30, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))


def switch(city, capture, *, on: bool) -> SwitchChange:
    """The distancing switch, its follow-up run synchronously (as the background job would, after the commit)."""
    with capture(execute=True):
        change = switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=on, reason="Chỉ thị 16/CT-TTg" if on else "Hết giãn cách")
    assert change is not None
    change.refresh_from_db()
    assert change.status == SwitchChange.Status.DONE, change.error
    return change


@pytest.fixture
def work(city):
    """An inspection due Friday 27/11, general work due the same day, an urgent inspection, and a citizen's dossier
    handled at reception with a legal deadline of Monday 23/11 (received Monday 16/11, 5 working days)."""
    return {
        "inspection": assign(city, title="Kiểm tra định kỳ cơ sở", category="inspection", starts_on=D(2026, 11, 16), due_on=D(2026, 11, 27), today=WEDNESDAY),
        "general": assign(city, title="Tổng hợp báo cáo", starts_on=D(2026, 11, 16), due_on=D(2026, 11, 27), today=WEDNESDAY),
        "urgent": assign(city, title="Kiểm tra đột xuất", category="inspection", priority="urgent", due_on=D(2026, 11, 20), today=WEDNESDAY),
        "dossier": assign(
            city,
            staff=city.staff[1],
            title="Tiếp nhận hồ sơ trực tiếp",
            category="citizen_reception",
            starts_on=None,
            due_on=None,
            is_legal_deadline=True,
            dossier_code="HS-0001",
            dossier_received_on=D(2026, 11, 16),
            legal_deadline_working_days=5,
            today=WEDNESDAY,
        ),
    }


def fresh(item: WorkItem) -> WorkItem:
    return WorkItem.objects.get(pk=item.pk)


# --------------------------------------------------------------------------------------------- the rule, alone


def test_the_paused_working_days_skip_the_weekend_and_vietnam_cultural_day():
    # 18, 19, 20, 23, 25, 26, 27 November: 21–22 and 28–29 are weekends, 24 is a public holiday.
    assert rules.paused_working_days(starts_on=D(2026, 11, 16), paused_on=WEDNESDAY, resumed_on=MONDAY_AFTER) == 7
    moved = rules.resumed_dates(
        starts_on=D(2026, 11, 16), due_on=D(2026, 11, 27), paused_on=WEDNESDAY, resumed_on=MONDAY_AFTER, is_legal_deadline=False, has_started=True
    )
    assert (moved.working_days_paused, moved.starts_on, moved.due_on, moved.legal_deadline_kept) == (7, D(2026, 11, 16), D(2026, 12, 8), False)


def test_work_not_started_moves_its_start_by_the_days_it_lost_and_later_work_loses_nothing():
    # Due to start Friday 20/11: it lost 20, 23, 25, 26, 27 November (five working days).
    moved = rules.resumed_dates(
        starts_on=D(2026, 11, 20), due_on=D(2026, 12, 4), paused_on=WEDNESDAY, resumed_on=MONDAY_AFTER, is_legal_deadline=False, has_started=False
    )
    assert (moved.working_days_paused, moved.starts_on, moved.due_on) == (5, D(2026, 11, 30), D(2026, 12, 11))
    later = rules.resumed_dates(
        starts_on=D(2026, 12, 7), due_on=D(2026, 12, 18), paused_on=WEDNESDAY, resumed_on=MONDAY_AFTER, is_legal_deadline=False, has_started=False
    )
    assert (later.working_days_paused, later.starts_on, later.due_on) == (0, D(2026, 12, 7), D(2026, 12, 18))


def test_a_legal_deadline_never_moves():
    kept = rules.resumed_dates(
        starts_on=D(2026, 11, 16), due_on=D(2026, 11, 23), paused_on=WEDNESDAY, resumed_on=MONDAY_AFTER, is_legal_deadline=True, has_started=True
    )
    assert (kept.due_on, kept.legal_deadline_kept, kept.working_days_paused) == (D(2026, 11, 23), True, 7)


def test_the_work_categories_are_general_and_the_ones_a_switch_may_pause():
    from telework.assignments.models import WorkCategory

    assert WorkCategory.values == ["general", *PAUSABLE_WORK_CATEGORIES]


# --------------------------------------------------------------------------------------------- through the switch


def test_switching_distancing_on_pauses_open_work_in_the_paused_categories(city, work, django_capture_on_commit_callbacks):
    assert switch_impact(kind=SwitchKind.DISTANCING, is_active=True).work_items == 2

    change = switch(city, django_capture_on_commit_callbacks, on=True)

    inspection, dossier = fresh(work["inspection"]), fresh(work["dossier"])
    assert (inspection.paused_since, dossier.paused_since) == (WEDNESDAY, WEDNESDAY)
    assert fresh(work["general"]).paused_since is None
    assert fresh(work["urgent"]).paused_since is None  # urgent work goes on: the regime pauses non-urgent work
    pause = WorkPause.objects.get(item=inspection)
    assert (pause.switch_change, pause.switch_kind, pause.paused_on, pause.due_on_before, pause.resumed_on, pause.legal_deadline_kept) == (
        change,
        SwitchKind.DISTANCING,
        WEDNESDAY,
        D(2026, 11, 27),
        None,
        False,
    )
    # The dossier is paused too, but its legal deadline stands: flagged to the person, the head and the agency head.
    flag = Alert.objects.get(item=dossier, kind=AlertKind.LEGAL_PAUSED)
    assert (flag.resolved_at, flag.is_escalated, flag.params["due_on"]) == (None, True, "2026-11-23")
    assert WorkPause.objects.get(item=dossier).legal_deadline_kept is True
    for user in (city.staff[1].user, city.head_user):
        assert Notification.objects.filter(user=user, key=f"work-alert:{flag.pk}").count() == 1

    events = AuditEvent.objects.filter(action="work_item.pause").order_by("object_id")
    assert [event.object_id for event in events] == sorted([str(inspection.pk), str(dossier.pk)], key=int)
    assert {event.actor_id for event in events} == {city.home_affairs.pk}  # the decision was Home Affairs'
    assert events[0].after["paused_since"] == "2026-11-18"

    member_note = Notification.objects.get(user=city.staff[0].user, key=f"work-pause:{pause.pk}:paused")
    assert "Kiểm tra định kỳ cơ sở" in member_note.title
    assert "18/11/2026" in member_note.body
    assert "27/11/2026" in member_note.body
    head_notes = Notification.objects.filter(user=city.head_user, key__startswith="work-pauses:paused:")
    assert head_notes.count() == 1
    assert "Kiểm tra định kỳ cơ sở" in head_notes.get().body
    assert "Tiếp nhận hồ sơ trực tiếp" in head_notes.get().body
    assert switch_impact(kind=SwitchKind.DISTANCING, is_active=False).work_items == 2


def test_switching_distancing_off_moves_deadlines_by_the_working_days_paused(city, work, clock, django_capture_on_commit_callbacks):
    switch(city, django_capture_on_commit_callbacks, on=True)
    clock.move_to(MONDAY_MORNING)

    change = switch(city, django_capture_on_commit_callbacks, on=False)

    inspection, dossier = fresh(work["inspection"]), fresh(work["dossier"])
    assert (inspection.paused_since, inspection.starts_on, inspection.due_on, inspection.last_activity_on) == (
        None,
        D(2026, 11, 16),
        D(2026, 12, 8),
        MONDAY_AFTER,
    )
    pause = WorkPause.objects.get(item=inspection)
    assert (pause.resumed_on, pause.resume_change, pause.working_days_paused, pause.due_on_after) == (MONDAY_AFTER, change, 7, D(2026, 12, 8))
    # The legal deadline did not move; its flag closes with the pause.
    assert (dossier.paused_since, dossier.due_on, dossier.legal_due_on) == (None, D(2026, 11, 23), D(2026, 11, 23))
    assert Alert.objects.get(item=dossier, kind=AlertKind.LEGAL_PAUSED).resolved_at is not None
    assert WorkPause.objects.get(item=dossier).due_on_after == D(2026, 11, 23)

    resumed = AuditEvent.objects.get(action="work_item.resume", object_id=str(inspection.pk))
    assert (resumed.before["due_on"], resumed.after["due_on"], resumed.after["working_days_paused"]) == ("2026-11-27", "2026-12-08", 7)
    note = Notification.objects.get(user=city.staff[0].user, key=f"work-pause:{pause.pk}:resumed")
    assert "27/11/2026" in note.body
    assert "08/12/2026" in note.body
    assert Notification.objects.filter(user=city.head_user, key__startswith="work-pauses:resumed:").count() == 1
    assert fresh(work["general"]).due_on == D(2026, 11, 27)


def test_a_retried_follow_up_pauses_and_resumes_nothing_twice(city, work, clock, django_capture_on_commit_callbacks):
    change = switch(city, django_capture_on_commit_callbacks, on=True)
    notifications = Notification.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        again = services.work_pauses_reconcile(change=change)
    from telework.policy.services import switch_follow_up

    switch_follow_up(change=change)
    from telework.assignments.tasks import notify_work_pauses

    notify_work_pauses(sorted(WorkPause.objects.values_list("pk", flat=True)), "paused")  # a retried notification task

    assert (again.paused, again.resumed) == (0, 0)
    assert WorkPause.objects.count() == 2
    assert AuditEvent.objects.filter(action="work_item.pause").count() == 2
    assert Notification.objects.count() == notifications

    clock.move_to(MONDAY_MORNING)
    switch(city, django_capture_on_commit_callbacks, on=False)
    with django_capture_on_commit_callbacks(execute=True):
        after = services.work_pauses_reconcile()
    assert (after.paused, after.resumed) == (0, 0)
    assert fresh(work["inspection"]).due_on == D(2026, 12, 8)
    assert AuditEvent.objects.filter(action="work_item.resume").count() == 2


def test_paused_work_raises_no_stall_or_overdue_alert_but_its_legal_deadline_still_does(city, work, clock, django_capture_on_commit_callbacks):
    switch(city, django_capture_on_commit_callbacks, on=True)

    # Still switched on the Monday after: the inspection (due 27/11) and the general work are past their deadlines.
    with django_capture_on_commit_callbacks(execute=True):
        summary = services.detect_stalls(today=MONDAY_AFTER)

    kinds = {(alert.item_id, alert.kind) for alert in Alert.objects.filter(resolved_at__isnull=True)}
    assert (work["general"].pk, AlertKind.OVERDUE) in kinds
    assert not any(item_id == work["inspection"].pk for item_id, _kind in kinds)
    # The dossier's legal deadline (23/11) passed while it was paused: that is still raised, and its flag stays open.
    assert (work["dossier"].pk, AlertKind.LEGAL_OVERDUE) in kinds
    assert (work["dossier"].pk, AlertKind.LEGAL_PAUSED) in kinds
    assert summary.new_alerts[AlertKind.OVERDUE] >= 1


def test_work_assigned_in_a_paused_category_is_created_paused(city, django_capture_on_commit_callbacks):
    switch(city, django_capture_on_commit_callbacks, on=True)

    with django_capture_on_commit_callbacks(execute=True):
        item = assign(city, title="Hội nghị tập huấn", category="gathering", due_on=D(2026, 12, 4), today=WEDNESDAY)

    item = fresh(item)
    assert (item.status, item.paused_since) == (WorkStatus.ASSIGNED, WEDNESDAY)
    pause = WorkPause.objects.get(item=item)
    assert (pause.switch_kind, pause.switch_change.kind, pause.switch_change.is_active) == (SwitchKind.DISTANCING, SwitchKind.DISTANCING, True)
    assert AuditEvent.objects.filter(action="work_item.pause", object_id=str(item.pk), actor_id=city.head_user.pk).count() == 1
    assert Notification.objects.filter(user=city.staff[0].user, key=f"work-pause:{pause.pk}:paused").count() == 1


def test_a_proposal_accepted_in_a_paused_category_is_paused(city, django_capture_on_commit_callbacks):
    switch(city, django_capture_on_commit_callbacks, on=True)
    member = city.staff[0]
    proposal = services.work_item_propose(
        actor=member.user, title="Đi thực địa", category="field_visit", estimated_hours=8, due_on=D(2026, 12, 4), today=WEDNESDAY
    )
    assert fresh(proposal).paused_since is None  # a proposal is not planned work yet

    services.work_item_accept_proposal(item=proposal, actor=city.head_user, today=WEDNESDAY)

    assert fresh(proposal).paused_since == WEDNESDAY


def test_an_unknown_category_is_refused_next_to_its_field(city):
    from telework.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed) as refused:
        assign(city, category="picnic", today=WEDNESDAY)
    assert refused.value.rule == "category"
    assert not WorkItem.objects.exists()


# --------------------------------------------------------------------------------------------- what people see


def test_the_item_page_and_the_board_say_since_when_and_by_what_the_work_is_paused(city, work, client, django_capture_on_commit_callbacks):
    switch(city, django_capture_on_commit_callbacks, on=True)
    inspection = work["inspection"]

    client.force_login(city.staff[0].user)
    page = client.get(f"/work/{inspection.pk}/").content.decode()
    assert 'id="item-paused"' in page
    assert "18/11/2026" in page
    assert "27/11/2026" in page
    assert 'data-category="inspection"' in page

    client.force_login(city.head_user)
    board = client.get("/work/board/", {"unit": city.unit.pk}).content.decode()
    assert 'id="board-paused-note"' in board
    assert f'data-item="{inspection.pk}"' in board
    assert "data-paused=" in board
    only_paused = client.get("/work/board/", {"unit": city.unit.pk, "paused": "1"}).content.decode()
    assert f'data-item="{inspection.pk}"' in only_paused
    assert f'data-item="{work["general"].pk}"' not in only_paused


def test_the_assign_form_takes_the_category_and_warns_when_it_is_paused(city, client, django_capture_on_commit_callbacks):
    switch(city, django_capture_on_commit_callbacks, on=True)
    client.force_login(city.head_user)
    response = client.post(
        "/work/assign/",
        {"staff": city.staff[0].pk, "title": "Kiểm tra cơ sở", "estimated_hours": "8", "due_on": "04/12/2026", "priority": "normal", "category": "inspection"},
        follow=True,
    )
    item = WorkItem.objects.get(title="Kiểm tra cơ sở")
    assert (item.category, item.paused_since) == ("inspection", WEDNESDAY)
    assert [message.level_tag for message in response.context["messages"]].count("warning") >= 1


def test_the_api_shows_the_category_and_the_pause(city, work, client, django_capture_on_commit_callbacks):
    switch(city, django_capture_on_commit_callbacks, on=True)
    client.force_login(city.head_user)

    body = client.get(f"/api/work/items/{work['inspection'].pk}").json()
    assert (body["category"], body["is_paused"]) == ("inspection", True)
    assert (body["pause"]["paused_on"], body["pause"]["switch"], body["pause"]["working_days_so_far"], body["pause"]["legal_deadline_kept"]) == (
        "2026-11-18",
        "distancing",
        1,
        False,
    )
    paused = client.get("/api/work/items", {"paused": True}).json()
    assert sorted(item["id"] for item in paused["items"]) == sorted([work["inspection"].pk, work["dossier"].pk])
    assert client.get(f"/api/work/items/{work['general'].pk}").json()["pause"] is None

    created = client.post(
        "/api/work/items",
        {"staff_id": city.staff[0].pk, "title": "Thăm thực địa", "estimated_hours": 4, "due_on": "2026-12-04", "category": "field_visit"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert (created.json()["category"], created.json()["is_paused"]) == ("field_visit", True)


def test_the_switch_confirmation_counts_the_work_it_will_pause(city, work, rf):
    # The confirmation page as the policy view renders it (its distancing screen comes with the policy screens).
    from django.template.loader import render_to_string

    from telework.policy.models import PolicySwitch
    from telework.policy.selectors import switch_impact

    request = rf.post("/policy/switches/distancing/")
    request.user = city.home_affairs
    context = {"switch": PolicySwitch(kind=SwitchKind.DISTANCING), "turn_on": True, "agency_count": 2, "staff_count": 20, "effects": [], "form": None}
    page = render_to_string("policy/switch_confirm.html", {**context, "impact": switch_impact(kind=SwitchKind.DISTANCING, is_active=True)}, request=request)
    assert 'id="impact-work"' in page
    assert "2 công việc" in page
    assert not WorkPause.objects.exists()  # nothing changes before the confirmation


def test_work_cancelled_during_a_pause_keeps_its_dates_when_the_pause_ends(city, work, clock, django_capture_on_commit_callbacks):
    switch(city, django_capture_on_commit_callbacks, on=True)
    services.work_item_cancel(item=work["inspection"], actor=city.head_user, reason="Không còn cần thiết")
    clock.move_to(MONDAY_MORNING)

    switch(city, django_capture_on_commit_callbacks, on=False)

    inspection = fresh(work["inspection"])
    assert (inspection.status, inspection.paused_since, inspection.due_on) == (WorkStatus.CANCELLED, None, D(2026, 11, 27))
    assert WorkPause.objects.get(item=inspection).resumed_on == MONDAY_AFTER
