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

from telework.core import calendar
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
            params = {key: _render_param(key, value) for key, value in self.params.items()}
            text = gettext(self.message) % params
            if self.params.get("holidays"):
                text += " " + gettext(SHORTENED_PERIOD) % params
            if self.params.get("drop"):
                text += " " + gettext(DROP_SUGGESTION) % params
            return text

        if language is None:
            return render()
        with translation.override(language):
            return render()

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "date": self.day.isoformat() if self.day else None,
            "message": self.reason(),
            "params": {key: _json_param(value) for key, value in self.params.items()},
            # The requested days whose removal satisfies this rule, as the form's "leave out" buttons show them.
            **({"drop": [{"date": day.isoformat(), "label": day.strftime("%d/%m/%Y")} for day in self.days_to_drop]} if self.days_to_drop else {}),
        }

    @property
    def days_to_drop(self) -> list[dt.date]:
        """The requested days whose removal would satisfy this rule (empty when dropping days cannot help)."""
        return list(self.params.get("drop", []))


SHORTENED_PERIOD = gettext_noop(
    "That %(period)s has %(working)s working days instead of %(full)s (%(holidays)s), so the policy's %(base)s a %(period)s counts as %(limit)s."
)
DROP_SUGGESTION = gettext_noop("Drop %(drop)s from this registration and the rest of it can stand.")


def _render_param(key: str, value: Any) -> Any:
    if key == "period":
        return gettext(value)
    if key == "holidays":
        return ", ".join(f"{calendar.holiday_name(day) or ''} {day.strftime('%d/%m/%Y')}".strip() for day in value)
    if key == "drop":
        return ", ".join(day.strftime("%d/%m/%Y") for day in value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def _json_param(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_json_param(item) for item in value]
    return value


def scale_to_working_days(value: int, *, working: int, full: int, favour: str) -> int:
    """A weekly or monthly day count of the policy, for a period that public holidays shortened.

    The policy's figure is meant for a full period of ``full`` weekdays (five a week); a period with ``working``
    working days gets ``value × working ÷ full``, rounded to the nearest whole day. A half rounds in the staff
    member's favour: down for an office-day minimum (``favour="down"``), up for a home-day maximum
    (``favour="up"``). So under "at least 3 office days, at most 2 home days a week", the week of New Year's Day
    (four working days) needs 2 office days (3 × 4 ÷ 5 = 2.4) and allows 2 home days (2 × 4 ÷ 5 = 1.6), and a
    standing Monday-and-Thursday pattern stands in it. Full periods keep the policy's figure unchanged.
    """
    if full <= 0 or working >= full:
        return value
    exact = value * working / full
    if favour == "down":
        return max(0, math.ceil(exact - 0.5 - 1e-9))
    return max(0, math.floor(exact + 0.5 + 1e-9))


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
    """Per-person home-day maximum and office-day minimum for each week or month the request touches.

    In a period shortened by public holidays (Tết, 30/4–1/5, 2/9, New Year) both figures scale with the period's
    working days (``scale_to_working_days``); the refusal names the holidays and which requested days to drop.
    """
    violations: list[Violation] = []
    periods: dict[tuple[dt.date, dt.date], list[dt.date]] = defaultdict(list)
    for day in requested:
        periods[bounds(day)].append(day)
    for (start, end), days in sorted(periods.items()):
        parameters = parameters_for(days[0])
        base_maximum = parameters.max_home_days_per_week if period == "week" else parameters.max_home_days_per_month
        base_minimum = parameters.min_office_days_per_week if period == "week" else parameters.min_office_days_per_month
        home_in_period = sorted(day for day in all_home if start <= day <= end)
        working = working_days_between(start, end)
        full = sum(1 for offset in range((end - start).days + 1) if (start + dt.timedelta(days=offset)).weekday() < 5)
        holidays = [day for day in calendar.days_between(start, end) if day.weekday() < 5 and day not in working]
        shortened = {"working": len(working), "full": full, "holidays": holidays} if holidays else {}
        # Latest requested days first: dropping them keeps the start of the pattern, which the person asked first.
        droppable = sorted(days, reverse=True)
        if base_maximum is not None:
            maximum = scale_to_working_days(base_maximum, working=len(working), full=full, favour="up")
            excess = len(home_in_period) - maximum
            if excess > 0:
                violations.append(
                    Violation(
                        f"max_home_days_per_{period}",
                        days[0],
                        gettext_noop("From %(start)s to %(end)s you would have %(count)s home days; the policy allows at most %(limit)s per %(period)s."),
                        {
                            "start": start,
                            "end": end,
                            "count": len(home_in_period),
                            "limit": maximum,
                            "period": gettext_noop(period),
                            "base": base_maximum,
                            **shortened,
                            **({"drop": sorted(droppable[:excess])} if excess <= len(droppable) else {}),
                        },
                    )
                )
        if base_minimum is not None:
            minimum = scale_to_working_days(base_minimum, working=len(working), full=full, favour="down")
            office_days = len([day for day in working if day not in all_home])
            shortfall = minimum - office_days
            if shortfall > 0:
                violations.append(
                    Violation(
                        f"min_office_days_per_{period}",
                        days[0],
                        gettext_noop("From %(start)s to %(end)s you would have %(count)s office days; the policy requires at least %(limit)s per %(period)s."),
                        {
                            "start": start,
                            "end": end,
                            "count": office_days,
                            "limit": minimum,
                            "period": gettext_noop(period),
                            "base": base_minimum,
                            **shortened,
                            **({"drop": sorted(droppable[:shortfall])} if shortfall <= len(droppable) else {}),
                        },
                    )
                )
    return violations
