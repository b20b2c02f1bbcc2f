"""A city-wide switch pauses and resumes work by category (issue 14, point 4).

The policy app knows nothing of work items: it asks the impact reader registered here how many items a change would
pause or resume (the switch's confirmation page) and runs the follow-up in the background job after an effective
change (``policy.services.switch_follow_up``). Registered from ``AssignmentsConfig.ready``.
"""

from __future__ import annotations

import datetime as dt

from telework.assignments.services.pauses import work_pause_impact, work_pauses_follow_up
from telework.policy import effects


def switch_work_impact(kind: str, is_active: bool, today: dt.date, exempted_staff_ids: frozenset[int]) -> effects.SwitchImpact:
    """The work items the change pauses or resumes. No staff ids: the follow-up tells these people about their own
    work (``assignments.notify_work_pauses``), not with the switch's general notice."""
    return effects.SwitchImpact(work_items=work_pause_impact(kind, is_active, today))


def resume_or_pause_after_switch(kind: str, is_active: bool, progress: effects.ProgressCallback) -> None:
    work_pauses_follow_up(kind, is_active, progress)


def register() -> None:
    effects.register_impact_reader(switch_work_impact)
    effects.register_follow_up(resume_or_pause_after_switch)
