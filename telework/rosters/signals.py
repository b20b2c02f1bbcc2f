"""Switching emergency mode, distancing or the suspension re-solves the rosters it affects (issue 3, item 6; issue 9,
point 4; issue 14 pt 2).

The policy app knows nothing of rosters: it asks the impact readers and runs the follow-ups registered here (from
``RostersConfig.ready``), in the background job that follows an effective switch change (``policy.services``).
"""

from __future__ import annotations

import datetime as dt

from telework.organization.models import Staff
from telework.policy import effects
from telework.policy.models import SwitchKind
from telework.rosters.models import Roster, RosterEntry
from telework.rosters.services import rosters_regenerate_after_switch, weeks_resolved_after_switch
from telework.rosters.services.distancing import distancing_plan, rosters_replan_for_distancing


def switch_roster_impact(kind: str, is_active: bool, today: dt.date, exempted_staff_ids: frozenset[int]) -> effects.SwitchImpact:
    """This week's and next week's current rosters (the ones a change re-solves) and the staff on them. Distancing
    switched on also plans next week for units without a roster: those count as rosters, their staff as people."""
    if kind == SwitchKind.DISTANCING:
        plan = distancing_plan(today, is_active=is_active)
        unit_ids = {unit_id for _week, unit_ids in plan for unit_id in unit_ids}
        staff_ids = frozenset(Staff.objects.filter(unit_id__in=unit_ids, is_active=True).values_list("pk", flat=True))
        return effects.SwitchImpact(rosters=sum(len(unit_ids) for _week, unit_ids in plan), staff_ids=staff_ids)
    weeks = weeks_resolved_after_switch(today)
    rosters = Roster.objects.filter(week_start__in=weeks, is_current=True)
    staff_ids = frozenset(RosterEntry.objects.filter(roster__in=rosters).values_list("staff_id", flat=True).distinct())
    return effects.SwitchImpact(rosters=rosters.count(), staff_ids=staff_ids)


def resolve_after_switch(kind: str, is_active: bool, progress: effects.ProgressCallback) -> None:
    """Re-generate this week's and next week's rosters, reporting units done. Emergency mode and the suspension leave
    drafts for the heads to publish; distancing re-plans, publishes and tells everyone their days at once
    (``services.distancing``: a city afternoon cannot wait on every head)."""
    if kind == SwitchKind.DISTANCING:
        rosters_replan_for_distancing(is_active=is_active, progress=progress)
        return
    rosters_regenerate_after_switch(kind=kind, is_active=is_active, progress=progress)


def register() -> None:
    effects.register_impact_reader(switch_roster_impact)
    effects.register_follow_up(resolve_after_switch)
