"""Pilots don't overlap: two running pilots may not cover the same unit and job position on the same day.

Pure rule over plain data (no ORM): the service builds each pilot's coverage — every unit it covers (a listed unit
brings its subtree; no listed unit means every unit of its agencies), the positions it names (none named means every
position) and its phases' dates — and asks ``first_overlap`` for the first unit, position and dates both cover.
A staff member covered twice would be governed by two phase calendars and two scopes at once: the eligibility rule
``pilot_scope`` could not say which pilot decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PilotCoverage:
    """What a pilot covers: ``units`` maps every covered unit id to its agency id; ``position_ids`` is None when the
    pilot names no position (it then covers every position of its agencies); ``periods`` are its phases' dates."""

    units: Mapping[int, int]
    position_ids: frozenset[int] | None
    periods: tuple[tuple[dt.date, dt.date], ...]


@dataclass(frozen=True)
class Overlap:
    """The first unit and position (None: every position) both pilots cover, and the first stretch of days they share."""

    unit_id: int
    position_id: int | None
    starts_on: dt.date
    ends_on: dt.date


def shared_period(first: PilotCoverage, second: PilotCoverage) -> tuple[dt.date, dt.date] | None:
    """The earliest stretch of days on which a phase of ``first`` and a phase of ``second`` both run."""
    stretches = [
        (max(first_start, second_start), min(first_end, second_end))
        for first_start, first_end in first.periods
        for second_start, second_end in second.periods
        if max(first_start, second_start) <= min(first_end, second_end)
    ]
    return min(stretches) if stretches else None


def first_overlap(first: PilotCoverage, second: PilotCoverage, *, position_agency: Mapping[int, int]) -> Overlap | None:
    """The first (unit, position, days) both pilots cover, or None when they can run side by side.

    A position belongs to one agency (``position_agency``: position id → agency id), so it can only meet a unit of
    that agency. Units are tried in id order, positions in id order, so the answer is stable.
    """
    period = shared_period(first, second)
    if period is None:
        return None
    for unit_id in sorted(set(first.units) & set(second.units)):
        agency_id = first.units[unit_id]
        if first.position_ids is None and second.position_ids is None:
            return Overlap(unit_id, None, *period)
        if first.position_ids is None or second.position_ids is None:
            named = first.position_ids if first.position_ids is not None else second.position_ids
            assert named is not None  # noqa: S101 - one side names positions here
            candidates = set(named)
        else:
            candidates = set(first.position_ids & second.position_ids)
        in_agency = sorted(position_id for position_id in candidates if position_agency.get(position_id) == agency_id)
        if in_agency:
            return Overlap(unit_id, in_agency[0], *period)
    return None


def covers(wider: PilotCoverage, narrower: PilotCoverage) -> bool:
    """Whether ``wider`` covers every unit and job position ``narrower`` covers (dates aside).

    A phase that widens must cover the previous phase's scope; a phase lies within its pilot's scope. ``None``
    positions mean every position, so a scope naming positions never covers one that names none.
    """
    if not set(narrower.units) <= set(wider.units):
        return False
    if wider.position_ids is None:
        return True
    if narrower.position_ids is None:
        return False
    return narrower.position_ids <= wider.position_ids
