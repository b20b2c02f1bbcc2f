"""The inbox and the unit overview cost a constant number of queries, however many rows they show."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from telework.demo.testing import next_monday
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.registrations import services

EQUIPMENT = ["computer", "internet", "phone", "printer"]


def submit(staff, monday, weekdays=(0,), weeks=1):
    return services.registration_submit(
        staff=staff,
        actor=staff.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=7 * weeks - 3),
        weekdays=list(weekdays),
        equipment_attested=EQUIPMENT,
        commitment_accepted=True,
    )


def add_team(city, size, *, name):
    """A sub-unit of the head's unit whose members report to their own team leader, so the head decides for them
    through the unit tree, not as their direct superior (the path that reads each member's unit)."""
    team = UnitFactory(agency=city.agency, parent=city.unit, name=name)
    position = city.staff[0].position
    leader = StaffFactory(unit=team, position=position, is_leader=True, full_name=f"Trưởng nhóm {name}")
    return [StaffFactory(unit=team, position=position, direct_superior=leader, full_name=f"{name} {index}") for index in range(size)]


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries), response


@pytest.mark.django_db
def test_inbox_queries_do_not_grow_with_rows(city, django_assert_max_num_queries):
    monday = next_monday()
    client = Client()
    client.force_login(city.head_user)
    # Two pending registrations: the baseline.
    for member in city.staff[:2]:
        submit(member, monday, weekdays=(0, 3), weeks=4)
    baseline, _response = count_queries(client, reverse("registrations:inbox"))
    # Forty more, across two units, over four weeks each.
    for member in city.staff[2:8] + add_team(city, 34, name="Tổ Dữ liệu"):
        submit(member, monday, weekdays=(1, 4), weeks=4)
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("registrations:inbox"))
    assert response.content.decode().count('class="card mb-2 inbox-row"') == 42


@pytest.mark.django_db
def test_overview_queries_do_not_grow_with_rows(city, django_assert_max_num_queries):
    monday = next_monday()
    week = "{}-W{:02d}".format(*monday.isocalendar()[:2])
    client = Client()
    client.force_login(city.head_user)
    url = reverse("registrations:overview")
    baseline, _response = count_queries(client, url, {"week": week})
    members = []
    for index in range(30):
        members.append(StaffFactory(unit=city.unit, position=city.staff[0].position, direct_superior=city.head, full_name=f"Nhân viên {index}"))
    for index, member in enumerate(city.staff + members):
        registration = submit(member, monday, weekdays=(index % 5, (index + 2) % 5))
        if index % 3 == 0:
            services.registration_approve(registration=registration, actor=city.head_user)
    with django_assert_max_num_queries(baseline):
        response = client.get(url, {"week": week})
    content = response.content.decode()
    assert content.count("<tr data-staff=") == 40
    assert content.count('data-cell="approved"') > 0
    assert content.count('data-cell="pending"') > 0
