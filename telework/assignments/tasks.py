"""Background work for assignments. Tasks take ids, call a service or send messages, and are idempotent: every
notification has a key, so a retried task sends nothing twice.

``assignments.detect_stalls`` runs on a schedule (``CELERY_BEAT_SCHEDULE``) when Celery workers are configured;
in the embedded default the in-process scheduler (``core.scheduler``) runs the same task; services queue tasks by name
(``core.background.enqueue``), so this module imports the services it calls and no service imports it.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from telework.accounts.types import Viewer
from telework.assignments import explain
from telework.assignments.models import Alert, Comment, ProgressReport, WorkItem, WorkPause
from telework.assignments.services import detect_stalls
from telework.core import clock
from telework.core.notifications import NotificationCategory, notify_user
from telework.organization.heads import agency_heads, heads_of


def _deliver(user: Viewer, *, key: str, title: str, body: str, url: str, category: str = NotificationCategory.APPROVALS) -> None:
    """To an active account: in the app, and by the channels the person chose for ``category`` (e-mail goes to the
    account's address, or else to the one HR recorded on the staff record: ``core.notifications``)."""
    if user is None or not user.is_active:
        return
    notify_user(user, key=key, title=title, body=body, url=url, category=category)


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
            category = NotificationCategory.WORK_ALERTS if event == "apology_slip" else NotificationCategory.APPROVALS
            for user in recipients:
                _deliver(user, key=key, title=to_heads[event], body=item.title, url=url, category=category)


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
                _deliver(user, key=f"work-comment:{comment.pk}", title=title, body=comment.body[:500], url=url, category=NotificationCategory.COMMENTS)


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
                _deliver(user, key=f"work-alert:{alert.pk}", title=title, body=body, url=url, category=NotificationCategory.WORK_ALERTS)


@shared_task(name="assignments.notify_work_pauses")
def notify_work_pauses(pause_ids: list[int], event: str) -> None:
    """Work paused or resumed by a city-wide switch: each assignee is told about each of their items (since when, by
    which switch, and on resume the new deadline, or that a legal deadline stays); each head gets one message for the
    batch, counting the items of the people they answer for. Keyed by pause and event: a retry sends nothing twice."""
    pauses = list(
        WorkPause.objects.filter(pk__in=pause_ids)
        .select_related("item__staff__user", "item__staff__direct_superior__user", "item__assigned_by", "item__unit")
        .order_by("pk")
    )
    if not pauses or event not in {"paused", "resumed"}:
        return
    board = reverse("assignments:board")
    by_head: dict[int, tuple[Any, list[WorkPause]]] = {}
    with translation.override("vi"):
        for pause in pauses:
            item = pause.item
            if event == "paused":
                title = _("Work paused: %(title)s") % {"title": item.title}
                body = explain.describe_pause(pause, today=pause.paused_on)
            else:
                title = _("Work resumed: %(title)s") % {"title": item.title}
                body = explain.describe_resume(pause)
            if item.staff.user is not None:
                url = reverse("assignments:detail", args=[item.pk])
                _deliver(item.staff.user, key=f"work-pause:{pause.pk}:{event}", title=title, body=body, url=url, category=NotificationCategory.WORK_ALERTS)
            for head in _heads(item):
                if head is not None and head != item.staff.user:
                    by_head.setdefault(head.pk, (head, []))[1].append(pause)
        for head, batch in by_head.values():
            count = len(batch)
            switch = explain.switch_label(batch[0].switch_kind)
            if event == "paused":
                title = ngettext("%(count)s work item paused by %(switch)s", "%(count)s work items paused by %(switch)s", count) % {
                    "count": count,
                    "switch": switch,
                }
            else:
                title = ngettext("%(count)s paused work item resumed", "%(count)s paused work items resumed", count) % {"count": count}
            lines = [f"- {pause.item.title} ({pause.item.staff.full_name})" for pause in batch[:20]]
            if count > 20:
                lines.append(_("…and %(count)s more.") % {"count": count - 20})
            legal = sum(1 for pause in batch if pause.legal_deadline_kept)
            if legal:
                lines.append(
                    ngettext(
                        "%(count)s of them has a legal deadline, which does not move: handle it online or issue an apology slip.",
                        "%(count)s of them have a legal deadline, which does not move: handle them online or issue an apology slip.",
                        legal,
                    )
                    % {"count": legal}
                )
            key = f"work-pauses:{event}:{batch[0].pk}-{batch[-1].pk}-{count}"
            _deliver(head, key=key, title=title, body="\n".join(lines), url=f"{board}?paused=1", category=NotificationCategory.WORK_ALERTS)


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
