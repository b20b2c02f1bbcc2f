"""Reads behind the home pages: for each role, what needs doing now, in a fixed number of queries.

Each block is a dataclass built from the owning apps' selectors and tables, scoped by ``telework.organization.scope``:
a staff member's day and week (``staff_home``), a head's units today (``head_home``), an agency at a glance
(``agency_home``), HR's import and account gaps (``hr_home``), the city's pilots and rosters for Home Affairs
(``city_policy_home``) and the city's key figures for its leadership (``city_figures``). None of them writes.

Who is expected where comes from the newest *published* roster of the week and recorded leave, as the attendance
board reads it (``telework.attendance.selectors``); a person the roster puts at work who has not checked in by the
cut-off has missed their check-in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from telework.accounts.models import Role
from telework.assignments.models import OPEN_STATES, Alert, AlertKind, WorkItem, WorkStatus
from telework.attendance import rules
from telework.attendance import selectors as attendance
from telework.attendance.models import CheckIn, MissedCheckIn
from telework.core import calendar, clock, ui
from telework.core.models import AuditEvent
from telework.organization import scope
from telework.organization.models import Agency, Staff, Unit
from telework.policy.models import Pilot, PilotPhase, PilotStatus, PolicySwitch
from telework.policy.selectors import pilot_staff_in_scope, switches
from telework.registrations.models import Registration, RegistrationDay, RegistrationStatus
from telework.registrations.selectors import approval_inbox
from telework.rosters.models import EntryStatus, Leave, LeaveKind, Roster, RosterEntry, RosterStatus, SwapRequest, SwapStatus, UnitEvent

# How far ahead "due soon" looks, in calendar days, and how many rows a home block lists before "see all".
DUE_SOON_DAYS = 7
FIRST_FEW = 5
# A decided request stays on the staff member's home page this long, so they see the answer.
RECENT_DECISION_DAYS = 7
# How far back the city's on-time rate looks at accepted work.
ON_TIME_WINDOW_DAYS = 30

# The kinds of place a day can hold (for the page's data attributes and icons; people read ``Place.label``).
PLACE_OFFICE = "office"
PLACE_DESK = "desk"
PLACE_HOME = "home"
PLACE_LEAVE = "leave"
PLACE_HOLIDAY = "holiday"
PLACE_WEEKEND = "weekend"
PLACE_UNPLANNED = "unplanned"

PENDING_REGISTRATION_STATES = (RegistrationStatus.SUBMITTED, RegistrationStatus.CHANGES_REQUESTED)
PENDING_SWAP_STATES = (SwapStatus.REQUESTED, SwapStatus.ACCEPTED)


def safe_url(name: str, *args: Any) -> str:
    """The URL named ``name``, or "" when no such page exists (yet): a link to a screen another change brings."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def newest_published_rosters(week_start: dt.date, unit_ids: list[int] | None = None) -> dict[int, int]:
    """unit id → id of the newest published roster version of the week starting ``week_start`` (all units with one
    when ``unit_ids`` is None). One query."""
    rosters = Roster.objects.filter(week_start=week_start, status=RosterStatus.PUBLISHED)
    if unit_ids is not None:
        rosters = rosters.filter(unit_id__in=unit_ids)
    newest: dict[int, tuple[int, int]] = {}
    for unit_id, roster_id, version in rosters.values_list("unit_id", "id", "version"):
        if unit_id not in newest or version > newest[unit_id][1]:
            newest[unit_id] = (roster_id, version)
    return {unit_id: roster_id for unit_id, (roster_id, _version) in newest.items()}


def _cutoff_passed(day: dt.date, now: dt.datetime) -> bool:
    return timezone.localtime(now) >= rules.cutoff_moment(day, attendance.DEFAULT_CUTOFF, timezone.get_current_timezone())


# ================================================================================================ staff


@dataclass(frozen=True)
class Place:
    """Where a person works on a day, and why, in words."""

    kind: str
    label: str
    reason: str = ""


@dataclass(frozen=True)
class WeekDay:
    day: dt.date
    label: str
    place: Place
    check_in: CheckIn | None
    is_today: bool


@dataclass(frozen=True)
class PendingRequest:
    """One of the staff member's own requests and where it stands."""

    kind: str  # in words: "Home days", "Swap", "Leave"
    summary: str
    state: str  # the state's label
    is_open: bool  # still waiting for someone
    url: str


@dataclass
class StaffHome:
    staff: Staff
    today: dt.date
    place: Place
    check_in: CheckIn | None
    open_earlier: CheckIn | None
    suggested_mode: str
    week: list[WeekDay]
    work_due: list[WorkItem]
    work_open: int
    work_late: int
    requests: list[PendingRequest]

    @property
    def can_check_in(self) -> bool:
        return self.check_in is None

    @property
    def other_mode(self) -> str:
        return rules.OFFICE if self.suggested_mode == rules.HOME else rules.HOME


def _place(
    day: dt.date,
    cell: attendance.RosterCell | None,
    leave_kind: str,
    *,
    events: dict[dt.date, str],
    home_days: dict[dt.date, Registration],
) -> Place:
    holiday = calendar.holiday_name(day)
    if holiday:
        return Place(PLACE_HOLIDAY, _("Public holiday"), holiday)
    if not calendar.is_working_day(day):
        return Place(PLACE_WEEKEND, _("Weekend"))
    if leave_kind:
        kind = str(LeaveKind(leave_kind).label) if leave_kind in LeaveKind.values else ""
        return Place(PLACE_LEAVE, _("On leave"), _("Recorded leave: %(kind)s") % {"kind": kind})
    if cell is None:
        return Place(PLACE_UNPLANNED, _("No published roster"), _("Your unit's roster for this week is not published yet: check in where you actually work."))
    if cell.status == EntryStatus.LEAVE:
        return Place(PLACE_LEAVE, _("On leave"), _("The published roster has you on leave."))
    if cell.status == EntryStatus.DESK:
        return Place(PLACE_DESK, _("On desk duty"), _("At %(point)s") % {"point": cell.service_point} if cell.service_point else "")
    if cell.status == EntryStatus.HOME:
        registration = home_days.get(day)
        if registration is not None:
            reason = _("Your approved home days (%(first)s–%(last)s)") % {"first": f"{registration.starts_on:%d/%m}", "last": f"{registration.ends_on:%d/%m}"}
        else:
            reason = _("The published roster puts you at home.")
        return Place(PLACE_HOME, _("At home"), reason)
    if day in events:
        return Place(PLACE_OFFICE, _("At the office"), events[day])
    return Place(PLACE_OFFICE, _("At the office"), _("The published roster puts you at the office."))


def staff_home(*, staff: Staff, today: dt.date | None = None) -> StaffHome:
    """A staff member's home: today's place from the published roster and recorded leave (with the reason in
    words), today's check-in and any earlier one left open, the week Monday–Friday, open work due within a week or
    late, and their own pending requests (home days, swaps, leave) with their state. A fixed number of queries."""
    today = today or clock.today()
    monday = today - dt.timedelta(days=today.weekday())
    week_days = [monday + dt.timedelta(days=offset) for offset in range(5)]
    rosters = newest_published_rosters(monday, [staff.unit_id])
    cells = attendance.roster_cells(list(rosters.values()), week_days)
    leave = attendance.leave_days([staff.pk], monday, week_days[-1]).get(staff.pk, {})
    first_day = min(monday, today - dt.timedelta(days=7))
    check_ins = {item.day: item for item in CheckIn.objects.filter(staff=staff, day__gte=first_day, day__lte=max(today, week_days[-1]))}
    open_earlier = next((item for day, item in sorted(check_ins.items(), reverse=True) if day < today and item.is_open), None)
    home_days = {
        day.day: day.registration
        for day in RegistrationDay.objects.filter(staff=staff, is_counted=True, day__gte=monday, day__lte=week_days[-1]).select_related("registration")
    }
    events: dict[dt.date, str] = {}
    for event in (
        UnitEvent.objects.filter(unit_id=staff.unit_id, cancelled_at__isnull=True, day__gte=monday, day__lte=week_days[-1])
        .filter(Q(is_for_everyone=True) | Q(attendees=staff))
        .distinct()
        .order_by("day", "id")
    ):
        events.setdefault(event.day, f"{event.get_kind_display()}: {event.title}")

    def place_on(day: dt.date) -> Place:
        return _place(day, cells.get((staff.pk, day)), leave.get(day, ""), events=events, home_days=home_days)

    week = [WeekDay(day=day, label=ui.day_label(day), place=place_on(day), check_in=check_ins.get(day), is_today=day == today) for day in week_days]
    if today in week_days:
        place = place_on(today)
    else:  # a weekend: the published roster does not cover it
        place = _place(today, None, "", events={}, home_days={})
    cell = cells.get((staff.pk, today))
    suggested = rules.HOME if cell is not None and cell.status == rules.ROSTERED_HOME and not leave.get(today) else rules.OFFICE
    open_work = WorkItem.objects.filter(staff=staff, status__in=OPEN_STATES)
    counts = open_work.aggregate(open=Count("id"), late=Count("id", filter=Q(due_on__lt=today)))
    work_due = list(open_work.filter(due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)).order_by("due_on", "id")[:FIRST_FEW])
    return StaffHome(
        staff=staff,
        today=today,
        place=place,
        check_in=check_ins.get(today),
        open_earlier=open_earlier,
        suggested_mode=suggested,
        week=week,
        work_due=work_due,
        work_open=counts["open"],
        work_late=counts["late"],
        requests=_own_requests(staff, today),
    )


def _own_requests(staff: Staff, today: dt.date) -> list[PendingRequest]:
    """Registrations and swaps still waiting (or decided in the last days), and leave from today on. Three queries."""
    since = clock.now() - dt.timedelta(days=RECENT_DECISION_DAYS)
    requests: list[PendingRequest] = []
    for registration in (
        Registration.objects.filter(staff=staff)
        .filter(Q(status__in=PENDING_REGISTRATION_STATES) | Q(decided_at__gte=since))
        .order_by("-created_at", "-id")[:FIRST_FEW]
    ):
        requests.append(
            PendingRequest(
                kind=_("Home days"),
                summary=f"{registration.starts_on:%d/%m/%Y}–{registration.ends_on:%d/%m/%Y}",
                state=registration.get_status_display(),
                is_open=registration.status in PENDING_REGISTRATION_STATES,
                url=reverse("registrations:detail", args=[registration.pk]),
            )
        )
    for swap in (
        SwapRequest.objects.filter(Q(requester=staff) | Q(counterpart=staff))
        .filter(Q(status__in=PENDING_SWAP_STATES) | Q(decided_at__gte=since))
        .select_related("requester", "counterpart")
        .order_by("-created_at", "-id")[:FIRST_FEW]
    ):
        colleague = swap.counterpart if swap.requester_id == staff.pk else swap.requester
        requests.append(
            PendingRequest(
                kind=_("Swap"),
                summary=_("with %(name)s, %(first)s ⇄ %(second)s")
                % {"name": colleague.full_name, "first": f"{swap.requester_day:%d/%m}", "second": f"{swap.counterpart_day:%d/%m}"},
                state=swap.get_status_display(),
                is_open=swap.status in PENDING_SWAP_STATES,
                url=reverse("rosters:swaps"),
            )
        )
    for leave in Leave.objects.filter(staff=staff, cancelled_at__isnull=True, ends_on__gte=today).order_by("starts_on", "id")[:FIRST_FEW]:
        requests.append(
            PendingRequest(
                kind=_("Leave"),
                summary=f"{leave.get_kind_display()}, {leave.starts_on:%d/%m/%Y}–{leave.ends_on:%d/%m/%Y}",
                state=_("Recorded"),
                is_open=False,
                url=safe_url("rosters:leave"),
            )
        )
    return requests


# ================================================================================================ who is where today


@dataclass
class Presence:
    """Who is where on a day in one unit (or a sum of units), from the published roster, leave and check-ins."""

    unit: Unit | None
    staff: int = 0
    office: int = 0  # at the office or at a desk
    home: int = 0
    leave: int = 0
    checked_in: int = 0
    has_roster: bool = False
    not_checked_in: list[tuple[str, str]] = field(default_factory=list)  # (name, code), expected and not checked in
    cutoff_passed: bool = False

    @property
    def missed(self) -> int:
        """Expected and not checked in after the cut-off."""
        return len(self.not_checked_in) if self.cutoff_passed else 0

    @property
    def waiting(self) -> int:
        return len(self.not_checked_in)

    def add(self, other: Presence) -> None:
        self.staff += other.staff
        self.office += other.office
        self.home += other.home
        self.leave += other.leave
        self.checked_in += other.checked_in
        self.has_roster = self.has_roster or other.has_roster
        self.not_checked_in += other.not_checked_in
        self.cutoff_passed = other.cutoff_passed


def presence_by_unit(units: list[Unit], day: dt.date, now: dt.datetime) -> dict[int, Presence]:
    """unit id → who is where on ``day``: active headcount, at the office (or a desk), at home and on leave from the
    newest published roster and recorded leave, how many checked in, and who the roster expects and has not checked
    in. Five queries, whatever the number of units and people."""
    unit_ids = [unit.pk for unit in units]
    cutoff_passed = _cutoff_passed(day, now)
    result = {unit.pk: Presence(unit=unit, cutoff_passed=cutoff_passed) for unit in units}
    for unit_id, count in Staff.objects.filter(unit_id__in=unit_ids, is_active=True).values("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"):
        result[unit_id].staff = count
    rosters = newest_published_rosters(day - dt.timedelta(days=day.weekday()), unit_ids)
    unit_of_roster = {roster_id: unit_id for unit_id, roster_id in rosters.items()}
    for unit_id in rosters:
        result[unit_id].has_roster = True
    entries = list(
        RosterEntry.objects.filter(roster_id__in=list(rosters.values()), day=day, staff__is_active=True)
        .order_by("staff__full_name", "staff__code")
        .values_list("roster_id", "staff_id", "status", "staff__full_name", "staff__code")
    )
    staff_ids = [staff_id for _roster, staff_id, _status, _name, _code in entries]
    leave = attendance.leave_days(staff_ids, day, day)
    checked_in = set(CheckIn.objects.filter(day=day, unit_id__in=unit_ids).values_list("staff_id", flat=True))
    is_working_day = calendar.is_working_day(day)
    for roster_id, staff_id, status, name, code in entries:
        presence = result[unit_of_roster[roster_id]]
        plan = rules.DayPlan(rostered=status, is_on_leave=day in leave.get(staff_id, {}), is_working_day=is_working_day)
        if plan.is_on_leave or status == rules.ROSTERED_LEAVE:
            presence.leave += 1
        elif status == rules.ROSTERED_HOME:
            presence.home += 1
        else:
            presence.office += 1
        if staff_id in checked_in:
            presence.checked_in += 1
        elif plan.expects_check_in:
            presence.not_checked_in.append((name, code))
    return result


# ================================================================================================ unit head


@dataclass(frozen=True)
class LoadRow:
    name: str
    code: str
    open_items: int
    late_items: int


@dataclass(frozen=True)
class WorkAlert:
    item: WorkItem
    kind: str  # the alert's label
    is_serious: bool


@dataclass
class HeadHome:
    approvals: list[Registration]
    approvals_count: int
    swaps_waiting: int
    units: list[Presence]
    total: Presence
    alerts: list[WorkAlert]
    alerts_count: int
    late_work: int
    load: list[LoadRow]

    @property
    def first_approvals(self) -> list[Registration]:
        return self.approvals[:FIRST_FEW]


def _work_alerts(unit_ids: list[int]) -> tuple[list[WorkAlert], int]:
    alerts = Alert.objects.filter(item__unit_id__in=unit_ids, item__status__in=OPEN_STATES, resolved_at__isnull=True)
    count = alerts.values("item_id").distinct().count()
    rows: list[WorkAlert] = []
    seen: set[int] = set()
    for alert in alerts.select_related("item", "item__staff").order_by("severity", "item__due_on", "item_id")[: FIRST_FEW * 3]:
        if alert.item_id in seen:
            continue
        seen.add(alert.item_id)
        rows.append(
            WorkAlert(item=alert.item, kind=str(AlertKind(alert.kind).label) if alert.kind in AlertKind.values else "", is_serious=alert.severity == "danger")
        )
    return rows[:FIRST_FEW], count


def _load(unit_ids: list[int], today: dt.date) -> list[LoadRow]:
    rows = (
        WorkItem.objects.filter(unit_id__in=unit_ids, status__in=OPEN_STATES, staff__is_active=True)
        .values("staff_id", "staff__full_name", "staff__code")
        .annotate(open=Count("id"), late=Count("id", filter=Q(due_on__lt=today)))
        .order_by("-open", "-late", "staff__full_name")[:FIRST_FEW]
    )
    return [LoadRow(name=row["staff__full_name"], code=row["staff__code"], open_items=row["open"], late_items=row["late"]) for row in rows]


def head_home(*, viewer: Any, today: dt.date | None = None, now: dt.datetime | None = None) -> HeadHome:
    """A head's home: registrations waiting for their decision (the approval inbox) and swaps waiting for their
    approval, who is where today in the units they manage (office, home, leave, not checked in yet), alerts (missed
    check-ins, stalled or late work) and the load (open items per person, the busiest first). Bounded queries."""
    now = now or clock.now()
    today = today or timezone.localdate(now)
    approvals = approval_inbox(viewer=viewer)
    units = list(scope.visible_units(viewer).order_by("path")) if viewer.role != Role.STAFF else []
    unit_ids = [unit.pk for unit in units]
    swaps = SwapRequest.objects.filter(status=SwapStatus.ACCEPTED, roster__unit_id__in=unit_ids).count() if unit_ids else 0
    presence = presence_by_unit(units, today, now) if units else {}
    total = Presence(unit=None, cutoff_passed=_cutoff_passed(today, now))
    for item in presence.values():
        total.add(item)
    alerts, alerts_count = _work_alerts(unit_ids) if unit_ids else ([], 0)
    late = WorkItem.objects.filter(unit_id__in=unit_ids, status__in=OPEN_STATES, due_on__lt=today).count() if unit_ids else 0
    return HeadHome(
        approvals=approvals,
        approvals_count=len(approvals),
        swaps_waiting=swaps,
        units=list(presence.values()),
        total=total,
        alerts=alerts,
        alerts_count=alerts_count,
        late_work=late,
        load=_load(unit_ids, today) if unit_ids else [],
    )


# ================================================================================================ agency head


@dataclass(frozen=True)
class AgencyUnitRow:
    presence: Presence
    pending_registrations: int
    late_work: int


@dataclass
class AgencyHome:
    agency: Agency
    total: Presence
    pending_registrations: int
    units_total: int
    units_published: int
    late_work: int
    rows: list[AgencyUnitRow]

    @property
    def rosters_text(self) -> str:
        return f"{self.units_published} / {self.units_total}"


def agency_home(*, viewer: Any, today: dt.date | None = None, now: dt.datetime | None = None) -> AgencyHome | None:
    """An agency at a glance for its head: staff, at home today, registrations waiting, units whose roster for this
    week is published, late work and missed check-ins, in total and per unit. None without an agency in scope.
    Bounded queries."""
    now = now or clock.now()
    today = today or timezone.localdate(now)
    agency = scope.visible_agencies(viewer).order_by("code").first()
    if agency is None:
        return None
    units = list(Unit.objects.filter(agency=agency).order_by("path"))
    unit_ids = [unit.pk for unit in units]
    presence = presence_by_unit(units, today, now)
    pending = dict(
        Registration.objects.filter(unit_id__in=unit_ids, status=RegistrationStatus.SUBMITTED)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    late = dict(
        WorkItem.objects.filter(unit_id__in=unit_ids, status__in=OPEN_STATES, due_on__lt=today)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    total = Presence(unit=None, cutoff_passed=_cutoff_passed(today, now))
    rows = []
    for unit in units:
        total.add(presence[unit.pk])
        rows.append(AgencyUnitRow(presence=presence[unit.pk], pending_registrations=pending.get(unit.pk, 0), late_work=late.get(unit.pk, 0)))
    return AgencyHome(
        agency=agency,
        total=total,
        pending_registrations=sum(pending.values()),
        units_total=len(units),
        units_published=sum(1 for item in presence.values() if item.has_roster),
        late_work=sum(late.values()),
        rows=rows,
    )


# ================================================================================================ HR


@dataclass(frozen=True)
class ImportStatus:
    """The last import of an agency's staff file, from the audit trail."""

    event: AuditEvent
    agency_name: str

    @property
    def counts(self) -> dict[str, int]:
        after = self.event.after or {}
        return {key: int(after.get(key) or 0) for key in ("created", "updated", "unchanged", "refused")}

    @property
    def file_name(self) -> str:
        return str((self.event.after or {}).get("file") or "")


@dataclass
class HrHome:
    staff: int
    without_account: int
    without_superior: int
    not_activated: int
    last_import: ImportStatus | None
    first_without_account: list[Staff]
    first_without_superior: list[Staff]
    accounts_url: str


def hr_home(*, viewer: Any) -> HrHome:
    """HR's home: the last staff import (when, by whom, its result), and the active people in scope without an
    account, without a direct superior, or whose account was never used (not activated). Five queries."""
    people = scope.visible_staff(viewer).filter(is_active=True)
    counts = people.aggregate(
        staff=Count("id"),
        without_account=Count("id", filter=Q(user__isnull=True)),
        without_superior=Count("id", filter=Q(direct_superior__isnull=True)),
        not_activated=Count("id", filter=Q(user__isnull=False, user__last_login__isnull=True)),
    )
    imports = AuditEvent.objects.filter(action="organization.import", object_type=Agency._meta.label_lower)
    if not (viewer.role in scope.CITY_WIDE_ROLES or viewer.is_superuser):
        imports = imports.filter(agency_id__in=list(scope.visible_agencies(viewer).values_list("pk", flat=True)))
    last = imports.order_by("-occurred_at", "-id").first()
    return HrHome(
        staff=counts["staff"],
        without_account=counts["without_account"],
        without_superior=counts["without_superior"],
        not_activated=counts["not_activated"],
        last_import=ImportStatus(event=last, agency_name=last.object_label) if last is not None else None,
        first_without_account=list(people.filter(user__isnull=True).select_related("unit").order_by("full_name", "code")[:FIRST_FEW]),
        first_without_superior=list(people.filter(direct_superior__isnull=True).select_related("unit").order_by("full_name", "code")[:FIRST_FEW]),
        accounts_url=safe_url("accounts:accounts") or safe_url("organization:accounts"),
    )


# ================================================================================================ Home Affairs


@dataclass(frozen=True)
class PilotLine:
    pilot: Pilot
    current_phase: PilotPhase | None
    phases: list[PilotPhase]
    agency_count: int


@dataclass(frozen=True)
class AgencyRosters:
    agency: Agency
    units: int
    published: int

    @property
    def has_none(self) -> bool:
        return self.published == 0


@dataclass
class CityPolicyHome:
    pilots: list[PilotLine]
    switches: list[PolicySwitch]
    week_start: dt.date
    agencies: list[AgencyRosters]

    @property
    def without_roster(self) -> list[AgencyRosters]:
        return [row for row in self.agencies if row.has_none]

    @property
    def week_label(self) -> str:
        return f"{self.week_start:%d/%m}–{self.week_start + dt.timedelta(days=4):%d/%m/%Y}"


def city_policy_home(*, viewer: Any, today: dt.date | None = None) -> CityPolicyHome:
    """Home Affairs' home: the city's pilots with their current phase, the city-wide switches and their state, and
    for each agency of a running pilot how many of its units have this week's roster published (agencies without
    any listed apart). Five queries."""
    today = today or clock.today()
    monday = today - dt.timedelta(days=today.weekday())
    pilots = list(Pilot.objects.prefetch_related("phases").annotate(agency_count=Count("agencies", distinct=True)).order_by("-created_at"))
    lines = []
    for pilot in pilots:
        phases = list(pilot.phases.all())
        current = next((phase for phase in phases if phase.starts_on <= today <= phase.ends_on), None)
        lines.append(PilotLine(pilot=pilot, current_phase=current, phases=phases, agency_count=pilot.agency_count))
    agencies = list(Agency.objects.filter(pilots__status=PilotStatus.RUNNING).distinct().order_by("name"))
    agency_ids = [agency.pk for agency in agencies]
    units = dict(Unit.objects.filter(agency_id__in=agency_ids).values("agency_id").annotate(n=Count("id")).values_list("agency_id", "n"))
    published = dict(
        Roster.objects.filter(unit__agency_id__in=agency_ids, week_start=monday, status=RosterStatus.PUBLISHED)
        .values("unit__agency_id")
        .annotate(n=Count("unit_id", distinct=True))
        .values_list("unit__agency_id", "n")
    )
    return CityPolicyHome(
        pilots=lines,
        switches=switches(),
        week_start=monday,
        agencies=[AgencyRosters(agency=agency, units=units.get(agency.pk, 0), published=published.get(agency.pk, 0)) for agency in agencies],
    )


# ================================================================================================ city leadership


@dataclass
class CityFigures:
    staff_in_pilot: int
    rostered_today: int
    home_today: int
    rostered_week: int
    home_week: int
    approvals_pending: int
    accepted_recently: int
    accepted_on_time: int
    late_work: int
    missed_this_week: int
    assessment_url: str

    @staticmethod
    def _share(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def home_share_today(self) -> int | None:
        return self._share(self.home_today, self.rostered_today)

    @property
    def home_share_week(self) -> int | None:
        return self._share(self.home_week, self.rostered_week)

    @property
    def on_time_rate(self) -> int | None:
        return self._share(self.accepted_on_time, self.accepted_recently)

    @staticmethod
    def _percent(share: int | None) -> str:
        return "—" if share is None else f"{share} %"

    @property
    def home_share_today_text(self) -> str:
        return self._percent(self.home_share_today)

    @property
    def home_share_week_text(self) -> str:
        return self._percent(self.home_share_week)

    @property
    def on_time_rate_text(self) -> str:
        return self._percent(self.on_time_rate)


def city_figures(*, viewer: Any, today: dt.date | None = None) -> CityFigures:
    """The city's key figures for its leadership: staff in the running pilots' scope, the share of rostered working
    days at home today and this week (newest published rosters), registrations waiting for a decision, work accepted
    on time in the last 30 days, late open work, and the missed check-ins recorded this week. Bounded queries (two
    more per running pilot)."""
    today = today or clock.today()
    monday = today - dt.timedelta(days=today.weekday())
    staff = scope.visible_staff(viewer).filter(is_active=True)
    in_pilot = Staff.objects.none()
    for pilot in Pilot.objects.filter(status=PilotStatus.RUNNING):
        in_pilot = in_pilot | pilot_staff_in_scope(pilot)
    rosters = newest_published_rosters(monday)
    per_day: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for day, status, count in (
        RosterEntry.objects.filter(roster_id__in=list(rosters.values()), staff__is_active=True)
        .values("day", "status")
        .annotate(n=Count("id"))
        .values_list("day", "status", "n")
    ):
        per_day[day][status] = count

    def working(counts: dict[str, int]) -> int:
        return sum(count for status, count in counts.items() if status in rules.ROSTERED_WORKING)

    since = clock.now() - dt.timedelta(days=ON_TIME_WINDOW_DAYS)
    accepted = WorkItem.objects.filter(staff__in=staff, status=WorkStatus.ACCEPTED, accepted_at__gte=since).values_list("accepted_at", "due_on")
    accepted_rows = list(accepted)
    return CityFigures(
        staff_in_pilot=in_pilot.filter(pk__in=staff.values("pk")).distinct().count(),
        rostered_today=working(per_day.get(today, {})),
        home_today=per_day.get(today, {}).get(EntryStatus.HOME, 0),
        rostered_week=sum(working(counts) for counts in per_day.values()),
        home_week=sum(counts.get(EntryStatus.HOME, 0) for counts in per_day.values()),
        approvals_pending=Registration.objects.filter(staff__in=staff, status=RegistrationStatus.SUBMITTED).count(),
        accepted_recently=len(accepted_rows),
        accepted_on_time=sum(1 for accepted_at, due_on in accepted_rows if timezone.localdate(accepted_at) <= due_on),
        late_work=WorkItem.objects.filter(staff__in=staff, status__in=OPEN_STATES, due_on__lt=today).count(),
        missed_this_week=MissedCheckIn.objects.filter(staff__in=staff, day__gte=monday, day__lte=today).count(),
        assessment_url=safe_url("assessment:dashboard"),
    )
