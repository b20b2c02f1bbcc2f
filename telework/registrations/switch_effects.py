"""What a city-wide switch does to home days, told to ``policy.effects`` (registered in ``RegistrationsConfig.ready``).

The approved home days from today on are the ones a switch touches: the suspension suspends them (all but the named
exemptions'), and gives them back when it ends; emergency mode re-solves the rosters they sit in.
"""

from __future__ import annotations

import datetime as dt

from telework.policy import effects
from telework.policy.models import SwitchKind
from telework.registrations.models import RegistrationDay


def switch_home_day_impact(kind: str, is_active: bool, today: dt.date, exempted_staff_ids: frozenset[int]) -> effects.SwitchImpact:
    """Approved home days from ``today`` on, and their staff; for the suspension, without the named exemptions."""
    days = RegistrationDay.objects.filter(is_counted=True, day__gte=today)
    if kind == SwitchKind.SUSPENSION and exempted_staff_ids:
        days = days.exclude(staff_id__in=exempted_staff_ids)
    staff_ids = frozenset(days.values_list("staff_id", flat=True).distinct())
    return effects.SwitchImpact(home_days=days.count(), staff_ids=staff_ids)


def register() -> None:
    effects.register_impact_reader(switch_home_day_impact)
