"""The facts the solver respects besides registrations: approved leave (and business trips) and unit events
(meetings, training, team days). Recording leave updates the current rosters at once (and the published version staff
read while a newer draft is prepared); events count from the next generation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core import calendar, clock
from telework.core.audit import audit_record
from telework.core.exceptions import InvalidTransition, NotPermitted, ValidationFailed
from telework.organization.models import Staff, Unit
from telework.rosters import selectors
from telework.rosters.models import EntryStatus, Leave, LeaveKind, Roster, RosterEntry, RosterStatus, UnitEvent, UnitEventKind
from telework.rosters.services.common import actor_user


def _published_behind_a_draft(staff: Staff, starts_on: dt.date, ends_on: dt.date) -> list[Roster]:
    """The published versions staff still read for the weeks of the period while their head prepares a newer draft
    (the current version): the newest published version of each such unit-week holding the person."""
    candidates = Roster.objects.filter(
        status=RosterStatus.PUBLISHED, is_current=False, entries__staff=staff, entries__day__gte=starts_on, entries__day__lte=ends_on
    ).distinct()
    newest: dict[tuple[int, dt.date], Roster] = {}
    for roster in candidates.select_related("unit"):
        key = (roster.unit_id, roster.week_start)
        if key not in newest or roster.version > newest[key].version:
            newest[key] = roster
    behind = []
    for (unit_id, week_start), roster in newest.items():
        # Only while the current version is a draft: a published current version is the one staff read.
        if not Roster.objects.filter(unit_id=unit_id, week_start=week_start, status=RosterStatus.PUBLISHED, version__gt=roster.version).exists():
            behind.append(roster)
    return behind


def _mark_leave_in_rosters(staff: Staff, starts_on: dt.date, ends_on: dt.date, *, on_leave: bool, actor: User) -> int:
    """Bring the rosters that cover the period in line with recorded leave: leave days become "leave"; days of a
    cancelled leave go back to the office (always within the rules) unless another leave still covers them.

    The current version of each week changes; so does the published version staff read while the head prepares a
    newer draft (with an audit row on that roster, since published versions otherwise never change): the list of
    who is where that day must not show at the office someone on approved leave."""
    entries = RosterEntry.objects.filter(staff=staff, day__gte=starts_on, day__lte=ends_on)
    behind = _published_behind_a_draft(staff, starts_on, ends_on)
    if on_leave:
        marked = entries.exclude(status=EntryStatus.LEAVE)
        changes = {roster: sorted(marked.filter(roster=roster).values_list("day", flat=True)) for roster in behind}
        count = marked.filter(roster__is_current=True).update(status=EntryStatus.LEAVE, service_point=None, is_manual=False)
        status = EntryStatus.LEAVE
    else:
        still = Leave.objects.filter(staff=staff, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on).values_list("starts_on", "ends_on")
        covered = {day for first, last in still for day in calendar.days_between(first, last)}
        marked = entries.filter(status=EntryStatus.LEAVE).exclude(day__in=covered)
        changes = {roster: sorted(marked.filter(roster=roster).values_list("day", flat=True)) for roster in behind}
        count = marked.filter(roster__is_current=True).update(status=EntryStatus.OFFICE, is_manual=False)
        status = EntryStatus.OFFICE
    for roster, days in changes.items():
        if not days:
            continue
        marked.filter(roster=roster).update(status=status, service_point=None, is_manual=False)
        audit_record(
            actor=actor,
            action="roster.leave_marked" if on_leave else "roster.leave_unmarked",
            target=roster,
            after={"staff": staff.code, "days": [day.isoformat() for day in days], "status": status},
            reason=_("Leave recorded for %(person)s.") % {"person": staff.full_name}
            if on_leave
            else _("Leave of %(person)s cancelled.") % {"person": staff.full_name},
            agency_id=roster.unit.agency_id,
        )
        count += len(days)
    return count


MAX_LEAVE_DAYS = 366


def validate_leave_period(*, staff: Staff, starts_on: dt.date, ends_on: dt.date, kind: str) -> None:
    """The shape every leave must have, recorded or requested: a known kind, dates in order, at most a year."""
    if kind not in LeaveKind.values:
        raise ValidationFailed(_("Choose the kind of leave."), rule="kind")
    if ends_on < starts_on:
        raise ValidationFailed(_("The leave ends before it starts."), rule="ends_on")
    if (ends_on - starts_on).days > MAX_LEAVE_DAYS:
        raise ValidationFailed(_("Record leave of at most a year at a time."), rule="ends_on")


def overlapping_leave_refusal(staff: Staff, starts_on: dt.date, ends_on: dt.date) -> ValidationFailed | None:
    """The refusal of leave that would overlap leave in force for the same person (the caller holds the person's
    row lock), or None."""
    overlapping = Leave.objects.filter(staff=staff, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on).order_by("starts_on").first()
    if overlapping is None:
        return None
    return ValidationFailed(
        _("%(person)s already has leave from %(start)s to %(end)s.")
        % {"person": staff.full_name, "start": overlapping.starts_on.strftime("%d/%m/%Y"), "end": overlapping.ends_on.strftime("%d/%m/%Y")},
        rule="starts_on",
        params={"starts_on": overlapping.starts_on.isoformat(), "ends_on": overlapping.ends_on.isoformat()},
    )


def lock_person(staff: Staff) -> Staff:
    """The person's row, locked for the rest of the transaction: every write of their leave takes it first, so two
    overlapping leaves recorded or approved at the same moment cannot both pass the overlap check."""
    return Staff.objects.select_for_update().select_related("unit").get(pk=staff.pk)


def record_approved_leave(*, staff: Staff, starts_on: dt.date, ends_on: dt.date, kind: str, actor: User, note: str = "", reason: str = "") -> Leave:
    """Write approved leave and bring the current rosters in line, with its audit row (the caller has checked who
    acts, validated the period and holds the person's lock). Shared by a head recording leave and a head approving
    a request, so both behave exactly alike."""
    refusal = overlapping_leave_refusal(staff, starts_on, ends_on)
    if refusal is not None:
        raise refusal
    leave = Leave.objects.create(staff=staff, starts_on=starts_on, ends_on=ends_on, kind=kind, note=note.strip(), recorded_by=actor_user(actor))
    changed = _mark_leave_in_rosters(staff, starts_on, ends_on, on_leave=True, actor=actor)
    audit_record(
        actor=actor,
        action="leave.record",
        target=leave,
        after={"staff": staff.code, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "kind": kind, "roster_cells_changed": changed},
        reason=reason or leave.note,
        agency_id=staff.unit.agency_id,
    )
    return leave


@transaction.atomic
def leave_record(*, staff: Staff, starts_on: dt.date, ends_on: dt.date, kind: str, actor: User, note: str = "") -> Leave:
    """Record approved leave (or a business trip). The solver treats those working days as absent; the current rosters
    covering them are updated at once."""
    if not selectors.can_record_leave(actor, staff):
        raise NotPermitted(rule="leave.record")
    validate_leave_period(staff=staff, starts_on=starts_on, ends_on=ends_on, kind=kind)
    staff = lock_person(staff)
    return record_approved_leave(staff=staff, starts_on=starts_on, ends_on=ends_on, kind=kind, actor=actor, note=note)


@transaction.atomic
def leave_cancel(*, leave: Leave, actor: User) -> Leave:
    """Cancel recorded leave: the row stays (with ``cancelled_at``) and the days go back to the office in the current
    rosters."""
    leave = Leave.objects.select_for_update().select_related("staff__unit").get(pk=leave.pk)
    if not selectors.can_record_leave(actor, leave.staff):
        raise NotPermitted(rule="leave.cancel")
    if leave.cancelled_at is not None:
        raise InvalidTransition(_("This leave is already cancelled."), rule="leave.cancelled_at")
    leave.cancelled_at = clock.now()
    leave.save(update_fields=["cancelled_at"])
    changed = _mark_leave_in_rosters(leave.staff, leave.starts_on, leave.ends_on, on_leave=False, actor=actor)
    audit_record(
        actor=actor,
        action="leave.cancel",
        target=leave,
        before={"cancelled": False},
        after={"cancelled": True, "roster_cells_changed": changed},
        agency_id=leave.staff.unit.agency_id,
    )
    return leave


@transaction.atomic
def unit_event_save(
    *,
    unit: Unit,
    day: dt.date,
    title: str,
    kind: str,
    actor: User,
    is_for_everyone: bool = True,
    attendees: Sequence[Staff] = (),
    event: UnitEvent | None = None,
) -> UnitEvent:
    """Create or change a meeting, training or team day: the people concerned are on site that day in the next
    generated roster (the head may relax it later, with a warning)."""
    if not selectors.can_manage_unit(actor, unit):
        raise NotPermitted(rule="unit_event.save")
    if not title.strip():
        raise ValidationFailed(_("Give the event a title."), rule="title")
    if kind not in UnitEventKind.values:
        raise ValidationFailed(_("Choose the kind of event."), rule="kind")
    if not calendar.is_working_day(day):
        raise ValidationFailed(_("%(date)s is not a working day.") % {"date": day.strftime("%d/%m/%Y")}, rule="day")
    members = list(attendees)
    outsiders = [member for member in members if member.unit_id != unit.pk]
    if outsiders:
        raise ValidationFailed(_("%(person)s is not in %(unit)s.") % {"person": outsiders[0].full_name, "unit": unit.name}, rule="attendees")
    if not is_for_everyone and not members:
        raise ValidationFailed(_("Choose who must be on site, or mark the event for everyone."), rule="attendees")
    before = None
    if event is None:
        event = UnitEvent.objects.create(unit=unit, day=day, title=title.strip(), kind=kind, is_for_everyone=is_for_everyone, created_by=actor_user(actor))
    else:
        if event.unit_id != unit.pk:
            raise ValidationFailed(_("This event belongs to another unit."), rule="unit")
        before = {"day": event.day.isoformat(), "title": event.title, "kind": event.kind, "is_for_everyone": event.is_for_everyone}
        event.day, event.title, event.kind, event.is_for_everyone = day, title.strip(), kind, is_for_everyone
        event.save(update_fields=["day", "title", "kind", "is_for_everyone"])
    event.attendees.set([] if is_for_everyone else members)
    after = {
        "day": day.isoformat(),
        "title": event.title,
        "kind": kind,
        "is_for_everyone": is_for_everyone,
        "attendees": sorted(member.code for member in members) if not is_for_everyone else [],
    }
    audit_record(actor=actor, action="unit_event.save", target=event, before=before, after=after, agency_id=unit.agency_id)
    return event


@transaction.atomic
def unit_event_cancel(*, event: UnitEvent, actor: User) -> UnitEvent:
    """Cancel a meeting, training or team day (the row stays, with ``cancelled_at``)."""
    event = UnitEvent.objects.select_for_update().select_related("unit").get(pk=event.pk)
    if not selectors.can_manage_unit(actor, event.unit):
        raise NotPermitted(rule="unit_event.cancel")
    if event.cancelled_at is not None:
        raise InvalidTransition(_("This event is already cancelled."), rule="unit_event.cancelled_at")
    event.cancelled_at = clock.now()
    event.save(update_fields=["cancelled_at"])
    audit_record(actor=actor, action="unit_event.cancel", target=event, before={"cancelled": False}, after={"cancelled": True}, agency_id=event.unit.agency_id)
    return event
