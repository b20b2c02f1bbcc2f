"""HR keeps records: each action of ``staff_records`` does what it says, writes its event and audit row, and a
refused action changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.core import clock
from telework.core.exceptions import InvalidTransition, NotPermitted, ValidationFailed
from telework.core.models import AuditEvent
from telework.organization import staff_records
from telework.organization.models import EndReason, Sex, Staff, StaffEvent, StaffEventKind, StaffType
from telework.organization.search import fold
from telework.organization.staff_records import StaffRecord
from telework.organization.tests.factories import PositionFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)


def record_for(city, **changes):  # type: ignore[no-untyped-def]
    values = {
        "full_name": "Võ Thị Mới",
        "staff_type": StaffType.CONG_CHUC,
        "unit": city.unit,
        "position": city.staff[0].position,
        "title": "Chuyên viên",
        "direct_superior": city.head,
        "phone": "0912 345 678",
        "email": "vothimoi@tphcm.gov.vn",
        "equipment": ["phone", "computer"],
        "started_on": dt.date(2026, 11, 2),
    }
    values.update(changes)
    return StaffRecord(**values)


def record_of(person: Staff, **changes):  # type: ignore[no-untyped-def]
    values = {name: getattr(person, name) for name in staff_records.RECORD_FIELDS}
    values["equipment"] = list(values["equipment"])
    values.update(changes)
    return StaffRecord(**values)


def everything() -> tuple:  # type: ignore[type-arg]
    return (
        tuple(Staff.objects.order_by("pk").values_list("code", "unit_id", "position_id", "direct_superior_id", "is_active", "ended_on", "phone", "equipment")),
        StaffEvent.objects.count(),
        AuditEvent.objects.count(),
    )


# --- Create ---------------------------------------------------------------------------------------------------------


def test_hr_creates_a_person_with_an_account_a_joined_event_and_an_audit_row(city):
    person = staff_records.staff_create(actor=city.hr, agency=city.agency, code="CB-NEW-1", record=record_for(city))

    assert (person.full_name, person.unit, person.direct_superior, person.equipment) == ("Võ Thị Mới", city.unit, city.head, ["computer", "phone"])
    assert person.user is not None
    assert person.user.username == "CB-NEW-1"
    assert person.user.has_usable_password() is False
    event = person.events.get()
    assert (event.kind, event.effective_on, event.to_unit, event.recorded_by) == (StaffEventKind.JOINED, dt.date(2026, 11, 2), city.unit, city.hr)
    audit = AuditEvent.objects.get(action="staff.create", object_id=str(person.pk))
    assert audit.after["code"] == "CB-NEW-1"
    assert audit.after["direct_superior"] == city.head.code


def test_a_deputy_is_also_a_leader(city):
    person = staff_records.staff_create(actor=city.hr, agency=city.agency, code="CB-DEP", record=record_for(city, is_deputy=True))

    assert (person.is_leader, person.is_deputy) == (True, True)


def test_creating_with_a_code_already_used_is_refused_and_changes_nothing(city):
    before = everything()

    with pytest.raises(ValidationFailed) as refusal:
        staff_records.staff_create(actor=city.hr, agency=city.agency, code=city.staff[0].code.lower(), record=record_for(city))

    assert refusal.value.rule == "code"
    assert everything() == before


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"full_name": "  "}, "full_name"),
        ({"phone": "abc"}, "phone"),
        ({"phone": "123"}, "phone"),
        ({"email": "not-an-address"}, "email"),
        ({"equipment": ["fax"]}, "equipment"),
        ({"staff_type": "boss"}, "staff_type"),
        ({"date_of_birth": dt.date(1990, 1, 1)}, "date_of_birth"),
    ],
)
def test_create_refuses_bad_values_and_changes_nothing(city, changes, rule):
    before = everything()

    with pytest.raises(ValidationFailed) as refusal:
        staff_records.staff_create(actor=city.hr, agency=city.agency, code="CB-BAD", record=record_for(city, **changes))

    assert refusal.value.rule == rule
    assert everything() == before


def test_create_refuses_a_unit_position_or_superior_of_another_agency(city):
    before = everything()

    for changes, rule in (
        ({"unit": city.outsider.unit}, "unit"),
        ({"position": city.outsider.position}, "position"),
        ({"direct_superior": city.outsider}, "direct_superior"),
    ):
        with pytest.raises(ValidationFailed) as refusal:
            staff_records.staff_create(actor=city.hr, agency=city.agency, code="CB-X", record=record_for(city, **changes))
        assert refusal.value.rule == rule
    assert everything() == before


def test_date_of_birth_and_sex_are_kept_only_when_the_agency_keeps_personal_data(city):
    city.agency.keeps_personal_data = True
    city.agency.save()

    person = staff_records.staff_create(
        actor=city.hr, agency=city.agency, code="CB-PD", record=record_for(city, date_of_birth=dt.date(1990, 5, 17), sex=Sex.FEMALE)
    )

    assert (person.date_of_birth, person.sex) == (dt.date(1990, 5, 17), Sex.FEMALE)


def test_an_impossible_date_of_birth_is_refused(city):
    city.agency.keeps_personal_data = True
    city.agency.save()

    with pytest.raises(ValidationFailed) as refusal:
        staff_records.staff_create(actor=city.hr, agency=city.agency, code="CB-KID", record=record_for(city, date_of_birth=dt.date(2020, 1, 1)))

    assert refusal.value.rule == "date_of_birth"
    assert not Staff.objects.filter(code="CB-KID").exists()


@pytest.mark.parametrize("who", ["head_user", "other_hr", "leadership"])
def test_only_the_agency_hr_home_affairs_and_admins_create(city, who):
    users = {
        "head_user": city.head_user,
        "leadership": city.leadership,
        "other_hr": StaffFactory(unit=city.outsider.unit, position=city.outsider.position, user__role="agency_hr").user,
    }
    before = everything()

    with pytest.raises(NotPermitted):
        staff_records.staff_create(actor=users[who], agency=city.agency, code="CB-NO", record=record_for(city))

    assert everything() == before


def test_home_affairs_creates_in_any_agency(city):
    person = staff_records.staff_create(
        actor=city.home_affairs,
        agency=city.other_agency,
        code="CB-HA",
        record=record_for(city, unit=city.outsider.unit, position=city.outsider.position, direct_superior=None),
    )

    assert person.unit == city.outsider.unit


# --- Edit -----------------------------------------------------------------------------------------------------------


def test_hr_edits_a_record_and_the_audit_row_keeps_the_changed_fields_before_and_after(city):
    person = city.staff[0]

    staff_records.staff_update(actor=city.hr, staff=person, record=record_of(person, title="Phó Trưởng phòng", is_deputy=True, phone="028 3829 1234"))

    person.refresh_from_db()
    assert (person.title, person.is_leader, person.is_deputy, person.phone) == ("Phó Trưởng phòng", True, True, "028 3829 1234")
    audit = AuditEvent.objects.get(action="staff.update", object_id=str(person.pk))
    assert audit.before == {"title": "", "is_leader": False, "is_deputy": False, "phone": ""}
    assert audit.after == {"title": "Phó Trưởng phòng", "is_leader": True, "is_deputy": True, "phone": "028 3829 1234"}


def test_an_edit_that_changes_nothing_writes_no_audit_row(city):
    person = city.staff[0]

    staff_records.staff_update(actor=city.hr, staff=person, record=record_of(person))

    assert not AuditEvent.objects.filter(action="staff.update").exists()


def test_an_edit_cannot_move_the_person_to_another_unit(city):
    person = city.staff[0]
    other = UnitFactory(agency=city.agency)
    before = everything()

    with pytest.raises(ValidationFailed) as refusal:
        staff_records.staff_update(actor=city.hr, staff=person, record=record_of(person, unit=other))

    assert refusal.value.rule == "unit"
    assert everything() == before


def test_an_edit_refuses_a_superior_who_reports_to_the_person(city):
    before = everything()

    with pytest.raises(ValidationFailed) as refusal:
        staff_records.staff_update(actor=city.hr, staff=city.head, record=record_of(city.head, direct_superior=city.staff[0]))

    assert refusal.value.rule == "direct_superior"
    assert everything() == before


def test_an_edit_keeps_a_superior_who_has_left_but_refuses_choosing_one(city):
    person = city.staff[0]
    staff_records.staff_end(actor=city.hr, staff=city.head, ended_on=TODAY, reason=EndReason.RETIRED)

    staff_records.staff_update(actor=city.hr, staff=person, record=record_of(person, title="Chuyên viên chính"))
    staff_records.staff_end(actor=city.hr, staff=city.clerk, ended_on=TODAY, reason=EndReason.RETIRED)
    with pytest.raises(ValidationFailed) as refusal:
        staff_records.staff_update(actor=city.hr, staff=city.staff[2], record=record_of(city.staff[2], direct_superior=city.clerk))

    person.refresh_from_db()
    assert (person.title, person.direct_superior) == ("Chuyên viên chính", city.head)
    assert refusal.value.rule == "direct_superior"


def test_an_edit_by_a_unit_head_is_refused(city):
    person = city.staff[0]
    before = everything()

    with pytest.raises(NotPermitted):
        staff_records.staff_update(actor=city.head_user, staff=person, record=record_of(person, phone="0900000000"))

    assert everything() == before


# --- Own contact details ------------------------------------------------------------------------------------------


def test_staff_update_their_own_phone_and_equipment(city):
    me = city.staff[0]

    staff_records.staff_update_own_contact(actor=me.user, phone="0987 654 321", equipment=["internet", "phone"])

    me.refresh_from_db()
    assert (me.phone, me.equipment) == ("0987 654 321", ["internet", "phone"])
    audit = AuditEvent.objects.get(action="staff.contact", object_id=str(me.pk))
    assert audit.after == {"phone": "0987 654 321", "equipment": ["internet", "phone"]}


def test_own_contact_refuses_a_bad_phone_and_changes_nothing(city):
    before = everything()

    with pytest.raises(ValidationFailed):
        staff_records.staff_update_own_contact(actor=city.staff[0].user, phone="gọi tôi", equipment=[])

    assert everything() == before


def test_an_account_without_a_staff_record_has_no_own_contact(city):
    with pytest.raises(NotPermitted):
        staff_records.staff_update_own_contact(actor=city.home_affairs, phone="0912345678", equipment=[])


# --- Transfer ---------------------------------------------------------------------------------------------------------


def test_a_transfer_moves_the_person_records_from_and_to_and_drops_the_old_units_desks(city):
    clerk = city.clerk
    new_unit = UnitFactory(agency=city.agency, name="Phòng Tiếp dân")
    new_position = PositionFactory(agency=city.agency)

    event = staff_records.staff_transfer(
        actor=city.hr, staff=clerk, to_unit=new_unit, effective_on=dt.date(2026, 11, 16), note="QĐ 12/QĐ", position=new_position
    )

    clerk.refresh_from_db()
    assert (clerk.unit, clerk.position, clerk.direct_superior) == (new_unit, new_position, None)
    assert (event.kind, event.from_unit, event.to_unit, event.effective_on, event.note) == (
        StaffEventKind.TRANSFERRED,
        city.unit,
        new_unit,
        dt.date(2026, 11, 16),
        "QĐ 12/QĐ",
    )
    assert list(city.desk.qualified_staff.all()) == []
    audit = AuditEvent.objects.get(action="staff.transfer", object_id=str(clerk.pk))
    assert audit.before["unit"] == city.unit.code
    assert audit.after["unit"] == new_unit.code
    assert audit.after["service_points_left"] == [city.desk.code]


@pytest.mark.parametrize(
    ("target", "effective_on", "rule"),
    [
        ("same", TODAY, "to_unit"),
        ("other_agency", TODAY, "to_unit"),
        ("new", TODAY + dt.timedelta(days=1), "effective_on"),
    ],
)
def test_a_transfer_is_refused_to_the_same_unit_another_agency_or_ahead_of_its_day(city, target, effective_on, rule):
    units = {"same": city.unit, "other_agency": city.outsider.unit, "new": UnitFactory(agency=city.agency)}
    before = everything()

    with pytest.raises(ValidationFailed) as refusal:
        staff_records.staff_transfer(actor=city.hr, staff=city.staff[0], to_unit=units[target], effective_on=effective_on)

    assert refusal.value.rule == rule
    assert everything() == before


# --- End and reinstate ---------------------------------------------------------------------------------------------


def test_ending_today_closes_the_record_and_the_account(city):
    person = city.staff[0]

    event = staff_records.staff_end(actor=city.hr, staff=person, ended_on=clock.today(), reason=EndReason.RESIGNED, note="Đơn xin nghỉ")

    person.refresh_from_db()
    person.user.refresh_from_db()
    assert (person.is_active, person.ended_on, person.end_reason, person.user.is_active) == (False, TODAY, EndReason.RESIGNED, False)
    assert (event.kind, event.reason, event.from_unit) == (StaffEventKind.ENDED, EndReason.RESIGNED, city.unit)
    assert AuditEvent.objects.filter(action="staff.end", object_id=str(person.pk)).count() == 1


def test_an_end_ahead_is_scheduled_and_the_daily_job_applies_it_on_the_day(city, clock):
    person = city.staff[0]

    staff_records.staff_end(actor=city.hr, staff=person, ended_on=dt.date(2026, 11, 30), reason=EndReason.RETIRED)

    person.refresh_from_db()
    assert (person.is_active, person.ended_on, person.user.is_active) == (True, dt.date(2026, 11, 30), True)
    assert staff_records.apply_scheduled_ends() == 0

    clock.move_to(dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC))
    assert staff_records.apply_scheduled_ends() == 1
    assert staff_records.apply_scheduled_ends() == 0

    person.refresh_from_db()
    person.user.refresh_from_db()
    assert (person.is_active, person.user.is_active) == (False, False)
    assert AuditEvent.objects.filter(action="staff.end_applied", object_id=str(person.pk)).count() == 1


def test_the_scheduled_ends_job_is_on_the_beat_schedule_and_reports_what_it_closed(city, settings):
    from telework.organization import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["organization-apply-scheduled-ends"]
    staff_records.staff_end(actor=city.hr, staff=city.staff[0], ended_on=TODAY, reason=EndReason.RETIRED)
    Staff.objects.filter(pk=city.staff[1].pk).update(ended_on=TODAY - dt.timedelta(days=3), end_reason=EndReason.RESIGNED)

    assert entry["task"] == "organization.apply_scheduled_ends"
    assert tasks.apply_scheduled_ends() == {"closed": 1}
    assert Staff.objects.get(pk=city.staff[1].pk).is_active is False


def test_the_people_who_report_to_someone_leaving_are_listed(city):
    assert [person.pk for person in staff_records.dangling_reports(city.head)] == sorted(
        [person.pk for person in [*city.staff, city.clerk]], key=lambda pk: Staff.objects.get(pk=pk).full_name
    )


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"reason": "bored"}, "reason"),
        ({"reason": EndReason.OTHER, "note": ""}, "note"),
        ({"ended_on": TODAY + dt.timedelta(days=400)}, "ended_on"),
    ],
)
def test_an_end_is_refused_without_a_known_reason_or_a_possible_date_and_changes_nothing(city, changes, rule):
    values = {"ended_on": TODAY, "reason": EndReason.RESIGNED, "note": ""}
    values.update(changes)
    before = everything()

    with pytest.raises(ValidationFailed) as refusal:
        staff_records.staff_end(actor=city.hr, staff=city.staff[0], **values)

    assert refusal.value.rule == rule
    assert everything() == before


def test_ending_twice_is_refused(city):
    staff_records.staff_end(actor=city.hr, staff=city.staff[0], ended_on=TODAY, reason=EndReason.RESIGNED)
    before = everything()

    with pytest.raises(InvalidTransition):
        staff_records.staff_end(actor=city.hr, staff=city.staff[0], ended_on=TODAY, reason=EndReason.RESIGNED)

    assert everything() == before


def test_reinstating_undoes_the_end_and_reopens_the_account(city):
    person = city.staff[0]
    staff_records.staff_end(actor=city.hr, staff=person, ended_on=TODAY, reason=EndReason.DISMISSED)

    event = staff_records.staff_reinstate(actor=city.hr, staff=person, note="Nhập nhầm")

    person.refresh_from_db()
    person.user.refresh_from_db()
    assert (person.is_active, person.ended_on, person.end_reason, person.user.is_active) == (True, None, "", True)
    assert (event.kind, event.effective_on, event.note) == (StaffEventKind.REINSTATED, TODAY, "Nhập nhầm")
    assert list(person.events.values_list("kind", flat=True)) == [StaffEventKind.REINSTATED, StaffEventKind.ENDED]


def test_reinstating_someone_on_the_staff_is_refused(city):
    before = everything()

    with pytest.raises(InvalidTransition):
        staff_records.staff_reinstate(actor=city.hr, staff=city.staff[0])

    assert everything() == before


def test_a_person_who_left_cannot_be_transferred(city):
    staff_records.staff_end(actor=city.hr, staff=city.staff[0], ended_on=TODAY, reason=EndReason.RESIGNED)
    before = everything()

    with pytest.raises(InvalidTransition):
        staff_records.staff_transfer(actor=city.hr, staff=city.staff[0], to_unit=UnitFactory(agency=city.agency), effective_on=TODAY)

    assert everything() == before


# --- Search -----------------------------------------------------------------------------------------------------------


def test_fold_drops_case_and_vietnamese_diacritics():
    assert fold("Nguyễn Thị ĐÀO") == "nguyen thi dao"
