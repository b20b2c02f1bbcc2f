"""Pages for work: my work (with a quick progress update in place), a work item with its history, comments, files
and the actions the viewer may take, the assign and propose forms, the head's board, and progress reports.

Views gather input, call a selector or a service and render; no rule lives here. A refusal (``DomainError``) is
shown with the rule it names, next to the field it concerns, and nothing has changed.
"""

from __future__ import annotations

from telework.assignments.views.board import board, report_detail, report_new, report_preview, report_review, reports
from telework.assignments.views.work import act, apology_slip, assign, attach, comment, detail, download, legal_due_preview, mine, progress, propose

__all__ = [
    "act",
    "apology_slip",
    "assign",
    "attach",
    "board",
    "comment",
    "detail",
    "download",
    "legal_due_preview",
    "mine",
    "progress",
    "propose",
    "report_detail",
    "report_new",
    "report_preview",
    "report_review",
    "reports",
]
