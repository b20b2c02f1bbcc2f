"""Background work for rosters. Tasks take ids, call a service or send a message, and are idempotent (notifications are
keyed, so a retried task sends nothing twice).

Tasks sit above the services: they import them, and register at the bottom of this module which task carries out each
follow-up a service names (``services.follow_ups``); no service imports this module.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core.notifications import NotificationCategory, notify_user
from telework.organization.heads import heads_of, unit_heads
from telework.rosters.models import LeaveRequest, Roster, RosterEntry, RosterRun, SwapRequest
from telework.rosters.selectors import cell_label, weekday_name
from telework.rosters.services import follow_ups, generate_units_chunk, roster_run_execute, roster_runs_requeue_stalled, rosters_regenerate_after_switch


def _roster_url(roster_id: int) -> str:
    try:
        return reverse("rosters:version", args=[roster_id])
    except NoReverseMatch:
        return ""


@shared_task(name="rosters.resolve_after_switch")
def resolve_after_switch_task(kind: str, is_active: bool, actor_id: int | None) -> None:
    """Re-generate this week's and next week's rosters after a city-wide switch changed (``actor_id`` is the person
    who switched; the re-generation itself is the system's). Switch changes now re-solve through
    ``policy.tasks.switch_follow_up_task``; this task stays registered for messages queued before that change."""
    rosters_regenerate_after_switch(kind=kind, is_active=is_active)


@shared_task(name="rosters.generate_run")
def generate_run_task(run_id: int) -> None:
    """Carry out a many-unit generation started from the screens (delivered again after a worker died, it fans out
    nothing twice: ``runs._fan_out`` finds the run's ledger)."""
    run = RosterRun.objects.select_related("agency", "started_by").filter(pk=run_id, status=RosterRun.Status.RUNNING, finished_at__isnull=True).first()
    if run is None or run.units_done:
        return
    roster_run_execute(run=run)


@shared_task(name="rosters.generate_units")
def generate_units_task(run_id: int, unit_ids: list[int], week_start: str, actor_id: int | None, reason: str) -> int:
    """One chunk of a run fanned out to Celery workers (units of a few agencies); idempotent, so it may be delivered
    again (acks_late: a worker killed mid-chunk leaves the message to another)."""
    run = RosterRun.objects.filter(pk=run_id).first()
    if run is None:
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return generate_units_chunk(run=run, unit_ids=unit_ids, week_start=dt.date.fromisoformat(week_start), actor=actor, reason=reason)


@shared_task(name="rosters.requeue_stalled_runs")
def requeue_stalled_runs_task() -> dict[str, int]:
    """The sweep: queue again the units of roster runs that stored nothing for ``ROSTER_RUN_STALL_MINUTES``."""
    return roster_runs_requeue_stalled()


@shared_task(name="rosters.notify_published")
def notify_roster_published_task(roster_id: int) -> int:
    """Tell every staff member of the unit that the week's roster is published, with their own days."""
    roster = Roster.objects.select_related("unit").filter(pk=roster_id).first()
    if roster is None:
        return 0
    entries = RosterEntry.objects.filter(roster=roster).select_related("staff__user", "service_point").order_by("staff_id", "day")
    days_by_staff: dict[int, list[RosterEntry]] = {}
    for entry in entries:
        days_by_staff.setdefault(entry.staff_id, []).append(entry)
    sent = 0
    url = _roster_url(roster.pk)
    with translation.override("vi"):
        title = _("The roster for week %(week)s of %(unit)s is published") % {"week": roster.iso_week, "unit": roster.unit.name}
        for rows in days_by_staff.values():
            user = rows[0].staff.user
            if user is None or not rows[0].staff.is_active:
                continue
            body = "; ".join(f"{weekday_name(entry.day)} {entry.day:%d/%m}: {cell_label(entry.status, entry.service_point)}" for entry in rows)
            notify_user(user, key=f"roster:{roster.pk}:published", title=title, body=body, url=url, category=NotificationCategory.ROSTERS)
            sent += 1
    return sent


@shared_task(name="rosters.notify_cell_changed")
def notify_cell_changed_task(entry_id: int) -> None:
    """Tell a staff member that the head changed their day in a published roster."""
    entry = RosterEntry.objects.select_related("staff__user", "roster__unit", "service_point").filter(pk=entry_id).first()
    if entry is None or entry.staff.user is None:
        return
    with translation.override("vi"):
        notify_user(
            entry.staff.user,
            key=f"roster:{entry.roster_id}:cell:{entry.pk}:{entry.status}:{entry.service_point_id}",
            title=_("Your day on %(date)s changed") % {"date": f"{weekday_name(entry.day)} {entry.day:%d/%m/%Y}"},
            body=_("Now: %(status)s (roster of %(unit)s, week %(week)s).")
            % {"status": cell_label(entry.status, entry.service_point), "unit": entry.roster.unit.name, "week": entry.roster.iso_week},
            url=_roster_url(entry.roster_id),
            category=NotificationCategory.ROSTERS,
        )


@shared_task(name="rosters.notify_swap")
def notify_swap_task(swap_id: int, event: str) -> None:
    """Tell the people concerned about a swap: the colleague when asked, the heads when accepted, both when decided."""
    swap = (
        SwapRequest.objects.select_related("requester__user", "counterpart__user", "roster__unit", "requester__direct_superior__user")
        .filter(pk=swap_id)
        .first()
    )
    if swap is None:
        return
    url = _roster_url(swap.roster_id)
    key = f"swap:{swap.pk}:{event}"
    with translation.override("vi"):
        names = {"requester": swap.requester.full_name, "counterpart": swap.counterpart.full_name}
        if event == "requested" and swap.counterpart.user is not None:
            notify_user(
                swap.counterpart.user,
                key=key,
                title=_("%(requester)s asks to swap days with you") % names,
                body=swap.reason,
                url=url,
                category=NotificationCategory.APPROVALS,
            )
        elif event == "accepted":
            for user in unit_heads([swap.roster.unit]):
                notify_user(
                    user,
                    key=key,
                    title=_("Swap to approve: %(requester)s and %(counterpart)s") % names,
                    body=swap.reason,
                    url=url,
                    category=NotificationCategory.APPROVALS,
                )
        elif event in ("approved", "rejected"):
            title = _("Your swap with %(other)s was approved") if event == "approved" else _("Your swap with %(other)s was rejected")
            for person, other in ((swap.requester, swap.counterpart), (swap.counterpart, swap.requester)):
                if person.user is not None:
                    notify_user(
                        person.user,
                        key=key,
                        title=title % {"other": other.full_name},
                        body=swap.decision_comment,
                        url=url,
                        category=NotificationCategory.APPROVALS,
                    )


@shared_task(name="rosters.notify_leave_request")
def notify_leave_request_task(request_id: int, event: str) -> None:
    """Tell the heads who answer for the person that leave is asked for; tell the person the head's decision."""
    request = (
        LeaveRequest.objects.select_related("staff__user", "staff__unit", "staff__direct_superior__user", "decided_by__staff").filter(pk=request_id).first()
    )
    if request is None:
        return
    key = f"leave_request:{request.pk}:{event}"
    with translation.override("vi"):
        names = {
            "person": request.staff.full_name,
            "kind": request.get_kind_display(),
            "start": f"{request.starts_on:%d/%m/%Y}",
            "end": f"{request.ends_on:%d/%m/%Y}",
            "days": request.working_days,
        }
        if event == "requested":
            url = f"{reverse('rosters:leave')}?unit={request.staff.unit_id}"
            for user in heads_of(request.staff):
                notify_user(
                    user,
                    key=key,
                    title=_("%(person)s asks for %(kind)s from %(start)s to %(end)s (%(days)s working days)") % names,
                    body=request.note,
                    url=url,
                    category=NotificationCategory.APPROVALS,
                )
        elif event in ("approved", "rejected") and request.staff.user is not None:
            title = (
                _("Your %(kind)s from %(start)s to %(end)s is approved") if event == "approved" else _("Your %(kind)s from %(start)s to %(end)s is rejected")
            )
            notify_user(
                request.staff.user,
                key=key,
                title=title % names,
                body=request.decision_comment,
                url=reverse("rosters:leave_mine"),
                category=NotificationCategory.APPROVALS,
            )


@shared_task(name="rosters.notify_heads_regenerated")
def notify_heads_regenerated_task(roster_ids: list[int], reason: str) -> None:
    """After a switch, tell each unit head that a new draft replaces the published roster and waits for review."""
    with translation.override("vi"):
        for roster in Roster.objects.select_related("unit").filter(pk__in=roster_ids):
            for user in unit_heads([roster.unit]):
                notify_user(
                    user,
                    key=f"roster:{roster.pk}:regenerated",
                    title=_("New draft roster for %(unit)s, week %(week)s: review and publish it") % {"unit": roster.unit.name, "week": roster.iso_week},
                    body=reason,
                    url=_roster_url(roster.pk),
                    category=NotificationCategory.ROSTERS,
                )


follow_ups.register(follow_ups.ROSTER_PUBLISHED, notify_roster_published_task.delay)
follow_ups.register(follow_ups.CELL_CHANGED, notify_cell_changed_task.delay)
follow_ups.register(follow_ups.SWAP_CHANGED, notify_swap_task.delay)
follow_ups.register(follow_ups.LEAVE_REQUEST_CHANGED, notify_leave_request_task.delay)
follow_ups.register(follow_ups.HEADS_REGENERATED, notify_heads_regenerated_task.delay)
follow_ups.register(follow_ups.RUN_STARTED, generate_run_task.delay)
follow_ups.register(follow_ups.UNITS_CHUNK, generate_units_task.delay)
