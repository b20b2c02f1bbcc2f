"""A session ends after a working day without a request, however long ago the person logged in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.settings import base

WORKING_DAY = base.SESSION_COOKIE_AGE


def test_a_session_lasts_a_working_day_of_idleness():
    assert WORKING_DAY == 10 * 3600


@pytest.mark.django_db
@override_settings(SESSION_COOKIE_AGE=WORKING_DAY)
def test_a_working_session_stays_open_and_an_idle_one_ends_after_ten_hours(city, client, clock):
    client.force_login(city.staff[0].user)
    home = reverse("portal:home")
    assert client.get(home).status_code == 200

    # Working on through the day and past the tenth hour since the login: each request pushes the end back.
    for _hour in range(12):
        clock.shift(dt.timedelta(hours=1))
        assert client.get(home).status_code == 200

    # Away from the desk for 9 h 50 min (checked in at 07:30, back to check out at 17:20): still signed in.
    clock.shift(dt.timedelta(hours=9, minutes=50))
    assert client.get(home).status_code == 200

    # Away for 10 h 1 min (overnight): the session is over and the next page asks for the login again.
    clock.shift(dt.timedelta(hours=10, minutes=1))
    response = client.get(home)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_pages_right_after_the_login_write_no_session(city, client):
    """The idle clock is stamped at the login, so a page read within minutes does not re-save the session."""
    client.force_login(city.staff[0].user)
    client.get(reverse("accounts:tokens"))
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("accounts:tokens"))
    written = [query["sql"] for query in captured.captured_queries if "django_session" in query["sql"] and not query["sql"].startswith("SELECT")]
    assert written == []
