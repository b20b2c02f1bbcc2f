"""Reads for registrations, always scoped by the viewer."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.types import Viewer
from telework.core import calendar
from telework.core.exceptions import NotFound
from telework.organization import scope
from telework.organization.models import ServicePoint, Staff, Unit
from telework.policy.selectors import PolicyResolver, Suspension, suspension_in_force
from telework.registrations.caps import ServicePointFacts, UnitFacts, unit_home_limit
from telework.registrations.models import Registration, RegistrationDay, RegistrationStatus


def unit_facts(unit: Unit, first_day: dt.date, last_day: dt.date, *, exclude_registration: int | None = None) -> UnitFacts:
    """Headcount, leaders, service points and approved home days of ``unit`` between two dates (for the caps)."""
    members = list(Staff.objects.filter(unit=unit, is_active=True).values_list("pk", "is_leader"))
    points = ServicePoint.objects.filter(unit=unit).prefetch_related("qualified_staff")
    home_by_day: dict[dt.date, set[int]] = defaultdict(set)
    counted = RegistrationDay.objects.filter(unit=unit, is_counted=True, day__gte=first_day, day__lte=last_day)
    if exclude_registration is not None:
        counted = counted.exclude(registration_id=exclude_registration)
    for staff_id, day in counted.values_list("staff_id", "day"):
        home_by_day[day].add(staff_id)
    return UnitFacts(
        unit_name=unit.name,
        staff_ids=frozenset(pk for pk, _leader in members),
        leader_ids=frozenset(pk for pk, leader in members if leader),
        service_points=tuple(
            ServicePointFacts(
                id=point.pk,
                name=point.name,
                kind=point.kind,
                required_on_site=point.required_on_site,
                required_by_weekday=tuple(point.required_by_weekday or ()),
                qualified_staff_ids=frozenset(member.pk for member in point.qualified_staff.all() if member.is_active),
            )
            for point in points
        ),
        home_by_day=dict(home_by_day),
    )


def registration_list(*, viewer: Viewer, filters: dict[str, Any] | None = None) -> QuerySet[Registration]:
    """Registrations of the staff the viewer may see, newest first. Filters: ``status``, ``staff``, ``unit``,
    ``mine`` (only the viewer's own)."""
    filters = filters or {}
    queryset = Registration.objects.filter(staff__in=scope.visible_staff(viewer)).select_related(
        "staff", "staff__position", "unit", "unit__agency", "decided_by"
    )
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    if filters.get("staff"):
        queryset = queryset.filter(staff_id=filters["staff"])
    if filters.get("unit"):
        queryset = queryset.filter(unit_id=filters["unit"])
    if filters.get("mine"):
        me = scope.own_staff(viewer)
        queryset = queryset.filter(staff=me) if me else queryset.none()
    return queryset.order_by("-created_at", "-id")


def registration_get(*, viewer: Viewer, registration_id: int) -> Registration:
    """One registration the viewer may see; otherwise ``NotFound`` (404, never 403, so ids do not leak)."""
    registration = registration_list(viewer=viewer).prefetch_related("days").filter(pk=registration_id).first()
    if registration is None:
        raise NotFound()
    return registration


def approval_inbox(*, viewer: Viewer) -> list[Registration]:
    """Registrations awaiting a decision that the viewer may take, oldest first."""
    # ``staff__unit``: ``can_decide_for`` reads the staff member's unit path for every row a unit or agency head
    # decides without being the direct superior; without it the inbox costs one query per row.
    pending = (
        registration_list(viewer=viewer, filters={"status": RegistrationStatus.SUBMITTED})
        .select_related("staff__unit")
        .order_by("submitted_at", "id")
        .prefetch_related("days")
    )
    return [registration for registration in pending if scope.can_decide_for(viewer, registration.staff)]


def unit_overview(*, unit: Unit, first_day: dt.date, last_day: dt.date) -> dict[str, Any]:
    """Who is approved (or waiting) for which day in ``unit``, against the day's limit."""
    members = list(Staff.objects.filter(unit=unit, is_active=True).select_related("position").order_by("-is_leader", "full_name"))
    days = calendar.working_days(first_day, last_day)
    cells: dict[tuple[int, dt.date], str] = {}
    for staff_id, day, counted, status in RegistrationDay.objects.filter(unit=unit, day__gte=first_day, day__lte=last_day).values_list(
        "staff_id", "day", "is_counted", "registration__status"
    ):
        if counted:
            cells[(staff_id, day)] = "approved"
        elif status == RegistrationStatus.SUBMITTED and (staff_id, day) not in cells:
            cells[(staff_id, day)] = "pending"
    resolver = PolicyResolver()
    headcount = len(members)
    columns = []
    for day in days:
        parameters = resolver.resolve(unit, day).parameters
        approved = sum(1 for member in members if cells.get((member.pk, day)) == "approved")
        limit = unit_home_limit(headcount, parameters)
        columns.append({"day": day, "approved": approved, "limit": limit, "is_full": approved >= limit, "max_home_share": parameters.max_home_share})
    rows = [{"staff": member, "cells": [cells.get((member.pk, day), "") for day in days]} for member in members]
    return {"unit": unit, "days": days, "columns": columns, "rows": rows, "headcount": headcount}


def own_registrations(*, viewer: Viewer) -> QuerySet[Registration]:
    """The viewer's own registrations, newest first, each with ``day_count`` (the working days it requests)."""
    return registration_list(viewer=viewer, filters={"mine": True}).annotate(day_count=Count("days"))


@dataclass(frozen=True)
class DayLoad:
    """How full a unit already is on one requested day: approved home days against the day's limit."""

    day: dt.date
    approved: int
    limit: int

    @property
    def is_full(self) -> bool:
        return self.approved >= self.limit


def requested_day_loads(registrations: list[Registration], *, resolver: Any = None) -> dict[int, list[DayLoad]]:
    """For each registration (with ``days`` prefetched), every requested day and how many of its unit are already
    approved to be at home that day, against the limit the policy in force sets (``max_home_share`` and
    ``min_onsite_share`` via ``caps.unit_home_limit``). A constant number of queries, whatever the number of rows."""
    requested = [day.day for registration in registrations for day in registration.days.all()]
    if not requested:
        return {registration.pk: [] for registration in registrations}
    unit_ids = {registration.unit_id for registration in registrations}
    headcounts = dict(
        Staff.objects.filter(unit_id__in=unit_ids, is_active=True).values("unit_id").annotate(headcount=Count("pk")).values_list("unit_id", "headcount")
    )
    approved: dict[tuple[int, dt.date], int] = {
        (row["unit_id"], row["day"]): row["approved"]
        for row in RegistrationDay.objects.filter(unit_id__in=unit_ids, is_counted=True, day__gte=min(requested), day__lte=max(requested))
        .values("unit_id", "day")
        .annotate(approved=Count("pk"))
    }
    resolver = resolver or PolicyResolver()
    loads: dict[int, list[DayLoad]] = {}
    for registration in registrations:
        headcount = headcounts.get(registration.unit_id, 0)
        loads[registration.pk] = [
            DayLoad(
                day=day.day,
                approved=approved.get((registration.unit_id, day.day), 0),
                limit=unit_home_limit(headcount, resolver.resolve(registration.unit, day.day).parameters),
            )
            for day in registration.days.all()
        ]
    return loads


def unit_week_overview(*, unit: Unit, monday: dt.date) -> dict[str, Any]:
    """``unit_overview`` for the ISO week starting ``monday``, Monday to Friday, with public holidays kept as
    closed columns (``holiday`` holds the name) so the week always reads as five days."""
    weekdays = [monday + dt.timedelta(days=offset) for offset in range(5)]
    overview = unit_overview(unit=unit, first_day=weekdays[0], last_day=weekdays[-1])
    position = {day: index for index, day in enumerate(overview["days"])}
    rows = [{"staff": row["staff"], "cells": [row["cells"][position[day]] if day in position else "closed" for day in weekdays]} for row in overview["rows"]]
    columns = []
    for index, day in enumerate(weekdays):
        if day in position:
            pending = sum(1 for row in rows if row["cells"][index] == "pending")
            columns.append({**overview["columns"][position[day]], "pending": pending, "holiday": None})
        else:
            columns.append(
                {"day": day, "approved": 0, "pending": 0, "limit": 0, "is_full": False, "max_home_share": None, "holiday": calendar.holiday_name(day) or ""}
            )
    return {**overview, "days": weekdays, "columns": columns, "rows": rows}


SUSPENDED = "suspended"
SUSPENDED_LABEL = _("Suspended (telework suspension)")


def is_suspended(registration: Registration, suspension: Suspension | None) -> bool:
    """An approved registration with home days on or after the start of the telework suspension, for someone without
    a named exemption: those days are suspended (the registration itself stays approved and counts again when the
    suspension ends)."""
    return (
        suspension is not None
        and registration.status == RegistrationStatus.APPROVED
        and registration.ends_on >= suspension.starts_on
        and registration.staff_id not in suspension.exempted_staff_ids
    )


def shown_status(registration: Registration, suspension: Suspension | None) -> tuple[str, str]:
    """The state a person sees (code, label): "suspended" instead of "approved" while the suspension voids its days."""
    if is_suspended(registration, suspension):
        return SUSPENDED, str(SUSPENDED_LABEL)
    return registration.status, str(registration.get_status_display())


_UNREAD = object()


def request_suspension(request: Any) -> Suspension | None:
    """The suspension in force, read once per request (a list shows many badges)."""
    cached = getattr(request, "_telework_suspension", _UNREAD) if request is not None else _UNREAD
    if cached is _UNREAD:
        cached = suspension_in_force()
        if request is not None:
            request._telework_suspension = cached
    return cached  # type: ignore[return-value]
