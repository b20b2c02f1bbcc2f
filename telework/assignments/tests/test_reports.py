"""Progress reports: assembled from the person's work items in the period with their note, sent to the direct
superior, reviewed with a comment; replaced until reviewed; listed by person and week."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from telework.assignments import selectors, services
from telework.assignments.models import ProgressReport, ReportStatus
from telework.core.exceptions import InvalidTransition, NotPermitted, ValidationFailed
from telework.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def week_of_work(city, member):
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    first = services.work_item_assign(
        actor=city.head_user, staff=member, title="Dự thảo kế hoạch", estimated_hours=10, starts_on=today, due_on=today + dt.timedelta(days=10)
    )
    second = services.work_item_assign(
        actor=city.head_user, staff=member, title="Tổng hợp số liệu", estimated_hours=4, starts_on=today, due_on=today + dt.timedelta(days=3)
    )
    services.progress_record(item=first, actor=member.user, progress_percent=30, hours_spent="2.5", note="Khung dự thảo")
    services.progress_record(item=second, actor=member.user, progress_percent=100, hours_spent=3, note="Xong số liệu")
    services.work_item_submit(item=second, actor=member.user)
    return monday, first, second


def test_weekly_report_is_assembled_from_the_work_items(city, django_capture_on_commit_callbacks):
    member = city.staff[0]
    monday, first, second = week_of_work(city, member)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.progress_report_submit(actor=member.user, period="weekly", day=timezone.localdate(), note="Tuần này ổn")
    assert (report.period_start, report.period_end, report.hours_total, report.items_completed, report.status) == (
        monday,
        monday + dt.timedelta(days=6),
        Decimal("5.5"),
        1,
        ReportStatus.SUBMITTED,
    )
    lines = {line["item_id"]: line for line in report.lines}
    assert (lines[first.pk]["progress_percent"], lines[first.pk]["hours"], lines[first.pk]["notes"], lines[first.pk]["completed"]) == (
        30,
        "2.5",
        ["Khung dự thảo"],
        False,
    )
    assert (lines[second.pk]["status"], lines[second.pk]["completed"]) == ("submitted", True)
    assert Notification.objects.filter(user=city.head_user, key__startswith=f"work-report:{report.pk}:submitted").count() == 1


def test_the_head_reviews_and_the_person_reads_it(city, django_capture_on_commit_callbacks):
    member = city.staff[0]
    week_of_work(city, member)
    report = services.progress_report_submit(actor=member.user, period="daily", day=timezone.localdate())
    with pytest.raises(ValidationFailed):
        services.progress_report_review(report=report, actor=city.head_user, comment=" ")
    with pytest.raises(NotPermitted):
        services.progress_report_review(report=report, actor=city.staff[1].user, comment="Tốt")
    with django_capture_on_commit_callbacks(execute=True):
        services.progress_report_review(report=report, actor=city.head_user, comment="Đạt yêu cầu")
    report.refresh_from_db()
    assert (report.status, report.review_comment, report.reviewed_by) == (ReportStatus.REVIEWED, "Đạt yêu cầu", city.head_user)
    assert Notification.objects.filter(user=member.user, key=f"work-report:{report.pk}:reviewed").count() == 1
    with pytest.raises(InvalidTransition):
        services.progress_report_review(report=report, actor=city.head_user, comment="Lần hai")


def test_a_report_is_replaced_until_reviewed_then_stands(city):
    member = city.staff[0]
    week_of_work(city, member)
    today = timezone.localdate()
    first = services.progress_report_submit(actor=member.user, period="weekly", day=today, note="Bản 1")
    second = services.progress_report_submit(actor=member.user, period="weekly", day=today, note="Bản 2")
    assert (first.pk, ProgressReport.objects.count(), ProgressReport.objects.get().note) == (second.pk, 1, "Bản 2")
    services.progress_report_review(report=second, actor=city.head_user, comment="OK")
    audit_rows = AuditEvent.objects.count()
    with pytest.raises(InvalidTransition):
        services.progress_report_submit(actor=member.user, period="weekly", day=today, note="Bản 3")
    assert (ProgressReport.objects.get().note, AuditEvent.objects.count()) == ("Bản 2", audit_rows)


def test_a_report_for_a_future_period_or_by_an_account_without_staff_is_refused(city):
    with pytest.raises(ValidationFailed) as error:
        services.progress_report_submit(actor=city.staff[0].user, period="daily", day=timezone.localdate() + dt.timedelta(days=1))
    assert error.value.rule == "day"
    with pytest.raises(NotPermitted):
        services.progress_report_submit(actor=city.leadership, period="daily", day=timezone.localdate())
    assert not ProgressReport.objects.exists()


def test_reports_are_listed_by_person_and_week_within_the_viewers_scope(city):
    today = timezone.localdate()
    for member in city.staff[:2]:
        services.progress_report_submit(actor=member.user, period="weekly", day=today)
    monday = today - dt.timedelta(days=today.weekday())
    assert selectors.report_list(viewer=city.head_user, filters={"week": monday}).count() == 2
    assert selectors.report_list(viewer=city.head_user, filters={"staff": city.staff[1].pk}).count() == 1
    assert selectors.report_list(viewer=city.head_user, filters={"week": monday - dt.timedelta(days=7)}).count() == 0
    assert list(selectors.report_list(viewer=city.staff[0].user).values_list("staff", flat=True)) == [city.staff[0].pk]
    assert selectors.report_list(viewer=city.outsider.user).count() == 0
