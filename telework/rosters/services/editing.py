"""Changing a roster by hand: one cell at a time, each change judged on today's facts by the independent checker
(``validate_changes``, which swaps use too), refused with the rule named when it breaks city policy."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import RuleViolation, ValidationFailed
from telework.organization.models import ServicePoint, Staff
from telework.registrations import services as registration_services
from telework.rosters import selectors
from telework.rosters.adapters import load_unit
from telework.rosters.engine import instance as engine
from telework.rosters.engine.checker import check
from telework.rosters.models import EntryStatus, Roster, RosterEntry
from telework.rosters.services import follow_ups
from telework.rosters.services.checks import roster_check


@dataclass
class CellCheck:
    """The outcome of validating a change: the relaxable rules it breaks (warnings; hard rules raise instead)."""

    warnings: list[dict[str, Any]] = field(default_factory=list)
    # Approved home days the change carries from one day to another (a swap): (staff id, from day, to day).
    moves: list[HomeDayMove] = field(default_factory=list)


CellChange = tuple[int, dt.date, str, int | None]  # staff id, day, status, service point id
HomeDayMove = tuple[int, dt.date, dt.date]  # staff id, approved home day given, day it moves to


def _home_day_moves(instance: engine.UnitInstance, entries: dict[tuple[int, dt.date], RosterEntry], changes: Sequence[CellChange]) -> list[HomeDayMove]:
    """The approved home days a swap carries with it. A person who gives an approved home day away and takes a home
    day in exchange keeps their approval: it moves, in date order, from each day given to each day taken that is
    not approved yet. A home day taken with no approved day given in return moves nothing (and the checker refuses
    it as a day not approved)."""
    people = {person.id: person for person in instance.people}
    moves: list[HomeDayMove] = []
    for staff_id in sorted({change[0] for change in changes}):
        approved = people[staff_id].approved_home_days
        was_home = {day: entries[staff_id, day].status == EntryStatus.HOME for sid, day, _status, _point in changes if sid == staff_id}
        becomes_home = {day: status == EntryStatus.HOME for sid, day, status, _point in changes if sid == staff_id}
        taken = sorted(day for day, home in becomes_home.items() if home and not was_home[day] and day not in approved)
        given = sorted(day for day, home in becomes_home.items() if not home and was_home[day] and day in approved)
        moves.extend((staff_id, from_day, to_day) for from_day, to_day in zip(given, taken, strict=False))
    return moves


def validate_changes(roster: Roster, changes: Sequence[CellChange], *, carry_approved_days: bool = False) -> CellCheck:
    """Check ``changes`` to ``roster`` against every hard rule, on today's facts, with the independent checker.

    Refuses (``RuleViolation``, naming the rule and every finding) when the changes would break a city-policy rule or
    make a broken one worse; rules the head may relax (fixed on-site days, the home-day guarantee) only warn. With
    ``carry_approved_days`` (a swap), approved home days move with the home days exchanged (``_home_day_moves``):
    the person must be eligible on the day taken, and the roster is checked against the moved approvals.
    """
    loaded = load_unit(roster.unit, roster.week_start)
    if loaded is None:
        raise ValidationFailed(_("%(unit)s has no active staff; there is nobody to roster.") % {"unit": roster.unit.name}, rule="unit")
    instance = loaded.instance
    days = set(selectors.roster_days(roster))
    people = {person.id: person for person in instance.people}
    entries = selectors.entry_map(roster)
    points = {point.id: point for point in instance.service_points}
    for staff_id, day, status, point_id in changes:
        person = people.get(staff_id)
        if person is None or (staff_id, day) not in entries:
            raise ValidationFailed(_("This person is not in this roster."), rule="staff")
        if day not in days:
            raise ValidationFailed(_("%(date)s is not a working day of this roster.") % {"date": day.strftime("%d/%m/%Y")}, rule="day")
        if status == EntryStatus.LEAVE or day in person.leave_days:
            raise ValidationFailed(
                _("%(person)s is on recorded leave on %(date)s; leave is changed by recording or cancelling it, not in the roster.")
                % {"person": person.name, "date": day.strftime("%d/%m/%Y")}
                if day in person.leave_days
                else _("Leave is recorded with the leave form, not set in the roster."),
                rule="status",
            )
        if status not in (EntryStatus.OFFICE, EntryStatus.HOME, EntryStatus.DESK):
            raise ValidationFailed(_("Choose office, home or a desk."), rule="status")
        if status == EntryStatus.DESK:
            point = points.get(point_id or 0)
            if point is None:
                raise ValidationFailed(_("Choose the desk or duty post."), rule="service_point")
            if staff_id not in point.qualified_ids:
                raise ValidationFailed(
                    _("%(person)s is not qualified for %(point)s.") % {"person": person.name, "point": point.name},
                    rule="service_point",
                    params={"point": point.name},
                )
    moves = _home_day_moves(instance, entries, changes) if carry_approved_days else []
    judged = instance
    if moves:
        staff_by_id = {
            member.pk: member for member in Staff.objects.filter(pk__in={staff_id for staff_id, _from, _to in moves}).select_related("unit", "position")
        }
        for staff_id, from_day, to_day in moves:
            registration_services.home_day_move_check(staff=staff_by_id[staff_id], from_day=from_day, to_day=to_day)
        moved = {person.id: set(person.approved_home_days) for person in instance.people}
        for staff_id, from_day, to_day in moves:
            moved[staff_id].discard(from_day)
            moved[staff_id].add(to_day)
        judged = dataclasses.replace(
            instance, people=tuple(dataclasses.replace(person, approved_home_days=frozenset(moved[person.id])) for person in instance.people)
        )
    order = [person.id for person in instance.people]
    before = selectors.with_leave(instance, selectors.engine_roster(roster, entries, order))
    edited = {
        (staff_id, day): (f"{engine.STATUS_DESK_PREFIX}{point_id}" if status == EntryStatus.DESK else str(status))
        for staff_id, day, status, point_id in changes
    }
    after = engine.Roster(
        unit_id=before.unit_id,
        days=before.days,
        rows=tuple(
            engine.RosterRow(row.person_id, tuple(edited.get((row.person_id, day), status) for day, status in zip(before.days, row.statuses, strict=True)))
            for row in before.rows
        ),
    )
    report_before, report_after = check(instance, before), check(judged, after)
    had: dict[tuple[Any, ...], int] = defaultdict(int)
    for finding in report_before.findings:
        had[finding.rule, finding.period, finding.person_id, finding.point_id] += finding.amount
    statuses = after.status_by_cell()
    refusals: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    for finding in report_after.findings:
        if finding.amount <= had[finding.rule, finding.period, finding.person_id, finding.point_id]:
            continue
        detail = {
            "rule": finding.rule,
            "rule_label": selectors.rule_label(finding.rule),
            "date": finding.period,
            "message": selectors.describe_finding(instance, statuses, finding),
        }
        (warnings if finding.rule in engine.RELAXABLE_RULES else refusals).append(detail)
    if refusals:
        first = refusals[0]
        raise RuleViolation(first["message"], rule=first["rule"], params={"violations": len(refusals), "rule_label": first["rule_label"]}, details=refusals)
    return CellCheck(warnings=warnings, moves=moves)


def roster_cell_check(*, roster: Roster, staff: Staff, day: dt.date, status: str, actor: User, service_point: ServicePoint | None = None) -> CellCheck:
    """What ``roster_edit_cell`` would say, without changing anything (for live validation as the head edits): who
    may edit (``roster_check``), then every rule the change would break."""
    roster_check(roster=roster, actor=actor, action="edit").raise_if_refused()
    return validate_changes(roster, [(staff.pk, day, status, service_point.pk if service_point else None)])


@transaction.atomic
def roster_edit_cell(
    *, roster: Roster, staff: Staff, day: dt.date, status: str, actor: User, service_point: ServicePoint | None = None
) -> tuple[RosterEntry, list[dict[str, Any]]]:
    """Set one person's status on one day (office, home, or a desk/duty post), by hand.

    Validated against the hard rules on today's facts: a change that would break city policy (or worsen a rule
    already broken) is refused with the rule named and nothing changes; a relaxable rule (a meeting day, the
    home-day guarantee) only warns. On a published roster the person is told of the change.
    """
    # The roster row serialises edits: two heads editing the same week cannot each pass the cap with one slot left.
    roster = Roster.objects.select_for_update().select_related("unit").get(pk=roster.pk)
    roster_check(roster=roster, actor=actor, action="edit").raise_if_refused()
    entry = RosterEntry.objects.select_related("service_point").filter(roster=roster, staff=staff, day=day).first()
    if entry is None:
        raise ValidationFailed(_("This person is not in this roster."), rule="staff")
    point_id = service_point.pk if service_point is not None and status == EntryStatus.DESK else None
    if entry.status == status and entry.service_point_id == point_id:
        return entry, []
    outcome = validate_changes(roster, [(staff.pk, day, status, point_id)])
    before = {"staff": staff.code, "day": day.isoformat(), "status": entry.status, "service_point": entry.service_point.name if entry.service_point else None}
    entry.status = status
    entry.service_point_id = point_id
    entry.is_manual = True
    entry.save(update_fields=["status", "service_point", "is_manual"])
    Roster.objects.filter(pk=roster.pk).update(updated_at=clock.now())
    after = {"staff": staff.code, "day": day.isoformat(), "status": status, "service_point": service_point.name if point_id and service_point else None}
    audit_record(
        actor=actor,
        action="roster.edit",
        target=roster,
        before=before,
        after=after,
        reason="; ".join(warning["message"] for warning in outcome.warnings),
        agency_id=roster.unit.agency_id,
    )
    if roster.is_published:
        follow_ups.after_commit(follow_ups.CELL_CHANGED, entry.pk)
    return entry, outcome.warnings
