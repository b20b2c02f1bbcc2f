"""The "My work" page and the board cost a fixed number of queries, however many items and people they show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from telework.assignments import services
from telework.organization.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 7)


def work(city, staff, title):
    return services.work_item_assign(
        actor=city.head_user, staff=staff, title=title, estimated_hours=8, starts_on=MONDAY, due_on=MONDAY + dt.timedelta(days=11), today=MONDAY
    )


def count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_my_work_queries_do_not_grow_with_items(city, client):
    member = city.staff[0]
    work(city, member, "Việc 1")
    services.detect_stalls(today=MONDAY + dt.timedelta(days=4))
    client.force_login(member.user)
    few = count(client, reverse("assignments:mine"))
    for index in range(6):
        work(city, member, f"Việc thêm {index}")
    services.detect_stalls(today=MONDAY + dt.timedelta(days=7))
    assert count(client, reverse("assignments:mine")) == few


def test_board_queries_do_not_grow_with_people_items_or_alerts(city, client):
    for member in city.staff[:2]:
        work(city, member, "Việc")
    services.detect_stalls(today=MONDAY + dt.timedelta(days=4))
    client.force_login(city.head_user)
    url = reverse("assignments:board") + "?week=2026-W50"
    few = count(client, url)
    for index in range(5):
        extra = StaffFactory(unit=city.unit, position=city.staff[0].position, direct_superior=city.head, full_name=f"Thêm {index}")
        work(city, extra, "Việc thêm")
        work(city, extra, "Việc thêm nữa")
    services.detect_stalls(today=MONDAY + dt.timedelta(days=7))
    assert count(client, url) == few
