"""The work API (/api/work): the flow in JSON, files by multipart, the one error shape, OpenAPI, and a role ×
endpoint matrix proving who may read and do what (a refused request changes nothing)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from telework.accounts.models import ApiToken, Role
from telework.assignments import services
from telework.assignments.models import Attachment, WorkItem, WorkStatus
from telework.assignments.tests.helpers import EXECUTABLE, PDF, assign
from telework.core.models import AuditEvent
from telework.organization.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

BASE = "/api/work"


def post(client, path, body=None):
    return client.post(f"{BASE}{path}", body or {}, content_type="application/json")


def test_the_flow_through_the_api(city, client):
    member, head = city.staff[0], city.head_user
    today = timezone.localdate()
    client.force_login(head)
    created = post(
        client, "/items", {"staff_id": member.pk, "title": "Rà soát văn bản", "estimated_hours": 6, "due_on": (today + dt.timedelta(days=5)).isoformat()}
    )
    assert created.status_code == 201
    item_id = created.json()["id"]
    assert (created.json()["status"], created.json()["staff"]["code"], created.json()["starts_on"]) == ("assigned", member.code, today.isoformat())

    client.force_login(member.user)
    listed = client.get(f"{BASE}/items", {"mine": True}).json()
    assert (listed["count"], listed["items"][0]["id"]) == (1, item_id)
    progress = post(client, f"/items/{item_id}/progress", {"progress_percent": 70, "hours_spent": 2.5, "note": "Đang rà soát"})
    assert progress.status_code == 201
    assert (progress.json()["item"]["status"], progress.json()["item"]["hours_spent"]) == ("in_progress", "2.5")
    assert post(client, f"/items/{item_id}/submit", {"note": "Xong"}).json()["status"] == "submitted"

    client.force_login(head)
    missing_reason = post(client, f"/items/{item_id}/return", {"reason": " "})
    assert (missing_reason.status_code, missing_reason.json()["rule"]) == (422, "reason")
    assert post(client, f"/items/{item_id}/return", {"reason": "Thiếu căn cứ pháp lý"}).json()["status"] == "returned"

    client.force_login(member.user)
    post(client, f"/items/{item_id}/progress", {"progress_percent": 100, "note": "Đã bổ sung"})
    post(client, f"/items/{item_id}/submit")

    client.force_login(head)
    bad_rating = post(client, f"/items/{item_id}/accept", {"rating": 6})
    assert (bad_rating.status_code, bad_rating.json()["code"], bad_rating.json()["details"][0]["field"]) == (422, "validation_failed", "rating")
    accepted = post(client, f"/items/{item_id}/accept", {"rating": 4, "comment": "Đạt"})
    assert (accepted.json()["status"], accepted.json()["quality_rating"]) == ("accepted", 4)
    again = post(client, f"/items/{item_id}/accept", {"rating": 4})
    body = again.json()
    assert (again.status_code, body["code"], body["rule"], body["params"]) == (
        409,
        "invalid_transition",
        "work_item.status",
        {"status": "accepted", "action": "accept"},
    )


def test_a_proposal_through_the_api(city, client):
    client.force_login(city.staff[4].user)
    today = timezone.localdate()
    created = post(client, "/items", {"title": "Đề xuất cải tiến mẫu biểu", "estimated_hours": 4, "due_on": (today + dt.timedelta(days=4)).isoformat()})
    assert (created.status_code, created.json()["status"]) == (201, "proposed")
    client.force_login(city.head_user)
    assert post(client, f"/items/{created.json()['id']}/accept-proposal", {"comment": "Đồng ý"}).json()["status"] == "assigned"


def test_impossible_dates_answer_422_with_one_detail_per_field(city, client):
    client.force_login(city.head_user)
    today = timezone.localdate()
    response = post(
        client,
        "/items",
        {"staff_id": city.staff[0].pk, "title": "", "estimated_hours": 3, "starts_on": (today + dt.timedelta(days=9)).isoformat(), "due_on": today.isoformat()},
    )
    body = response.json()
    assert (response.status_code, body["code"], [detail["rule"] for detail in body["details"]]) == (422, "validation_failed", ["title", "due_on"])
    malformed = post(client, "/items", {"staff_id": city.staff[0].pk, "title": "X", "estimated_hours": 3, "due_on": "2026-02-30"})
    assert (malformed.status_code, malformed.json()["details"][0]["field"]) == (422, "due_on")
    too_much = post(client, f"/items/{assign(city).pk}/progress", {"progress_percent": 120})
    assert (too_much.status_code, too_much.json()["details"][0]["field"]) == (422, "progress_percent")
    assert not WorkItem.objects.exclude(title="Tổng hợp báo cáo quý").exists()


def test_attachments_by_multipart_with_the_type_checked(city, client):
    item = assign(city)
    token, key = ApiToken.issue(user=city.staff[0].user, name="điện thoại")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    disguised = client.post(f"{BASE}/items/{item.pk}/attachments", {"files": [SimpleUploadedFile("hoa-don.pdf", EXECUTABLE)]}, **auth)
    assert (disguised.status_code, disguised.json()["rule"]) == (422, "attachment")
    assert not Attachment.objects.exists()
    good = client.post(f"{BASE}/items/{item.pk}/attachments", {"files": [SimpleUploadedFile("ket-qua.pdf", PDF)]}, **auth)
    assert good.status_code == 201
    assert [(row["filename"], row["kind"], row["size"]) for row in good.json()] == [("ket-qua.pdf", "pdf", len(PDF))]


def test_comments_through_the_api(city, client):
    item = assign(city)
    client.force_login(city.staff[0].user)
    assert post(client, f"/items/{item.pk}/comments", {"body": "Hạn có thể lùi không?"}).status_code == 201
    client.force_login(city.head_user)
    assert [comment["body"] for comment in client.get(f"{BASE}/items/{item.pk}/comments").json()] == ["Hạn có thể lùi không?"]


def test_apology_slip_through_the_api_names_every_rule_broken(city, client):
    today = timezone.localdate()
    item = services.work_item_assign(
        actor=city.head_user,
        staff=city.staff[2],
        title="Hồ sơ",
        estimated_hours=2,
        is_legal_deadline=True,
        dossier_code="HS-1",
        dossier_received_on=today,
        legal_deadline_working_days=1,
    )
    WorkItem.objects.filter(pk=item.pk).update(due_on=today)  # due today: too late for a slip, whatever the weekday
    client.force_login(city.staff[2].user)
    response = post(client, f"/items/{item.pk}/apology-slip", {"reason": "Chờ", "new_due_date": today.isoformat()})
    body = response.json()
    assert response.status_code == 409
    assert [detail["rule"] for detail in body["details"]] == ["apology_lead_days", "new_due_date"]


def test_workload_on_chosen_home_days(city, client):
    monday = dt.date(2026, 12, 7)
    services.work_item_assign(
        actor=city.head_user, staff=city.staff[0], title="Việc", estimated_hours=10, starts_on=monday, due_on=monday + dt.timedelta(days=4), today=monday
    )
    client.force_login(city.staff[0].user)
    response = client.get(f"{BASE}/workload", {"days": ["2026-12-07", "2026-12-09", "2026-12-12"]})
    assert response.json() == {
        "days": ["2026-12-07", "2026-12-09"],
        "planned_hours": 4.0,
        "norm_hours": 16.0,
        "ratio": 0.25,
        "status": "under",
        "is_short": True,
    }
    assert client.get(f"{BASE}/workload", {"days": ["07/12/2026"]}).status_code == 422


def test_openapi_documents_every_work_endpoint_with_the_error_schema(client):
    schema = client.get("/api/openapi.json").json()
    operations = {(method.upper(), path) for path, item in schema["paths"].items() for method in item if path.startswith("/api/work")}
    assert operations == {
        ("GET", "/api/work/items"),
        ("POST", "/api/work/items"),
        ("GET", "/api/work/items/{item_id}"),
        ("POST", "/api/work/items/{item_id}/progress"),
        ("POST", "/api/work/items/{item_id}/attachments"),
        ("POST", "/api/work/items/{item_id}/start"),
        ("POST", "/api/work/items/{item_id}/submit"),
        ("POST", "/api/work/items/{item_id}/accept"),
        ("POST", "/api/work/items/{item_id}/return"),
        ("POST", "/api/work/items/{item_id}/cancel"),
        ("POST", "/api/work/items/{item_id}/accept-proposal"),
        ("POST", "/api/work/items/{item_id}/decline-proposal"),
        ("GET", "/api/work/items/{item_id}/comments"),
        ("POST", "/api/work/items/{item_id}/comments"),
        ("POST", "/api/work/items/{item_id}/apology-slip"),
        ("GET", "/api/work/workload"),
    }
    for path, item in schema["paths"].items():
        if not path.startswith("/api/work"):
            continue
        for method, operation in item.items():
            assert operation["summary"], (method, path)
            assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


# --------------------------------------------------------------------------------------------- role × endpoint


ROLES = ("assignee", "colleague", "unit_head", "agency_head", "agency_hr", "home_affairs", "city_leadership", "outsider", "anonymous")

# endpoint → expected status per role (in ROLES order). The item belongs to city.staff[0], assigned by the head and
# submitted (so "accept" is possible); "progress" runs on a second, assigned item.
EXPECTED = {
    "GET item": (200, 404, 200, 200, 200, 200, 200, 404, 401),
    "GET comments": (200, 404, 200, 200, 200, 200, 200, 404, 401),
    "POST progress": (201, 404, 403, 403, 403, 403, 403, 404, 401),
    "POST accept": (403, 404, 200, 200, 403, 403, 403, 404, 401),
    "POST return": (403, 404, 200, 200, 403, 403, 403, 404, 401),
    "POST cancel": (403, 404, 200, 200, 403, 403, 403, 404, 401),
    "POST comment": (201, 404, 201, 201, 403, 403, 403, 404, 401),
}


@pytest.fixture
def world(city):
    agency_head = StaffFactory(unit__agency=city.agency, is_leader=True, user__role=Role.AGENCY_HEAD, full_name="Giám đốc")
    submitted = assign(city)
    services.progress_record(item=submitted, actor=city.staff[0].user, progress_percent=100)
    services.work_item_submit(item=submitted, actor=city.staff[0].user)
    in_hand = assign(city, title="Việc đang làm")
    users = {
        "assignee": city.staff[0].user,
        "colleague": city.staff[1].user,
        "unit_head": city.head_user,
        "agency_head": agency_head.user,
        "agency_hr": city.hr,
        "home_affairs": city.home_affairs,
        "city_leadership": city.leadership,
        "outsider": city.outsider.user,
        "anonymous": None,
    }
    return {"users": users, "submitted": submitted, "in_hand": in_hand}


def request_for(client, name, world):
    submitted, in_hand = world["submitted"].pk, world["in_hand"].pk
    if name == "GET item":
        return client.get(f"{BASE}/items/{submitted}")
    if name == "GET comments":
        return client.get(f"{BASE}/items/{submitted}/comments")
    if name == "POST progress":
        return post(client, f"/items/{in_hand}/progress", {"progress_percent": 10})
    if name == "POST accept":
        return post(client, f"/items/{submitted}/accept", {"rating": 5})
    if name == "POST return":
        return post(client, f"/items/{submitted}/return", {"reason": "Làm lại"})
    if name == "POST cancel":
        return post(client, f"/items/{submitted}/cancel", {"reason": "Huỷ"})
    return post(client, f"/items/{submitted}/comments", {"body": "Ý kiến"})


def snapshot():
    return (
        tuple(WorkItem.objects.order_by("pk").values_list("status", "progress_percent", "quality_rating", "decision_comment")),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(EXPECTED))
def test_role_endpoint_matrix(world, client, role, name):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    before = snapshot()
    response = request_for(client, name, world)
    expected = EXPECTED[name][ROLES.index(role)]
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()) == {"code", "rule", "message", "params", "details"}
        assert snapshot() == before
    elif name.startswith("POST"):
        assert snapshot() != before


def test_the_list_is_scoped(world, client):
    client.force_login(world["users"]["colleague"])
    assert client.get(f"{BASE}/items").json()["count"] == 0
    client.force_login(world["users"]["unit_head"])
    assert client.get(f"{BASE}/items").json()["count"] == 2
    client.force_login(world["users"]["outsider"])
    assert client.get(f"{BASE}/items").json()["count"] == 0
    assert WorkItem.objects.filter(status=WorkStatus.SUBMITTED).count() == 1
