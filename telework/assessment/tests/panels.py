"""Synthetic unit-week panels with a known truth, for the estimator and verdict tests (no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from telework.core import clock


@dataclass(frozen=True)
class Allocated:
    unit_id: int
    arm: str
    stratum: str


@dataclass(frozen=True)
class Panel:
    frame: pd.DataFrame
    allocation: list[Allocated]
    starts: dict[int, pd.Timestamp]


def synthetic_panel(
    *,
    units: int = 60,
    weeks: int = 60,
    launch: int = 40,
    effect: float = 0.0,
    seed: int = 0,
    waves: int = 1,
    wave_gap: int = 4,
    pretrend: float = 0.0,
    agency_effects: dict[int, float] | None = None,
) -> Panel:
    """Units in four agencies with unit and week effects and AR(1) noise; half the units of each agency are pilot
    (or, with ``waves`` > 1, every unit starts, wave by wave). ``pretrend``: pilot units drift by this much per week
    over the whole panel (parallel trends broken). ``agency_effects``: agency → effect, overriding ``effect``."""
    rng = np.random.default_rng(seed)
    today = clock.today()
    last_monday = today - dt.timedelta(days=today.weekday() + 7)
    mondays = pd.date_range(end=pd.Timestamp(last_monday), periods=weeks, freq="7D")
    week_effects = rng.normal(0, 0.01, size=weeks)
    rows = []
    allocation = []
    starts: dict[int, pd.Timestamp] = {}
    for unit in range(1, units + 1):
        agency = unit % 4 + 1
        rank_in_agency = (unit - 1) // 4
        if waves > 1:
            is_pilot, start = True, launch + (rank_in_agency % waves) * wave_gap
        else:
            is_pilot, start = rank_in_agency % 2 == 0, launch
        allocation.append(Allocated(unit_id=unit, arm="pilot" if is_pilot else "comparison", stratum=f"agency {agency}"))
        if is_pilot:
            starts[unit] = mondays[start]
        unit_effect = effect if agency_effects is None else agency_effects.get(agency, 0.0)
        level = 0.8 + rng.normal(0, 0.05)
        noise = 0.0
        for week in range(weeks):
            noise = 0.5 * noise + rng.normal(0, 0.02)
            value = level + week_effects[week] + noise
            if is_pilot:
                value += pretrend * week + (unit_effect if week >= start else 0.0)
            rows.append((unit, agency, mondays[week], value, float(rng.integers(10, 40))))
    frame = pd.DataFrame(rows, columns=["unit_id", "agency_id", "week", "value", "weight"])
    return Panel(frame=frame, allocation=allocation, starts=starts)
