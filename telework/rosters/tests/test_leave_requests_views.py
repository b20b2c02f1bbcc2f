"""The leave request pages: a staff member asks on "My leave" (refusals next to the fields, nothing written), the head
decides from the unit's leave page or from their own "My leave" page, and ids outside the viewer's scope are not
found."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from telework.rosters.models import Leave, LeaveKind, LeaveRequest, LeaveRequestStatus
from telework.rosters.services import leave_request_submit

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 7)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def act(request: LeaveRequest, action: str) -> str:
    return reverse("rosters:leave_request_act", args=[request.pk, action])


@pytest.fixture
def asked(city):
    return leave_request_submit(actor=city.staff[0].user, starts_on=MONDAY, ends_on=MONDAY + dt.timedelta(days=1), kind=LeaveKind.ANNUAL, note="Về quê")


def test_a_staff_member_asks_for_leave_on_my_leave(city, client):
    client.force_login(city.staff[0].user)
    page = client.get(reverse("rosters:leave_mine"))
    assert page.status_code == 200
    assert "Xin nghỉ" in text(page)
    response = client.post(reverse("rosters:leave_mine"), {"kind": "sick", "starts_on": "2026-12-08", "ends_on": "2026-12-08", "note": "Khám bệnh"})
    assert response.status_code == 302
    request = LeaveRequest.objects.get()
    assert (request.staff, request.kind, request.starts_on, request.ends_on, request.note) == (
        city.staff[0],
        "sick",
        MONDAY + dt.timedelta(days=1),
        MONDAY + dt.timedelta(days=1),
        "Khám bệnh",
    )
    listed = client.get(reverse("rosters:leave_mine"))
    item = re.search(rf'data-leave-request="{request.pk}" data-status="requested">(.*?)</li>', listed.content.decode(), re.S)
    assert item is not None
    assert "Chờ lãnh đạo duyệt" in item.group(1)
    assert "1 ngày làm việc" in item.group(1)
    assert 'data-action="withdraw"' in item.group(1)


def test_a_request_over_a_weekend_only_is_refused_next_to_the_dates(city, client):
    client.force_login(city.staff[0].user)
    response = client.post(reverse("rosters:leave_mine"), {"kind": "annual", "starts_on": "2026-12-12", "ends_on": "2026-12-13"})
    assert response.status_code == 422
    assert 'data-field-error="ends_on"' in response.content.decode()
    assert "không có ngày làm việc nào" in text(response)
    assert not LeaveRequest.objects.exists()


def test_an_account_without_a_staff_record_has_no_leave_page(city, client):
    client.force_login(city.home_affairs)
    assert client.get(reverse("rosters:leave_mine")).status_code == 403


def test_the_head_sees_the_request_on_the_units_leave_page_and_approves_it(city, client, asked):
    client.force_login(city.head.user)
    back = f"{reverse('rosters:leave')}?unit={city.unit.pk}"
    page = client.get(back)
    item = re.search(rf'<li class="list-group-item" data-leave-request="{asked.pk}">(.*?)</li>', page.content.decode(), re.S)
    assert item is not None
    assert f'formaction="{act(asked, "approve")}"' in item.group(1)
    assert "2 ngày làm việc" in text(page)
    response = client.post(act(asked, "approve"), {"comment": "Đồng ý", "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    asked.refresh_from_db()
    assert asked.status == LeaveRequestStatus.APPROVED
    assert Leave.objects.get().pk == asked.leave_id
    assert f'data-leave="{asked.leave_id}"' in client.get(back).content.decode()


def test_a_head_without_a_comment_cannot_reject(city, client, asked):
    client.force_login(city.head.user)
    response = client.post(act(asked, "reject"), {"comment": ""}, follow=True)
    assert "Hãy ghi lý do từ chối; người xin nghỉ sẽ đọc lý do này." in text(response)
    asked.refresh_from_db()
    assert asked.status == LeaveRequestStatus.REQUESTED


def test_a_head_decides_from_their_own_leave_page_too(city, client, asked):
    client.force_login(city.head.user)
    page = client.get(reverse("rosters:leave_mine"))
    assert f'data-leave-request="{asked.pk}"' in page.content.decode()
    client.post(act(asked, "reject"), {"comment": "Đơn vị đang thiếu người"})
    asked.refresh_from_db()
    assert (asked.status, asked.decision_comment) == (LeaveRequestStatus.REJECTED, "Đơn vị đang thiếu người")


def test_the_person_withdraws_from_my_leave(city, client, asked):
    client.force_login(city.staff[0].user)
    response = client.post(act(asked, "withdraw"))
    assert response["Location"] == reverse("rosters:leave_mine")
    asked.refresh_from_db()
    assert asked.status == LeaveRequestStatus.WITHDRAWN


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_a_request_outside_the_viewers_scope_is_not_found(city, client, asked, who):
    client.force_login({"colleague": city.staff[1].user, "outsider": city.outsider.user}[who])
    assert client.post(act(asked, "approve")).status_code == 404
    asked.refresh_from_db()
    assert asked.status == LeaveRequestStatus.REQUESTED


def test_an_unknown_action_is_not_found(city, client, asked):
    client.force_login(city.head.user)
    assert client.post(act(asked, "publish")).status_code == 404


def test_the_weekly_roster_counts_the_leave_requests_waiting_for_the_head(city, client, asked):
    client.force_login(city.head.user)
    html = client.get(f"{reverse('rosters:week')}?unit={city.unit.pk}&week=2026-W50").content.decode()
    assert re.search(r'id="leave-waiting-count"[^>]*>1</span>', html)
    client.force_login(city.staff[1].user)
    html = client.get(f"{reverse('rosters:week')}?unit={city.unit.pk}&week=2026-W50").content.decode()
    assert "leave-waiting-count" not in html
    assert f'href="{reverse("rosters:leave_mine")}" id="my-leave-link"' in html
