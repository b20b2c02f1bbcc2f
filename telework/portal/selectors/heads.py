"""A head's home: approvals, who is where today in their units, alerts and load; and an agency at a glance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from telework.accounts.models import Role, User
from telework.assignments.models import OPEN_STATES, Alert, AlertKind, WorkItem
from telework.core import clock
from telework.organization import scope
from telework.organization.models import Agency, Unit
from telework.portal.selectors.common import (
    FIRST_FEW,
    Presence,
    cutoff_passed,
    presence_by_unit,
)
from telework.registrations.models import Registration, RegistrationStatus
from telework.registrations.selectors import approval_inbox
from telework.rosters.models import LeaveRequest, SwapRequest, SwapStatus
from telework.rosters.selectors import leave_requests_waiting


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
    leave_requests: list[LeaveRequest]
    units: list[Presence]
    total: Presence
    alerts: list[WorkAlert]
    alerts_count: int
    late_work: int
    load: list[LoadRow]


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


def head_home(*, viewer: User, today: dt.date | None = None, now: dt.datetime | None = None) -> HeadHome:
    """A head's home: registrations waiting for their decision (the approval inbox), swaps waiting for their
    approval and leave requests waiting for their decision (``rosters.selectors.leave_requests_waiting``), who is where today in the units they manage (office, home, leave, not checked in yet), alerts (missed
    check-ins, stalled or late work) and the load (open items per person, the busiest first). Bounded queries."""
    now = now or clock.now()
    today = today or timezone.localdate(now)
    approvals = approval_inbox(viewer=viewer)
    units = list(scope.visible_units(viewer).order_by("path")) if viewer.role != Role.STAFF else []
    unit_ids = [unit.pk for unit in units]
    swaps = SwapRequest.objects.filter(status=SwapStatus.ACCEPTED, roster__unit_id__in=unit_ids).count() if unit_ids else 0
    presence = presence_by_unit(units, today, now) if units else {}
    total = Presence(unit=None, cutoff_passed=cutoff_passed(today, now))
    for item in presence.values():
        total.add(item)
    alerts, alerts_count = _work_alerts(unit_ids) if unit_ids else ([], 0)
    late = WorkItem.objects.filter(unit_id__in=unit_ids, status__in=OPEN_STATES, due_on__lt=today).count() if unit_ids else 0
    return HeadHome(
        approvals=approvals,
        approvals_count=len(approvals),
        swaps_waiting=swaps,
        leave_requests=leave_requests_waiting(viewer=viewer),
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


def agency_home(*, viewer: User, today: dt.date | None = None, now: dt.datetime | None = None) -> AgencyHome | None:
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
    total = Presence(unit=None, cutoff_passed=cutoff_passed(today, now))
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
