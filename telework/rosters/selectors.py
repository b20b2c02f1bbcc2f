"""Reads for rosters, scoped by the viewer, and who may act on which unit's rosters.

Scope follows ``telework.accounts.scope``: a unit head manages the rosters of their unit's subtree, an agency head
those of their agency, a system administrator all; Home Affairs generates city-wide and reads everything, city
leadership and agency HR read; a staff member reads the *published* rosters of their own unit. A roster outside
the viewer's scope answers ``NotFound`` (404), never 403, so ids do not leak.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from telework.accounts import scope
from telework.accounts.models import Role
from telework.core import calendar, clock
from telework.core.exceptions import NotFound, ValidationFailed
from telework.organization.models import Agency, ServicePoint, Staff, Unit
from telework.rosters.engine import instance as engine
from telework.rosters.engine.checker import Finding, check
from telework.rosters.models import EntryStatus, Leave, LeaveKind, Roster, RosterEntry, RosterRun, RosterStatus, SwapRequest, SwapStatus, UnitEvent

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


# --- permissions --------------------------------------------------------------------------------------------------


def _is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.role == Role.SYSTEM_ADMIN or user.is_superuser))


def can_manage_unit(user: Any, unit: Unit) -> bool:
    """Generate, edit and publish rosters, approve swaps, record leave and unit events: the unit head whose unit's
    subtree holds ``unit``, the agency head of its agency, and system administrators."""
    if not getattr(user, "is_authenticated", False):
        return False
    if _is_admin(user):
        return True
    me = scope.own_staff(user)
    if me is None:
        return False
    if user.role == Role.UNIT_HEAD:
        return unit.path.startswith(me.unit.path)
    if user.role == Role.AGENCY_HEAD:
        return unit.agency_id == me.unit.agency_id
    return False


def managed_units(user: Any) -> QuerySet[Unit]:
    """Units whose rosters ``user`` manages."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if _is_admin(user):
        return Unit.objects.all()
    me = scope.own_staff(user)
    if me is None:
        return Unit.objects.none()
    if user.role == Role.UNIT_HEAD:
        return Unit.objects.filter(path__startswith=me.unit.path)
    if user.role == Role.AGENCY_HEAD:
        return Unit.objects.filter(agency_id=me.unit.agency_id)
    return Unit.objects.none()


def can_generate_city(user: Any) -> bool:
    """Generate every unit's roster for a week at once: Home Affairs (who runs the pilot) and administrators."""
    return bool(getattr(user, "is_authenticated", False) and (user.role == Role.HOME_AFFAIRS or _is_admin(user)))


def can_record_leave(user: Any, staff: Staff) -> bool:
    """Record or cancel approved leave: whoever manages the person's unit, and the agency's HR office."""
    if can_manage_unit(user, staff.unit):
        return True
    if getattr(user, "is_authenticated", False) and user.role == Role.AGENCY_HR:
        me = scope.own_staff(user)
        return me is not None and me.unit.agency_id == staff.unit.agency_id
    return False


def roster_units(*, viewer: Any) -> QuerySet[Unit]:
    """Units whose rosters ``viewer`` may read: the scope's units, and a staff member's own unit."""
    units = scope.visible_units(viewer)
    me = scope.own_staff(viewer)
    if me is not None:
        units = units | Unit.objects.filter(pk=me.unit_id)
    return units.distinct().select_related("agency")


def _sees_drafts(viewer: Any, unit: Unit) -> bool:
    """Drafts are the head's working copy: managers, Home Affairs and administrators see them; others wait for the
    published version."""
    return can_manage_unit(viewer, unit) or can_generate_city(viewer)


def _require_unit(viewer: Any, unit: Unit) -> None:
    if not roster_units(viewer=viewer).filter(pk=unit.pk).exists():
        raise NotFound()


# --- rosters -----------------------------------------------------------------------------------------------------


def _rosters() -> QuerySet[Roster]:
    return Roster.objects.select_related("unit", "unit__agency", "created_by", "published_by")


def roster_for_week(*, viewer: Any, unit: Unit, week_start: dt.date) -> Roster | None:
    """The version of ``unit``'s roster for the week that ``viewer`` should see: the current one (draft or published)
    for managers, the newest published one for everyone else; None when there is none yet."""
    _require_unit(viewer, unit)
    rosters = _rosters().filter(unit=unit, week_start=week_start_of(week_start))
    if _sees_drafts(viewer, unit):
        return rosters.filter(is_current=True).first()
    return rosters.filter(status=RosterStatus.PUBLISHED).order_by("-version").first()


def roster_get(*, viewer: Any, roster_id: int) -> Roster:
    """One roster version ``viewer`` may read (drafts only for managers); otherwise ``NotFound``."""
    roster = _rosters().filter(pk=roster_id).first()
    if roster is None or not roster_units(viewer=viewer).filter(pk=roster.unit_id).exists():
        raise NotFound()
    if roster.is_draft and not _sees_drafts(viewer, roster.unit):
        raise NotFound()
    return roster


def roster_versions(*, viewer: Any, unit: Unit, week_start: dt.date) -> list[Roster]:
    """Every version of the unit-week, newest first (the history a manager may compare); published ones only for
    other readers."""
    _require_unit(viewer, unit)
    rosters = _rosters().filter(unit=unit, week_start=week_start_of(week_start)).order_by("-version")
    if not _sees_drafts(viewer, unit):
        rosters = rosters.filter(status=RosterStatus.PUBLISHED)
    return list(rosters)


def roster_days(roster: Roster) -> list[dt.date]:
    return [dt.date.fromisoformat(day) for day in roster.days]


def entry_map(roster: Roster) -> dict[tuple[int, dt.date], RosterEntry]:
    """The roster's cells by (staff id, day)."""
    return {(entry.staff_id, entry.day): entry for entry in roster.entries.select_related("service_point")}


def engine_roster(roster: Roster, entries: dict[tuple[int, dt.date], RosterEntry], people: list[int]) -> engine.Roster:
    """The stored roster as the pure engine reads it (people in the given order; a missing cell is "office")."""
    days = tuple(roster_days(roster))
    rows = tuple(
        engine.RosterRow(
            person_id,
            tuple(entries[person_id, day].engine_status if (person_id, day) in entries else engine.STATUS_OFFICE for day in days),
        )
        for person_id in people
    )
    return engine.Roster(unit_id=roster.unit_id, days=days, rows=rows)


def with_leave(instance: engine.UnitInstance, roster: engine.Roster) -> engine.Roster:
    """``roster`` with every recorded leave day of ``instance`` marked leave (leave is a fact, not a choice)."""
    leave = {(person.id, day) for person in instance.people for day in person.leave_days}
    rows = tuple(
        engine.RosterRow(
            row.person_id,
            tuple(
                engine.STATUS_LEAVE
                if (row.person_id, day) in leave
                else engine.STATUS_OFFICE
                if status == engine.STATUS_LEAVE and (row.person_id, day) not in leave
                else status
                for day, status in zip(roster.days, row.statuses, strict=True)
            ),
        )
        for row in roster.rows
    )
    return engine.Roster(unit_id=roster.unit_id, days=roster.days, rows=rows)


# --- findings in words --------------------------------------------------------------------------------------------


def describe_finding(instance: engine.UnitInstance, statuses: dict[tuple[int, dt.date], str], finding: Finding) -> str:
    """One violation found by the checker, in a sentence naming the rule's figures (active language)."""
    people = {person.id: person for person in instance.people}
    policy = instance.policy
    person = people.get(finding.person_id) if finding.person_id is not None else None
    name = person.name if person else ""
    rule = finding.rule
    day = _parse_day(finding.period)
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


def _parse_day(period: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(period)
    except ValueError:
        return None


WEEKDAY_NAMES = (
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
)


def holiday_label(day: dt.date) -> str:
    """The public holiday's name in the active language ("Quốc khánh" / "National Day"), or ""."""
    return calendar.holiday_name(day) or ""


def weekday_name(day: dt.date) -> str:
    return _(WEEKDAY_NAMES[day.weekday()])


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


@dataclass
class GridCell:
    day: dt.date
    status: str
    service_point: ServicePoint | None
    label: str
    is_manual: bool
    leave_kind: str
    is_approved_home_day: bool
    problems: list[str] = field(default_factory=list)


@dataclass
class GridRow:
    staff: Staff
    position_name: str
    is_leader: bool
    is_eligible: bool
    cells: list[GridCell]
    home_days: int
    target: int


@dataclass
class PointStaffing:
    point: ServicePoint
    required: int
    staffed: int

    @property
    def is_staffed(self) -> bool:
        return self.staffed >= self.required


@dataclass
class DayTotals:
    day: dt.date
    office: int
    desk: int
    home: int
    leave: int
    present: int
    headcount: int
    home_limit: int
    onsite_minimum: int
    leader_on_site: bool | None
    points: list[PointStaffing]
    events: list[str]

    @property
    def on_site(self) -> int:
        return self.office + self.desk

    @property
    def is_over_home_limit(self) -> bool:
        return self.home > self.home_limit

    @property
    def is_under_onsite_minimum(self) -> bool:
        return self.on_site < self.onsite_minimum


@dataclass
class GridFinding:
    rule: str
    rule_label: str
    message: str
    period: str
    staff_id: int | None
    point_id: int | None
    is_relaxable: bool


@dataclass
class RosterGrid:
    roster: Roster
    days: list[dt.date]
    holidays: list[tuple[dt.date, str]]
    rows: list[GridRow]
    totals: list[DayTotals]
    findings: list[GridFinding]
    warnings: list[GridFinding]
    explanation: list[str]
    points: list[ServicePoint]
    can_edit: bool
    is_proven_optimal: bool
    certificate_lines: list[str]


def roster_grid(*, roster: Roster, viewer: Any = None) -> RosterGrid:
    """Everything the week grid shows: people × days with statuses, per-day counts against the limits, desks staffed,
    and the hard rules the roster breaks *now* (the checker on today's facts: leave recorded or registrations
    revoked since generation show up here)."""
    from telework.rosters.adapters import load_unit

    days = roster_days(roster)
    entries = entry_map(roster)
    loaded = load_unit(roster.unit, roster.week_start)
    staff_ids = sorted({staff_id for staff_id, _day in entries})
    staff = {member.pk: member for member in Staff.objects.filter(pk__in=staff_ids).select_related("position")}
    points = list(ServicePoint.objects.filter(unit=roster.unit).order_by("code"))
    points_by_id = {point.pk: point for point in points}
    monday = roster.week_start
    holidays = [(day, holiday_label(day)) for day in (monday + dt.timedelta(days=offset) for offset in range(5)) if calendar.holiday_name(day)]
    instance = loaded.instance if loaded is not None else None
    findings: list[GridFinding] = []
    warnings: list[GridFinding] = []
    problems: dict[tuple[int, dt.date], list[str]] = defaultdict(list)
    targets: dict[int, int] = {}
    people = {}
    if instance is not None:
        people = {person.id: person for person in instance.people}
        order = [person.id for person in instance.people]
        current = engine_roster(roster, entries, order)
        report = check(instance, current)
        statuses = current.status_by_cell()
        for finding in report.findings:
            item = GridFinding(
                rule=finding.rule,
                rule_label=rule_label(finding.rule),
                message=describe_finding(instance, statuses, finding),
                period=finding.period,
                staff_id=finding.person_id,
                point_id=finding.point_id,
                is_relaxable=finding.rule in engine.RELAXABLE_RULES,
            )
            (warnings if item.is_relaxable else findings).append(item)
            day = _parse_day(finding.period)
            if finding.person_id is not None and day is not None:
                problems[finding.person_id, day].append(finding.rule)
        targets = engine.home_day_targets(instance)
    leave_kinds = loaded.leave_kinds if loaded is not None else {}
    ordered = sorted(staff.values(), key=lambda member: (not member.is_leader, member.full_name, member.code))
    rows: list[GridRow] = []
    for member in ordered:
        person = people.get(member.pk)
        cells = []
        for day in days:
            entry = entries.get((member.pk, day))
            status = entry.status if entry else EntryStatus.OFFICE
            point = points_by_id.get(entry.service_point_id) if entry and entry.service_point_id else None
            kind = leave_kinds.get((member.pk, day), "")
            cells.append(
                GridCell(
                    day=day,
                    status=status,
                    service_point=point,
                    label=cell_label(status, point, kind),
                    is_manual=bool(entry and entry.is_manual),
                    leave_kind=kind,
                    is_approved_home_day=bool(person and day in person.approved_home_days),
                    problems=problems.get((member.pk, day), []),
                )
            )
        rows.append(
            GridRow(
                staff=member,
                position_name=member.position.name,
                is_leader=member.is_leader,
                is_eligible=bool(person and person.is_eligible),
                cells=cells,
                home_days=sum(1 for cell in cells if cell.status == EntryStatus.HOME),
                target=targets.get(member.pk, 0),
            )
        )
    totals = _day_totals(roster, days, entries, staff, points, instance)
    certificate = roster.certificate or {}
    return RosterGrid(
        roster=roster,
        days=days,
        holidays=holidays,
        rows=rows,
        totals=totals,
        findings=findings,
        warnings=warnings,
        explanation=explanation_lines(roster),
        points=points,
        can_edit=bool(viewer is not None and roster.is_current and can_manage_unit(viewer, roster.unit)),
        is_proven_optimal=certificate.get("status") == "OPTIMAL",
        certificate_lines=certificate_lines(roster),
    )


def _day_totals(
    roster: Roster,
    days: list[dt.date],
    entries: dict[tuple[int, dt.date], RosterEntry],
    staff: dict[int, Staff],
    points: list[ServicePoint],
    instance: engine.UnitInstance | None,
) -> list[DayTotals]:
    policy = roster.policy or {}
    headcount = len(instance.people) if instance is not None else len(staff)
    max_home_share = float(policy.get("max_home_share", 0.0))
    min_onsite_share = float(policy.get("min_onsite_share", 0.0))
    engine_points = {point.id: point for point in instance.service_points} if instance is not None else {}
    leader_required = bool(policy.get("leader_on_site_each_day", False))
    totals = []
    for day in days:
        counts = {status: 0 for status in EntryStatus.values}
        staffed: dict[int, int] = defaultdict(int)
        leader_here = False
        for member_id, member in staff.items():
            entry = entries.get((member_id, day))
            status = entry.status if entry else EntryStatus.OFFICE
            counts[status] += 1
            if entry and entry.status == EntryStatus.DESK and entry.service_point_id:
                staffed[entry.service_point_id] += 1
            if member.is_leader and status in (EntryStatus.OFFICE, EntryStatus.DESK):
                leader_here = True
        present = headcount - counts[EntryStatus.LEAVE]
        totals.append(
            DayTotals(
                day=day,
                office=counts[EntryStatus.OFFICE],
                desk=counts[EntryStatus.DESK],
                home=counts[EntryStatus.HOME],
                leave=counts[EntryStatus.LEAVE],
                present=present,
                headcount=headcount,
                home_limit=math.floor(max_home_share * headcount + 1e-9),
                onsite_minimum=math.ceil(min_onsite_share * present - 1e-9),
                leader_on_site=leader_here if leader_required else None,
                points=[
                    PointStaffing(
                        point,
                        engine_points[point.pk].required_on(day)
                        if point.pk in engine_points
                        else point.required_on_weekday(day.weekday(), point.required_on_site or 0),
                        staffed.get(point.pk, 0),
                    )
                    for point in points
                ],
                events=[fixed.label for fixed in (instance.fixed_on_site if instance is not None else ()) if fixed.day == day],
            )
        )
    return totals


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


# --- today -------------------------------------------------------------------------------------------------------


@dataclass
class TodayPerson:
    staff: Staff
    status: str
    position_name: str
    phone: str
    service_point: ServicePoint | None = None
    leave_kind: str = ""


@dataclass
class TodayUnit:
    unit: Unit
    day: dt.date
    roster: Roster | None
    on_site: list[TodayPerson] = field(default_factory=list)
    at_desk: list[TodayPerson] = field(default_factory=list)
    at_home: list[TodayPerson] = field(default_factory=list)
    on_leave: list[TodayPerson] = field(default_factory=list)

    @property
    def is_published(self) -> bool:
        return self.roster is not None


def roster_today(*, viewer: Any, unit: Unit | None = None, agency: Agency | None = None, day: dt.date | None = None) -> list[TodayUnit]:
    """Who is where on ``day`` (today by default), from the newest *published* roster of each unit: one unit, or every
    unit of ``agency`` the viewer may see. Units without a published roster for the week come back empty
    (``is_published`` False)."""
    day = day or clock.today()
    units = roster_units(viewer=viewer)
    if unit is not None:
        units = units.filter(pk=unit.pk)
        if not units.exists():
            raise NotFound()
    elif agency is not None:
        if not scope.visible_agencies(viewer).filter(pk=agency.pk).exists() and not units.filter(agency=agency).exists():
            raise NotFound()
        units = units.filter(agency=agency)
    unit_list = list(units.order_by("agency__code", "path"))
    published: dict[int, Roster] = {}
    for roster in _rosters().filter(unit__in=[u.pk for u in unit_list], week_start=week_start_of(day), status=RosterStatus.PUBLISHED).order_by("version"):
        published[roster.unit_id] = roster  # the newest version wins
    entries = (
        RosterEntry.objects.filter(roster__in=list(published.values()), day=day)
        .select_related("staff", "staff__position", "service_point")
        .order_by("staff__full_name", "staff__code")
    )
    leave_kinds = {
        staff_id: kind
        for staff_id, kind in Leave.objects.filter(
            staff__unit__in=[u.pk for u in unit_list], cancelled_at__isnull=True, starts_on__lte=day, ends_on__gte=day
        ).values_list("staff_id", "kind")
    }
    unit_of_roster = {roster.pk: unit_id for unit_id, roster in published.items()}
    by_unit: dict[int, TodayUnit] = {u.pk: TodayUnit(unit=u, day=day, roster=published.get(u.pk)) for u in unit_list}
    for entry in entries:
        today = by_unit[unit_of_roster[entry.roster_id]]
        person = TodayPerson(
            staff=entry.staff,
            status=entry.status,
            position_name=entry.staff.position.name,
            phone=entry.staff.phone,
            service_point=entry.service_point,
            leave_kind=leave_kinds.get(entry.staff_id, ""),
        )
        {
            EntryStatus.OFFICE: today.on_site,
            EntryStatus.DESK: today.at_desk,
            EntryStatus.HOME: today.at_home,
            EntryStatus.LEAVE: today.on_leave,
        }[EntryStatus(entry.status)].append(person)
    return list(by_unit.values())


# --- swaps, leave, events, runs ------------------------------------------------------------------------------------


def swap_list(*, viewer: Any, roster: Roster | None = None, pending_only: bool = False) -> QuerySet[SwapRequest]:
    """Swaps the viewer takes part in or manages, newest first."""
    swaps = SwapRequest.objects.select_related("roster", "roster__unit", "requester", "counterpart", "decided_by")
    me = scope.own_staff(viewer)
    mine = Q(requester=me) | Q(counterpart=me) if me is not None else Q(pk__in=[])
    swaps = swaps.filter(mine | Q(roster__unit__in=managed_units(viewer)))
    if roster is not None:
        swaps = swaps.filter(roster__unit=roster.unit, roster__week_start=roster.week_start)
    if pending_only:
        swaps = swaps.filter(status__in=[SwapStatus.REQUESTED, SwapStatus.ACCEPTED])
    return swaps.order_by("-created_at", "-id")


def swap_get(*, viewer: Any, swap_id: int) -> SwapRequest:
    swap = swap_list(viewer=viewer).filter(pk=swap_id).first()
    if swap is None:
        raise NotFound()
    return swap


def swaps_awaiting(*, viewer: Any) -> list[SwapRequest]:
    """What the viewer must act on: requests a colleague sent them, and accepted swaps in units they manage."""
    me = scope.own_staff(viewer)
    waiting = Q(status=SwapStatus.ACCEPTED, roster__unit__in=managed_units(viewer))
    if me is not None:
        waiting |= Q(status=SwapStatus.REQUESTED, counterpart=me)
    return list(swap_list(viewer=viewer).filter(waiting).order_by("created_at", "id"))


def leave_list(*, viewer: Any, unit: Unit, starts_on: dt.date, ends_on: dt.date) -> QuerySet[Leave]:
    """Leave in force for the unit's staff that overlaps the period."""
    _require_unit(viewer, unit)
    return (
        Leave.objects.filter(staff__unit=unit, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .select_related("staff", "recorded_by")
        .order_by("starts_on", "staff__full_name")
    )


def unit_events(*, viewer: Any, unit: Unit, starts_on: dt.date, ends_on: dt.date) -> QuerySet[UnitEvent]:
    """The unit's meetings, trainings and team days in the period (cancelled ones left out)."""
    _require_unit(viewer, unit)
    return (
        UnitEvent.objects.filter(unit=unit, cancelled_at__isnull=True, day__gte=starts_on, day__lte=ends_on).prefetch_related("attendees").order_by("day", "id")
    )


def roster_runs(*, viewer: Any) -> QuerySet[RosterRun]:
    """City-wide and agency generations, newest first: for Home Affairs and administrators."""
    if not can_generate_city(viewer):
        return RosterRun.objects.none()
    return RosterRun.objects.select_related("agency", "started_by").order_by("-started_at", "-id")


def roster_run_get(*, viewer: Any, run_id: int) -> RosterRun:
    run = roster_runs(viewer=viewer).filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    return run
