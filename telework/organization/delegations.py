"""Delegation (ủy quyền): a head away names a deputy who acts in their name from one date to another.

While a delegation is in force the deputy sees the head's inbox and decides what the head decides; the decision
records both (the deputy as the actor, the head as the one acted for), and every notification that goes to the head
goes to the deputy too. The answers "who acts for whom today" live in ``telework.organization.scope`` (``acting_for``,
``acting_head_for``) and ``telework.organization.heads``, so every app follows from one place; this module writes and
lists the delegations themselves.

Rules (a delegation is a power of the head, so it stays narrow): the head declares it themselves; the deputy is a
leader or deputy of the head's own unit, or a head-role account in the head's scope; it starts today or later, lasts
at most ``MAX_DELEGATION_DAYS``; a head's delegations never overlap; the head may cancel one early, which ends it at
once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import User
from telework.accounts.types import Viewer
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import InvalidTransition, NotFound, NotPermitted, RuleViolation, ValidationFailed
from telework.core.notifications import NotificationCategory, notify_user
from telework.core.workflow import Verdict, verdict
from telework.organization import scope
from telework.organization.models import Delegation, Staff

# A delegation covers an absence (leave, a training course, a business trip), not a change of post: a longer one is
# a reassignment, which HR records on the staff file.
MAX_DELEGATION_DAYS = 90

IN_FORCE = "in_force"
SCHEDULED = "scheduled"
ENDED = "ended"
CANCELLED = "cancelled"
STATE_LABELS = {
    SCHEDULED: _("Scheduled"),
    IN_FORCE: _("In force"),
    ENDED: _("Ended"),
    CANCELLED: _("Cancelled"),
}


def person_name(user: User | None) -> str:
    """A user as colleagues know them: the staff record's full name, else the account's name."""
    if user is None:
        return ""
    staff = scope.own_staff(user)
    return staff.full_name if staff is not None else (user.get_full_name() or user.get_username())


def state_of(delegation: Delegation, today: dt.date | None = None) -> str:
    """Where a delegation stands today: scheduled, in force, ended, or cancelled."""
    today = today or clock.today()
    if delegation.cancelled_at is not None:
        return CANCELLED
    if delegation.ends_on < today:
        return ENDED
    if delegation.starts_on > today:
        return SCHEDULED
    return IN_FORCE


def state_label(delegation: Delegation, today: dt.date | None = None) -> str:
    return str(STATE_LABELS[state_of(delegation, today)])


# ----------------------------------------------------------------------------------------------- reads


def deputy_choices(*, head: User) -> QuerySet[User]:
    """The accounts ``head`` may name their deputy: active leaders and deputies of the head's own unit, and head-role
    accounts of staff in the head's scope; never the head."""
    me = scope.own_staff(head)
    if me is None or head.role not in scope.DECIDING_ROLES:
        return User.objects.none()
    same_unit_leaders = Q(staff__unit_id=me.unit_id) & (Q(staff__is_leader=True) | Q(staff__is_deputy=True))
    heads_in_scope = Q(role__in=scope.DECIDING_ROLES, staff__in=Staff.objects.filter(scope.staff_scope_filter(head)))
    return (
        User.objects.filter(same_unit_leaders | heads_in_scope, is_active=True, staff__is_active=True)
        .exclude(pk=head.pk)
        .select_related("staff__unit")
        .order_by("staff__full_name")
    )


def delegations_given(*, head: User) -> QuerySet[Delegation]:
    """The delegations ``head`` declared, newest first."""
    return Delegation.objects.filter(head_id=head.pk).select_related("deputy__staff", "head__staff").order_by("-starts_on", "-id")


def delegations_received(*, deputy: User) -> QuerySet[Delegation]:
    """The delegations naming ``deputy``, newest first."""
    return Delegation.objects.filter(deputy_id=deputy.pk).select_related("deputy__staff", "head__staff").order_by("-starts_on", "-id")


def visible_delegations(viewer: Viewer) -> QuerySet[Delegation]:
    """The delegations ``viewer`` may read: their own (given or received) and those of the heads whose staff record
    they see (HR, the agency head, Home Affairs)."""
    if not getattr(viewer, "is_authenticated", False):
        return Delegation.objects.none()
    return Delegation.objects.filter(Q(head_id=viewer.pk) | Q(deputy_id=viewer.pk) | Q(head__staff__in=scope.visible_staff(viewer)))


def delegation_get(*, viewer: Viewer, delegation_id: int) -> Delegation:
    """One delegation ``viewer`` may read; otherwise ``NotFound`` (404, never 403)."""
    delegation = visible_delegations(viewer).select_related("deputy__staff", "head__staff").filter(pk=delegation_id).first()
    if delegation is None:
        raise NotFound()
    return delegation


def notices_for(user: User, today: dt.date | None = None) -> dict[str, list[dict[str, Any]]]:
    """The delegations in force or coming that concern ``user``, for the notices on the inbox and the home page
    (``registrations/_delegation_notices.html``): ``acting_for``, those naming them the deputy, and ``delegated_to``,
    those they gave; each as {name, delegation, state}, newest first. One query."""
    today = today or clock.today()
    notices: dict[str, list[dict[str, Any]]] = {"acting_for": [], "delegated_to": []}
    for delegation in (
        Delegation.objects.filter(Q(head_id=user.pk) | Q(deputy_id=user.pk), cancelled_at__isnull=True, ends_on__gte=today)
        .select_related("deputy__staff", "head__staff")
        .order_by("-starts_on", "-id")
    ):
        state = state_of(delegation, today)
        if delegation.deputy_id == user.pk:
            notices["acting_for"].append({"name": person_name(delegation.head), "delegation": delegation, "state": state})
        if delegation.head_id == user.pk:
            notices["delegated_to"].append({"name": person_name(delegation.deputy), "delegation": delegation, "state": state})
    return notices


def deputies_by_head(head_ids: Iterable[int], on: dt.date | None = None) -> dict[int, list[User]]:
    """For each head, the deputies acting for them on ``on`` (today): one query whatever the number of heads. The
    notifications to heads (``organization.heads``) reach these too."""
    wanted = set(head_ids)
    if not wanted:
        return {}
    result: dict[int, list[User]] = defaultdict(list)
    for delegation in scope.delegations_in_force(on).filter(head_id__in=wanted).select_related("deputy").order_by("deputy_id"):
        result[delegation.head_id].append(delegation.deputy)
    return dict(result)


# ----------------------------------------------------------------------------------------------- checks


def _check_new(*, head: User, deputy: User, starts_on: dt.date, ends_on: dt.date, actor: User, today: dt.date) -> None:
    if actor is None or actor.pk != head.pk:
        raise NotPermitted(_("A head declares their own delegation."), rule="delegation.head")
    me = scope.own_staff(head)
    if me is None or head.role not in scope.DECIDING_ROLES:
        raise NotPermitted(_("Only unit and agency heads delegate their decisions."), rule="delegation.head")
    if deputy is None or not deputy_choices(head=head).filter(pk=deputy.pk).exists():
        raise RuleViolation(_("The deputy must be a leader or deputy of your unit, or a head in your scope, with an active account."), rule="delegation.deputy")
    if ends_on < starts_on:
        raise ValidationFailed(_("The period ends before it starts."), rule="delegation.period")
    if starts_on < today:
        raise ValidationFailed(_("A delegation cannot start in the past."), rule="delegation.period")
    if (ends_on - starts_on).days + 1 > MAX_DELEGATION_DAYS:
        raise ValidationFailed(
            _("A delegation lasts at most %(days)s days; for a longer absence HR records a change of post.") % {"days": MAX_DELEGATION_DAYS},
            rule="delegation.max_days",
        )
    overlapping = (
        Delegation.objects.filter(head_id=head.pk, cancelled_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .select_related("deputy__staff")
        .order_by("starts_on")
        .first()
    )
    if overlapping is not None:
        raise RuleViolation(
            _("You already delegate to %(deputy)s from %(starts)s to %(ends)s; cancel it or choose other dates.")
            % {"deputy": person_name(overlapping.deputy), "starts": f"{overlapping.starts_on:%d/%m/%Y}", "ends": f"{overlapping.ends_on:%d/%m/%Y}"},
            rule="delegation.overlap",
            params={"delegation": overlapping.pk},
        )


def delegation_check(*, head: User, deputy: User, starts_on: dt.date, ends_on: dt.date, actor: User, today: dt.date | None = None) -> Verdict:
    """Would ``delegation_create`` accept this now? Who declares, who may be the deputy, the dates, the length and
    the head's other delegations; nothing written."""
    return verdict(lambda: _check_new(head=head, deputy=deputy, starts_on=starts_on, ends_on=ends_on, actor=actor, today=today or clock.today()))


def _check_cancel(delegation: Delegation, actor: User, today: dt.date) -> None:
    if actor is None or actor.pk != delegation.head_id:
        raise NotPermitted(_("Only the head who declared a delegation cancels it."), rule="delegation.head")
    state = state_of(delegation, today)
    if state in {CANCELLED, ENDED}:
        raise InvalidTransition(
            _("This delegation is “%(status)s”; it cannot be cancelled.") % {"status": STATE_LABELS[state]}, rule="delegation.status", params={"status": state}
        )


def delegation_cancel_check(*, delegation: Delegation, actor: User, today: dt.date | None = None) -> Verdict:
    """May ``actor`` cancel ``delegation`` now (the head, while it is scheduled or in force)? Nothing written."""
    return verdict(lambda: _check_cancel(delegation, actor, today or clock.today()))


# ----------------------------------------------------------------------------------------------- writes


def _snapshot(delegation: Delegation) -> dict[str, Any]:
    return {
        "head": person_name(delegation.head),
        "deputy": person_name(delegation.deputy),
        "starts_on": delegation.starts_on,
        "ends_on": delegation.ends_on,
        "note": delegation.note,
        "cancelled_at": delegation.cancelled_at,
    }


def _agency_id(head: User) -> int | None:
    staff = scope.own_staff(head)
    return staff.unit.agency_id if staff is not None else None


@transaction.atomic
def delegation_create(
    *, head: User, deputy: User, starts_on: dt.date, ends_on: dt.date, actor: User, note: str = "", today: dt.date | None = None
) -> Delegation:
    """The head names ``deputy`` to act in their name from ``starts_on`` to ``ends_on`` (``delegation_check``'s rules,
    asked again under the lock). Audited; the deputy is told."""
    # The head's account row is the lock: two delegations declared at once cannot both pass the overlap check.
    User.objects.select_for_update().filter(pk=head.pk).first()
    _check_new(head=head, deputy=deputy, starts_on=starts_on, ends_on=ends_on, actor=actor, today=today or clock.today())
    delegation = Delegation.objects.create(head=head, deputy=deputy, starts_on=starts_on, ends_on=ends_on, note=note.strip(), created_by=actor)
    audit_record(actor=actor, action="delegation.create", target=delegation, after=_snapshot(delegation), reason=note.strip(), agency_id=_agency_id(head))
    transaction.on_commit(lambda: _tell_deputy(delegation.pk, "created"))
    return delegation


@transaction.atomic
def delegation_cancel(*, delegation: Delegation, actor: User, reason: str = "", today: dt.date | None = None) -> Delegation:
    """The head ends a scheduled or running delegation early; from now on the deputy no longer acts for them.
    Audited; the deputy is told."""
    delegation = Delegation.objects.select_for_update(of=("self",)).select_related("head__staff__unit", "deputy__staff").get(pk=delegation.pk)
    _check_cancel(delegation, actor, today or clock.today())
    before = _snapshot(delegation)
    delegation.cancelled_at = clock.now()
    delegation.save(update_fields=["cancelled_at"])
    audit_record(
        actor=actor,
        action="delegation.cancel",
        target=delegation,
        before=before,
        after=_snapshot(delegation),
        reason=reason.strip(),
        agency_id=_agency_id(delegation.head),
    )
    transaction.on_commit(lambda: _tell_deputy(delegation.pk, "cancelled"))
    return delegation


def _tell_deputy(delegation_id: int, event: str) -> None:
    delegation = Delegation.objects.select_related("head__staff", "deputy").filter(pk=delegation_id).first()
    if delegation is None:
        return
    with translation.override("vi"):
        values = {"head": person_name(delegation.head), "starts": f"{delegation.starts_on:%d/%m/%Y}", "ends": f"{delegation.ends_on:%d/%m/%Y}"}
        if event == "created":
            title = gettext("%(head)s delegates their decisions to you from %(starts)s to %(ends)s") % values
        else:
            title = gettext("%(head)s cancelled the delegation from %(starts)s to %(ends)s") % values
        notify_user(
            delegation.deputy,
            key=f"delegation:{delegation.pk}:{event}",
            title=title,
            body=delegation.note,
            url=reverse("organization:delegations"),
            category=NotificationCategory.APPROVALS,
        )
