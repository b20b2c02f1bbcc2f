"""Attendance actions: check in, check out, set the reachable status, detect missed check-ins, and a head's
correction of a person's working day.

Each is one transaction. The web page, the phone API, the Celery task and the command all call these; the rules
themselves are in ``telework.attendance.rules``.

Check-in is the morning peak (a whole city within about fifteen minutes, MISSION "Scale to plan for"), so its path
is short on purpose: one read (the staff record, their roster cell and leave, ``selectors.check_in_context``) and
one INSERT that the unique index (staff, day) guards; a second check-in fails on the index and is explained, and
nothing changes. The phone's check-in by token on PostgreSQL is a single statement (``telework.attendance.peak``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import ApiToken, User
from telework.attendance import peak, permissions, rules, selectors
from telework.attendance.models import CheckIn, CheckInCorrection, MissedCheckIn, Reachability, WorkMode
from telework.core import calendar, clock
from telework.core.audit import audit_record
from telework.core.background import enqueue
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.workflow import Verdict, verdict
from telework.organization import scope
from telework.organization.delegations import person_name
from telework.organization.models import Staff

NOTE_MAX_LENGTH = 300
NO_STAFF_RECORD = _("Only staff members check in; your account is not linked to an active staff record.")


def _local_time(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _clean_note(note: str, field: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationFailed(
            _("The note is %(length)s characters long; keep it to %(limit)s.") % {"length": len(note), "limit": NOTE_MAX_LENGTH},
            rule=field,
            params={"limit": NOTE_MAX_LENGTH},
        )
    return note


def _valid_check_in(mode: str, note: str) -> str:
    """The note, stripped, once the mode and the note are known to be acceptable (else ``ValidationFailed``)."""
    if mode not in rules.MODES:
        raise ValidationFailed(_("Choose where you work today: at the office or at home."), rule="mode")
    return _clean_note(note, "note")


def _reachability_at_check_in(mode: str, now: dt.datetime) -> tuple[str, dt.datetime | None]:
    """A check-in at home starts reachable (MISSION item 6); at the office there is no reachable status."""
    return (Reachability.REACHABLE.value, now) if mode == WorkMode.HOME else ("", None)


def _already_checked_in(existing: CheckIn) -> RuleViolation:
    """The refusal of a second check-in, with the time and mode of the first (``existing``)."""
    return RuleViolation(
        _(
            "You already checked in today at %(time)s (%(mode)s). There is one check-in per person per day; if the first was wrong, say so in the note when you check out."
        )
        % {"time": _local_time(existing.checked_in_at), "mode": existing.get_mode_display()},
        rule="one_check_in_per_person_per_day",
        params={"checked_in_at": existing.checked_in_at.isoformat(), "mode": existing.mode},
    )


def _second_check_in(staff_id: int, day: dt.date, mode: str, note: str) -> CheckIn | RuleViolation | None:
    """What a check-in that met the unique index answers. The same check-in sent again — same person, day, mode and
    note: a phone that lost the answer and retried, a request replayed after an application host died, a double
    tap — gets the check-in stored, exactly as the first call would have (one row, the same acknowledgement); any
    other is refused with the time and mode of the first. None if there is no first."""
    existing = CheckIn.objects.filter(staff_id=staff_id, day=day).first()
    if existing is None:
        return None
    if existing.mode == mode and existing.note == note:
        return existing
    return _already_checked_in(existing)


def attendance_check_in(*, actor: User, mode: str, note: str = "", now: dt.datetime | None = None, context: selectors.CheckInContext | None = None) -> CheckIn:
    """Check the actor in for today, at the office or at home, as they choose.

    The check-in is compared with the newest published roster and recorded leave (``rules.compare``): at home while
    the roster says office (or a desk), at the office while it says home, or checked in while on leave is flagged
    for the head, never refused. One check-in per person per day (the unique index ``one_check_in_per_person_per_day``):
    the same check-in sent again (same mode and note) answers the one stored; another is refused with the time of the
    first, and nothing changes. No location or address is recorded.

    ``context``: the actor's facts for today when the caller already read them (``selectors.caller_by_token``);
    otherwise, or if they are for another person or day, they are read here.
    """
    note = _valid_check_in(mode, note)
    now = now or clock.now()
    day = timezone.localdate(now)
    if context is None or context.user_id != getattr(actor, "pk", None) or context.day != day:
        context = selectors.check_in_context(user=actor, day=day)
    if context is None:
        raise NotPermitted(NO_STAFF_RECORD, rule="staff_record")
    finding = rules.compare(mode, selectors.day_plan(context, day))
    reachability, reachability_at = _reachability_at_check_in(mode, now)
    check_in = CheckIn(
        staff_id=context.staff_id,
        unit_id=context.unit_id,
        day=day,
        mode=mode,
        checked_in_at=now,
        note=note,
        rostered=context.rostered or "",
        finding=finding,
        is_mismatch=rules.is_mismatch(finding),
        reachability=reachability,
        reachability_at=reachability_at,
    )
    try:
        if connection.in_atomic_block:
            with transaction.atomic():  # a savepoint, so that a refusal leaves the caller's transaction usable
                CheckIn.objects.insert(check_in)
        else:
            # Alone, the INSERT is its own transaction: BEGIN and COMMIT around it would cost two more round trips.
            CheckIn.objects.insert(check_in)
    except IntegrityError as error:
        answer = _second_check_in(context.staff_id, day, mode, note)
        if answer is None:
            raise
        if isinstance(answer, CheckIn):
            return answer
        raise answer from error
    return check_in


def attendance_check_in_with_token(*, key: str, mode: str, note: str = "", now: dt.datetime | None = None) -> CheckIn | None:
    """The phone's check-in: the holder of the API token ``key`` checks in, exactly as ``attendance_check_in``
    (same rules, same refusals), and the token's last use is stamped, whatever the outcome once the token is valid.

    None for an unknown or revoked token or an inactive user: nothing is written. On PostgreSQL it is one
    statement (``telework.attendance.peak``: the morning peak); on SQLite a read and a write.
    """
    note = _valid_check_in(mode, note)
    now = now or clock.now()
    day = timezone.localdate(now)
    if connection.vendor == "postgresql":
        reachability, reachability_at = _reachability_at_check_in(mode, now)
        done = peak.check_in_by_token(
            key=key,
            mode=mode,
            note=note,
            now=now,
            day=day,
            is_working_day=calendar.is_working_day(day),
            reachability=reachability,
            reachability_at=reachability_at,
        )
        if done is None:
            return None
        if done.staff_id is None:
            raise NotPermitted(NO_STAFF_RECORD, rule="staff_record")
        if done.check_in is None:
            # The unique index refused the INSERT (ON CONFLICT DO NOTHING): this person checked in first — maybe with
            # this very request, retried after its answer was lost.
            answer = _second_check_in(done.staff_id, day, mode, note)
            if isinstance(answer, CheckIn):
                return answer
            raise answer or RuleViolation(_("Your check-in could not be recorded; try again."), rule="one_check_in_per_person_per_day")
        return done.check_in
    caller = selectors.caller_by_token(key=key, day=day)
    if caller is None:
        return None
    ApiToken.mark_used(caller.token_id, now)
    return attendance_check_in(actor=caller.user, mode=mode, note=note, now=now, context=caller.context)


@transaction.atomic
def attendance_check_out(*, actor: User, note: str = "", now: dt.datetime | None = None) -> CheckIn:
    """Check the actor out of today's check-in; the hours worked run from check-in to check-out.

    Refused without a check-in today (a check-in left open on an earlier day stays open: its hours are unknown),
    a second time, and when the check-out would come before the check-in or more than ``rules.MAX_SHIFT_MINUTES``
    after it.
    """
    me = scope.own_staff(actor)
    if me is None or not me.is_active:
        raise NotPermitted(NO_STAFF_RECORD, rule="staff_record")
    note = _clean_note(note, "note")
    now = now or clock.now()
    day = timezone.localdate(now)
    check_in = CheckIn.objects.select_for_update().filter(staff=me, day=day).first()
    if check_in is None:
        earlier = CheckIn.objects.filter(staff=me, day__lt=day, checked_out_at__isnull=True).order_by("-day").first()
        details = []
        if earlier is not None:
            details.append(
                {
                    "rule": "check_out.same_day",
                    "date": earlier.day.isoformat(),
                    "message": str(
                        _("Your check-in of %(date)s was never checked out, so its hours are not counted.")
                        % {"date": formats.date_format(earlier.day, "d/m/Y")}
                    ),
                }
            )
        raise InvalidTransition(_("You have not checked in today, so there is nothing to check out of."), rule="check_out.requires_check_in", details=details)
    if check_in.checked_out_at is not None:
        raise InvalidTransition(
            _("You already checked out today at %(time)s.") % {"time": _local_time(check_in.checked_out_at)},
            rule="check_out.once",
            params={"checked_out_at": check_in.checked_out_at.isoformat()},
        )
    problem = rules.check_out_problem(check_in.checked_in_at, now)
    if problem == "check_out_before_check_in":
        raise ValidationFailed(
            _("A check-out at %(out)s would come before the check-in at %(in)s.") % {"out": _local_time(now), "in": _local_time(check_in.checked_in_at)},
            rule="check_out_after_check_in",
        )
    if problem == "shift_too_long":
        raise ValidationFailed(
            _("A check-out at %(out)s would make a working day of more than %(hours)s hours since the check-in at %(in)s.")
            % {"out": _local_time(now), "in": _local_time(check_in.checked_in_at), "hours": rules.MAX_SHIFT_MINUTES // 60},
            rule="max_shift_hours",
            params={"hours": rules.MAX_SHIFT_MINUTES // 60},
        )
    check_in.checked_out_at = now
    check_in.check_out_note = note
    check_in.save(update_fields=["checked_out_at", "check_out_note"])
    return check_in


@transaction.atomic
def attendance_set_reachability(*, actor: User, status: str, now: dt.datetime | None = None) -> CheckIn:
    """A person working at home today tells their head whether they can be reached now (reachable, in a meeting,
    briefly away). Refused for an unknown status, without a check-in today, at the office, and after check-out."""
    if status not in Reachability.values:
        raise ValidationFailed(_("Choose reachable, in a meeting or briefly away."), rule="status")
    me = scope.own_staff(actor)
    if me is None or not me.is_active:
        raise NotPermitted(NO_STAFF_RECORD, rule="staff_record")
    now = now or clock.now()
    check_in = CheckIn.objects.select_for_update().filter(staff=me, day=timezone.localdate(now)).first()
    if check_in is None:
        raise InvalidTransition(_("Check in first: the reachable status belongs to today's check-in at home."), rule="reachability.requires_check_in")
    if check_in.mode != WorkMode.HOME:
        raise InvalidTransition(_("The reachable status is for working at home; you checked in at the office today."), rule="reachability.home_only")
    if check_in.checked_out_at is not None:
        raise InvalidTransition(
            _("You checked out at %(time)s; the reachable status ends with the working day.") % {"time": _local_time(check_in.checked_out_at)},
            rule="reachability.checked_out",
        )
    check_in.reachability = status
    check_in.reachability_at = now
    check_in.save(update_fields=["reachability", "reachability_at"])
    return check_in


# --- missed check-ins -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissedRun:
    """What one detection did: ``skipped`` says why nothing was checked ("" when it ran)."""

    day: dt.date
    cutoff: dt.time
    skipped: str
    expected: int
    checked_in: int
    missed: int
    new: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "cutoff": self.cutoff.strftime("%H:%M"),
            "skipped": self.skipped,
            "expected": self.expected,
            "checked_in": self.checked_in,
            "missed": self.missed,
            "new": self.new,
        }


def missed_check_ins_detect(*, day: dt.date, now: dt.datetime | None = None, cutoff: dt.time = selectors.DEFAULT_CUTOFF) -> MissedRun:
    """Record, once per person and day, everyone the published rosters expected on ``day`` (at the office, at a desk
    or at home; not on leave) who had not checked in by ``cutoff`` local time, and alert them and their head after
    commit. Nothing happens on weekends and public holidays, or before the cut-off. Idempotent: a second run
    records and alerts nobody twice (unique (staff, day), alerts keyed per row)."""
    now = now or clock.now()
    if not calendar.is_working_day(day):
        return MissedRun(day=day, cutoff=cutoff, skipped="holiday" if calendar.holiday_name(day) else "weekend", expected=0, checked_in=0, missed=0, new=0)
    if timezone.localtime(now) < rules.cutoff_moment(day, cutoff, timezone.get_current_timezone()):
        return MissedRun(day=day, cutoff=cutoff, skipped="before_cutoff", expected=0, checked_in=0, missed=0, new=0)
    expected = selectors.expected_check_ins(day)
    checked_in = set(CheckIn.objects.filter(day=day).values_list("staff_id", flat=True))
    missed = [item for item in expected if item.staff_id not in checked_in]
    with transaction.atomic():
        already = set(MissedCheckIn.objects.filter(day=day).values_list("staff_id", flat=True))
        new_rows = [
            MissedCheckIn(staff_id=item.staff_id, unit_id=item.unit_id, day=day, rostered=item.rostered, cutoff=cutoff, detected_at=now)
            for item in missed
            if item.staff_id not in already
        ]
        # ignore_conflicts: a detection running at the same moment may have recorded the same person first.
        MissedCheckIn.objects.bulk_create(new_rows, ignore_conflicts=True, batch_size=1000)
        if new_rows:
            transaction.on_commit(lambda: enqueue("attendance.notify_missed_check_ins", day.isoformat()))
    return MissedRun(
        day=day,
        cutoff=cutoff,
        skipped="",
        expected=len(expected),
        checked_in=sum(1 for item in expected if item.staff_id in checked_in),
        missed=len(missed),
        new=len(new_rows),
    )


# --- a head's correction ----------------------------------------------------------------------------------------

REASON_MAX_LENGTH = 300


@dataclass(frozen=True)
class Correction:
    """What a head sets a person's day to: the mode and the two moments (aware; the check-out may stay empty)."""

    mode: str
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None
    reason: str


def _date(day: dt.date) -> str:
    return formats.date_format(day, "d/m/Y")


def _correction_refusal(problem: str, *, day: dt.date, correction: Correction, max_days: int) -> ValidationFailed:
    """The refusal for a ``rules.correction_problem``, in words."""
    if problem == rules.CORRECTION_FUTURE_DAY:
        return ValidationFailed(_("%(date)s has not come yet; only a day that has begun can be corrected.") % {"date": _date(day)}, rule=problem)
    if problem == rules.CORRECTION_TOO_OLD:
        return ValidationFailed(
            _("%(date)s is more than %(days)s days ago; check-ins that old can no longer be corrected.") % {"date": _date(day), "days": max_days},
            rule=problem,
            params={"days": max_days},
        )
    if problem == rules.CORRECTION_OTHER_DAY:
        return ValidationFailed(_("Both times must fall on %(date)s.") % {"date": _date(day)}, rule=problem)
    if problem == rules.CORRECTION_FUTURE_TIME:
        return ValidationFailed(_("A time that has not come yet cannot be recorded."), rule=problem)
    if problem == rules.CORRECTION_CHECK_OUT_BEFORE_CHECK_IN:
        return ValidationFailed(
            _("A check-out at %(out)s would come before the check-in at %(in)s.")
            % {"out": _local_time(correction.checked_out_at or correction.checked_in_at), "in": _local_time(correction.checked_in_at)},
            rule=problem,
        )
    return ValidationFailed(
        _("A check-out at %(out)s would make a working day of more than %(hours)s hours since the check-in at %(in)s.")
        % {
            "out": _local_time(correction.checked_out_at or correction.checked_in_at),
            "in": _local_time(correction.checked_in_at),
            "hours": rules.MAX_SHIFT_MINUTES // 60,
        },
        rule=problem,
        params={"hours": rules.MAX_SHIFT_MINUTES // 60},
    )


def _validate_correction(*, actor: User, staff: Staff, day: dt.date, correction: Correction, now: dt.datetime) -> str:
    """The reason, stripped, once the actor may correct the person's day and the correction is within the bounds
    (``rules.correction_problem``); otherwise the refusal. Nothing is written."""
    if not permissions.can_correct(actor, staff):
        raise NotPermitted(
            _("Only those who answer for %(person)s, and their agency's HR office, correct their check-ins.") % {"person": staff.full_name},
            rule="correction.who",
        )
    reason = (correction.reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the check-in is corrected; the person reads it."), rule="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationFailed(
            _("The reason is %(length)s characters long; keep it to %(limit)s.") % {"length": len(reason), "limit": REASON_MAX_LENGTH},
            rule="reason",
            params={"limit": REASON_MAX_LENGTH},
        )
    if correction.mode not in rules.MODES:
        raise ValidationFailed(_("Choose where the person worked: at the office or at home."), rule="mode")
    max_days = settings.ATTENDANCE_CORRECTION_DAYS
    checked_out_at = timezone.localtime(correction.checked_out_at) if correction.checked_out_at else None
    problem = rules.correction_problem(
        day=day,
        today=timezone.localdate(now),
        max_days_back=max_days,
        now=timezone.localtime(now),
        checked_in_at=timezone.localtime(correction.checked_in_at),
        checked_out_at=checked_out_at,
    )
    if problem is not None:
        raise _correction_refusal(problem, day=day, correction=correction, max_days=max_days)
    return reason


def attendance_correct_check(*, actor: User, staff: Staff, day: dt.date, correction: Correction, now: dt.datetime | None = None) -> Verdict:
    """Whether ``actor`` may set ``staff``'s ``day`` as ``correction`` says, and if not the refusal naming the rule
    (the correction page's preview). Nothing is written."""
    moment = now or clock.now()
    return verdict(lambda: _validate_correction(actor=actor, staff=staff, day=day, correction=correction, now=moment))


def _snapshot(check_in: CheckIn | None) -> dict[str, Any]:
    if check_in is None:
        return {"checked_in": False}
    return {
        "mode": check_in.mode,
        "checked_in_at": timezone.localtime(check_in.checked_in_at).strftime("%H:%M"),
        "checked_out_at": timezone.localtime(check_in.checked_out_at).strftime("%H:%M") if check_in.checked_out_at else "",
    }


def _on_behalf_of(actor: User, staff: Staff) -> dict[str, str]:
    """For a deputy correcting under a delegation in force, the head they act for (the audit row shows both); else
    nothing, so every other row reads as before."""
    head = scope.acting_head_for(actor, staff)
    if head is None:
        return {}
    return {"on_behalf_of": person_name(head)}


@transaction.atomic
def attendance_correct(
    *, actor: User, staff: Staff, day: dt.date, correction: Correction, seen: str | None = None, now: dt.datetime | None = None
) -> CheckInCorrection:
    """A head corrects a person's working day: sets the mode, the check-in time and the check-out time (a forgotten
    check-out, a wrong time), or records the day's check-in the person forgot. A reason is required; what the
    check-in said before is kept (``CheckInCorrection``) and audited; the comparison with the roster is made again;
    a missed check-in alerted that day is cleared by the correction; the person is told after the commit.

    Refused, with nothing changed: for someone the actor does not answer for (``permissions.can_correct``), without a
    reason, outside the bounds of ``rules.correction_problem`` (a day to come, more than
    ``ATTENDANCE_CORRECTION_DAYS`` ago, a time to come or on another day, a check-out before the check-in), when
    nothing would change, and when the check-in changed since the head read it (``seen``, from
    ``selectors.check_in_fingerprint``: the person checked out, or another head corrected it meanwhile).
    """
    now = now or clock.now()
    # The person's row is the lock every correction of their days takes: two heads correcting at once are serialised.
    staff = Staff.objects.select_for_update().select_related("unit").get(pk=staff.pk)
    reason = _validate_correction(actor=actor, staff=staff, day=day, correction=correction, now=now)
    check_in = CheckIn.objects.select_for_update().filter(staff=staff, day=day).first()
    if seen is not None and selectors.check_in_fingerprint(check_in) != seen:
        raise RuleViolation(
            _(
                "This check-in changed while you were correcting it (the person or another head acted meanwhile). Read it again and correct it if it is still wrong."
            ),
            rule="correction.stale",
        )
    before = _snapshot(check_in)
    if check_in is not None and (check_in.mode, check_in.checked_in_at, check_in.checked_out_at) == (
        correction.mode,
        correction.checked_in_at,
        correction.checked_out_at,
    ):
        raise ValidationFailed(_("These are the times already recorded; nothing to correct."), rule="correction.unchanged")
    plan, cell = selectors.staff_day_plan(staff, day)
    finding = rules.compare(correction.mode, plan)
    record = CheckInCorrection(
        created_check_in=check_in is None,
        mode_before=check_in.mode if check_in else "",
        checked_in_at_before=check_in.checked_in_at if check_in else None,
        checked_out_at_before=check_in.checked_out_at if check_in else None,
        mode=correction.mode,
        checked_in_at=correction.checked_in_at,
        checked_out_at=correction.checked_out_at,
        reason=reason,
        corrected_by=actor if getattr(actor, "is_authenticated", False) else None,
        corrected_at=now,
    )
    if check_in is None:
        check_in = CheckIn(
            staff=staff,
            unit_id=staff.unit_id,
            day=day,
            mode=correction.mode,
            checked_in_at=correction.checked_in_at,
            checked_out_at=correction.checked_out_at,
            rostered=cell.status if cell else "",
            finding=finding,
            is_mismatch=rules.is_mismatch(finding),
        )
        try:
            with transaction.atomic():  # a savepoint: the person may check in at this very moment
                check_in.save(force_insert=True)
        except IntegrityError as error:
            raise RuleViolation(
                _("%(person)s has just checked in; read the check-in and correct it if it is still wrong.") % {"person": staff.full_name},
                rule="correction.stale",
            ) from error
    else:
        check_in.mode = correction.mode
        check_in.checked_in_at = correction.checked_in_at
        check_in.checked_out_at = correction.checked_out_at
        check_in.rostered = cell.status if cell else ""
        check_in.finding = finding
        check_in.is_mismatch = rules.is_mismatch(finding)
        fields = ["mode", "checked_in_at", "checked_out_at", "rostered", "finding", "is_mismatch"]
        if correction.mode != WorkMode.HOME and check_in.reachability:
            # The reachable status belongs to a day at home.
            check_in.reachability, check_in.reachability_at = "", None
            fields += ["reachability", "reachability_at"]
        check_in.save(update_fields=fields)
    record.check_in = check_in
    record.save(force_insert=True)
    cleared = MissedCheckIn.objects.filter(staff=staff, day=day, cleared_by__isnull=True).update(cleared_by=record)
    audit_record(
        actor=actor,
        action="check_in.correct",
        target=check_in,
        before={"day": day.isoformat(), **before},
        after={"day": day.isoformat(), **_snapshot(check_in), "finding": finding, "missed_check_in_cleared": bool(cleared), **_on_behalf_of(actor, staff)},
        reason=reason,
        agency_id=staff.unit.agency_id,
    )
    transaction.on_commit(lambda: enqueue("attendance.notify_check_in_corrected", record.pk))
    return record
