"""Builders for the evaluation tests: accepted work in the test city and a computed quarter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from telework.accounts.models import Role, User
from telework.assignments.models import WorkItem, WorkStatus
from telework.evaluations import services
from telework.evaluations.builtin import install
from telework.evaluations.models import CriteriaSet, EvaluationPeriod, PeriodKind
from telework.organization.tests.factories import StaffFactory

YEAR, QUARTER = 2026, 3
DUE = dt.date(2026, 8, 14)


def work(
    city: Any, staff: Any, *, rating: int | None = 4, late: bool = False, status: str = WorkStatus.ACCEPTED, due_on: dt.date = DUE, hours: int = 8
) -> WorkItem:
    """One work item of ``staff`` due in Q3 2026, accepted on time (or a day late) with ``rating``."""
    accepted = due_on + dt.timedelta(days=1 if late else 0)
    return WorkItem.objects.create(
        staff=staff,
        unit=staff.unit,
        title="Báo cáo",
        estimated_hours=hours,
        starts_on=due_on - dt.timedelta(days=5),
        due_on=due_on,
        status=status,
        progress_percent=100 if status == WorkStatus.ACCEPTED else 50,
        last_activity_on=due_on,
        created_by=city.head_user,
        quality_rating=rating if status == WorkStatus.ACCEPTED else None,
        accepted_at=timezone.make_aware(dt.datetime.combine(accepted, dt.time(10))) if status == WorkStatus.ACCEPTED else None,
    )


def agency_head(city: Any) -> Any:
    head = StaffFactory(unit__agency=city.agency, is_leader=True, user__role=Role.AGENCY_HEAD, full_name="Giám đốc Sở")
    return head.user


def computed_quarter(city: Any, *, actor: User | None = None) -> EvaluationPeriod:
    """Q3 2026 for the city's agency, with two good items per officer, computed (status: self-assessment)."""
    install(CriteriaSet)  # the browser tests' database is emptied between tests, migration data included
    for person in [city.head, *city.staff, city.clerk]:
        work(city, person)
        work(city, person)
    period = services.period_create(actor=actor or city.hr, kind=PeriodKind.QUARTER, year=YEAR, number=QUARTER, agency=city.agency)
    services.period_run(period=period, actor=actor or city.hr)
    period.refresh_from_db()
    return period


FULL = {"ethics": 7.5, "discipline": 7.5, "service_attitude": 7.5, "innovation": 7.5}
