"""Switching emergency mode or the suspension re-solves the rosters it affects (issue 3, item 6; issue 9, point 4).

The policy app knows nothing of rosters: it asks the impact readers and runs the follow-ups registered here (from
``RostersConfig.ready``), in the background job that follows an effective switch change (``policy.services``).
"""

from __future__ import annotations

import datetime as dt

from telework.policy import effects
from telework.rosters.models import Roster, RosterEntry
from telework.rosters.services import rosters_regenerate_after_switch, weeks_resolved_after_switch


def switch_roster_impact(kind: str, is_active: bool, today: dt.date, exempted_staff_ids: frozenset[int]) -> effects.SwitchImpact:
    """This week's and next week's current rosters (the ones a change re-solves) and the staff on them."""
    weeks = weeks_resolved_after_switch(today)
    rosters = Roster.objects.filter(week_start__in=weeks, is_current=True)
    staff_ids = frozenset(RosterEntry.objects.filter(roster__in=rosters).values_list("staff_id", flat=True).distinct())
    return effects.SwitchImpact(rosters=rosters.count(), staff_ids=staff_ids)


def resolve_after_switch(kind: str, is_active: bool, progress: effects.ProgressCallback) -> None:
    """Re-generate this week's and next week's rosters, reporting units done."""
    rosters_regenerate_after_switch(kind=kind, is_active=is_active, progress=progress)


def register() -> None:
    effects.register_impact_reader(switch_roster_impact)
    effects.register_follow_up(resolve_after_switch)
