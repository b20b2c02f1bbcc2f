"""Work over HTTP (mounted at /api/work): my work items, one item, assign or propose, progress updates (JSON;
files by multipart), submit, accept with a rating, return with a reason, cancel, proposals, comments, apology
slips, and the planned workload on chosen home days.

Every write calls a service in ``telework.assignments.services``; every read goes through
``telework.assignments.selectors`` scoped by the caller. An item the caller may not see answers 404; one they may
see but not act on answers 403; a state that does not allow the action answers 409; bad input answers 422 — all in
the one error shape (``ErrorOut``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Router, UploadedFile
from ninja.params import P, QueryEx
from ninja.responses import Status

from telework.accounts.api_auth import NO_STAFF_RECORD, ErrorOut, api_user
from telework.accounts.api_inputs import MAX_PAGE, IsoDate, ObjectId
from telework.accounts.models import User
from telework.assignments import selectors, services
from telework.assignments.models import WorkCategory, WorkStatus
from telework.assignments.schemas import (
    AcceptIn,
    ApologySlipIn,
    ApologySlipOut,
    AttachmentOut,
    CommentBodyIn,
    CommentOut,
    NoteIn,
    ProgressIn,
    ProgressOut,
    ProposalCommentIn,
    WorkItemIn,
    WorkItemOut,
    WorkItemPageOut,
    WorkItemReasonIn,
    WorkloadOut,
    load_warning_out,
    work_item_out,
)
from telework.core.exceptions import NotFound, NotPermitted
from telework.organization import scope

router = Router(tags=["work"])

READ_ERRORS: dict[int, type[ErrorOut]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 500: ErrorOut}
WRITE_ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
    500: ErrorOut,
}
MAX_PAGE_SIZE = 200
MAX_WORKLOAD_DAYS = 92  # a quarter: the longest period a registration's home days are chosen in


def _viewer(request: HttpRequest) -> User:
    return api_user(request)


def _item(request: HttpRequest, item_id: ObjectId) -> Any:
    return selectors.work_item_get(viewer=_viewer(request), item_id=item_id)


def _fresh(request: HttpRequest, item_id: ObjectId) -> dict[str, Any]:
    return work_item_out(_item(request, item_id))


def _load_warnings(item: Any) -> list[dict[str, Any]]:
    weeks = selectors.overloaded_weeks(staff=item.staff, first_day=item.starts_on, last_day=item.due_on)
    return [load_warning_out(item.staff.full_name, week.monday, week.load) for week in weeks]


@router.get("/items", response={200: WorkItemPageOut, **READ_ERRORS}, summary="Work items in your scope, by deadline")
def item_list(
    request: HttpRequest,
    status: WorkStatus | None = None,
    mine: bool = False,
    open: bool = False,  # noqa: A002 - the query parameter's public name
    paused: bool = False,
    category: WorkCategory | None = None,
    staff: ObjectId | None = None,
    page: QueryEx[int, P(ge=1, le=MAX_PAGE)] = 1,
    page_size: QueryEx[int, P(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> dict[str, Any]:
    """Staff see their own work; a unit head their unit's subtree; agency heads and HR their agency; Home Affairs,
    city leadership and administrators the city. ``mine`` keeps only your own, ``open`` only unfinished work,
    ``status`` one state, ``staff`` one person (id), ``paused`` only work paused by a city-wide switch, ``category``
    one kind of work. Each item carries its current alerts and, when paused, its pause."""
    filters = {"status": status, "mine": mine, "open": open, "staff": staff, "paused": paused, "category": category}
    queryset = selectors.work_item_list(viewer=_viewer(request), filters=filters)
    offset = (page - 1) * page_size
    items = list(queryset[offset : offset + page_size].prefetch_related(selectors.open_pauses()))
    alerts = selectors.open_alerts_for(items)
    for item in items:
        item.open_alerts = alerts.get(item.pk, [])  # type: ignore[attr-defined]
    return {"items": [work_item_out(item) for item in items], "count": queryset.count(), "page": page, "page_size": page_size}


@router.get("/items/{item_id}", response={200: WorkItemOut, **READ_ERRORS}, summary="One work item")
def item_detail(request: HttpRequest, item_id: ObjectId) -> dict[str, Any]:
    """The item with its progress, decision, rating and current alerts. Outside your scope: 404."""
    return _fresh(request, item_id)


@router.post("/items", response={201: WorkItemOut, **WRITE_ERRORS}, summary="Assign work, or propose work for yourself")
def item_create(request: HttpRequest, payload: WorkItemIn) -> Status[dict[str, Any]]:
    """With ``staff_id`` of a person you decide for (your direct report, or someone in the unit or agency you head)
    the work is assigned to them; without it, it is your own proposal. An assignment that puts the person past 120 %
    of the office norm in a week is made, and ``load_warnings`` names each such week. Impossible dates, a past deadline or a
    deadline after a dossier's legal due date answer 422 with one detail per field."""
    viewer = _viewer(request)
    terms = payload.dict(exclude={"staff_id"})
    terms["priority"] = payload.priority.value
    terms["category"] = payload.category.value
    me = scope.own_staff(viewer)
    if payload.staff_id is not None and (me is None or payload.staff_id != me.pk):
        staff = scope.visible_staff(viewer).select_related("unit").filter(pk=payload.staff_id).first()
        if staff is None:
            raise NotFound()
        item = services.work_item_assign(actor=viewer, staff=staff, **terms)
        warnings = _load_warnings(item)
    else:
        if me is None:
            raise NotPermitted(NO_STAFF_RECORD, rule="staff_record")
        item = services.work_item_propose(actor=viewer, **terms)
        warnings = []
    return Status(201, {**_fresh(request, item.pk), "load_warnings": warnings})


@router.post("/items/{item_id}/progress", response={201: ProgressOut, **WRITE_ERRORS}, summary="Report progress on your work")
def item_progress(request: HttpRequest, item_id: ObjectId, payload: ProgressIn) -> Status[dict[str, Any]]:
    """Percent done (0–100), hours spent on ``work_date`` (0–24, at most 24 across all your work that day) and a
    note. On assigned or returned work it starts the work. Files: POST them to ``/items/{item_id}/attachments``."""
    update = services.progress_record(
        item=_item(request, item_id),
        actor=_viewer(request),
        progress_percent=payload.progress_percent,
        hours_spent=payload.hours_spent,
        note=payload.note,
        work_date=payload.work_date,
    )
    return Status(
        201,
        {
            "id": update.pk,
            "work_date": update.work_date,
            "progress_percent": update.progress_percent,
            "hours_spent": update.hours_spent,
            "note": update.note,
            "attachments": [],
            "item": _fresh(request, item_id),
        },
    )


@router.post("/items/{item_id}/attachments", response={201: list[AttachmentOut], **WRITE_ERRORS}, summary="Attach files (multipart)")
def item_attach(request: HttpRequest, item_id: ObjectId, files: File[list[UploadedFile]]) -> Status[list[dict[str, Any]]]:
    """One to five files in the multipart field ``files``: PDF, Word (.docx), Excel (.xlsx), PNG or JPEG, at most
    10 MB each (a larger file is refused by its size, unread). The type is read from the content: a file whose content does not match its name is refused (422,
    rule ``attachment``)."""
    attachments = services.attachment_add(
        item=_item(request, item_id),
        actor=_viewer(request),
        files=services.uploads_read(files),
    )
    return Status(
        201,
        [
            {
                "id": attachment.pk,
                "filename": attachment.filename,
                "kind": attachment.kind,
                "size": attachment.size,
                "url": reverse("assignments:download", args=[attachment.pk]),
            }
            for attachment in attachments
        ],
    )


@router.post("/items/{item_id}/start", response={200: WorkItemOut, **WRITE_ERRORS}, summary="Start (or resume) your work")
def item_start(request: HttpRequest, item_id: ObjectId) -> dict[str, Any]:
    """Only the assignee, on assigned or returned work."""
    services.work_item_start(item=_item(request, item_id), actor=_viewer(request))
    return _fresh(request, item_id)


@router.post("/items/{item_id}/submit", response={200: WorkItemOut, **WRITE_ERRORS}, summary="Submit your work for acceptance")
def item_submit(request: HttpRequest, item_id: ObjectId, payload: NoteIn) -> dict[str, Any]:
    """Only the assignee, on work in progress; progress becomes 100 % and the head is notified."""
    services.work_item_submit(item=_item(request, item_id), actor=_viewer(request), note=payload.note)
    return _fresh(request, item_id)


@router.post("/items/{item_id}/accept", response={200: WorkItemOut, **WRITE_ERRORS}, summary="Accept submitted work with a quality rating")
def item_accept(request: HttpRequest, item_id: ObjectId, payload: AcceptIn) -> dict[str, Any]:
    """The person's direct superior or a head in charge; rating 1–5 required."""
    services.work_item_accept(item=_item(request, item_id), actor=_viewer(request), rating=payload.rating, comment=payload.comment)
    return _fresh(request, item_id)


@router.post("/items/{item_id}/return", response={200: WorkItemOut, **WRITE_ERRORS}, summary="Return submitted work for rework (reason required)")
def item_return(request: HttpRequest, item_id: ObjectId, payload: WorkItemReasonIn) -> dict[str, Any]:
    """The person reads the reason; an empty one answers 422 (rule ``reason``)."""
    services.work_item_return(item=_item(request, item_id), actor=_viewer(request), reason=payload.reason)
    return _fresh(request, item_id)


@router.post("/items/{item_id}/cancel", response={200: WorkItemOut, **WRITE_ERRORS}, summary="Cancel work (reason required)")
def item_cancel(request: HttpRequest, item_id: ObjectId, payload: WorkItemReasonIn) -> dict[str, Any]:
    """The head cancels work no longer needed; open alerts on it close."""
    services.work_item_cancel(item=_item(request, item_id), actor=_viewer(request), reason=payload.reason)
    return _fresh(request, item_id)


@router.post("/items/{item_id}/accept-proposal", response={200: WorkItemOut, **WRITE_ERRORS}, summary="Accept a proposal: the work is assigned")
def item_accept_proposal(request: HttpRequest, item_id: ObjectId, payload: ProposalCommentIn) -> dict[str, Any]:
    """The proposer's head accepts it as proposed; ``load_warnings`` names each week it puts them past 120 % of the
    office norm."""
    item = services.work_item_accept_proposal(item=_item(request, item_id), actor=_viewer(request), comment=payload.comment)
    return {**_fresh(request, item_id), "load_warnings": _load_warnings(item)}


@router.post("/items/{item_id}/decline-proposal", response={200: WorkItemOut, **WRITE_ERRORS}, summary="Decline a proposal (reason required)")
def item_decline_proposal(request: HttpRequest, item_id: ObjectId, payload: WorkItemReasonIn) -> dict[str, Any]:
    """The proposer reads the reason."""
    services.work_item_decline_proposal(item=_item(request, item_id), actor=_viewer(request), reason=payload.reason)
    return _fresh(request, item_id)


@router.get("/items/{item_id}/comments", response={200: list[CommentOut], **READ_ERRORS}, summary="The discussion of a work item")
def item_comments(request: HttpRequest, item_id: ObjectId) -> list[dict[str, Any]]:
    """Oldest first."""
    return [
        {
            "id": comment.pk,
            "author": str(getattr(getattr(comment.author, "staff", None), "full_name", "") or comment.author),
            "created_at": comment.created_at,
            "body": comment.body,
        }
        for comment in selectors.item_comments(_item(request, item_id))
    ]


@router.post("/items/{item_id}/comments", response={201: CommentOut, **WRITE_ERRORS}, summary="Comment on a work item")
def item_comment(request: HttpRequest, item_id: ObjectId, payload: CommentBodyIn) -> Status[dict[str, Any]]:
    """The assignee and their heads; the other side is notified."""
    comment = services.comment_add(item=_item(request, item_id), actor=_viewer(request), body=payload.body)
    author = getattr(getattr(comment.author, "staff", None), "full_name", "") or str(comment.author)
    return Status(201, {"id": comment.pk, "author": author, "created_at": comment.created_at, "body": comment.body})


@router.post("/items/{item_id}/apology-slip", response={201: ApologySlipOut, **WRITE_ERRORS}, summary="Issue the apology slip of a late dossier")
def item_apology_slip(request: HttpRequest, item_id: ObjectId, payload: ApologySlipIn) -> Status[dict[str, Any]]:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (Decree 118/2025/NĐ-CP): at least ``apology_lead_days`` working day
    before the deadline, at most ``max_reschedules`` time per dossier; the deadline moves to ``new_due_date``.
    A refusal answers 409 with every rule broken in ``details``."""
    slip = services.apology_slip_issue(item=_item(request, item_id), actor=_viewer(request), reason=payload.reason, new_due_date=payload.new_due_date)
    return Status(
        201,
        {
            "sequence": slip.sequence,
            "issued_on": slip.issued_on,
            "reason": slip.reason,
            "previous_due_date": slip.previous_due_date,
            "new_due_date": slip.new_due_date,
            "item": _fresh(request, item_id),
        },
    )


@router.get("/workload", response={200: WorkloadOut, **READ_ERRORS, 403: ErrorOut}, summary="Your planned work on chosen days against the office norm")
def my_workload(request: HttpRequest, days: QueryEx[list[IsoDate], P(min_length=1, max_length=MAX_WORKLOAD_DAYS)]) -> dict[str, Any]:
    """For home days you plan to register (``days``, ISO dates, repeated, at most 92): the hours of work planned for
    you on them against the office norm (``office_norm_hours_per_day`` × working days). ``is_short`` is true below
    80 % — a registration for those days should warn, not refuse."""
    me = scope.own_staff(_viewer(request))
    if me is None:
        raise NotPermitted(NO_STAFF_RECORD, rule="staff_record")
    parsed = list(days)
    workload = selectors.home_days_workload(staff=me, days=parsed)
    return {
        "days": list(workload.days),
        "planned_hours": workload.load.planned_hours,
        "norm_hours": workload.load.norm_hours,
        "ratio": workload.load.ratio,
        "status": workload.load.status,
        "is_short": workload.is_short,
    }
