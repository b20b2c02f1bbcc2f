"""What rosters tell the approval inbox about a person's day (``registrations.day_plans``): recorded leave and, in
the newest published roster of the week, a desk or duty post or a day at home."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection

from django.utils.translation import gettext

from telework.registrations import day_plans
from telework.rosters.models import EntryStatus, Leave, RosterEntry, RosterStatus


def roster_and_leave_plans(staff_ids: Collection[int], first: dt.date, last: dt.date) -> dict[tuple[int, dt.date], list[day_plans.DayPlan]]:
    """Leave (not cancelled) and published roster places other than the office, per person and day. Two queries."""
    plans: dict[tuple[int, dt.date], list[day_plans.DayPlan]] = defaultdict(list)
    for leave in Leave.objects.filter(staff_id__in=staff_ids, cancelled_at__isnull=True, starts_on__lte=last, ends_on__gte=first):
        day = max(leave.starts_on, first)
        while day <= min(leave.ends_on, last):
            plans[(leave.staff_id, day)].append(day_plans.DayPlan(str(leave.get_kind_display()), is_conflict=True))
            day += dt.timedelta(days=1)
    # The newest published version of each week holds (a newer draft is not yet what people were told).
    newest: dict[tuple[int, dt.date], RosterEntry] = {}
    for entry in (
        RosterEntry.objects.filter(staff_id__in=staff_ids, day__gte=first, day__lte=last, roster__status=RosterStatus.PUBLISHED)
        .exclude(status=EntryStatus.OFFICE)
        .select_related("service_point", "roster")
        .order_by("roster__version")
    ):
        newest[(entry.staff_id, entry.day)] = entry
    for key, entry in newest.items():
        if entry.status == EntryStatus.DESK and entry.service_point is not None:
            plans[key].append(day_plans.DayPlan(gettext("On duty: %(post)s") % {"post": entry.service_point.name}, is_conflict=True))
        elif entry.status != EntryStatus.LEAVE or not any(plan.is_conflict for plan in plans[key]):
            plans[key].append(day_plans.DayPlan(gettext("Roster: %(place)s") % {"place": entry.get_status_display()}))
    return plans


def register() -> None:
    day_plans.register_reader("rosters", roster_and_leave_plans)
