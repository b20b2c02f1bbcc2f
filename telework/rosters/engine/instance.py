"""What a roster is computed from, and what a roster is: frozen dataclasses, no ORM.

A ``UnitInstance`` holds everything the solver, the checker, the baseline and the explanation need about one
unit and one horizon (one ISO week, or four): the working days (weekends and public holidays already removed by
the caller), the people, the one-stop desks and duty posts, the fixed on-site days, the policy numbers and the
objective weights. A ``Roster`` gives each person one status per working day.

The definitions shared by everyone who *measures* a roster (the home-day target of a person, ISO week and month
keys) live here. The hard rules themselves are written twice on purpose: once as CP-SAT constraints
(``solver``) and once as plain counting (``checker``), so that each checks the other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from telework.policy.parameters import PolicyParameters

STATUS_OFFICE = "office"
STATUS_HOME = "home"
STATUS_LEAVE = "leave"
# "desk:<service point id>": on site, staffing that one-stop desk or duty post.
STATUS_DESK_PREFIX = "desk:"

ONE_STOP_DESK = "one_stop_desk"
DUTY_POST = "duty_post"

# Mondays and Fridays: the home days everybody asks for, rotated across people (weekday numbers).
POPULAR_WEEKDAYS = frozenset({0, 4})

# Every hard rule, by the name of the policy parameter (or fact) that sets it.
MAX_HOME_SHARE = "max_home_share"
MIN_ONSITE_SHARE = "min_onsite_share"
MAX_HOME_DAYS_PER_WEEK = "max_home_days_per_week"
MIN_OFFICE_DAYS_PER_WEEK = "min_office_days_per_week"
MAX_HOME_DAYS_PER_MONTH = "max_home_days_per_month"
MIN_OFFICE_DAYS_PER_MONTH = "min_office_days_per_month"
APPROVED_DAYS_ONLY = "approved_days_only"
INELIGIBLE_ON_SITE = "ineligible_on_site"
DESK_STAFF_ON_SITE = "desk_staff_on_site"
DUTY_STAFF_ON_SITE = "duty_staff_on_site"
LEADER_ON_SITE = "leader_on_site_each_day"
FIXED_ON_SITE_DAYS = "fixed_on_site_days"
MIN_HOME_DAYS_PER_WEEK = "min_home_days_per_week"
# The presence cap (distancing, issue 14): on-site people per working day (office and desk statuses; leave is absent,
# neither on site nor at home) at most floor(max_onsite_share × staff present that day), at most
# max_onsite_headcount, and at most the unit's usable office seats.
MAX_ONSITE_SHARE = "max_onsite_share"
MAX_ONSITE_HEADCOUNT = "max_onsite_headcount"
OFFICE_SEATS = "office_seats"

HARD_RULES: tuple[str, ...] = (
    MAX_HOME_SHARE,
    MIN_ONSITE_SHARE,
    MAX_HOME_DAYS_PER_WEEK,
    MIN_OFFICE_DAYS_PER_WEEK,
    MAX_HOME_DAYS_PER_MONTH,
    MIN_OFFICE_DAYS_PER_MONTH,
    APPROVED_DAYS_ONLY,
    INELIGIBLE_ON_SITE,
    DESK_STAFF_ON_SITE,
    DUTY_STAFF_ON_SITE,
    LEADER_ON_SITE,
    FIXED_ON_SITE_DAYS,
    MIN_HOME_DAYS_PER_WEEK,
    MAX_ONSITE_SHARE,
    MAX_ONSITE_HEADCOUNT,
    OFFICE_SEATS,
)
# The presence caps yield to the other city rules: a desk, a duty post, the leader rule or an on-site minimum that
# needs more people than a cap allows keeps them, and the cap is exceeded by the least possible (the parameter's
# definition: "never below what desks, duty posts and the leader rule need"; ``explain`` says so in words).
CAP_RULES = frozenset({MAX_ONSITE_SHARE, MAX_ONSITE_HEADCOUNT, OFFICE_SEATS})
# What the unit head may relax: the head's own meetings and team days, and the home-day guarantee (the head may
# call someone in). Everything else is city policy or law and is never traded away: the solver gives these rules
# a weight so large that it breaks one only when no roster at all can keep it.
RELAXABLE_RULES = frozenset({FIXED_ON_SITE_DAYS, MIN_HOME_DAYS_PER_WEEK})
POLICY_RULES = tuple(rule for rule in HARD_RULES if rule not in RELAXABLE_RULES)


def service_point_rule(kind: str) -> str:
    """The policy parameter that sets how many staff a service point of ``kind`` needs on site."""
    return DESK_STAFF_ON_SITE if kind == ONE_STOP_DESK else DUTY_STAFF_ON_SITE


@dataclass(frozen=True)
class MonthHistory:
    """What a person already did in a month before the horizon starts (for the monthly rules)."""

    month: str  # "2026-12"
    home_days: int
    office_days: int


@dataclass(frozen=True)
class Person:
    """One member of the unit. Days are working days of the horizon; other days are ignored."""

    id: int
    name: str
    is_leader: bool = False
    # Eligibility comes from ``telework.policy.eligibility``; an ineligible person is on site every working day.
    is_eligible: bool = True
    # Only these days may be home days: those registered and approved (``telework.registrations``).
    approved_home_days: frozenset[dt.date] = frozenset()
    # Preferences (soft): days the person asked to be at home, or in the office.
    requested_home_days: frozenset[dt.date] = frozenset()
    requested_office_days: frozenset[dt.date] = frozenset()
    # Approved leave: absent, neither on site nor at home.
    leave_days: frozenset[dt.date] = frozenset()
    # Entitlement: home days a week the person should get when the unit has room (soft, fairness).
    home_days_per_week: int = 0
    # A personal cap tighter than the policy's (part-time staff, pro rata), or None.
    max_home_days_per_week: int | None = None
    # History over recent weeks: home days taken against home days due; the difference is a debt the rotation pays.
    recent_home_days: int = 0
    recent_entitled_days: int = 0
    # Mondays and Fridays at home in recent weeks, so popular days rotate across people.
    recent_popular_home_days: int = 0
    # Last published week's home weekdays (0 = Monday): each week of the new roster stays close to it.
    last_week_home_weekdays: frozenset[int] = frozenset()
    month_history: tuple[MonthHistory, ...] = ()
    # Assigned home days (distancing): on-site days in recent published rosters, and the person's fair share of them
    # (each day they were present: the unit's on-site count that day / the staff present, summed, rounded).
    recent_onsite_days: int = 0
    recent_fair_onsite_days: int = 0

    @property
    def history_debt(self) -> int:
        """Home days owed to the person (positive) or taken in advance (negative) over recent weeks."""
        return self.recent_entitled_days - self.recent_home_days

    @property
    def presence_excess(self) -> int:
        """On-site days beyond the person's fair share over recent weeks (negative: fewer than their share)."""
        return self.recent_onsite_days - self.recent_fair_onsite_days


@dataclass(frozen=True)
class ServicePoint:
    """A one-stop desk (bộ phận một cửa) or duty post (trực) that needs ``required_on_site`` qualified staff on site
    every working day (the policy's ``desk_staff_on_site`` / ``duty_staff_on_site`` unless the point overrides it).

    ``required_by_weekday`` (five numbers, Monday to Friday) replaces it weekday by weekday when set: real desks
    need more hands on Mondays, when the week's dossiers arrive, than on a quiet Thursday.
    """

    id: int
    name: str
    kind: str
    required_on_site: int
    qualified_ids: frozenset[int]
    required_by_weekday: tuple[int, ...] = ()

    def required_on(self, day: dt.date) -> int:
        """Qualified staff needed on site on ``day``."""
        return self.required_by_weekday[day.weekday()] if self.required_by_weekday else self.required_on_site

    @property
    def most_required(self) -> int:
        """The most it ever needs on a day (0: it needs nobody, and no rule applies)."""
        return max(self.required_by_weekday) if self.required_by_weekday else self.required_on_site

    @property
    def varies_by_weekday(self) -> bool:
        return len(set(self.required_by_weekday)) > 1


@dataclass(frozen=True)
class FixedOnSiteDay:
    """A meeting, training or team day: the people it names (everyone when empty) are on site that day."""

    day: dt.date
    label: str
    person_ids: frozenset[int] = frozenset()

    def applies_to(self, person_id: int) -> bool:
        return not self.person_ids or person_id in self.person_ids


@dataclass(frozen=True)
class RosterPolicy:
    """The policy numbers a roster obeys (``PolicyParameters`` resolved for the unit, plus the home-day guarantee)."""

    max_home_share: float = 0.5
    min_onsite_share: float = 0.5
    max_home_days_per_week: int | None = None
    min_office_days_per_week: int | None = None
    max_home_days_per_month: int | None = None
    min_office_days_per_month: int | None = None
    leader_on_site_each_day: bool = True
    # Home days a week guaranteed to each eligible person who registered for them (0: no guarantee). The head may
    # relax it, so it is the rule the solver gives up first when the unit cannot keep every promise.
    min_home_days_per_week: int = 0
    # The presence cap (distancing): None = no cap. See ``onsite_limits``.
    max_onsite_share: float | None = None
    max_onsite_headcount: int | None = None
    # Distancing: the unit assigns home days. Everyone present may be at home on any working day (approved days and
    # eligibility no longer bound it, see ``may_be_home``) and the roster rotates presence fairly.
    home_days_assigned: bool = False

    @classmethod
    def from_parameters(cls, parameters: PolicyParameters, *, min_home_days_per_week: int = 0) -> RosterPolicy:
        """The roster's view of a resolved policy."""
        return cls(
            max_onsite_share=parameters.max_onsite_share,
            max_onsite_headcount=parameters.max_onsite_headcount,
            home_days_assigned=parameters.home_days_assigned,
            max_home_share=parameters.max_home_share,
            min_onsite_share=parameters.min_onsite_share,
            max_home_days_per_week=parameters.max_home_days_per_week,
            min_office_days_per_week=parameters.min_office_days_per_week,
            max_home_days_per_month=parameters.max_home_days_per_month,
            min_office_days_per_month=parameters.min_office_days_per_month,
            leader_on_site_each_day=parameters.leader_on_site_each_day,
            min_home_days_per_week=min_home_days_per_week,
        )


@dataclass(frozen=True)
class Weights:
    """Weights of the soft goals (configurable per unit). The hard rules' weights are not set here: the solver
    derives them from these, large enough that no soft gain can ever pay for a hard violation."""

    # Fairness first: the worst shortfall against a person's target, in sixtieths of that target (so a person due
    # 3 days who gets 2 counts as much as one due 6 who gets 4), then the total shortfall in days.
    worst_shortfall: int = 10
    total_shortfall: int = 50
    # Home days beyond the target are not needed; a small cost keeps them for people who asked.
    over_target: int = 2
    # Rotation of Mondays and Fridays: spread (max − min) of popular home days, history included.
    popular_day_spread: int = 20
    # A requested home (or office) day not honoured.
    unmet_request: int = 5
    # A day whose status differs from last week's pattern.
    stability: int = 1
    # Assigned home days (distancing): each person's on-site days against their fair share, history included
    # (``presence_targets``): the sum of the deviations (in quarters of a day), and each whole day by which a person
    # is more than a day away from their share.
    presence_deviation: int = 10
    presence_far: int = 20


@dataclass(frozen=True)
class UnitInstance:
    """One unit, one horizon: the whole input of a roster. ``canonical()`` sorts it, so that the same facts in
    any order give the same model and therefore the same roster."""

    unit_id: int
    unit_name: str
    days: tuple[dt.date, ...]
    people: tuple[Person, ...]
    service_points: tuple[ServicePoint, ...] = ()
    fixed_on_site: tuple[FixedOnSiteDay, ...] = ()
    policy: RosterPolicy = field(default_factory=RosterPolicy)
    weights: Weights = field(default_factory=Weights)
    # Working days of each month that fall after the horizon (for the monthly office minimum): (month, count).
    month_days_after: tuple[tuple[str, int], ...] = ()
    # Seats usable in the unit's office (``Unit.office_seats``): at most this many on site a day; None = no limit.
    office_seats: int | None = None

    @property
    def max_onsite_share(self) -> float | None:
        return self.policy.max_onsite_share

    @property
    def max_onsite_headcount(self) -> int | None:
        return self.policy.max_onsite_headcount

    @property
    def home_days_assigned(self) -> bool:
        return self.policy.home_days_assigned

    def canonical(self) -> UnitInstance:
        """The same instance in canonical order (people, service points by id; days, fixed days by date)."""
        return dataclasses.replace(
            self,
            days=tuple(sorted(set(self.days))),
            people=tuple(
                dataclasses.replace(person, month_history=tuple(sorted(person.month_history, key=lambda item: item.month)))
                for person in sorted(self.people, key=lambda person: person.id)
            ),
            service_points=tuple(sorted(self.service_points, key=lambda point: point.id)),
            fixed_on_site=tuple(sorted(self.fixed_on_site, key=lambda fixed: (fixed.day, fixed.label, sorted(fixed.person_ids)))),
            month_days_after=tuple(sorted(self.month_days_after)),
        )

    def validate(self) -> None:
        """Refuse inputs that cannot describe a unit (raise ``ValueError`` naming the problem)."""
        ids = [person.id for person in self.people]
        if len(ids) != len(set(ids)):
            raise ValueError(f"unit {self.unit_id}: duplicate person ids")
        if len(self.days) != len(set(self.days)):
            raise ValueError(f"unit {self.unit_id}: duplicate days")
        if any(day.weekday() >= 5 for day in self.days):
            raise ValueError(f"unit {self.unit_id}: weekend days are not working days")
        known = set(ids)
        for point in self.service_points:
            if point.kind not in (ONE_STOP_DESK, DUTY_POST):
                raise ValueError(f"unit {self.unit_id}: service point {point.id} has unknown kind {point.kind!r}")
            if point.required_on_site < 0 or any(required < 0 for required in point.required_by_weekday):
                raise ValueError(f"unit {self.unit_id}: service point {point.id} needs a negative number of staff")
            if point.required_by_weekday and len(point.required_by_weekday) != 5:
                raise ValueError(f"unit {self.unit_id}: service point {point.id} needs five weekday numbers, Monday to Friday")
            if not point.qualified_ids <= known:
                raise ValueError(f"unit {self.unit_id}: service point {point.id} names staff outside the unit")
        for fixed in self.fixed_on_site:
            if not fixed.person_ids <= known:
                raise ValueError(f"unit {self.unit_id}: fixed on-site day {fixed.label!r} names staff outside the unit")
        shares = (self.policy.max_home_share, self.policy.min_onsite_share)
        if any(not 0.0 <= share <= 1.0 for share in shares):
            raise ValueError(f"unit {self.unit_id}: shares must lie between 0 and 1")
        if self.policy.max_onsite_share is not None and not 0.0 <= self.policy.max_onsite_share <= 1.0:
            raise ValueError(f"unit {self.unit_id}: shares must lie between 0 and 1")
        if any(value is not None and value < 0 for value in (self.policy.max_onsite_headcount, self.office_seats)):
            raise ValueError(f"unit {self.unit_id}: a cap on presence cannot be negative")

    @property
    def staff_count(self) -> int:
        return len(self.people)


@dataclass(frozen=True)
class RosterRow:
    """One person's statuses, one per working day of the roster (``office``, ``home``, ``leave`` or ``desk:<id>``)."""

    person_id: int
    statuses: tuple[str, ...]


@dataclass(frozen=True)
class Roster:
    unit_id: int
    days: tuple[dt.date, ...]
    rows: tuple[RosterRow, ...]

    def status_by_cell(self) -> dict[tuple[int, dt.date], str]:
        return {(row.person_id, day): status for row in self.rows for day, status in zip(self.days, row.statuses, strict=True)}

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "days": [day.isoformat() for day in self.days],
            "rows": [{"person_id": row.person_id, "statuses": list(row.statuses)} for row in self.rows],
        }


def is_on_site(status: str) -> bool:
    return status == STATUS_OFFICE or status.startswith(STATUS_DESK_PREFIX)


def week_key(day: dt.date) -> str:
    """The ISO week of ``day``: "2026-W49"."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_key(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"


def group_days(days: Iterable[dt.date], key: Any) -> dict[str, list[dt.date]]:
    """Days grouped by ``key`` (``week_key`` or ``month_key``), groups and days in order."""
    groups: dict[str, list[dt.date]] = {}
    for day in sorted(days):
        groups.setdefault(key(day), []).append(day)
    return groups


def fixed_days_of(instance: UnitInstance, person_id: int) -> frozenset[dt.date]:
    return frozenset(fixed.day for fixed in instance.fixed_on_site if fixed.applies_to(person_id))


def weekly_home_cap(policy: RosterPolicy, person: Person) -> int | None:
    """The tighter of the policy's weekly cap and the person's own."""
    caps = [cap for cap in (policy.max_home_days_per_week, person.max_home_days_per_week) if cap is not None]
    return min(caps) if caps else None


def monthly_home_room(instance: UnitInstance, person: Person) -> dict[str, int]:
    """Home days ``person`` may still take in each month of the horizon: the monthly cap less the home days taken
    before the horizon (``max_home_days_per_month``), and what the monthly office minimum leaves free once the
    office days already done and the working days after the horizon are counted (``min_office_days_per_month``)."""
    policy = instance.policy
    after = dict(instance.month_days_after)
    history = {item.month: item for item in person.month_history}
    room: dict[str, int] = {}
    for month, days in group_days(instance.days, month_key).items():
        present = sum(1 for day in days if day not in person.leave_days)
        before = history.get(month)
        home_before = before.home_days if before else 0
        office_before = before.office_days if before else 0
        month_room = present
        if policy.max_home_days_per_month is not None:
            month_room = min(month_room, max(0, policy.max_home_days_per_month - home_before))
        if policy.min_office_days_per_month is not None:
            later = after.get(month, 0)
            required_total = min(policy.min_office_days_per_month, office_before + home_before + present + later)
            month_room = min(month_room, present - min(present, max(0, required_total - office_before - later)))
        room[month] = month_room
    return room


def _take(days: list[dt.date], limit: int, room: dict[str, int]) -> list[dt.date]:
    """Up to ``limit`` of ``days`` taken in date order, each from its month's ``room`` (consumed). Days of an earlier
    month go first: a later week can still use the later month, never the earlier one."""
    taken: list[dt.date] = []
    for day in days:
        if len(taken) >= limit:
            break
        if room[month_key(day)] > 0:
            room[month_key(day)] -= 1
            taken.append(day)
    return taken


def home_day_targets(instance: UnitInstance) -> dict[int, int]:
    """Each person's target: the home days they should get over the horizon if the unit has room.

    A day counts towards it only if the rules let this person, alone, be at home that day: eligible, present,
    approved, not a fixed on-site day, the unit's daily limits leave at least one home place, another leader is
    present when the person is a leader the policy needs on site, and every desk or duty post the person is
    qualified for keeps enough other qualified staff present that day. Per week: the entitlement, within those
    days, the weekly cap and the weekly office minimum; per month: within what the monthly cap and the monthly
    office minimum leave (``monthly_home_room``). Then the history debt is added, and the total never exceeds
    what the person could take at all under every one of those caps. Ineligible staff have no target.

    This is the yardstick of fairness for the solver's objective and for every report on a roster, so that
    nobody is counted as "treated unfairly" for a home day no lawful roster could give them.
    """
    policy = instance.policy
    if policy.home_days_assigned:
        return {person.id: 0 for person in instance.people}  # nobody asks for home days: see ``presence_targets``
    headcount = len(instance.people)
    home_places = math.floor(policy.max_home_share * headcount + 1e-9)
    points = [point for point in instance.service_points if point.most_required > 0]
    leaders = [person for person in instance.people if person.is_leader]
    weeks = group_days(instance.days, week_key)
    present_by_day: dict[dt.date, set[int]] = {day: {person.id for person in instance.people if day not in person.leave_days} for day in instance.days}
    targets: dict[int, int] = {}
    for person in instance.people:
        if not person.is_eligible:
            targets[person.id] = 0
            continue
        fixed = fixed_days_of(instance, person.id)
        cap = weekly_home_cap(policy, person)
        qualified_for = [point for point in points if person.id in point.qualified_ids]
        open_by_week: list[tuple[list[dt.date], int, int]] = []  # open days, room, entitlement
        for days in weeks.values():
            present = [day for day in days if day not in person.leave_days]
            open_days: list[dt.date] = []
            for day in present:
                if day not in person.approved_home_days or day in fixed:
                    continue
                here = present_by_day[day]
                if min(home_places, len(here) - math.ceil(policy.min_onsite_share * len(here) - 1e-9)) < 1:
                    continue
                if person.is_leader and policy.leader_on_site_each_day and not any(other.id != person.id and other.id in here for other in leaders):
                    continue
                if any(len((point.qualified_ids & here) - {person.id}) < point.required_on(day) for point in qualified_for):
                    continue
                open_days.append(day)
            room = len(open_days)
            if cap is not None:
                room = min(room, cap)
            if policy.min_office_days_per_week is not None:
                room = min(room, len(present) - min(policy.min_office_days_per_week, len(present)))
            open_by_week.append((open_days, room, min(person.home_days_per_week, room)))
        # The entitlement first, week by week within the monthly room; what the months leave then counts towards
        # what the person could take at all.
        month_room = monthly_home_room(instance, person)
        granted = [_take(open_days, entitlement, month_room) for open_days, _room, entitlement in open_by_week]
        entitled = sum(len(days) for days in granted)
        extra = 0
        for (open_days, room, _entitlement), given in zip(open_by_week, granted, strict=True):
            extra += len(_take([day for day in open_days if day not in given], room - len(given), month_room))
        achievable = entitled + extra
        targets[person.id] = max(0, min(achievable, entitled + person.history_debt))
    return targets


def guaranteed_home_days(instance: UnitInstance) -> dict[tuple[int, str], int]:
    """The home-day guarantee (``min_home_days_per_week``) as it applies to each person and ISO week.

    The policy promises each eligible person that many home days a week, but never more than their own situation
    allows: approved days they are present and not called to a fixed on-site day, their weekly cap and office
    minimum, and what is left of their monthly cap and monthly office minimum (shared out week by week, in date
    order). So a guarantee can only conflict with the unit's rules (shares, desks, leaders), which is what the
    head is told about. Keys are (person id, ISO week); weeks without a guarantee are absent. When the unit assigns
    home days (distancing) nobody registered for any, so nothing is guaranteed.
    """
    policy = instance.policy
    guaranteed: dict[tuple[int, str], int] = {}
    if policy.min_home_days_per_week <= 0 or policy.home_days_assigned:
        return guaranteed
    weeks = group_days(instance.days, week_key)
    for person in instance.people:
        if not person.is_eligible:
            continue
        fixed = fixed_days_of(instance, person.id)
        cap = weekly_home_cap(policy, person)
        room = monthly_home_room(instance, person)
        for week, days in weeks.items():
            present_days = [day for day in days if day not in person.leave_days]
            open_days = [day for day in present_days if day in person.approved_home_days and day not in fixed]
            limit = min(policy.min_home_days_per_week, len(open_days))
            if cap is not None:
                limit = min(limit, cap)
            if policy.min_office_days_per_week is not None:
                limit = min(limit, len(present_days) - min(policy.min_office_days_per_week, len(present_days)))
            granted = len(_take(open_days, limit, room))
            if granted:
                guaranteed[person.id, week] = granted
    return guaranteed


# -- the presence cap (distancing, issue 14) ----------------------------------------------------------------------
# Deviations from a person's fair share of on-site days are measured in quarters of a day (an integer objective).
PRESENCE_SCALE = 4


def may_be_home(policy: RosterPolicy, person: Person, day: dt.date) -> bool:
    """Whether ``person`` may be at home on ``day`` at all (a roster then decides whether they are).

    Pilot (home days requested): eligible, present and approved for that day (``APPROVED_DAYS_ONLY``,
    ``INELIGIBLE_ON_SITE``). Assigned home days (distancing, ``home_days_assigned``): everyone present, eligible or
    not — distancing is a health measure, not a telework entitlement, so eligibility no longer keeps anyone on site.
    Nor does a desk qualification pin a person on site: the desk and duty-post rules ask for enough of the qualified
    staff each day, and the rotation shares those days among them.
    """
    if day in person.leave_days:
        return False
    if policy.home_days_assigned:
        return True
    return person.is_eligible and day in person.approved_home_days


def onsite_limits(instance: UnitInstance, day: dt.date) -> dict[str, int]:
    """The presence caps in force on ``day``, by rule: at most floor(``max_onsite_share`` × staff present that day)
    on site (present = not on leave; rounded down, against presence: 30 % of 8 present is 2), at most
    ``max_onsite_headcount``, at most the unit's ``office_seats``. Rules without a value are absent."""
    policy = instance.policy
    present = sum(1 for person in instance.people if day not in person.leave_days)
    limits: dict[str, int] = {}
    if policy.max_onsite_share is not None:
        limits[MAX_ONSITE_SHARE] = math.floor(policy.max_onsite_share * present + 1e-9)
    if policy.max_onsite_headcount is not None:
        limits[MAX_ONSITE_HEADCOUNT] = policy.max_onsite_headcount
    if instance.office_seats is not None:
        limits[OFFICE_SEATS] = instance.office_seats
    return limits


def onsite_capacity(instance: UnitInstance, day: dt.date) -> int:
    """How many may be on site on ``day``: the tightest presence cap, or everyone present when none is set."""
    present = sum(1 for person in instance.people if day not in person.leave_days)
    return min([present, *onsite_limits(instance, day).values()])


def fair_onsite_days(instance: UnitInstance) -> dict[int, Fraction]:
    """Each person's fair share of on-site days over the horizon: on each day they are present, the unit's capacity
    that day (``onsite_capacity``) shared equally among the staff present, summed (exact fractions)."""
    capacity_share: dict[dt.date, Fraction] = {}
    for day in instance.days:
        present = sum(1 for person in instance.people if day not in person.leave_days)
        capacity_share[day] = Fraction(onsite_capacity(instance, day), present) if present else Fraction(0)
    return {person.id: sum((capacity_share[day] for day in instance.days if day not in person.leave_days), Fraction(0)) for person in instance.people}


def presence_targets(instance: UnitInstance) -> dict[int, int]:
    """Each person's target of on-site days over the horizon, in quarters of a day (``PRESENCE_SCALE``), when the
    unit assigns home days: their fair share (``fair_onsite_days``) less what they were on site beyond their fair
    share in recent weeks (``Person.presence_excess``), so that whoever came in more lately comes in less now. This
    is the yardstick of rotation for the solver's objective and for every report on an assigned roster."""
    fair = fair_onsite_days(instance)
    return {person.id: round(PRESENCE_SCALE * (fair[person.id] - person.presence_excess)) for person in instance.people}


@dataclass(frozen=True)
class OnSiteNeed:
    """The fewest people who must be on site on a day for the other city rules to hold as far as leave allows:
    staff who may not be at home, the seats of desks and duty posts that present qualified staff can fill, a leader,
    and the unit's on-site minimum and home maximum. ``total`` is the largest of what the people-rules and the
    count-rules need."""

    total: int
    present: int
    forced: int  # present staff who may not be at home that day (``may_be_home``)
    desk_seats: int  # seats of desks and duty posts fillable by the present qualified staff
    desk_people: int  # people beyond ``forced`` needed to fill them
    leader: int  # 1 when a leader must come in only for the leader rule
    by_count: int  # on site required by the on-site minimum and the home maximum


def minimum_on_site(instance: UnitInstance, day: dt.date) -> OnSiteNeed:
    """What the presence caps yield to on ``day`` (see ``CAP_RULES``). Exact for the day, as a transversal matroid
    gives it: a largest assignment of present qualified staff to seats (Kuhn's augmenting paths), using as many of
    the staff who are on site anyway as can be used; a leader costs one more person unless one is on site anyway or
    can take a seat. Weekly and monthly rules (office minimums, home caps) are not counted: they bind across days."""
    policy = instance.policy
    people = [person for person in instance.people if day not in person.leave_days]
    present_ids = {person.id for person in people}
    forced = {person.id for person in people if not may_be_home(policy, person, day)}
    seats = [point for point in instance.service_points for _ in range(point.required_on(day))]

    def matched(allowed: set[int]) -> int:
        holder: dict[int, int] = {}

        def place(seat: int, visited: set[int]) -> bool:
            for person_id in sorted(seats[seat].qualified_ids & allowed):
                if person_id in visited:
                    continue
                visited.add(person_id)
                if person_id not in holder or place(holder[person_id], visited):
                    holder[person_id] = seat
                    return True
            return False

        return sum(1 for seat in range(len(seats)) if place(seat, set()))

    fillable = matched(present_ids)
    by_forced = matched(forced)
    leader = 0
    leaders = [person.id for person in people if person.is_leader]
    if policy.leader_on_site_each_day and leaders and not any(person_id in forced for person_id in leaders):
        # A leader fills one of the free places only if some largest assignment can seat them with the forced staff.
        leader = 0 if fillable > by_forced and any(matched(forced | {person_id}) > by_forced for person_id in leaders) else 1
    home_limit = math.floor(policy.max_home_share * len(instance.people) + 1e-9)
    by_count = max(len(people) - home_limit, math.ceil(policy.min_onsite_share * len(people) - 1e-9), 0)
    by_people = len(forced) + fillable - by_forced + leader
    return OnSiteNeed(
        total=min(len(people), max(by_people, by_count)),
        present=len(people),
        forced=len(forced),
        desk_seats=fillable,
        desk_people=fillable - by_forced,
        leader=leader,
        by_count=min(len(people), by_count),
    )


def canonical_json(data: Mapping[str, Any]) -> str:
    """JSON with sorted keys and no spaces: the same data always gives the same bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
