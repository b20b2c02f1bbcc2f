"""Stall detection as it runs each morning: with a controlled clock (``today`` passed in), across Tết 2027; alerts
reach the person and the head in the app and by email; legal-deadline risks reach the agency head; a second run on
the same day sends nothing new; findings that no longer hold close."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from telework.accounts.models import Role
from telework.assignments import services
from telework.assignments.models import Alert, WorkItem
from telework.core.models import Notification
from telework.organization.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

D = dt.date


def work(city, *, starts_on, due_on, staff=None, **terms):
    return services.work_item_assign(
        actor=city.head_user,
        staff=staff or city.staff[0],
        title="Rà soát quy chế",
        estimated_hours=10,
        starts_on=starts_on,
        due_on=due_on,
        today=starts_on,
        **terms,
    )


def run(today, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.detect_stalls(today=today)


def test_no_update_alert_on_the_third_idle_working_day_reaches_person_and_head(city, django_capture_on_commit_callbacks):
    item = work(city, starts_on=D(2026, 12, 7), due_on=D(2026, 12, 31))
    assert run(D(2026, 12, 10), django_capture_on_commit_callbacks).new_total == 0
    summary = run(D(2026, 12, 11), django_capture_on_commit_callbacks)
    assert (summary.items_checked, dict(summary.new_alerts)) == (1, {"no_update": 1})
    alert = Alert.objects.get()
    assert (alert.item, alert.kind, alert.day, alert.rule, alert.params["idle_days"], alert.is_escalated) == (
        item,
        "no_update",
        D(2026, 12, 11),
        "stall_working_days",
        3,
        False,
    )
    for user in (city.staff[0].user, city.head_user):
        assert Notification.objects.filter(user=user, key=f"work-alert:{alert.pk}").count() == 1
    assert sorted(address for message in mail.outbox for address in message.to) == sorted([city.staff[0].email, city.head.email])


def test_running_twice_the_same_day_sends_nothing_new(city, django_capture_on_commit_callbacks):
    work(city, starts_on=D(2026, 12, 7), due_on=D(2026, 12, 31))
    first = run(D(2026, 12, 11), django_capture_on_commit_callbacks)
    notifications, emails = Notification.objects.count(), len(mail.outbox)
    second = run(D(2026, 12, 11), django_capture_on_commit_callbacks)
    assert (first.new_total, second.new_total, second.items_checked) == (1, 0, 1)
    assert (Alert.objects.count(), Notification.objects.count(), len(mail.outbox)) == (1, notifications, emails)


def test_the_next_day_replaces_yesterdays_alert_with_todays(city, django_capture_on_commit_callbacks):
    work(city, starts_on=D(2026, 12, 7), due_on=D(2026, 12, 31))
    run(D(2026, 12, 11), django_capture_on_commit_callbacks)
    summary = run(D(2026, 12, 14), django_capture_on_commit_callbacks)
    assert (summary.new_total, summary.resolved) == (1, 1)
    assert list(Alert.objects.filter(resolved_at__isnull=True).values_list("day", "params__idle_days")) == [(D(2026, 12, 14), 4)]


def test_a_progress_update_closes_the_stall_alert(city, django_capture_on_commit_callbacks):
    item = work(city, starts_on=D(2026, 12, 7), due_on=D(2026, 12, 31))
    run(D(2026, 12, 11), django_capture_on_commit_callbacks)
    assert Alert.objects.filter(resolved_at__isnull=True).count() == 1
    services.progress_record(item=item, actor=city.staff[0].user, progress_percent=20, note="Đã làm", today=D(2026, 12, 11))
    assert Alert.objects.filter(resolved_at__isnull=True).count() == 0
    assert run(D(2026, 12, 14), django_capture_on_commit_callbacks).new_total == 0


def test_tet_2027_does_not_count_as_idle_and_nothing_runs_during_it(city, django_capture_on_commit_callbacks):
    item = work(city, starts_on=D(2027, 1, 25), due_on=D(2027, 3, 5))
    WorkItem.objects.filter(pk=item.pk).update(last_activity_on=D(2027, 2, 2))
    holiday = run(D(2027, 2, 8), django_capture_on_commit_callbacks)
    assert (holiday.is_working_day, holiday.items_checked) == (False, 0)
    assert run(D(2027, 2, 12), django_capture_on_commit_callbacks).new_total == 0
    assert dict(run(D(2027, 2, 15), django_capture_on_commit_callbacks).new_alerts) == {"no_update": 1}


def test_work_behind_schedule_near_its_deadline(city, django_capture_on_commit_callbacks):
    item = work(city, starts_on=D(2026, 12, 7), due_on=D(2026, 12, 18))
    WorkItem.objects.filter(pk=item.pk).update(progress_percent=30, last_activity_on=D(2026, 12, 16))
    summary = run(D(2026, 12, 17), django_capture_on_commit_callbacks)
    assert dict(summary.new_alerts) == {"behind_schedule": 1}
    assert Alert.objects.get().params == {"due_on": "2026-12-18", "days_left": 2, "elapsed_percent": 80, "progress_percent": 30}


def legal(city, *, received_on, working_days):
    return services.work_item_assign(
        actor=city.head_user,
        staff=city.staff[1],
        title="Hồ sơ đăng ký kinh doanh",
        estimated_hours=4,
        is_legal_deadline=True,
        dossier_code="HS-001",
        dossier_received_on=received_on,
        legal_deadline_working_days=working_days,
        today=received_on,
    )


def test_legal_deadline_risk_escalates_to_the_agency_head_and_says_to_issue_the_slip(city, django_capture_on_commit_callbacks):
    office = StaffFactory(unit__agency=city.agency, is_leader=True, user__role=Role.AGENCY_HEAD, full_name="Giám đốc Sở")
    other_agency_head = StaffFactory(unit=city.outsider.unit, is_leader=True, user__role=Role.AGENCY_HEAD)
    item = legal(city, received_on=D(2026, 12, 7), working_days=5)  # due Monday 14/12
    WorkItem.objects.filter(pk=item.pk).update(progress_percent=40, last_activity_on=D(2026, 12, 10))
    summary = run(D(2026, 12, 11), django_capture_on_commit_callbacks)  # Friday, the last day for a slip
    assert dict(summary.new_alerts) == {"legal_at_risk": 1}
    alert = Alert.objects.get()
    assert (alert.is_escalated, alert.params["can_issue_apology_slip"], alert.params["slip_deadline"]) == (True, True, "2026-12-11")
    recipients = set(Notification.objects.filter(key=f"work-alert:{alert.pk}").values_list("user__username", flat=True))
    assert recipients == {city.staff[1].user.username, city.head_user.username, office.user.username}
    assert not Notification.objects.filter(user=other_agency_head.user).exists()
    body = Notification.objects.get(user=office.user).body
    assert "11/12/2026" in body


def test_overdue_dossier_without_slip_is_red_and_escalated(city, django_capture_on_commit_callbacks):
    office = StaffFactory(unit__agency=city.agency, is_leader=True, user__role=Role.AGENCY_HEAD)
    item = legal(city, received_on=D(2026, 12, 7), working_days=2)  # due Wednesday 9/12
    WorkItem.objects.filter(pk=item.pk).update(progress_percent=70, last_activity_on=D(2026, 12, 9))
    run(D(2026, 12, 10), django_capture_on_commit_callbacks)
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity, alert.rule, alert.is_escalated) == ("legal_overdue", "danger", "apology_slip_missing", True)
    assert Notification.objects.filter(user=office.user, key=f"work-alert:{alert.pk}").exists()


def test_a_slip_issued_in_time_closes_the_risk_and_moves_the_deadline(city, django_capture_on_commit_callbacks):
    item = legal(city, received_on=D(2026, 12, 7), working_days=5)  # due 14/12
    WorkItem.objects.filter(pk=item.pk).update(progress_percent=40, last_activity_on=D(2026, 12, 10))
    run(D(2026, 12, 11), django_capture_on_commit_callbacks)
    services.apology_slip_issue(item=item, actor=city.staff[1].user, reason="Chờ xác minh", new_due_date=D(2026, 12, 18), today=D(2026, 12, 11))
    assert Alert.objects.filter(resolved_at__isnull=True).count() == 0
    summary = run(D(2026, 12, 14), django_capture_on_commit_callbacks)
    assert "legal_overdue" not in summary.new_alerts


def test_closed_work_is_not_checked(city, django_capture_on_commit_callbacks):
    item = work(city, starts_on=D(2026, 12, 7), due_on=D(2026, 12, 18))
    services.work_item_cancel(item=item, actor=city.head_user, reason="Không cần nữa")
    assert run(D(2026, 12, 21), django_capture_on_commit_callbacks).items_checked == 0
    assert not Alert.objects.exists()


def test_the_command_runs_detection_for_a_given_day(city):
    work(city, starts_on=D(2026, 12, 7), due_on=D(2026, 12, 31))
    out = StringIO()
    call_command("detect_stalls", "--today", "2026-12-11", stdout=out)
    assert out.getvalue().strip() == "2026-12-11: 1 open work items checked; 1 new alerts (no_update 1); 0 alerts closed."
    out = StringIO()
    call_command("detect_stalls", "--today", "2026-12-11", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"today": "2026-12-11", "is_working_day": True, "items_checked": 1, "new_alerts": {}, "resolved": 0}
    out = StringIO()
    call_command("detect_stalls", "--today", "2027-02-08", stdout=out)
    assert "not a working day" in out.getvalue()


def test_the_command_refuses_a_malformed_date(city):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("detect_stalls", "--today", "11/12/2026")


def test_the_scheduled_task_runs_the_same_detection(city):
    from telework.assignments.tasks import detect_stalls_task

    work(city, starts_on=D(2026, 12, 7), due_on=D(2026, 12, 31))
    assert detect_stalls_task("2026-12-11")["new_alerts"] == {"no_update": 1}


def test_the_beat_schedule_runs_detection_every_working_morning():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["assignments-detect-stalls"]
    assert entry["task"] == "assignments.detect_stalls"
    assert entry["schedule"].day_of_week == {1, 2, 3, 4, 5}
