"""Who the API sees: bearer tokens, the browser session, and ``/api/me``."""

from __future__ import annotations

import pytest
from django.utils import timezone

from telework.accounts.models import ApiToken


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
def test_token_authenticates_and_records_its_last_use(city, client):
    token, key = ApiToken.issue(user=city.staff[0].user, name="Điện thoại")
    assert token.last_used_at is None
    response = client.get("/api/me", **bearer(key))
    assert response.status_code == 200
    assert response.json()["username"] == city.staff[0].code
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_only_the_digest_of_the_key_is_stored(city):
    token, key = ApiToken.issue(user=city.staff[0].user, name="script")
    assert key.startswith("tw_")
    assert token.key_digest == ApiToken.digest(key)
    assert key not in token.key_digest
    assert token.prefix == key[3:11]


@pytest.mark.django_db
def test_revoked_token_answers_401(city, client):
    token, key = ApiToken.issue(user=city.staff[0].user, name="old laptop")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    response = client.get("/api/me", **bearer(key))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_token_of_a_deactivated_account_answers_401(city, client):
    _token, key = ApiToken.issue(user=city.staff[0].user, name="script")
    city.staff[0].user.is_active = False
    city.staff[0].user.save(update_fields=["is_active"])
    assert client.get("/api/me", **bearer(key)).status_code == 401


@pytest.mark.django_db
def test_unknown_token_and_other_schemes_answer_401(client):
    assert client.get("/api/me", **bearer("tw_not-a-real-key")).status_code == 401
    assert client.get("/api/me", HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz").status_code == 401
    assert client.get("/api/me").status_code == 401


@pytest.mark.django_db
def test_a_bad_token_is_not_rescued_by_a_session_cookie(city, client):
    # A client presenting a token is judged by the token: it never acts under a browser session riding along.
    client.force_login(city.head_user)
    assert client.get("/api/me").status_code == 200
    response = client.get("/api/me", **bearer("tw_revoked-or-mistyped"))
    assert response.status_code == 401


@pytest.mark.django_db
def test_me_gives_the_role_and_staff_record(city, client):
    client.force_login(city.head_user)
    body = client.get("/api/me", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body == {
        "username": city.head.code,
        "full_name": "",
        "role": "unit_head",
        "role_label": "Unit head",
        "staff": {
            "code": city.head.code,
            "full_name": "Trần Thị Trưởng",
            "staff_type": "cong_chuc",
            "is_leader": True,
            "position": "Chuyên viên tổng hợp",
            "unit_id": city.unit.pk,
            "unit": "Phòng Kế hoạch",
            "agency_id": city.agency.pk,
            "agency": city.agency.name,
            "direct_superior": None,
        },
    }


@pytest.mark.django_db
def test_me_for_an_account_without_staff_record(city, client):
    client.force_login(city.leadership)
    body = client.get("/api/me").json()
    assert (body["username"], body["role"], body["staff"]) == ("lanhdao", "city_leadership", None)


@pytest.mark.django_db
def test_me_speaks_the_requested_language(city, client):
    client.force_login(city.staff[0].user)
    assert client.get("/api/me", HTTP_ACCEPT_LANGUAGE="vi").json()["role_label"] == "Cán bộ, công chức"
    assert client.get("/api/me", HTTP_ACCEPT_LANGUAGE="en").json()["role_label"] == "Staff member"
