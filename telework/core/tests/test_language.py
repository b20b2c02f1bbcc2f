"""Vietnamese first: the browser's language does not decide, the user's choice does."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.django_db
def test_login_page_is_vietnamese_even_for_an_english_browser(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_choosing_english_sticks(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("accounts:login"))
    assert page.headers["Content-Language"] == "en"
    assert "Log in" in page.content.decode()
