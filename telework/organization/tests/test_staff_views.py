"""HR's record screens: create, edit, transfer, end and reinstate through the forms; a person's own profile; the list
searched without diacritics and exported; who may open which screen (a refused write changes nothing)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telework.accounts.models import Role
from telework.core.models import AuditEvent
from telework.organization import staff_records
from telework.organization.models import EndReason, Staff, StaffEvent, StaffEventKind
from telework.organization.tests.factories import StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db


def create_body(city, **changes):  # type: ignore[no-untyped-def]
    body = {
        "code": "CB-MOI-01",
        "full_name": "Võ Thị Mới",
        "staff_type": "cong_chuc",
        "unit": city.unit.pk,
        "position": city.staff[0].position.pk,
        "title": "Chuyên viên",
        "direct_superior": city.head.pk,
        "phone": "0912 345 678",
        "email": "vothimoi@tphcm.gov.vn",
        "equipment": ["phone", "computer"],
        "started_on": "2026-11-02",
    }
    body.update(changes)
    return body


def edit_body(person: Staff, **changes):  # type: ignore[no-untyped-def]
    body = {
        "full_name": person.full_name,
        "staff_type": person.staff_type,
        "position": person.position_id,
        "title": person.title,
        "direct_superior": person.direct_superior_id or "",
        "phone": person.phone,
        "email": person.email,
        "equipment": list(person.equipment),
        "started_on": "",
    }
    body.update(changes)
    return body


def state() -> tuple:  # type: ignore[type-arg]
    return (
        tuple(Staff.objects.order_by("pk").values_list("code", "full_name", "title", "unit_id", "is_active", "ended_on", "phone")),
        StaffEvent.objects.count(),
        AuditEvent.objects.count(),
    )


# --- Create -----------------------------------------------------------------------------------------------------------


def test_hr_creates_a_person_from_the_form(client, city):
    client.force_login(city.hr)

    response = client.post(reverse("organization:staff_create"), create_body(city))

    assert response.status_code == 302
    assert response["Location"] == reverse("organization:staff_detail", args=["CB-MOI-01"])
    person = Staff.objects.get(code="CB-MOI-01")
    assert (person.full_name, person.unit, person.direct_superior, person.user.username) == ("Võ Thị Mới", city.unit, city.head, "CB-MOI-01")
    assert person.events.get().kind == StaffEventKind.JOINED


def test_a_refused_create_shows_the_reason_under_the_field_and_changes_nothing(client, city):
    client.force_login(city.hr)
    before = state()

    response = client.post(reverse("organization:staff_create"), create_body(city, code=city.staff[0].code, phone="12"))

    assert response.status_code == 200
    assert b'data-field-error="phone"' in response.content
    assert state() == before


def test_a_used_code_is_refused_under_the_code_field_in_vietnamese(client, city):
    client.force_login(city.hr)
    client.cookies["django_language"] = "vi"
    before = state()

    response = client.post(reverse("organization:staff_create"), create_body(city, code=city.staff[0].code), HTTP_ACCEPT_LANGUAGE="vi")

    assert response.status_code == 200
    assert f"Mã cán bộ {city.staff[0].code} đã được sử dụng.".encode() in response.content
    assert state() == before


def test_date_of_birth_and_sex_are_asked_only_when_the_agency_keeps_them(client, city):
    client.force_login(city.hr)

    assert b'name="date_of_birth"' not in client.get(reverse("organization:staff_create")).content
    city.agency.keeps_personal_data = True
    city.agency.save()
    assert b'name="date_of_birth"' in client.get(reverse("organization:staff_create")).content


def test_home_affairs_chooses_the_agency_first(client, city):
    client.force_login(city.home_affairs)

    response = client.get(reverse("organization:staff_create"))

    assert response.status_code == 200
    assert f'?agency={city.agency.pk}"'.encode() in response.content
    assert client.get(reverse("organization:staff_create") + f"?agency={city.agency.pk}").status_code == 200


# --- Edit, transfer, end, reinstate -------------------------------------------------------------------------------------


def test_hr_edits_a_record_and_the_code_stays(client, city):
    person = city.staff[0]
    client.force_login(city.hr)

    response = client.post(reverse("organization:staff_edit", args=[person.code]), edit_body(person, title="Phó Trưởng phòng", is_deputy="on", code="NEW"))

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.title, person.is_deputy, person.is_leader) == ("Phó Trưởng phòng", True, True)
    assert not Staff.objects.filter(code="NEW").exists()
    assert AuditEvent.objects.filter(action="staff.update", object_id=str(person.pk)).count() == 1


def test_hr_transfers_a_person_from_the_form(client, city):
    person = city.staff[0]
    new_unit = UnitFactory(agency=city.agency, name="Phòng Tiếp dân")
    client.force_login(city.hr)

    response = client.post(reverse("organization:staff_transfer", args=[person.code]), {"to_unit": new_unit.pk, "effective_on": "18/11/2026", "note": "QĐ 7"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.unit == new_unit
    assert person.events.get().kind == StaffEventKind.TRANSFERRED


def test_a_transfer_ahead_of_its_day_is_refused_under_the_date(client, city):
    person = city.staff[0]
    new_unit = UnitFactory(agency=city.agency)
    client.force_login(city.hr)
    before = state()

    response = client.post(reverse("organization:staff_transfer", args=[person.code]), {"to_unit": new_unit.pk, "effective_on": "2026-12-01"})

    assert response.status_code == 200
    assert b'data-field-error="effective_on"' in response.content
    assert state() == before


def test_the_end_page_lists_the_people_who_report_to_the_person(client, city):
    client.force_login(city.hr)

    response = client.get(reverse("organization:staff_end", args=[city.head.code]))

    assert response.status_code == 200
    for report in [*city.staff, city.clerk]:
        assert f'data-staff="{report.code}"'.encode() in response.content


def test_hr_ends_and_reinstates_from_the_record(client, city):
    person = city.staff[0]
    client.force_login(city.hr)

    response = client.post(reverse("organization:staff_end", args=[person.code]), {"ended_on": "2026-11-18", "reason": EndReason.RESIGNED, "note": ""})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.is_active, person.end_reason) == (False, EndReason.RESIGNED)

    page = client.get(reverse("organization:staff_detail", args=[person.code])).content.decode()
    assert 'id="reinstate-form"' in page
    assert 'data-event="ended"' in page

    response = client.post(reverse("organization:staff_reinstate", args=[person.code]), {"note": "Nhầm"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.is_active, person.ended_on) == (True, None)


def test_the_record_shows_the_history_and_the_audit_link(client, city):
    person = staff_records.staff_create(
        actor=city.hr,
        agency=city.agency,
        code="CB-H",
        record=staff_records.StaffRecord(full_name="Lý Thị Hà", staff_type="cong_chuc", unit=city.unit, position=city.staff[0].position),
    )
    client.force_login(city.head_user)

    page = client.get(reverse("organization:staff_detail", args=[person.code])).content.decode()

    assert 'data-event="joined"' in page
    assert reverse("portal:audit_object", args=["organization.staff", str(person.pk)]) in page
    assert 'id="record-actions"' not in page  # a unit head reads, HR acts


# --- My profile -------------------------------------------------------------------------------------------------------------


def test_staff_keep_their_own_phone_and_equipment(client, city):
    me = city.staff[0]
    client.force_login(me.user)

    assert reverse("organization:my_profile").encode() in client.get(reverse("portal:home")).content
    response = client.post(reverse("organization:my_profile"), {"phone": "0987 654 321", "equipment": ["phone", "internet"]})

    assert response.status_code == 302
    me.refresh_from_db()
    assert (me.phone, me.equipment) == ("0987 654 321", ["internet", "phone"])


def test_my_profile_refuses_a_bad_phone_and_changes_nothing(client, city):
    client.force_login(city.staff[0].user)
    before = state()

    response = client.post(reverse("organization:my_profile"), {"phone": "abc", "equipment": ["phone"]})

    assert response.status_code == 200
    assert b'data-field-error="phone"' in response.content
    assert state() == before


# --- The list -----------------------------------------------------------------------------------------------------------------


def test_the_list_finds_names_typed_without_diacritics(client, city):
    StaffFactory(unit=city.unit, position=city.staff[0].position, full_name="Đặng Thị Ánh Nguyệt")
    client.force_login(city.hr)

    response = client.get(reverse("organization:staff_list"), {"q": "dang thi anh"})

    assert [person.full_name for person in response.context["page"].object_list] == ["Đặng Thị Ánh Nguyệt"]


def test_the_list_filters_on_the_staff_left_and_without_an_account(client, city):
    staff_records.staff_end(actor=city.hr, staff=city.staff[0], ended_on=dt.date(2026, 11, 18), reason=EndReason.RETIRED)
    staff_records.staff_end(actor=city.hr, staff=city.staff[1], ended_on=dt.date(2026, 12, 31), reason=EndReason.RETIRED)
    no_account = StaffFactory(unit=city.unit, position=city.staff[0].position, user=None)
    client.force_login(city.hr)

    def codes(**filters):  # type: ignore[no-untyped-def]
        return {person.code for person in client.get(reverse("organization:staff_list"), filters).context["page"].object_list}

    assert codes(status="ended") == {city.staff[0].code}
    assert codes(status="leaving") == {city.staff[1].code}
    assert city.staff[0].code not in codes(status="active")
    assert codes(account="without") == {no_account.code}


def test_the_export_lists_what_the_screen_lists_and_keeps_a_formula_as_text(client, city):
    StaffFactory(unit=city.unit, position=city.staff[0].position, full_name='=HYPERLINK("http://x","Bấm")', code="CB-EVIL")
    client.force_login(city.hr)

    response = client.get(reverse("organization:staff_list_export"), {"q": "CB-EVIL"})

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert len(rows) == 1
    assert rows[0][0] == "CB-EVIL"
    assert rows[0][1] == '=HYPERLINK("http://x","Bấm")'
    assert sheet.cell(row=4, column=2).data_type == "s"


def test_the_export_has_date_of_birth_and_sex_only_for_an_agency_that_keeps_them(client, city):
    client.force_login(city.hr)

    def headers():  # type: ignore[no-untyped-def]
        sheet = load_workbook(io.BytesIO(client.get(reverse("organization:staff_list_export")).content)).active
        return [cell.value for cell in sheet[3]]

    assert "Ngày sinh" not in headers()
    city.agency.keeps_personal_data = True
    city.agency.save()
    assert headers()[2:4] == ["Ngày sinh", "Giới tính"]


# --- Who may open which screen ------------------------------------------------------------------------------------------------


@pytest.fixture
def users(city):
    return {
        "staff": city.staff[0].user,
        "unit_head": city.head_user,
        "agency_head": StaffFactory(unit=city.unit, position=city.staff[0].position, user__role=Role.AGENCY_HEAD).user,
        "agency_hr": city.hr,
        "other_hr": StaffFactory(unit=city.outsider.unit, position=city.outsider.position, user__role=Role.AGENCY_HR).user,
        "home_affairs": city.home_affairs,
        "leadership": city.leadership,
        "admin": city.admin,
    }


ROLES = ("staff", "unit_head", "agency_head", "agency_hr", "other_hr", "home_affairs", "leadership", "admin")
# The person the pages are about is city.staff[1] (a colleague of the staff member and of the unit head).
MATRIX = {
    #                                        staff unit_head agency_head agency_hr other_hr home_affairs leadership admin
    ("get", "organization:staff_create"): (403, 403, 403, 200, 200, 200, 403, 200),
    ("get", "organization:staff_edit"): (404, 403, 403, 200, 404, 200, 403, 200),
    ("get", "organization:staff_transfer"): (404, 403, 403, 200, 404, 200, 403, 200),
    ("get", "organization:staff_end"): (404, 403, 403, 200, 404, 200, 403, 200),
    ("post", "organization:staff_edit"): (404, 403, 403, 302, 404, 302, 403, 302),
    ("post", "organization:staff_end"): (404, 403, 403, 302, 404, 302, 403, 302),
    ("post", "organization:staff_reinstate"): (404, 403, 403, 302, 404, 302, 403, 302),
    ("get", "organization:staff_list_export"): (403, 200, 200, 200, 200, 200, 200, 200),
    ("get", "organization:my_profile"): (200, 200, 200, 200, 200, 403, 403, 403),
}


def cases():  # type: ignore[no-untyped-def]
    return [
        pytest.param(method, name, role, expected, id=f"{role}-{method}-{name}")
        for (method, name), row in MATRIX.items()
        for role, expected in zip(ROLES, row, strict=True)
    ]


@pytest.mark.parametrize(("method", "name", "role", "expected"), cases())
def test_role_matrix_of_the_record_screens(client, city, users, method, name, role, expected):
    person = city.staff[1]
    if name == "organization:staff_reinstate":
        staff_records.staff_end(actor=None, staff=person, ended_on=dt.date(2026, 11, 18), reason=EndReason.RESIGNED)
    takes_code = name not in ("organization:staff_create", "organization:staff_list_export", "organization:my_profile")
    url = reverse(name, args=[person.code]) if takes_code else reverse(name)
    body = {
        "organization:staff_edit": edit_body(person, title="Trưởng nhóm"),
        "organization:staff_end": {"ended_on": "2026-11-18", "reason": EndReason.RESIGNED},
        "organization:staff_reinstate": {},
    }.get(name, {})
    client.force_login(users[role])
    before = state()

    response = client.get(url) if method == "get" else client.post(url, body)

    assert response.status_code == expected
    if method == "post" and expected != 302:
        assert state() == before
