"""HR keeps a person's record on screen: create, edit, transfer to another unit, end, reinstate; a staff member keeps
their own phone and equipment up to date.

One decision, one service, one transaction with its audit row and, for a change of place on the staff, its
``StaffEvent`` (the pilot's attrition and mobility figures read those). Permission: ``scope.can_manage_organisation``
(agency HR for their agency, Home Affairs, system administrators); a person's own contact details: the person.
Every refusal is a ``ValidationFailed`` / ``InvalidTransition`` whose ``rule`` names the form field it is about, and
leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import User
from telework.accounts.services import deactivate_account, reactivate_account
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import InvalidTransition, NotPermitted, ValidationFailed
from telework.organization import scope
from telework.organization.accounts import provide_accounts
from telework.organization.models import Agency, EndReason, Equipment, Position, Sex, Staff, StaffEvent, StaffEventKind, StaffType, Unit

# A phone number as people write it: digits with spaces, dots, dashes, brackets and a leading "+"; 8 to 15 digits.
PHONE_CHARACTERS = re.compile(r"^\+?[0-9 .()\-]+$")
PHONE_DIGITS = (8, 15)
# The youngest and oldest a person on the staff can be (the Labour Code's minimum working age is 15).
MIN_AGE_YEARS = 15
MAX_AGE_YEARS = 100
# An end can be recorded ahead of its day (a resignation accepted for next month), at most this far ahead.
MAX_END_AHEAD_DAYS = 366

RECORD_FIELDS = (
    "full_name",
    "staff_type",
    "unit",
    "position",
    "is_leader",
    "is_deputy",
    "title",
    "direct_superior",
    "phone",
    "email",
    "equipment",
    "started_on",
    "training_completed_on",
    "disciplined_until",
    "date_of_birth",
    "sex",
)
PERSONAL_FIELDS = ("date_of_birth", "sex")


@dataclass
class StaffRecord:
    """What HR enters for a person (a form's cleaned data, an API body). The code is set once, at creation."""

    full_name: str
    staff_type: str
    unit: Unit
    position: Position
    is_leader: bool = False
    is_deputy: bool = False
    title: str = ""
    direct_superior: Staff | None = None
    phone: str = ""
    email: str = ""
    equipment: list[str] = field(default_factory=list)
    started_on: dt.date | None = None
    training_completed_on: dt.date | None = None
    disciplined_until: dt.date | None = None
    date_of_birth: dt.date | None = None
    sex: str = ""


# --- The accounts the records carry --------------------------------------------------------------------------------
# ``telework.organization.accounts.provide_accounts`` (an account per person, username = staff code, no usable
# password) and ``telework.accounts.services.deactivate_account`` / ``reactivate_account`` (sessions and tokens end;
# audited).


def _provide_account(person: Staff, actor: User | None) -> None:
    provide_accounts(staff=[person], actor=actor)


def _deactivate_account(person: Staff, actor: User | None, reason: str) -> None:
    if person.user is not None and person.user.is_active:
        deactivate_account(user=person.user, actor=actor, reason=reason, agency_id=person.unit.agency_id)


def _reactivate_account(person: Staff, actor: User | None, reason: str) -> None:
    if person.user is not None and not person.user.is_active:
        reactivate_account(user=person.user, actor=actor, reason=reason, agency_id=person.unit.agency_id)


# --- Checks ----------------------------------------------------------------------------------------------------------


def check_manager(actor: User | None, agency: Agency) -> None:
    """Refuse (``NotPermitted``) unless ``actor`` may change ``agency``'s staff records."""
    if actor is not None and not scope.can_manage_organisation(actor, agency):
        raise NotPermitted(
            _("Only the agency's HR office, Home Affairs or a system administrator may change this agency's staff records."), rule="can_manage_organisation"
        )


def _refuse(rule: str, message: Any, **params: Any) -> ValidationFailed:
    return ValidationFailed(message, rule=rule, params=params)


def validate_phone(phone: str) -> str:
    """The phone number trimmed, or ``ValidationFailed`` (rule ``phone``)."""
    phone = phone.strip()
    if not phone:
        return ""
    digits = sum(char.isdigit() for char in phone)
    if not PHONE_CHARACTERS.match(phone) or not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
        raise _refuse("phone", _("Enter a phone number of 8 to 15 digits, for example 0912 345 678 or +84 912 345 678."), phone=phone)
    return phone


def validate_equipment(equipment: list[str]) -> list[str]:
    """The equipment values sorted (as the import stores them), or ``ValidationFailed`` (rule ``equipment``)."""
    unknown = sorted(set(equipment) - set(Equipment.values))
    if unknown:
        raise _refuse("equipment", _("Choose the equipment from the list."), values=unknown)
    return sorted(set(equipment))


def _validate_record(record: StaffRecord, agency: Agency, person: Staff | None, today: dt.date) -> dict[str, Any]:
    """The record's values as they will be stored, after every rule of a staff record."""
    values: dict[str, Any] = {
        "full_name": " ".join(record.full_name.split()),
        "staff_type": record.staff_type,
        "unit": record.unit,
        "position": record.position,
        "is_leader": bool(record.is_leader or record.is_deputy),
        "is_deputy": bool(record.is_deputy),
        "title": " ".join(record.title.split()),
        "direct_superior": record.direct_superior,
        "phone": validate_phone(record.phone),
        "email": record.email.strip(),
        "equipment": validate_equipment(list(record.equipment)),
        "started_on": record.started_on,
        "training_completed_on": record.training_completed_on,
        "disciplined_until": record.disciplined_until,
        "date_of_birth": record.date_of_birth,
        "sex": record.sex or "",
    }
    if not values["full_name"]:
        raise _refuse("full_name", _("Enter the person's full name."))
    if len(values["full_name"]) > 200:
        raise _refuse("full_name", _("The full name is at most 200 characters."))
    if len(values["title"]) > 120:
        raise _refuse("title", _("The title is at most 120 characters."))
    if values["staff_type"] not in StaffType.values:
        raise _refuse("staff_type", _("Choose the staff type."))
    if record.unit.agency_id != agency.pk:
        raise _refuse("unit", _("Choose a unit of %(agency)s.") % {"agency": agency.name})
    if record.position.agency_id != agency.pk:
        raise _refuse("position", _("Choose a job position of %(agency)s.") % {"agency": agency.name})
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError as error:
            raise _refuse("email", _("Enter a valid e-mail address, for example ten.ho@tphcm.gov.vn.")) from error
    _check_superior(record.direct_superior, agency, person)
    if values["started_on"] is not None and values["started_on"] > today + dt.timedelta(days=MAX_END_AHEAD_DAYS):
        raise _refuse("started_on", _("The joining date is more than a year ahead."))
    if person is not None and person.ended_on is not None and values["started_on"] is not None and values["started_on"] > person.ended_on:
        raise _refuse("started_on", _("The joining date is after the day the person left (%(date)s).") % {"date": f"{person.ended_on:%d/%m/%Y}"})
    if values["training_completed_on"] is not None and values["training_completed_on"] > today:
        raise _refuse("training_completed_on", _("Telework training cannot be completed in the future."))
    if not agency.keeps_personal_data:
        if values["date_of_birth"] is not None or values["sex"]:
            raise _refuse(
                "date_of_birth",
                _("%(agency)s does not keep dates of birth and sex (personal data, Decree 13/2023/ND-CP).") % {"agency": agency.name},
            )
        # Whatever is on file stays as it is: the agency's switch, not an edit, decides what is kept.
        values.pop("date_of_birth")
        values.pop("sex")
    else:
        if values["sex"] and values["sex"] not in Sex.values:
            raise _refuse("sex", _("Choose the sex from the list."))
        birth = values["date_of_birth"]
        if birth is not None and not _years_before(today, MAX_AGE_YEARS) <= birth <= _years_before(today, MIN_AGE_YEARS):
            raise _refuse(
                "date_of_birth",
                _("The date of birth %(date)s is not possible for a member of staff (aged %(youngest)s to %(oldest)s).")
                % {"date": f"{birth:%d/%m/%Y}", "youngest": MIN_AGE_YEARS, "oldest": MAX_AGE_YEARS},
            )
    return values


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _check_superior(superior: Staff | None, agency: Agency, person: Staff | None) -> None:
    if superior is None:
        return
    superior = Staff.objects.select_related("unit").get(pk=superior.pk)  # as it is now, not as the caller read it
    if person is not None and superior.pk == person.pk:
        raise _refuse("direct_superior", _("A person cannot be their own direct superior."))
    # A superior already on file who has since left does not block an edit of other fields (the end page lists the
    # people to reassign); a newly chosen one must be on the staff.
    is_kept = person is not None and superior.pk == person.direct_superior_id
    if superior.unit.agency_id != agency.pk or (not is_kept and (not superior.is_active or superior.ended_on is not None)):
        raise _refuse("direct_superior", _("The direct superior must be active staff of %(agency)s.") % {"agency": agency.name})
    if person is not None:
        # Following the chain up from the new superior must never come back to the person.
        seen: set[int] = set()
        current: int | None = superior.pk
        while current is not None and current not in seen:
            if current == person.pk:
                raise _refuse(
                    "direct_superior",
                    _("%(name)s reports, directly or not, to %(person)s: choose someone else.") % {"name": superior.full_name, "person": person.full_name},
                )
            seen.add(current)
            current = Staff.objects.filter(pk=current).values_list("direct_superior_id", flat=True).first()


def _state(person: Staff) -> dict[str, Any]:
    """A record as the audit trail keeps it (codes for the unit, position and superior)."""
    return {
        "code": person.code,
        "full_name": person.full_name,
        "staff_type": person.staff_type,
        "unit": person.unit.code,
        "position": person.position.code,
        "is_leader": person.is_leader,
        "is_deputy": person.is_deputy,
        "title": person.title,
        "direct_superior": person.direct_superior.code if person.direct_superior_id and person.direct_superior else None,
        "phone": person.phone,
        "email": person.email,
        "equipment": sorted(person.equipment or []),
        "started_on": person.started_on,
        "training_completed_on": person.training_completed_on,
        "disciplined_until": person.disciplined_until,
        "date_of_birth": person.date_of_birth,
        "sex": person.sex,
        "is_active": person.is_active,
        "ended_on": person.ended_on,
        "end_reason": person.end_reason,
    }


def _changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    names = [name for name in after if before.get(name) != after[name]]
    return {name: before.get(name) for name in names}, {name: after[name] for name in names}


def _lock(person: Staff) -> Staff:
    # Only the person's row: PostgreSQL cannot lock the nullable side of the superior's and the account's outer joins.
    return Staff.objects.select_for_update(of=("self",)).select_related("unit", "unit__agency", "position", "direct_superior", "user").get(pk=person.pk)


# --- Create and edit -------------------------------------------------------------------------------------------------


@transaction.atomic
def staff_create(*, actor: User | None, agency: Agency, code: str, record: StaffRecord, today: dt.date | None = None) -> Staff:
    """Add a person to ``agency``'s staff with an account (username = the staff code, no usable password yet):
    a ``StaffEvent`` "joined" on their joining date (today when none is given), one ``staff.create`` audit row."""
    check_manager(actor, agency)
    today = today or clock.today()
    code = code.strip()
    if not code:
        raise _refuse("code", _("Enter the staff code."))
    if len(code) > 32 or any(char.isspace() for char in code):
        raise _refuse("code", _("A staff code is at most 32 characters, without spaces."), code=code)
    if Staff.objects.filter(code__iexact=code).exists():
        raise _refuse("code", _("The staff code %(code)s is already used.") % {"code": code}, code=code)
    values = _validate_record(record, agency, None, today)
    person = Staff(code=code, **values)
    person.save()
    StaffEvent.objects.create(staff=person, kind=StaffEventKind.JOINED, effective_on=person.started_on or today, to_unit=person.unit, recorded_by=_user(actor))
    _provide_account(person, actor)
    person.refresh_from_db()
    audit_record(actor=actor, action="staff.create", target=person, after=_state(person), agency_id=agency.pk)
    return person


@transaction.atomic
def staff_update(*, actor: User | None, staff: Staff, record: StaffRecord, today: dt.date | None = None) -> Staff:
    """Change a person's record (the code stays; a move to another unit is a transfer: ``staff_transfer``). Audited
    with the changed fields before and after; a save that changes nothing writes nothing."""
    person = _lock(staff)
    agency = person.unit.agency
    check_manager(actor, agency)
    if record.unit.pk != person.unit_id:
        raise _refuse("unit", _("To move the person to another unit, record a transfer."))
    values = _validate_record(record, agency, person, today or clock.today())
    before = _state(person)
    for name, value in values.items():
        setattr(person, name, value)
    before_changed, after_changed = _changed(before, _state(person))
    if not after_changed:
        return person
    person.save(update_fields=list(values))
    audit_record(actor=actor, action="staff.update", target=person, before=before_changed, after=after_changed, agency_id=agency.pk)
    return person


@transaction.atomic
def staff_update_own_contact(*, actor: User, phone: str, equipment: list[str]) -> Staff:
    """A staff member keeps their own phone number and the equipment they have at home up to date (the seeds: staff
    at home stay reachable by phone; eligibility reads the equipment). Audited as ``staff.contact``."""
    me = scope.own_staff(actor)
    if me is None:
        raise NotPermitted(_("Your account is not linked to a staff record."), rule="own_staff")
    person = _lock(me)
    if not person.is_active:
        raise NotPermitted(_("Your staff record is closed."), rule="own_staff")
    before = {"phone": person.phone, "equipment": sorted(person.equipment or [])}
    person.phone = validate_phone(phone)
    person.equipment = validate_equipment(equipment)
    before_changed, after_changed = _changed(before, {"phone": person.phone, "equipment": person.equipment})
    if after_changed:
        person.save(update_fields=["phone", "equipment"])
        audit_record(actor=actor, action="staff.contact", target=person, before=before_changed, after=after_changed, agency_id=person.unit.agency_id)
    return person


# --- Transfer ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def staff_transfer(
    *,
    actor: User | None,
    staff: Staff,
    to_unit: Unit,
    effective_on: dt.date,
    note: str = "",
    position: Position | None = None,
    direct_superior: Staff | None = None,
    today: dt.date | None = None,
) -> StaffEvent:
    """Move a person to another unit of the same agency from ``effective_on`` (today or earlier: a transfer is
    recorded once it has happened). A new position and a new direct superior are optional; without one the person
    has no direct superior on file and the new unit's leaders answer for them (``organization.heads``). They stop
    being qualified for the old unit's desks and duty posts. A ``StaffEvent`` "transferred" from → to, audited."""
    person = _lock(staff)
    agency = person.unit.agency
    check_manager(actor, agency)
    today = today or clock.today()
    if not person.is_active or person.ended_on is not None:
        raise InvalidTransition(_("%(name)s has left the staff: reinstate them before a transfer.") % {"name": person.full_name}, rule="to_unit")
    if to_unit.agency_id != agency.pk:
        raise _refuse(
            "to_unit",
            _("Choose a unit of %(agency)s; a move to another agency is an end with the reason “transferred to another agency”.") % {"agency": agency.name},
        )
    if to_unit.pk == person.unit_id:
        raise _refuse("to_unit", _("%(name)s already works in %(unit)s.") % {"name": person.full_name, "unit": to_unit.name})
    if effective_on > today:
        raise _refuse("effective_on", _("Record the transfer on or after the day it takes effect (%(date)s).") % {"date": f"{effective_on:%d/%m/%Y}"})
    if person.started_on is not None and effective_on < person.started_on:
        raise _refuse("effective_on", _("The transfer cannot take effect before the person joined (%(date)s).") % {"date": f"{person.started_on:%d/%m/%Y}"})
    if position is not None and position.agency_id != agency.pk:
        raise _refuse("position", _("Choose a job position of %(agency)s.") % {"agency": agency.name})
    _check_superior(direct_superior, agency, person)
    note = note.strip()
    if len(note) > 300:
        raise _refuse("note", _("The note is at most 300 characters."))
    before = _state(person)
    old_unit = person.unit
    left_points = sorted(person.service_points.filter(unit=old_unit).values_list("code", flat=True))
    person.service_points.remove(*person.service_points.filter(unit=old_unit))
    person.unit = to_unit
    if position is not None:
        person.position = position
    person.direct_superior = direct_superior
    person.save(update_fields=["unit", "position", "direct_superior"])
    event = StaffEvent.objects.create(
        staff=person, kind=StaffEventKind.TRANSFERRED, effective_on=effective_on, from_unit=old_unit, to_unit=to_unit, note=note, recorded_by=_user(actor)
    )
    before_changed, after_changed = _changed(before, _state(person))
    after_changed.update({"effective_on": effective_on, "note": note, "service_points_left": left_points})
    audit_record(actor=actor, action="staff.transfer", target=person, before=before_changed, after=after_changed, reason=note, agency_id=agency.pk)
    return event


# --- End and reinstate ---------------------------------------------------------------------------------------------


def dangling_reports(staff: Staff) -> QuerySet[Staff]:
    """The active people whose direct superior is ``staff``: when ``staff`` leaves, HR gives them another."""
    return Staff.objects.filter(direct_superior=staff, is_active=True).select_related("unit", "position").order_by("full_name")


@transaction.atomic
def staff_end(*, actor: User | None, staff: Staff, ended_on: dt.date, reason: str, note: str = "", today: dt.date | None = None) -> StaffEvent:
    """Record that a person leaves the staff on ``ended_on`` for ``reason`` (an ``EndReason``; "other" needs a note).
    On or before today the record and the account close now; a later day is a scheduled end, applied that day by the
    daily job (``apply_scheduled_ends``). A ``StaffEvent`` "ended", audited. The people who report to them keep
    them as superior until HR reassigns them (the confirmation page lists them)."""
    person = _lock(staff)
    agency = person.unit.agency
    check_manager(actor, agency)
    today = today or clock.today()
    if person.ended_on is not None or not person.is_active:
        raise InvalidTransition(_("%(name)s has already left the staff.") % {"name": person.full_name}, rule="ended_on")
    if reason not in EndReason.values:
        raise _refuse("reason", _("Choose why the person leaves."))
    note = note.strip()
    if reason == EndReason.OTHER and not note:
        raise _refuse("note", _("Say why in the note when the reason is “other”."))
    if len(note) > 300:
        raise _refuse("note", _("The note is at most 300 characters."))
    if person.started_on is not None and ended_on < person.started_on:
        raise _refuse("ended_on", _("The leaving date is before the person joined (%(date)s).") % {"date": f"{person.started_on:%d/%m/%Y}"})
    if ended_on > today + dt.timedelta(days=MAX_END_AHEAD_DAYS):
        raise _refuse("ended_on", _("The leaving date is more than a year ahead."))
    person.ended_on = ended_on
    person.end_reason = reason
    person.save(update_fields=["ended_on", "end_reason"])
    event = StaffEvent.objects.create(
        staff=person, kind=StaffEventKind.ENDED, effective_on=ended_on, from_unit=person.unit, reason=reason, note=note, recorded_by=_user(actor)
    )
    audit_record(
        actor=actor,
        action="staff.end",
        target=person,
        before={"ended_on": None, "end_reason": "", "is_active": True},
        after={"ended_on": ended_on, "end_reason": reason, "note": note, "reports": sorted(dangling_reports(person).values_list("code", flat=True))},
        reason=note,
        agency_id=agency.pk,
    )
    if ended_on <= today:
        _close(person, actor)
    return event


def _close(person: Staff, actor: User | None) -> None:
    person.is_active = False
    person.save(update_fields=["is_active"])
    _deactivate_account(person, actor, str(person.get_end_reason_display()))


@transaction.atomic
def staff_reinstate(*, actor: User | None, staff: Staff, note: str = "", today: dt.date | None = None) -> StaffEvent:
    """Undo an end (recorded by mistake, or a person who comes back): the record and the account are active again
    from today. A ``StaffEvent`` "reinstated", audited."""
    person = _lock(staff)
    agency = person.unit.agency
    check_manager(actor, agency)
    today = today or clock.today()
    if person.ended_on is None and person.is_active:
        raise InvalidTransition(_("%(name)s is on the staff: there is nothing to reinstate.") % {"name": person.full_name}, rule="reinstate")
    note = note.strip()
    if len(note) > 300:
        raise _refuse("note", _("The note is at most 300 characters."))
    before = {"ended_on": person.ended_on, "end_reason": person.end_reason, "is_active": person.is_active}
    person.ended_on = None
    person.end_reason = ""
    person.is_active = True
    person.save(update_fields=["ended_on", "end_reason", "is_active"])
    _reactivate_account(person, actor, note or str(_("Reinstated on the staff")))
    event = StaffEvent.objects.create(
        staff=person, kind=StaffEventKind.REINSTATED, effective_on=today, to_unit=person.unit, note=note, recorded_by=_user(actor)
    )
    audit_record(
        actor=actor,
        action="staff.reinstate",
        target=person,
        before=before,
        after={"ended_on": None, "end_reason": "", "is_active": True, "note": note},
        reason=note,
        agency_id=agency.pk,
    )
    return event


def apply_scheduled_ends(*, today: dt.date | None = None) -> int:
    """Close the records (and accounts) of everyone whose leaving day has come: the daily job. Idempotent; a day the
    job did not run is caught up the next time. Returns how many records it closed."""
    today = today or clock.today()
    closed = 0
    for person_id in Staff.objects.filter(is_active=True, ended_on__lte=today).values_list("pk", flat=True):
        with transaction.atomic():
            person = _lock(Staff(pk=person_id))
            if not person.is_active or person.ended_on is None or person.ended_on > today:
                continue
            _close(person, None)
            audit_record(
                actor=None,
                action="staff.end_applied",
                target=person,
                before={"is_active": True},
                after={"is_active": False, "ended_on": person.ended_on},
                agency_id=person.unit.agency_id,
            )
            closed += 1
    return closed


def _user(actor: User | None) -> User | None:
    return actor if actor is not None and actor.is_authenticated else None
