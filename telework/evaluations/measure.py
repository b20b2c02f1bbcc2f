"""The measured inputs of a period, read in bulk from the work items (telework.assignments), the approved home days
(telework.registrations) and the check-ins (telework.attendance), and turned into ``scoring.PersonFacts``.

How a work item becomes a ``WorkResult`` (the sources leave the product-conversion catalogue to each position, so
these are this product's documented choices):

* counted: items whose deadline falls in the period, except proposals not accepted, declined and cancelled work;
* points (converted units, Decree 335 Art. 14): the item's estimated effort in hours;
* done: accepted by the head;
* delays: one per apology slip issued (the result was rescheduled) plus one when accepted after the deadline;
* major errors: a quality rating of 1 or 2 (of 5) at acceptance;
* exceeded the target: accepted on time with a rating of 5.

Citizens' evaluations of dossiers (optional, ``EvaluationSettings.uses_citizen_ratings``, off by default): for the
dossiers received in the period that the person handled (telework.dossiers), how many, how many were rated, and the
points of indicators 1, 2, 3, 4 and 7 (Decree 61/2018/NĐ-CP), summed in SQL (``dossiers.selectors.officer_rows_of``,
the same definition as the service-quality page). Counts only: no citizen, no comment.

The snapshot stored on each evaluation holds these per item, so the head's later scores re-run the rules on exactly
what was measured.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, FloatField, Q
from django.db.models.functions import Cast
from django.utils import timezone

from telework.accounts.models import Role
from telework.assignments.models import ApologySlip, WorkItem, WorkStatus
from telework.attendance.models import CheckIn, MissedCheckIn
from telework.dossiers import selectors as dossier_selectors
from telework.dossiers.models import Dossier
from telework.evaluations.models import EvaluationPeriod, EvaluationSettings, PeriodKind
from telework.evaluations.scoring import (
    CitizenRatings,
    Conduct,
    GeneralScores,
    LeaderFactors,
    Level,
    PersonFacts,
    Presence,
    Regime,
    UnitResults,
    WorkResult,
    unit_results_from,
)
from telework.organization.models import Staff
from telework.registrations.models import RegistrationDay

NOT_COUNTED = (WorkStatus.PROPOSED, WorkStatus.DECLINED, WorkStatus.CANCELLED)
MAJOR_ERROR_RATING = 2
EXCEEDED_RATING = 5


@dataclass
class Measured:
    """One person's measured inputs for the period."""

    staff_id: int
    code: str
    staff_type: str
    is_leader: bool
    unit_id: int
    unit_path: str
    agency_id: int
    position_name: str
    is_disciplined: bool
    unit_name: str = ""
    heads_agency: bool = False  # the agency head's account: capped by the agency's level (Decree 335 Art. 20 cl. 6)
    items: list[list[float]] = field(default_factory=list)  # [points, done, errors, delays, exceeded]
    hours_spent: float = 0.0
    home_days: int = 0
    checked_in_days: int = 0
    missed_check_ins: int = 0
    # Only when the agency opted in: {"dossiers", "rated", "earned", "possible"} (Decree 61 indicators 1, 2, 3, 4, 7).
    citizen_ratings: dict[str, int] | None = None

    def snapshot(self) -> dict[str, Any]:
        done = [item for item in self.items if item[1]]
        extra: dict[str, Any] = {"citizen_ratings": self.citizen_ratings} if self.citizen_ratings is not None else {}
        return extra | {
            "items": self.items,
            "assigned": len(self.items),
            "done": len(done),
            "on_time": sum(1 for item in done if not item[3]),
            "major_errors": sum(int(item[2]) for item in self.items),
            "delays": sum(int(item[3]) for item in self.items),
            "exceeded": sum(1 for item in self.items if item[4]),
            "hours_estimated": round(sum(item[0] for item in self.items), 1),
            "hours_spent": round(self.hours_spent, 1),
            "home_days": self.home_days,
            "checked_in_days": self.checked_in_days,
            "missed_check_ins": self.missed_check_ins,
        }


def period_staff(period: EvaluationPeriod) -> Any:
    """Active staff in the period's scope (its agency, or the whole city)."""
    staff = Staff.objects.filter(is_active=True)
    if period.agency_id is not None:
        staff = staff.filter(unit__agency_id=period.agency_id)
    return staff


def measure(period: EvaluationPeriod) -> dict[int, Measured]:
    """Everyone in scope with their work items, delays, errors and home days in the period, in five queries."""
    measured: dict[int, Measured] = {}
    rows = period_staff(period).values_list(
        "pk", "code", "staff_type", "is_leader", "unit_id", "unit__path", "unit__agency_id", "position__name", "disciplined_until", "unit__name", "user__role"
    )
    first_of_year = dt.date(period.year, 1, 1)
    for pk, code, staff_type, is_leader, unit_id, path, agency_id, position, disciplined_until, unit_name, role in rows:
        # Discipline counts for the year it was in force (Decree 48/2023/NĐ-CP: disciplined in the year → KHT).
        is_disciplined = disciplined_until is not None and disciplined_until >= first_of_year
        measured[pk] = Measured(pk, code, staff_type, is_leader, unit_id, path, agency_id, position, is_disciplined, unit_name, role == Role.AGENCY_HEAD)
    items = WorkItem.objects.filter(due_on__gte=period.starts_on, due_on__lte=period.ends_on).exclude(status__in=NOT_COUNTED)
    if period.agency_id is not None:
        items = items.filter(staff__unit__agency_id=period.agency_id)
    slips: dict[int, int] = defaultdict(int)
    slip_rows = ApologySlip.objects.filter(item__due_on__gte=period.starts_on, item__due_on__lte=period.ends_on).values_list("item_id", flat=True)
    for item_id in slip_rows:
        slips[item_id] += 1
    # Effort as floats and lateness decided in SQL (in the project's time zone): no per-row Decimal or datetime work.
    items = items.annotate(
        points=Cast("estimated_hours", FloatField()),
        spent=Cast("hours_spent", FloatField()),
        is_late=ExpressionWrapper(Q(accepted_at__date__gt=F("due_on")), output_field=BooleanField()),
    )
    for item_id, staff_id, hours, status, rating, is_late, spent in items.values_list(
        "pk", "staff_id", "points", "status", "quality_rating", "is_late", "spent"
    ):
        person = measured.get(staff_id)
        if person is None:
            continue
        is_done = status == WorkStatus.ACCEPTED
        is_late = is_done and bool(is_late)
        delays = slips.get(item_id, 0) + int(is_late)
        errors = 1 if is_done and rating is not None and rating <= MAJOR_ERROR_RATING else 0
        exceeded = is_done and not delays and rating == EXCEEDED_RATING
        person.items.append([hours, float(is_done), float(errors), float(delays), float(exceeded)])
        person.hours_spent += spent
    home_days = RegistrationDay.objects.filter(is_counted=True, day__gte=period.starts_on, day__lte=period.ends_on)
    if period.agency_id is not None:
        home_days = home_days.filter(unit__agency_id=period.agency_id)
    for staff_id in home_days.values_list("staff_id", flat=True):
        person = measured.get(staff_id)
        if person is not None:
            person.home_days += 1
    _attendance(period, measured)
    _citizen_ratings(period, measured)
    return measured


def _citizen_ratings(period: EvaluationPeriod, measured: dict[int, Measured]) -> None:
    """For the people of agencies that opted in: the dossiers received in the period they handled and what citizens'
    Decree-61 evaluations of them say (one grouped query). Everyone of such an agency gets the input, zero included."""
    opted_in = EvaluationSettings.objects.filter(uses_citizen_ratings=True)
    if period.agency_id is not None:
        opted_in = opted_in.filter(agency_id=period.agency_id)
    agencies = set(opted_in.values_list("agency_id", flat=True))
    if not agencies:
        return
    people = {staff_id: person for staff_id, person in measured.items() if person.agency_id in agencies}
    if not people:
        return
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(period.starts_on, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(period.ends_on + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    dossiers = Dossier.objects.filter(received_at__gte=since, received_at__lt=until)
    for person in people.values():
        person.citizen_ratings = {"dossiers": 0, "rated": 0, "earned": 0, "possible": 0}
    for row in dossier_selectors.officer_rows_of(dossiers, staff=Staff.objects.filter(unit__agency_id__in=agencies)):
        if row.staff_id not in people:
            continue  # handled by someone no longer active or outside the period's scope
        score = row.score
        people[row.staff_id].citizen_ratings = {"dossiers": score.dossiers, "rated": score.rated, "earned": score.earned, "possible": score.possible}


def _attendance(period: EvaluationPeriod, measured: dict[int, Measured]) -> None:
    """Days checked in and missed check-ins (telework.attendance), counted in SQL: shown to the head beside the
    general criterion "discipline", not scored (no rule turns attendance into points)."""
    for model, attribute in ((CheckIn, "checked_in_days"), (MissedCheckIn, "missed_check_ins")):
        rows = model.objects.filter(day__gte=period.starts_on, day__lte=period.ends_on)
        if period.agency_id is not None:
            rows = rows.filter(unit__agency_id=period.agency_id)
        for staff_id, count in rows.values("staff_id").annotate(count=Count("day", distinct=True)).values_list("staff_id", "count"):
            person = measured.get(staff_id)
            if person is not None:
                setattr(person, attribute, count)


def work_results(items: list[list[float]]) -> tuple[WorkResult, ...]:
    return tuple(
        WorkResult(points=item[0], is_done=bool(item[1]), major_errors=int(item[2]), delays=int(item[3]), exceeded_target=bool(item[4])) for item in items
    )


def general_scores(values: dict[str, Any] | None) -> GeneralScores | None:
    if not values:
        return None
    return GeneralScores(float(values["ethics"]), float(values["discipline"]), float(values["service_attitude"]), float(values["innovation"]))


def person_facts(
    *,
    key: str,
    staff_type: str,
    is_leader: bool,
    period: EvaluationPeriod,
    inputs: dict[str, Any],
    general: dict[str, Any] | None,
    is_disciplined: bool,
    regime: str | None = None,
    leader_factors: dict[str, Any] | None = None,
    organisation_level: str = "",
    months_worked: Any = None,
    is_on_leave: bool = False,
) -> PersonFacts:
    """The facts the rules read, from a measured snapshot and what the head entered (the same on the first run and on
    every re-score). ``months_worked`` empty: the whole year."""
    unit = inputs.get("unit")
    citizen = inputs.get("citizen_ratings")
    factors = leader_factors or {}
    presence = None
    if period.kind == PeriodKind.YEAR:
        presence = Presence(months_worked=float(months_worked) if months_worked is not None else 12.0, is_maternity_leave=is_on_leave)
    return PersonFacts(
        key=key,
        staff_type=staff_type,
        year=period.year,
        work=work_results(inputs.get("items", [])),
        general=general_scores(general),
        is_leader=is_leader,
        conduct=Conduct(is_disciplined_in_year=is_disciplined),
        presence=presence,
        unit=UnitResults(unit["targets"], unit["met"], unit["exceeded"], unit["on_time"], tuple(Level(level) for level in unit["managed"])) if unit else None,
        regime=Regime(regime) if regime else None,
        leader_factors=LeaderFactors(factors.get("organising"), factors.get("unity")),
        organisation_level=Level(organisation_level) if organisation_level else None,
        citizen_ratings=CitizenRatings(int(citizen["dossiers"]), int(citizen["rated"]), int(citizen["earned"]), int(citizen["possible"])) if citizen else None,
    )


def unit_snapshot(work: list[WorkResult], managed: list[Level]) -> dict[str, Any]:
    """A leader's unit results as stored in the snapshot."""
    results = unit_results_from(work, managed)
    return {
        "targets": results.targets,
        "met": results.targets_met,
        "exceeded": results.targets_exceeded,
        "on_time": results.targets_on_time,
        "managed": [level.value for level in managed],
    }
