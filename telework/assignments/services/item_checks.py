"""Work items: uploads read within their limits, the shared helpers, and the check-only answers
(``work_item_check``, ``work_item_actions``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import User
from telework.assignments import permissions, uploads
from telework.assignments.models import (
    OPEN_STATES,
    PROGRESS_FLOW,
    WORK_ITEM_FLOW,
    Alert,
    WorkItem,
)
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.background import enqueue
from telework.core.exceptions import NotPermitted, ValidationFailed
from telework.core.workflow import Change, Verdict, Workflow, verdict

MAX_TITLE_LENGTH = 200
MAX_TEXT_LENGTH = 4000
MAX_ESTIMATED_HOURS = Decimal("2000")
MAX_LEGAL_WORKING_DAYS = 365
MAX_HOURS_PER_DAY = Decimal("24")


@dataclass(frozen=True)
class UploadedFile:
    """A file to attach: its name as the user chose it and its bytes (views and the API read the upload into this)."""

    name: str
    content: bytes


def uploads_read(files: Iterable[Any]) -> list[UploadedFile]:
    """Django's uploaded files (form or API), read into ``UploadedFile`` only once their number (at most
    ``uploads.MAX_FILES_PER_UPLOAD``) and each one's size pass: ``upload.size`` is counted as the file arrives
    (``telework.core.uploads``), so a 600 MB file is refused without a byte of it being read into memory."""
    files = list(files)
    _check_count(len(files))
    for upload in files:
        problem = uploads.too_large(upload.size or 0)
        if problem is not None:
            name = upload.name or "file"
            raise ValidationFailed(upload_problem_message(name, problem), rule="attachment", params={"file": name, **problem.params})
    return [UploadedFile(name=upload.name or "file", content=upload.read()) for upload in files]


def _check_count(count: int) -> None:
    if count > uploads.MAX_FILES_PER_UPLOAD:
        raise ValidationFailed(
            _("At most %(count)s files at once.") % {"count": uploads.MAX_FILES_PER_UPLOAD},
            rule="attachment",
            params={"files": count, "max_files": uploads.MAX_FILES_PER_UPLOAD},
        )


# ------------------------------------------------------------------------------------------------ helpers


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


def _snapshot(item: WorkItem) -> dict[str, Any]:
    return {
        "status": item.status,
        "staff": item.staff_id,
        "title": item.title,
        "estimated_hours": item.estimated_hours,
        "starts_on": item.starts_on,
        "due_on": item.due_on,
        "priority": item.priority,
        "category": item.category,
        "paused_since": item.paused_since,
        "is_legal_deadline": item.is_legal_deadline,
        "dossier_code": item.dossier_code,
        "legal_due_on": item.legal_due_on,
        "progress_percent": item.progress_percent,
        "hours_spent": item.hours_spent,
        "quality_rating": item.quality_rating,
    }


def _audit(item: WorkItem, *, actor: User | None, action: str, before: dict[str, Any] | None, reason: str = "", extra: dict[str, Any] | None = None) -> None:
    audit_record(
        actor=actor,
        action=f"work_item.{action}",
        target=item,
        before=before,
        after={**_snapshot(item), **(extra or {})},
        reason=reason,
        agency_id=item.unit.agency_id,
    )


def _notify(item: WorkItem, event: str) -> None:
    transaction.on_commit(_notifier(item, event))


def _notifier(item: WorkItem, event: str) -> Callable[[], None]:
    def send() -> None:
        enqueue("assignments.notify_work_event", item.pk, event)

    return send


def _change(item: WorkItem, *, audit_action: str, **values: Any) -> Change:
    """The audit row and snapshots every move of a work item writes."""
    return Change(audit_action=audit_action, snapshot=_snapshot, agency_id=item.unit.agency_id, **values)


def _locked(item: WorkItem) -> WorkItem:
    # ``of=("self",)``: lock the item only, not the staff, unit and agency rows select_related joins.
    return WorkItem.objects.select_for_update(of=("self",)).select_related("staff__unit", "unit").get(pk=item.pk)


def _require_assignee(actor: User, item: WorkItem, message: Any) -> None:
    if not permissions.is_assignee(actor, item):
        raise NotPermitted(message)


def _require_manager(actor: User, item: WorkItem) -> None:
    if not permissions.can_manage(actor, item):
        raise NotPermitted(_("Only the direct superior or a head in charge of this person decides on their work."))


# ------------------------------------------------------------------------------------------------ checks (write nothing)

# Who makes each move: the assignee (with what a colleague is told), or the person's decider.
ASSIGNEE_MOVES = {
    "start": _("Only the person the work is assigned to starts it."),
    "submit": _("Only the person the work is assigned to submits it."),
    "progress": _("Only the person the work is assigned to reports its progress."),
}
MANAGER_MOVES = frozenset({"accept_proposal", "decline_proposal", "accept", "return", "cancel"})


def _flow(action: str) -> Workflow:
    return PROGRESS_FLOW if action == "progress" else WORK_ITEM_FLOW


def _check_move(item: WorkItem, actor: User, action: str) -> None:
    """Raise the refusal of ``action`` by ``actor`` on ``item`` now: who makes the move, then its state."""
    if action in ASSIGNEE_MOVES:
        _require_assignee(actor, item, ASSIGNEE_MOVES[action])
    elif action in MANAGER_MOVES:
        _require_manager(actor, item)
    else:
        raise ValueError(f"unknown work item action {action!r}")
    _flow(action).target(item, action)


def work_item_check(*, item: WorkItem, actor: User, action: str) -> Verdict:
    """May ``actor`` make ``action`` (start, progress, submit, accept_proposal, decline_proposal, accept, return,
    cancel) on ``item`` now, and if not, which rule says no: the assignee does the work, the person's decider
    decides on it, and the declared table says which states allow the move. Writes nothing; the write services ask
    the same question under the lock."""
    return verdict(lambda: _check_move(item, actor, action))


def work_item_actions(*, item: WorkItem, actor: User) -> dict[str, bool]:
    """What ``actor`` may do on ``item`` now — each move as ``work_item_check`` answers it, and taking part (files,
    comments, an apology slip for a dossier) as ``attachment_add``, ``comment_add`` and ``apology_slip_issue``
    check it — with one look-up of who the actor is, for pages that list many items."""
    is_assignee, can_manage = permissions.is_assignee(actor, item), permissions.can_manage(actor, item)
    actions = {action: is_assignee and _flow(action).allows(item.status, action) for action in ASSIGNEE_MOVES}
    actions.update({action: can_manage and WORK_ITEM_FLOW.allows(item.status, action) for action in MANAGER_MOVES})
    actions["comment"] = is_assignee or can_manage
    actions["attach"] = actions["comment"] and item.status in OPEN_STATES
    actions["apology_slip"] = actions["attach"] and item.is_legal_deadline
    return actions


def _required_text(value: str, *, rule: str, message: Any) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed(message, rule=rule)
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationFailed(_("At most %(count)s characters.") % {"count": MAX_TEXT_LENGTH}, rule=rule)
    return text


def _resolve_alerts(item: WorkItem, kinds: Iterable[str] | None = None) -> None:
    """Findings that the change just made no longer hold (a progress update ends a stall; closing ends them all)."""
    alerts = Alert.objects.filter(item=item, resolved_at__isnull=True)
    if kinds is not None:
        alerts = alerts.filter(kind__in=list(kinds))
    alerts.update(resolved_at=clock.now())


def _as_decimal(value: Any, *, rule: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationFailed(_("Enter a number."), rule=rule) from error
    if not number.is_finite():
        raise ValidationFailed(_("Enter a number."), rule=rule)
    return number.quantize(Decimal("0.1"))


def upload_problem_message(filename: str, problem: uploads.UploadProblem) -> str:
    """Why a file is refused, in the user's language."""
    params = {"file": filename, **problem.params}
    messages = {
        "empty": _("“%(file)s” is empty."),
        "too_large": _("“%(file)s” is %(size_mb)s MB; attachments may be at most %(max_mb)s MB."),
        "extension": _("“%(file)s”: files of type %(extension)s cannot be attached; allowed: %(allowed)s."),
        "content": _("“%(file)s” is named %(extension)s but its content is not such a file."),
        "mismatch": _("“%(file)s” is named %(extension)s but its content is a %(actual)s file; rename it or attach the right file."),
    }
    return str(messages[problem.code] % params)
