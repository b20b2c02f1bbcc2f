"""Issue 11's seams on the home page: a staff member's waiting leave requests, the leave requests waiting for a head,
the delegation notices on a head's and a deputy's home, HR's link to the accounts page, and the navigation's links to
delegations, notification preferences, service quality and the desks."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from telework.organization import delegations
from telework.organization.tests.factories import StaffFactory
from telework.portal.tests.builders import agency_head
from telework.rosters.models import LeaveKind
from telework.rosters.services.leave_requests import leave_request_submit

pytestmark = pytest.mark.django_db

D = dt.date


def block(response, element_id: str) -> str:
    """The visible text of the element with ``element_id`` onwards, tags removed and spaces collapsed."""
    content = response.content.decode()
    start = content.index(f'id="{element_id}"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content[start:]))


def ask_leave(staff):
    """``staff`` asks for annual leave on Tuesday 8 and Wednesday 9 December."""
    return leave_request_submit(actor=staff.user, starts_on=D(2026, 12, 8), ends_on=D(2026, 12, 9), kind=LeaveKind.ANNUAL, note="Việc gia đình")


def test_a_staff_members_waiting_leave_request_is_listed_among_their_requests(city, client):
    ask_leave(city.staff[0])
    client.force_login(city.staff[0].user)
    response = client.get(reverse("portal:home"))
    assert "Đơn xin nghỉ Nghỉ phép năm, 08/12/2026–09/12/2026 Chờ lãnh đạo duyệt" in block(response, "my-requests")
    assert f'<a href="{reverse("rosters:leave_mine")}">Đơn xin nghỉ</a>' in response.content.decode()


def test_the_head_sees_the_leave_requests_waiting_for_them_with_a_link(city, client):
    request = ask_leave(city.staff[0])
    client.force_login(city.head_user)
    response = client.get(reverse("portal:home"))
    content = response.content.decode()
    assert f'data-leave-request="{request.pk}"' in content
    assert f'href="{reverse("rosters:leave")}?unit={city.unit.pk}"' in content
    waiting = block(response, "leave-requests-waiting")
    assert "Đơn xin nghỉ chờ bạn duyệt" in waiting
    assert f"{city.staff[0].full_name} Nghỉ phép năm · 08/12–09/12" in waiting


def test_a_colleague_sees_no_leave_request_waiting(city, client):
    ask_leave(city.staff[0])
    client.force_login(city.staff[1].user)
    assert "leave-requests-waiting" not in client.get(reverse("portal:home")).content.decode()


def test_the_agency_head_sees_the_leave_requests_they_decide(city, client):
    director = agency_head(city)
    request = ask_leave(city.head)  # the unit head's own leave: the agency head decides it
    client.force_login(director.user)
    assert f'data-leave-request="{request.pk}"' in client.get(reverse("portal:home")).content.decode()


def test_more_leave_requests_cost_the_head_no_more_queries(city, client, django_assert_num_queries):
    ask_leave(city.staff[0])
    client.force_login(city.head_user)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("portal:home"))
    ask_leave(city.staff[1])
    ask_leave(city.staff[2])
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("portal:home"))
    assert response.content.decode().count("data-leave-request=") == 3


@pytest.mark.frozen_at("2026-11-24 09:00")
def test_the_heads_and_the_deputys_homes_show_the_delegation_in_force(city, client):
    deputy = StaffFactory(unit=city.unit, position=city.staff[0].position, is_leader=True, is_deputy=True, direct_superior=city.head, full_name="Phạm Văn Phó")
    delegations.delegation_create(head=city.head_user, deputy=deputy.user, starts_on=D(2026, 11, 24), ends_on=D(2026, 11, 27), actor=city.head_user)
    client.force_login(city.head_user)
    head_home = client.get(reverse("portal:home"))
    assert 'data-delegation="delegated-to" data-state="in_force"' in head_home.content.decode()
    assert block(head_home, "home-delegations").startswith('id="home-delegations"> Phạm Văn Phó thay mặt bạn từ 24/11/2026 đến 27/11/2026. Ủy quyền')
    client.force_login(deputy.user)
    deputy_home = client.get(reverse("portal:home"))
    assert 'data-delegation="acting-for" data-state="in_force"' in deputy_home.content.decode()
    assert "Bạn đang thay mặt Trần Thị Trưởng đến hết ngày 27/11/2026" in block(deputy_home, "home-delegations")


def test_a_staff_member_without_delegations_sees_no_notice(city, client):
    client.force_login(city.staff[0].user)
    assert "home-delegations" not in client.get(reverse("portal:home")).content.decode()


def test_hrs_home_links_to_the_accounts_page(city, client):
    client.force_login(city.hr)
    hr_block = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("organization:accounts")}"' in hr_block[hr_block.index('id="hr-home"') :]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("staff", {"nav-preferences"}),
        ("unit_head", {"nav-preferences", "nav-delegations", "nav-desks"}),
        ("agency_hr", {"nav-preferences", "nav-desks"}),
    ],
)
def test_the_navigation_links_each_role_to_its_pages(city, client, who, expected):
    user = {"staff": city.staff[0].user, "unit_head": city.head_user, "agency_hr": city.hr}[who]
    client.force_login(user)
    content = client.get(reverse("portal:home")).content.decode()
    shown = {link for link in ("nav-preferences", "nav-delegations", "nav-desks") if f'id="{link}"' in content}
    assert shown == expected
    assert f'href="{reverse("portal:preferences")}" id="nav-preferences"' in content
    if "nav-delegations" in expected:
        assert f'href="{reverse("organization:delegations")}" id="nav-delegations"' in content
    if "nav-desks" in expected:
        assert f'href="{reverse("dossiers:desks")}" id="nav-desks"' in content


def test_a_staff_role_deputy_gets_the_managing_menu_only_while_acting(city, client, clock):
    deputy = StaffFactory(unit=city.unit, position=city.staff[0].position, is_leader=True, is_deputy=True, direct_superior=city.head, full_name="Phạm Văn Phó")
    delegations.delegation_create(head=city.head_user, deputy=deputy.user, starts_on=D(2026, 11, 23), ends_on=D(2026, 11, 27), actor=city.head_user)
    client.force_login(deputy.user)
    assert 'id="nav-unit"' not in client.get(reverse("portal:home")).content.decode()  # Wednesday 18/11: not yet
    clock.move_to(dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC))
    content = client.get(reverse("portal:home")).content.decode()
    assert 'id="nav-unit"' in content
    assert f'href="{reverse("attendance:board")}"' in content
    assert f'href="{reverse("registrations:overview")}"' not in content  # the overview is for head roles, HR and Home Affairs
    for page in ("attendance:board", "rosters:week", "assignments:board"):
        assert client.get(reverse(page)).status_code == 200, page
    clock.move_to(dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC))
    assert 'id="nav-unit"' not in client.get(reverse("portal:home")).content.decode()
