"""The evaluations API, role by endpoint: who reads which period and evaluation, who decides."""

from __future__ import annotations

import pytest

from telework.evaluations.models import Evaluation
from telework.evaluations.tests.helpers import computed_quarter

pytestmark = pytest.mark.django_db

ROLES = ("staff", "head", "hr", "home_affairs", "leadership", "outsider")


def user_for(city, role):
    return {
        "staff": city.staff[1].user,
        "head": city.head_user,
        "hr": city.hr,
        "home_affairs": city.home_affairs,
        "leadership": city.leadership,
        "outsider": city.outsider.user,
    }[role]


# Expected status per endpoint and role; the evaluation read or decided is city.staff[0]'s.
EXPECTED = {
    "periods": {"staff": 200, "head": 200, "hr": 200, "home_affairs": 200, "leadership": 200, "outsider": 200},
    "period": {"staff": 200, "head": 200, "hr": 200, "home_affairs": 200, "leadership": 200, "outsider": 404},
    "detail": {"staff": 404, "head": 200, "hr": 200, "home_affairs": 200, "leadership": 200, "outsider": 404},
    "decide": {"staff": 404, "head": 200, "hr": 403, "home_affairs": 403, "leadership": 403, "outsider": 404},
}


def test_every_endpoint_of_the_app_is_in_the_matrix(client):
    paths = {path for path in client.get("/api/openapi.json").json()["paths"] if path.startswith("/api/evaluations")}
    assert len(paths) == len(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", list(EXPECTED))
def test_role_by_endpoint(client, city, endpoint, role):
    period = computed_quarter(city)
    evaluation = Evaluation.objects.get(period=period, staff=city.staff[0])
    client.force_login(user_for(city, role))
    if endpoint == "periods":
        response = client.get("/api/evaluations/periods")
    elif endpoint == "period":
        response = client.get(f"/api/evaluations/periods/{period.pk}")
    elif endpoint == "detail":
        response = client.get(f"/api/evaluations/{evaluation.pk}")
    else:
        response = client.post(f"/api/evaluations/{evaluation.pk}/decide", {"level": "good"}, content_type="application/json")
    assert response.status_code == EXPECTED[endpoint][role]
    evaluation.refresh_from_db()
    assert evaluation.final_level == ("good" if response.status_code == 200 and endpoint == "decide" else "")


def test_period_list_holds_only_visible_periods(client, city):
    computed_quarter(city)
    client.force_login(city.outsider.user)
    assert client.get("/api/evaluations/periods").json() == []


def test_decide_without_reason_is_refused_with_the_rule(client, city):
    period = computed_quarter(city)
    evaluation = Evaluation.objects.get(period=period, staff=city.staff[0])
    client.force_login(city.head_user)
    response = client.post(f"/api/evaluations/{evaluation.pk}/decide", {"level": "completed"}, content_type="application/json")
    assert (response.status_code, response.json()["rule"]) == (422, "change_reason")
    evaluation.refresh_from_db()
    assert evaluation.final_level == ""


def test_decide_judges_a_leaders_factors_through_the_api(client, city):
    from telework.evaluations.tests.helpers import agency_head

    period = computed_quarter(city)
    evaluation = Evaluation.objects.get(period=period, staff=city.head)
    client.force_login(agency_head(city))
    payload = {"level": "completed", "reason": "Tổ chức chưa tốt", "leader_factors": {"organising": 50, "unity": 50}}
    response = client.post(f"/api/evaluations/{evaluation.pk}/decide", payload, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert (body["score"], body["final_level"]) == (58.33, "completed")
    unit = next(line for line in body["breakdown"] if line["code"] == "leader.organising")
    assert unit["citation_en"] == "Decree 335/2025/NĐ-CP, Art. 15, cl. 3"
