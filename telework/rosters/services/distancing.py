"""The distancing switch's re-plan (issue 14 pt 2): every unit's coming weeks, published at once, everyone told their days.

Emergency mode and the suspension leave new drafts for the heads to publish (``runs.rosters_regenerate_after_switch``).
Distancing cannot wait for hundreds of heads on the afternoon it is switched on: nobody requests home days any more,
the roster *is* each person's assignment, so the re-planned rosters are published by the system at once, each staff
member is told their own on-site days and each head is told that the unit's week was re-planned (they may still
edit cells and publish a new version). Switching distancing off re-plans the same weeks under the agencies' own
policies and publishes them the same way.

Which weeks: this week's (its days already lived are kept as they were: the past is a fact, not a plan) and next
week's. Switching on plans next week for every unit with active staff, roster or not (under distancing everyone
needs assigned days); this week, and switching off, re-plan the units that have a roster.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from telework.core import calendar, clock
from telework.core.audit import audit_record
from telework.core.notifications import NotificationCategory, notify_user
from telework.core.ui import WEEKDAY_NAMES
from telework.core.workflow import Change, perform
from telework.organization.heads import unit_heads
from telework.organization.models import Staff, Unit
from telework.policy.models import PolicySwitch, SwitchKind
from telework.rosters import selectors
from telework.rosters.adapters import load_units
from telework.rosters.engine.solver import solve_units
from telework.rosters.models import ROSTER_WORKFLOW, EntryStatus, Roster, RosterEntry, RosterStatus
from telework.rosters.services.generation import default_workers, prepare, start_method, store
from telework.rosters.services.publication import PUBLISHED

ProgressCallback = Callable[[int, int], None]
# Below this many staff a process pool costs more than it saves (as ``runs.POOL_MINIMUM_STAFF``).
POOL_MINIMUM_STAFF = 400


def distancing_plan(today: dt.date, *, is_active: bool) -> list[tuple[dt.date, list[int]]]:
    """The (Monday, unit ids) a distancing change re-plans: see the module docstring. Read-only."""
    monday = selectors.week_start_of(today)
    plan: list[tuple[dt.date, list[int]]] = []
    for week_start in (monday, monday + dt.timedelta(weeks=1)):
        if not calendar.working_days(week_start, week_start + dt.timedelta(days=4)):
            continue
        with_roster = set(Roster.objects.filter(week_start=week_start, is_current=True).values_list("unit_id", flat=True))
        if is_active and week_start > monday:
            with_roster |= set(Staff.objects.filter(is_active=True).values_list("unit_id", flat=True).distinct())
        if with_roster:
            plan.append((week_start, sorted(with_roster)))
    return plan


def rosters_replan_for_distancing(*, is_active: bool, today: dt.date | None = None, progress: ProgressCallback | None = None) -> dict[str, Any]:
    """Re-plan, publish and announce the weeks of ``distancing_plan`` after distancing was switched on or off.

    Runs in the switch's background job (``policy.services.switch_follow_up``) as the system: the solve is done here,
    in this process (never fanned out), because the rosters are published as soon as they are stored. Each published
    roster gets its audit row (``roster.publish`` by the system, with the reason); one ``switch.replanned``
    row sums the whole change. Returns that summary.
    """
    today = today or clock.today()
    label = str(SwitchKind.DISTANCING.label)
    with translation.override("vi"):
        reason = (_("Re-planned after %(switch)s was switched on") if is_active else _("Re-planned after %(switch)s was switched off")) % {"switch": label}
    plan = distancing_plan(today, is_active=is_active)
    total = sum(len(unit_ids) for _week, unit_ids in plan)
    done = 0
    if progress is not None:
        progress(0, total)
    published: list[int] = []
    for week_start, unit_ids in plan:
        units = list(Unit.objects.select_related("agency").filter(pk__in=unit_ids).order_by("pk"))
        loaded = load_units(units, week_start)
        staff = sum(item.staff_count for item in loaded)
        # A daemonic process (a Celery prefork child) may not start a pool: solve in this process there.
        workers = default_workers() if staff >= POOL_MINIMUM_STAFF and not multiprocessing.current_process().daemon else 1

        def report(finished: int, _total: int, offset: int = done) -> None:
            if progress is not None:
                progress(offset + finished, total)

        results = {
            result.roster.unit_id: result
            for result in solve_units([item.instance for item in loaded], workers=workers, start_method=start_method(), progress=report)
        }
        solved = [prepare(item, results[item.unit.pk]) for item in loaded]
        with transaction.atomic():
            rosters = store(solved, week_start=week_start, actor=None, reason=reason, run=None)
            if week_start <= today:
                _keep_days_lived(rosters, today)
            for roster in rosters:
                _publish_as_system(roster, reason)
                published.append(roster.pk)
        done += len(unit_ids)
        if progress is not None:
            progress(done, total)
    summary = {"switched_on": is_active, "weeks": [selectors.iso_week_of(week) for week, _units in plan], "rosters_published": len(published)}
    switch = PolicySwitch.objects.filter(kind=SwitchKind.DISTANCING).first()
    if switch is not None:
        audit_record(actor=None, action="switch.replanned", target=switch, after=summary, reason=reason)
    notified = announce_days(published, is_active=is_active, today=today)
    summary["people_told"] = notified
    return summary


def _keep_days_lived(rosters: list[Roster], today: dt.date) -> None:
    """This week's new versions keep the days before ``today`` as the version they replace had them (one read, one bulk
    update): nobody is re-planned into yesterday."""
    if not rosters:
        return
    previous = {
        (entry.roster.unit_id, entry.staff_id, entry.day): entry
        for entry in RosterEntry.objects.filter(
            roster__unit_id__in=[roster.unit_id for roster in rosters], roster__week_start=rosters[0].week_start, day__lt=today
        )
        .exclude(roster_id__in=[roster.pk for roster in rosters])
        .select_related("roster")
        .order_by("roster__version")
    }
    changed = []
    for entry in RosterEntry.objects.filter(roster__in=rosters, day__lt=today).select_related("roster"):
        before = previous.get((entry.roster.unit_id, entry.staff_id, entry.day))
        if before is not None and (before.status, before.service_point_id) != (entry.status, entry.service_point_id):
            entry.status, entry.service_point_id = before.status, before.service_point_id
            changed.append(entry)
    RosterEntry.objects.bulk_update(changed, ["status", "service_point"], batch_size=1000)


def _publish_as_system(roster: Roster, reason: str) -> None:
    """Publish a freshly stored draft on the system's behalf (no head clicked): the declared workflow move, its audit
    row with the switch's reason. The staff are told by ``announce_days``, not by the usual publication message."""
    roster = Roster.objects.select_for_update().select_related("unit").get(pk=roster.pk)
    if roster.status != RosterStatus.DRAFT:
        return
    perform(
        roster,
        workflow=ROSTER_WORKFLOW,
        action="publish",
        actor=None,
        change=Change(
            audit_action="roster.publish",
            snapshot=lambda item: {"status": item.status, "version": item.version},
            reason=reason,
            agency_id=roster.unit.agency_id,
            stamp=PUBLISHED,
        ),
    )


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def announce_days(roster_ids: list[int], *, is_active: bool, today: dt.date) -> int:
    """Tell each staff member their days in the re-planned rosters (one message per person, in Vietnamese, naming the
    days they are *on site*, from today on; the other days are at home) and each unit's heads that the week was
    re-planned and published. Keyed per roster version, so a retried job tells nobody twice. Returns people told."""
    rosters = {roster.pk: roster for roster in Roster.objects.filter(pk__in=roster_ids).select_related("unit")}
    days: dict[int, dict[int, list[RosterEntry]]] = defaultdict(lambda: defaultdict(list))
    people: dict[int, Staff] = {}
    for entry in RosterEntry.objects.filter(roster_id__in=roster_ids, day__gte=today).select_related("staff__user", "service_point").order_by("day"):
        days[entry.staff_id][entry.roster_id].append(entry)
        people[entry.staff_id] = entry.staff
    told = 0
    with translation.override("vi"):
        for staff_id, by_roster in sorted(days.items()):
            member = people[staff_id]
            if member.user is None or not member.is_active or not member.user.is_active:
                continue
            lines = [_week_line(rosters[roster_id], entries) for roster_id, entries in sorted(by_roster.items(), key=lambda item: rosters[item[0]].week_start)]
            title = _("Your days under the distancing regime") if is_active else _("Your days now that the distancing regime has ended")
            key = "distancing-days:" + ",".join(str(roster_id) for roster_id in sorted(by_roster))
            notify_user(member.user, key=key, title=title, body="\n".join(lines), url=_url("rosters:week"), category=NotificationCategory.ROSTERS)
            told += 1
        by_unit: dict[int, list[Roster]] = defaultdict(list)
        for roster in rosters.values():
            by_unit[roster.unit_id].append(roster)
        for unit_rosters in by_unit.values():
            unit = unit_rosters[0].unit
            weeks = ", ".join(roster.iso_week for roster in sorted(unit_rosters, key=lambda item: item.week_start))
            for head in unit_heads([unit]):
                notify_user(
                    head,
                    key=f"distancing-head:{unit.pk}:" + ",".join(str(roster.pk) for roster in unit_rosters),
                    title=_("%(unit)s: the roster was re-planned and published (%(weeks)s)") % {"unit": unit.name, "weeks": weeks},
                    body=_(
                        "The distancing switch changed, so the system re-planned the unit's weeks and published them; every "
                        "staff member has been told their days. Check the roster: you may still change cells and publish a "
                        "new version."
                    ),
                    url=_url("rosters:version", unit_rosters[-1].pk),
                    category=NotificationCategory.ROSTERS,
                )
    return told


def _week_line(roster: Roster, entries: list[RosterEntry]) -> str:
    """ "Week 2026-W48: on site Monday 23/11 (one-stop desk), Thursday 26/11; the other days at home." """
    on_site = [entry for entry in entries if entry.status in {EntryStatus.OFFICE, EntryStatus.DESK}]
    leave = [entry for entry in entries if entry.status == EntryStatus.LEAVE]
    named = ", ".join(
        f"{WEEKDAY_NAMES[entry.day.weekday()]} {entry.day:%d/%m}" + (f" ({entry.service_point.name})" if entry.service_point is not None else "")
        for entry in on_site
    )
    if on_site:
        line = _("Week %(week)s: on site %(days)s; the other days at home.") % {"week": roster.iso_week, "days": named}
    else:
        line = _("Week %(week)s: at home every day.") % {"week": roster.iso_week}
    if leave:
        line += " " + _("On leave: %(days)s.") % {"days": ", ".join(f"{WEEKDAY_NAMES[entry.day.weekday()]} {entry.day:%d/%m}" for entry in leave)}
    return line
