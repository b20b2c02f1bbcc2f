"""The attendance API for a phone: token auth, check-in, check-out, reachable status and today's status; the
check-in path's query budget (the morning peak)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from telework.accounts.models import ApiToken
from telework.attendance.models import CheckIn
from telework.attendance.schemas import CheckInOut
from telework.attendance.tests.builders import publish_roster, record_leave
from telework.rosters.models import EntryStatus

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, key = ApiToken.issue(user=user, name="điện thoại")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def phone():
    """A client with no cookies at all, as a phone app is."""
    return Client(enforce_csrf_checks=True)


def post(client, path, body, headers):
    return client.post(path, body, content_type="application/json", **headers)


def test_check_in_with_a_token_is_compared_with_the_roster(city, phone):
    today = timezone.localdate()
    member = city.staff[0]
    publish_roster(city.unit, today, {member: EntryStatus.OFFICE})
    response = post(phone, "/api/attendance/check-in", {"mode": "home", "note": "Con ốm, làm ở nhà"}, bearer(member.user))
    assert response.status_code == 201
    body = response.json()
    check_in = CheckIn.objects.get(staff=member)
    assert body["id"] == check_in.pk
    assert body["day"] == today.isoformat()
    assert (body["mode"], body["rostered"], body["finding"], body["is_mismatch"]) == ("home", "office", "home_while_rostered_on_site", True)
    assert body["finding_label"] == "Tại nhà, nhưng lịch làm việc xếp tại cơ quan"
    assert body["note"] == "Con ốm, làm ở nhà"
    assert (body["reachability"], body["checked_out_at"], body["minutes_worked"], body["hours"]) == ("reachable", None, None, "")


def test_check_in_answers_in_english_when_the_phone_asks(city, phone):
    response = post(phone, "/api/attendance/check-in", {"mode": "office"}, {**bearer(city.staff[0].user), "HTTP_ACCEPT_LANGUAGE": "en"})
    assert response.status_code == 201
    assert response.json()["finding_label"] in {"No published roster for this day", "Not a working day"}
    assert response.json()["mode_label"] == "At the office"


def test_a_second_check_in_answers_409_with_the_rule_and_changes_nothing(city, phone):
    headers = bearer(city.staff[0].user)
    first = post(phone, "/api/attendance/check-in", {"mode": "office"}, headers)
    assert first.status_code == 201
    before = list(CheckIn.objects.values())
    second = post(phone, "/api/attendance/check-in", {"mode": "home"}, headers)
    assert second.status_code == 409
    body = second.json()
    assert (body["code"], body["rule"], body["params"]["mode"]) == ("rule_violation", "one_check_in_per_person_per_day", "office")
    assert list(CheckIn.objects.values()) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [({"mode": "garden"}, "mode"), ({}, "mode"), ({"mode": "office", "note": "x" * 301}, "note")],
)
def test_malformed_check_in_answers_422_naming_the_field(city, phone, body, field):
    response = post(phone, "/api/attendance/check-in", body, bearer(city.staff[0].user))
    assert response.status_code == 422
    assert response.json()["rule"] == field
    assert not CheckIn.objects.exists()


def test_without_a_token_the_api_answers_401(city, phone):
    response = post(phone, "/api/attendance/check-in", {"mode": "office"}, {})
    assert response.status_code == 401
    revoked, key = ApiToken.issue(user=city.staff[0].user, name="old phone")
    revoked.revoked_at = timezone.now()
    revoked.save()
    assert post(phone, "/api/attendance/check-in", {"mode": "office"}, {"HTTP_AUTHORIZATION": f"Bearer {key}"}).status_code == 401
    inactive = city.staff[1].user
    headers = bearer(inactive)
    inactive.is_active = False
    inactive.save()
    assert post(phone, "/api/attendance/check-in", {"mode": "office"}, headers).status_code == 401
    assert not CheckIn.objects.exists()
    assert list(ApiToken.objects.values_list("last_used_at", flat=True)) == [None, None]


def test_an_account_without_staff_record_gets_403(city, phone):
    response = post(phone, "/api/attendance/check-in", {"mode": "office"}, bearer(city.home_affairs))
    assert response.status_code == 403
    assert response.json()["rule"] == "staff_record"
    assert phone.get("/api/attendance/today", **bearer(city.home_affairs)).status_code == 403


def test_the_browser_session_needs_the_csrf_header(city):
    client = Client(enforce_csrf_checks=True)
    client.force_login(city.staff[0].user)
    refused = client.post("/api/attendance/check-in", {"mode": "office"}, content_type="application/json")
    assert refused.status_code == 403
    assert not CheckIn.objects.exists()


def test_check_out_reachability_and_today(city, phone):
    today = timezone.localdate()
    member = city.staff[0]
    member.phone = "0909 123 456"
    member.save()
    publish_roster(city.unit, today, {member: EntryStatus.HOME})
    headers = bearer(member.user)
    assert phone.put("/api/attendance/reachability", {"status": "away"}, content_type="application/json", **headers).status_code == 409
    assert post(phone, "/api/attendance/check-in", {"mode": "home"}, headers).status_code == 201
    moved = phone.put("/api/attendance/reachability", {"status": "in_meeting"}, content_type="application/json", **headers)
    assert moved.status_code == 200
    assert (moved.json()["reachability"], moved.json()["reachability_label"]) == ("in_meeting", "Đang họp")
    bad = phone.put("/api/attendance/reachability", {"status": "sleeping"}, content_type="application/json", **headers)
    assert (bad.status_code, bad.json()["rule"]) == (422, "status")

    state = phone.get("/api/attendance/today", **headers).json()
    expected_plan = today.weekday() < 5  # the roster covers the week's working days
    assert state["day"] == today.isoformat()
    assert state["check_in"]["mode"] == "home"
    assert state["leave_kind"] is None
    if state["is_working_day"] and expected_plan:
        assert (state["rostered"], state["expects_check_in"]) == ("home", True)

    out = post(phone, "/api/attendance/check-out", {"note": "Hoàn thành"}, headers)
    assert out.status_code == 200
    assert out.json()["check_out_note"] == "Hoàn thành"
    assert out.json()["minutes_worked"] == 0
    again = post(phone, "/api/attendance/check-out", {}, headers)
    assert (again.status_code, again.json()["rule"]) == (409, "check_out.once")


def test_check_out_without_check_in_answers_409(city, phone):
    response = post(phone, "/api/attendance/check-out", {}, bearer(city.staff[0].user))
    assert (response.status_code, response.json()["rule"]) == (409, "check_out.requires_check_in")


def test_today_reports_recorded_leave(city, phone):
    today = timezone.localdate()
    record_leave(city.staff[0], today - dt.timedelta(days=1), today + dt.timedelta(days=1), kind="sick")
    state = phone.get("/api/attendance/today", **bearer(city.staff[0].user)).json()
    assert (state["leave_kind"], state["expects_check_in"], state["check_in"]) == ("sick", False, None)


def test_each_person_acts_only_on_their_own_attendance(city, phone):
    post(phone, "/api/attendance/check-in", {"mode": "home"}, bearer(city.staff[0].user))
    # Another person's check-out or status never touches the first person's check-in.
    other = bearer(city.staff[1].user)
    assert post(phone, "/api/attendance/check-out", {}, other).status_code == 409
    assert phone.put("/api/attendance/reachability", {"status": "away"}, content_type="application/json", **other).status_code == 409
    assert phone.get("/api/attendance/today", **other).json()["check_in"] is None
    check_in = CheckIn.objects.get()
    assert (check_in.staff, check_in.checked_out_at, check_in.reachability) == (city.staff[0], None, "reachable")


def statements(captured) -> list[str]:
    """The SQL verbs a request ran, without the savepoints of the test's own transaction (pytest-django wraps each
    test in one, so the service's atomic block shows as a savepoint here; in production the INSERT is its own
    transaction)."""
    verbs = [query["sql"].split()[0].upper() for query in captured.captured_queries]
    return [verb for verb in verbs if verb not in {"SAVEPOINT", "RELEASE", "ROLLBACK"}]


# The phone's check-in: on PostgreSQL one statement (the token's holder and facts, the token's last-use stamp and the
# INSERT: telework.attendance.peak); on SQLite the read, the stamp and the INSERT one after the other.
def check_in_statements() -> list[str]:
    return ["WITH"] if connection.vendor == "postgresql" else ["SELECT", "UPDATE", "INSERT"]


def test_the_check_in_path_stays_within_its_query_budget(city, phone, django_assert_max_num_queries):
    """The morning peak: one read (the token, its user, their staff record, roster cell and leave) and one write:
    the INSERT guarded by the unique index, with the token's last-use stamp; no query per roster entry or colleague."""
    today = timezone.localdate()
    publish_roster(city.unit, today, {city.staff[0]: EntryStatus.HOME})
    record_leave(city.staff[1], today)
    headers = bearer(city.staff[0].user)
    with django_assert_max_num_queries(5) as captured:
        response = post(phone, "/api/attendance/check-in", {"mode": "home"}, headers)
    assert response.status_code == 201
    assert statements(captured) == check_in_statements()
    insert = next(query["sql"] for query in captured.captured_queries if "INSERT" in query["sql"])
    assert 'INSERT INTO "attendance_checkin"' in insert
    assert ApiToken.objects.get(user=city.staff[0].user).last_used_at is not None


def test_the_phone_sees_the_same_facts_as_the_page(city, phone):
    """The token's read carries the roster cell and leave the check-in compares with (no second read)."""
    today = timezone.localdate()
    publish_roster(city.unit, today, {city.staff[0]: EntryStatus.OFFICE})
    record_leave(city.staff[0], today)
    body = post(phone, "/api/attendance/check-in", {"mode": "office"}, bearer(city.staff[0].user)).json()
    assert body["finding"] == "checked_in_on_leave"
    assert ApiToken.objects.get(user=city.staff[0].user).last_used_at is not None


def test_a_refused_second_check_in_costs_one_more_read(city, phone, django_assert_max_num_queries):
    headers = bearer(city.staff[0].user)
    post(phone, "/api/attendance/check-in", {"mode": "office"}, headers)
    with django_assert_max_num_queries(7) as captured:
        assert post(phone, "/api/attendance/check-in", {"mode": "home"}, headers).status_code == 409
    assert statements(captured) == [*check_in_statements(), "SELECT"]


def test_a_retried_check_in_answers_the_same_acknowledgement_and_stores_one_row(city, phone, django_assert_max_num_queries):
    """The phone lost the answer (a timeout, an application host killed after the commit) and sends the same check-in
    again: it gets the check-in it made, not an error, and there is still one row (issue 15, point 6)."""
    headers = bearer(city.staff[0].user)
    first = post(phone, "/api/attendance/check-in", {"mode": "home", "note": "Làm ở nhà"}, headers)
    assert first.status_code == 201
    with django_assert_max_num_queries(7) as captured:
        again = post(phone, "/api/attendance/check-in", {"mode": "home", "note": "Làm ở nhà"}, headers)
    assert (again.status_code, again.json()) == (201, first.json())
    assert statements(captured) == [*check_in_statements(), "SELECT"]
    assert CheckIn.objects.filter(staff=city.staff[0]).count() == 1
    # Not a retry: another mode or note is a second check-in, refused with the first's time.
    assert post(phone, "/api/attendance/check-in", {"mode": "home", "note": "khác"}, headers).status_code == 409
    assert CheckIn.objects.filter(staff=city.staff[0]).count() == 1


@pytest.mark.parametrize(
    ("body", "status"),
    [({"mode": "home"}, 409), ({"mode": "garden"}, 422)],
    ids=["second check-in", "malformed"],
)
def test_a_refused_check_in_still_stamps_the_token(city, phone, body, status):
    """Account → API tokens shows when a phone last called, whether or not the call succeeded."""
    headers = bearer(city.staff[0].user)
    assert post(phone, "/api/attendance/check-in", {"mode": "office"}, headers).status_code == 201
    token = ApiToken.objects.get(user=city.staff[0].user)
    token.last_used_at = timezone.now() - dt.timedelta(days=1)
    token.save()
    assert post(phone, "/api/attendance/check-in", body, headers).status_code == status
    token.refresh_from_db()
    assert token.last_used_at > timezone.now() - dt.timedelta(minutes=1)


def test_a_malformed_check_in_without_a_valid_token_answers_401_not_422(city, phone):
    """Who is calling is checked before what they sent, as on every other endpoint."""
    assert post(phone, "/api/attendance/check-in", {"mode": "garden"}, {"HTTP_AUTHORIZATION": "Bearer tw_unknown"}).status_code == 401
    assert post(phone, "/api/attendance/check-in", {"mode": "garden"}, {}).status_code == 401
    assert phone.post("/api/attendance/check-in", b"not json", content_type="application/json", **bearer(city.staff[0].user)).status_code == 422


def test_an_account_without_staff_record_has_its_token_stamped(city, phone):
    headers = bearer(city.home_affairs)
    assert post(phone, "/api/attendance/check-in", {"mode": "office"}, headers).status_code == 403
    assert ApiToken.objects.get(user=city.home_affairs).last_used_at is not None


def test_the_check_in_answer_is_a_valid_check_in_out(city, phone):
    """The check-in's answer skips Ninja's response validation (the morning peak's CPU): it must still be exactly a
    CheckInOut, and read the same as the check-in in ``/today``."""
    today = timezone.localdate()
    publish_roster(city.unit, today, {city.staff[0]: EntryStatus.OFFICE})
    headers = bearer(city.staff[0].user)
    response = post(phone, "/api/attendance/check-in", {"mode": "home", "note": "Sốt"}, headers)
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    CheckInOut.model_validate(body)
    assert set(body) == set(CheckInOut.model_fields)
    assert phone.get("/api/attendance/today", **headers).json()["check_in"] == body
    assert "Sốt" in response.content.decode()  # readable UTF-8, as every other answer


def test_openapi_documents_the_attendance_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    paths = {(method.upper(), path) for path, item in schema["paths"].items() for method in item if path.startswith("/api/attendance")}
    assert paths == {
        ("POST", "/api/attendance/check-in"),
        ("POST", "/api/attendance/check-out"),
        ("PUT", "/api/attendance/reachability"),
        ("GET", "/api/attendance/today"),
    }
    check_in = schema["paths"]["/api/attendance/check-in"]["post"]
    assert set(check_in["responses"]) == {"201", "400", "401", "403", "409", "413", "422", "500"}


@pytest.mark.postgres
def test_the_phone_check_in_is_one_prepared_statement(city, phone):
    """PostgreSQL plans the check-in's statement once per connection, not at every check-in (telework.core.db)."""
    for member in city.staff[:3]:
        assert post(phone, "/api/attendance/check-in", {"mode": "office"}, bearer(member.user)).status_code == 201
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["WITH caller AS%"])
        assert cursor.fetchone()[0] == 1
    assert CheckIn.objects.count() == 3
