"""Pilots don't overlap (issue 9, point 9): two running pilots cannot cover the same unit and position on the same
day — refused in the service, the pilot form and the API, naming the other pilot, the unit, the position and the
dates; a refused save changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.core.exceptions import RuleViolation
from telework.core.models import AuditEvent
from telework.organization.tests.factories import PositionFactory, UnitFactory
from telework.policy import services
from telework.policy.models import Pilot, PilotPhase, PilotStatus
from telework.policy.overlap import Overlap, PilotCoverage, first_overlap
from telework.policy.tests.test_views import pilot_post

JAN = (dt.date(2027, 1, 4), dt.date(2027, 6, 30))
JUL = (dt.date(2027, 7, 1), dt.date(2027, 12, 31))


# --- The rule, as plain data -----------------------------------------------------------------------------------


def test_pilots_on_the_same_unit_in_disjoint_phases_do_not_overlap():
    first = PilotCoverage(units={1: 10}, position_ids=None, periods=(JAN,))
    second = PilotCoverage(units={1: 10}, position_ids=None, periods=(JUL,))
    assert first_overlap(first, second, position_agency={}) is None


def test_pilots_sharing_a_unit_and_days_overlap_from_the_later_start_to_the_earlier_end():
    first = PilotCoverage(units={1: 10, 2: 10}, position_ids=None, periods=(JAN,))
    second = PilotCoverage(units={2: 10, 3: 10}, position_ids=None, periods=((dt.date(2027, 3, 1), dt.date(2027, 9, 30)),))
    assert first_overlap(first, second, position_agency={}) == Overlap(2, None, dt.date(2027, 3, 1), dt.date(2027, 6, 30))


def test_pilots_on_the_same_unit_with_different_positions_do_not_overlap():
    first = PilotCoverage(units={1: 10}, position_ids=frozenset({100}), periods=(JAN,))
    second = PilotCoverage(units={1: 10}, position_ids=frozenset({101}), periods=(JAN,))
    assert first_overlap(first, second, position_agency={100: 10, 101: 10}) is None


def test_a_pilot_of_every_position_overlaps_one_naming_a_position_of_the_unit_s_agency():
    every = PilotCoverage(units={1: 10}, position_ids=None, periods=(JAN,))
    named = PilotCoverage(units={1: 10}, position_ids=frozenset({100}), periods=(JAN,))
    assert first_overlap(every, named, position_agency={100: 10}) == Overlap(1, 100, *JAN)
    assert first_overlap(named, every, position_agency={100: 10}) == Overlap(1, 100, *JAN)


def test_a_named_position_of_another_agency_cannot_meet_the_unit():
    every = PilotCoverage(units={1: 10}, position_ids=None, periods=(JAN,))
    named = PilotCoverage(units={1: 10}, position_ids=frozenset({200}), periods=(JAN,))
    assert first_overlap(every, named, position_agency={200: 20}) is None


# --- The service ------------------------------------------------------------------------------------------------


def _save(city, *, code="HCMC-2", status=PilotStatus.RUNNING, agencies=None, units=(), positions=(), phases=(("Giai đoạn 1", *JAN),), pilot=None):
    return services.pilot_save(
        actor=city.home_affairs,
        pilot=pilot,
        code=code,
        name=f"Thí điểm {code}",
        description="",
        status=status,
        agencies=list(agencies or [city.agency]),
        units=list(units),
        positions=list(positions),
        phases=list(phases),
    )


def _state():
    return (
        sorted(Pilot.objects.values_list("code", "status", "name")),
        sorted(PilotPhase.objects.values_list("pilot__code", "starts_on", "ends_on")),
        AuditEvent.objects.count(),
    )


@pytest.mark.django_db
def test_starting_a_pilot_over_a_running_one_is_refused_naming_the_pilot_unit_position_and_dates(city):
    city.pilot.units.set([city.unit])
    before = _state()
    with pytest.raises(RuleViolation) as refused:
        _save(city, units=[city.unit], positions=[city.staff[0].position])
    assert refused.value.rule == "pilot.no_overlap"
    assert refused.value.params == {
        "pilot": "Thí điểm TP.HCM",
        "other_pilot": "PILOT",
        "unit": "Phòng Kế hoạch",
        "position": "Chuyên viên tổng hợp",
        "starts_on": "04/01/2027",
        "ends_on": "30/06/2027",
    }
    assert "Thí điểm TP.HCM" in str(refused.value.message)
    assert "Phòng Kế hoạch" in str(refused.value.message)
    assert _state() == before


@pytest.mark.django_db
def test_a_planned_pilot_may_cover_the_same_scope_and_its_start_is_refused(city):
    planned = _save(city, status=PilotStatus.PLANNED)
    before = _state()
    with pytest.raises(RuleViolation):
        _save(city, pilot=planned, code=planned.code, status=PilotStatus.RUNNING)
    assert _state() == before
    assert Pilot.objects.get(pk=planned.pk).status == PilotStatus.PLANNED


@pytest.mark.django_db
def test_a_running_pilot_may_cover_a_sub_unit_after_the_other_pilot_s_phase_ends(city):
    city.pilot.phases.update(ends_on=dt.date(2026, 12, 31))
    sub_unit = UnitFactory(agency=city.agency, parent=city.unit, name="Tổ con")
    pilot = _save(city, units=[sub_unit])
    assert pilot.status == PilotStatus.RUNNING


@pytest.mark.django_db
def test_editing_a_running_pilot_s_phase_into_another_s_dates_is_refused(city):
    city.pilot.phases.update(ends_on=dt.date(2026, 12, 31))
    later = _save(city, phases=[("Giai đoạn 1", *JAN)])
    before = _state()
    with pytest.raises(RuleViolation) as refused:
        _save(city, pilot=later, code=later.code, phases=[("Giai đoạn 1", dt.date(2026, 12, 1), JAN[1])])
    assert (refused.value.params["starts_on"], refused.value.params["ends_on"]) == ("01/12/2026", "31/12/2026")
    assert _state() == before


@pytest.mark.django_db
def test_running_pilots_on_different_positions_of_the_same_unit_coexist(city):
    city.pilot.positions.set([city.desk_position])
    pilot = _save(city, positions=[city.staff[0].position])
    assert pilot.status == PilotStatus.RUNNING


@pytest.mark.django_db
def test_running_pilots_in_different_agencies_coexist(city):
    pilot = _save(city, agencies=[city.other_agency])
    assert pilot.status == PilotStatus.RUNNING


@pytest.mark.django_db
def test_a_closed_pilot_does_not_block(city):
    Pilot.objects.filter(pk=city.pilot.pk).update(status=PilotStatus.CLOSED)
    assert _save(city).status == PilotStatus.RUNNING


# --- The form and the API ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pilot_form_refuses_an_overlapping_start_and_saves_nothing(client, city):
    before = _state()
    client.force_login(city.home_affairs)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("policy:pilot_create"), pilot_post(city, status=PilotStatus.RUNNING))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-rule="pilot.no_overlap"' in content
    assert "The running pilot “Thí điểm TP.HCM” already covers Phòng Kế hoạch, every position, from 04/01/2027 to 30/06/2027" in content
    assert _state() == before


@pytest.mark.django_db
def test_the_pilot_form_speaks_vietnamese_by_default(client, city):
    client.force_login(city.home_affairs)
    response = client.post(reverse("policy:pilot_create"), pilot_post(city, status=PilotStatus.RUNNING))
    assert "Đề án thí điểm đang chạy “Thí điểm TP.HCM” đã bao gồm" in response.content.decode()


def _api_body(city, **changes):
    body = {
        "code": "HCMC-2",
        "name": "Thí điểm giai đoạn 2",
        "status": "running",
        "agency_ids": [city.agency.pk],
        "phases": [{"name": "Giai đoạn 1", "starts_on": "2027-01-04", "ends_on": "2027-06-30"}],
    }
    body.update(changes)
    return body


@pytest.mark.django_db
def test_the_api_refuses_an_overlapping_running_pilot_with_409(client, city):
    before = _state()
    client.force_login(city.home_affairs)
    response = client.post("/api/pilots", _api_body(city), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["rule"]) == ("rule_violation", "pilot.no_overlap")
    assert body["params"]["other_pilot"] == "PILOT"
    assert body["params"]["unit"] == "Phòng Kế hoạch"
    assert (body["params"]["starts_on"], body["params"]["ends_on"]) == ("04/01/2027", "30/06/2027")
    assert _state() == before


@pytest.mark.django_db
def test_the_api_creates_a_planned_pilot_and_refuses_starting_it(client, city):
    client.force_login(city.home_affairs)
    created = client.post("/api/pilots", _api_body(city, status="planned"), content_type="application/json")
    assert created.status_code == 201
    pilot_id = created.json()["id"]
    assert created.json()["status"] == "planned"
    before = _state()
    started = client.put(f"/api/pilots/{pilot_id}", _api_body(city), content_type="application/json")
    assert started.status_code == 409
    assert started.json()["rule"] == "pilot.no_overlap"
    assert _state() == before


@pytest.mark.django_db
def test_the_api_starts_a_pilot_once_the_other_one_is_closed(client, city):
    Pilot.objects.filter(pk=city.pilot.pk).update(status=PilotStatus.CLOSED)
    client.force_login(city.home_affairs)
    position = PositionFactory(agency=city.agency)
    response = client.post("/api/pilots", _api_body(city, position_ids=[position.pk]), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["position_ids"] == [position.pk]


@pytest.mark.django_db
def test_only_home_affairs_may_change_pilots_through_the_api(client, city):
    before = _state()
    client.force_login(city.head_user)
    response = client.post("/api/pilots", _api_body(city, status="planned"), content_type="application/json")
    assert response.status_code == 403
    assert _state() == before


PILOT_API_STATUS = {
    "home_affairs": (201, 200),
    "admin": (201, 200),
    "leadership": (403, 403),
    "hr": (403, 404),
    "unit_head": (403, 404),
    "staff": (403, 404),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), list(PILOT_API_STATUS.items()))
def test_pilot_api_role_matrix(client, city, role, expected):
    """Only Home Affairs and system administrators create or change pilots; city leadership reads pilots on screen
    but may not change them (403); anyone else may not see the pilot (404 on change)."""
    user = {
        "home_affairs": city.home_affairs,
        "admin": city.admin,
        "leadership": city.leadership,
        "hr": city.hr,
        "unit_head": city.head_user,
        "staff": city.staff[0].user,
    }[role]
    client.force_login(user)
    created = client.post("/api/pilots", _api_body(city, code=f"P-{role}".upper(), status="planned"), content_type="application/json")
    changed = client.put(f"/api/pilots/{city.pilot.pk}", _api_body(city, code="PILOT"), content_type="application/json")
    assert (created.status_code, changed.status_code) == expected


@pytest.mark.django_db
def test_pilot_api_answers_401_without_credentials(client, city):
    assert client.post("/api/pilots", _api_body(city), content_type="application/json").status_code == 401
