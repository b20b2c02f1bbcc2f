"""The demo city lived in: rosters (this week's published everywhere, next week's drafts in the example agency, and
every week of the finished quarter there), check-ins for those weeks, and work due around today (some done, some late,
some stalled, with the alerts the morning detection raises).

Rosters go through the real services (the solver, publication); check-ins of the past and work items are history, so
they are written in bulk. Deterministic for a seed and a day. Notifications these services write stay in the app
(``core.notifications.deliveries_muted``): they are history, not news to e-mail.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from telework.accounts.models import Role, User
from telework.assignments.models import Priority, WorkItem, WorkStatus
from telework.assignments.services import detect_stalls
from telework.attendance.models import CheckIn, Finding, WorkMode
from telework.core import calendar
from telework.core.notifications import deliveries_muted
from telework.demo.plans import aware, working_day_before
from telework.organization.models import Agency, Staff, Unit
from telework.rosters.models import EntryStatus, Roster, RosterEntry, RosterStatus
from telework.rosters.services import roster_publish, rosters_generate_many

WORK_TITLES = (
    "Báo cáo tình hình thực hiện nhiệm vụ tháng",
    "Thẩm định hồ sơ đề nghị",
    "Tổng hợp số liệu thống kê quý",
    "Dự thảo văn bản hướng dẫn",
    "Rà soát thủ tục hành chính",
    "Chuẩn bị nội dung họp giao ban",
    "Trả lời kiến nghị của người dân",
    "Cập nhật cơ sở dữ liệu cán bộ",
)


@dataclass
class Activity:
    counts: dict[str, int] = field(default_factory=dict)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weeks_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The Mondays of the weeks from ``start``'s to ``end``'s that have at least one working day."""
    mondays = []
    monday = monday_of(start)
    while monday <= end:
        if calendar.working_days(monday, monday + dt.timedelta(days=4)):
            mondays.append(monday)
        monday += dt.timedelta(weeks=1)
    return mondays


def _publisher(unit: Unit, heads: dict[int, User], admin: User) -> User:
    return heads.get(unit.pk) or admin


def _unit_heads(units: Iterable[Unit]) -> dict[int, User]:
    unit_ids = [unit.pk for unit in units]
    heads: dict[int, User] = {}
    for staff in Staff.objects.filter(unit_id__in=unit_ids, user__role=Role.UNIT_HEAD, user__is_active=True).select_related("user").order_by("code"):
        if staff.user is not None:
            heads.setdefault(staff.unit_id, staff.user)
    return heads


def generate_and_publish(*, week_start: dt.date, units: list[Unit], coordinator: User, admin: User, publish: bool, reason: str) -> int:
    """Generate ``units``' rosters for the week (the solver, as Home Affairs would from the screens) and, when asked,
    publish each as its head would. Returns the number of rosters."""
    if not units or not calendar.working_days(week_start, week_start + dt.timedelta(days=4)):
        return 0
    rosters_generate_many(week_start=week_start, actor=coordinator, units=units, reason=reason)
    rosters = list(Roster.objects.filter(unit__in=units, week_start=week_start, is_current=True, status=RosterStatus.DRAFT).select_related("unit"))
    if publish:
        heads = _unit_heads(units)
        for roster in rosters:
            roster_publish(roster=roster, actor=_publisher(roster.unit, heads, admin))
    return len(rosters)


def write_check_ins(*, agency: Agency, start: dt.date, end: dt.date, today: dt.date, seed: int) -> int:
    """Check-ins as people made them on the published rosters' working days from ``start`` to ``end`` (before
    ``today``): most as rostered, a few at the office on a home day, a few forgotten."""
    rng = random.Random(f"telework-demo:{seed}:check-ins")  # noqa: S311 - demo data
    entries = (
        RosterEntry.objects.filter(
            roster__unit__agency=agency,
            roster__status=RosterStatus.PUBLISHED,
            roster__is_current=True,
            day__gte=start,
            day__lte=min(end, today - dt.timedelta(days=1)),
        )
        .exclude(status=EntryStatus.LEAVE)
        .filter(Q(staff__ended_on__isnull=True) | Q(staff__ended_on__gte=start))
        .values_list("staff_id", "roster__unit_id", "day", "status")
        .order_by("day", "staff_id")
    )
    rows = []
    for staff_id, unit_id, day, status in entries:
        roll = rng.random()
        if roll < 0.03:
            continue  # forgotten: the morning detection would have found it
        mode = WorkMode.HOME if status == EntryStatus.HOME else WorkMode.OFFICE
        finding = Finding.MATCHES
        if status == EntryStatus.HOME and roll > 0.97:
            mode, finding = WorkMode.OFFICE, Finding.OFFICE_WHILE_ROSTERED_AT_HOME
        started = aware(day, 7, rng.randint(30, 59)) + dt.timedelta(minutes=rng.randint(0, 40))
        stopped = aware(day, 16, rng.randint(30, 59)) + dt.timedelta(minutes=rng.randint(0, 45))
        rows.append(
            CheckIn(
                staff_id=staff_id,
                unit_id=unit_id,
                day=day,
                mode=mode,
                checked_in_at=started,
                checked_out_at=stopped,
                rostered=status,
                finding=finding,
                is_mismatch=finding != Finding.MATCHES,
            )
        )
    CheckIn.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def write_current_work(*, agency: Agency, today: dt.date, seed: int, creator: User) -> dict[str, int]:
    """Work due around ``today`` for everyone in ``agency``: done and accepted, in progress on time, late (past the
    deadline), stalled (no update for a week), and a few waiting for the head's acceptance."""
    rng = random.Random(f"telework-demo:{seed}:work")  # noqa: S311 - demo data
    heads = _unit_heads(Unit.objects.filter(agency=agency))
    items = []
    kinds = {"done": 0, "on time": 0, "late": 0, "stalled": 0, "submitted": 0}
    week_ago = working_day_before(today, 5)
    for person in Staff.objects.filter(unit__agency=agency, is_active=True, ended_on__isnull=True).order_by("code").only("pk", "unit_id"):
        assigner = heads.get(person.unit_id, creator)
        for _ in range(rng.randint(2, 4)):
            kind = rng.choices(list(kinds), weights=(30, 35, 12, 13, 10))[0]
            kinds[kind] += 1
            estimated = Decimal(rng.choice((4, 8, 16, 24)))
            extra: dict[str, Any]
            if kind == "done":
                due_on = today - dt.timedelta(days=rng.randint(1, 10))
                starts_on = due_on - dt.timedelta(days=rng.randint(5, 12))
                extra = {
                    "status": WorkStatus.ACCEPTED,
                    "progress_percent": 100,
                    "last_activity_on": due_on,
                    "quality_rating": rng.choice((3, 4, 4, 5, 5)),
                    "accepted_at": aware(due_on, 15, 0),
                    "submitted_at": aware(due_on, 10, 0),
                    "decided_by": assigner,
                    "decided_at": aware(due_on, 15, 0),
                }
            elif kind == "late":
                due_on = today - dt.timedelta(days=rng.randint(1, 6))
                starts_on = due_on - dt.timedelta(days=rng.randint(7, 14))
                extra = {"status": WorkStatus.IN_PROGRESS, "progress_percent": rng.choice((40, 60, 80)), "last_activity_on": today - dt.timedelta(days=1)}
            elif kind == "stalled":
                due_on = today + dt.timedelta(days=rng.randint(3, 15))
                starts_on = week_ago - dt.timedelta(days=rng.randint(3, 10))
                extra = {"status": WorkStatus.IN_PROGRESS, "progress_percent": rng.choice((10, 20, 30)), "last_activity_on": week_ago}
            elif kind == "submitted":
                due_on = today + dt.timedelta(days=rng.randint(0, 5))
                starts_on = due_on - dt.timedelta(days=rng.randint(5, 10))
                extra = {"status": WorkStatus.SUBMITTED, "progress_percent": 100, "last_activity_on": today, "submitted_at": aware(today, 8, 30)}
            else:
                due_on = today + dt.timedelta(days=rng.randint(0, 12))
                starts_on = min(today, due_on) - dt.timedelta(days=rng.randint(2, 8))
                extra = {"status": WorkStatus.IN_PROGRESS, "progress_percent": rng.choice((20, 40, 50, 70)), "last_activity_on": today - dt.timedelta(days=1)}
            items.append(
                WorkItem(
                    staff_id=person.pk,
                    unit_id=person.unit_id,
                    title=rng.choice(WORK_TITLES),
                    estimated_hours=estimated,
                    starts_on=starts_on,
                    due_on=due_on,
                    priority=rng.choice((Priority.NORMAL, Priority.NORMAL, Priority.HIGH)),
                    created_by=assigner,
                    assigned_by=assigner,
                    hours_spent=(estimated * int(extra["progress_percent"]) / 100).quantize(Decimal("0.1")),
                    **{key: value for key, value in extra.items() if key != "hours_spent"},
                )
            )
    WorkItem.objects.bulk_create(items, batch_size=2000)
    return kinds


def seed_activity(
    *, agency: Agency, today: dt.date, seed: int, quarter: tuple[dt.date, dt.date], lap: Callable[[str], None] = lambda _label: None
) -> dict[str, Any]:
    """Everything above, for the example agency (and this week's rosters for every unit of the city); ``lap(label)``
    is called as each part ends (the command prints the timings)."""
    coordinator = User.objects.filter(role=Role.HOME_AFFAIRS, is_active=True).order_by("pk").first()
    admin = User.objects.filter(role=Role.SYSTEM_ADMIN, is_active=True).order_by("pk").first() or coordinator
    if coordinator is None or admin is None:
        return {}
    counts: dict[str, Any] = {}
    agency_units = list(Unit.objects.filter(agency=agency).order_by("pk"))
    with deliveries_muted():
        this_week = monday_of(today)
        quarter_weeks = weeks_between(*quarter)
        counts["rosters of the finished quarter"] = sum(
            generate_and_publish(week_start=monday, units=agency_units, coordinator=coordinator, admin=admin, publish=True, reason="Lịch quý trước")
            for monday in quarter_weeks
        )
        lap("rosters of the finished quarter (one agency)")
        counts["check-ins of the finished quarter"] = write_check_ins(agency=agency, start=quarter[0], end=quarter[1], today=today, seed=seed)
        city_units = list(Unit.objects.filter(agency__pilots__isnull=False).distinct().order_by("pk"))
        counts["rosters published this week"] = generate_and_publish(
            week_start=this_week, units=city_units, coordinator=coordinator, admin=admin, publish=True, reason="Lịch tuần này"
        )
        lap("this week's rosters (every pilot unit)")
        counts["check-ins this week"] = write_check_ins(agency=agency, start=this_week, end=today, today=today, seed=seed)
        counts["draft rosters next week"] = generate_and_publish(
            week_start=this_week + dt.timedelta(weeks=1), units=agency_units, coordinator=coordinator, admin=admin, publish=False, reason="Lịch tuần sau"
        )
        lap("next week's drafts, one agency")
        counts["work items around today"] = sum(write_current_work(agency=agency, today=today, seed=seed, creator=admin).values())
        stalls = detect_stalls(today=today) if calendar.is_working_day(today) else None
        counts["work alerts"] = stalls.new_total if stalls is not None else 0
        lap("work due around today, the morning's alerts")
    return counts
