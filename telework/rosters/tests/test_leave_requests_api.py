"""Leave requests over HTTP: ask, list one's own and those waiting, decide, withdraw; refusals in the error shape with
the rule, and nothing changed."""

from __future__ import annotations

import pytest
from django.test import Client

from telework.accounts.models import ApiToken
from telework.rosters.models import Leave, LeaveRequest, LeaveRequestStatus

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _token, key = ApiToken.issue(user=user, name="test client")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_staff_ask_the_head_lists_and_approves(city):
    member = api(city.staff[0].user)
    response = member.post(
        "/api/rosters/leave-requests",
        {"kind": "sick", "starts_on": "2026-12-08", "ends_on": "2026-12-09", "note": "Khám bệnh"},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["working_days"], body["staff"]["code"], body["leave_id"]) == ("requested", 2, city.staff[0].code, None)
    assert [item["id"] for item in member.get("/api/rosters/leave-requests").json()] == [body["id"]]

    head = api(city.head.user)
    assert [item["id"] for item in head.get("/api/rosters/leave-requests?waiting=true").json()] == [body["id"]]
    decided = head.post(f"/api/rosters/leave-requests/{body['id']}/approve", {"comment": "Đồng ý"}, content_type="application/json")
    assert decided.status_code == 200
    assert (decided.json()["status"], decided.json()["decision_comment"]) == ("approved", "Đồng ý")
    assert decided.json()["leave_id"] == Leave.objects.get().pk


def test_a_rejection_without_a_comment_is_refused_with_its_rule(city):
    request = (
        api(city.staff[0].user)
        .post("/api/rosters/leave-requests", {"starts_on": "2026-12-08", "ends_on": "2026-12-08"}, content_type="application/json")
        .json()
    )
    response = api(city.head.user).post(f"/api/rosters/leave-requests/{request['id']}/reject", {"comment": ""}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["rule"] == "comment"
    assert LeaveRequest.objects.get().status == LeaveRequestStatus.REQUESTED


def test_a_request_over_a_weekend_is_refused(city):
    response = api(city.staff[0].user).post(
        "/api/rosters/leave-requests", {"starts_on": "2026-12-12", "ends_on": "2026-12-13"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["rule"] == "ends_on"
    assert not LeaveRequest.objects.exists()


def test_a_colleague_cannot_see_or_decide_the_request(city):
    request = (
        api(city.staff[0].user)
        .post("/api/rosters/leave-requests", {"starts_on": "2026-12-08", "ends_on": "2026-12-08"}, content_type="application/json")
        .json()
    )
    colleague = api(city.staff[1].user)
    assert colleague.post(f"/api/rosters/leave-requests/{request['id']}/approve", {}, content_type="application/json").status_code == 404
    assert colleague.get("/api/rosters/leave-requests?waiting=true").json() == []
    assert LeaveRequest.objects.get().status == LeaveRequestStatus.REQUESTED


def test_the_person_withdraws(city):
    member = api(city.staff[0].user)
    request = member.post("/api/rosters/leave-requests", {"starts_on": "2026-12-08", "ends_on": "2026-12-08"}, content_type="application/json").json()
    response = member.post(f"/api/rosters/leave-requests/{request['id']}/withdraw")
    assert (response.status_code, response.json()["status"]) == (200, "withdrawn")
