"""Reads for work items, workload, alerts and progress reports, always scoped by the viewer (``permissions``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from telework.accounts.types import Viewer
from telework.assignments import permissions, rules
from telework.assignments.models import (
    OPEN_STATES,
    PLANNED_STATES,
    Alert,
    AlertKind,
    Attachment,
    Comment,
    ProgressReport,
    ProgressUpdate,
    WorkItem,
    WorkPause,
    WorkStatus,
)
from telework.core import calendar
from telework.core.exceptions import NotFound
from telework.core.models import AuditEvent
from telework.organization import scope
from telework.organization.models import Staff, Unit
from telework.policy.selectors import PolicyResolver

# ------------------------------------------------------------------------------------------------ work items


def work_item_list(*, viewer: Viewer, filters: dict[str, Any] | None = None) -> QuerySet[WorkItem]:
    """Work items of the staff the viewer may see, by deadline. Filters: ``status`` (one value or a list), ``staff``
    (id), ``unit`` (id), ``mine`` (only the viewer's own), ``open`` (only unfinished work), ``paused`` (only work paused
    by a switch), ``category`` (one kind of work)."""
    filters = filters or {}
    queryset = permissions.visible_items(viewer).select_related("staff", "staff__position", "unit", "unit__agency", "assigned_by")
    status = filters.get("status")
    if status:
        queryset = queryset.filter(status__in=status if isinstance(status, (list, tuple, set, frozenset)) else [status])
    if filters.get("staff"):
        queryset = queryset.filter(staff_id=filters["staff"])
    if filters.get("unit"):
        queryset = queryset.filter(unit_id=filters["unit"])
    if filters.get("open"):
        queryset = queryset.filter(status__in=OPEN_STATES)
    if filters.get("paused"):
        queryset = queryset.filter(paused_since__isnull=False)
    if filters.get("category"):
        queryset = queryset.filter(category=filters["category"])
    if filters.get("mine"):
        me = scope.own_staff(viewer)
        queryset = queryset.filter(staff=me) if me else queryset.none()
    return queryset.order_by("due_on", "id")


def work_item_get(*, viewer: Viewer, item_id: int) -> WorkItem:
    """One item the viewer may see; otherwise ``NotFound`` (404, never 403, so ids do not leak)."""
    item = work_item_list(viewer=viewer).select_related("staff__unit", "staff__direct_superior", "created_by", "decided_by").filter(pk=item_id).first()
    if item is None:
        raise NotFound()
    return item


# The order of the groups on "My work": what needs the person first.
MY_WORK_GROUPS: tuple[tuple[str, ...], ...] = (
    (WorkStatus.RETURNED,),
    (WorkStatus.IN_PROGRESS, WorkStatus.ASSIGNED),
    (WorkStatus.PROPOSED,),
    (WorkStatus.SUBMITTED,),
    (WorkStatus.ACCEPTED, WorkStatus.DECLINED, WorkStatus.CANCELLED),
)
RECENTLY_CLOSED = 20


def my_work(*, viewer: Viewer) -> list[tuple[str, list[WorkItem]]]:
    """The viewer's own items grouped by what they call for (returned first, then work in hand, proposals awaiting
    the head, work awaiting acceptance, and the last ``RECENTLY_CLOSED`` closed items), each item carrying its
    current ``open_alerts``."""
    items: list[WorkItem] = list(
        work_item_list(viewer=viewer, filters={"mine": True}).prefetch_related(
            Prefetch("alerts", queryset=Alert.objects.filter(resolved_at__isnull=True), to_attr="open_alerts"),
            Prefetch("apology_slips"),
            open_pauses(),
        )
    )
    groups = []
    for statuses in MY_WORK_GROUPS:
        members = [item for item in items if item.status in statuses]
        if statuses[0] == WorkStatus.ACCEPTED:
            members = sorted(members, key=lambda item: item.updated_at, reverse=True)[:RECENTLY_CLOSED]
        if members:
            groups.append((statuses[0], members))
    return groups


# Each item's open pause (at most one), as ``item.open_pauses``: one query for a page of items.
def open_pauses() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch("pauses", queryset=WorkPause.objects.filter(resumed_on__isnull=True), to_attr="open_pauses")


def current_pause(item: WorkItem) -> WorkPause | None:
    """The item's open pause, or None when it is not paused (read from ``open_pauses()`` when prefetched)."""
    if item.paused_since is None:
        return None
    prefetched = getattr(item, "open_pauses", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return WorkPause.objects.filter(item=item, resumed_on__isnull=True).first()


def item_pauses(item: WorkItem) -> list[WorkPause]:
    """Every pause of the item, newest first."""
    return list(item.pauses.order_by("-paused_on", "-id"))


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an item's history: an audit row of a decision or change, newest first."""

    when: dt.datetime
    who: str
    action: str
    reason: str
    after: dict[str, Any]


def item_history(item: WorkItem) -> list[HistoryEntry]:
    """Every recorded change of the item (the audit trail), newest first."""
    events = AuditEvent.objects.filter(object_type=WorkItem._meta.label_lower, object_id=str(item.pk)).order_by("-occurred_at", "-id")
    return [HistoryEntry(event.occurred_at, event.actor_label, event.action, event.reason, event.after or {}) for event in events]


def item_updates(item: WorkItem) -> list[ProgressUpdate]:
    """Progress updates, newest first, each with its attachments (without their content)."""
    return list(
        item.updates.select_related("author", "author__staff").prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.defer("content").order_by("id"))
        )
    )


def item_comments(item: WorkItem) -> list[Comment]:
    return list(item.comments.select_related("author", "author__staff"))


def item_attachments(item: WorkItem) -> list[Attachment]:
    """Every file of the item, oldest first, without loading the bytes."""
    return list(item.attachments.defer("content").select_related("uploaded_by"))


def attachment_get(*, viewer: Viewer, attachment_id: int) -> Attachment:
    """One attachment of an item the viewer may see, with its content; otherwise ``NotFound``."""
    attachment = Attachment.objects.filter(pk=attachment_id, item__in=permissions.visible_items(viewer)).first()
    if attachment is None:
        raise NotFound()
    return attachment


def open_alerts_for(items: Iterable[WorkItem]) -> dict[int, list[Alert]]:
    """Current (unresolved) alerts per item id."""
    ids = [item.pk for item in items]
    result: dict[int, list[Alert]] = defaultdict(list)
    for alert in Alert.objects.filter(item_id__in=ids, resolved_at__isnull=True).order_by("-severity", "kind"):
        result[alert.item_id].append(alert)
    return result


# ------------------------------------------------------------------------------------------------ workload


def _planned(items: Iterable[WorkItem]) -> list[rules.PlannedWork]:
    return [rules.PlannedWork(float(item.estimated_hours), item.starts_on, item.due_on) for item in items]


def _planned_items(staff_ids: Iterable[int], first: dt.date, last: dt.date) -> dict[int, list[WorkItem]]:
    by_staff: dict[int, list[WorkItem]] = defaultdict(list)
    for item in WorkItem.objects.filter(staff_id__in=list(staff_ids), status__in=PLANNED_STATES, starts_on__lte=last, due_on__gte=first).only(
        "id", "staff_id", "estimated_hours", "starts_on", "due_on"
    ):
        by_staff[item.staff_id].append(item)
    return by_staff


def planned_hours_on_days(staff: Staff, days: Iterable[dt.date]) -> float:
    """The hours of work planned for ``staff`` on ``days``: each assigned, in-progress, submitted, returned or
    accepted item's estimated effort spread evenly over the working days from its start to its deadline
    (``rules.daily_effort``). Proposals not yet accepted do not count."""
    wanted = sorted(set(days))
    if not wanted:
        return 0.0
    items = _planned_items([staff.pk], wanted[0], wanted[-1]).get(staff.pk, [])
    return rules.planned_hours_on(_planned(items), wanted)


def norm_hours_on_days(unit: Unit, days: Iterable[dt.date], *, resolver: Any = None) -> float:
    """The office norm over the working days among ``days``: the policy parameter ``office_norm_hours_per_day`` in
    force for ``unit`` on each of them, added up."""
    resolver = resolver or PolicyResolver()
    return float(sum(resolver.resolve(unit, day).parameters.office_norm_hours_per_day for day in days if calendar.is_working_day(day)))


@dataclass(frozen=True)
class HomeDaysWorkload:
    """Planned work on the home days a person asks for, against the office norm for those days."""

    days: tuple[dt.date, ...]
    load: rules.Workload

    @property
    def is_short(self) -> bool:
        """Less planned work than ``rules.UNDERLOAD_BELOW`` of the norm: the registration warns (it does not refuse)."""
        return self.load.status == "under"

    @property
    def norm_per_day(self) -> float:
        return self.load.norm_hours / len(self.days) if self.days else 0.0

    @property
    def underload_percent(self) -> int:
        return round(rules.UNDERLOAD_BELOW * 100)


def home_days_workload(*, staff: Staff, days: Iterable[dt.date]) -> HomeDaysWorkload:
    """How much of the office norm the person's planned work fills on the requested home days (working days only).
    The registration form shows it and warns when it falls short (``HomeDaysWorkload.is_short``)."""
    working = tuple(sorted(day for day in set(days) if calendar.is_working_day(day)))
    planned = planned_hours_on_days(staff, working)
    norm = norm_hours_on_days(staff.unit, working)
    return HomeDaysWorkload(working, rules.workload(planned, norm))


def week_days(monday: dt.date) -> list[dt.date]:
    """The working days of the ISO week starting ``monday``."""
    return calendar.working_days(monday, monday + dt.timedelta(days=6))


def week_workloads(staff: list[Staff], monday: dt.date) -> dict[int, rules.Workload]:
    """Each person's planned work in the ISO week against the office norm for its working days (the norm of their
    unit's policy, day by day). Three queries whatever the number of people (policies are read once)."""
    days = week_days(monday)
    if not days:
        return {member.pk: rules.workload(0, 0) for member in staff}
    items = _planned_items([member.pk for member in staff], days[0], days[-1])
    resolver = PolicyResolver()
    result = {}
    for member in staff:
        planned = rules.planned_hours_on(_planned(items.get(member.pk, [])), days)
        result[member.pk] = rules.workload(planned, norm_hours_on_days(member.unit, days, resolver=resolver))
    return result


@dataclass(frozen=True)
class WeekLoad:
    """A person's planned work in one ISO week against the office norm for its working days."""

    monday: dt.date
    load: rules.Workload

    @property
    def percent(self) -> int:
        return round((self.load.ratio or 0) * 100)


def overloaded_weeks(*, staff: Staff, first_day: dt.date, last_day: dt.date) -> list[WeekLoad]:
    """The ISO weeks from ``first_day`` to ``last_day`` in which the person's planned work passes
    ``rules.OVERLOAD_ABOVE`` (120 %) of the office norm. Asked after work is assigned, so the head is warned (60 hours
    in a 40-hour week once went unnoticed); the assignment itself stands. Two queries plus the policies, whatever the
    number of weeks."""
    first_monday = first_day - dt.timedelta(days=first_day.weekday())
    last_sunday = last_day + dt.timedelta(days=6 - last_day.weekday())
    planned = _planned(_planned_items([staff.pk], first_monday, last_sunday).get(staff.pk, []))
    resolver = PolicyResolver()
    weeks = []
    monday = first_monday
    while monday <= last_day:
        days = week_days(monday)
        if days:
            load = rules.workload(rules.planned_hours_on(planned, days), norm_hours_on_days(staff.unit, days, resolver=resolver))
            if load.status == "over":
                weeks.append(WeekLoad(monday, load))
        monday += dt.timedelta(days=7)
    return weeks


# ------------------------------------------------------------------------------------------------ the head's board


@dataclass
class BoardRow:
    """One person on the board: their open work, progress, hours this week, load against the norm, and alerts."""

    staff: Staff
    open_items: list[WorkItem]
    average_progress: int | None
    hours_this_week: float
    load: rules.Workload
    alerts: list[Alert] = field(default_factory=list)
    awaiting_acceptance: int = 0

    @property
    def legal_risks(self) -> list[Alert]:
        return [alert for alert in self.alerts if alert.kind in {AlertKind.LEGAL_AT_RISK, AlertKind.LEGAL_OVERDUE}]


def board(*, viewer: Viewer, unit: Unit, monday: dt.date, paused_only: bool = False) -> list[BoardRow]:
    """The board of ``unit`` for the ISO week starting ``monday``: every active member the viewer may see (except
    the viewer), their open items, average progress, hours reported in the week, planned load against the norm,
    and the current alerts. With ``paused_only``, only the people with work paused by a switch, and only that work.
    A fixed number of queries, whatever the size of the unit."""
    members = list(scope.visible_staff(viewer).filter(unit=unit, is_active=True).select_related("unit", "position").order_by("-is_leader", "full_name"))
    me = scope.own_staff(viewer)
    members = [member for member in members if me is None or member.pk != me.pk]
    ids = [member.pk for member in members]
    open_items: dict[int, list[WorkItem]] = defaultdict(list)
    items_query = WorkItem.objects.filter(staff_id__in=ids, status__in=OPEN_STATES)
    if paused_only:
        items_query = items_query.filter(paused_since__isnull=False)
    for item in items_query.prefetch_related(open_pauses()).order_by("due_on", "id"):
        open_items[item.staff_id].append(item)
    if paused_only:
        members = [member for member in members if open_items.get(member.pk)]
        ids = [member.pk for member in members]
    alerts: dict[int, list[Alert]] = defaultdict(list)
    for alert in (
        Alert.objects.filter(item__staff_id__in=ids, item__status__in=OPEN_STATES, resolved_at__isnull=True)
        .select_related("item")
        .order_by("severity", "kind", "item__due_on")
    ):
        alerts[alert.item.staff_id].append(alert)
    sunday = monday + dt.timedelta(days=6)
    hours = dict(
        ProgressUpdate.objects.filter(item__staff_id__in=ids, work_date__gte=monday, work_date__lte=sunday)
        .values("item__staff_id")
        .annotate(total=Sum("hours_spent"))
        .values_list("item__staff_id", "total")
    )
    loads = week_workloads(members, monday)
    rows = []
    for member in members:
        items = open_items.get(member.pk, [])
        in_hand = [item for item in items if item.status != WorkStatus.SUBMITTED]
        average = round(sum(item.progress_percent for item in in_hand) / len(in_hand)) if in_hand else None
        rows.append(
            BoardRow(
                staff=member,
                open_items=items,
                average_progress=average,
                hours_this_week=float(hours.get(member.pk) or 0),
                load=loads[member.pk],
                alerts=alerts.get(member.pk, []),
                awaiting_acceptance=len(items) - len(in_hand),
            )
        )
    return rows


def awaiting_my_acceptance(*, viewer: Viewer) -> list[WorkItem]:
    """Submitted work and proposals the viewer may decide, oldest first (the head's to-do list)."""
    candidates = work_item_list(viewer=viewer, filters={"status": [WorkStatus.SUBMITTED, WorkStatus.PROPOSED]}).select_related("staff__unit")
    return sorted(
        (item for item in candidates if permissions.can_manage(viewer, item)),
        key=lambda item: (item.submitted_at or item.created_at, item.pk),
    )


# ------------------------------------------------------------------------------------------------ progress reports


def report_period_bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The days a report covers: ``day`` itself for a daily report, its ISO week (Monday–Sunday) for a weekly one."""
    if period == "weekly":
        return calendar.iso_week_bounds(day)
    return day, day


def report_lines(staff: Staff, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """What a progress report says about each work item of ``staff`` between ``first`` and ``last``: items with a
    progress update in the period, open items whose dates overlap it, and items submitted or accepted in it. Each
    line: the item, its status and progress now, hours and notes reported in the period, whether it was completed
    (submitted or accepted) in the period. JSON-ready (dates as ISO strings), since the report freezes it."""
    updates_in_period = ProgressUpdate.objects.filter(item__staff=staff, work_date__gte=first, work_date__lte=last)
    hours: dict[int, dict[str, Any]] = {
        row["item_id"]: dict(row) for row in updates_in_period.values("item_id").annotate(hours=Sum("hours_spent"), count=Count("id"))
    }
    notes: dict[int, list[str]] = defaultdict(list)
    for item_id, note in updates_in_period.exclude(note="").order_by("work_date", "id").values_list("item_id", "note"):
        notes[item_id].append(note)
    completed = Q(submitted_at__date__gte=first, submitted_at__date__lte=last) | Q(accepted_at__date__gte=first, accepted_at__date__lte=last)
    items = (
        WorkItem.objects.filter(staff=staff)
        .filter(Q(pk__in=list(hours)) | Q(status__in=OPEN_STATES, starts_on__lte=last, due_on__gte=first) | completed)
        .order_by("due_on", "id")
    )
    lines = []
    for item in items:
        reported = hours.get(item.pk, {})
        done_in_period = item.status in {WorkStatus.SUBMITTED, WorkStatus.ACCEPTED} and any(
            moment is not None and first <= _local_date(moment) <= last for moment in (item.submitted_at, item.accepted_at)
        )
        lines.append(
            {
                "item_id": item.pk,
                "title": item.title,
                "status": item.status,
                "progress_percent": item.progress_percent,
                "hours": str(reported.get("hours") or Decimal("0")),
                "updates": reported.get("count", 0),
                "notes": notes.get(item.pk, []),
                "completed": done_in_period,
                "due_on": item.due_on.isoformat(),
                "is_legal_deadline": item.is_legal_deadline,
            }
        )
    return lines


def _local_date(moment: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localdate(moment)


def report_list(*, viewer: Viewer, filters: dict[str, Any] | None = None) -> QuerySet[ProgressReport]:
    """Reports the viewer may see, newest period first. Filters: ``staff`` (id), ``mine``, ``week`` (a Monday: the
    reports whose period falls in that ISO week), ``status``."""
    filters = filters or {}
    queryset = permissions.visible_reports(viewer).select_related("staff", "staff__unit", "unit", "reviewed_by")
    if filters.get("staff"):
        queryset = queryset.filter(staff_id=filters["staff"])
    if filters.get("mine"):
        me = scope.own_staff(viewer)
        queryset = queryset.filter(staff=me) if me else queryset.none()
    if filters.get("week"):
        monday = filters["week"]
        queryset = queryset.filter(period_start__gte=monday, period_start__lte=monday + dt.timedelta(days=6))
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    return queryset.order_by("-period_start", "staff__full_name", "period")


def report_get(*, viewer: Viewer, report_id: int) -> ProgressReport:
    report = report_list(viewer=viewer).filter(pk=report_id).first()
    if report is None:
        raise NotFound()
    return report
