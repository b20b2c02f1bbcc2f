"""Generation for two agencies on PostgreSQL (bulk load, process pool, bulk save)."""

from __future__ import annotations

import pytest
from django.db import connection

from telework.demo.testing import next_monday
from telework.organization.tests.factories import PositionFactory, StaffFactory, UnitFactory
from telework.rosters.adapters import load_unit
from telework.rosters.engine.checker import check
from telework.rosters.models import Roster, RosterEntry
from telework.rosters.selectors import engine_roster, entry_map
from telework.rosters.services import rosters_generate_many, runs
from telework.rosters.tests.test_services import approve_home_days

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_generating_two_agencies_on_postgresql_keeps_every_rule(city, monkeypatch):
    assert connection.vendor == "postgresql"
    monday = next_monday()
    for member in city.staff[:3]:
        approve_home_days(member, [monday])
    units = [city.unit]
    for index in range(3):
        unit = UnitFactory(agency=city.other_agency, name=f"Phòng {index}")
        officer = PositionFactory(agency=city.other_agency)
        StaffFactory(unit=unit, position=officer, is_leader=True)
        for _ in range(6):
            member = StaffFactory(unit=unit, position=officer)
            approve_home_days(member, [monday])
        units.append(unit)

    # A real process pool even for this small city: the forked workers inherit an open PostgreSQL connection they
    # must never touch.
    monkeypatch.setattr(runs, "POOL_MINIMUM_STAFF", 0)
    first = rosters_generate_many(week_start=monday, actor=city.home_affairs, workers=2)
    second = rosters_generate_many(week_start=monday, actor=city.home_affairs, workers=2)

    assert first["units"] == second["units"] == 6
    assert first["workers"] == 2
    # Neither the HR unit nor the outsider's unit has a leader: five days each, unavoidable, and nothing else.
    assert first["hard_violations"] == first["unavoidable"] == 10
    for unit in units:
        current = Roster.objects.get(unit=unit, week_start=monday, is_current=True)
        previous = Roster.objects.get(unit=unit, week_start=monday, version=1)
        assert current.version == 2
        assert current.output_hash == previous.output_hash
        loaded = load_unit(unit, monday)
        assert loaded is not None
        report = check(loaded.instance, engine_roster(current, entry_map(current), [person.id for person in loaded.instance.people]))
        assert report.total == 0
    assert RosterEntry.objects.filter(roster__is_current=True).count() == 5 * (10 + 1 + 1 + 3 * 7)
