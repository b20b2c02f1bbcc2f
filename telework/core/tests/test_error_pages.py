"""403, 404 and 500 pages in the site's layout, with the reason, in Vietnamese (English when chosen)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.db.utils import load_backend
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from telework.accounts.models import ApiToken
from telework.core import error_views
from telework.core.tests.replicas import closed_port

LAYOUT = 'class="navbar-brand"'


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_404_page_is_the_layout_with_the_reason_in_vietnamese(client):
    response = client.get("/khong-co-trang-nay/")

    html = response.content.decode()
    assert response.status_code == 404
    assert LAYOUT in html
    assert '<html lang="vi">' in html
    assert "<title>Không tìm thấy trang · " in html
    assert "Trang hoặc hồ sơ bạn yêu cầu không tồn tại, hoặc nằm ngoài phạm vi tài khoản của bạn được xem." in html
    assert "/khong-co-trang-nay/" in html
    assert "Page not found" not in html


@pytest.mark.django_db
def test_404_page_is_in_english_when_english_was_chosen(client):
    response = english(client).get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert LAYOUT in html
    assert '<html lang="en">' in html
    assert "The page or the record you asked for does not exist, or it is outside what your account may see." in html


@pytest.mark.django_db
def test_404_shows_the_views_own_reason_but_never_djangos_developer_message(client, city):
    client.force_login(city.head_user)

    missing_unit = client.get(reverse("attendance:timesheet_export") + "?unit=999999&month=2026-12")
    missing_token = client.post(reverse("accounts:token_revoke", args=[999999]))  # get_object_or_404

    assert missing_unit.status_code == 404
    with translation.override("vi"):
        assert translation.gettext("No such unit in your scope.") in missing_unit.content.decode()
    assert missing_token.status_code == 404
    assert "matches the given query" not in missing_token.content.decode()
    assert "Trang hoặc hồ sơ bạn yêu cầu không tồn tại" in missing_token.content.decode()


@pytest.mark.django_db
def test_403_page_is_the_layout_with_the_refusal_in_the_chosen_language(client, city):
    client.force_login(city.staff[0].user)

    vietnamese = client.get(reverse("registrations:overview"))
    in_english = english(client).get(reverse("registrations:overview"))

    assert vietnamese.status_code == 403
    assert LAYOUT in vietnamese.content.decode()
    assert "<title>Không được phép · " in vietnamese.content.decode()
    with translation.override("vi"):
        assert translation.gettext("The unit overview is for heads, HR and Home Affairs.") in vietnamese.content.decode()
    assert in_english.status_code == 403
    assert "The unit overview is for heads, HR and Home Affairs." in in_english.content.decode()
    assert "<title>Not allowed · " in in_english.content.decode()


@pytest.mark.django_db
def test_a_form_refused_by_the_csrf_check_gets_the_sites_403_page(city):
    client = Client(enforce_csrf_checks=True)
    client.force_login(city.staff[0].user)

    response = client.post(reverse("core:notifications_read"))

    html = response.content.decode()
    assert response.status_code == 403
    assert LAYOUT in html
    assert "Biểu mẫu đã hết hiệu lực" in html
    assert "CSRF token" not in html  # Django's reason is for developers


@pytest.mark.django_db
@pytest.mark.urls("telework.core.tests.error_urls")
def test_500_page_is_the_layout_in_the_readers_language(city):
    client = Client(raise_request_exception=False)
    client.force_login(city.staff[0].user)

    vietnamese = client.get("/failing/")
    in_english = english(client).get("/failing/")

    assert vietnamese.status_code == 500
    assert LAYOUT in vietnamese.content.decode()
    assert "Đã xảy ra lỗi" in vietnamese.content.decode()
    assert "a bug" not in vietnamese.content.decode()
    assert "Traceback" not in vietnamese.content.decode()
    assert in_english.status_code == 500
    assert "Something went wrong" in in_english.content.decode()


def test_500_page_renders_without_the_database_or_a_user():
    # No django_db mark: any query would fail the test.
    request = RequestFactory().get("/anything/")
    with translation.override("vi"):
        response = error_views.server_error(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert LAYOUT in html
    assert "Máy chủ không thể hoàn tất yêu cầu của bạn." in html
    assert 'name="language"' not in html  # no language form: it would need a CSRF token from the session


@pytest.fixture(autouse=True)
def _no_language_left_active():
    # A request leaves its language active in the thread; the next test must not inherit English.
    yield
    translation.deactivate()


@contextmanager
def database_down() -> Iterator[None]:
    """The default database stops answering for this thread, as when PostgreSQL restarts: the connection goes to a
    port (or, on SQLite, a file) nothing serves. Afterwards the real connection is back, as after the restart."""
    original = connections["default"]
    config: dict[str, Any] = dict(original.settings_dict)
    if config["ENGINE"].endswith("sqlite3"):
        config["NAME"] = "/nonexistent-telework-database/telework.sqlite3"
    else:
        config.update(HOST="127.0.0.1", PORT=str(closed_port()), OPTIONS={**config.get("OPTIONS", {}), "connect_timeout": 2})
    broken = load_backend(config["ENGINE"]).DatabaseWrapper(config, "default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = original


@pytest.mark.django_db
def test_a_database_that_does_not_answer_gives_a_page_that_says_to_send_again_not_a_500(client, city):
    client.force_login(city.head_user)
    client.raise_request_exception = False
    with database_down():
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(error_views.RETRY_AFTER_SECONDS)
    assert LAYOUT in html
    assert "Cơ sở dữ liệu tạm thời không phản hồi" in html
    assert "Traceback" not in html
    assert "OperationalError" not in html
    # The database is back: the next request works, nobody restarted anything.
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_api_answers_503_with_retry_after_in_its_error_shape_when_the_database_does_not_answer(client, city):
    _token, key = ApiToken.issue(user=city.staff[0].user, name="Điện thoại")
    client.raise_request_exception = False
    with database_down():
        response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 503
    assert response["Retry-After"] == str(error_views.RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["code"] == "database_unavailable"
    assert body["message"].startswith("Cơ sở dữ liệu tạm thời không phản hồi")
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
