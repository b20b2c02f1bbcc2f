"""The daily stall detection: run the pure rules (``rules.detect``) over every open work item, record each finding
once per item, kind and day (``Alert``), tell the people concerned, and close findings that no longer hold.

Called by the Celery beat task (multi-machine mode) and by ``manage.py detect_stalls`` (the embedded default), both
with "today" explicit, so a test can run any day. Running twice on one day finds the rows and sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from telework.assignments import rules
from telework.assignments.models import OPEN_STATES, PROGRESS_STATES, Alert, AlertKind, WorkItem
from telework.core import calendar, clock
from telework.core.background import enqueue
from telework.core.exceptions import _jsonable

# Items handled per transaction: bounded memory and short write locks, whatever the size of the city.
CHUNK = 500
# A paused item (``WorkItem.paused_since``) raises no stall, schedule or overdue alert: its deadline moves when the
# pause ends. A legal deadline does not move, so its risks are still raised while the work is paused.
LEGAL_KINDS = frozenset({rules.KIND_LEGAL_AT_RISK, rules.KIND_LEGAL_OVERDUE})
# Raised by a pause, closed by its resume: never a daily finding, so never closed as stale by the daily run.
NOT_DETECTED_KINDS = (AlertKind.LEGAL_PAUSED,)


@dataclass
class DetectionSummary:
    """What one run did: items checked, alerts raised for the first time today (by kind), alerts closed."""

    today: dt.date
    is_working_day: bool
    items_checked: int = 0
    new_alerts: Counter[str] = field(default_factory=Counter)
    resolved: int = 0

    @property
    def new_total(self) -> int:
        return sum(self.new_alerts.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "is_working_day": self.is_working_day,
            "items_checked": self.items_checked,
            "new_alerts": dict(sorted(self.new_alerts.items())),
            "resolved": self.resolved,
        }


def item_facts(item: WorkItem, *, slips_issued: int) -> rules.ItemFacts:
    return rules.ItemFacts(
        item_id=item.pk,
        starts_on=item.starts_on,
        due_on=item.due_on,
        progress_percent=item.progress_percent,
        last_activity_on=item.last_activity_on,
        is_with_staff=item.status in PROGRESS_STATES,
        is_legal_deadline=item.is_legal_deadline,
        slips_issued=slips_issued,
    )


def detect_stalls(*, today: dt.date | None = None, parameters: rules.DetectionParameters | None = None) -> DetectionSummary:
    """Check every open work item on ``today`` (default: the local date). Nothing runs on weekends and public
    holidays: nobody is at work to act on an alert. Each new finding notifies the person and their head (and, for a
    legal deadline, the agency head) after its chunk commits. Paused work is skipped, except for the risks of its legal
    deadline."""
    today = today or clock.today()
    parameters = parameters or rules.DetectionParameters()
    summary = DetectionSummary(today=today, is_working_day=calendar.is_working_day(today))
    if not summary.is_working_day:
        return summary
    items = (
        WorkItem.objects.filter(status__in=OPEN_STATES, starts_on__lte=today)
        .filter(Q(paused_since__isnull=True) | Q(is_legal_deadline=True))
        .annotate(slips_issued=Count("apology_slips"))
        .only("id", "status", "starts_on", "due_on", "progress_percent", "last_activity_on", "is_legal_deadline", "paused_since")
        .order_by("id")
    )
    chunk: list[WorkItem] = []
    for item in items.iterator(chunk_size=CHUNK):
        chunk.append(item)
        if len(chunk) == CHUNK:
            _process(chunk, today, parameters, summary)
            chunk = []
    if chunk:
        _process(chunk, today, parameters, summary)
    return summary


@transaction.atomic
def _process(items: list[WorkItem], today: dt.date, parameters: rules.DetectionParameters, summary: DetectionSummary) -> None:
    findings: dict[tuple[int, str], rules.Finding] = {}
    for item in items:
        for finding in rules.detect(item_facts(item, slips_issued=item.slips_issued), today=today, parameters=parameters):  # type: ignore[attr-defined]
            if item.paused_since is None or finding.kind in LEGAL_KINDS:
                findings[(item.pk, finding.kind)] = finding
    ids = [item.pk for item in items]
    existing = set(Alert.objects.filter(item_id__in=ids, day=today).values_list("pk", flat=True))
    Alert.objects.bulk_create(
        [
            Alert(
                item_id=item_id,
                kind=kind,
                severity=finding.severity,
                day=today,
                rule=finding.rule,
                params=_jsonable(finding.params),
                is_escalated=finding.escalate,
            )
            for (item_id, kind), finding in findings.items()
        ],
        # A second run the same day (or two at once) meets the unique key and adds nothing.
        ignore_conflicts=True,
    )
    new = list(Alert.objects.filter(item_id__in=ids, day=today).exclude(pk__in=existing).values_list("pk", "kind"))
    for alert_id, kind in new:
        summary.new_alerts[kind] += 1
        transaction.on_commit(partial(enqueue, "assignments.notify_alert", alert_id))
    current = set(findings)
    stale = [
        alert_id
        for alert_id, item_id, kind, day in Alert.objects.filter(item_id__in=ids, resolved_at__isnull=True)
        .exclude(kind__in=NOT_DETECTED_KINDS)
        .values_list("pk", "item_id", "kind", "day")
        if day != today or (item_id, kind) not in current
    ]
    if stale:
        summary.resolved += Alert.objects.filter(pk__in=stale).update(resolved_at=clock.now())
    summary.items_checked += len(items)
