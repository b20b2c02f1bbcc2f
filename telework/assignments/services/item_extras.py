"""Comments, files and apology slips on a work item (Decree 118/2025: the slip at least one working day
before the legal deadline)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import User
from telework.assignments import permissions, rules
from telework.assignments.models import (
    OPEN_STATES,
    AlertKind,
    ApologySlip,
    Attachment,
    Comment,
    WorkItem,
)
from telework.assignments.services.item_checks import UploadedFile, _audit, _locked, _notify, _required_text, _resolve_alerts, _snapshot, _today
from telework.assignments.services.items import _check_files, _store_files
from telework.core.background import enqueue
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed

# ------------------------------------------------------------------------------------------------ comments and files


@transaction.atomic
def comment_add(*, item: WorkItem, actor: User, body: str) -> Comment:
    """The assignee or the head adds to the item's discussion; the other side is notified."""
    body = _required_text(body, rule="body", message=_("Write a comment."))
    item = _locked(item)
    if not permissions.can_take_part(actor, item):
        raise NotPermitted(_("Only the person doing the work and their head comment on it."))
    comment = Comment.objects.create(item=item, author=actor, body=body)
    _audit(item, actor=actor, action="comment", before=None, reason=body, extra={"comment": comment.pk})
    transaction.on_commit(lambda: enqueue("assignments.notify_comment", comment.pk))
    return comment


@transaction.atomic
def attachment_add(*, item: WorkItem, actor: User, files: Iterable[UploadedFile]) -> list[Attachment]:
    """Attach files (PDF, Word, Excel, PNG, JPEG; at most 10 MB each, type checked from the content) to open work."""
    item = _locked(item)
    if not permissions.can_take_part(actor, item):
        raise NotPermitted(_("Only the person doing the work and their head attach files to it."))
    if item.status not in OPEN_STATES:
        raise InvalidTransition(
            _("This work item is “%(status)s”; files can no longer be added.") % {"status": item.get_status_display()},
            rule="work_item.status",
            params={"status": item.status, "action": "attach"},
        )
    checked = _check_files(files)
    if not checked:
        raise ValidationFailed(_("Choose a file."), rule="attachment")
    attachments = _store_files(item, actor, checked, None)
    _audit(item, actor=actor, action="attach", before=None, extra={"attachments": [attachment.filename for attachment in attachments]})
    return attachments


# ------------------------------------------------------------------------------------------------ apology slips


SLIP_MESSAGES = {
    "not_legal": _("Only work with a deadline fixed by law (an administrative dossier) takes an apology slip."),
    "max_reschedules": _("An apology slip was already issued for this dossier: its result may be rescheduled only %(max)s time(s)."),
    "apology_lead_days": _(
        "An apology slip must be issued at least %(lead_days)s working day(s) before the deadline of %(due_on)s: the last day was %(last_day)s."
    ),
    "new_date_not_later": _("The new date must be after the current deadline, %(due_on)s."),
    "new_date_not_working_day": _("The new date, %(new_due_date)s, is not a working day."),
}


def slip_problem_message(problem: rules.SlipProblem) -> str:
    params = {key: value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else value for key, value in problem.params.items()}
    return str(SLIP_MESSAGES[problem.code] % params)


@transaction.atomic
def apology_slip_issue(
    *, item: WorkItem, actor: User, reason: str, new_due_date: dt.date, today: dt.date | None = None, parameters: rules.DetectionParameters | None = None
) -> ApologySlip:
    """Issue the apology slip for a dossier that will be late (Phiếu xin lỗi và hẹn lại ngày trả kết quả): before
    the deadline by ``apology_lead_days`` working days, with the reason and a new date, at most ``max_reschedules``
    times (``rules.apology_slip_problems``). The work's deadline moves to the new date; the head and the agency head
    are told."""
    reason = _required_text(reason, rule="reason", message=_("Give the reason for the delay, as the citizen will read it."))
    today = _today(today)
    parameters = parameters or rules.DetectionParameters()
    item = _locked(item)
    if not permissions.can_take_part(actor, item):
        raise NotPermitted(_("Only the person handling the dossier and their head issue its apology slip."))
    if item.status not in OPEN_STATES:
        raise InvalidTransition(
            _("This work item is “%(status)s”; no apology slip is needed.") % {"status": item.get_status_display()},
            rule="work_item.status",
            params={"status": item.status, "action": "apology_slip"},
        )
    issued = item.apology_slips.count()
    problems = rules.apology_slip_problems(
        is_legal_deadline=item.is_legal_deadline, today=today, due_on=item.due_on, new_due_date=new_due_date, slips_issued=issued, parameters=parameters
    )
    if problems:
        details = [{"rule": problem.rule, "message": slip_problem_message(problem)} for problem in problems]
        raise RuleViolation(details[0]["message"], rule=details[0]["rule"], params={"problems": len(details)}, details=details)
    before = _snapshot(item)
    try:
        with transaction.atomic():
            slip = ApologySlip.objects.create(
                item=item, sequence=issued + 1, issued_on=today, issued_by=actor, reason=reason, previous_due_date=item.due_on, new_due_date=new_due_date
            )
    except IntegrityError as error:
        raise RuleViolation(SLIP_MESSAGES["max_reschedules"] % {"max": parameters.max_reschedules}, rule="max_reschedules") from error
    item.due_on = new_due_date
    item.save(update_fields=["due_on", "updated_at"])
    _resolve_alerts(item, [AlertKind.LEGAL_AT_RISK])
    _audit(item, actor=actor, action="apology_slip", before=before, reason=reason, extra={"apology_slip": slip.pk, "new_due_date": new_due_date})
    _notify(item, "apology_slip")
    return slip
