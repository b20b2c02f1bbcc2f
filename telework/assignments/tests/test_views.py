"""The work pages: the flow end to end through the views (assign → quick progress → submit → return → submit →
accept with a rating), inline errors, HTMX fragments, downloads, the board, reports — and who may see what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from telework.assignments import services
from telework.assignments.models import Attachment, ProgressReport, WorkItem, WorkStatus
from telework.assignments.tests.helpers import EXECUTABLE, PDF, assign
from telework.core import calendar
from telework.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_flow_through_the_pages(city, client):
    member, head = city.staff[0], city.head_user
    today = timezone.localdate()
    client.force_login(head)
    response = client.post(
        reverse("assignments:assign"),
        {
            "staff": member.pk,
            "title": "Báo cáo sơ kết",
            "estimated_hours": "8",
            "starts_on": today.isoformat(),
            "due_on": (today + dt.timedelta(days=7)).isoformat(),
            "priority": "high",
        },
    )
    item = WorkItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assignments:detail", args=[item.pk])

    client.force_login(member.user)
    page = client.get(reverse("assignments:mine"))
    assert page.status_code == 200
    assert f'id="work-card-{item.pk}"' in page.content.decode()
    fragment = client.post(
        reverse("assignments:progress", args=[item.pk]), {"progress_percent": "60", "hours_spent": "3", "note": "Đã có dự thảo"}, HTTP_HX_REQUEST="true"
    )
    assert fragment.status_code == 200
    assert 'data-outcome="recorded"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    assert client.post(reverse("assignments:submit", args=[item.pk]), {"comment": "Gửi anh/chị xem"}).status_code == 302

    client.force_login(head)
    refused = client.post(reverse("assignments:return", args=[item.pk]), {"comment": ""})
    assert refused.status_code == 422
    assert 'data-rule="reason"' in refused.content.decode()
    assert client.post(reverse("assignments:return", args=[item.pk]), {"comment": "Bổ sung phụ lục"}).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.decision_comment) == (WorkStatus.RETURNED, "Bổ sung phụ lục")

    client.force_login(member.user)
    client.post(reverse("assignments:progress", args=[item.pk]), {"progress_percent": "100", "note": "Đã bổ sung"})
    client.post(reverse("assignments:submit", args=[item.pk]))

    client.force_login(head)
    no_rating = client.post(reverse("assignments:accept", args=[item.pk]), {"comment": "Tốt"})
    assert no_rating.status_code == 422
    assert 'data-rule="quality_rating"' in no_rating.content.decode()
    assert client.post(reverse("assignments:accept", args=[item.pk]), {"rating": "5", "comment": "Rất tốt"}).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.quality_rating, item.rating_comment) == (WorkStatus.ACCEPTED, 5, "Rất tốt")
    detail = client.get(reverse("assignments:detail", args=[item.pk])).content.decode()
    assert 'data-rating="5"' in detail
    assert "Bổ sung phụ lục" in detail


def test_assign_form_shows_each_problem_next_to_its_field(city, client):
    client.force_login(city.head_user)
    today = timezone.localdate()
    response = client.post(
        reverse("assignments:assign"),
        {
            "staff": city.staff[0].pk,
            "title": "Việc",
            "estimated_hours": "4",
            "starts_on": (today + dt.timedelta(days=5)).isoformat(),
            "due_on": today.isoformat(),
            "priority": "normal",
        },
    )
    assert response.status_code == 422
    assert 'data-field-error="due_on"' in response.content.decode()
    assert not WorkItem.objects.exists()


def test_an_impossible_calendar_date_is_refused_by_the_form(city, client):
    client.force_login(city.head_user)
    response = client.post(
        reverse("assignments:assign"),
        {"staff": city.staff[0].pk, "title": "Việc", "estimated_hours": "4", "starts_on": "2026-02-30", "due_on": "2026-03-05", "priority": "normal"},
    )
    assert response.status_code == 422
    assert 'data-field-error="starts_on"' in response.content.decode()
    assert not WorkItem.objects.exists()


def test_assign_only_offers_the_people_the_head_decides_for(city, client):
    client.force_login(city.head_user)
    page = client.get(reverse("assignments:assign")).content.decode()
    assert city.staff[0].full_name in page
    assert city.outsider.full_name not in page
    response = client.post(reverse("assignments:assign"), {"staff": city.outsider.pk, "title": "X", "estimated_hours": "2", "priority": "normal"})
    assert response.status_code == 422
    assert not WorkItem.objects.exists()
    client.force_login(city.staff[0].user)
    assert client.get(reverse("assignments:assign")).status_code == 403


def test_propose_form_sends_a_proposal_to_the_head(city, client):
    client.force_login(city.staff[3].user)
    today = timezone.localdate()
    response = client.post(
        reverse("assignments:propose"),
        {"title": "Cập nhật cơ sở dữ liệu", "estimated_hours": "6", "due_on": (today + dt.timedelta(days=6)).isoformat(), "priority": "normal"},
    )
    item = WorkItem.objects.get()
    assert response.status_code == 302
    assert (item.status, item.staff) == (WorkStatus.PROPOSED, city.staff[3])
    client.force_login(city.head_user)
    board = client.get(reverse("assignments:board")).content.decode()
    assert f'data-awaiting="{item.pk}"' in board


def test_legal_due_preview_counts_working_days_across_tet(city, client):
    client.force_login(city.head_user)
    response = client.post(reverse("assignments:legal_due"), {"dossier_received_on": "2027-02-02", "legal_deadline_working_days": "3"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'data-legal-due="2027-02-12"' in body
    assert "04/02" in body
    assert "10/02" in body
    assert client.post(reverse("assignments:legal_due"), {"dossier_received_on": "", "legal_deadline_working_days": "3"}).content.decode().strip() == ""


def test_quick_progress_refusal_is_shown_in_the_card_and_changes_nothing(city, client):
    item = assign(city)
    client.force_login(city.staff[0].user)
    response = client.post(reverse("assignments:progress", args=[item.pk]), {"progress_percent": "150"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-field-error="progress_percent"' in response.content.decode()
    item.refresh_from_db()
    assert (item.progress_percent, item.updates.count()) == (0, 0)


def test_attachments_upload_and_download_with_the_type_checked(city, client):
    item = assign(city)
    client.force_login(city.staff[0].user)
    disguised = SimpleUploadedFile("hoa-don.pdf", EXECUTABLE, content_type="application/pdf")
    refused = client.post(reverse("assignments:progress", args=[item.pk]), {"progress_percent": "10", "note": "kèm", "attachments": [disguised]})
    assert refused.status_code == 422
    assert 'data-field-error="attachments"' in refused.content.decode()
    assert not Attachment.objects.exists()
    good = SimpleUploadedFile("Báo cáo tiến độ.pdf", PDF, content_type="application/pdf")
    assert client.post(reverse("assignments:attach", args=[item.pk]), {"attachments": [good]}).status_code == 302
    attachment = Attachment.objects.get()
    download = client.get(reverse("assignments:download", args=[attachment.pk]))
    assert download.status_code == 200
    assert (download["Content-Type"], download["X-Content-Type-Options"], download.content) == ("application/pdf", "nosniff", PDF)
    assert download["Content-Disposition"].startswith("attachment;")
    client.force_login(city.staff[1].user)
    assert client.get(reverse("assignments:download", args=[attachment.pk])).status_code == 404


def test_comments_are_added_in_place(city, client):
    item = assign(city)
    client.force_login(city.staff[0].user)
    response = client.post(reverse("assignments:comment", args=[item.pk]), {"body": "Em cần thêm 1 ngày"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Em cần thêm 1 ngày" in response.content.decode()
    assert 'id="comments"' in response.content.decode()


def test_apology_slip_form_on_a_dossier(city, client):
    today = timezone.localdate()
    item = services.work_item_assign(
        actor=city.head_user,
        staff=city.staff[2],
        title="Hồ sơ",
        estimated_hours=3,
        is_legal_deadline=True,
        dossier_code="HS-9",
        dossier_received_on=today,
        legal_deadline_working_days=10,
    )
    client.force_login(city.staff[2].user)
    page = client.get(reverse("assignments:detail", args=[item.pk])).content.decode()
    assert 'id="apology-slip"' in page
    past = client.post(reverse("assignments:apology_slip", args=[item.pk]), {"new_due_date": item.due_on.isoformat(), "reason": "Chờ"})
    assert past.status_code == 409
    assert 'data-field-error="new_due_date"' in past.content.decode()
    later = calendar.add_working_days(item.due_on, 3)
    assert client.post(reverse("assignments:apology_slip", args=[item.pk]), {"new_due_date": later.isoformat(), "reason": "Chờ ý kiến"}).status_code == 302
    item.refresh_from_db()
    assert item.due_on == later


def test_board_with_chart_data_and_week_navigation(city, client):
    assign(city, estimated_hours=60)
    client.force_login(city.head_user)
    response = client.get(reverse("assignments:board"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="load-data"' in body
    assert "vendor/chart.js/dist/chart.umd.js" in body
    assert f'data-staff="{city.staff[0].code}"' in body
    assert client.get(reverse("assignments:board") + "?week=2027-W06").status_code == 200
    assert client.get(reverse("assignments:board") + f"?unit={city.outsider.unit_id}").status_code == 404


def test_reports_pages(city, client):
    client.force_login(city.staff[0].user)
    assert client.get(reverse("assignments:report_new")).status_code == 200
    preview = client.post(reverse("assignments:report_preview"), {"period": "daily", "day": timezone.localdate().isoformat()}, HTTP_HX_REQUEST="true")
    assert preview.status_code == 200
    assert 'id="report-lines"' in preview.content.decode()
    response = client.post(reverse("assignments:report_new"), {"period": "weekly", "day": timezone.localdate().isoformat(), "note": "Ổn"})
    report = ProgressReport.objects.get()
    assert response.status_code == 302
    client.force_login(city.head_user)
    listing = client.get(reverse("assignments:reports")).content.decode()
    assert 'id="to-review"' in listing
    assert client.post(reverse("assignments:report_review", args=[report.pk]), {"comment": "Đã xem"}).status_code == 302
    report.refresh_from_db()
    assert report.status == "reviewed"
    client.force_login(city.staff[1].user)
    assert client.get(reverse("assignments:report_detail", args=[report.pk])).status_code == 404


# --------------------------------------------------------------------------------------------- who may see what


def test_a_colleague_can_neither_see_nor_update_anothers_work(city, client):
    item = assign(city)
    audit_rows = AuditEvent.objects.count()
    client.force_login(city.staff[1].user)
    assert client.get(reverse("assignments:detail", args=[item.pk])).status_code == 404
    for name in ("progress", "submit", "start", "accept", "return", "cancel", "comment", "attach", "apology_slip"):
        assert (
            client.post(reverse(f"assignments:{name}", args=[item.pk]), {"progress_percent": "50", "comment": "x", "body": "x", "rating": "5"}).status_code
            == 404
        ), name
    item.refresh_from_db()
    assert (item.status, item.progress_percent, AuditEvent.objects.count()) == (WorkStatus.ASSIGNED, 0, audit_rows)


def test_city_leadership_reads_but_cannot_act(city, client):
    item = assign(city)
    services.progress_record(item=item, actor=city.staff[0].user, progress_percent=100)
    services.work_item_submit(item=item, actor=city.staff[0].user)
    audit_rows = AuditEvent.objects.count()
    client.force_login(city.leadership)
    page = client.get(reverse("assignments:detail", args=[item.pk]))
    assert page.status_code == 200
    assert 'id="manager-actions"' not in page.content.decode()
    assert client.get(reverse("assignments:board") + f"?unit={city.unit.pk}").status_code == 200
    for name, data in (("accept", {"rating": "5"}), ("return", {"comment": "x"}), ("cancel", {"comment": "x"}), ("comment", {"body": "x"})):
        assert client.post(reverse(f"assignments:{name}", args=[item.pk]), data).status_code == 403, name
    item.refresh_from_db()
    assert (item.status, AuditEvent.objects.count()) == (WorkStatus.SUBMITTED, audit_rows)
    assert client.get(reverse("assignments:mine")).status_code == 403


def test_board_is_not_for_staff(city, client):
    client.force_login(city.staff[0].user)
    assert client.get(reverse("assignments:board")).status_code == 403


def test_anonymous_users_are_sent_to_log_in(city, client):
    response = client.get(reverse("assignments:mine"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
