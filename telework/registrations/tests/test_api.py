"""The registrations API: register, decide and read through HTTP, with the rules and scope of the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from telework.accounts.models import ApiToken, Role
from telework.core.models import AuditEvent
from telework.demo.testing import next_monday
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.registrations import services
from telework.registrations.models import Registration, RegistrationDay, RegistrationStatus

EQUIPMENT = ["computer", "internet", "phone", "printer"]


def request_body(monday: dt.date, weekdays=(0,), **changes):
    body = {
        "starts_on": monday.isoformat(),
        "ends_on": (monday + dt.timedelta(days=4)).isoformat(),
        "mode": "weekly",
        "weekdays": list(weekdays),
        "equipment_attested": EQUIPMENT,
        "commitment_accepted": True,
        "work_plan": "Soạn báo cáo tổng hợp quý",
    }
    body.update(changes)
    return body


def submit(staff, monday, weekdays=(0,)):
    return services.registration_submit(
        staff=staff,
        actor=staff.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        weekdays=list(weekdays),
        equipment_attested=EQUIPMENT,
        commitment_accepted=True,
    )


def state(registration):
    """What a refused request must leave untouched."""
    registration.refresh_from_db()
    days = list(registration.days.order_by("day").values_list("day", "is_counted"))
    return registration.status, days, AuditEvent.objects.count()


def bearer(user):
    _token, key = ApiToken.issue(user=user, name="test client")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
def test_register_then_approve_is_shown_as_approved(city, client):
    monday = next_monday()
    staff = city.staff[0]
    client.force_login(staff.user)
    created = client.post("/api/registrations", request_body(monday, weekdays=(0, 3)), content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "submitted"
    assert body["staff"]["code"] == staff.code
    assert body["home_days"] == [
        {"day": monday.isoformat(), "is_counted": False},
        {"day": (monday + dt.timedelta(days=3)).isoformat(), "is_counted": False},
    ]
    registration_id = body["id"]

    client.force_login(city.head_user)
    inbox = client.get("/api/approvals/inbox").json()
    assert [item["id"] for item in inbox] == [registration_id]
    approved = client.post(f"/api/registrations/{registration_id}/approve", {"comment": "Đồng ý"}, content_type="application/json")
    assert approved.status_code == 200
    assert approved.json()["decided_by"] == str(city.head_user)
    assert client.get("/api/approvals/inbox").json() == []

    client.force_login(staff.user)
    shown = client.get(f"/api/registrations/{registration_id}").json()
    assert shown["status"] == "approved"
    assert shown["decision_comment"] == "Đồng ý"
    assert [day["is_counted"] for day in shown["home_days"]] == [True, True]
    mine = client.get("/api/registrations", {"mine": "true", "status": "approved"}).json()
    assert [item["id"] for item in mine["items"]] == [registration_id]
    assert list(AuditEvent.objects.filter(object_id=str(registration_id)).order_by("id").values_list("action", flat=True)) == [
        "registration.submit",
        "registration.approve",
    ]


@pytest.mark.django_db
def test_approval_past_the_unit_cap_answers_409_naming_max_home_share(city, client):
    # Ten staff, at most 30 % at home: three Monday approvals fill the day; the fourth is refused.
    monday = next_monday()
    registrations = [submit(member, monday) for member in city.staff[:4]]
    for registration in registrations[:3]:
        services.registration_approve(registration=registration, actor=city.head_user)
    last = registrations[3]
    before = state(last)
    client.force_login(city.head_user)
    response = client.post(f"/api/registrations/{last.pk}/approve", {"comment": ""}, content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "rule_violation"
    assert body["rule"] == "max_home_share"
    assert body["details"][0]["rule"] == "max_home_share"
    assert body["details"][0]["date"] == monday.isoformat()
    assert body["details"][0]["params"]["limit"] == 3
    assert body["details"][0]["params"]["home"] == 4
    assert state(last) == before
    assert before[0] == RegistrationStatus.SUBMITTED


@pytest.mark.django_db
def test_submission_over_the_weekly_limit_answers_409_with_the_rule_per_date(city, client):
    client.force_login(city.staff[0].user)
    count_before = Registration.objects.count()
    response = client.post("/api/registrations", request_body(next_monday(), weekdays=(0, 2, 4)), content_type="application/json")
    assert response.status_code == 409
    body = response.json()
    assert body["rule"] == "max_home_days_per_week"
    assert {detail["rule"] for detail in body["details"]} == {"max_home_days_per_week", "min_office_days_per_week"}
    assert Registration.objects.count() == count_before


@pytest.mark.django_db
def test_one_stop_desk_clerk_is_refused_with_every_eligibility_rule(city, client):
    client.force_login(city.clerk.user)
    response = client.post("/api/registrations", request_body(next_monday()), content_type="application/json")
    assert response.status_code == 409
    rules = {detail["rule"] for detail in response.json()["details"]}
    assert {"exclude_citizen_facing", "exclude_dossier_handling", "position.is_one_stop_desk"} <= rules
    assert not Registration.objects.filter(staff=city.clerk).exists()


@pytest.mark.django_db
def test_another_agencys_registration_answers_404(city, client):
    outsider_registration = Registration.objects.create(
        staff=city.outsider, unit=city.outsider.unit, starts_on=next_monday(), ends_on=next_monday(), status=RegistrationStatus.SUBMITTED
    )
    audit_before = AuditEvent.objects.count()
    client.force_login(city.head_user)
    assert client.get(f"/api/registrations/{outsider_registration.pk}").status_code == 404
    response = client.post(f"/api/registrations/{outsider_registration.pk}/approve", {}, content_type="application/json")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "rule": "", "message": response.json()["message"], "params": {}, "details": []}
    outsider_registration.refresh_from_db()
    assert outsider_registration.status == RegistrationStatus.SUBMITTED
    assert AuditEvent.objects.count() == audit_before
    assert client.get("/api/registrations").json()["count"] == 0


@pytest.mark.django_db
def test_malformed_registration_answers_422_with_one_detail_per_field(city, client):
    client.force_login(city.staff[0].user)
    body = request_body(next_monday(), starts_on="15/12/2025", equipment_attested=["fax"])
    del body["ends_on"]
    response = client.post("/api/registrations", body, content_type="application/json")
    assert response.status_code == 422
    payload = response.json()
    assert payload["code"] == "validation_failed"
    assert set(payload) == {"code", "rule", "message", "params", "details"}
    fields = {detail["field"]: detail["rule"] for detail in payload["details"]}
    assert fields == {"starts_on": "date_parsing", "ends_on": "missing", "equipment_attested.0": "enum"}
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_a_period_ending_before_it_starts_answers_422_from_the_service(city, client):
    monday = next_monday()
    client.force_login(city.staff[0].user)
    response = client.post("/api/registrations", request_body(monday, ends_on=(monday - dt.timedelta(days=1)).isoformat()), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert response.json()["rule"] == "period"


@pytest.mark.django_db
def test_an_account_without_a_staff_record_cannot_register(city, client):
    client.force_login(city.home_affairs)
    response = client.post("/api/registrations", request_body(next_monday()), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["rule"] == "staff_record"
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_rejection_needs_a_reason_and_shows_it(city, client):
    registration = submit(city.staff[0], next_monday())
    client.force_login(city.head_user)
    before = state(registration)
    refused = client.post(f"/api/registrations/{registration.pk}/reject", {"reason": "  "}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["rule"] == "reason"
    assert state(registration) == before
    missing = client.post(f"/api/registrations/{registration.pk}/reject", {}, content_type="application/json")
    assert missing.status_code == 422
    assert missing.json()["details"][0]["field"] == "reason"
    rejected = client.post(f"/api/registrations/{registration.pk}/reject", {"reason": "Tuần này có đoàn kiểm tra"}, content_type="application/json")
    assert rejected.status_code == 200
    client.force_login(city.staff[0].user)
    shown = client.get(f"/api/registrations/{registration.pk}").json()
    assert (shown["status"], shown["decision_comment"]) == ("rejected", "Tuần này có đoàn kiểm tra")


@pytest.mark.django_db
def test_changes_requested_then_resubmitted_with_put(city, client):
    monday = next_monday()
    registration = submit(city.staff[0], monday)
    client.force_login(city.head_user)
    asked = client.post(f"/api/registrations/{registration.pk}/request-changes", {"comment": "Chọn thứ Tư thay thứ Hai"}, content_type="application/json")
    assert asked.json()["status"] == "changes_requested"
    client.force_login(city.staff[0].user)
    resubmitted = client.put(f"/api/registrations/{registration.pk}", request_body(monday, weekdays=(2,)), content_type="application/json")
    assert resubmitted.status_code == 200
    assert resubmitted.json()["status"] == "submitted"
    assert resubmitted.json()["home_days"] == [{"day": (monday + dt.timedelta(days=2)).isoformat(), "is_counted": False}]


@pytest.mark.django_db
def test_a_second_decision_answers_409_invalid_transition(city, client):
    registration = submit(city.staff[0], next_monday())
    services.registration_approve(registration=registration, actor=city.head_user)
    client.force_login(city.head_user)
    before = state(registration)
    response = client.post(f"/api/registrations/{registration.pk}/reject", {"reason": "Nhầm"}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["params"] == {"status": "approved", "action": "reject"}
    assert state(registration) == before


@pytest.mark.django_db
def test_revocation_keeps_the_days_within_the_notice(city, client):
    monday = next_monday()
    registration = submit(city.staff[0], monday, weekdays=(0, 4))
    services.registration_approve(registration=registration, actor=city.head_user)
    client.force_login(city.head_user)
    response = client.post(f"/api/registrations/{registration.pk}/revoke", {"reason": "Cần người trực"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "revoked"
    # Within the 60-day trial the HCMC preset gives 5 days' notice: days up to today + 5 still count.
    effective = dt.date.fromisoformat(body["revoked_effective_on"])
    assert effective == timezone.localdate() + dt.timedelta(days=5)
    assert [day["is_counted"] for day in body["home_days"]] == [day <= effective for day in (monday, monday + dt.timedelta(days=4))]


@pytest.mark.django_db
def test_withdraw_is_for_the_staff_member_only(city, client):
    registration = submit(city.staff[0], next_monday())
    client.force_login(city.head_user)
    before = state(registration)
    refused = client.post(f"/api/registrations/{registration.pk}/withdraw")
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_permitted"
    assert state(registration) == before
    client.force_login(city.staff[0].user)
    assert client.post(f"/api/registrations/{registration.pk}/withdraw").json()["status"] == "withdrawn"


@pytest.mark.django_db
def test_list_is_paginated_and_filtered(city, client, django_assert_num_queries):
    monday = next_monday()
    registrations = [submit(member, monday + dt.timedelta(days=7 * week)) for week in range(2) for member in city.staff[:3]]
    services.registration_approve(registration=registrations[0], actor=city.head_user)
    client.force_login(city.head_user)
    first = client.get("/api/registrations", {"page_size": 4}).json()
    assert (first["count"], first["page"], first["page_size"], len(first["items"])) == (6, 1, 4, 4)
    second = client.get("/api/registrations", {"page_size": 4, "page": 2}).json()
    assert [item["id"] for item in first["items"] + second["items"]] == [registration.pk for registration in reversed(registrations)]
    approved = client.get("/api/registrations", {"status": "approved"}).json()
    assert [item["id"] for item in approved["items"]] == [registrations[0].pk]
    assert client.get("/api/registrations", {"unit": city.outsider.unit_id}).json()["count"] == 0
    assert client.get("/api/registrations", {"status": "lost"}).status_code == 422
    too_big = client.get("/api/registrations", {"page_size": 500}).json()
    assert (too_big["code"], too_big["rule"], too_big["details"][0]["rule"]) == ("validation_failed", "page_size", "less_than_equal")
    # Session, user, staff record, its unit (the scope), the heads the viewer acts for today, the page, its days, the
    # suspension switch (once), the count: as many for 2 rows as for 6.
    for page_size in (2, 6):
        with django_assert_num_queries(9):
            client.get("/api/registrations", {"page_size": page_size})


@pytest.mark.django_db
def test_unit_overview_shows_the_week_against_the_cap(city, client):
    monday = next_monday()
    approved = submit(city.staff[0], monday)
    services.registration_approve(registration=approved, actor=city.head_user)
    submit(city.staff[1], monday, weekdays=(1,))
    year, week, _day = monday.isocalendar()
    client.force_login(city.head_user)
    response = client.get(f"/api/units/{city.unit.pk}/overview", {"week": f"{year}-W{week:02d}"})
    assert response.status_code == 200
    body = response.json()
    assert body["week"] == f"{year}-W{week:02d}"
    assert body["headcount"] == 10
    assert [day["day"] for day in body["days"]] == [(monday + dt.timedelta(days=offset)).isoformat() for offset in range(5)]
    assert body["days"][0] == {"day": monday.isoformat(), "approved": 1, "limit": 3, "is_full": False, "max_home_share": 0.3}
    cells = {row["staff"]["code"]: [cell["state"] for cell in row["cells"]] for row in body["rows"]}
    assert cells[city.staff[0].code] == ["approved", "", "", "", ""]
    assert cells[city.staff[1].code] == ["", "pending", "", "", ""]
    assert body["rows"][0]["staff"]["code"] == city.head.code
    assert body["rows"][0]["is_leader"] is True


@pytest.mark.django_db
def test_unit_overview_refuses_a_malformed_week_and_units_out_of_scope(city, client):
    client.force_login(city.head_user)
    bad = client.get(f"/api/units/{city.unit.pk}/overview", {"week": "2026-W60"})
    assert bad.status_code == 422
    assert bad.json()["details"] == [{"field": "week", "rule": "iso_week", "message": "“2026-W60” is not an ISO week such as 2026-W49."}]
    assert client.get(f"/api/units/{city.outsider.unit_id}/overview").status_code == 404
    client.force_login(city.staff[0].user)
    assert client.get(f"/api/units/{city.unit.pk}/overview").status_code == 404


@pytest.mark.django_db
def test_token_client_registers_and_revoked_token_is_refused(city, client):
    headers = bearer(city.staff[0].user)
    created = client.post("/api/registrations", request_body(next_monday()), content_type="application/json", **headers)
    assert created.status_code == 201
    ApiToken.objects.update(revoked_at=dt.datetime.now(tz=dt.UTC))
    refused = client.post("/api/registrations", request_body(next_monday(), weekdays=(1,)), content_type="application/json", **headers)
    assert refused.status_code == 401
    assert refused.json()["code"] == "not_authenticated"
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(city):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(city.staff[0].user)
    browser.get("/accounts/tokens/")  # a page with a form sets the CSRF cookie, as in the browser
    refused = browser.post("/api/registrations", request_body(next_monday()), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert not Registration.objects.exists()
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post("/api/registrations", request_body(next_monday()), content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201


@pytest.mark.django_db
def test_a_head_of_another_unit_in_the_agency_cannot_decide(city, client):
    other_head = StaffFactory(unit=UnitFactory(agency=city.agency), position=city.head.position, is_leader=True, user__role=Role.UNIT_HEAD)
    registration = submit(city.staff[0], next_monday())
    client.force_login(other_head.user)
    before = state(registration)
    assert client.post(f"/api/registrations/{registration.pk}/approve", {}, content_type="application/json").status_code == 404
    assert state(registration) == before
    assert RegistrationDay.objects.filter(is_counted=True).count() == 0
