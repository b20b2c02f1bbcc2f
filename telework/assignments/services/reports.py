"""Progress reports: a staff member sends a daily or weekly report to their direct superior, assembled from their
work items (what was done, progress, hours) with their own note; the head reviews and comments.

MISSION 6: staff at home "regularly update progress and report results to their direct superior through the
software". The report freezes the lines at submission, so what the head reviewed stays what was sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import User
from telework.assignments import selectors
from telework.assignments.models import REPORT_FLOW, ProgressReport, ReportPeriod, ReportStatus
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.background import enqueue
from telework.core.exceptions import InvalidTransition, NotPermitted, ValidationFailed
from telework.core.workflow import Change, Stamp, Verdict, perform, verdict
from telework.organization import scope
from telework.organization.models import Staff

MAX_NOTE_LENGTH = 4000


def _snapshot(report: ProgressReport) -> dict[str, Any]:
    return {
        "status": report.status,
        "period": report.period,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "hours_total": report.hours_total,
        "items_completed": report.items_completed,
        "items": [line["item_id"] for line in report.lines],
    }


def _notify(report: ProgressReport, event: str) -> None:
    transaction.on_commit(_notifier(report, event))


def _notifier(report: ProgressReport, event: str) -> Callable[[], None]:
    def send() -> None:
        enqueue("assignments.notify_report_event", report.pk, event)

    return send


@transaction.atomic
def progress_report_submit(*, actor: User, period: str, day: dt.date, note: str = "", today: dt.date | None = None) -> ProgressReport:
    """Send the report for the day ``day`` (daily) or its ISO week (weekly), assembled now from the person's work
    items (``selectors.report_lines``). A period not yet begun is refused. A report already sent for the period is
    replaced until the head has reviewed it; after the review it stands."""
    me = scope.own_staff(actor)
    if me is None:
        raise NotPermitted(_("Only staff members send progress reports."))
    if period not in ReportPeriod.values:
        raise ValidationFailed(_("Choose a daily or a weekly report."), rule="period")
    today = today or clock.today()
    if day > today:
        raise ValidationFailed(_("A report cannot cover a period that has not begun."), rule="day")
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationFailed(_("At most %(count)s characters.") % {"count": MAX_NOTE_LENGTH}, rule="note")
    staff = Staff.objects.select_related("unit").get(pk=me.pk)
    first, last = selectors.report_period_bounds(period, day)
    lines = selectors.report_lines(staff, first, last)
    hours = sum((Decimal(line["hours"]) for line in lines), Decimal(0))
    completed = sum(1 for line in lines if line["completed"])
    report = ProgressReport.objects.select_for_update().filter(staff=staff, period=period, period_start=first).first()
    before = None
    if report is not None:
        if report.status == ReportStatus.REVIEWED:
            raise InvalidTransition(
                _("The report for this period was already reviewed by %(head)s; it can no longer be replaced.")
                % {"head": report.reviewed_by.get_full_name() or report.reviewed_by.username if report.reviewed_by else "—"},
                rule="progress_report.status",
                params={"status": report.status},
            )
        before = _snapshot(report)
    else:
        report = ProgressReport(staff=staff, unit=staff.unit, period=period, period_start=first)
    report.period_end = last
    report.note = note
    report.lines = lines
    report.hours_total = hours
    report.items_completed = completed
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = clock.now()
    report.save()
    audit_record(
        actor=actor,
        action="progress_report.resubmit" if before else "progress_report.submit",
        target=report,
        before=before,
        after=_snapshot(report),
        reason=note,
        agency_id=staff.unit.agency_id,
    )
    _notify(report, "submitted")
    return report


def _check_review(report: ProgressReport, actor: User) -> None:
    if not scope.can_decide_for(actor, report.staff):
        raise NotPermitted(_("Only the direct superior or a head in charge of this person reviews their reports."))
    REPORT_FLOW.target(report, "review")


def progress_report_review_check(*, report: ProgressReport, actor: User) -> Verdict:
    """May ``actor`` review ``report`` now (the person's direct superior or a head in charge of them, once), and if
    not, which rule says no. Writes nothing; the report pages offer the review form when it allows."""
    return verdict(lambda: _check_review(report, actor))


@transaction.atomic
def progress_report_review(*, report: ProgressReport, actor: User, comment: str) -> ProgressReport:
    """The direct superior (or a head in charge of the person) reviews the report with a comment the person reads."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationFailed(_("Write your comment on the report."), rule="comment")
    if len(comment) > MAX_NOTE_LENGTH:
        raise ValidationFailed(_("At most %(count)s characters.") % {"count": MAX_NOTE_LENGTH}, rule="comment")
    report = ProgressReport.objects.select_for_update(of=("self",)).select_related("staff__unit").get(pk=report.pk)
    _check_review(report, actor)
    change = Change(
        audit_action="progress_report.review",
        snapshot=_snapshot,
        reason=comment,
        agency_id=report.unit.agency_id,
        stamp=Stamp(by="reviewed_by", at="reviewed_at", comment="review_comment"),
        notify=_notifier(report, "reviewed"),
    )
    perform(report, workflow=REPORT_FLOW, action="review", actor=actor, change=change)
    return report
