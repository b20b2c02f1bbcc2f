"""Service-quality figures on screen: a citizen's rating shows in the desk's and the officer's figures."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from telework.dossiers.rating import slip_code
from telework.dossiers.tests.factories import HCMC, DossierFactory
from telework.organization.tests.factories import ServicePointFactory, UnitFactory

pytestmark = pytest.mark.django_db


def cell(page: str, marker: str, row: str) -> str:
    match = re.search(rf'data-row="{re.escape(row)}".*?{marker}>([^<]*)<', page, re.S)
    assert match, f"no {marker} cell for {row}"
    return match.group(1).strip()


def rate(client, dossier, level):
    data = {"dossier_code": dossier.code, "code": slip_code(dossier.code), "level": level, "comment": ""}
    data.update({f"indicator_{number}": "2" for number in range(1, 10)})
    assert client.post(reverse("dossiers:rate"), data).status_code == 200


@pytest.mark.frozen_at("2026-11-20 10:00")
def test_a_citizen_rating_shows_in_the_desk_and_officer_figures(client, city):
    on_time = DossierFactory(service_point=city.desk)
    late = DossierFactory(service_point=city.desk, returned_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=HCMC))
    on_time.handlers.add(city.clerk)
    late.handlers.add(city.clerk)
    rate(client, on_time, "very_satisfied")
    rate(client, late, "not_satisfied")
    client.force_login(city.head_user)
    page = client.get(reverse("dossiers:quality") + "?level=desk&period=week&day=2026-11-18").content.decode()
    assert cell(page, "data-on-time", city.desk.name) == "50 %"
    assert cell(page, "data-satisfied", city.desk.name) == "50 %"
    officer = re.search(rf'data-officer="{city.clerk.code}">(.*?)</tr>', page, re.S).group(1)
    assert '<td class="text-end">2</td><td class="text-end">2</td>' in officer
    assert "20/20" in officer


@pytest.mark.frozen_at("2026-11-20 10:00")
def test_the_officer_sees_their_own_figures_but_not_the_unit(client, city):
    mine = DossierFactory(service_point=city.desk)
    mine.handlers.add(city.clerk)
    DossierFactory(service_point=city.desk)
    client.force_login(city.clerk.user)
    page = client.get(reverse("dossiers:quality") + "?level=desk&period=week&day=2026-11-18").content.decode()
    assert f'data-officer="{city.clerk.code}"' in page
    assert re.search(rf'data-row="{re.escape(city.desk.name)}".*?<td class="text-end">1</td>', page, re.S)


@pytest.mark.frozen_at("2026-11-20 10:00")
def test_a_unit_head_does_not_see_a_sibling_units_desk(client, city):
    sibling = ServicePointFactory(unit=UnitFactory(agency=city.agency, name="Phòng bên cạnh"), name="Quầy bên cạnh")
    DossierFactory(service_point=sibling)
    client.force_login(city.head_user)
    page = client.get(reverse("dossiers:quality") + "?level=desk&period=week&day=2026-11-18").content.decode()
    assert "Quầy bên cạnh" not in page


@pytest.mark.frozen_at("2026-11-20 10:00")
def test_city_figures_for_home_affairs_and_an_empty_period_says_so(client, city):
    DossierFactory(service_point=city.desk)
    client.force_login(city.home_affairs)
    page = client.get(reverse("dossiers:quality") + "?level=city&period=month&day=2026-11-18").content.decode()
    assert "Toàn Thành phố" in page
    empty = client.get(reverse("dossiers:quality") + "?level=city&period=day&day=2026-10-01").content.decode()
    assert "Không có hồ sơ nào được tiếp nhận" in empty
