"""What a city-wide switch touches, told to the policy app by the apps above it.

Policy sits below registrations and rosters, so it cannot read home days or rosters itself. Those apps register, from
their ``AppConfig.ready``, an *impact reader* (how many approved home days and rosters a change touches, and which
staff) and, for rosters, a *follow-up* (re-solve this week's and next week's rosters, reporting progress). The
confirmation page sums the readers before the change; the background job (``policy.tasks.switch_follow_up_task``)
notifies the people they name, then runs the follow-ups.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SwitchImpact:
    """Approved home days from today on, current rosters of this week and next, and the staff behind them; work items
    the change pauses (switching on) or resumes (switching off) — told by the assignments app, which notifies their
    people itself."""

    home_days: int = 0
    rosters: int = 0
    staff_ids: frozenset[int] = field(default_factory=frozenset)
    work_items: int = 0

    def __add__(self, other: SwitchImpact) -> SwitchImpact:
        return SwitchImpact(
            self.home_days + other.home_days, self.rosters + other.rosters, self.staff_ids | other.staff_ids, self.work_items + other.work_items
        )

    @property
    def people(self) -> int:
        return len(self.staff_ids)


# kind, is_active (the state being switched to), today, exempted staff ids (suspension only) → impact
ImpactReader = Callable[[str, bool, dt.date, frozenset[int]], SwitchImpact]
# (done, total) as units finish
ProgressCallback = Callable[[int, int], None]
# kind, is_active, progress → None
FollowUp = Callable[[str, bool, ProgressCallback], None]

_impact_readers: list[ImpactReader] = []
_follow_ups: list[FollowUp] = []


def register_impact_reader(reader: ImpactReader) -> None:
    if reader not in _impact_readers:
        _impact_readers.append(reader)


def register_follow_up(follow_up: FollowUp) -> None:
    if follow_up not in _follow_ups:
        _follow_ups.append(follow_up)


def impact(kind: str, is_active: bool, today: dt.date, exempted_staff_ids: Iterable[int] = ()) -> SwitchImpact:
    """Everything the registered readers say the change touches."""
    exempted = frozenset(exempted_staff_ids)
    total = SwitchImpact()
    for reader in _impact_readers:
        total = total + reader(kind, is_active, today, exempted)
    return total


def follow_ups() -> list[FollowUp]:
    return list(_follow_ups)
