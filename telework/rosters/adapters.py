"""From the database to the pure engine: the ``UnitInstance`` of many units for one ISO week, in a few queries.

One query per table for the whole set of units (a unit, an agency or the city), grouped in Python: staff with
their positions, approved home days, leave, unit events, service points and who is qualified for them, and the
published rosters of the four weeks before (history). Policies are resolved by one ``PolicyResolver`` and
eligibility is decided by the pure engine (``telework.policy.eligibility``) on every working day. Public holidays
are not working days (``telework.core.calendar``), so they are not in the instance at all.

What each fact becomes:

* approved home days = the person's counted registration days (``RegistrationDay.is_counted``) on days they are
  eligible; they are also the days the person *asked* for (requests honoured);
* the person's weekly entitlement = their approved days that week, within the weekly cap;
* history = home days in the last four published rosters against the approved days of those weeks (a debt the
  rotation pays back), Mondays and Fridays at home, and last week's home weekdays (stability);
* the home-day guarantee (``min_home_days_per_week``, relaxable by the head) = ``DEFAULT_GUARANTEED_HOME_DAYS``:
  an approved registration is the head's promise, so each person keeps at least that many approved days a week
  unless the unit's own rules make it impossible, and the roster then says why;
* the presence cap = the resolved ``max_onsite_share`` and ``max_onsite_headcount``, and the unit's
  ``office_seats``.

When the resolved policy *assigns* home days (``home_days_assigned``, the distancing switch), every active staff
member is in the instance whether or not they registered; registered days stay soft preferences (requested home
days), nobody is owed an entitlement or a guarantee, and the history is presence: each person's on-site days in the
last four published rosters against their fair share of them (the unit's on-site count each day shared among those
present), so the rotation carries on across weeks. The pilot path is unchanged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import Q

from telework.core import calendar
from telework.organization.models import ServicePoint, Staff, Unit
from telework.policy import eligibility
from telework.policy.models import Pilot, PilotStatus
from telework.policy.parameters import PolicyParameters
from telework.policy.selectors import PILOT_SCOPE_PREFETCH, PolicyResolver, ResolvedPolicy, pilot_facts, staff_facts
from telework.registrations.models import RegistrationDay
from telework.rosters.engine.instance import (
    DUTY_POST,
    ONE_STOP_DESK,
    POPULAR_WEEKDAYS,
    FixedOnSiteDay,
    MonthHistory,
    Person,
    RosterPolicy,
    UnitInstance,
    canonical_json,
    digest,
    month_key,
    weekly_home_cap,
)
from telework.rosters.engine.instance import ServicePoint as PointFacts
from telework.rosters.models import EntryStatus, Leave, Roster, RosterEntry, RosterStatus, UnitEvent

HISTORY_WEEKS = 4
DEFAULT_GUARANTEED_HOME_DAYS = 1


@dataclass(frozen=True)
class LoadedUnit:
    """One unit's instance and what the Django side keeps next to it."""

    unit: Unit
    instance: UnitInstance
    parameters: PolicyParameters
    # The policy snapshot stored with the roster (``Roster.policy``).
    policy: dict[str, Any]
    # Leave kinds by (staff id, day), for display.
    leave_kinds: dict[tuple[int, dt.date], str]

    @property
    def staff_count(self) -> int:
        return len(self.instance.people)


def week_days(week_start: dt.date) -> tuple[dt.date, ...]:
    """The working days of the ISO week starting on ``week_start`` (a Monday)."""
    return tuple(calendar.working_days(week_start, week_start + dt.timedelta(days=4)))


class _Pilots:
    """Every pilot that is not closed, read once, answering ``pilot_for_staff`` for any agency and day the same way
    ``telework.policy.selectors.pilot_for_staff`` does (running or planned pilots of the agency; the first whose phase
    covers the day, else the first), with the scope of the phase covering the day (``selectors.pilot_facts``)."""

    def __init__(self) -> None:
        pilots = Pilot.objects.exclude(status=PilotStatus.CLOSED).prefetch_related(*PILOT_SCOPE_PREFETCH).order_by("status", "-created_at")
        self._pilots = [(pilot, frozenset(agency.pk for agency in pilot.agencies.all())) for pilot in pilots]
        self._cache: dict[tuple[int, dt.date], eligibility.PilotFacts | None] = {}

    def for_agency(self, agency_id: int, on: dt.date) -> eligibility.PilotFacts | None:
        key = (agency_id, on)
        if key not in self._cache:
            best: Pilot | None = None
            for pilot, agency_ids in self._pilots:
                if agency_id not in agency_ids:
                    continue
                if any(phase.starts_on <= on <= phase.ends_on for phase in pilot.phases.all()):
                    best = pilot
                    break
                best = best or pilot
            self._cache[key] = pilot_facts(best, on)
        return self._cache[key]


def roster_policy(parameters: PolicyParameters, *, guaranteed_home_days: int = DEFAULT_GUARANTEED_HOME_DAYS) -> RosterPolicy:
    """The roster's view of a resolved policy. Under a suspension nobody is promised a home day; when the unit
    assigns home days nobody registered for one, so nothing is promised either."""
    guarantee = 0 if parameters.telework_suspended or parameters.home_days_assigned else guaranteed_home_days
    return RosterPolicy.from_parameters(parameters, min_home_days_per_week=guarantee)


def policy_snapshot(resolved: ResolvedPolicy, policy: RosterPolicy, *, office_seats: int | None = None) -> dict[str, Any]:
    """What ``Roster.policy`` keeps: the numbers the roster obeys (the unit's usable office seats among them) and
    where each came from."""
    parameters = resolved.parameters
    data: dict[str, Any] = dataclasses.asdict(policy)
    data["office_seats"] = office_seats
    data["desk_staff_on_site"] = parameters.desk_staff_on_site
    data["duty_staff_on_site"] = parameters.duty_staff_on_site
    data["telework_suspended"] = parameters.telework_suspended
    data["citizen_reception_suspended"] = parameters.citizen_reception_suspended
    data["active_switches"] = list(resolved.active_switches)
    data["sources"] = {name: resolved.source_label(name) for name in (*data, "desk_staff_on_site", "duty_staff_on_site") if resolved.source_label(name)}
    return data


def load_units(
    units: Sequence[Unit],
    week_start: dt.date,
    *,
    resolver: PolicyResolver | None = None,
    all_units: bool = False,
    guaranteed_home_days: int = DEFAULT_GUARANTEED_HOME_DAYS,
) -> list[LoadedUnit]:
    """The instance of every unit in ``units`` (with ``agency`` loaded) for the ISO week of ``week_start``.

    ``all_units`` says the list is every unit of the city, so the queries need no unit filter. Units without active
    staff are left out. The query count does not depend on the number of units.
    """
    days = week_days(week_start)
    friday = week_start + dt.timedelta(days=4)
    history_start = week_start - dt.timedelta(weeks=HISTORY_WEEKS)
    resolver = resolver or PolicyResolver()
    pilots = _Pilots()
    is_eligible = _Eligibility()
    exemptions = resolver.suspension_exemptions()
    unit_by_id = {unit.pk: unit for unit in units}
    unit_ids = sorted(unit_by_id)

    def in_units(prefix: str) -> Q:
        return Q() if all_units else Q(**{f"{prefix}__in": unit_ids})

    staff_by_unit: dict[int, list[Staff]] = defaultdict(list)
    for member in Staff.objects.filter(in_units("unit_id"), is_active=True).select_related("position").order_by("unit_id", "pk"):
        if member.unit_id in unit_by_id:
            # The units (with their agency) are loaded already: 20,000 more Unit and Agency objects cost a second.
            member.unit = unit_by_id[member.unit_id]
            staff_by_unit[member.unit_id].append(member)
    unit_of_staff = {member.pk: unit_id for unit_id, members in staff_by_unit.items() for member in members}

    # Approved home days of the week and of the history weeks (the entitlement the history is measured against).
    approved: dict[int, set[dt.date]] = defaultdict(set)
    approved_before: dict[int, set[dt.date]] = defaultdict(set)
    for staff_id, day in RegistrationDay.objects.filter(in_units("staff__unit_id"), is_counted=True, day__gte=history_start, day__lte=friday).values_list(
        "staff_id", "day"
    ):
        if staff_id in unit_of_staff:
            (approved if day >= week_start else approved_before)[staff_id].add(day)

    leave_kinds: dict[tuple[int, dt.date], str] = {}
    for staff_id, starts_on, ends_on, kind in Leave.objects.filter(
        in_units("staff__unit_id"), cancelled_at__isnull=True, starts_on__lte=friday, ends_on__gte=week_start
    ).values_list("staff_id", "starts_on", "ends_on", "kind"):
        if staff_id in unit_of_staff:
            for day in days:
                if starts_on <= day <= ends_on:
                    leave_kinds[staff_id, day] = kind

    events = list(
        UnitEvent.objects.filter(in_units("unit_id"), cancelled_at__isnull=True, day__gte=week_start, day__lte=friday).values_list(
            "pk", "unit_id", "day", "title", "is_for_everyone"
        )
    )
    attendees: dict[int, set[int]] = defaultdict(set)
    if events:
        for event_id, staff_id in UnitEvent.attendees.through.objects.filter(unitevent_id__in=[event[0] for event in events]).values_list(
            "unitevent_id", "staff_id"
        ):
            attendees[event_id].add(staff_id)
    events_by_unit: dict[int, list[tuple[dt.date, str, bool, set[int]]]] = defaultdict(list)
    for event_id, unit_id, day, title, everyone in events:
        events_by_unit[unit_id].append((day, title, everyone, attendees[event_id]))

    points_by_unit: dict[int, list[tuple[int, str, str, int | None, list[int | None]]]] = defaultdict(list)
    for point_id, unit_id, name, kind, required, by_weekday in ServicePoint.objects.filter(in_units("unit_id")).values_list(
        "pk", "unit_id", "name", "kind", "required_on_site", "required_by_weekday"
    ):
        points_by_unit[unit_id].append((point_id, name, kind, required, by_weekday or []))
    qualified: dict[int, set[int]] = defaultdict(set)
    for point_id, staff_id in ServicePoint.qualified_staff.through.objects.filter(in_units("servicepoint__unit_id")).values_list("servicepoint_id", "staff_id"):
        qualified[point_id].add(staff_id)

    history = _history(unit_ids if not all_units else None, week_start, unit_of_staff)
    assigned_units = [unit_id for unit_id in unit_ids if days and resolver.resolve(unit_by_id[unit_id], days[0]).parameters.home_days_assigned]
    presence = _presence_history(history, assigned_units)

    loaded: list[LoadedUnit] = []
    for unit_id in unit_ids:
        members = staff_by_unit.get(unit_id)
        if not members or not days:
            continue
        unit = unit_by_id[unit_id]
        resolved = resolver.resolve(unit, days[0])
        parameters = resolved.parameters
        policy = roster_policy(parameters, guaranteed_home_days=guaranteed_home_days)
        member_ids = {member.pk for member in members}
        people = tuple(
            _person(member, days, week_start, policy, resolver, pilots, is_eligible, exemptions, approved, approved_before, leave_kinds, history, presence)
            for member in members
        )
        service_points = tuple(
            _point_facts(point_id, name, kind, required, by_weekday, parameters, frozenset(qualified[point_id] & member_ids))
            for point_id, name, kind, required, by_weekday in points_by_unit.get(unit_id, [])
        )
        fixed = tuple(
            FixedOnSiteDay(day=day, label=title, person_ids=frozenset() if everyone else frozenset(listed & member_ids))
            for day, title, everyone, listed in events_by_unit.get(unit_id, [])
            if day in days and (everyone or listed & member_ids)
        )
        instance = UnitInstance(
            unit_id=unit_id,
            unit_name=unit.name,
            days=days,
            people=people,
            service_points=service_points,
            fixed_on_site=fixed,
            policy=policy,
            month_days_after=_month_days_after(days) if policy.min_office_days_per_month is not None else (),
            office_seats=unit.office_seats,
        ).canonical()
        loaded.append(
            LoadedUnit(
                unit=unit,
                instance=instance,
                parameters=parameters,
                policy=policy_snapshot(resolved, policy, office_seats=unit.office_seats),
                leave_kinds={key: kind for key, kind in leave_kinds.items() if key[0] in member_ids},
            )
        )
    return loaded


def _point_facts(
    point_id: int, name: str, kind: str, required: int | None, by_weekday: list[int | None], parameters: PolicyParameters, qualified_ids: frozenset[int]
) -> PointFacts:
    """A desk or duty post as the engine reads it: its everyday need (its own, or the policy's) and, when some
    weekday differs, the need of each weekday, Monday to Friday."""
    everyday = required if required is not None else parameters.desk_staff_on_site if kind == ONE_STOP_DESK else parameters.duty_staff_on_site
    weekdays = (
        tuple(value if value is not None else everyday for value in (list(by_weekday) + [None] * 5)[:5]) if any(v is not None for v in by_weekday) else ()
    )
    return PointFacts(
        id=point_id,
        name=name,
        kind=ONE_STOP_DESK if kind == ONE_STOP_DESK else DUTY_POST,
        required_on_site=everyday,
        qualified_ids=qualified_ids,
        required_by_weekday=weekdays if len(set(weekdays)) > 1 else (),
    )


def load_unit(unit: Unit, week_start: dt.date, *, resolver: PolicyResolver | None = None) -> LoadedUnit | None:
    """One unit's instance (None when the unit has no active staff or the week no working day)."""
    loaded = load_units([unit], week_start, resolver=resolver)
    return loaded[0] if loaded else None


@dataclass
class _History:
    home_days: dict[int, set[dt.date]]
    office_days: dict[int, set[dt.date]]
    # Weeks (Mondays) with a published roster, per unit.
    weeks_by_unit: dict[int, set[dt.date]]
    # The newest published roster of each of those weeks, per unit.
    roster_ids_by_unit: dict[int, list[int]] = dataclasses.field(default_factory=dict)


def _history(unit_ids: list[int] | None, week_start: dt.date, unit_of_staff: dict[int, int]) -> _History:
    """Home and on-site days in the newest published roster of each unit for each of the ``HISTORY_WEEKS`` weeks
    before ``week_start`` (on-site days only from this month: the monthly office minimum needs them)."""
    weeks = [week_start - dt.timedelta(weeks=offset) for offset in range(1, HISTORY_WEEKS + 1)]
    rosters = Roster.objects.filter(week_start__in=weeks, status=RosterStatus.PUBLISHED)
    if unit_ids is not None:
        rosters = rosters.filter(unit_id__in=unit_ids)
    newest: dict[tuple[int, dt.date], tuple[int, int]] = {}
    for roster_id, unit_id, monday, version in rosters.values_list("pk", "unit_id", "week_start", "version"):
        key = (unit_id, monday)
        if key not in newest or newest[key][0] < version:
            newest[key] = (version, roster_id)
    home: dict[int, set[dt.date]] = defaultdict(set)
    office: dict[int, set[dt.date]] = defaultdict(set)
    weeks_by_unit: dict[int, set[dt.date]] = defaultdict(set)
    roster_ids: dict[int, list[int]] = defaultdict(list)
    for (unit_id, monday), (_version, roster_id) in sorted(newest.items()):
        weeks_by_unit[unit_id].add(monday)
        roster_ids[unit_id].append(roster_id)
    if newest:
        month_start = week_start.replace(day=1)
        entries = RosterEntry.objects.filter(roster_id__in=[roster_id for _version, roster_id in newest.values()]).filter(
            Q(status=EntryStatus.HOME) | Q(day__gte=month_start, status__in=[EntryStatus.OFFICE, EntryStatus.DESK])
        )
        for staff_id, day, status in entries.values_list("staff_id", "day", "status"):
            if staff_id in unit_of_staff:
                (home if status == EntryStatus.HOME else office)[staff_id].add(day)
    return _History(home, office, weeks_by_unit, roster_ids)


def _presence_history(history: _History, unit_ids: list[int]) -> dict[int, tuple[int, int]]:
    """For units that assign home days: each staff member's on-site days (office or desk) in the newest published
    rosters of the last ``HISTORY_WEEKS`` weeks, and their fair share of on-site days over the days they were
    present (not on leave) — the unit's on-site count that day over the staff present, summed and rounded. One
    query for all those units."""
    roster_ids = [roster_id for unit_id in unit_ids for roster_id in history.roster_ids_by_unit.get(unit_id, [])]
    if not roster_ids:
        return {}
    cells: dict[tuple[int, dt.date], list[tuple[int, bool]]] = defaultdict(list)  # (roster, day) → (staff, on site)
    for roster_id, staff_id, day, status in (
        RosterEntry.objects.filter(roster_id__in=roster_ids).exclude(status=EntryStatus.LEAVE).values_list("roster_id", "staff_id", "day", "status")
    ):
        cells[roster_id, day].append((staff_id, status in (EntryStatus.OFFICE, EntryStatus.DESK)))
    onsite: dict[int, int] = defaultdict(int)
    fair: dict[int, Fraction] = defaultdict(Fraction)
    for present in cells.values():
        share = Fraction(sum(1 for _staff, here in present if here), len(present))
        for staff_id, here in present:
            onsite[staff_id] += 1 if here else 0
            fair[staff_id] += share
    return {staff_id: (onsite[staff_id], round(fair[staff_id])) for staff_id in fair}


def _person(
    member: Staff,
    days: tuple[dt.date, ...],
    week_start: dt.date,
    policy: RosterPolicy,
    resolver: PolicyResolver,
    pilots: _Pilots,
    is_eligible: _Eligibility,
    exemptions: set[int],
    approved: dict[int, set[dt.date]],
    approved_before: dict[int, set[dt.date]],
    leave_kinds: dict[tuple[int, dt.date], str],
    history: _History,
    presence: dict[int, tuple[int, int]],
) -> Person:
    facts = staff_facts(member, exemptions=exemptions)
    eligible_days = {
        day for day in days if is_eligible(facts, pilots.for_agency(member.unit.agency_id, day), resolver.resolve(member.unit, day).parameters, day)
    }
    approved_days = frozenset(day for day in approved.get(member.pk, ()) if day in eligible_days)
    person = Person(id=member.pk, name=member.full_name, is_leader=member.is_leader, is_eligible=bool(eligible_days))
    cap = weekly_home_cap(policy, person)
    entitlement = len(approved_days) if cap is None else min(cap, len(approved_days))
    # History: only weeks the unit had a published roster count, against the days approved in those weeks.
    published_weeks = history.weeks_by_unit.get(member.unit_id, set())
    home_before = {day for day in history.home_days.get(member.pk, ()) if _monday(day) in published_weeks}
    due_before = 0
    for monday in published_weeks:
        approved_that_week = sum(1 for day in approved_before.get(member.pk, ()) if _monday(day) == monday)
        due_before += approved_that_week if cap is None else min(cap, approved_that_week)
    last_week = week_start - dt.timedelta(weeks=1)
    month_history: tuple[MonthHistory, ...] = ()
    if policy.max_home_days_per_month is not None or policy.min_office_days_per_month is not None:
        month = month_key(days[0])
        month_start = days[0].replace(day=1)
        month_history = (
            MonthHistory(
                month=month,
                home_days=sum(1 for day in home_before if month_start <= day < week_start),
                office_days=sum(1 for day in history.office_days.get(member.pk, ()) if month_start <= day < week_start),
            ),
        )
    if policy.home_days_assigned:
        # Distancing: the unit assigns the days. Registered days are preferences only; presence carries the history.
        onsite_before, fair_before = presence.get(member.pk, (0, 0))
        return dataclasses.replace(
            person,
            approved_home_days=approved_days,
            requested_home_days=approved_days,
            leave_days=frozenset(day for day in days if (member.pk, day) in leave_kinds),
            last_week_home_weekdays=frozenset(day.weekday() for day in home_before if _monday(day) == last_week),
            month_history=month_history,
            recent_onsite_days=onsite_before,
            recent_fair_onsite_days=fair_before,
        )
    return dataclasses.replace(
        person,
        approved_home_days=approved_days,
        requested_home_days=approved_days,
        leave_days=frozenset(day for day in days if (member.pk, day) in leave_kinds),
        home_days_per_week=entitlement,
        recent_home_days=len(home_before),
        recent_entitled_days=due_before,
        recent_popular_home_days=sum(1 for day in home_before if day.weekday() in POPULAR_WEEKDAYS),
        last_week_home_weekdays=frozenset(day.weekday() for day in home_before if _monday(day) == last_week),
        month_history=month_history,
    )


class _Eligibility:
    """``eligibility.decide(...).is_eligible``, remembered for identical facts within one load: names and codes only
    appear in the reasons, so most staff of a unit and position share one decision (a city is 100,000 person-days).
    Pilots and parameters are keyed by identity: the load holds them (``_Pilots`` and the resolver cache them)."""

    def __init__(self) -> None:
        self._decided: dict[tuple[Any, ...], bool] = {}
        # Equal parameter sets resolved for different units are different objects: one stands for all of them.
        self._interned: dict[PolicyParameters, PolicyParameters] = {}
        self._canonical: dict[int, int] = {}

    def __call__(self, facts: eligibility.StaffFacts, pilot: eligibility.PilotFacts | None, parameters: PolicyParameters, day: dt.date) -> bool:
        canonical = self._canonical.get(id(parameters))
        if canonical is None:
            canonical = self._canonical[id(parameters)] = id(self._interned.setdefault(parameters, parameters))
        key = (
            facts.is_active,
            facts.agency_id,
            # The unit matters only to a pilot that lists units.
            facts.unit_ids if pilot is not None and pilot.unit_ids else None,
            facts.position.id,
            facts.equipment,
            facts.training_completed_on,
            facts.disciplined_until,
            facts.is_exempt_from_suspension,
            id(pilot),
            canonical,
            day,
        )
        decided = self._decided.get(key)
        if decided is None:
            decided = eligibility.decide(staff=facts, pilot=pilot, parameters=parameters, on=day).is_eligible
            self._decided[key] = decided
        return decided


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _month_days_after(days: Iterable[dt.date]) -> tuple[tuple[str, int], ...]:
    """Working days of each month the week touches that fall after the week (for the monthly office minimum)."""
    last = max(days)
    result = []
    for month in sorted({month_key(day) for day in days}):
        year, number = (int(part) for part in month.split("-"))
        month_end = calendar.month_bounds(dt.date(year, number, 1))[1]
        start = max(last + dt.timedelta(days=1), dt.date(year, number, 1))
        result.append((month, len(calendar.working_days(start, month_end)) if start <= month_end else 0))
    return tuple(result)


def instance_as_dict(instance: UnitInstance) -> dict[str, Any]:
    """The instance as JSON-ready data (dates as ISO strings, sets as sorted lists), in canonical order."""
    return _plain(instance.canonical())  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    # ``dataclasses.asdict`` deep-copies everything first; for a city's thousand instances that alone costs seconds.
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(item) for item in value)
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def instance_digest(instance: UnitInstance) -> str:
    """SHA-256 of the canonical instance: the same facts always give the same hash (and the same roster)."""
    return digest(canonical_json(instance_as_dict(instance)))
