"""Rosters in words: the hard rules' names, ISO weeks, weekdays and holidays, what a cell says, a checker finding as
a sentence, and the certificate and explanation as lines. What a person reads; never a key."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from telework.core import calendar, ui
from telework.core.exceptions import ValidationFailed
from telework.organization.models import ServicePoint
from telework.rosters.engine import instance as engine
from telework.rosters.engine.checker import Finding
from telework.rosters.models import EntryStatus, LeaveKind, Roster

# The translated name of every hard rule (what the grid, the refusals and the exports call it).
RULE_LABELS: dict[str, Any] = {
    engine.MAX_HOME_SHARE: gettext_lazy("Share of the unit at home each day"),
    engine.MIN_ONSITE_SHARE: gettext_lazy("Share of staff on site each day"),
    engine.MAX_HOME_DAYS_PER_WEEK: gettext_lazy("Home days per person per week"),
    engine.MIN_OFFICE_DAYS_PER_WEEK: gettext_lazy("Office days per person per week"),
    engine.MAX_HOME_DAYS_PER_MONTH: gettext_lazy("Home days per person per month"),
    engine.MIN_OFFICE_DAYS_PER_MONTH: gettext_lazy("Office days per person per month"),
    engine.APPROVED_DAYS_ONLY: gettext_lazy("Home only on registered and approved days"),
    engine.INELIGIBLE_ON_SITE: gettext_lazy("Staff not eligible to work from home stay on site"),
    engine.DESK_STAFF_ON_SITE: gettext_lazy("One-stop desk staffed on site"),
    engine.DUTY_STAFF_ON_SITE: gettext_lazy("Duty post staffed on site"),
    engine.LEADER_ON_SITE: gettext_lazy("A leader on site every day"),
    engine.FIXED_ON_SITE_DAYS: gettext_lazy("Meetings, trainings and team days on site"),
    engine.MIN_HOME_DAYS_PER_WEEK: gettext_lazy("Guaranteed home days per week"),
    engine.MAX_ONSITE_SHARE: gettext_lazy("Share of staff present on site each day, at most"),
    engine.MAX_ONSITE_HEADCOUNT: gettext_lazy("People on site each day, at most"),
    engine.OFFICE_SEATS: gettext_lazy("Office seats usable each day"),
}


def rule_label(rule: str) -> str:
    """The translated name of a hard rule ("" when unknown: a key never reaches a screen)."""
    label = RULE_LABELS.get(rule)
    return str(label) if label is not None else ""


# --- weeks --------------------------------------------------------------------------------------------------------


def week_start_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def iso_week_of(day: dt.date) -> str:
    """ "2026-W49" for any day of that ISO week."""
    return engine.week_key(day)


def parse_iso_week(text: str) -> dt.date:
    """The Monday of an ISO week written "2026-W49"; ``ValidationFailed(rule="week")`` otherwise."""
    if calendar.ISO_WEEK.match((text or "").strip()) is None:
        raise ValidationFailed(_("Write the week as YYYY-Www, for example 2026-W49."), rule="week", params={"week": text})
    monday = calendar.iso_week_monday(text)
    if monday is None:
        raise ValidationFailed(_("Week %(week)s does not exist.") % {"week": text}, rule="week", params={"week": text})
    return monday


# --- findings in words --------------------------------------------------------------------------------------------


def describe_finding(instance: engine.UnitInstance, statuses: dict[tuple[int, dt.date], str], finding: Finding) -> str:
    """One violation found by the checker, in a sentence naming the rule's figures (active language)."""
    people = {person.id: person for person in instance.people}
    policy = instance.policy
    person = people.get(finding.person_id) if finding.person_id is not None else None
    name = person.name if person else ""
    rule = finding.rule
    day = parse_day(finding.period)
    if rule == engine.MAX_HOME_SHARE and day:
        headcount = len(instance.people)
        home = sum(1 for other in instance.people if statuses.get((other.id, day)) == engine.STATUS_HOME)
        return _("On %(date)s, %(home)s of the unit's %(headcount)s staff would be at home; the policy allows at most %(limit)s (%(percent)s%%).") % {
            "date": _date(day),
            "home": home,
            "headcount": headcount,
            "limit": math.floor(policy.max_home_share * headcount + 1e-9),
            "percent": round(policy.max_home_share * 100),
        }
    if rule == engine.MIN_ONSITE_SHARE and day:
        present = [other for other in instance.people if day not in other.leave_days]
        onsite = sum(1 for other in present if engine.is_on_site(statuses.get((other.id, day), engine.STATUS_OFFICE)))
        return _(
            "On %(date)s, only %(onsite)s of the %(present)s staff present would be on site; the policy requires at least %(minimum)s (%(percent)s%%)."
        ) % {
            "date": _date(day),
            "onsite": onsite,
            "present": len(present),
            "minimum": math.ceil(policy.min_onsite_share * len(present) - 1e-9),
            "percent": round(policy.min_onsite_share * 100),
        }
    if rule in engine.CAP_RULES and day:
        present = [other for other in instance.people if day not in other.leave_days]
        onsite = sum(1 for other in present if engine.is_on_site(statuses.get((other.id, day), engine.STATUS_OFFICE)))
        cap = engine.onsite_limits(instance, day).get(rule, 0)
        if rule == engine.MAX_ONSITE_SHARE:
            return _("On %(date)s, %(onsite)s of the %(present)s staff present would be on site; the cap allows at most %(limit)s (%(percent)s%%).") % {
                "date": _date(day),
                "onsite": onsite,
                "present": len(present),
                "limit": cap,
                "percent": round((policy.max_onsite_share or 0) * 100),
            }
        if rule == engine.MAX_ONSITE_HEADCOUNT:
            return _("On %(date)s, %(onsite)s people would be on site; the cap allows at most %(limit)s.") % {
                "date": _date(day),
                "onsite": onsite,
                "limit": cap,
            }
        return _("On %(date)s, %(onsite)s people would be on site, but the office has only %(limit)s usable seats.") % {
            "date": _date(day),
            "onsite": onsite,
            "limit": cap,
        }
    if rule == engine.LEADER_ON_SITE and day:
        return _("On %(date)s, no leader would be on site; the policy requires a leader on site every working day.") % {"date": _date(day)}
    if rule in (engine.DESK_STAFF_ON_SITE, engine.DUTY_STAFF_ON_SITE) and day:
        point = next((point for point in instance.service_points if point.id == finding.point_id), None)
        message = (
            _("On %(date)s, one-stop desk “%(point)s” would lack %(missing)s of the %(required)s qualified staff it needs on site.")
            if rule == engine.DESK_STAFF_ON_SITE
            else _("On %(date)s, duty post “%(point)s” would lack %(missing)s of the %(required)s qualified staff it needs on site.")
        )
        return message % {
            "date": _date(day),
            "point": point.name if point else "",
            "missing": finding.amount,
            "required": point.required_on(day) if point else 0,
        }
    if rule == engine.APPROVED_DAYS_ONLY and day:
        return _("%(person)s has no approved home day on %(date)s: home days must be registered and approved first.") % {"person": name, "date": _date(day)}
    if rule == engine.INELIGIBLE_ON_SITE and day:
        return _("%(person)s is not eligible to work from home, so works on site on %(date)s.") % {"person": name, "date": _date(day)}
    if rule == engine.FIXED_ON_SITE_DAYS and day:
        labels = [fixed.label for fixed in instance.fixed_on_site if fixed.day == day and fixed.applies_to(finding.person_id or 0)]
        return _("%(date)s is a day on site for %(person)s (%(event)s).") % {"date": _date(day), "person": name, "event": ", ".join(labels)}
    if rule == engine.MAX_HOME_DAYS_PER_WEEK:
        limit = engine.weekly_home_cap(policy, person) if person else policy.max_home_days_per_week
        return _("%(person)s would have %(count)s home days in week %(week)s; the policy allows at most %(limit)s.") % {
            "person": name,
            "count": (limit or 0) + finding.amount,
            "week": finding.period,
            "limit": limit,
        }
    if rule == engine.MIN_OFFICE_DAYS_PER_WEEK:
        return _("%(person)s would have too few office days in week %(week)s; the policy requires at least %(minimum)s.") % {
            "person": name,
            "week": finding.period,
            "minimum": policy.min_office_days_per_week,
        }
    if rule == engine.MAX_HOME_DAYS_PER_MONTH:
        return _("%(person)s would pass the limit of %(limit)s home days in month %(month)s.") % {
            "person": name,
            "limit": policy.max_home_days_per_month,
            "month": finding.period,
        }
    if rule == engine.MIN_OFFICE_DAYS_PER_MONTH:
        return _("%(person)s would have too few office days in month %(month)s; the policy requires at least %(minimum)s.") % {
            "person": name,
            "month": finding.period,
            "minimum": policy.min_office_days_per_month,
        }
    if rule == engine.MIN_HOME_DAYS_PER_WEEK:
        return _("%(person)s would get %(missing)s fewer home days than guaranteed in week %(week)s.") % {
            "person": name,
            "missing": finding.amount,
            "week": finding.period,
        }
    return rule_label(rule)


def parse_day(period: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(period)
    except ValueError:
        return None


def holiday_label(day: dt.date) -> str:
    """The public holiday's name in the active language ("Quốc khánh" / "National Day"), or ""."""
    return calendar.holiday_name(day) or ""


def weekday_name(day: dt.date) -> str:
    return ui.weekday_name(day)


def _date(day: dt.date) -> str:
    return f"{weekday_name(day)} {day:%d/%m/%Y}"


# --- the grid -----------------------------------------------------------------------------------------------------


STATUS_LABELS: dict[str, Any] = {
    EntryStatus.OFFICE: gettext_lazy("Office"),
    EntryStatus.HOME: gettext_lazy("At home"),
    EntryStatus.LEAVE: gettext_lazy("On leave"),
}


def cell_label(status: str, service_point: ServicePoint | None = None, leave_kind: str = "") -> str:
    """What a cell says on the grid and the notice board: "Cơ quan", "Tại nhà", "Nghỉ phép" (or the kind of leave),
    or the desk's name."""
    if status == EntryStatus.DESK and service_point is not None:
        return service_point.name
    if status == EntryStatus.LEAVE and leave_kind and leave_kind != LeaveKind.ANNUAL:
        return str(LeaveKind(leave_kind).label)
    return str(STATUS_LABELS.get(status, status))


def explanation_lines(roster: Roster, language: str | None = None) -> list[str]:
    """The roster's explanation (what could not be met and why) in ``language`` or the active language."""
    language = language or translation.get_language() or "vi"
    key = "en" if language.startswith("en") else "vi"
    data = roster.explanation or {}
    return [message.get(key, "") for part in ("unavoidable", "conflicts", "relaxed") for message in data.get(part, [])]


def certificate_lines(roster: Roster) -> list[str]:
    """The certificate in plain words, for the collapsible panel."""
    certificate = roster.certificate or {}
    if not certificate:
        return []
    status = certificate.get("status")
    lines = []
    if status == "OPTIMAL":
        lines.append(_("Proven optimal: no roster within the rules is fairer or honours more requests."))
    elif status == "FEASIBLE":
        lines.append(
            _("Best roster found within the time allowed; at most %(gap)s%% from the optimum.") % {"gap": round(100 * float(certificate.get("gap") or 0), 2)}
        )
    else:
        lines.append(_("No roster was found in time; everyone is on site."))
    lines.append(_("Objective %(objective)s, bound %(bound)s.") % {"objective": certificate.get("objective"), "bound": certificate.get("best_bound")})
    lines.append(
        _("Solver %(solver)s %(version)s, seed %(seed)s.")
        % {"solver": certificate.get("solver", ""), "version": certificate.get("solver_version", ""), "seed": certificate.get("seed")}
    )
    checker = certificate.get("checker", {})
    unavoidable = sum((certificate.get("unavoidable") or {}).values())
    lines.append(
        _("Independent check at generation: %(violations)s city-policy violations, %(unavoidable)s of them unavoidable.")
        % {"violations": checker.get("policy_total", 0), "unavoidable": unavoidable}
    )
    return lines
