"""The facts the solver respects besides registrations: approved leave (and business trips) and unit events
(meetings, training, team days). Recording leave updates the current rosters at once; events count from the next
generation."""

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
from telework.rosters.models import EntryStatus, Leave, LeaveKind, RosterEntry, UnitEvent, UnitEventKind
from telework.rosters.services.common import actor_user


def _mark_leave_in_rosters(staff: Staff, starts_on: dt.date, ends_on: dt.date, *, on_leave: bool) -> int:
    """Bring the current rosters that cover the period in line with recorded leave: leave days become "leave"; days
    of a cancelled leave go back to the office (always within the rules) unless another leave still covers them."""
    entries = RosterEntry.objects.filter(roster__is_current=True, staff=staff, day__gte=starts_on, day__lte=ends_on)
    if on_leave:
        return entries.exclude(status=EntryStatus.LEAVE).update(status=EntryStatus.LEAVE, service_point=None, is_manual=False)
    still = Leave.objects.filter(staff=staff, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on).values_list("starts_on", "ends_on")
    covered = {day for first, last in still for day in calendar.days_between(first, last)}
    return entries.filter(status=EntryStatus.LEAVE).exclude(day__in=covered).update(status=EntryStatus.OFFICE, is_manual=False)


@transaction.atomic
def leave_record(*, staff: Staff, starts_on: dt.date, ends_on: dt.date, kind: str, actor: User, note: str = "") -> Leave:
    """Record approved leave (or a business trip). The solver treats those working days as absent; the current rosters
    covering them are updated at once."""
    if not selectors.can_record_leave(actor, staff):
        raise NotPermitted(rule="leave.record")
    if kind not in LeaveKind.values:
        raise ValidationFailed(_("Choose the kind of leave."), rule="kind")
    if ends_on < starts_on:
        raise ValidationFailed(_("The leave ends before it starts."), rule="ends_on")
    if (ends_on - starts_on).days > 366:
        raise ValidationFailed(_("Record leave of at most a year at a time."), rule="ends_on")
    overlapping = Leave.objects.select_for_update().filter(staff=staff, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if overlapping is not None:
        raise ValidationFailed(
            _("%(person)s already has leave from %(start)s to %(end)s.")
            % {"person": staff.full_name, "start": overlapping.starts_on.strftime("%d/%m/%Y"), "end": overlapping.ends_on.strftime("%d/%m/%Y")},
            rule="starts_on",
        )
    leave = Leave.objects.create(staff=staff, starts_on=starts_on, ends_on=ends_on, kind=kind, note=note.strip(), recorded_by=actor_user(actor))
    changed = _mark_leave_in_rosters(staff, starts_on, ends_on, on_leave=True)
    audit_record(
        actor=actor,
        action="leave.record",
        target=leave,
        after={"staff": staff.code, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "kind": kind, "roster_cells_changed": changed},
        reason=leave.note,
        agency_id=staff.unit.agency_id,
    )
    return leave


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
    changed = _mark_leave_in_rosters(leave.staff, leave.starts_on, leave.ends_on, on_leave=False)
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
