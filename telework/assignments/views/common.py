"""What the work pages share: the viewer's staff record, an item in scope, a refusal shown once, the overload
warning."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from telework.accounts.models import User
from telework.accounts.types import Viewer
from telework.assignments import explain, selectors, services
from telework.assignments.models import Alert, WorkItem
from telework.core import clock
from telework.core.exceptions import DomainError, NotFound
from telework.organization.models import Staff
from telework.organization.web import own_staff_or_403

SUCCESS_MESSAGES = {
    "start": gettext_lazy("Work started."),
    "submit": gettext_lazy("Submitted to your head for acceptance."),
    "accept": gettext_lazy("Work accepted and rated."),
    "return": gettext_lazy("Returned to the staff member with your reason."),
    "cancel": gettext_lazy("Work cancelled."),
    "accept_proposal": gettext_lazy("Proposal accepted: the work is assigned."),
    "decline_proposal": gettext_lazy("Proposal declined."),
}
HISTORY_LABELS = {
    "work_item.assign": gettext_lazy("Assigned"),
    "work_item.propose": gettext_lazy("Proposed"),
    "work_item.accept_proposal": gettext_lazy("Proposal accepted"),
    "work_item.decline_proposal": gettext_lazy("Proposal declined"),
    "work_item.start": pgettext_lazy("work item", "Started"),
    "work_item.progress": gettext_lazy("Progress reported"),
    "work_item.submit": gettext_lazy("Submitted for acceptance"),
    "work_item.accept": pgettext_lazy("work item", "Accepted"),
    "work_item.return": gettext_lazy("Returned for rework"),
    "work_item.cancel": gettext_lazy("Cancelled"),
    "work_item.comment": gettext_lazy("Comment"),
    "work_item.attach": gettext_lazy("Files attached"),
    "work_item.apology_slip": gettext_lazy("Apology slip issued"),
    "work_item.pause": gettext_lazy("Paused by a city-wide switch"),
    "work_item.resume": gettext_lazy("Resumed after a pause"),
}


# ----------------------------------------------------------------------------------------------- helpers


def _own_staff_or_403(user: Viewer) -> Staff:
    return own_staff_or_403(user, _("Only staff members have work of their own; your account is not linked to a staff record."))


def _item_or_404(user: Viewer, pk: int) -> WorkItem:
    try:
        return selectors.work_item_get(viewer=user, item_id=pk)
    except NotFound as missing:
        raise Http404 from missing


def _attach_refusal(form: Any, refusal: DomainError, fields: set[str]) -> bool:
    """Show each finding of a refusal under the field its rule names; true if at least one found a field."""
    placed = False
    for finding in refusal.details or [{"rule": refusal.rule, "message": str(refusal.message)}]:
        field = finding.get("rule") or ""
        if field in fields and field in form.fields:
            form.add_error(field, str(finding["message"]))
            placed = True
    return placed


def _shown_once(form: Any, refusal: DomainError, fields: set[str], *, file_field: str = "") -> DomainError | None:
    """Place each finding of a refusal under the field it concerns and return what is left to show above the form:
    nothing when every finding found its field (the same sentence under the field and again in an alert read as two
    errors), the refusal with only its unplaced findings otherwise. An attachment refusal goes under ``file_field``."""
    if file_field and refusal.rule == "attachment":
        form.add_error(file_field, str(refusal.message))
        return None
    findings = refusal.details or [{"rule": refusal.rule, "message": str(refusal.message)}]
    left = []
    for finding in findings:
        field = finding.get("rule") or ""
        if field in fields and field in form.fields:
            form.add_error(field, str(finding["message"]))
        else:
            left.append(finding)
    if not left:
        return None
    if len(left) == len(findings):
        return refusal
    remaining = copy.copy(refusal)
    remaining.details = left
    return remaining


def _warn_overload(request: HttpRequest, item: WorkItem) -> None:
    """After work is assigned (or a proposal accepted): one warning per week it puts the person past 120 % of the norm."""
    for week in selectors.overloaded_weeks(staff=item.staff, first_day=item.starts_on, last_day=item.due_on):
        messages.warning(request, explain.describe_overload(item.staff.full_name, week.monday, week.load))


def _uploaded(files: list[Any]) -> list[services.UploadedFile]:
    return services.uploads_read(files)


def _with_alert_texts(alerts: list[Alert]) -> list[Alert]:
    for alert in alerts:
        alert.text = explain.describe_alert(alert.kind, alert.params)  # type: ignore[attr-defined]
    return alerts


def _with_pause_text(item: WorkItem) -> WorkItem:
    """``item.pause_text``: "Paused since … by … — the deadline moves by …", or "" when the item is not paused (or no
    longer open: work accepted or cancelled during a pause has nothing left to postpone)."""
    pause = selectors.current_pause(item) if item.is_open else None
    item.pause_text = explain.describe_pause(pause, today=clock.today()) if pause is not None else ""  # type: ignore[attr-defined]
    return item


def _warn_paused(request: HttpRequest, item: WorkItem) -> None:
    """After work is created (or a proposal accepted) in a category paused today: it was created paused, and why."""
    if item.is_paused:
        text = _with_pause_text(item).pause_text  # type: ignore[attr-defined]
        messages.warning(request, _("This kind of work is paused at the moment: the work is created paused.") + " " + text)


def _item_actions(user: User, item: WorkItem) -> dict[str, bool]:
    actions = services.work_item_actions(item=item, actor=user)
    # The page's name for taking part in open work (files, and for a dossier its apology slip).
    actions["take_part"] = actions["attach"]
    return actions
