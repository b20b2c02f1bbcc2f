"""What a head and a staff member tripped over: no warning at 60 hours of planned work in a 40-hour week, and
progress refused on a day the work had already started but had not yet been recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from telework.assignments import selectors, services
from telework.assignments.models import ProgressUpdate
from telework.assignments.tests.helpers import assign
from telework.core.exceptions import ValidationFailed

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 16)  # the suite's frozen Wednesday is 18 November 2026; no holiday this week
FRIDAY = dt.date(2026, 11, 20)


def test_assigning_past_120_percent_of_the_norm_warns_the_head_on_the_page(city, client):
    member = city.staff[0]
    assign(city, staff=member, estimated_hours=30, starts_on=MONDAY, due_on=FRIDAY, today=MONDAY)
    client.force_login(city.head_user)

    response = client.post(
        reverse("assignments:assign"),
        {"staff": member.pk, "title": "Báo cáo tổng kết", "estimated_hours": "30", "starts_on": "2026-11-16", "due_on": "2026-11-20", "priority": "normal"},
    )

    assert response.status_code == 302
    warnings = [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "warning"]
    assert warnings == [
        f"{member.full_name} hiện có 60 giờ công việc dự kiến trong tuần bắt đầu 16/11/2026: 150% định mức làm việc tại cơ quan "
        "(40 giờ), vượt mức 120% được coi là quá tải."
    ]


def test_assigning_within_the_norm_gives_no_warning(city):
    member = city.staff[0]
    assign(city, staff=member, estimated_hours=40, starts_on=MONDAY, due_on=FRIDAY, today=MONDAY)
    assert selectors.overloaded_weeks(staff=member, first_day=MONDAY, last_day=FRIDAY) == []


def test_an_assignment_through_the_api_names_each_overloaded_week(city, client):
    member = city.staff[0]
    assign(city, staff=member, estimated_hours=45, starts_on=MONDAY, due_on=FRIDAY, today=MONDAY)
    client.force_login(city.head_user)

    response = client.post(
        "/api/work/items",
        {"staff_id": member.pk, "title": "Rà soát hồ sơ", "estimated_hours": 15, "starts_on": "2026-11-18", "due_on": "2026-11-20"},
        content_type="application/json",
    )

    assert response.status_code == 201
    warnings = response.json()["load_warnings"]
    assert [(warning["rule"], warning["week_of"], warning["planned_hours"], warning["norm_hours"]) for warning in warnings] == [
        ("workload_over_norm", "2026-11-16", 60.0, 40.0)
    ]


def test_progress_on_a_day_after_the_start_date_but_before_the_item_was_recorded_is_accepted(city):
    member = city.staff[0]
    item = assign(city, staff=member, starts_on=MONDAY, due_on=FRIDAY)  # recorded on Wednesday 18th

    update = services.progress_record(item=item, actor=member.user, progress_percent=20, hours_spent=3, work_date=MONDAY)

    assert (update.work_date, update.hours_spent) == (MONDAY, 3)


def test_progress_before_the_start_date_is_refused_and_nothing_is_recorded(city):
    member = city.staff[0]
    item = assign(city, staff=member, starts_on=dt.date(2026, 11, 17), due_on=FRIDAY)

    with pytest.raises(ValidationFailed) as refused:
        services.progress_record(item=item, actor=member.user, progress_percent=20, hours_spent=3, work_date=MONDAY)

    assert (refused.value.rule, str(refused.value.message)) == ("work_date", "Công việc bắt đầu ngày 17/11/2026; không thể báo giờ làm cho ngày trước đó.")
    assert not ProgressUpdate.objects.exists()


def test_a_title_over_the_limit_is_refused_with_its_length_not_cut(city, client):
    from telework.assignments.models import WorkItem

    client.force_login(city.head_user)
    page = client.get(reverse("assignments:assign"))
    assert 'maxlength="200"' not in page.content.decode()
    long_title = "Rà soát " + "x" * 240

    response = client.post(
        reverse("assignments:assign"),
        {"staff": city.staff[0].pk, "title": long_title, "estimated_hours": "8", "starts_on": "2026-11-18", "due_on": "2026-11-20", "priority": "normal"},
    )

    assert response.status_code == 422
    assert response.context["form"].errors["title"] == ["Giá trị này chỉ có tối đa 200 kí tự (hiện có 248)"]
    assert not WorkItem.objects.exists()


def test_a_submission_note_over_the_limit_is_refused_not_cut(city):
    member = city.staff[0]
    item = assign(city, staff=member)
    services.work_item_start(item=item, actor=member.user)

    with pytest.raises(ValidationFailed) as refused:
        services.work_item_submit(item=item, actor=member.user, note="x" * 4001)

    item.refresh_from_db()
    assert (refused.value.rule, item.status) == ("note", "in_progress")


def test_a_refused_progress_update_shows_its_error_once_on_the_item_page(city, client):
    member = city.staff[0]
    item = assign(city, staff=member)
    client.force_login(member.user)

    response = client.post(reverse("assignments:progress", args=[item.pk]), {"progress_percent": "0", "note": ""})

    assert response.status_code == 422
    message = "Không có gì để ghi nhận: hãy thay đổi tiến độ, hoặc nhập số giờ, ghi chú hay đính kèm tệp."
    assert response.content.decode().count(message) == 1
    assert not ProgressUpdate.objects.exists()


def test_a_refused_quick_update_on_my_work_shows_its_error_once(city, client):
    member = city.staff[0]
    item = assign(city, staff=member)
    client.force_login(member.user)

    response = client.post(reverse("assignments:progress", args=[item.pk]), {"progress_percent": "0", "note": ""}, HTTP_HX_REQUEST="true")

    message = "Không có gì để ghi nhận: hãy thay đổi tiến độ, hoặc nhập số giờ, ghi chú hay đính kèm tệp."
    assert response.content.decode().count(message) == 1
    assert not ProgressUpdate.objects.exists()


def test_accepting_a_proposal_past_120_percent_of_the_norm_warns_the_head(city, client):
    member = city.staff[0]
    assign(city, staff=member, estimated_hours=30, starts_on=MONDAY, due_on=FRIDAY, today=MONDAY)
    proposal = services.work_item_propose(actor=member.user, title="Đề xuất cải tiến", estimated_hours=20, starts_on=MONDAY, due_on=FRIDAY, today=MONDAY)
    client.force_login(city.head_user)

    response = client.post(reverse("assignments:accept_proposal", args=[proposal.pk]), {"comment": ""})

    assert response.status_code == 302
    warnings = [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "warning"]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{member.full_name} hiện có 50 giờ công việc dự kiến trong tuần bắt đầu 16/11/2026: 125%")
