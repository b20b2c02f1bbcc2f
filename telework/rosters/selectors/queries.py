"""Reads scoped by the viewer: roster versions, who is where today, swaps, leave, unit events and runs. A row outside
the viewer's scope answers ``NotFound`` (404), never 403, so ids do not leak."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from telework.accounts.types import Viewer
from telework.core import clock
from telework.core.exceptions import NotFound
from telework.organization import scope
from telework.organization.models import Agency, ServicePoint, Staff, Unit
from telework.rosters.models import EntryStatus, Leave, Roster, RosterEntry, RosterRun, RosterStatus, SwapRequest, SwapStatus, UnitEvent
from telework.rosters.selectors.labels import week_start_of
from telework.rosters.selectors.permissions import can_generate_city, managed_units, require_unit, roster_units, sees_drafts

# --- rosters -----------------------------------------------------------------------------------------------------


def _rosters() -> QuerySet[Roster]:
    return Roster.objects.select_related("unit", "unit__agency", "created_by", "published_by")


def roster_for_week(*, viewer: Viewer, unit: Unit, week_start: dt.date) -> Roster | None:
    """The version of ``unit``'s roster for the week that ``viewer`` should see: the current one (draft or published)
    for managers, the newest published one for everyone else; None when there is none yet."""
    require_unit(viewer, unit)
    rosters = _rosters().filter(unit=unit, week_start=week_start_of(week_start))
    if sees_drafts(viewer, unit):
        return rosters.filter(is_current=True).first()
    return rosters.filter(status=RosterStatus.PUBLISHED).order_by("-version").first()


def roster_get(*, viewer: Viewer, roster_id: int) -> Roster:
    """One roster version ``viewer`` may read (drafts only for managers); otherwise ``NotFound``."""
    roster = _rosters().filter(pk=roster_id).first()
    if roster is None or not roster_units(viewer=viewer).filter(pk=roster.unit_id).exists():
        raise NotFound()
    if roster.is_draft and not sees_drafts(viewer, roster.unit):
        raise NotFound()
    return roster


def roster_versions(*, viewer: Viewer, unit: Unit, week_start: dt.date) -> list[Roster]:
    """Every version of the unit-week, newest first (the history a manager may compare); published ones only for
    other readers."""
    require_unit(viewer, unit)
    rosters = _rosters().filter(unit=unit, week_start=week_start_of(week_start)).order_by("-version")
    if not sees_drafts(viewer, unit):
        rosters = rosters.filter(status=RosterStatus.PUBLISHED)
    return list(rosters)


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


def roster_today(*, viewer: Viewer, unit: Unit | None = None, agency: Agency | None = None, day: dt.date | None = None) -> list[TodayUnit]:
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


def swap_list(*, viewer: Viewer, roster: Roster | None = None, pending_only: bool = False) -> QuerySet[SwapRequest]:
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


def swap_get(*, viewer: Viewer, swap_id: int) -> SwapRequest:
    swap = swap_list(viewer=viewer).filter(pk=swap_id).first()
    if swap is None:
        raise NotFound()
    return swap


def swaps_awaiting(*, viewer: Viewer) -> list[SwapRequest]:
    """What the viewer must act on: requests a colleague sent them, and accepted swaps in units they manage."""
    me = scope.own_staff(viewer)
    waiting = Q(status=SwapStatus.ACCEPTED, roster__unit__in=managed_units(viewer))
    if me is not None:
        waiting |= Q(status=SwapStatus.REQUESTED, counterpart=me)
    return list(swap_list(viewer=viewer).filter(waiting).order_by("created_at", "id"))


def leave_list(*, viewer: Viewer, unit: Unit, starts_on: dt.date, ends_on: dt.date) -> QuerySet[Leave]:
    """Leave in force for the unit's staff that overlaps the period."""
    require_unit(viewer, unit)
    return (
        Leave.objects.filter(staff__unit=unit, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .select_related("staff", "recorded_by")
        .order_by("starts_on", "staff__full_name")
    )


def unit_events(*, viewer: Viewer, unit: Unit, starts_on: dt.date, ends_on: dt.date) -> QuerySet[UnitEvent]:
    """The unit's meetings, trainings and team days in the period (cancelled ones left out)."""
    require_unit(viewer, unit)
    return (
        UnitEvent.objects.filter(unit=unit, cancelled_at__isnull=True, day__gte=starts_on, day__lte=ends_on).prefetch_related("attendees").order_by("day", "id")
    )


def roster_runs(*, viewer: Viewer) -> QuerySet[RosterRun]:
    """City-wide and agency generations, newest first: for Home Affairs and administrators."""
    if not can_generate_city(viewer):
        return RosterRun.objects.none()
    return RosterRun.objects.select_related("agency", "started_by").order_by("-started_at", "-id")


def roster_run_get(*, viewer: Viewer, run_id: int) -> RosterRun:
    run = roster_runs(viewer=viewer).filter(pk=run_id).first()
    if run is None:
        raise NotFound()
    return run
