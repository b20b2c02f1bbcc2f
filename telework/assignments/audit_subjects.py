"""Work items' and progress reports' audit rows: read by whoever may see the person's work (``permissions``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from telework.assignments import permissions
from telework.core.audit_subjects import AuditSubject, register

register(
    AuditSubject(
        object_type="assignments.workitem",
        visible=permissions.visible_items,
        actions={
            "work_item.assign": _("Work assigned"),
            "work_item.propose": _("Work proposed"),
            "work_item.accept_proposal": _("Proposed work accepted"),
            "work_item.decline_proposal": _("Proposed work declined"),
            "work_item.start": _("Work started"),
            "work_item.progress": _("Progress reported"),
            "work_item.submit": _("Work submitted for acceptance"),
            "work_item.accept": _("Work accepted"),
            "work_item.return": _("Work returned for rework"),
            "work_item.cancel": _("Work cancelled"),
            "work_item.comment": _("Comment on work"),
            "work_item.attach": _("Files attached to work"),
            "work_item.apology_slip": _("Apology slip issued"),
            "work_item.pause": _("Work paused by a city-wide switch"),
            "work_item.resume": _("Paused work resumed"),
        },
        fields={
            "attachments": _("Files"),
            "new_due_date": _("New due date"),
            "work_date": _("Work date"),
            "hours_reported": _("Hours reported"),
            "working_days_paused": _("Working days paused"),
            "legal_deadline_kept": _("Legal deadline not moved"),
        },
        # The assignee never changes (the item's page names them); the others are rows of comments, updates, slips,
        # pauses.
        hidden=frozenset({"staff", "comment", "update", "apology_slip", "pause"}),
        url_name="assignments:detail",
    ),
    AuditSubject(
        object_type="assignments.progressreport",
        visible=permissions.visible_reports,
        actions={
            "progress_report.submit": _("Progress report sent"),
            "progress_report.resubmit": _("Progress report sent again"),
            "progress_report.review": _("Progress report reviewed"),
        },
        fields={"items": _("Work items"), "hours_total": _("Hours in total"), "items_completed": _("Work items completed")},
        url_name="assignments:report_detail",
    ),
)
