"""Every write of the assignments app. One decision, one service, one transaction with its audit row.

``items``: work items (assign, propose, progress, submit, accept, return, cancel); ``item_checks``: uploads within their
limits, shared helpers and the check-only answers; ``item_extras``: comments, files, apology slips;
``detection``: the daily stall detection; ``reports``: progress reports and their review; ``pauses``: work paused by
a city-wide switch and resumed when it ends.
"""

from telework.assignments.services.detection import DetectionSummary, detect_stalls
from telework.assignments.services.item_checks import UploadedFile, upload_problem_message, uploads_read, work_item_actions, work_item_check
from telework.assignments.services.item_extras import apology_slip_issue, attachment_add, comment_add
from telework.assignments.services.items import (
    progress_record,
    validate_terms,
    work_item_accept,
    work_item_accept_proposal,
    work_item_assign,
    work_item_cancel,
    work_item_decline_proposal,
    work_item_propose,
    work_item_return,
    work_item_start,
    work_item_submit,
)
from telework.assignments.services.pauses import PauseSummary, work_pauses_reconcile
from telework.assignments.services.reports import progress_report_review, progress_report_review_check, progress_report_submit

__all__ = [
    "DetectionSummary",
    "PauseSummary",
    "UploadedFile",
    "apology_slip_issue",
    "attachment_add",
    "comment_add",
    "detect_stalls",
    "progress_record",
    "progress_report_review",
    "progress_report_review_check",
    "progress_report_submit",
    "upload_problem_message",
    "uploads_read",
    "validate_terms",
    "work_item_accept",
    "work_item_accept_proposal",
    "work_item_actions",
    "work_item_assign",
    "work_item_cancel",
    "work_item_check",
    "work_item_decline_proposal",
    "work_item_propose",
    "work_item_return",
    "work_item_start",
    "work_item_submit",
    "work_pauses_reconcile",
]
