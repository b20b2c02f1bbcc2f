"""Background work for assignments. Tasks take ids, call a service or send messages, and are idempotent: every
notification has a key, so a retried task sends nothing twice.

``assignments.detect_stalls`` runs on a schedule (``CELERY_BEAT_SCHEDULE``) when Celery workers are configured;
in the embedded default the in-process scheduler (``core.scheduler``) runs the same task; services queue tasks by name
(``core.background.enqueue``), so this module imports the services it calls and no service imports it.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from telework.accounts.types import Viewer
from telework.assignments import explain
from telework.assignments.models import Alert, Comment, ProgressReport, WorkItem
from telework.assignments.services import detect_stalls
from telework.core import clock
from telework.core.models import Notification
from telework.core.notifications import notify_user
from telework.organization.heads import agency_heads, heads_of


def _deliver(user: Viewer, *, key: str, title: str, body: str, url: str) -> None:
    """In the app, and by email: to the account's address, or else to the address on the staff record (HR imports
    it there)."""
    if user is None or not user.is_active:
        return
    is_new = not Notification.objects.filter(user=user, key=key[:200]).exists()
    notify_user(user, key=key, title=title, body=body, url=url)
    if is_new and not user.email:
        staff = getattr(user, "staff", None)
        if staff is not None and staff.email:
            send_mail(title, f"{body}\n\n{url}".strip(), None, [staff.email], fail_silently=True)


def _heads(item: Any) -> list[Any]:
    """Who answers for the person's work: their heads (``organization.heads.heads_of``), and whoever assigned it (when
    someone else)."""
    users = list(heads_of(item.staff))
    if item.assigned_by is not None and item.assigned_by not in users and item.assigned_by != item.staff.user:
        users.append(item.assigned_by)
    return users


def _item(item_id: int) -> Any:

    return WorkItem.objects.select_related("staff__user", "staff__direct_superior__user", "assigned_by", "decided_by", "unit").filter(pk=item_id).first()


@shared_task(name="assignments.notify_work_event")
def notify_work_event(item_id: int, event: str) -> None:
    """Tell the other side that a work item changed: the person when work is assigned or decided, the head when
    work is proposed, submitted or an apology slip issued (and the agency head for the slip)."""
    item = _item(item_id)
    if item is None:
        return
    url = reverse("assignments:detail", args=[item.pk])
    with translation.override("vi"):
        name = item.staff.full_name
        to_person = {
            "assigned": _("New work assigned to you: %(title)s") % {"title": item.title},
            "proposal_accepted": _("Your proposed work was accepted: %(title)s") % {"title": item.title},
            "proposal_declined": _("Your proposed work was declined: %(title)s") % {"title": item.title},
            "accepted": _("Your work was accepted: %(title)s") % {"title": item.title},
            "returned": _("Your work was returned for rework: %(title)s") % {"title": item.title},
            "cancelled": _("Work cancelled: %(title)s") % {"title": item.title},
        }
        to_heads = {
            "proposed": _("%(name)s proposes work: %(title)s") % {"name": name, "title": item.title},
            "submitted": _("%(name)s submitted work for acceptance: %(title)s") % {"name": name, "title": item.title},
            "apology_slip": _("Apology slip issued for dossier %(code)s (%(name)s): new date %(date)s")
            % {"code": item.dossier_code, "name": name, "date": item.due_on.strftime("%d/%m/%Y")},
        }
        # The moment the event happened makes the key: a second submission after a return is a new message.
        moments = {"assigned": item.created_at, "proposed": item.created_at, "submitted": item.submitted_at, "apology_slip": item.updated_at}
        key = f"work:{item.pk}:{event}:{(moments.get(event, item.decided_at) or clock.now()).isoformat()}"
        if event in to_person:
            body = item.decision_comment if event in {"returned", "cancelled", "proposal_declined"} else item.description[:500]
            if event == "accepted" and item.quality_rating:
                body = _("Quality rating: %(rating)s/5. %(comment)s") % {"rating": item.quality_rating, "comment": item.rating_comment}
            _deliver(item.staff.user, key=key, title=to_person[event], body=body, url=url)
        elif event in to_heads:
            recipients = _heads(item)
            if event == "apology_slip":
                recipients += [user for user in agency_heads(item.unit.agency_id) if user not in recipients]
            for user in recipients:
                _deliver(user, key=key, title=to_heads[event], body=item.title, url=url)


@shared_task(name="assignments.notify_comment")
def notify_comment(comment_id: int) -> None:
    """A new comment reaches the other side of the conversation: the person, or their heads."""

    comment = Comment.objects.select_related("author").filter(pk=comment_id).first()
    if comment is None:
        return
    item = _item(comment.item_id)
    url = reverse("assignments:detail", args=[item.pk]) + f"#comment-{comment.pk}"
    recipients = [item.staff.user, *_heads(item)]
    with translation.override("vi"):
        author = getattr(getattr(comment.author, "staff", None), "full_name", "") or comment.author.get_full_name() or comment.author.username
        title = _("%(author)s commented on “%(title)s”") % {"author": author, "title": item.title}
        for user in recipients:
            if user is not None and user != comment.author:
                _deliver(user, key=f"work-comment:{comment.pk}", title=title, body=comment.body[:500], url=url)


@shared_task(name="assignments.notify_alert")
def notify_alert(alert_id: int) -> None:
    """A stall or deadline alert, to the person and their head; a legal deadline's also to the agency head(s)."""

    alert = Alert.objects.filter(pk=alert_id).first()
    if alert is None:
        return
    item = _item(alert.item_id)
    url = reverse("assignments:detail", args=[item.pk])
    recipients = [item.staff.user, *_heads(item)]
    if alert.is_escalated:
        recipients += [user for user in agency_heads(item.unit.agency_id) if user not in recipients]
    with translation.override("vi"):
        title = _("%(kind)s: %(title)s (%(name)s)") % {"kind": alert.get_kind_display(), "title": item.title, "name": item.staff.full_name}
        body = explain.describe_alert(alert.kind, alert.params)
        for user in recipients:
            if user is not None:
                _deliver(user, key=f"work-alert:{alert.pk}", title=title, body=body, url=url)


@shared_task(name="assignments.notify_report_event")
def notify_report_event(report_id: int, event: str) -> None:
    """A report sent reaches the direct superior; a review reaches the person."""

    report = ProgressReport.objects.select_related("staff__user", "staff__direct_superior__user", "reviewed_by").filter(pk=report_id).first()
    if report is None:
        return
    url = reverse("assignments:report_detail", args=[report.pk])
    with translation.override("vi"):
        period = f"{report.period_start:%d/%m/%Y}" if report.period_start == report.period_end else f"{report.period_start:%d/%m}–{report.period_end:%d/%m/%Y}"
        if event == "submitted":
            superior = report.staff.direct_superior
            if superior is not None and superior.user is not None:
                _deliver(
                    superior.user,
                    key=f"work-report:{report.pk}:submitted:{report.submitted_at.isoformat()}",
                    title=_("Progress report from %(name)s, %(period)s") % {"name": report.staff.full_name, "period": period},
                    body=report.note[:500],
                    url=url,
                )
        elif event == "reviewed" and report.staff.user is not None:
            _deliver(
                report.staff.user,
                key=f"work-report:{report.pk}:reviewed",
                title=_("Your head reviewed your progress report, %(period)s") % {"period": period},
                body=report.review_comment[:500],
                url=url,
            )


@shared_task(name="assignments.detect_stalls")
def detect_stalls_task(today: str | None = None) -> dict[str, Any]:
    """The scheduled stall detection (``services.detect_stalls``); ``today`` as an ISO date, default the local date."""
    import datetime as dt

    return detect_stalls(today=dt.date.fromisoformat(today) if today else None).as_dict()
