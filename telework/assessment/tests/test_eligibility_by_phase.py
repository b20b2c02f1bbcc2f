"""Eligibility reads the scope of the phase covering the day (issue 13 pt 1): phase 1 covers one agency, phase 2
widens to both; a phase that names no agency reads the pilot's scope."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.assessment.tests.factories import build_phased_pilot
from telework.policy.models import PilotStatus
from telework.policy.selectors import eligibility_for
from telework.rosters.adapters import _Pilots


@pytest.fixture
def world(db):
    world = build_phased_pilot()
    world.pilot.status = PilotStatus.RUNNING
    world.pilot.save(update_fields=["status"])
    return world


def _scope_rule(decision):
    return next(rule for rule in decision.rules if rule.code == "pilot_scope")


def _working_day_in(phase):
    day = phase.starts_on + dt.timedelta(days=7)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)  # a Monday inside the phase


def test_a_unit_outside_phase_one_is_out_of_scope_in_phase_one_and_in_scope_in_phase_two(world):
    second_agency_staff = world.units[6].staff.first()
    in_first = eligibility_for(second_agency_staff, _working_day_in(world.first))
    in_second = eligibility_for(second_agency_staff, _working_day_in(world.second))
    assert _scope_rule(in_first).passed is False
    assert _scope_rule(in_first).parameter == "pilot.agencies"
    assert _scope_rule(in_second).passed is True


def test_a_unit_of_phase_one_stays_in_scope_in_both_phases(world):
    first_agency_staff = world.units[0].staff.first()
    assert _scope_rule(eligibility_for(first_agency_staff, _working_day_in(world.first))).passed is True
    assert _scope_rule(eligibility_for(first_agency_staff, _working_day_in(world.second))).passed is True


def test_a_phase_naming_no_agency_reads_the_pilots_scope(world):
    world.first.agencies.clear()
    second_agency_staff = world.units[6].staff.first()
    assert _scope_rule(eligibility_for(second_agency_staff, _working_day_in(world.first))).passed is True


def test_the_roster_reads_the_same_phase_scope(world):
    pilots = _Pilots()
    second_agency = world.agencies[1].pk
    assert pilots.for_agency(second_agency, _working_day_in(world.first)).agency_ids == frozenset({world.agencies[0].pk})
    assert pilots.for_agency(second_agency, _working_day_in(world.second)).agency_ids == frozenset(agency.pk for agency in world.agencies)
