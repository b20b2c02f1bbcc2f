"""The staffing round through the API: the same services and refusals as the screens."""

from __future__ import annotations

import json

import pytest

from telework.accounts.models import ApiToken
from telework.staffing.models import ReportRound, RoundState
from telework.staffing.tests.factories import staffing_city

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _token, key = ApiToken.issue(user=user, name="script")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def call(client, method, url, user, body=None):  # type: ignore[no-untyped-def]
    if method == "get":
        return client.get(url, **bearer(user))
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json", **bearer(user))


def test_a_round_opened_filled_closed_and_decided_through_the_api(client, city):  # type: ignore[no-untyped-def]
    special = staffing_city(city)
    opened = call(
        client, "post", "/api/staffing/rounds", city.home_affairs, {"title": "Đột xuất", "deadline": "2026-11-18T16:00:00", "reference_number": "9/SNV"}
    )
    assert opened.status_code == 201
    body = opened.json()
    assert (body["state"], body["totals"]["units"], body["totals"]["waiting"]) == ("open", 2, 2)
    row_id = next(row["id"] for row in body["rows"] if row["unit_id"] == special.units[0].pk)
    filled = call(client, "put", f"/api/staffing/rows/{row_id}", special.heads[0], {"needed_on_site": 8, "proposed_at_home": 3, "reason": "Luân phiên"})
    assert filled.status_code == 200
    assert [row["status"] for row in filled.json()["rows"]] == ["filled"]  # a unit head reads only their own unit's row
    round_id = body["id"]
    assert call(client, "post", f"/api/staffing/rounds/{round_id}/close", city.home_affairs).json()["state"] == "closed"
    decided = call(
        client,
        "post",
        f"/api/staffing/rows/{row_id}/decision",
        city.home_affairs,
        {"on_site_minimum": 8, "home_cap": 3, "starts_on": "2026-11-19", "ends_on": "2026-11-30"},
    )
    assert decided.status_code == 201
    assert decided.json()["state"] == "decided"
    assert ReportRound.objects.get().state == RoundState.DECIDED


def test_a_refusal_answers_with_the_rule_and_nothing_changes(client, city):  # type: ignore[no-untyped-def]
    special = staffing_city(city)
    body = call(client, "post", "/api/staffing/rounds", city.home_affairs, {"title": "Đột xuất", "deadline": "2026-11-18T16:00:00"}).json()
    row_id = body["rows"][0]["id"]
    head = special.heads[0] if body["rows"][0]["unit_id"] == special.units[0].pk else special.heads[1]
    refused = call(
        client,
        "put",
        f"/api/staffing/rows/{row_id}",
        head,
        {"needed_on_site": 1, "proposed_at_home": 1, "reason": ""},
    )
    assert refused.status_code == 422
    assert refused.json()["rule"] == "staffing.reason_required"
    assert call(client, "get", f"/api/staffing/rounds/{body['id']}", city.home_affairs).json()["totals"]["filled"] == 0


def test_only_home_affairs_opens_and_outsiders_get_404(client, city):  # type: ignore[no-untyped-def]
    staffing_city(city)
    assert call(client, "post", "/api/staffing/rounds", city.head_user, {"title": "X", "deadline": "2026-11-18T16:00:00"}).status_code == 403
    body = call(client, "post", "/api/staffing/rounds", city.home_affairs, {"title": "X", "deadline": "2026-11-18T16:00:00"}).json()
    assert client.get(f"/api/staffing/rounds/{body['id']}", **bearer(city.hr)).status_code == 404
