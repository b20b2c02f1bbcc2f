"""What else is planned for a person on a day, as the approval inbox shows it next to a request: a place in a
published roster, leave, a business trip.

Those facts live in apps above this one (``telework.rosters`` keeps rosters and leave), which registrations may not
import; so they register a reader here when Django starts (``AppConfig.ready``), as ``policy.effects`` does for the
switches. The inbox asks every reader once per page, whatever the number of requests.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection
from dataclasses import dataclass


@dataclass(frozen=True)
class DayPlan:
    """One planned thing on one day: what it is, in words ("Nghỉ phép năm", "Trực: Bàn tiếp nhận hồ sơ"), and whether
    it keeps the person from working at home that day (leave, desk duty)."""

    label: str
    is_conflict: bool = False


# (staff ids, first day, last day) → {(staff id, day): [plans]}
DayPlanReader = Callable[[Collection[int], dt.date, dt.date], dict[tuple[int, dt.date], list[DayPlan]]]

_READERS: dict[str, DayPlanReader] = {}


def register_reader(name: str, reader: DayPlanReader) -> None:
    """Add (or replace, by ``name``) a reader of planned days."""
    _READERS[name] = reader


def plans_for(staff_ids: Collection[int], first: dt.date, last: dt.date) -> dict[tuple[int, dt.date], list[DayPlan]]:
    """Every registered reader's plans for these people between two dates (one call per reader)."""
    plans: dict[tuple[int, dt.date], list[DayPlan]] = defaultdict(list)
    if not staff_ids:
        return plans
    for reader in _READERS.values():
        for key, found in reader(staff_ids, first, last).items():
            plans[key].extend(found)
    return plans
