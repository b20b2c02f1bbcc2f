"""A launched phase with outcome-panel rows, for the dashboard tests and the leadership's browser test.

``launched_city()`` takes ``build_phased_pilot`` (two agencies of six units; phase 1 covers the first agency), moves
phase 1's first day eight weeks back, records a seeded randomised design through the services and launches it. Panel
rows are written straight into ``OutcomeValue`` (the panel's own tests prove how they are computed from records) with
hand-checkable counts: unit ``i`` (0-based in ``units``) has ``10 + i`` dossiers a week, ``7`` of every ten on time
before the start, ``8`` in pilot units since the start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from telework.assessment import services
from telework.assessment.dashboard import monday
from telework.assessment.models import Arm, DesignAllocation, DesignMethod
from telework.assessment.tests.factories import PhasedPilot, build_phased_pilot
from telework.core import clock
from telework.organization.models import Unit
from telework.outcomes.models import OutcomeValue
from telework.policy.models import PilotPhase

WEEKS_BEFORE = 12
WEEKS_SINCE = 8


@dataclass
class LaunchedCity:
    world: PhasedPilot
    phase: PilotPhase
    start: dt.date  # the phase's first Monday
    pilot_units: list[Unit]
    comparison_units: list[Unit]


def write_values(rows: Iterable[tuple[Unit, dt.date, str, float, float | None]]) -> int:
    """Panel rows ``(unit, week, indicator, numerator, denominator)``; the value is the ratio (or the numerator)."""
    now = clock.now()
    values = [
        OutcomeValue(
            unit=unit,
            week=week,
            indicator=code,
            numerator=numerator,
            denominator=denominator,
            value=numerator / denominator if denominator else numerator,
            updated_at=now,
        )
        for unit, week, code, numerator, denominator in rows
    ]
    OutcomeValue.objects.bulk_create(values)
    return len(values)


def launched_city(*, with_panel: bool = True) -> LaunchedCity:
    world = build_phased_pilot()
    start = monday(clock.today()) - dt.timedelta(weeks=WEEKS_SINCE)
    PilotPhase.objects.filter(pk=world.first.pk).update(starts_on=start)
    world.first.refresh_from_db()
    inputs = services.DesignInputs(method=DesignMethod.RANDOMISED, seed=2026, primary_outcomes=("dossier_on_time_rate",), smallest_effect=0.03)
    services.design_record(actor=world.home_affairs, phase=world.first, inputs=inputs)
    services.phase_launch(actor=world.home_affairs, phase=world.first)
    world.first.refresh_from_db()
    arms = dict(DesignAllocation.objects.filter(design__phase=world.first).values_list("unit_id", "arm"))
    city = LaunchedCity(
        world=world,
        phase=world.first,
        start=start,
        pilot_units=[unit for unit in world.units if arms.get(unit.pk) == Arm.PILOT],
        comparison_units=[unit for unit in world.units if arms.get(unit.pk) == Arm.COMPARISON],
    )
    if with_panel:
        write_values(panel_rows(city))
    return city


def on_time(city: LaunchedCity, unit: Unit, week: dt.date) -> tuple[float, float]:
    """(dossiers on time, dossiers returned) of ``unit`` in ``week``."""
    index = city.world.units.index(unit)
    returned = 10.0 + index
    rate = 0.8 if unit in city.pilot_units and week >= city.start else 0.7
    return round(returned * rate), returned


def weeks(city: LaunchedCity) -> list[dt.date]:
    return [city.start - dt.timedelta(weeks=WEEKS_BEFORE - index) for index in range(WEEKS_BEFORE + WEEKS_SINCE)]


def panel_rows(city: LaunchedCity) -> list[tuple[Unit, dt.date, str, float, float | None]]:
    """Every unit of both agencies: on-time dossiers, satisfied ratings (9 of 10) and the roster's participation bands
    (of ``10`` people: 4 at home, 2 one day, 1 two days, 1 three or more)."""
    rows: list[tuple[Unit, dt.date, str, float, float | None]] = []
    for week in weeks(city):
        for unit in city.world.units:
            numerator, denominator = on_time(city, unit, week)
            rows.append((unit, week, "dossier_on_time_rate", numerator, denominator))
            rows.append((unit, week, "citizen_satisfied_share", 9.0, 10.0))
            rows.append((unit, week, "participation_share", 4.0, 10.0))
            rows.append((unit, week, "participation_one_day", 2.0, 10.0))
            rows.append((unit, week, "participation_two_days", 1.0, 10.0))
            rows.append((unit, week, "participation_three_plus_days", 1.0, 10.0))
    return rows
