"""A staff member's home: today's place and why, the check-in, the week, open work and their own requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from telework.assignments.models import OPEN_STATES, WorkItem
from telework.attendance import rules
from telework.attendance import selectors as attendance
from telework.attendance.models import CheckIn
from telework.core import calendar, clock, ui
from telework.organization.models import Staff
from telework.portal.selectors.common import (
    DUE_SOON_DAYS,
    FIRST_FEW,
    PENDING_REGISTRATION_STATES,
    PENDING_SWAP_STATES,
    RECENT_DECISION_DAYS,
    newest_published_rosters,
    safe_url,
)
from telework.registrations.models import Registration, RegistrationDay
from telework.rosters.models import EntryStatus, Leave, LeaveKind, LeaveRequestStatus, SwapRequest, UnitEvent
from telework.rosters.selectors import my_leave_requests

# The kinds of place a day can hold (for the page's data attributes and icons; people read ``Place.label``).
PLACE_OFFICE = "office"
PLACE_DESK = "desk"
PLACE_HOME = "home"
PLACE_LEAVE = "leave"
PLACE_HOLIDAY = "holiday"
PLACE_WEEKEND = "weekend"
PLACE_UNPLANNED = "unplanned"


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
    # Distancing (issue 14): the unit assigns home days, so the page says "assigned", and shows next week's days too.
    home_days_assigned: bool = False
    next_week: list[WeekDay] | None = None

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
    assigned: bool = False,
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
        return Place(PLACE_UNPLANNED, _("No roster yet"), _("Your unit's roster for this week is not published yet: check in where you actually work."))
    if cell.status == EntryStatus.LEAVE:
        return Place(PLACE_LEAVE, _("On leave"), _("The published roster has you on leave."))
    if cell.status == EntryStatus.DESK:
        return Place(PLACE_DESK, _("On desk duty"), _("At %(point)s") % {"point": cell.service_point} if cell.service_point else "")
    if assigned and cell.status == EntryStatus.HOME:
        return Place(PLACE_HOME, _("At home"), _("Assigned by your unit under the distancing regime."))
    if assigned and cell.status == EntryStatus.OFFICE and day not in events:
        return Place(PLACE_OFFICE, _("At the office"), _("Assigned on site by your unit under the distancing regime (in rotation)."))
    if cell.status == EntryStatus.HOME:
        registration = home_days.get(day)
        if registration is not None:
            period = f"{registration.starts_on:%d/%m}"
            if registration.ends_on != registration.starts_on:
                period += f"–{registration.ends_on:%d/%m}"
            reason = _("Your approved home-day registration (%(period)s)") % {"period": period}
        else:
            reason = _("The published roster puts you at home.")
        return Place(PLACE_HOME, _("At home"), reason)
    if day in events:
        return Place(PLACE_OFFICE, _("At the office"), events[day])
    return Place(PLACE_OFFICE, _("At the office"), _("The published roster puts you at the office."))


def staff_home(*, staff: Staff, today: dt.date | None = None, home_days_assigned: bool = False) -> StaffHome:
    """A staff member's home: today's place from the published roster and recorded leave (with the reason in
    words), today's check-in and any earlier one left open, the week Monday–Friday, open work due within a week or
    late, and their own pending requests (home days, swaps, leave) with their state. A fixed number of queries.

    ``home_days_assigned`` (the distancing switch is on): the days are the unit's assignment, said so, and next week's
    assigned days are read too (two more queries)."""
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
        return _place(day, cells.get((staff.pk, day)), leave.get(day, ""), events=events, home_days=home_days, assigned=home_days_assigned)

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
    next_week = _next_week_assigned(staff, monday + dt.timedelta(weeks=1)) if home_days_assigned else None
    return StaffHome(
        home_days_assigned=home_days_assigned,
        next_week=next_week,
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


def _next_week_assigned(staff: Staff, monday: dt.date) -> list[WeekDay]:
    """Next week's days as the unit's newest published roster assigns them (distancing), Monday to Friday."""
    week_days = [monday + dt.timedelta(days=offset) for offset in range(5)]
    rosters = newest_published_rosters(monday, [staff.unit_id])
    cells = attendance.roster_cells(list(rosters.values()), week_days)
    return [
        WeekDay(
            day=day,
            label=ui.day_label(day),
            place=_place(day, cells.get((staff.pk, day)), "", events={}, home_days={}, assigned=True),
            check_in=None,
            is_today=False,
        )
        for day in week_days
    ]


def _own_requests(staff: Staff, today: dt.date) -> list[PendingRequest]:
    """Registrations and swaps still waiting (or decided in the last days), leave requests waiting for the head, and
    leave from today on. Four queries."""
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
    waiting_leave = [request for request in my_leave_requests(staff=staff) if request.status == LeaveRequestStatus.REQUESTED]
    for leave_request in waiting_leave[:FIRST_FEW]:
        requests.append(
            PendingRequest(
                kind=_("Leave request"),
                summary=f"{leave_request.get_kind_display()}, {leave_request.starts_on:%d/%m/%Y}–{leave_request.ends_on:%d/%m/%Y}",
                state=leave_request.get_status_display(),
                is_open=True,
                url=reverse("rosters:leave_mine"),
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
