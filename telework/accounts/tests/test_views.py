"""Logging in, and the API tokens page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telework.accounts.models import ApiToken


@pytest.mark.django_db
def test_login_with_staff_code_and_password(city, client):
    response = client.post(reverse("accounts:login"), {"username": city.staff[0].code, "password": "password123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


@pytest.mark.django_db
def test_wrong_password_is_refused_on_the_form(city, client):
    client.cookies["django_language"] = "en"
    response = client.post(reverse("accounts:login"), {"username": city.staff[0].code, "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"]
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_page_is_in_vietnamese_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_tokens_page_creates_a_token_shown_once(city, client):
    client.force_login(city.staff[0].user)
    response = client.post(reverse("accounts:tokens"), {"name": "Điện thoại"})
    key = response.context["new_key"]
    assert key.startswith("tw_")
    assert key in response.content.decode()
    assert ApiToken.objects.get().key_digest == ApiToken.digest(key)
    assert key not in client.get(reverse("accounts:tokens")).content.decode()


@pytest.mark.django_db
def test_tokens_page_refuses_a_nameless_token(city, client):
    client.force_login(city.staff[0].user)
    response = client.post(reverse("accounts:tokens"), {"name": " "}, follow=True)
    assert response.context["new_key"] is None
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_revoking_a_token_stops_it_working(city, client):
    token, key = ApiToken.issue(user=city.staff[0].user, name="script")
    client.force_login(city.staff[0].user)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.django_db
def test_a_user_cannot_revoke_someone_elses_token(city, client):
    token, _key = ApiToken.issue(user=city.staff[1].user, name="script")
    client.force_login(city.staff[0].user)
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.django_db
def test_tokens_page_needs_a_login(client):
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
