"""A launched phase over 24 units with a year of outcome panel before launch and ten weeks after, with an effect
planted on the dossiers' on-time rate in pilot units (for the stored-estimate, page and report tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from telework.assessment import services
from telework.assessment.models import Arm, DesignAllocation, PhaseDesign
from telework.assessment.services import DesignInputs
from telework.assessment.tests.factories import PhasedPilot, build_phased_pilot
from telework.core import clock
from telework.outcomes.models import OutcomeValue
from telework.policy.models import PilotPhase

WEEKS_BEFORE = 40
WEEKS_AFTER = 10
PLANTED_EFFECT = 0.06


@dataclass
class EstimateWorld:
    world: PhasedPilot
    phase: PilotPhase
    design: PhaseDesign


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def build_estimate_world(*, launch: bool = True, seed: int = 7, indicators: tuple[str, ...] = ("dossier_on_time_rate", "dossier_overdue")) -> EstimateWorld:
    world = build_phased_pilot(units_per_agency=12)
    phase = world.first
    this_week = _monday(clock.today())
    phase.starts_on = this_week - dt.timedelta(weeks=WEEKS_AFTER)
    phase.save(update_fields=["starts_on"])
    phase.agencies.set(world.agencies)
    inputs = DesignInputs(method="randomised", seed=2026, primary_outcomes=("dossier_on_time_rate",), smallest_effect=0.03)
    design = services.design_record(actor=world.home_affairs, phase=phase, inputs=inputs)
    if launch:
        services.phase_launch(actor=world.home_affairs, phase=phase)
        design.refresh_from_db()
        phase.refresh_from_db()
    arms = dict(DesignAllocation.objects.filter(design=design).values_list("unit_id", "arm"))
    rng = np.random.default_rng(seed)
    now = clock.now()
    rows = []
    first_week = phase.starts_on - dt.timedelta(weeks=WEEKS_BEFORE)
    weeks = [first_week + dt.timedelta(weeks=index) for index in range(WEEKS_BEFORE + WEEKS_AFTER)]
    week_effects = rng.normal(0, 0.01, size=len(weeks))
    for unit_id in sorted(arms):
        level = 0.8 + rng.normal(0, 0.03)
        for index, week in enumerate(weeks):
            treated = arms[unit_id] == Arm.PILOT and week >= phase.starts_on
            dossiers = int(rng.integers(20, 40))
            if "dossier_on_time_rate" in indicators:
                value = min(1.0, max(0.0, level + week_effects[index] + rng.normal(0, 0.02) + (PLANTED_EFFECT if treated else 0.0)))
                on_time = round(value * dossiers)
                rows.append(
                    OutcomeValue(
                        unit_id=unit_id,
                        week=week,
                        indicator="dossier_on_time_rate",
                        value=on_time / dossiers,
                        numerator=on_time,
                        denominator=dossiers,
                        updated_at=now,
                    )
                )
            if "dossier_overdue" in indicators:
                overdue = int(rng.integers(0, 4))
                rows.append(
                    OutcomeValue(unit_id=unit_id, week=week, indicator="dossier_overdue", value=overdue, numerator=overdue, denominator=None, updated_at=now)
                )
    OutcomeValue.objects.bulk_create(rows)
    return EstimateWorld(world=world, phase=phase, design=design)
