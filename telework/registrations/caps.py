"""Cap rules for home days: per person, per unit and day, leaders and service points. Pure Python.

``check_request`` takes the facts about a unit (who is at home on which days, who leads, which desks need whom)
and a requested set of home days, and returns every violation with the rule, the day and the figures.
The services call it twice: at submission against already-approved days, and at approval under a lock.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from telework.policy.parameters import PolicyParameters


@dataclass(frozen=True)
class ServicePointFacts:
    id: int
    name: str
    kind: str  # "one_stop_desk" | "duty_post"
    required_on_site: int | None
    qualified_staff_ids: frozenset[int]
    # Monday to Friday, None for "as on other days" (``ServicePoint.required_by_weekday``); empty: the same every day.
    required_by_weekday: tuple[int | None, ...] = ()


@dataclass
class UnitFacts:
    """Who is in the unit and who is already approved to be at home on each day."""

    unit_name: str
    staff_ids: frozenset[int]  # active staff of the unit: the headcount
    leader_ids: frozenset[int]
    service_points: tuple[ServicePointFacts, ...]
    home_by_day: dict[dt.date, set[int]] = field(default_factory=dict)  # approved, counted home days


@dataclass(frozen=True)
class Violation:
    rule: str  # the policy parameter that refuses
    day: dt.date | None
    message: str  # English message id
    params: dict[str, Any]

    def reason(self, language: str | None = None) -> str:
        def render() -> str:
            params = {
                key: value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else gettext(value) if key == "period" else value
                for key, value in self.params.items()
            }
            return gettext(self.message) % params

        if language is None:
            return render()
        with translation.override(language):
            return render()

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "date": self.day.isoformat() if self.day else None,
            "message": self.reason(),
            "params": {key: value.isoformat() if isinstance(value, dt.date) else value for key, value in self.params.items()},
        }


def unit_home_limit(headcount: int, parameters: PolicyParameters) -> int:
    """The most staff of a unit that may be at home on one day: both ``max_home_share`` and ``min_onsite_share``
    must hold, rounding against telework (at most ⌊share × headcount⌋ home, at least ⌈share × headcount⌉ on site)."""
    by_home_share = math.floor(parameters.max_home_share * headcount + 1e-9)
    by_onsite_share = headcount - math.ceil(parameters.min_onsite_share * headcount - 1e-9)
    return max(0, min(by_home_share, by_onsite_share))


def check_request(
    *,
    staff_id: int,
    days: Iterable[dt.date],
    unit: UnitFacts,
    person_home_days: set[dt.date],
    parameters_for: Callable[[dt.date], PolicyParameters],
    working_days_between: Callable[[dt.date, dt.date], list[dt.date]],
    week_bounds: Callable[[dt.date], tuple[dt.date, dt.date]],
    month_bounds: Callable[[dt.date], tuple[dt.date, dt.date]],
) -> list[Violation]:
    """Every rule the request for ``days`` would break, given what is already approved.

    ``person_home_days`` are the person's already-counted home days (other registrations); the requested days are
    added to them for the weekly and monthly counts.
    """
    requested = sorted(set(days))
    violations: list[Violation] = []
    all_home = set(person_home_days) | set(requested)
    violations += _person_period_caps(requested, all_home, parameters_for, working_days_between, week_bounds, "week")
    violations += _person_period_caps(requested, all_home, parameters_for, working_days_between, month_bounds, "month")
    headcount = len(unit.staff_ids)
    for day in requested:
        parameters = parameters_for(day)
        at_home = set(unit.home_by_day.get(day, set())) | {staff_id}
        limit = unit_home_limit(headcount, parameters)
        if len(at_home) > limit:
            rule = "max_home_share"
            by_home_share = math.floor(parameters.max_home_share * headcount + 1e-9)
            if by_home_share >= len(at_home):
                rule = "min_onsite_share"
            violations.append(
                Violation(
                    rule,
                    day,
                    gettext_noop(
                        "On %(date)s, %(unit)s would have %(home)s of %(headcount)s staff at home; the policy allows at most %(limit)s "
                        "(at most %(max_home_percent)s%% at home, at least %(min_onsite_percent)s%% on site)."
                    ),
                    {
                        "date": day,
                        "unit": unit.unit_name,
                        "home": len(at_home),
                        "headcount": headcount,
                        "limit": limit,
                        "max_home_percent": round(parameters.max_home_share * 100),
                        "min_onsite_percent": round(parameters.min_onsite_share * 100),
                    },
                )
            )
        if parameters.leader_on_site_each_day and staff_id in unit.leader_ids:
            leaders_on_site = unit.leader_ids - at_home
            if not leaders_on_site:
                violations.append(
                    Violation(
                        "leader_on_site_each_day",
                        day,
                        gettext_noop("On %(date)s no leader of %(unit)s would be on site; the policy requires one every day."),
                        {"date": day, "unit": unit.unit_name},
                    )
                )
        for point in unit.service_points:
            if staff_id not in point.qualified_staff_ids:
                continue
            required = point.required_on_site
            if required is None:
                required = parameters.desk_staff_on_site if point.kind == "one_stop_desk" else parameters.duty_staff_on_site
            on_weekday = point.required_by_weekday[day.weekday()] if day.weekday() < len(point.required_by_weekday) else None
            if on_weekday is not None:
                required = on_weekday
            on_site = len(point.qualified_staff_ids - at_home)
            if on_site < required:
                violations.append(
                    Violation(
                        "desk_staff_on_site" if point.kind == "one_stop_desk" else "duty_staff_on_site",
                        day,
                        gettext_noop(
                            "On %(date)s “%(point)s” would have %(on_site)s qualified staff on site; it needs %(required)s (%(qualified)s qualified in all)."
                        ),
                        {"date": day, "point": point.name, "on_site": on_site, "required": required, "qualified": len(point.qualified_staff_ids)},
                    )
                )
    return violations


def _person_period_caps(
    requested: list[dt.date],
    all_home: set[dt.date],
    parameters_for: Callable[[dt.date], PolicyParameters],
    working_days_between: Callable[[dt.date, dt.date], list[dt.date]],
    bounds: Callable[[dt.date], tuple[dt.date, dt.date]],
    period: str,
) -> list[Violation]:
    """Per-person home-day maximum and office-day minimum for each week or month the request touches."""
    violations: list[Violation] = []
    periods: dict[tuple[dt.date, dt.date], list[dt.date]] = defaultdict(list)
    for day in requested:
        periods[bounds(day)].append(day)
    for (start, end), days in sorted(periods.items()):
        parameters = parameters_for(days[0])
        maximum = parameters.max_home_days_per_week if period == "week" else parameters.max_home_days_per_month
        minimum_office = parameters.min_office_days_per_week if period == "week" else parameters.min_office_days_per_month
        home_in_period = sorted(day for day in all_home if start <= day <= end)
        working = working_days_between(start, end)
        if maximum is not None and len(home_in_period) > maximum:
            violations.append(
                Violation(
                    f"max_home_days_per_{period}",
                    days[0],
                    gettext_noop("From %(start)s to %(end)s you would have %(count)s home days; the policy allows at most %(limit)s per %(period)s."),
                    {"start": start, "end": end, "count": len(home_in_period), "limit": maximum, "period": gettext_noop(period)},
                )
            )
        if minimum_office is not None:
            # Pro rata in a period shortened by public holidays (Tết, 30/4–1/5, 2/9): a week of three working days
            # needs ⌈3 × 3 / 5⌉ = 2 office days under "at least 3 a week", not 3.
            weekdays = sum(1 for offset in range((end - start).days + 1) if (start + dt.timedelta(days=offset)).weekday() < 5)
            minimum_office = math.ceil(minimum_office * len(working) / weekdays - 1e-9) if weekdays else 0
            office_days = len([day for day in working if day not in all_home])
            if office_days < minimum_office:
                violations.append(
                    Violation(
                        f"min_office_days_per_{period}",
                        days[0],
                        gettext_noop("From %(start)s to %(end)s you would have %(count)s office days; the policy requires at least %(limit)s per %(period)s."),
                        {"start": start, "end": end, "count": office_days, "limit": minimum_office, "period": gettext_noop(period)},
                    )
                )
    return violations
