"""The eligibility API and the published OpenAPI schema."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from telework.demo.testing import next_monday

RULE_CODES = [
    "staff_active",
    "pilot_scope",
    "pilot_phase",
    "not_suspended",
    "not_citizen_facing",
    "not_dossier_handling",
    "not_one_stop_desk",
    "equipment",
    "training",
    "discipline",
]


@pytest.mark.django_db
def test_eligible_officer_gets_every_rule_passed_with_both_languages(city, client):
    client.force_login(city.staff[0].user)
    day = next_monday()
    response = client.get(f"/api/eligibility/{city.staff[0].code}", {"date": day.isoformat()}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.json()
    assert (body["staff_code"], body["date"], body["is_eligible"]) == (city.staff[0].code, day.isoformat(), True)
    assert [rule["code"] for rule in body["rules"]] == RULE_CODES
    assert all(rule["passed"] for rule in body["rules"])
    equipment = next(rule for rule in body["rules"] if rule["code"] == "equipment")
    assert equipment["parameter"] == "required_equipment"
    assert equipment["reason_en"] == "You have the required equipment: computer, internet, phone, printer."
    assert set(equipment) == {"code", "passed", "parameter", "params", "reason_vi", "reason_en"}


@pytest.mark.django_db
def test_one_stop_desk_clerk_is_told_which_rules_fail(city, client):
    client.force_login(city.head_user)
    body = client.get(f"/api/eligibility/{city.clerk.code}").json()
    assert body["is_eligible"] is False
    failed = {rule["code"]: rule["parameter"] for rule in body["rules"] if not rule["passed"]}
    assert failed == {
        "not_citizen_facing": "exclude_citizen_facing",
        "not_dossier_handling": "exclude_dossier_handling",
        "not_one_stop_desk": "position.is_one_stop_desk",
    }
    citizen = next(rule for rule in body["rules"] if rule["code"] == "not_citizen_facing")
    assert citizen["reason_en"] == "Position Cán bộ một cửa faces citizens or businesses, so it must be done on site."
    assert citizen["params"] == {"position": "Cán bộ một cửa"}


@pytest.mark.django_db
def test_date_outside_every_phase_fails_the_phase_rule(city, client):
    client.force_login(city.staff[0].user)
    late = timezone.localdate() + dt.timedelta(days=500)
    body = client.get(f"/api/eligibility/{city.staff[0].code}", {"date": late.isoformat()}).json()
    phase = next(rule for rule in body["rules"] if rule["code"] == "pilot_phase")
    assert (body["is_eligible"], phase["passed"], phase["parameter"]) == (False, False, "pilot.phases")


@pytest.mark.django_db
def test_staff_outside_the_viewers_scope_answer_404(city, client):
    client.force_login(city.staff[0].user)
    assert client.get(f"/api/eligibility/{city.staff[1].code}").status_code == 404
    client.force_login(city.head_user)
    assert client.get(f"/api/eligibility/{city.outsider.code}").status_code == 404
    assert client.get("/api/eligibility/NO-SUCH-CODE").json()["code"] == "not_found"
    client.force_login(city.home_affairs)
    assert client.get(f"/api/eligibility/{city.outsider.code}").status_code == 200


@pytest.mark.django_db
def test_malformed_date_answers_422_naming_the_field(city, client):
    client.force_login(city.staff[0].user)
    response = client.get(f"/api/eligibility/{city.staff[0].code}", {"date": "31/12/2026"})
    assert response.status_code == 422
    assert response.json()["details"][0]["field"] == "date"


@pytest.mark.django_db
def test_anonymous_callers_get_401_in_the_error_shape(client):
    response = client.get("/api/eligibility/CB00001")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert (body["code"], body["rule"], body["params"], body["details"]) == ("not_authenticated", "authentication", {}, [])


@pytest.mark.django_db
def test_openapi_schema_lists_every_endpoint_with_the_error_schema(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    # Rosters, work, attendance, evaluations, pilots and staffing list their own endpoints in their own API tests.
    own_apps = ("/api/rosters", "/api/work", "/api/attendance", "/api/evaluations", "/api/pilots", "/api/staffing", "/api/dossiers")
    operations = {(method.upper(), path) for path, item in schema["paths"].items() for method in item if not path.startswith(own_apps)}
    assert operations == {
        ("GET", "/api/me"),
        ("GET", "/api/eligibility/{staff_code}"),
        ("GET", "/api/registrations"),
        ("POST", "/api/registrations"),
        ("GET", "/api/registrations/{registration_id}"),
        ("PUT", "/api/registrations/{registration_id}"),
        ("POST", "/api/registrations/{registration_id}/approve"),
        ("POST", "/api/registrations/{registration_id}/reject"),
        ("POST", "/api/registrations/{registration_id}/request-changes"),
        ("POST", "/api/registrations/{registration_id}/revoke"),
        ("POST", "/api/registrations/{registration_id}/withdraw"),
        ("GET", "/api/approvals/inbox"),
        ("GET", "/api/units/{unit_id}/overview"),
    }
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert operation["summary"], (method, path)
            assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    approve = schema["paths"]["/api/registrations/{registration_id}/approve"]["post"]
    assert set(approve["responses"]) == {"200", "400", "401", "403", "404", "409", "413", "422", "500"}
    assert set(schema["components"]["schemas"]["ErrorOut"]["required"]) == {"code", "rule", "message", "params", "details"}
    schemes = schema["components"]["securitySchemes"]
    assert schemes["BearerToken"] == {"type": "http", "scheme": "bearer"}
    assert schemes["BrowserSession"] == {"type": "apiKey", "in": "cookie", "name": "sessionid"}


@pytest.mark.django_db
def test_api_docs_page_loads(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"/api/openapi.json" in response.content
    assert b"cdn.jsdelivr" not in response.content
