"""The week grid: a stored roster as the engine reads it, and everything the grid shows (statuses, day totals
against the limits, desks staffed, the rules the roster breaks on today's facts)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from telework.accounts.types import Viewer
from telework.core import calendar
from telework.organization.models import ServicePoint, Staff
from telework.rosters.adapters import load_unit
from telework.rosters.engine import instance as engine
from telework.rosters.engine.checker import check
from telework.rosters.models import EntryStatus, Roster, RosterEntry
from telework.rosters.selectors.labels import cell_label, certificate_lines, describe_finding, explanation_lines, holiday_label, parse_day, rule_label
from telework.rosters.selectors.permissions import can_manage_unit


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


def roster_grid(*, roster: Roster, viewer: Viewer | None = None) -> RosterGrid:
    """Everything the week grid shows: people × days with statuses, per-day counts against the limits, desks staffed,
    and the hard rules the roster breaks *now* (the checker on today's facts: leave recorded or registrations
    revoked since generation show up here)."""
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
            day = parse_day(finding.period)
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
