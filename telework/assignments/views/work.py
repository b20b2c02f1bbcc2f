"""A staff member's work and one item: my work, progress, creating work, the item page and its actions, comments,
files, apology slips."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from telework.accounts.models import User
from telework.accounts.types import AuthenticatedHttpRequest
from telework.assignments import explain, forms, permissions, rules, selectors, services
from telework.assignments.models import Alert, WorkItem, WorkStatus
from telework.assignments.uploads import CONTENT_TYPES
from telework.assignments.views.common import (
    HISTORY_LABELS,
    SUCCESS_MESSAGES,
    _attach_refusal,
    _item_actions,
    _item_or_404,
    _own_staff_or_403,
    _shown_once,
    _uploaded,
    _warn_overload,
    _warn_paused,
    _with_alert_texts,
    _with_pause_text,
)
from telework.core import calendar, clock
from telework.core.exceptions import DomainError, NotFound, ValidationFailed
from telework.core.web import is_htmx

# ----------------------------------------------------------------------------------------------- my work


def _card_context(request: AuthenticatedHttpRequest, item: WorkItem, **extra: Any) -> dict[str, Any]:
    alerts = list(item.open_alerts if hasattr(item, "open_alerts") else Alert.objects.filter(item=item, resolved_at__isnull=True))
    return {
        "item": _with_pause_text(item),
        "alerts": _with_alert_texts(alerts),
        "actions": _item_actions(request.user, item),
        "today": clock.today(),
        **extra,
    }


@login_required
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The staff member's work by what it calls for: returned, in hand, proposed, awaiting acceptance, closed."""
    me = _own_staff_or_403(request.user)
    groups = []
    for status, items in selectors.my_work(viewer=request.user):
        cards = [
            _card_context(request, item, form=forms.ProgressForm(initial={"progress_percent": item.progress_percent}, auto_id=f"p{item.pk}_%s"))
            for item in items
        ]
        groups.append({"status": status, "label": WorkStatus(status).label, "cards": cards})
    monday = clock.today() - dt.timedelta(days=clock.today().weekday())
    load = selectors.week_workloads([me], monday)[me.pk]
    return render(
        request,
        "assignments/mine.html",
        {"groups": groups, "me": me, "load": load, "load_text": explain.describe_load(load), "is_head": permissions.is_head(request.user)},
    )


@login_required
@require_POST
def progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record progress: in place on "My work" (HTMX: the card is replaced, with the refusal if any) or from the
    item's page (redirect back, or the page again with the errors next to their fields)."""
    item = _item_or_404(request.user, pk)
    form = forms.ProgressForm(request.POST, request.FILES, auto_id=f"p{item.pk}_%s")
    error: DomainError | None = None
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_record(
                item=item,
                actor=request.user,
                progress_percent=data["progress_percent"],
                hours_spent=data["hours_spent"] or 0,
                note=data["note"],
                work_date=data["work_date"],
                files=_uploaded(data["attachments"]),
            )
        except DomainError as refusal:
            status = refusal.http_status
            error = _shown_once(form, refusal, forms.PROGRESS_FIELDS, file_field="attachments")
    if is_htmx(request):
        fresh = _item_or_404(request.user, pk)
        done = None if (error or form.errors) else _("Progress recorded.")
        card_form = form if (error or form.errors) else forms.ProgressForm(initial={"progress_percent": fresh.progress_percent}, auto_id=f"p{fresh.pk}_%s")
        # 200 even for a refusal: HTMX swaps only successful responses into the page.
        return render(request, "assignments/_item_card.html", _card_context(request, fresh, form=card_form, error=error, done=done))
    if error is None and not form.errors:
        messages.success(request, _("Progress recorded."))
        return redirect("assignments:detail", pk=pk)
    return _render_detail(request, item, progress_form=form, error=error, status=status)


# ----------------------------------------------------------------------------------------------- creating work


def _work_item_form_page(request: AuthenticatedHttpRequest, *, assign: bool) -> HttpResponse:
    if assign:
        queryset = permissions.decidable_staff(request.user)
        if not queryset.exists():
            raise PermissionDenied(_("Only heads and direct superiors assign work."))
    else:
        _own_staff_or_403(request.user)
        queryset = None
    initial: dict[str, Any] = {}
    if assign and request.GET.get("staff", "").isdigit():
        initial["staff"] = int(request.GET["staff"])
    data = request.POST if request.method == "POST" else None
    form = forms.WorkItemForm(data, initial=initial, staff_queryset=queryset)
    refusal: DomainError | None = None
    if data is not None and form.is_valid():
        try:
            if assign:
                item = services.work_item_assign(actor=request.user, staff=form.cleaned_data["staff"], **form.terms())
            else:
                item = services.work_item_propose(actor=request.user, **form.terms())
        except DomainError as error:
            # Field problems show next to their fields; a rule about the person (not a field) shows above the form.
            placed = _attach_refusal(form, error, forms.WORK_ITEM_FIELDS)
            refusal = None if placed and isinstance(error, ValidationFailed) else error
        else:
            messages.success(request, _("Work assigned; the staff member is notified.") if assign else _("Proposal sent to your head."))
            _warn_paused(request, item)
            if assign:
                _warn_overload(request, item)
            return redirect("assignments:detail", pk=item.pk)
    status = refusal.http_status if refusal else 422 if form.errors else 200
    return render(request, "assignments/form.html", {"form": form, "assign": assign, "error": refusal, "today": clock.today()}, status=status)


@login_required
def assign(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A head assigns work to a person they decide for."""
    return _work_item_form_page(request, assign=True)


@login_required
def propose(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A staff member proposes work for themselves; their head accepts or declines it."""
    return _work_item_form_page(request, assign=False)


@login_required
@require_POST
def legal_due_preview(request: HttpRequest) -> HttpResponse:
    """HTMX: the legal due date as the received date and working days are typed, holidays accounted for."""
    received = forms.WorkItemForm.base_fields["dossier_received_on"]
    days = request.POST.get("legal_deadline_working_days", "").strip()
    context: dict[str, Any] = {}
    try:
        received_on = received.clean(request.POST.get("dossier_received_on", ""))
    except ValidationError:
        received_on = None  # not a date yet: no preview
    if received_on and days.isdigit() and 1 <= int(days) <= 365:
        due = rules.legal_due_date(received_on, int(days))
        skipped = [
            {"day": day, "name": explain.holiday_label(day)}
            for day in calendar.days_between(received_on + dt.timedelta(days=1), due)
            if calendar.holiday_name(day) and day.weekday() < 5
        ]
        context = {"due": due, "days": int(days), "received_on": received_on, "holidays": skipped}
        context["slip_deadline"] = rules.apology_slip_deadline(due, rules.DetectionParameters())
    return render(request, "assignments/_legal_due.html", context)


# ----------------------------------------------------------------------------------------------- one item


def _render_detail(
    request: AuthenticatedHttpRequest,
    item: WorkItem,
    *,
    error: DomainError | None = None,
    progress_form: Any = None,
    comment_form: Any = None,
    slip_form: Any = None,
    attach_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    item = _item_or_404(request.user, item.pk)
    actions = _item_actions(request.user, item)
    updates = selectors.item_updates(item)
    slips = list(item.apology_slips.select_related("issued_by"))
    parameters = rules.DetectionParameters()
    history = selectors.item_history(item)
    submissions = [entry for entry in history if entry.action == "work_item.submit"]
    context = {
        "item": _with_pause_text(item),
        "pauses": selectors.item_pauses(item),
        "actions": actions,
        "error": error,
        "alerts": _with_alert_texts(list(Alert.objects.filter(item=item, resolved_at__isnull=True))),
        "updates": updates,
        "comments": selectors.item_comments(item),
        "attachments": selectors.item_attachments(item),
        "history": [
            {
                "entry": entry,
                "label": HISTORY_LABELS.get(entry.action, entry.action),
                "status": WorkStatus(entry.after["status"]).label if entry.after.get("status") in WorkStatus.values else "",
            }
            for entry in history
        ],
        "submit_note": submissions[0].reason if submissions and item.status == WorkStatus.SUBMITTED else "",
        "slips": slips,
        "slip_deadline": rules.apology_slip_deadline(item.due_on, parameters) if item.is_legal_deadline else None,
        "slip_allowed": len(slips) < parameters.max_reschedules,
        "progress_form": progress_form or forms.ProgressForm(initial={"progress_percent": item.progress_percent, "work_date": clock.today()}),
        "comment_form": comment_form or forms.CommentForm(),
        "slip_form": slip_form or forms.ApologySlipForm(),
        "attach_form": attach_form or forms.AttachForm(),
        "accept_form": forms.AcceptForm(),
        "rating_choices": forms.RATING_CHOICES,
        "today": clock.today(),
        "is_assignee": permissions.is_assignee(request.user, item),
        "can_manage": permissions.can_manage(request.user, item),
    }
    return render(request, "assignments/detail.html", context, status=status)


@login_required
def detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A work item: terms, progress, alerts, history, comments, files, and the viewer's actions."""
    return _render_detail(request, _item_or_404(request.user, pk))


def _perform(action: str, item: WorkItem, actor: User, post: Any) -> None:
    comment = post.get("comment", "")
    if action == "start":
        services.work_item_start(item=item, actor=actor)
    elif action == "submit":
        services.work_item_submit(item=item, actor=actor, note=comment)
    elif action == "accept":
        form = forms.AcceptForm(post)
        if not form.is_valid():
            raise ValidationFailed(_("Rate the quality from 1 to 5."), rule="quality_rating")
        services.work_item_accept(item=item, actor=actor, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
    elif action == "return":
        services.work_item_return(item=item, actor=actor, reason=comment)
    elif action == "cancel":
        services.work_item_cancel(item=item, actor=actor, reason=comment)
    elif action == "accept_proposal":
        services.work_item_accept_proposal(item=item, actor=actor, comment=comment)
    elif action == "decline_proposal":
        services.work_item_decline_proposal(item=item, actor=actor, reason=comment)
    else:
        raise Http404


@login_required
@require_POST
def act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    """Start, submit, accept (with a rating), return, cancel, accept or decline a proposal."""
    if action not in SUCCESS_MESSAGES:
        raise Http404
    item = _item_or_404(request.user, pk)
    if len(request.POST.get("comment", "")) > 4000:
        error: DomainError | None = ValidationFailed(_("At most %(count)s characters.") % {"count": 4000}, rule="comment")
    else:
        error = None
        try:
            _perform(action, item, request.user, request.POST)
        except DomainError as refusal:
            error = refusal
    if error is None:
        messages.success(request, SUCCESS_MESSAGES[action])
        if action == "accept_proposal":
            _warn_paused(request, _item_or_404(request.user, pk))
            _warn_overload(request, item)
        if request.POST.get("next") == "board":
            return redirect("assignments:board")
        return redirect("assignments:detail", pk=pk)
    return _render_detail(request, item, error=error, status=error.http_status)


@login_required
@require_POST
def comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Add a comment (HTMX: the thread is replaced with the new comment in it)."""
    item = _item_or_404(request.user, pk)
    form = forms.CommentForm(request.POST)
    error: DomainError | None = None
    if form.is_valid():
        try:
            services.comment_add(item=item, actor=request.user, body=form.cleaned_data["body"])
        except DomainError as refusal:
            error = refusal
    if is_htmx(request):
        fresh_form = form if (error or form.errors) else forms.CommentForm()
        context = {
            "item": item,
            "comments": selectors.item_comments(item),
            "comment_form": fresh_form,
            "error": error,
            "actions": _item_actions(request.user, item),
        }
        return render(request, "assignments/_comments.html", context)
    if error is None and not form.errors:
        return redirect("assignments:detail", pk=pk)
    return _render_detail(request, item, error=error, comment_form=form, status=error.http_status if error else 422)


@login_required
@require_POST
def attach(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Attach files to open work."""
    item = _item_or_404(request.user, pk)
    form = forms.AttachForm(request.POST, request.FILES)
    error: DomainError | None = None
    status = 422
    if form.is_valid():
        try:
            services.attachment_add(item=item, actor=request.user, files=_uploaded(form.cleaned_data["attachments"]))
        except DomainError as refusal:
            status = refusal.http_status
            error = _shown_once(form, refusal, set(), file_field="attachments")
    if error is None and not form.errors:
        messages.success(request, _("File attached."))
        return redirect("assignments:detail", pk=pk)
    return _render_detail(request, item, error=error, attach_form=form, status=status)


@login_required
@require_POST
def apology_slip(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Issue the apology slip of a dossier that will be late, with the reason and a new date."""
    item = _item_or_404(request.user, pk)
    form = forms.ApologySlipForm(request.POST)
    error: DomainError | None = None
    status = 422
    if form.is_valid():
        try:
            services.apology_slip_issue(item=item, actor=request.user, reason=form.cleaned_data["reason"], new_due_date=form.cleaned_data["new_due_date"])
        except DomainError as refusal:
            status = refusal.http_status
            error = _shown_once(form, refusal, {"new_due_date", "reason"})
    if error is None and not form.errors:
        messages.success(request, _("Apology slip issued; the new date is recorded and your head is notified."))
        return redirect("assignments:detail", pk=pk)
    return _render_detail(request, item, error=error, slip_form=form, status=status)


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment, to anyone who may see its work item; always as a download, never rendered in the page."""
    try:
        attachment = selectors.attachment_get(viewer=request.user, attachment_id=pk)
    except NotFound as missing:
        raise Http404 from missing
    response = HttpResponse(bytes(attachment.content), content_type=CONTENT_TYPES.get(attachment.kind, "application/octet-stream"))
    response["Content-Disposition"] = _content_disposition(attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(attachment.size)
    return response


def _content_disposition(filename: str) -> str:
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "ignore").decode() or "attachment"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
