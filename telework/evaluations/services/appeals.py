"""After publication: the person's comment and their one appeal, decided within 7 working days (Art. 22)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.calendar import add_working_days
from telework.core.exceptions import ValidationFailed
from telework.core.workflow import Change, Stamp, perform
from telework.evaluations.models import (
    APPEAL_FLOW,
    Evaluation,
    LevelChoice,
)
from telework.evaluations.services.common import _check_evaluation, _evaluation_snapshot
from telework.evaluations.services.people import _lock_evaluation


@transaction.atomic
def evaluation_comment(*, evaluation: Evaluation, actor: User, text: str) -> Evaluation:
    """The staff member's comment on their published result."""
    evaluation = _lock_evaluation(evaluation)
    _check_evaluation(evaluation, actor, "comment")
    if not text.strip():
        raise ValidationFailed(_("Write your comment."), rule="comment")
    before = {"comment": evaluation.comment}
    evaluation.comment = text.strip()
    evaluation.save(update_fields=["comment", "updated_at"])
    audit_record(
        actor=actor, action="evaluation.comment", target=evaluation, before=before, after={"comment": evaluation.comment}, agency_id=evaluation.unit.agency_id
    )
    return evaluation


def appeal_due_on(evaluation: Evaluation) -> dt.date:
    """The day by which an appeal must be answered: ``appeal_working_days`` (7) working days after the day it was
    made, Vietnamese public holidays excluded (Decree 335/2025/NĐ-CP Art. 22; a named parameter for the other
    regimes)."""
    if evaluation.appealed_at is None:
        raise ValueError("no appeal")
    days = evaluation.period.criteria_for(evaluation.regime).scoring_parameters().appeal_working_days
    return add_working_days(timezone.localtime(evaluation.appealed_at).date(), days)


@transaction.atomic
def evaluation_appeal(*, evaluation: Evaluation, actor: User, text: str) -> Evaluation:
    """Appeal the published level, once."""
    evaluation = _lock_evaluation(evaluation)
    _check_evaluation(evaluation, actor, "appeal")
    if not text.strip():
        raise ValidationFailed(_("Explain why you appeal."), rule="appeal_text")
    evaluation.appeal_text, evaluation.appealed_at = text.strip(), clock.now()
    evaluation.appeal_due_on = appeal_due_on(evaluation)
    evaluation.save(update_fields=["appeal_text", "appealed_at", "appeal_due_on", "updated_at"])
    audit_record(
        actor=actor,
        action="evaluation.appeal",
        target=evaluation,
        after={"appeal_text": evaluation.appeal_text, "appeal_due_on": evaluation.appeal_due_on},
        agency_id=evaluation.unit.agency_id,
    )
    return evaluation


@transaction.atomic
def appeal_decide(*, evaluation: Evaluation, actor: User, level: str, reason: str) -> Evaluation:
    """Decide an appeal: keep the level or change it, always with a reason."""
    evaluation = _lock_evaluation(evaluation)
    _check_evaluation(evaluation, actor, "decide_appeal")
    if level not in LevelChoice.values:
        raise ValidationFailed(_("Choose one of the four levels."), rule="final_level")
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for the decision."), rule="appeal_reason")
    # Answering after the deadline is still better than never answering: it is allowed, and recorded as late.
    is_late = evaluation.appeal_due_on is not None and clock.today() > evaluation.appeal_due_on
    change = Change(
        audit_action="evaluation.appeal_decide",
        snapshot=_evaluation_snapshot,
        fields={"final_level": level},
        reason=reason.strip(),
        agency_id=evaluation.unit.agency_id,
        stamp=Stamp(by="appeal_decided_by", at="appeal_decided_at", comment="appeal_reason"),
        audit_extra={"appeal_due_on": evaluation.appeal_due_on, "is_late": is_late},
    )
    perform(evaluation, workflow=APPEAL_FLOW, action="uphold" if level == evaluation.final_level else "change", actor=actor, change=change)
    return evaluation
