"""Writes for staffing-needs rounds. Each is one transaction with its audit row; notifications go after the commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from telework.accounts.models import User
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.notifications import NotificationCategory, notify_user
from telework.core.workflow import Change, Stamp, perform
from telework.organization.heads import agency_heads, unit_heads
from telework.organization.models import Staff, Unit
from telework.policy.models import Policy, PolicyLevel
from telework.policy.selectors import policy_for_unit
from telework.policy.services import policy_override_create
from telework.staffing import permissions
from telework.staffing.models import ROUND_WORKFLOW, ReportRound, ReportRow, RoundState, UnitDecision

# How long before the deadline the unit heads who have not answered are reminded.
REMINDER_WINDOW = dt.timedelta(hours=2)


def _round_snapshot(report_round: ReportRound) -> dict[str, object]:
    return {"title": report_round.title, "state": report_round.state, "deadline": report_round.deadline}


def _row_snapshot(row: ReportRow) -> dict[str, object]:
    return {
        "total_staff": row.total_staff,
        "needed_on_site": row.needed_on_site,
        "proposed_at_home": row.proposed_at_home,
        "reason": row.reason,
        "is_late": row.is_late,
        "signed_off_at": row.signed_off_at,
    }


def _local(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y")


@transaction.atomic
def round_open(*, actor: User, title: str, deadline: dt.datetime, units: Iterable[Unit], reference_number: str = "", recipients: str = "") -> ReportRound:
    """Open a same-day round addressed to ``units`` (Home Affairs only). The deadline must be later than now; each
    unit's row starts with its active staff count from the organisation. The unit heads are told after the commit."""
    if not permissions.can_run_rounds(actor):
        raise NotPermitted(rule="staffing.open")
    units = list(dict.fromkeys(units))
    if not title.strip():
        raise ValidationFailed(gettext_lazy("Give the round a title."), rule="title")
    if not units:
        raise ValidationFailed(gettext_lazy("Choose at least one unit to report."), rule="units")
    now = clock.now()
    if deadline <= now:
        raise ValidationFailed(gettext_lazy("The deadline must be later than now."), rule="deadline", params={"deadline": deadline})
    report_round = ReportRound.objects.create(
        title=title.strip(),
        reference_number=reference_number.strip(),
        recipients=recipients.strip(),
        deadline=deadline,
        opened_by=actor,
        opened_at=now,
    )
    counts = {unit.pk: Staff.objects.filter(unit=unit, is_active=True).count() for unit in units}
    ReportRow.objects.bulk_create([ReportRow(report_round=report_round, unit=unit, total_staff=counts[unit.pk]) for unit in units])
    audit_record(
        actor=actor,
        action="staffing_round.open",
        target=report_round,
        after={**_round_snapshot(report_round), "units": sorted(unit.name for unit in units)},
    )
    transaction.on_commit(partial(notify_round_opened, round_id=report_round.pk))
    return report_round


def notify_round_opened(*, round_id: int) -> int:
    """Tell each addressed unit's heads that a report is due, once per row (the key makes a retry send nothing)."""
    report_round = ReportRound.objects.get(pk=round_id)
    sent = 0
    with translation.override("vi"):
        for row in report_round.rows.select_related("unit"):
            for user in unit_heads([row.unit]):
                notify_user(
                    user,
                    key=f"staffing:open:{row.pk}:{user.pk}",
                    title=_("Staffing needs report due by %(deadline)s") % {"deadline": _local(report_round.deadline)},
                    body=_("%(title)s — report the on-site staffing needs of %(unit)s.") % {"title": report_round.title, "unit": row.unit.name},
                    url=reverse("staffing:row_fill", args=[row.pk]),
                    category=NotificationCategory.APPROVALS,
                )
                sent += 1
    return sent


def reminders_send() -> int:
    """Remind the heads of units that have not answered a round whose deadline is within ``REMINDER_WINDOW`` (the
    periodic job). Idempotent: one reminder per row and head."""
    now = clock.now()
    rows = ReportRow.objects.filter(
        report_round__state=RoundState.OPEN,
        report_round__deadline__gt=now,
        report_round__deadline__lte=now + REMINDER_WINDOW,
        filled_at__isnull=True,
    ).select_related("unit", "report_round")
    sent = 0
    with translation.override("vi"):
        for row in rows:
            for user in unit_heads([row.unit]):
                notify_user(
                    user,
                    key=f"staffing:remind:{row.pk}:{user.pk}",
                    title=_("Reminder: staffing needs report due by %(deadline)s") % {"deadline": _local(row.report_round.deadline)},
                    body=_("%(unit)s has not yet reported for “%(title)s”.") % {"unit": row.unit.name, "title": row.report_round.title},
                    url=reverse("staffing:row_fill", args=[row.pk]),
                    category=NotificationCategory.APPROVALS,
                )
                sent += 1
    return sent


def check_row_figures(*, total_staff: int, needed_on_site: int, proposed_at_home: int, reason: str) -> None:
    """The bounds of a row: 0 ≤ needed ≤ total, needed + proposed at home ≤ total, a reason when anyone is proposed
    at home. Raises ``ValidationFailed`` naming the broken rule."""
    if needed_on_site < 0 or proposed_at_home < 0:
        raise ValidationFailed(gettext_lazy("Numbers of people cannot be negative."), rule="staffing.non_negative")
    if needed_on_site > total_staff:
        raise ValidationFailed(
            gettext_lazy("Needed on site (%(needed)s) cannot exceed the unit's total staff (%(total)s).") % {"needed": needed_on_site, "total": total_staff},
            rule="staffing.needed_within_total",
            params={"needed": needed_on_site, "total": total_staff},
        )
    if needed_on_site + proposed_at_home > total_staff:
        raise ValidationFailed(
            gettext_lazy("Needed on site and proposed at home together (%(sum)s) cannot exceed the unit's total staff (%(total)s).")
            % {"sum": needed_on_site + proposed_at_home, "total": total_staff},
            rule="staffing.sum_within_total",
            params={"sum": needed_on_site + proposed_at_home, "total": total_staff},
        )
    if proposed_at_home > 0 and not reason.strip():
        raise ValidationFailed(gettext_lazy("Give the reason for proposing staff at home."), rule="staffing.reason_required")


@transaction.atomic
def row_fill(*, actor: User, row: ReportRow, needed_on_site: int, proposed_at_home: int, reason: str, late: bool = False) -> ReportRow:
    """The unit head's answer. Before the deadline only; after it, only when ``late`` says the head knows it is late
    (the row is then flagged late). A signed-off row, or a row of a closed round, cannot change."""
    row = ReportRow.objects.select_for_update().select_related("unit", "report_round").get(pk=row.pk)
    if not permissions.can_fill(actor, row):
        raise NotPermitted(rule="staffing.fill")
    if row.report_round.state != RoundState.OPEN:
        raise InvalidTransition(gettext_lazy("This report round is closed; the row can no longer be changed."), rule="staffing.round_open")
    if row.is_signed_off:
        raise InvalidTransition(gettext_lazy("This report has been signed off; it can no longer be changed."), rule="staffing.signed_off")
    check_row_figures(total_staff=row.total_staff, needed_on_site=needed_on_site, proposed_at_home=proposed_at_home, reason=reason)
    now = clock.now()
    is_late = now > row.report_round.deadline
    if is_late and not late:
        raise RuleViolation(
            gettext_lazy("The deadline (%(deadline)s) has passed; the report can only be sent as a late report.")
            % {"deadline": _local(row.report_round.deadline)},
            rule="staffing.deadline",
        )
    before = _row_snapshot(row)
    row.needed_on_site = needed_on_site
    row.proposed_at_home = proposed_at_home
    row.reason = reason.strip()
    row.is_late = row.is_late or is_late
    row.filled_by = actor
    row.filled_at = now
    row.save(update_fields=["needed_on_site", "proposed_at_home", "reason", "is_late", "filled_by", "filled_at"])
    audit_record(actor=actor, action="staffing_row.fill", target=row, before=before, after=_row_snapshot(row), agency_id=row.unit.agency_id)
    transaction.on_commit(partial(_notify_signers, row_id=row.pk))
    return row


def _notify_signers(*, row_id: int) -> None:
    row = ReportRow.objects.select_related("unit", "report_round").get(pk=row_id)
    with translation.override("vi"):
        for user in agency_heads(row.unit.agency_id):
            notify_user(
                user,
                key=f"staffing:sign:{row.pk}:{row.filled_at:%Y%m%d%H%M%S}:{user.pk}",
                title=_("Staffing needs report to sign off: %(unit)s") % {"unit": row.unit.name},
                body=row.report_round.title,
                url=reverse("staffing:index"),
                category=NotificationCategory.APPROVALS,
            )


@transaction.atomic
def row_sign_off(*, actor: User, row: ReportRow) -> ReportRow:
    """The agency head signs off a filled row of one of their units (once)."""
    row = ReportRow.objects.select_for_update().select_related("unit", "report_round").get(pk=row.pk)
    if not permissions.can_sign_off(actor, row):
        raise NotPermitted(rule="staffing.sign_off")
    if not row.is_filled:
        raise InvalidTransition(gettext_lazy("The unit has not filled its report yet."), rule="staffing.not_filled")
    if row.is_signed_off:
        raise InvalidTransition(gettext_lazy("This report has already been signed off."), rule="staffing.signed_off")
    if row.report_round.state == RoundState.DECIDED:
        raise InvalidTransition(gettext_lazy("This report round is already decided."), rule="staffing.round_state")
    before = _row_snapshot(row)
    row.signed_off_by = actor
    row.signed_off_at = clock.now()
    row.save(update_fields=["signed_off_by", "signed_off_at"])
    audit_record(actor=actor, action="staffing_row.sign_off", target=row, before=before, after=_row_snapshot(row), agency_id=row.unit.agency_id)
    return row


ROUND_STAMP = Stamp(by="decided_by", at="decided_at", comment=None)


@transaction.atomic
def round_close(*, actor: User, report_round: ReportRound) -> ReportRound:
    """Home Affairs closes the round: no more reports; decisions may be recorded."""
    if not permissions.can_run_rounds(actor):
        raise NotPermitted(rule="staffing.close")
    report_round = ReportRound.objects.select_for_update().get(pk=report_round.pk)
    perform(
        report_round,
        workflow=ROUND_WORKFLOW,
        action="close",
        actor=actor,
        change=Change(audit_action="staffing_round.close", snapshot=_round_snapshot, stamp=ROUND_STAMP),
    )
    return report_round


def _shares(*, on_site_minimum: int, home_cap: int, total: int) -> dict[str, float]:
    """People to policy shares: the on-site minimum rounded up, the home cap rounded down (to 0.1 %), so the
    override never asks for fewer on site or allows more at home than decided."""
    return {"min_onsite_share": -(-on_site_minimum * 1000 // total) / 1000, "max_home_share": home_cap * 1000 // total / 1000}


def _own_override_after(unit: Unit, day: dt.date) -> dict[str, object] | None:
    """The unit's own override (its unit version's parameters) in force on ``day`` without any switch, or None when
    the unit has none and follows its agency's and the city's policy."""
    versions = policy_for_unit(unit, day).versions
    unit_version = next((version for version in versions if version.level == PolicyLevel.UNIT), None)
    return dict(unit_version.parameters) if unit_version is not None else None


def _unit_versions(unit: Unit) -> QuerySet[Policy]:
    return Policy.objects.select_for_update().filter(level=PolicyLevel.UNIT, agency=unit.agency_id, unit=unit)


def _close(actor: User, policy: Policy, last_day: dt.date) -> None:
    """End ``policy`` after ``last_day`` (audited as the policy app closes a version)."""
    before = {"effective_to": policy.effective_to}
    policy.effective_to = last_day
    policy.save(update_fields=["effective_to"])
    audit_record(actor=actor, action="policy.close", target=policy, before=before, after={"effective_to": last_day}, agency_id=policy.agency_id)


def _decision_versions(
    actor: User, *, row: ReportRow, shares: dict[str, float], starts_on: dt.date, ends_on: dt.date, own: dict[str, object] | None, note: str
) -> tuple[Policy, Policy | None]:
    """The unit's override for the period and how it ends. The day after ``ends_on`` the unit gets back exactly what
    it had: its own earlier override, written again as a new version (``own``), or — when it had none — nothing: the
    decision's version simply ends with ``ends_on`` and the unit follows its agency's and the city's policy as they
    are then. So a restore never writes values the unit did not have, and never hides a later agency or city change."""
    title = row.report_round.title
    policy = policy_override_create(
        actor=actor,
        agency=row.unit.agency,
        unit=row.unit,
        parameters=shares,
        effective_from=starts_on,
        name=_("Staffing decision: %(title)s") % {"title": title},
        note=note,
    )
    if own is None:
        _close(actor, policy, ends_on)
        return policy, None
    restore_policy = policy_override_create(
        actor=actor,
        agency=row.unit.agency,
        unit=row.unit,
        parameters=own,
        effective_from=ends_on + dt.timedelta(days=1),
        name=_("After the staffing decision: %(title)s") % {"title": title},
        note=note,
    )
    return policy, restore_policy


def _withdraw(actor: User, decision: UnitDecision, starts_on: dt.date) -> tuple[dict[str, object] | None, int]:
    """Make room for the decision replacing ``decision`` from ``starts_on``. The first decision's versions that have
    not applied yet (or that would start on or after ``starts_on``) are withdrawn; its override in force since an
    earlier day ends the day before ``starts_on``; the unit's own override that it had closed runs again until then.
    Returns the unit's own override the first decision would have restored (the replacement restores the same) and
    how many versions were withdrawn. Refused when the first decision is over, or when someone changed the unit's
    policy after it (that later override stands; a new decision then goes into a new round)."""
    today = clock.today()
    if decision.ends_on < today:
        raise InvalidTransition(
            gettext_lazy("The decision for this unit ended on %(date)s; record a new decision in a new round.")
            % {"date": decision.ends_on.strftime("%d/%m/%Y")},
            rule="staffing.decision_over",
        )
    unit = decision.row.unit
    versions = [version for version in (decision.policy, decision.restore_policy) if version is not None]
    newest = _unit_versions(unit).order_by("-version").first()
    if versions and newest is not None and newest.version > max(version.version for version in versions):
        raise InvalidTransition(
            gettext_lazy(
                "The unit's policy was changed after this decision (“%(name)s”, from %(date)s); that change stands. Record a new decision in a new round."
            )
            % {"name": newest.name, "date": newest.effective_from.strftime("%d/%m/%Y")},
            rule="staffing.policy_changed_since",
        )
    own = dict(decision.restore_policy.parameters) if decision.restore_policy is not None else None
    override = decision.policy
    withdrawn = [version for version in versions if version.effective_from > today or version.effective_from >= starts_on]
    decision.policy = None if override in withdrawn else override
    decision.restore_policy = None
    decision.save(update_fields=["policy", "restore_policy"])
    for version in withdrawn:
        version.delete()
    if override is not None and override not in withdrawn:
        _close(actor, override, starts_on - dt.timedelta(days=1))
    elif own is not None:
        # The unit's own override, which the withdrawn one had closed, runs again until the replacement starts.
        reopened = _unit_versions(unit).order_by("-version").first()
        if reopened is not None and reopened.effective_from < starts_on:
            _close(actor, reopened, starts_on - dt.timedelta(days=1))
    return own, len(withdrawn)


def _decision_snapshot(decision: UnitDecision) -> dict[str, object]:
    return {"on_site_minimum": decision.on_site_minimum, "home_cap": decision.home_cap, "starts_on": decision.starts_on, "ends_on": decision.ends_on}


@transaction.atomic
def round_decide(*, actor: User, row: ReportRow, on_site_minimum: int, home_cap: int, starts_on: dt.date, ends_on: dt.date, note: str = "") -> UnitDecision:
    """Home Affairs records the decision for one unit of a closed round. It becomes the unit's policy override from
    ``starts_on`` (through ``policy.services.policy_override_create``: audited, refused if looser than the city's
    policy) until ``ends_on``; the day after, the unit gets back what it had (``_decision_versions``). When every
    filled row is decided, the round is decided.

    The rules of the edge cases (docs/architecture.md, "Staffing decisions"):
    - the period may not start in the past (refused, not clamped: a decision is a dated administrative act, and a
      start moved silently would misstate it);
    - deciding a unit again in the same round (the round closed or already decided) replaces the first decision: its
      versions not yet applied are withdrawn, the one in force ends the day before the new start, so overrides never
      stack — this is also how Home Affairs ends a decision early, e.g. when the emergency switch is turned off
      before the period ends (the switch does not end decisions by itself: they are dated acts of their own);
    - an override someone else creates later stands: inside the period it is refused by the policy's version rules
      (a version set for a fixed period is not cut short), after the period it applies from its day and no restore
      overwrites it; a unit changed that way is not re-decided in the same round.
    """
    if not permissions.can_run_rounds(actor):
        raise NotPermitted(rule="staffing.decide")
    row = ReportRow.objects.select_for_update().select_related("unit__agency", "report_round").get(pk=row.pk)
    report_round = ReportRound.objects.select_for_update().get(pk=row.report_round_id)
    earlier = UnitDecision.objects.select_for_update(of=("self",)).select_related("policy", "restore_policy", "row__unit").filter(row=row).first()
    allowed_states = (RoundState.CLOSED, RoundState.DECIDED) if earlier is not None else (RoundState.CLOSED,)
    if report_round.state not in allowed_states:
        raise InvalidTransition(
            gettext_lazy("Decisions are recorded once the round is closed, before it is decided (it is “%(state)s”).")
            % {"state": report_round.get_state_display()},
            rule="staffing.round_state",
        )
    if row.total_staff == 0:
        raise ValidationFailed(gettext_lazy("The unit has no staff on record; nothing to decide."), rule="staffing.no_staff")
    if on_site_minimum < 0 or home_cap < 0 or on_site_minimum + home_cap > row.total_staff:
        raise ValidationFailed(
            gettext_lazy("The on-site minimum and the home cap together (%(sum)s) cannot exceed the unit's total staff (%(total)s).")
            % {"sum": on_site_minimum + home_cap, "total": row.total_staff},
            rule="staffing.decision_within_total",
        )
    if starts_on < clock.today():
        raise ValidationFailed(
            gettext_lazy("The decision's period cannot start in the past: start it today (%(today)s) or later.")
            % {"today": clock.today().strftime("%d/%m/%Y")},
            rule="staffing.period_start",
        )
    if ends_on < starts_on:
        raise ValidationFailed(gettext_lazy("The period must end on or after its first day."), rule="staffing.period_order")
    shares = _shares(on_site_minimum=on_site_minimum, home_cap=home_cap, total=row.total_staff)
    if earlier is None:
        own = _own_override_after(row.unit, ends_on + dt.timedelta(days=1))
        withdrawn = 0
    else:
        own, withdrawn = _withdraw(actor, earlier, starts_on)
    policy, restore_policy = _decision_versions(actor, row=row, shares=shares, starts_on=starts_on, ends_on=ends_on, own=own, note=note)
    fields = {
        "on_site_minimum": on_site_minimum,
        "home_cap": home_cap,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "note": note.strip(),
        "decided_by": actor,
        "decided_at": clock.now(),
        "policy": policy,
        "restore_policy": restore_policy,
    }
    if earlier is None:
        decision = UnitDecision.objects.create(row=row, **fields)
        audit_record(
            actor=actor,
            action="staffing_decision.create",
            target=decision,
            after={"on_site_minimum": on_site_minimum, "home_cap": home_cap, "starts_on": starts_on, "ends_on": ends_on, **shares},
            reason=note,
            agency_id=row.unit.agency_id,
        )
    else:
        decision = earlier
        before = _decision_snapshot(decision)
        for name, value in fields.items():
            setattr(decision, name, value)
        decision.save()
        audit_record(
            actor=actor,
            action="staffing_decision.replace",
            target=decision,
            before={**before, "withdrawn_versions": withdrawn},
            after={**_decision_snapshot(decision), **shares},
            reason=note,
            agency_id=row.unit.agency_id,
        )
    undecided = report_round.rows.filter(filled_at__isnull=False, decision__isnull=True).exists()
    if not undecided and report_round.state == RoundState.CLOSED:
        perform(
            report_round,
            workflow=ROUND_WORKFLOW,
            action="decide",
            actor=actor,
            change=Change(audit_action="staffing_round.decide", snapshot=_round_snapshot, stamp=ROUND_STAMP),
        )
    return decision


def _emergency_deadline() -> dt.datetime:
    """16:00 today, or two hours from now when that leaves less than two hours (the same-day report of seed 004)."""
    local_now = clock.local_now()
    four_pm = local_now.replace(hour=16, minute=0, second=0, microsecond=0)
    return four_pm if four_pm - local_now >= REMINDER_WINDOW else (local_now + REMINDER_WINDOW).replace(second=0, microsecond=0)


def round_open_for_emergency(*, change_id: int) -> ReportRound | None:
    """When the emergency switch is turned on, a same-day round opens by itself for every special unit, in the name of
    the person who turned it on (the switch's own audit row says why). Nothing when there is no special unit or when the
    switch was turned on by the system."""
    from telework.policy.models import SwitchChange, SwitchKind

    change = SwitchChange.objects.select_related("changed_by").filter(pk=change_id, kind=SwitchKind.EMERGENCY, is_active=True).first()
    if change is None or change.changed_by is None:
        return None
    from telework.staffing.selectors import special_units

    units = list(special_units())
    if not units:
        return None
    with translation.override("vi"):
        title = _("On-site staffing needs under the emergency mode of %(date)s") % {"date": formats.date_format(clock.today(), "d/m/Y")}
    return round_open(actor=change.changed_by, title=title, deadline=_emergency_deadline(), units=units, recipients=_("City People's Committee"))
