"""Pages for work: my work (with a quick progress update in place), a work item with its history, comments, files
and the actions the viewer may take, the assign and propose forms, the head's board, and progress reports.

Views gather input, call a selector or a service and render; no rule lives here. A refusal (``DomainError``) is
shown with the rule it names, next to the field it concerns, and nothing has changed.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from telework.assignments import explain, forms, permissions, rules, selectors, services
from telework.assignments.models import REPORT_FLOW, Alert, ProgressReport, WorkItem, WorkStatus
from telework.assignments.uploads import CONTENT_TYPES
from telework.core import calendar, clock
from telework.core.exceptions import DomainError, NotFound, ValidationFailed
from telework.core.web import is_htmx, week_monday
from telework.organization import scope
from telework.organization.models import Staff, Unit
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
}


# ----------------------------------------------------------------------------------------------- helpers


def _own_staff_or_403(user: Any) -> Staff:
    return own_staff_or_403(user, _("Only staff members have work of their own; your account is not linked to a staff record."))


def _item_or_404(user: Any, pk: int) -> WorkItem:
    try:
        return selectors.work_item_get(viewer=user, item_id=pk)
    except NotFound as missing:
        raise Http404 from missing


def _week_label(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


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


def _item_actions(user: Any, item: WorkItem) -> dict[str, bool]:
    actions = services.work_item_actions(item=item, actor=user)
    # The page's name for taking part in open work (files, and for a dossier its apology slip).
    actions["take_part"] = actions["attach"]
    return actions


# ----------------------------------------------------------------------------------------------- my work


def _card_context(request: HttpRequest, item: WorkItem, **extra: Any) -> dict[str, Any]:
    alerts = list(item.open_alerts if hasattr(item, "open_alerts") else Alert.objects.filter(item=item, resolved_at__isnull=True))
    return {
        "item": item,
        "alerts": _with_alert_texts(alerts),
        "actions": _item_actions(request.user, item),
        "today": clock.today(),
        **extra,
    }


@login_required
def mine(request: HttpRequest) -> HttpResponse:
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
def progress(request: HttpRequest, pk: int) -> HttpResponse:
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


def _work_item_form_page(request: HttpRequest, *, assign: bool) -> HttpResponse:
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
            if assign:
                _warn_overload(request, item)
            return redirect("assignments:detail", pk=item.pk)
    status = refusal.http_status if refusal else 422 if form.errors else 200
    return render(request, "assignments/form.html", {"form": form, "assign": assign, "error": refusal, "today": clock.today()}, status=status)


@login_required
def assign(request: HttpRequest) -> HttpResponse:
    """A head assigns work to a person they decide for."""
    return _work_item_form_page(request, assign=True)


@login_required
def propose(request: HttpRequest) -> HttpResponse:
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
    request: HttpRequest,
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
        "item": item,
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
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A work item: terms, progress, alerts, history, comments, files, and the viewer's actions."""
    return _render_detail(request, _item_or_404(request.user, pk))


def _perform(action: str, item: WorkItem, actor: Any, post: Any) -> None:
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
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
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
            _warn_overload(request, item)
        if request.POST.get("next") == "board":
            return redirect("assignments:board")
        return redirect("assignments:detail", pk=pk)
    return _render_detail(request, item, error=error, status=error.http_status)


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
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
def attach(request: HttpRequest, pk: int) -> HttpResponse:
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
def apology_slip(request: HttpRequest, pk: int) -> HttpResponse:
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


# ----------------------------------------------------------------------------------------------- the head's board


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The head's board for a unit and week: per person their open work, progress, hours, planned load against the
    office norm (a bar chart), stall alerts and legal-deadline risks; and what awaits the viewer's acceptance."""
    if not permissions.can_read_boards(request.user):
        raise PermissionDenied(_("The board is for heads, HR, Home Affairs and city leadership."))
    units = scope.visible_units(request.user).select_related("agency").order_by("agency__name", "path")
    requested = request.GET.get("unit", "").strip()
    unit: Unit | None
    if requested:
        unit = units.filter(pk=int(requested)).first() if requested.isdigit() else None
        if unit is None:
            raise Http404(_("No such unit in your scope."))
    else:
        me = scope.own_staff(request.user)
        unit = (units.filter(pk=me.unit_id).first() if me else None) or units.first()
    today = clock.today()
    monday = week_monday(request.GET.get("week"), today)
    rows = selectors.board(viewer=request.user, unit=unit, monday=monday) if unit else []
    for row in rows:
        _with_alert_texts(row.alerts)
        row.load_text = explain.describe_load(row.load)  # type: ignore[attr-defined]
    norm_hours = None
    if unit is not None:
        from telework.policy.selectors import policy_for_unit

        norm_hours = policy_for_unit(unit, monday).parameters.office_norm_hours_per_day
    chart = {
        "labels": [row.staff.full_name for row in rows],
        "percent": [round(row.load.ratio * 100) if row.load.ratio is not None else 0 for row in rows],
        "status": [row.load.status for row in rows],
        "planned": [row.load.planned_hours for row in rows],
        "norm": [row.load.norm_hours for row in rows],
        "under": round(rules.UNDERLOAD_BELOW * 100),
        "over": round(rules.OVERLOAD_ABOVE * 100),
    }
    context = {
        "units": list(units),
        "unit": unit,
        "rows": rows,
        "chart": chart,
        "monday": monday,
        "week_days": selectors.week_days(monday),
        "week": _week_label(monday),
        "previous_week": _week_label(monday - dt.timedelta(days=7)),
        "next_week": _week_label(monday + dt.timedelta(days=7)),
        "this_week": _week_label(today - dt.timedelta(days=today.weekday())),
        "today": today,
        "norm_hours_per_day": norm_hours,
        "under_percent": chart["under"],
        "over_percent": chart["over"],
        "stall_days": rules.STALL_WORKING_DAYS,
        "awaiting": selectors.awaiting_my_acceptance(viewer=request.user),
        "can_assign": permissions.is_head(request.user),
        "alert_count": sum(len(row.alerts) for row in rows),
    }
    return render(request, "assignments/board.html", context)


# ----------------------------------------------------------------------------------------------- progress reports


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """Reports: the viewer's own, and those of the people they may see, by person and week."""
    me = scope.own_staff(request.user)
    can_read_others = permissions.can_read_boards(request.user)
    if me is None and not can_read_others:
        raise PermissionDenied(_("Your account is not linked to a staff record."))
    today = clock.today()
    filters: dict[str, Any] = {}
    week = request.GET.get("week", "").strip()
    if week:
        filters["week"] = week_monday(week, today)
    person = request.GET.get("staff", "").strip()
    if person.isdigit():
        filters["staff"] = int(person)
    if not can_read_others:
        filters["mine"] = True
    listed = list(selectors.report_list(viewer=request.user, filters=filters)[:200])
    to_review = [
        report
        for report in listed
        if REPORT_FLOW.allows(report.status, "review") and services.progress_report_review_check(report=report, actor=request.user).is_allowed
    ]
    people = list(scope.visible_staff(request.user).filter(is_active=True).order_by("full_name")[:500]) if can_read_others else []
    context = {
        "reports": listed,
        "to_review": to_review,
        "people": people,
        "week": week,
        "person": int(person) if person.isdigit() else None,
        "is_staff_member": me is not None,
        "can_read_others": can_read_others,
        "this_week": _week_label(today - dt.timedelta(days=today.weekday())),
    }
    return render(request, "assignments/reports.html", context)


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    """Write a daily or weekly report: the lines are assembled from one's work items; one adds a note."""
    me = _own_staff_or_403(request.user)
    today = clock.today()
    data = request.POST if request.method == "POST" else None
    form = forms.ReportForm(data, initial={"day": today, "period": "weekly"})
    refusal: DomainError | None = None
    status = 422
    if data is not None and form.is_valid():
        try:
            report = services.progress_report_submit(
                actor=request.user, period=form.cleaned_data["period"], day=form.cleaned_data["day"], note=form.cleaned_data["note"]
            )
        except DomainError as error:
            status = error.http_status
            refusal = _shown_once(form, error, {"day", "note", "period"})
        else:
            messages.success(request, _("Report sent to your direct superior."))
            return redirect("assignments:report_detail", pk=report.pk)
    period = (form.cleaned_data.get("period") if form.is_bound and form.is_valid() else None) or "weekly"
    day = (form.cleaned_data.get("day") if form.is_bound and form.is_valid() else None) or today
    context = {"form": form, "error": refusal, "preview": _report_preview(me, period, day), "me": me}
    return render(request, "assignments/report_form.html", context, status=200 if data is None or not (refusal or form.errors) else status)


def _report_preview(staff: Staff, period: str, day: dt.date) -> dict[str, Any]:
    first, last = selectors.report_period_bounds(period, day)
    lines = selectors.report_lines(staff, first, last)
    for line in lines:
        line["status_label"] = WorkStatus(line["status"]).label
    existing = ProgressReport.objects.filter(staff=staff, period=period, period_start=first).first()
    return {"first": first, "last": last, "lines": lines, "hours": sum(float(line["hours"]) for line in lines), "period": period, "existing": existing}


@login_required
@require_POST
def report_preview(request: HttpRequest) -> HttpResponse:
    """HTMX: what the report will contain for the period chosen."""
    me = _own_staff_or_403(request.user)
    form = forms.ReportForm(request.POST)
    form.is_valid()
    period = form.cleaned_data.get("period") or "weekly"
    day = form.cleaned_data.get("day") or clock.today()
    return render(request, "assignments/_report_lines.html", {"preview": _report_preview(me, period, day)})


def _report_or_404(user: Any, pk: int) -> ProgressReport:
    try:
        return selectors.report_get(viewer=user, report_id=pk)
    except NotFound as missing:
        raise Http404 from missing


def _render_report(request: HttpRequest, report: ProgressReport, *, form: Any = None, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    lines = [dict(line, status_label=WorkStatus(line["status"]).label) for line in report.lines]
    context = {
        "report": report,
        "lines": lines,
        "can_review": services.progress_report_review_check(report=report, actor=request.user).is_allowed,
        "form": form or forms.ReviewForm(),
        "error": error,
        "is_owner": scope.own_staff(request.user) == report.staff,
    }
    return render(request, "assignments/report_detail.html", context, status=status)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One report as it was sent, with the head's review."""
    return _render_report(request, _report_or_404(request.user, pk))


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The head comments on a report."""
    report = _report_or_404(request.user, pk)
    form = forms.ReviewForm(request.POST)
    error: DomainError | None = None
    if form.is_valid():
        try:
            services.progress_report_review(report=report, actor=request.user, comment=form.cleaned_data["comment"])
        except DomainError as refusal:
            error = refusal
    if error is None and not form.errors:
        messages.success(request, _("Review sent to the staff member."))
        return redirect("assignments:report_detail", pk=pk)
    return _render_report(request, report, form=form, error=error, status=error.http_status if error else 422)
