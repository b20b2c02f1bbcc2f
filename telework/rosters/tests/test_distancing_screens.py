"""The screens under both regimes (issue 14 pt 3): the regime in force and the presence cap per day on the week grid,
"who is where today" and the exports; home days asked for that the roster does not follow; a unit's usable seats;
the staff member's assigned days; no home-day request taken while the unit assigns them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telework.core import clock
from telework.core.exceptions import RuleViolation
from telework.core.models import AuditEvent
from telework.demo.testing import next_monday
from telework.policy.models import SwitchKind
from telework.policy.services import switch_set
from telework.registrations import services as registration_services
from telework.rosters import exports
from telework.rosters.models import EntryStatus, RosterEntry
from telework.rosters.selectors import week_start_of
from telework.rosters.tests.test_views import EQUIPMENT, approve_home_days, client_for, generate, week_of

pytestmark = pytest.mark.django_db


def test_the_week_page_says_the_pilot_regime_and_shows_no_cap_without_one(city):
    monday = next_monday()
    generate(city, monday)
    page = client_for(city.head_user).get(reverse("rosters:week") + f"?unit={city.unit.pk}&week={week_of(monday)}").content.decode()
    assert 'data-regime="pilot"' in page
    assert "Thí điểm: cán bộ đăng ký ngày làm việc tại nhà" in page
    assert "data-cap=" not in page


def test_under_distancing_the_week_page_shows_the_cap_and_seats_against_each_days_count(city):
    city.unit.office_seats = 4
    city.unit.save(update_fields=["office_seats"])
    switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=True, reason="Chỉ thị 16")
    monday = next_monday()
    generate(city, monday)
    page = client_for(city.head_user).get(reverse("rosters:week") + f"?unit={city.unit.pk}&week={week_of(monday)}").content.decode()
    assert 'data-regime="distancing"' in page
    regime = page.split('id="roster-regime"')[1].split("</div>\n</div>")[0]
    assert "Chế độ giãn cách: đơn vị phân công ngày làm việc tại nhà" in regime
    assert "tối đa 30" in regime
    assert "4 chỗ ngồi sử dụng được tại cơ quan" in regime
    # Ten present: 30 % is 3, the seats 4: the cap of each day is 3.
    assert page.count('data-cap="3"') == 5


def test_who_is_where_today_shows_the_regime_and_the_cap(city):
    switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=True, reason="Chỉ thị 16")
    generate(city, week_start_of(clock.today()), publish=True)
    page = client_for(city.head_user).get(reverse("rosters:today") + f"?unit={city.unit.pk}").content.decode()
    block = page.split('data-regime="distancing"')[1].split("</p>")[0]
    assert "Chế độ giãn cách" in block
    assert 'data-cap="3"' in block


def test_the_export_states_the_regime_and_the_on_site_count_against_the_cap(city):
    switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=True, reason="Chỉ thị 16")
    roster = generate(city, next_monday())
    workbook = load_workbook(io.BytesIO(exports.roster_xlsx([roster])))
    sheet = workbook.worksheets[0]
    assert sheet["A7"].value.startswith("Chế độ giãn cách: đơn vị phân công ngày làm việc tại nhà")
    labels = [sheet.cell(row=row, column=1).value for row in range(9, sheet.max_row + 1)]
    assert "Có mặt tại cơ quan / tối đa (mức trần có mặt)" in labels
    row = 9 + labels.index("Có mặt tại cơ quan / tối đa (mức trần có mặt)")
    assert all(str(sheet.cell(row=row, column=column).value).endswith("/3") for column in range(4, 9))


def test_a_home_day_the_roster_does_not_follow_is_listed_for_the_head_not_silently_overridden(city):
    monday = next_monday()
    member = city.staff[0]
    approve_home_days(city, monday, [member], [1])
    roster = generate(city, monday)
    RosterEntry.objects.filter(roster=roster, staff=member, day=monday + dt.timedelta(days=1)).update(status=EntryStatus.OFFICE)
    page = client_for(city.head_user).get(reverse("rosters:week") + f"?unit={city.unit.pk}&week={week_of(monday)}").content.decode()
    listed = page.split('id="request-conflicts"')[1].split("</section>")[0]
    assert f"{member.full_name} có ngày làm việc tại nhà đã được duyệt vào Thứ Ba" in listed
    assert "được phân công có mặt tại cơ quan" in listed


def test_a_head_sets_the_units_seats_audited_and_too_few_seats_are_refused_in_words(city):
    client = client_for(city.head_user)
    response = client.post(reverse("rosters:seats"), {"unit": city.unit.pk, "office_seats": "1"})
    assert response.status_code == 302
    city.unit.refresh_from_db()
    assert city.unit.office_seats is None  # a desk and a leader need two
    page = client.get(response.url).content.decode()
    assert "ít hơn số người bộ phận một cửa, vị trí trực và lãnh đạo cần" in page
    client.post(reverse("rosters:seats"), {"unit": city.unit.pk, "office_seats": "6"})
    city.unit.refresh_from_db()
    assert city.unit.office_seats == 6
    assert AuditEvent.objects.filter(action="unit.office_seats", object_id=str(city.unit.pk)).count() == 1
    # A staff member may not.
    assert client_for(city.staff[0].user).post(reverse("rosters:seats"), {"unit": city.unit.pk, "office_seats": "9"}).status_code == 403
    city.unit.refresh_from_db()
    assert city.unit.office_seats == 6


def test_no_home_day_request_is_taken_while_the_unit_assigns_them(city):
    switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=True, reason="Chỉ thị 16")
    member = city.staff[0]
    monday = next_monday()
    with pytest.raises(RuleViolation) as refused:
        registration_services.registration_submit(
            staff=member, actor=member.user, starts_on=monday, ends_on=monday, weekdays=[0], equipment_attested=EQUIPMENT, commitment_accepted=True
        )
    assert refused.value.rule == "home_days_assigned"
    assert "đơn vị phân công ngày làm việc tại nhà cho mọi người" in str(refused.value.message)
    page = client_for(member.user).get(reverse("registrations:mine")).content.decode()
    assert 'id="home-days-assigned"' in page
    assert reverse("registrations:new") not in page.split('id="home-days-assigned"')[0].split("<h1")[1]


def test_the_staff_home_shows_the_days_assigned_next_week(city):
    switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=True, reason="Chỉ thị 16")
    generate(city, next_monday(), publish=True)
    member = city.staff[0]
    page = client_for(member.user).get(reverse("portal:home")).content.decode()
    assert 'id="days-assigned"' in page
    upcoming = page.split('id="my-next-week"')[1].split("</ul>")[0]
    assert upcoming.count("data-day=") == 5
    assert "Tuần sau, theo phân công" in page
    assert 'id="no-requests-under-distancing"' in page
    assert reverse("registrations:new") not in page


def test_an_administrator_sets_a_units_seats_in_the_django_admin_and_zero_is_refused(city, admin_client):
    url = reverse("admin:organization_unit_change", args=[city.unit.pk])
    assert admin_client.get(url).status_code == 200
    refused = admin_client.post(url, {"office_seats": "0"})
    assert refused.status_code == 200
    city.unit.refresh_from_db()
    assert city.unit.office_seats is None
    assert admin_client.post(url, {"office_seats": "8"}).status_code == 302
    city.unit.refresh_from_db()
    assert city.unit.office_seats == 8
