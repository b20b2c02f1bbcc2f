"""Registration actions: submit, resubmit, withdraw, approve, reject, request changes, revoke.

One decision, one service, one transaction: each validates, locks what owns the cap, changes state, writes the
audit row and queues the notification on commit. Views, the API and commands all call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from telework.accounts.models import User
from telework.core import calendar, clock
from telework.core.audit import audit_record
from telework.core.background import enqueue
from telework.core.exceptions import DomainError, NotPermitted, RuleViolation, ValidationFailed
from telework.core.workflow import Change, Verdict, perform, verdict
from telework.organization import scope
from telework.organization.delegations import person_name
from telework.organization.models import Staff, Unit
from telework.policy.eligibility import EligibilityDecision
from telework.policy.selectors import PolicyResolver, eligibility_for
from telework.registrations import caps
from telework.registrations.models import REGISTRATION_FLOW, Registration, RegistrationDay, RegistrationMode
from telework.registrations.selectors import unit_facts

MAX_PERIOD_DAYS = 184  # half a year: a registration is renewed, not open-ended


def _days_left_out(mode: str, skipped_dates: list[dt.date] | None) -> list[dt.date]:
    """The days a weekly pattern leaves out, each once and in order; a list of chosen dates leaves none out."""
    return sorted(set(skipped_dates or [])) if mode == RegistrationMode.WEEKLY else []


def expand_days(
    *, mode: str, starts_on: dt.date, ends_on: dt.date, weekdays: list[int], dates: list[dt.date], skipped: Iterable[dt.date] = ()
) -> list[dt.date]:
    """The working days a request covers: chosen weekdays every week in the period except the days left out, or
    chosen dates. Public holidays and weekends are dropped (they are not working days at all)."""
    if mode == RegistrationMode.WEEKLY:
        wanted, left_out = set(weekdays), set(skipped)
        return [day for day in calendar.working_days(starts_on, ends_on) if day.weekday() in wanted and day not in left_out]
    return sorted({day for day in dates if starts_on <= day <= ends_on and calendar.is_working_day(day)})


def _validate_shape(
    *, mode: str, starts_on: dt.date, ends_on: dt.date, weekdays: list[int], dates: list[dt.date], today: dt.date, skipped: list[dt.date] | None = None
) -> list[dt.date]:
    skipped = list(skipped or [])
    if mode not in RegistrationMode.values:
        raise ValidationFailed(_("Choose weekly days or specific dates."), rule="mode")
    if ends_on < starts_on:
        raise ValidationFailed(_("The period ends before it starts."), rule="period")
    if starts_on < today:
        raise ValidationFailed(_("The period cannot start in the past."), rule="period")
    if (ends_on - starts_on).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationFailed(_("A registration covers at most %(days)s days; register again for a later period.") % {"days": MAX_PERIOD_DAYS}, rule="period")
    if mode == RegistrationMode.WEEKLY and (not weekdays or any(day not in range(5) for day in weekdays)):
        raise ValidationFailed(_("Choose at least one weekday from Monday to Friday."), rule="weekdays")
    if mode == RegistrationMode.DATES:
        outside = [day for day in dates if not starts_on <= day <= ends_on]
        if not dates:
            raise ValidationFailed(_("Choose at least one date."), rule="dates")
        if outside:
            raise ValidationFailed(_("The date %(date)s is outside the period.") % {"date": outside[0].strftime("%d/%m/%Y")}, rule="dates")
    if mode == RegistrationMode.WEEKLY:
        outside = [day for day in skipped if not starts_on <= day <= ends_on]
        if outside:
            raise ValidationFailed(_("The day left out, %(date)s, is outside the period.") % {"date": outside[0].strftime("%d/%m/%Y")}, rule="skipped_dates")
    days = expand_days(mode=mode, starts_on=starts_on, ends_on=ends_on, weekdays=weekdays, dates=dates, skipped=skipped)
    if not days:
        raise ValidationFailed(_("The chosen days include no working day (weekends and public holidays are excluded)."), rule="dates")
    return days


def _eligibility_problems(staff: Staff, days: list[dt.date], resolver: PolicyResolver) -> tuple[list[dict[str, Any]], EligibilityDecision]:
    """Eligibility on every distinct rule set the period crosses (start, and every day the verdict may change)."""
    problems: list[dict[str, Any]] = []
    first = eligibility_for(staff, days[0], resolver=resolver)
    seen: set[tuple[str, str]] = set()
    for day in days:
        decision = first if day == days[0] else eligibility_for(staff, day, resolver=resolver)
        for rule in decision.failed_rules:
            key = (rule.code, rule.reason("en"))
            if key in seen:
                continue
            seen.add(key)
            problems.append({"rule": rule.parameter or rule.code, "date": day.isoformat(), "message": rule.reason()})
    return problems, first


def _cap_violations(*, staff: Staff, unit: Unit, days: list[dt.date], resolver: PolicyResolver, exclude_registration: int | None) -> list[caps.Violation]:
    facts = unit_facts(unit, days[0], days[-1], exclude_registration=exclude_registration)
    counted = RegistrationDay.objects.filter(
        staff=staff, is_counted=True, day__gte=calendar.month_bounds(days[0])[0], day__lte=calendar.month_bounds(days[-1])[1]
    )
    if exclude_registration is not None:
        counted = counted.exclude(registration_id=exclude_registration)
    person_days = set(counted.values_list("day", flat=True))
    overlap = sorted(person_days & set(days))
    if overlap:
        return [
            caps.Violation(
                "registration_overlap", overlap[0], gettext_noop("%(date)s is already an approved home day in another registration."), {"date": overlap[0]}
            )
        ]
    return caps.check_request(
        staff_id=staff.pk,
        days=days,
        unit=facts,
        person_home_days=person_days,
        parameters_for=lambda day: resolver.resolve(unit, day).parameters,
        working_days_between=calendar.working_days,
        week_bounds=calendar.iso_week_bounds,
        month_bounds=calendar.month_bounds,
    )


def _raise_if_refused(eligibility_problems: list[dict[str, Any]], violations: list[caps.Violation]) -> None:
    details = eligibility_problems + [violation.as_dict() for violation in violations]
    if not details:
        return
    first = details[0]
    raise RuleViolation(first["message"], rule=first["rule"], params={"violations": len(details)}, details=details)


def _validate_request(
    *, staff: Staff, days: list[dt.date], equipment_attested: list[str], commitment_accepted: bool, resolver: PolicyResolver, exclude_registration: int | None
) -> tuple[EligibilityDecision, dict[str, Any]]:
    assigned = [day for day in days if resolver.resolve(staff.unit, day).parameters.home_days_assigned]
    if assigned:
        # Distancing (issue 14): the unit assigns home days in its roster; a request would be overridden silently,
        # so none is taken while the regime covers any of the days asked for.
        raise RuleViolation(
            _(
                "While the distancing regime is on, your unit assigns everyone's home days in its roster: home-day "
                "requests are not taken (from %(date)s). Your assigned days are on the roster page and in your "
                "notifications."
            )
            % {"date": assigned[0].strftime("%d/%m/%Y")},
            rule="home_days_assigned",
            params={"date": assigned[0].isoformat()},
        )
    problems, decision = _eligibility_problems(staff, days, resolver)
    parameters = resolver.resolve(staff.unit, days[0]).parameters
    missing = sorted(set(parameters.required_equipment) - set(equipment_attested))
    if missing:
        problems.append(
            {
                "rule": "required_equipment",
                "date": None,
                "message": str(_("Attest that you have: %(items)s.") % {"items": ", ".join(str(_(item)) for item in missing)}),
            }
        )
    if parameters.written_commitment_required and not commitment_accepted:
        problems.append({"rule": "written_commitment_required", "date": None, "message": str(_("The policy requires you to accept the written commitment."))})
    violations = _cap_violations(staff=staff, unit=staff.unit, days=days, resolver=resolver, exclude_registration=exclude_registration)
    _raise_if_refused(problems, violations)
    return decision, parameters.as_dict()


def _snapshot(registration: Registration) -> dict[str, Any]:
    return {
        "status": registration.status,
        "starts_on": registration.starts_on,
        "ends_on": registration.ends_on,
        "days": [day.isoformat() for day in registration.days.values_list("day", flat=True)],
        "revoked_effective_on": registration.revoked_effective_on,
        # Only on a deputy's decision, so every other row reads as before.
        **({"on_behalf_of": person_name(registration.decided_on_behalf_of)} if registration.decided_on_behalf_of_id else {}),
    }


def _notify(registration: Registration, event: str) -> None:
    transaction.on_commit(_notifier(registration, event))


def _notifier(registration: Registration, event: str) -> Callable[[], None]:
    def send() -> None:
        enqueue("registrations.notify_event", registration.pk, event)

    return send


def _change(registration: Registration, *, audit_action: str, **values: Any) -> Change:
    """The audit row and the snapshots every registration move writes."""
    return Change(audit_action=audit_action, snapshot=_snapshot, agency_id=registration.unit.agency_id, **values)


def _decision(registration: Registration, actor: User, *, audit_action: str, fields: dict[str, Any] | None = None, **values: Any) -> Change:
    """``_change`` for a head's decision: it also records the head the actor decided for, when the actor is a deputy
    acting under a delegation (``scope.acting_head_for``); the audit row then shows both."""
    on_behalf_of = scope.acting_head_for(actor, registration.staff)
    return _change(registration, audit_action=audit_action, fields={**(fields or {}), "decided_on_behalf_of": on_behalf_of}, **values)


# ----------------------------------------------------------------------------------------------- checks (write nothing)

# Who may take each action on a registration, and what they are told otherwise.
OWNER_REFUSALS = {
    "resubmit": _("Only the staff member edits their own registration."),
    "withdraw": _("Only the staff member withdraws their own registration."),
}
DECIDER_ACTIONS = frozenset({"approve", "reject", "request_changes", "revoke"})


def _check_action(registration: Registration, actor: User, action: str) -> None:
    """Raise the refusal of ``action`` by ``actor`` on ``registration`` now: who may take it, then the state."""
    if action in OWNER_REFUSALS:
        if scope.own_staff(actor) != registration.staff:
            raise NotPermitted(OWNER_REFUSALS[action])
    elif action in DECIDER_ACTIONS:
        _check_decider(registration, actor)
    REGISTRATION_FLOW.target(registration, action)


def registration_action_check(*, registration: Registration, actor: User, action: str) -> Verdict:
    """May ``actor`` take ``action`` (approve, reject, request_changes, revoke, withdraw, resubmit) on
    ``registration`` now? Who may (the staff member for their own; the direct superior or a head in charge to
    decide) and whether its state allows it. Writes nothing; pages use it to offer buttons, the write services
    ask it again under the lock. Approval's rules on the days are ``registration_approve_check``."""
    return verdict(lambda: _check_action(registration, actor, action))


def decider_check(*, actor: User) -> Verdict:
    """Does ``actor`` decide registrations at all (a unit or agency head, someone's direct superior, or a deputy acting
    for a head today)? The approval inbox is theirs."""

    def check() -> None:
        me = scope.own_staff(actor)
        if me is None or not (actor.role in scope.DECIDING_ROLES or me.reports.exists() or scope.acting_for(actor)):
            raise NotPermitted(_("Only heads and direct superiors decide registrations."))

    return verdict(check)


@dataclass(frozen=True)
class CheckedRequest:
    """A request that passed every rule: its working days, the eligibility decision and the policy applied."""

    days: list[dt.date]
    decision: EligibilityDecision
    parameters: dict[str, Any]


def _check_request(
    *,
    staff: Staff,
    actor: User,
    registration: Registration | None,
    starts_on: dt.date,
    ends_on: dt.date,
    mode: str,
    weekdays: list[int],
    dates: list[dt.date],
    skipped: list[dt.date],
    equipment_attested: list[str],
    commitment_accepted: bool,
    today: dt.date,
) -> CheckedRequest:
    if registration is None:
        if scope.own_staff(actor) != staff:
            raise NotPermitted(_("Only the staff member registers their own home days."))
    else:
        _check_action(registration, actor, "resubmit")
    days = _validate_shape(mode=mode, starts_on=starts_on, ends_on=ends_on, weekdays=weekdays, dates=dates, today=today, skipped=skipped)
    decision, parameters = _validate_request(
        staff=staff,
        days=days,
        equipment_attested=equipment_attested,
        commitment_accepted=commitment_accepted,
        resolver=PolicyResolver(),
        exclude_registration=registration.pk if registration is not None else None,
    )
    return CheckedRequest(days=days, decision=decision, parameters=parameters)


def registration_check(
    *,
    staff: Staff,
    actor: User,
    registration: Registration | None = None,
    starts_on: dt.date,
    ends_on: dt.date,
    mode: str = RegistrationMode.WEEKLY,
    weekdays: list[int] | None = None,
    dates: list[dt.date] | None = None,
    skipped_dates: list[dt.date] | None = None,
    equipment_attested: list[str] | None = None,
    commitment_accepted: bool = False,
    work_plan: str = "",
    today: dt.date | None = None,
) -> Verdict:
    """Would ``registration_submit`` (or, given the ``registration`` sent back, ``registration_resubmit``) accept
    this request now? Every rule the write runs — who registers, the period's shape, eligibility on each day, the
    equipment and commitment, the caps against what is approved — and nothing written. Allowed: ``value`` is the
    working days the request covers (for the preview); refused: the ``DomainError`` the write would raise."""
    return verdict(
        lambda: (
            _check_request(
                staff=registration.staff if registration is not None else staff,
                actor=actor,
                registration=registration,
                starts_on=starts_on,
                ends_on=ends_on,
                mode=mode,
                weekdays=list(weekdays or []),
                dates=list(dates or []),
                skipped=_days_left_out(mode, skipped_dates),
                equipment_attested=list(equipment_attested or []),
                commitment_accepted=commitment_accepted,
                today=today or clock.today(),
            ).days
        )
    )


def _check_approval(registration: Registration, actor: User, today: dt.date) -> list[dt.date]:
    _check_action(registration, actor, "approve")
    days = sorted(registration.days.filter(day__gte=today).values_list("day", flat=True))
    if not days:
        raise ValidationFailed(_("Every requested day has passed; ask the staff member to register again."), rule="period")
    resolver = PolicyResolver()
    problems, _decision = _eligibility_problems(registration.staff, days, resolver)
    violations = _cap_violations(staff=registration.staff, unit=registration.unit, days=days, resolver=resolver, exclude_registration=registration.pk)
    _raise_if_refused(problems, violations)
    return days


def registration_approve_check(*, registration: Registration, actor: User, today: dt.date | None = None) -> Verdict:
    """Would ``registration_approve`` approve now? Who decides, the state, the days not yet passed, eligibility on
    each and the caps against what is approved — nothing written. Allowed: ``value`` is the days that would count."""
    return verdict(lambda: _check_approval(registration, actor, today or clock.today()))


# ----------------------------------------------------------------------------------------------- writes


@transaction.atomic
def registration_submit(
    *,
    staff: Staff,
    actor: User,
    starts_on: dt.date,
    ends_on: dt.date,
    mode: str = RegistrationMode.WEEKLY,
    weekdays: list[int] | None = None,
    dates: list[dt.date] | None = None,
    skipped_dates: list[dt.date] | None = None,
    equipment_attested: list[str] | None = None,
    commitment_accepted: bool = False,
    work_plan: str = "",
    today: dt.date | None = None,
) -> Registration:
    """Register home days for a period. Refused, with every rule named, if the staff member is not eligible, did
    not attest the equipment or accept the commitment, or the days would break a cap given what is approved."""
    weekdays, dates, equipment_attested = list(weekdays or []), list(dates or []), list(equipment_attested or [])
    skipped = _days_left_out(mode, skipped_dates)
    checked = _check_request(
        staff=staff,
        actor=actor,
        registration=None,
        starts_on=starts_on,
        ends_on=ends_on,
        mode=mode,
        weekdays=weekdays,
        dates=dates,
        skipped=skipped,
        equipment_attested=equipment_attested,
        commitment_accepted=commitment_accepted,
        today=today or clock.today(),
    )
    registration = Registration.objects.create(
        staff=staff,
        unit=staff.unit,
        starts_on=starts_on,
        ends_on=ends_on,
        mode=mode,
        weekdays=sorted(weekdays),
        requested_dates=[day.isoformat() for day in sorted(dates)],
        skipped_dates=[day.isoformat() for day in skipped],
        equipment_attested=sorted(equipment_attested),
        commitment_accepted=commitment_accepted,
        commitment_text=str(COMMITMENT_TEXT),
        work_plan=work_plan,
        eligibility_snapshot=checked.decision.as_dict(),
        policy_snapshot=checked.parameters,
        submitted_at=clock.now(),
    )
    RegistrationDay.objects.bulk_create(RegistrationDay(registration=registration, staff=staff, unit=staff.unit, day=day) for day in checked.days)
    audit_record(actor=actor, action="registration.submit", target=registration, after=_snapshot(registration), agency_id=staff.unit.agency_id)
    _notify(registration, "submitted")
    return registration


COMMITMENT_TEXT = _(
    "I commit to completing the work assigned to me on my home days by its deadlines, in the agreed volume and "
    "quality; to staying reachable by phone during working hours; to reporting progress and results to my direct "
    "superior through the system; and to keeping official documents and data secure."
)


@transaction.atomic
def registration_resubmit(
    *,
    registration: Registration,
    actor: User,
    starts_on: dt.date,
    ends_on: dt.date,
    mode: str,
    weekdays: list[int] | None = None,
    dates: list[dt.date] | None = None,
    skipped_dates: list[dt.date] | None = None,
    equipment_attested: list[str] | None = None,
    commitment_accepted: bool = False,
    work_plan: str = "",
    today: dt.date | None = None,
) -> Registration:
    """After the head asked for changes, the staff member edits and submits again; validated like a new one."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    weekdays, dates, equipment_attested = list(weekdays or []), list(dates or []), list(equipment_attested or [])
    skipped = _days_left_out(mode, skipped_dates)
    checked = _check_request(
        staff=registration.staff,
        actor=actor,
        registration=registration,
        starts_on=starts_on,
        ends_on=ends_on,
        mode=mode,
        weekdays=weekdays,
        dates=dates,
        skipped=skipped,
        equipment_attested=equipment_attested,
        commitment_accepted=commitment_accepted,
        today=today or clock.today(),
    )

    def replace_days() -> None:
        registration.days.all().delete()
        RegistrationDay.objects.bulk_create(
            RegistrationDay(registration=registration, staff=registration.staff, unit=registration.unit, day=day) for day in checked.days
        )

    fields = {
        "starts_on": starts_on,
        "ends_on": ends_on,
        "mode": mode,
        "weekdays": sorted(weekdays),
        "requested_dates": [day.isoformat() for day in sorted(dates)],
        "skipped_dates": [day.isoformat() for day in skipped],
        "equipment_attested": sorted(equipment_attested),
        "commitment_accepted": commitment_accepted,
        "work_plan": work_plan,
        "eligibility_snapshot": checked.decision.as_dict(),
        "policy_snapshot": checked.parameters,
        "submitted_at": clock.now(),
    }
    change = _change(
        registration, audit_action="registration.resubmit", fields=fields, stamp=None, then=replace_days, notify=_notifier(registration, "submitted")
    )
    perform(registration, workflow=REGISTRATION_FLOW, action="resubmit", actor=actor, change=change)
    return registration


@transaction.atomic
def registration_withdraw(*, registration: Registration, actor: User) -> Registration:
    """The staff member withdraws a registration that has not been decided."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_action(registration, actor, "withdraw")
    perform(
        registration, workflow=REGISTRATION_FLOW, action="withdraw", actor=actor, change=_change(registration, audit_action="registration.withdraw", stamp=None)
    )
    return registration


def _check_decider(registration: Registration, actor: User) -> None:
    if not scope.can_decide_for(actor, registration.staff):
        raise NotPermitted(_("Only the direct superior or a head in charge of this unit decides this registration."))


@transaction.atomic
def registration_approve(*, registration: Registration, actor: User, comment: str = "", today: dt.date | None = None) -> Registration:
    """Approve, after re-checking every rule against what is approved now (``registration_approve_check``).

    The unit row is locked first (``select_for_update``): approvals in one unit run one after another, so two heads
    approving the last slot at once cannot both succeed. The partial unique index on counted days backs this up.
    """
    Unit.objects.select_for_update().get(pk=registration.unit_id)
    # ``of``: lock the registration and the person (their own caps), not the agency and position rows that
    # select_related joins, which would make approvals in sibling units of one agency wait for each other.
    registration = Registration.objects.select_for_update(of=("self", "staff")).select_related("staff__unit__agency", "staff__position").get(pk=registration.pk)
    days = _check_approval(registration, actor, today or clock.today())

    def count_days() -> None:
        try:
            with transaction.atomic():
                registration.days.filter(day__in=days).update(is_counted=True)
        except IntegrityError as error:
            raise RuleViolation(_("One of these days is already an approved home day."), rule="registration_overlap") from error

    now = clock.now()
    change = _decision(
        registration,
        actor,
        audit_action="registration.approve",
        fields={"approved_at": now, "decided_at": now},
        reason=comment,
        then=count_days,
        notify=_notifier(registration, "approved"),
    )
    perform(registration, workflow=REGISTRATION_FLOW, action="approve", actor=actor, change=change)
    return registration


@transaction.atomic
def registration_reject(*, registration: Registration, actor: User, reason: str) -> Registration:
    """Reject with a reason, which the staff member sees."""
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for the rejection."), rule="reason")
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_action(registration, actor, "reject")
    change = _decision(registration, actor, audit_action="registration.reject", reason=reason.strip(), notify=_notifier(registration, "rejected"))
    perform(registration, workflow=REGISTRATION_FLOW, action="reject", actor=actor, change=change)
    return registration


@transaction.atomic
def registration_request_changes(*, registration: Registration, actor: User, comment: str) -> Registration:
    """Send back to the staff member with what to change."""
    if not comment.strip():
        raise ValidationFailed(_("Say what should change."), rule="comment")
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_action(registration, actor, "request_changes")
    change = _decision(
        registration, actor, audit_action="registration.request_changes", reason=comment.strip(), notify=_notifier(registration, "changes_requested")
    )
    perform(registration, workflow=REGISTRATION_FLOW, action="request_changes", actor=actor, change=change)
    return registration


@dataclass(frozen=True)
class Outcome:
    """One registration of a decision taken on several at once: decided, or the refusal naming the rule."""

    registration: Registration
    refusal: DomainError | None = None

    @property
    def is_done(self) -> bool:
        return self.refusal is None


BULK_ACTIONS = frozenset({"approve", "reject"})


def registrations_decide_many(*, registrations: Iterable[Registration], actor: User, action: str, comment: str = "") -> list[Outcome]:
    """Approve (or reject, with one reason for all) several registrations, one after another, each through the same
    service as a single decision (``registration_approve``: the caps checked under the unit's lock each time, in
    its own transaction, with its own audit row and notification). Not atomic as a whole, on purpose: a registration
    refused by a rule is reported with that rule and leaves the others decided. Oldest submission first, as the
    inbox lists them, so the requests that waited longest take the last free places."""
    if action not in BULK_ACTIONS:
        raise ValidationFailed(_("Several registrations can only be approved or rejected at once."), rule="action")
    if action == "reject" and not comment.strip():
        raise ValidationFailed(_("Give the reason for the rejection."), rule="reason")
    outcomes = []
    for registration in sorted(registrations, key=lambda item: (item.submitted_at or item.created_at, item.pk)):
        try:
            if action == "approve":
                registration_approve(registration=registration, actor=actor, comment=comment)
            else:
                registration_reject(registration=registration, actor=actor, reason=comment)
        except DomainError as refusal:
            outcomes.append(Outcome(registration, refusal))
        else:
            outcomes.append(Outcome(registration))
    return outcomes


def revocation_effective_on(registration: Registration, today: dt.date) -> tuple[dt.date, int]:
    """The last home day kept when revoking today, and the notice applied: the policy's notice to end
    (``notice_days``), or the shorter ``notice_days_during_trial`` within the trial period after approval
    (décret 2016-151 art. 5: 2 months, 1 during adaptation)."""
    parameters = registration.policy_snapshot or {}
    notice = int(parameters.get("notice_days", 0))
    trial_days = int(parameters.get("trial_period_days", 0))
    approved_on = timezone.localdate(registration.approved_at) if registration.approved_at else today
    if trial_days and today < approved_on + dt.timedelta(days=trial_days):
        notice = int(parameters.get("notice_days_during_trial", notice))
    return today + dt.timedelta(days=notice), notice


@transaction.atomic
def registration_revoke(*, registration: Registration, actor: User, reason: str, today: dt.date | None = None) -> Registration:
    """Revoke an approved registration. Home days after the notice period stop counting; earlier ones stand."""
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for the revocation."), rule="reason")
    Unit.objects.select_for_update().get(pk=registration.unit_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_action(registration, actor, "revoke")
    effective_on, notice = revocation_effective_on(registration, today or clock.today())

    def stop_counting_after_notice() -> None:
        registration.days.filter(day__gt=effective_on).update(is_counted=False)

    change = _decision(
        registration,
        actor,
        audit_action="registration.revoke",
        fields={"revoked_effective_on": effective_on},
        reason=reason.strip(),
        then=stop_counting_after_notice,
        audit_extra={"notice_days": notice},
        notify=_notifier(registration, "revoked"),
    )
    perform(registration, workflow=REGISTRATION_FLOW, action="revoke", actor=actor, change=change)
    return registration


# --- home days moved by a swap ---------------------------------------------------------------------------------------


def home_day_move_check(*, staff: Staff, from_day: dt.date, to_day: dt.date, resolver: PolicyResolver | None = None) -> None:
    """May ``staff``'s approved home day ``from_day`` become ``to_day``? Asked when two colleagues swap a home day for
    an office day: the approval follows the home day it was given for, so the person keeps as many approved days.

    Refuses when ``from_day`` is not an approved home day of theirs, ``to_day`` already is, or they are not eligible
    on ``to_day`` (the eligibility rule that says no). The daily, weekly and monthly caps are judged by the caller
    on the whole week (``telework.rosters`` re-checks the roster with the moved days), not day by day here.
    """
    if not RegistrationDay.objects.filter(staff=staff, day=from_day, is_counted=True).exists():
        raise RuleViolation(
            _("%(date)s is not an approved home day of %(person)s.") % {"date": from_day.strftime("%d/%m/%Y"), "person": staff.full_name},
            rule="approved_days_only",
        )
    if RegistrationDay.objects.filter(staff=staff, day=to_day, is_counted=True).exists():
        raise RuleViolation(
            _("%(date)s is already an approved home day of %(person)s.") % {"date": to_day.strftime("%d/%m/%Y"), "person": staff.full_name},
            rule="registration_overlap",
        )
    problems, _decision = _eligibility_problems(staff, [to_day], resolver or PolicyResolver())
    _raise_if_refused(problems, [])


@transaction.atomic
def home_day_move(*, staff: Staff, from_day: dt.date, to_day: dt.date, actor: User, reason: str = "") -> RegistrationDay:
    """Move ``staff``'s approved home day from ``from_day`` to ``to_day`` (a swap the head approved), in the
    registration that approved it, after ``home_day_move_check``. The day keeps counting against the caps; the
    registration's history shows the move."""
    # The unit row owns the caps (see ``registration_approve``): moves and approvals in a unit run one at a time.
    Unit.objects.select_for_update().get(pk=staff.unit_id)
    row = (
        RegistrationDay.objects.select_for_update(of=("self",)).select_related("registration__unit").filter(staff=staff, day=from_day, is_counted=True).first()
    )
    if row is None:
        raise RuleViolation(
            _("%(date)s is not an approved home day of %(person)s.") % {"date": from_day.strftime("%d/%m/%Y"), "person": staff.full_name},
            rule="approved_days_only",
        )
    home_day_move_check(staff=staff, from_day=from_day, to_day=to_day)
    registration = row.registration
    # A day the registration once held but no longer counts (past a revocation, or passed when approved) is
    # counted again rather than duplicated: one row per registration and day.
    earlier = registration.days.filter(day=to_day).first()
    if earlier is not None:
        row.is_counted = False
        row.save(update_fields=["is_counted"])
        earlier.is_counted = True
        earlier.save(update_fields=["is_counted"])
        row = earlier
    else:
        row.day = to_day
        row.save(update_fields=["day"])
    audit_record(
        actor=actor,
        action="registration.home_day_move",
        target=registration,
        before={"day": from_day.isoformat()},
        after={"day": to_day.isoformat()},
        reason=reason,
        agency_id=registration.unit.agency_id,
    )
    return row
