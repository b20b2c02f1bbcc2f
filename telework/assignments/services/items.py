"""Work-item actions: assign, propose, accept or decline a proposal, start, record progress, submit, accept with a
rating, return with a reason, cancel; comments, attachments and apology slips.

One decision, one service, one transaction: each checks who acts, validates, locks the item, moves it through the
declared transition table (``models.WORK_ITEM_FLOW``) with ``core.workflow.perform``, writes the audit row and queues the notification on commit.
Views, the API, Celery tasks and commands all call these; a refusal raises a ``DomainError`` naming the rule and
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import User
from telework.assignments import rules, uploads
from telework.assignments.models import (
    PROGRESS_FLOW,
    WORK_ITEM_FLOW,
    AlertKind,
    Attachment,
    Priority,
    ProgressUpdate,
    WorkCategory,
    WorkItem,
    WorkStatus,
)
from telework.assignments.services.item_checks import (
    ASSIGNEE_MOVES,
    MAX_ESTIMATED_HOURS,
    MAX_HOURS_PER_DAY,
    MAX_LEGAL_WORKING_DAYS,
    MAX_TEXT_LENGTH,
    MAX_TITLE_LENGTH,
    UploadedFile,
    _as_decimal,
    _audit,
    _change,
    _check_count,
    _check_move,
    _locked,
    _notifier,
    _notify,
    _require_assignee,
    _required_text,
    _resolve_alerts,
    _today,
    upload_problem_message,
)
from telework.assignments.services.pauses import pause_new_item
from telework.core import calendar, clock
from telework.core.exceptions import NotPermitted, RuleViolation, ValidationFailed
from telework.core.workflow import Stamp, perform
from telework.organization import scope
from telework.organization.models import Staff

# ------------------------------------------------------------------------------------------------ the work's terms


@dataclass(frozen=True)
class Terms:
    """A work item's validated terms, with the deadline computed for a dossier."""

    title: str
    description: str
    estimated_hours: Decimal
    starts_on: dt.date
    due_on: dt.date
    priority: str
    category: str
    is_legal_deadline: bool
    dossier_code: str
    dossier_received_on: dt.date | None
    legal_deadline_working_days: int | None
    legal_due_on: dt.date | None


def validate_terms(
    *,
    title: str,
    description: str = "",
    estimated_hours: Any,
    starts_on: dt.date | None = None,
    due_on: dt.date | None = None,
    priority: str = Priority.NORMAL,
    category: str = WorkCategory.GENERAL,
    is_legal_deadline: bool = False,
    dossier_code: str = "",
    dossier_received_on: dt.date | None = None,
    legal_deadline_working_days: int | None = None,
    today: dt.date | None = None,
) -> Terms:
    """Check a work item's terms and compute a dossier's legal due date. Every problem is reported at once
    (``details``: one per field, ``rule`` naming the field), so a form can show each next to its field.

    Dates must be possible: the deadline not before the start nor in the past, and at least one working day
    between them. A dossier (``is_legal_deadline``) needs its code, the day it was received (not in the future) and
    its legal deadline in working days; its due date is ``rules.legal_due_date`` and an internal deadline, if
    given, may not fall after it."""
    today = _today(today)
    problems: list[dict[str, Any]] = []

    def problem(rule: str, message: Any) -> None:
        problems.append({"rule": rule, "message": str(message)})

    title = (title or "").strip()
    if not title:
        problem("title", _("Give the work a title."))
    elif len(title) > MAX_TITLE_LENGTH:
        problem("title", _("At most %(count)s characters.") % {"count": MAX_TITLE_LENGTH})
    description = (description or "").strip()
    if len(description) > MAX_TEXT_LENGTH * 2:
        problem("description", _("At most %(count)s characters.") % {"count": MAX_TEXT_LENGTH * 2})
    hours = Decimal(0)
    try:
        hours = _as_decimal(estimated_hours, rule="estimated_hours")
    except ValidationFailed as error:
        problem("estimated_hours", error.message)
    else:
        if hours <= 0:
            problem("estimated_hours", _("The estimated effort must be more than 0 hours."))
        elif hours > MAX_ESTIMATED_HOURS:
            problem("estimated_hours", _("At most %(hours)s hours for one work item; split larger work.") % {"hours": MAX_ESTIMATED_HOURS})
    if priority not in Priority.values:
        problem("priority", _("Choose a priority."))
    if category not in WorkCategory.values:
        problem("category", _("Choose the kind of work."))
    legal_due_on = None
    working_days = None
    code = (dossier_code or "").strip()
    if is_legal_deadline:
        if not code:
            problem("dossier_code", _("Give the dossier code."))
        if dossier_received_on is None:
            problem("dossier_received_on", _("Give the day the dossier was received."))
        elif dossier_received_on > today:
            problem("dossier_received_on", _("The dossier cannot have been received in the future."))
        if legal_deadline_working_days is None or not 1 <= legal_deadline_working_days <= MAX_LEGAL_WORKING_DAYS:
            problem("legal_deadline_working_days", _("Give the legal deadline in working days (1 to %(max)s).") % {"max": MAX_LEGAL_WORKING_DAYS})
        else:
            working_days = legal_deadline_working_days
        if dossier_received_on is not None and working_days is not None:
            legal_due_on = rules.legal_due_date(dossier_received_on, working_days)
            if legal_due_on < today:
                problem(
                    "legal_deadline_working_days",
                    _("The legal deadline (%(date)s) has already passed.") % {"date": legal_due_on.strftime("%d/%m/%Y")},
                )
            if due_on is None:
                due_on = legal_due_on
            elif due_on > legal_due_on:
                problem(
                    "due_on",
                    _("The deadline may not fall after the legal due date, %(date)s (%(days)s working days from receipt).")
                    % {"date": legal_due_on.strftime("%d/%m/%Y"), "days": working_days},
                )
        if starts_on is None and dossier_received_on is not None:
            starts_on = max(dossier_received_on, today)
    starts_on = starts_on or today
    if due_on is None:
        if not is_legal_deadline:
            problem("due_on", _("Give the deadline."))
    elif due_on < starts_on:
        problem("due_on", _("The deadline is before the start date."))
    elif due_on < today:
        problem("due_on", _("The deadline has already passed."))
    elif not calendar.working_days(starts_on, due_on):
        problem("due_on", _("There is no working day between the start date and the deadline (weekends and public holidays do not count)."))
    if problems:
        raise ValidationFailed(problems[0]["message"], rule=problems[0]["rule"], params={"problems": len(problems)}, details=problems)
    assert due_on is not None
    return Terms(
        title=title,
        description=description,
        estimated_hours=hours,
        starts_on=starts_on,
        due_on=due_on,
        priority=priority,
        category=category,
        is_legal_deadline=is_legal_deadline,
        dossier_code=code if is_legal_deadline else "",
        dossier_received_on=dossier_received_on if is_legal_deadline else None,
        legal_deadline_working_days=working_days if is_legal_deadline else None,
        legal_due_on=legal_due_on,
    )


def _create(*, staff: Staff, actor: User, terms: Terms, status: str, today: dt.date) -> WorkItem:
    is_assigned = status == WorkStatus.ASSIGNED
    return WorkItem.objects.create(
        staff=staff,
        unit=staff.unit,
        title=terms.title,
        description=terms.description,
        estimated_hours=terms.estimated_hours,
        starts_on=terms.starts_on,
        due_on=terms.due_on,
        priority=terms.priority,
        category=terms.category,
        is_legal_deadline=terms.is_legal_deadline,
        dossier_code=terms.dossier_code,
        dossier_received_on=terms.dossier_received_on,
        legal_deadline_working_days=terms.legal_deadline_working_days,
        legal_due_on=terms.legal_due_on,
        status=status,
        last_activity_on=today,
        created_by=actor,
        assigned_by=actor if is_assigned else None,
    )


# ------------------------------------------------------------------------------------------------ creating work


@transaction.atomic
def work_item_assign(*, actor: User, staff: Staff, today: dt.date | None = None, **terms: Any) -> WorkItem:
    """A head assigns work to a person they may decide for (their direct superior, or a unit or agency head whose
    scope holds them). Terms as in ``validate_terms``. Work in a category paused for the unit today (a distancing
    switch) is created paused (``pauses.pause_new_item``)."""
    if not scope.can_decide_for(actor, staff):
        raise NotPermitted(_("Only the direct superior or a head in charge of this person assigns them work."))
    if not staff.is_active:
        raise RuleViolation(_("%(name)s is no longer active.") % {"name": staff.full_name}, rule="staff.is_active")
    today = _today(today)
    checked = validate_terms(today=today, **terms)
    item = _create(staff=staff, actor=actor, terms=checked, status=WorkStatus.ASSIGNED, today=today)
    _audit(item, actor=actor, action="assign", before=None)
    _notify(item, "assigned")
    pause_new_item(item=item, actor=actor, today=today)
    return item


@transaction.atomic
def work_item_propose(*, actor: User, today: dt.date | None = None, **terms: Any) -> WorkItem:
    """A staff member proposes work for themselves; it counts as planned work once their head accepts it."""
    me = scope.own_staff(actor)
    if me is None:
        raise NotPermitted(_("Only staff members propose work for themselves."))
    staff = Staff.objects.select_related("unit").get(pk=me.pk)
    today = _today(today)
    checked = validate_terms(today=today, **terms)
    item = _create(staff=staff, actor=actor, terms=checked, status=WorkStatus.PROPOSED, today=today)
    _audit(item, actor=actor, action="propose", before=None)
    _notify(item, "proposed")
    return item


@transaction.atomic
def work_item_accept_proposal(*, item: WorkItem, actor: User, comment: str = "", today: dt.date | None = None) -> WorkItem:
    """The head accepts a proposal: the work is assigned as proposed (and paused, in a category paused today)."""
    item = _locked(item)
    _check_move(item, actor, "accept_proposal")
    today = _today(today)
    change = _change(
        item,
        audit_action="work_item.accept_proposal",
        fields={"assigned_by": actor, "last_activity_on": today},
        reason=(comment or "").strip(),
        notify=_notifier(item, "proposal_accepted"),
    )
    perform(item, workflow=WORK_ITEM_FLOW, action="accept_proposal", actor=actor, change=change)
    pause_new_item(item=item, actor=actor, today=today)
    return item


@transaction.atomic
def work_item_decline_proposal(*, item: WorkItem, actor: User, reason: str) -> WorkItem:
    """The head declines a proposal, saying why."""
    reason = _required_text(reason, rule="reason", message=_("Give the reason for declining."))
    item = _locked(item)
    _check_move(item, actor, "decline_proposal")
    change = _change(item, audit_action="work_item.decline_proposal", reason=reason, notify=_notifier(item, "proposal_declined"))
    perform(item, workflow=WORK_ITEM_FLOW, action="decline_proposal", actor=actor, change=change)
    return item


# ------------------------------------------------------------------------------------------------ doing the work


@transaction.atomic
def work_item_start(*, item: WorkItem, actor: User, today: dt.date | None = None) -> WorkItem:
    """The assignee starts (or, after a return, resumes) the work."""
    item = _locked(item)
    _check_move(item, actor, "start")
    change = _change(item, audit_action="work_item.start", fields={"last_activity_on": _today(today)}, stamp=None)
    perform(item, workflow=WORK_ITEM_FLOW, action="start", actor=actor, change=change)
    return item


def _check_files(files: Iterable[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    files = list(files)
    _check_count(len(files))
    checked = []
    for upload in files:
        kind, problem = uploads.check_upload(upload.name, upload.content)
        if problem is not None:
            raise ValidationFailed(upload_problem_message(upload.name, problem), rule="attachment", params={"file": upload.name, **problem.params})
        assert kind is not None
        checked.append((upload, kind))
    return checked


def _store_files(item: WorkItem, actor: User, checked: list[tuple[UploadedFile, str]], update: ProgressUpdate | None) -> list[Attachment]:
    return [
        Attachment.objects.create(
            item=item,
            progress_update=update,
            uploaded_by=actor,
            filename=upload.name[:255],
            kind=kind,
            size=len(upload.content),
            sha256=hashlib.sha256(upload.content).hexdigest(),
            content=upload.content,
        )
        for upload, kind in checked
    ]


@transaction.atomic
def progress_record(
    *,
    item: WorkItem,
    actor: User,
    progress_percent: int,
    hours_spent: Any = 0,
    note: str = "",
    work_date: dt.date | None = None,
    files: Iterable[UploadedFile] = (),
    today: dt.date | None = None,
) -> ProgressUpdate:
    """The assignee reports progress: percent done (0–100), hours spent on ``work_date`` (0–24, and at most 24 across
    all their work that day), a note, files. On assigned or returned work it starts the work. An update that says
    nothing new (same percent, no hours, no note, no file) is refused."""
    today = _today(today)
    item = _locked(item)
    _check_move(item, actor, "progress")
    if isinstance(progress_percent, bool) or not isinstance(progress_percent, int) or not 0 <= progress_percent <= 100:
        raise ValidationFailed(_("Progress is a percentage from 0 to 100."), rule="progress_percent", params={"value": progress_percent})
    hours = _as_decimal(hours_spent or 0, rule="hours_spent")
    if not Decimal(0) <= hours <= MAX_HOURS_PER_DAY:
        raise ValidationFailed(_("Hours spent on one day are between 0 and 24."), rule="hours_spent", params={"value": hours})
    work_date = work_date or today
    if work_date > today:
        raise ValidationFailed(_("Hours cannot be reported for a day in the future."), rule="work_date")
    # Against the start date, not the creation time: work recorded today that began last week takes last week's hours.
    if work_date < item.starts_on:
        raise ValidationFailed(
            _("The work starts on %(date)s; hours cannot be reported for an earlier day.") % {"date": item.starts_on.strftime("%d/%m/%Y")},
            rule="work_date",
            params={"starts_on": item.starts_on, "work_date": work_date},
        )
    note = (note or "").strip()
    if len(note) > MAX_TEXT_LENGTH:
        raise ValidationFailed(_("At most %(count)s characters.") % {"count": MAX_TEXT_LENGTH}, rule="note")
    files = list(files)
    checked = _check_files(files)
    if progress_percent == item.progress_percent and hours == 0 and not note and not checked:
        raise ValidationFailed(_("Nothing to record: change the progress, or give hours, a note or a file."), rule="note")
    if hours:
        already = ProgressUpdate.objects.filter(item__staff_id=item.staff_id, work_date=work_date).aggregate(total=Sum("hours_spent"))["total"] or 0
        if already + hours > MAX_HOURS_PER_DAY:
            raise ValidationFailed(
                _("%(date)s already has %(hours)s hours reported across your work; a day has at most 24.")
                % {"date": work_date.strftime("%d/%m/%Y"), "hours": already},
                rule="hours_spent",
            )
    update = ProgressUpdate.objects.create(item=item, author=actor, work_date=work_date, progress_percent=progress_percent, hours_spent=hours, note=note)
    attachments = _store_files(item, actor, checked, update)

    def settle() -> None:
        item.refresh_from_db(fields=["hours_spent"])
        _resolve_alerts(item, [AlertKind.NO_UPDATE])

    # On assigned or returned work the update starts the work, as "start" does; on work in progress it stays there.
    change = _change(
        item,
        audit_action="work_item.progress",
        fields={"progress_percent": progress_percent, "hours_spent": F("hours_spent") + hours, "last_activity_on": today},
        reason=note,
        stamp=None,
        then=settle,
        audit_extra={"update": update.pk, "work_date": work_date, "hours_reported": hours, "attachments": [attachment.filename for attachment in attachments]},
    )
    perform(item, workflow=PROGRESS_FLOW, action="progress", actor=actor, change=change)
    return update


@transaction.atomic
def work_item_submit(*, item: WorkItem, actor: User, note: str = "") -> WorkItem:
    """The assignee hands in finished work for acceptance (progress becomes 100 %)."""
    item = _locked(item)
    _require_assignee(actor, item, ASSIGNEE_MOVES["submit"])
    note = (note or "").strip()
    if len(note) > MAX_TEXT_LENGTH:
        raise ValidationFailed(_("At most %(count)s characters.") % {"count": MAX_TEXT_LENGTH}, rule="note")
    change = _change(
        item,
        audit_action="work_item.submit",
        fields={"progress_percent": 100, "submitted_at": clock.now()},
        reason=note,
        stamp=None,
        then=lambda: _resolve_alerts(item, [AlertKind.NO_UPDATE, AlertKind.BEHIND_SCHEDULE]),
        notify=_notifier(item, "submitted"),
    )
    perform(item, workflow=WORK_ITEM_FLOW, action="submit", actor=actor, change=change)
    return item


# ------------------------------------------------------------------------------------------------ the head's decisions


@transaction.atomic
def work_item_accept(*, item: WorkItem, actor: User, rating: Any, comment: str = "") -> WorkItem:
    """The head accepts submitted work and rates its quality from 1 (poor) to 5 (excellent); the rating feeds the
    period's evaluation."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationFailed(_("Rate the quality from 1 to 5."), rule="quality_rating", params={"value": rating})
    comment = (comment or "").strip()
    if len(comment) > MAX_TEXT_LENGTH:
        raise ValidationFailed(_("At most %(count)s characters.") % {"count": MAX_TEXT_LENGTH}, rule="comment")
    item = _locked(item)
    _check_move(item, actor, "accept")
    now = clock.now()
    change = _change(
        item,
        audit_action="work_item.accept",
        fields={"quality_rating": rating, "rating_comment": comment, "decided_at": now, "accepted_at": now},
        reason=comment,
        # The comment is the rating's: the decision comment keeps the head's last reason for a return or a refusal.
        stamp=Stamp(comment=None),
        then=lambda: _resolve_alerts(item),
        notify=_notifier(item, "accepted"),
    )
    perform(item, workflow=WORK_ITEM_FLOW, action="accept", actor=actor, change=change)
    return item


@transaction.atomic
def work_item_return(*, item: WorkItem, actor: User, reason: str, today: dt.date | None = None) -> WorkItem:
    """The head returns submitted work for rework, saying what is missing; the stall clock restarts today."""
    reason = _required_text(reason, rule="reason", message=_("Say what must be reworked."))
    item = _locked(item)
    _check_move(item, actor, "return")
    change = _change(item, audit_action="work_item.return", fields={"last_activity_on": _today(today)}, reason=reason, notify=_notifier(item, "returned"))
    perform(item, workflow=WORK_ITEM_FLOW, action="return", actor=actor, change=change)
    return item


@transaction.atomic
def work_item_cancel(*, item: WorkItem, actor: User, reason: str) -> WorkItem:
    """The head cancels work that is no longer needed, saying why."""
    reason = _required_text(reason, rule="reason", message=_("Give the reason for cancelling."))
    item = _locked(item)
    _check_move(item, actor, "cancel")
    change = _change(item, audit_action="work_item.cancel", reason=reason, then=lambda: _resolve_alerts(item), notify=_notifier(item, "cancelled"))
    perform(item, workflow=WORK_ITEM_FLOW, action="cancel", actor=actor, change=change)
    return item
