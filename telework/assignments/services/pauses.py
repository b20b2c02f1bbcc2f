"""Work paused by a city-wide switch (issue 14, point 4): a distancing regime pauses categories of work (non-urgent
inspections, in-person reception, gatherings, field visits); when it ends the work resumes with its deadline moved by
the working days it was paused. A deadline fixed by law never moves: the item is flagged instead.

The policy app cannot see work items (it sits below this app): ``telework.assignments.signals`` registers
``work_pauses_follow_up`` as a switch follow-up and ``work_pause_impact`` as an impact reader with
``telework.policy.effects``. The follow-up *reconciles*: every open item in a category the unit's resolved policy
pauses is paused, every paused item whose category is no longer paused resumes. Run twice, it finds nothing left to do
(and one open pause per item is a unique constraint), so a retried job changes nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import User
from telework.assignments import rules
from telework.assignments.models import OPEN_STATES, PROGRESS_STATES, Alert, AlertKind, AlertSeverity, Priority, WorkItem, WorkPause, WorkStatus
from telework.assignments.services.item_checks import _audit, _snapshot
from telework.core import clock
from telework.core.background import enqueue
from telework.organization.models import Unit
from telework.policy.models import SwitchChange, SwitchKind
from telework.policy.parameters import PAUSABLE_WORK_CATEGORIES, PRESETS
from telework.policy.selectors import SWITCH_PRESET_KEYS, PolicyResolver, ResolvedPolicy

# Items handled per transaction: bounded memory and short locks whatever the size of the city.
CHUNK = 200
# Work the staff member still has to do: only this is paused (submitted work awaits the head's acceptance, a desk
# task; proposals are not planned yet and are paused when accepted).
PAUSABLE_STATES = PROGRESS_STATES


@dataclass
class PauseSummary:
    """What one reconciliation did."""

    paused: int = 0
    resumed: int = 0
    legal_flagged: int = 0


def _pausing_switch(resolved: ResolvedPolicy, category: str) -> str:
    """The active switch whose overlay pauses ``category`` ("" when the unit's own policy does)."""
    for kind in resolved.active_switches:
        overlay = PRESETS[SWITCH_PRESET_KEYS[kind]].overlay
        if category in overlay.get("paused_work_categories", ()):
            return str(kind)
    return ""


def is_pausable(item: WorkItem) -> bool:
    """Work a switch may pause: in a pausable category, with the staff member, and not marked urgent (the policy
    pauses *non-urgent* inspections: urgent work goes on under the distancing rules)."""
    return item.category in PAUSABLE_WORK_CATEGORIES and item.status in PAUSABLE_STATES and item.priority != Priority.URGENT


def _latest_change(kind: str, *, is_active: bool) -> SwitchChange | None:
    return SwitchChange.objects.filter(kind=kind, is_active=is_active).order_by("-started_at", "-id").first() if kind else None


def _switch_label(kind: str) -> str:
    return str(SwitchKind(kind).label) if kind in SwitchKind.values else ""


# ------------------------------------------------------------------------------------------------ one item


def _pause(item: WorkItem, *, today: dt.date, switch_kind: str, change: SwitchChange | None, actor: User | None) -> WorkPause:
    """Pause ``item`` (locked by the caller): the pause row, the item's ``paused_since``, the stall alerts closed (a
    legal deadline's alerts stay: that deadline still runs), a flag when the legal deadline does not move, the audit
    row."""
    before = _snapshot(item)
    pause = WorkPause.objects.create(
        item=item,
        category=item.category,
        switch_change=change,
        switch_kind=switch_kind,
        paused_on=today,
        starts_on_before=item.starts_on,
        due_on_before=item.due_on,
        legal_deadline_kept=item.is_legal_deadline,
    )
    item.paused_since = today
    item.save(update_fields=["paused_since", "updated_at"])
    open_alerts = Alert.objects.filter(item=item, resolved_at__isnull=True)
    if item.is_legal_deadline:
        open_alerts = open_alerts.exclude(kind__in=[AlertKind.LEGAL_AT_RISK, AlertKind.LEGAL_OVERDUE])
        flag, created = Alert.objects.get_or_create(
            item=item,
            kind=AlertKind.LEGAL_PAUSED,
            day=today,
            defaults={
                "severity": AlertSeverity.DANGER,
                "rule": "legal_deadline",
                "params": {"due_on": item.due_on.isoformat(), "paused_on": today.isoformat(), "switch": switch_kind},
                "is_escalated": True,
            },
        )
        if created:  # to the person, their heads and the agency head, like a legal deadline at risk
            transaction.on_commit(partial(enqueue, "assignments.notify_alert", flag.pk))
    open_alerts.exclude(kind=AlertKind.LEGAL_PAUSED).update(resolved_at=clock.now())
    reason = str(_("Paused by the city-wide switch “%(switch)s”.") % {"switch": _switch_label(switch_kind)}) if switch_kind else ""
    _audit(item, actor=actor, action="pause", before=before, reason=reason, extra={"paused_since": today, "pause": pause.pk, "category": item.category})
    return pause


def _resume(item: WorkItem, pause: WorkPause, *, today: dt.date, change: SwitchChange | None, actor: User | None) -> WorkPause:
    """End ``pause`` (its item locked by the caller): open work's deadline, and a start not yet reached, move by the
    paused working days (``rules.resumed_dates``); a legal deadline stays; the stall clock restarts today."""
    before = _snapshot(item)
    is_open = item.status in OPEN_STATES
    dates = rules.resumed_dates(
        starts_on=item.starts_on,
        due_on=item.due_on,
        paused_on=pause.paused_on,
        resumed_on=today,
        is_legal_deadline=item.is_legal_deadline,
        has_started=item.status != WorkStatus.ASSIGNED or item.progress_percent > 0,
    )
    if not is_open:  # accepted or cancelled while paused: nothing left to move
        dates = rules.ResumedDates(dates.working_days_paused, item.starts_on, item.due_on, item.is_legal_deadline)
    pause.resumed_on = today
    pause.resume_change = change
    pause.working_days_paused = dates.working_days_paused
    pause.starts_on_after = dates.starts_on
    pause.due_on_after = dates.due_on
    pause.save(update_fields=["resumed_on", "resume_change", "working_days_paused", "starts_on_after", "due_on_after"])
    item.paused_since = None
    item.starts_on, item.due_on = dates.starts_on, dates.due_on
    fields = ["paused_since", "starts_on", "due_on", "updated_at"]
    if is_open:
        item.last_activity_on = max(item.last_activity_on, today)
        fields.append("last_activity_on")
    item.save(update_fields=fields)
    Alert.objects.filter(item=item, kind=AlertKind.LEGAL_PAUSED, resolved_at__isnull=True).update(resolved_at=clock.now())
    reason = str(_("The city-wide switch “%(switch)s” ended.") % {"switch": _switch_label(pause.switch_kind)}) if pause.switch_kind else ""
    _audit(
        item,
        actor=actor,
        action="resume",
        before=before,
        reason=reason,
        extra={"pause": pause.pk, "working_days_paused": dates.working_days_paused, "legal_deadline_kept": dates.legal_deadline_kept},
    )
    return pause


def pause_new_item(*, item: WorkItem, actor: User, today: dt.date) -> WorkPause | None:
    """Work created (or a proposal accepted) in a category paused for its unit today starts paused: it is allowed,
    since the work still has to be done once the regime ends, and the head is told so on the page. Call inside the
    creating transaction; None when the category is not paused."""
    if not is_pausable(item) or item.paused_since is not None:
        return None
    resolved = PolicyResolver().resolve(item.unit, today)
    if item.category not in resolved.parameters.paused_work_categories:
        return None
    kind = _pausing_switch(resolved, item.category)
    pause = _pause(item, today=today, switch_kind=kind, change=_latest_change(kind, is_active=True), actor=actor)
    transaction.on_commit(partial(enqueue, "assignments.notify_work_pauses", [pause.pk], "paused"))
    return pause


# ------------------------------------------------------------------------------------------------ the follow-up


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _policies(resolver: PolicyResolver, units: dict[int, Unit], today: dt.date) -> dict[int, ResolvedPolicy]:
    return {unit_id: resolver.resolve(unit, today) for unit_id, unit in units.items()}


def work_pauses_reconcile(*, today: dt.date | None = None, change: SwitchChange | None = None) -> PauseSummary:
    """Bring every work item in line with the policy in force today: open work in a category its unit's resolved
    policy pauses (``paused_work_categories``, set by the distancing switch) is paused; paused work whose category is
    no longer paused resumes, its deadline moved by the paused working days (a legal deadline is kept and flagged).
    Each item in its own row lock, ``CHUNK`` items per transaction, each with its audit row; the assignee and the
    heads are told after each chunk commits. Idempotent: a second run finds nothing to do."""
    today = today or clock.today()
    actor = change.changed_by if change is not None else None
    summary = PauseSummary()
    resolver = PolicyResolver()
    to_pause = list(
        WorkItem.objects.filter(category__in=PAUSABLE_WORK_CATEGORIES, status__in=PAUSABLE_STATES, paused_since__isnull=True)
        .exclude(priority=Priority.URGENT)
        .values_list("pk", "unit_id", "category")
    )
    paused = list(WorkItem.objects.filter(paused_since__isnull=False).values_list("pk", "unit_id", "category"))
    units = Unit.objects.in_bulk(sorted({unit_id for _pk, unit_id, _category in [*to_pause, *paused]}))
    policies = _policies(resolver, units, today)
    pause_ids = [pk for pk, unit_id, category in to_pause if category in policies[unit_id].parameters.paused_work_categories]
    resume_ids = [pk for pk, unit_id, category in paused if category not in policies[unit_id].parameters.paused_work_categories]
    for ids in _chunks(pause_ids):
        _pause_chunk(ids, today=today, policies=policies, change=change, actor=actor, summary=summary)
    for ids in _chunks(resume_ids):
        _resume_chunk(ids, today=today, change=change, actor=actor, summary=summary)
    return summary


@transaction.atomic
def _pause_chunk(
    ids: list[int], *, today: dt.date, policies: dict[int, ResolvedPolicy], change: SwitchChange | None, actor: User | None, summary: PauseSummary
) -> None:
    done: list[int] = []
    changes: dict[str, SwitchChange | None] = {}
    for item in WorkItem.objects.select_for_update(of=("self",)).select_related("unit").filter(pk__in=ids).order_by("pk"):
        # Checked again under the lock: the item may have been paused, closed or re-prioritised meanwhile.
        if item.paused_since is not None or not is_pausable(item):
            continue
        kind = _pausing_switch(policies[item.unit_id], item.category)
        if kind not in changes:
            changes[kind] = change if change is not None and change.kind == kind else _latest_change(kind, is_active=True)
        pause = _pause(item, today=today, switch_kind=kind, change=changes[kind], actor=actor)
        done.append(pause.pk)
        summary.paused += 1
        summary.legal_flagged += int(pause.legal_deadline_kept)
    if done:
        transaction.on_commit(partial(enqueue, "assignments.notify_work_pauses", done, "paused"))


@transaction.atomic
def _resume_chunk(ids: list[int], *, today: dt.date, change: SwitchChange | None, actor: User | None, summary: PauseSummary) -> None:
    done: list[int] = []
    items = list(WorkItem.objects.select_for_update(of=("self",)).select_related("unit").filter(pk__in=ids, paused_since__isnull=False).order_by("pk"))
    # Read under the items' locks: nobody else closes these pauses meanwhile.
    open_pauses = {pause.item_id: pause for pause in WorkPause.objects.filter(item__in=items, resumed_on__isnull=True)}
    for item in items:
        pause = open_pauses.get(item.pk)
        if pause is None:  # paused_since without its row: clear it, nothing to move
            item.paused_since = None
            item.save(update_fields=["paused_since", "updated_at"])
            continue
        _resume(item, pause, today=today, change=change, actor=actor)
        done.append(pause.pk)
        summary.resumed += 1
    if done:
        transaction.on_commit(partial(enqueue, "assignments.notify_work_pauses", done, "resumed"))


def work_pauses_follow_up(kind: str, is_active: bool, progress: object) -> None:
    """The switch follow-up (``policy.effects``): reconcile the pauses after any switch change, linked to the change
    being carried out. Progress is the rosters' (units re-solved); pausing work does not report into it."""
    change = SwitchChange.objects.filter(kind=kind, is_active=is_active, status=SwitchChange.Status.RUNNING).order_by("-id").first()
    work_pauses_reconcile(change=change)


# ------------------------------------------------------------------------------------------------ the impact


def work_pause_impact(kind: str, is_active: bool, today: dt.date) -> int:
    """How many work items a change of switch ``kind`` would pause (turning it on) or resume (turning it off), for the
    switch's confirmation page. Read before the change: today's resolved policy per unit, with the categories the
    switch's overlay pauses added (on) or taken away unless another active switch pauses them too (off)."""
    if kind not in SWITCH_PRESET_KEYS:
        return 0
    overlay = set(PRESETS[SWITCH_PRESET_KEYS[kind]].overlay.get("paused_work_categories", ()))
    resolver = PolicyResolver()
    if is_active:
        rows = (
            WorkItem.objects.filter(category__in=PAUSABLE_WORK_CATEGORIES, status__in=PAUSABLE_STATES, paused_since__isnull=True)
            .exclude(priority=Priority.URGENT)
            .values("unit_id", "category")
            .annotate(count=Count("id"))
        )
    else:
        rows = WorkItem.objects.filter(paused_since__isnull=False).values("unit_id", "category").annotate(count=Count("id"))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        counts[row["unit_id"]][row["category"]] = row["count"]
    units = Unit.objects.in_bulk(list(counts))
    total = 0
    for unit_id, by_category in counts.items():
        resolved = resolver.resolve(units[unit_id], today)
        now = set(resolved.parameters.paused_work_categories)
        if is_active:
            after = now | overlay
            total += sum(count for category, count in by_category.items() if category in after)
        else:
            others = {
                category
                for other in resolved.active_switches
                if other != kind
                for category in PRESETS[SWITCH_PRESET_KEYS[other]].overlay.get("paused_work_categories", ())
            }
            after = now - (overlay - others)
            total += sum(count for category, count in by_category.items() if category not in after)
    return total
