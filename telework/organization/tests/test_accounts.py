"""An account for everyone on the staff: created with the record (and by the import), with the role the record
implies, never downgraded; HR's accounts page and its bulk actions (create, e-mail links, print codes)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from telework.accounts.models import ActivationCode, Role, User
from telework.accounts.services import code_digest
from telework.core.exceptions import NotPermitted
from telework.core.models import AuditEvent
from telework.organization import accounts
from telework.organization.models import Agency, Staff
from telework.organization.services import staff_import
from telework.organization.tests.factories import AgencyFactory, PositionFactory, StaffFactory, UnitFactory, UserFactory

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def person(unit, **kwargs):  # type: ignore[no-untyped-def]
    """A staff record without an account, as an import leaves it."""
    return StaffFactory(unit=unit, position=PositionFactory(agency=unit.agency), user=None, **kwargs)


@pytest.fixture
def ward(db: None) -> dict[str, object]:
    """An agency with a leadership board, a phòng with a tổ under it, and people without accounts."""
    agency = AgencyFactory(code="PX", name="UBND phường Mẫu")
    board = UnitFactory(agency=agency, name="Lãnh đạo UBND")
    office = UnitFactory(agency=agency, name="Văn phòng HĐND và UBND")
    team = UnitFactory(agency=agency, name="Tổ một cửa", parent=office)
    return {
        "agency": agency,
        "board": board,
        "office": office,
        "team": team,
        "chair": person(board, is_leader=True, title="Chủ tịch", full_name="Nguyễn Chủ Tịch"),
        "vice_chair": person(board, is_leader=True, is_deputy=True, title="Phó Chủ tịch"),
        "office_head": person(office, is_leader=True, title="Chánh Văn phòng"),
        "office_deputy": person(office, is_leader=True, is_deputy=True, title="Phó Chánh Văn phòng"),
        "team_lead": person(team, is_leader=True, title="Tổ trưởng"),
        "clerk": person(team, full_name="Lê Thị Văn Thư", email="vanthu@phuong.gov.vn"),
    }


# --- provide_accounts -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_active_person_without_an_account_gets_one_named_by_their_staff_code(city, ward):
    clerk = ward["clerk"]
    gone = person(ward["office"], is_active=False)

    created = accounts.provide_accounts(staff=Staff.objects.filter(unit__agency=ward["agency"]), actor=city.hr)

    clerk.refresh_from_db()
    gone.refresh_from_db()
    assert len(created) == 6
    assert clerk.user is not None
    assert (clerk.user.username, clerk.user.get_full_name(), clerk.user.email, clerk.user.is_active) == (
        clerk.code,
        "Lê Thị Văn Thư",
        "vanthu@phuong.gov.vn",
        True,
    )
    assert not clerk.user.has_usable_password()
    assert gone.user is None
    rows = AuditEvent.objects.filter(action="account.create")
    assert rows.count() == 6
    row = rows.get(object_id=str(clerk.user.pk))
    assert (row.object_type, row.actor, row.agency_id, row.after) == ("accounts.user", city.hr, ward["agency"].pk, {"activated": False})


@pytest.mark.django_db
def test_the_role_follows_the_record_agency_head_unit_heads_and_staff(city, ward):
    accounts.provide_accounts(staff=Staff.objects.filter(unit__agency=ward["agency"]), actor=city.hr)

    roles = {key: Staff.objects.get(pk=ward[key].pk).user.role for key in ("chair", "vice_chair", "office_head", "office_deputy", "team_lead", "clerk")}
    assert roles == {
        "chair": Role.AGENCY_HEAD,
        "vice_chair": Role.STAFF,
        "office_head": Role.UNIT_HEAD,
        "office_deputy": Role.STAFF,
        "team_lead": Role.UNIT_HEAD,
        "clerk": Role.STAFF,
    }


@pytest.mark.django_db
def test_the_leader_of_an_agencys_single_top_unit_is_its_agency_head(city):
    top = UnitFactory(name="UBND xã Mẫu")
    below = UnitFactory(agency=top.agency, parent=top, name="Phòng Kinh tế")
    chair, head = person(top, is_leader=True), person(below, is_leader=True)

    accounts.provide_accounts(staff=[chair, head], actor=None)

    assert (Staff.objects.get(pk=chair.pk).user.role, Staff.objects.get(pk=head.pk).user.role) == (Role.AGENCY_HEAD, Role.UNIT_HEAD)


def test_a_top_level_unit_named_like_a_leadership_board_leads_the_agency():
    assert accounts.is_leadership_unit("Ban Giám đốc Sở", is_top_level=True, only_top_level=False)
    assert accounts.is_leadership_unit("LÃNH ĐẠO UBND", is_top_level=True, only_top_level=False)
    assert not accounts.is_leadership_unit("Phòng Kế hoạch", is_top_level=True, only_top_level=False)
    assert not accounts.is_leadership_unit("Ban Giám đốc Sở", is_top_level=False, only_top_level=False)


@pytest.mark.django_db
def test_providing_twice_changes_nothing(city, ward):
    people = Staff.objects.filter(unit__agency=ward["agency"])
    accounts.provide_accounts(staff=people, actor=city.hr)
    users, rows = User.objects.count(), AuditEvent.objects.count()

    assert accounts.provide_accounts(staff=Staff.objects.filter(unit__agency=ward["agency"]), actor=city.hr) == []
    assert (User.objects.count(), AuditEvent.objects.count()) == (users, rows)


@pytest.mark.django_db
def test_a_linked_account_is_raised_to_the_records_role_but_never_lowered(city, ward):
    promoted = StaffFactory(unit=ward["office"], is_leader=True, user__role=Role.STAFF)
    former_head = StaffFactory(unit=ward["office"], is_leader=False, user__role=Role.UNIT_HEAD)
    hr_officer = StaffFactory(unit=ward["team"], is_leader=True, user__role=Role.AGENCY_HR)

    accounts.provide_accounts(staff=[promoted, former_head, hr_officer], actor=city.hr)

    assert [User.objects.get(pk=item.user_id).role for item in (promoted, former_head, hr_officer)] == [Role.UNIT_HEAD, Role.UNIT_HEAD, Role.AGENCY_HR]
    row = AuditEvent.objects.get(action="account.role")
    assert (row.object_id, row.before, row.after) == (str(promoted.user_id), {"role": "staff"}, {"role": "unit_head"})


@pytest.mark.django_db
def test_a_username_held_by_an_unrelated_account_is_never_handed_over(city, ward):
    clerk = ward["clerk"]
    stranger = UserFactory(username=clerk.code, role=Role.SYSTEM_ADMIN)
    UserFactory(username=f"{clerk.code}-2")

    accounts.provide_accounts(staff=[clerk], actor=city.hr)

    clerk.refresh_from_db()
    assert clerk.user.username == f"{clerk.code}-3"
    assert clerk.user.pk != stranger.pk
    stranger.refresh_from_db()
    assert (stranger.role, stranger.has_usable_password()) == (Role.SYSTEM_ADMIN, True)


@pytest.mark.django_db
def test_two_thousand_people_get_accounts_in_a_bounded_number_of_queries(city, django_assert_max_num_queries):
    unit = UnitFactory(name="Phòng lớn")
    position = PositionFactory(agency=unit.agency)
    Staff.objects.bulk_create(
        Staff(code=f"L{index:05d}", full_name=f"Người {index}", staff_type="cong_chuc", unit=unit, position=position) for index in range(2000)
    )

    # SQLite binds at most 999 parameters a statement: users go in batches of about 90, audit rows of about 75, links of
    # about 330 (audit rows carry their hash chain, hence the smaller batches); PostgreSQL needs a dozen queries. One query
    # per person would be over 2,000.
    with django_assert_max_num_queries(66):
        created = accounts.provide_accounts(staff=Staff.objects.filter(unit=unit), actor=city.hr)

    assert len(created) == 2000
    assert not Staff.objects.filter(unit=unit, user__isnull=True).exists()


@pytest.mark.django_db
def test_an_import_gives_every_imported_person_an_account(city):
    agency = AgencyFactory(code="MAU", name="Sở Mẫu")

    staff_import(
        actor=city.home_affairs,
        agency=agency,
        file_name="staff_valid.xlsx",
        content=(SAMPLES / "staff_valid.xlsx").read_bytes(),
        today=dt.date(2026, 11, 18),
        accept_structure=True,
    )

    imported = Staff.objects.filter(unit__agency=agency)
    assert imported.count() == 12
    assert not imported.filter(user__isnull=True).exists()
    assert sorted(imported.values_list("user__username", flat=True)) == sorted(imported.values_list("code", flat=True))
    assert not any(user.has_usable_password() for user in User.objects.filter(staff__in=imported))


# --- HR's accounts page -------------------------------------------------------------------------------------------


@pytest.fixture
def newcomers(city) -> list[Staff]:  # type: ignore[no-untyped-def]
    """Three people of the city's agency just imported: accounts created, not activated; one without e-mail."""
    people = [person(city.unit, full_name=f"Người Mới {index}") for index in range(3)]
    people[2].email = ""
    people[2].save()
    accounts.provide_accounts(staff=people, actor=None)
    return list(Staff.objects.filter(pk__in=[item.pk for item in people]).select_related("user").order_by("full_name"))


@pytest.mark.django_db
def test_the_accounts_page_counts_people_by_where_their_account_stands(city, newcomers, client):
    nobody = person(city.unit, full_name="Chưa Có Tài Khoản")
    closed = StaffFactory(unit=city.unit, full_name="Đã Khoá")
    closed.user.is_active = False
    closed.user.save()
    client.force_login(city.hr)

    response = client.get(reverse("organization:accounts"))

    assert response.status_code == 200
    counts = {value: count for value, _label, count in response.context["statuses"]}
    activated = Staff.objects.filter(unit__agency=city.agency, is_active=True, user__is_active=True).count() - 3
    assert counts == {"none": 1, "pending": 3, "active": activated, "closed": 1}
    pending = client.get(reverse("organization:accounts"), {"status": "pending"})
    assert [row[0].pk for row in pending.context["rows"]] == [item.pk for item in newcomers]
    text = pending.content.decode()
    assert "Chưa kích hoạt" in text
    assert nobody.full_name not in text


@pytest.mark.parametrize("reader", ["head_user", "staff_user", "outsider_hr"])
@pytest.mark.django_db
def test_only_the_agencys_hr_home_affairs_and_admins_open_the_accounts_page(city, client, reader):
    users = {
        "head_user": city.head_user,
        "staff_user": city.staff[0].user,
        "outsider_hr": StaffFactory(unit=city.outsider.unit, user__role=Role.AGENCY_HR).user,
    }
    client.force_login(users[reader])
    if reader == "outsider_hr":
        # HR of another agency sees its own agency's page, never this one's people.
        response = client.get(reverse("organization:accounts"), {"agency": city.agency.pk})
        assert response.status_code == 200
        assert city.staff[0].full_name not in response.content.decode()
        return
    assert client.get(reverse("organization:accounts")).status_code == 403
    client.force_login(city.home_affairs)
    assert client.get(reverse("organization:accounts"), {"agency": city.agency.pk}).status_code == 200


@pytest.mark.django_db
def test_the_accounts_page_reads_in_a_fixed_number_of_queries(city, newcomers, client, django_assert_max_num_queries):
    client.force_login(city.hr)
    client.get(reverse("organization:accounts"))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("organization:accounts"))
    for index in range(20):
        person(city.unit, full_name=f"Thêm {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("organization:accounts"))


@pytest.mark.django_db
def test_hr_creates_the_missing_accounts_of_the_people_ticked(city, client):
    first, second = person(city.unit), person(city.unit)
    client.force_login(city.hr)

    response = client.post(reverse("organization:accounts"), {"action": "create", "apply_to": "selected", "staff": [first.pk]})

    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.user is not None, second.user) == (True, None)


@pytest.mark.django_db
def test_hr_emails_links_to_accounts_awaiting_activation_and_names_those_without_an_address(city, newcomers, client, django_capture_on_commit_callbacks):
    client.force_login(city.hr)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organization:accounts") + "?status=pending", {"action": "send", "apply_to": "all"}, follow=True)

    assert sorted(message.to[0] for message in mail.outbox) == sorted(item.email for item in newcomers if item.email)
    message = mail.outbox[0]
    assert message.subject == "Kích hoạt tài khoản làm việc tại nhà"
    assert "/accounts/activate/" in message.body
    assert "Tên đăng nhập:" in message.body
    notices = [str(item) for item in response.context["messages"]]
    assert notices == ["Đã gửi đường dẫn kích hoạt qua thư điện tử cho 2 người.", "1 người chưa có địa chỉ thư điện tử: hãy in mã kích hoạt cho họ."]
    assert AuditEvent.objects.filter(action="account.link_sent").count() == 2


@pytest.mark.django_db
def test_printing_codes_gives_a_pdf_and_keeps_only_digests(city, newcomers, client, monkeypatch):
    codes = iter(["AAAA-BBBB", "CCCC-DDDD", "EEEE-FFFF"])
    monkeypatch.setattr("telework.accounts.services.generate_code", lambda: next(codes))
    client.force_login(city.hr)

    response = client.post(reverse("organization:accounts"), {"action": "print", "apply_to": "selected", "staff": [item.pk for item in newcomers]})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(f'attachment; filename="activation-codes-{city.agency.code}-20261118')
    assert response.content.startswith(b"%PDF")
    stored = ActivationCode.objects.order_by("user__staff__full_name")
    assert [row.code_digest for row in stored] == [
        code_digest(item.user_id, code) for item, code in zip(newcomers, ["AAAA-BBBB", "CCCC-DDDD", "EEEE-FFFF"], strict=True)
    ]
    assert not ActivationCode.objects.filter(code_digest__contains="AAAA").exists()
    assert AuditEvent.objects.filter(action="account.code_issued").count() == 3


@pytest.mark.django_db
def test_the_code_sheets_have_a_page_per_unit_with_each_persons_slip_in_vietnamese(city, newcomers):
    other_unit = UnitFactory(agency=city.agency, name="Phòng Tài chính")
    late = person(other_unit, full_name="Trần Văn Sau")
    accounts.provide_accounts(staff=[late], actor=None)
    people = list(Staff.objects.filter(pk__in=[*[item.pk for item in newcomers], late.pk]).select_related("user", "unit"))

    printed = accounts.accounts_print_codes(actor=city.hr, agency=city.agency, staff=people, activate_url="https://telework.example.vn/accounts/activate/")
    html = accounts.activation_sheets_html(printed)

    assert [sheet.unit.name for sheet in printed.sheets] == ["Phòng Kế hoạch", "Phòng Tài chính"]
    assert html.count('class="sheet"') == 2
    assert html.count('class="slip"') == 4
    for sheet in printed.sheets:
        for staff, code in sheet.people:
            assert {staff.full_name, staff.user.username, code} <= {text for text in (staff.full_name, staff.user.username, code) if text in html}
    assert "Mã kích hoạt" in html
    assert "Mở https://telework.example.vn/accounts/activate/ trên điện thoại hoặc máy tính." in html
    assert "Có hiệu lực đến 02/12/2026" in html


@pytest.mark.django_db
def test_codes_are_printed_only_for_accounts_awaiting_activation(city, newcomers, client):
    client.force_login(city.hr)

    response = client.post(reverse("organization:accounts"), {"action": "print", "apply_to": "selected", "staff": [city.staff[0].pk]}, follow=True)

    assert response["Content-Type"].startswith("text/html")
    assert not ActivationCode.objects.exists()


@pytest.mark.django_db
def test_hr_cannot_act_on_people_of_another_agency(city, client):
    stranger = person(city.outsider.unit)
    client.force_login(city.hr)

    client.post(reverse("organization:accounts"), {"action": "create", "apply_to": "selected", "staff": [stranger.pk]})

    stranger.refresh_from_db()
    assert stranger.user is None
    with pytest.raises(NotPermitted):
        accounts.accounts_create(actor=city.hr, agency=Agency.objects.get(pk=city.outsider.unit.agency_id), staff=[stranger])


@pytest.mark.django_db
def test_everyone_of_one_import_can_be_chosen_at_once(city, client):
    agency = AgencyFactory(code="MAU", name="Sở Mẫu")
    before = person(UnitFactory(agency=agency), full_name="Có Từ Trước")
    result = staff_import(
        actor=city.home_affairs,
        agency=agency,
        file_name="staff_valid.xlsx",
        content=(SAMPLES / "staff_valid.xlsx").read_bytes(),
        today=dt.date(2026, 11, 18),
        accept_structure=True,
    )
    client.force_login(city.home_affairs)

    response = client.get(reverse("organization:accounts"), {"agency": agency.pk, "import": result.audit_event.pk})

    listed = {row[0].code for row in response.context["rows"]}
    assert len(listed) == 12
    assert before.code not in listed
    done = client.get(reverse("organization:import_done", args=[result.audit_event.pk])).content.decode()
    assert f"{reverse('organization:accounts')}?agency={agency.pk}&amp;import={result.audit_event.pk}" in done


@pytest.mark.django_db
def test_hr_closes_one_persons_account_with_a_reason_and_reopens_it(city, client):
    member = city.staff[0]
    other_device = type(client)()
    other_device.force_login(member.user)
    client.force_login(city.hr)

    client.post(reverse("organization:account_close", args=[member.pk]), {"reason": "Mất điện thoại"})

    member.user.refresh_from_db()
    assert member.user.is_active is False
    assert other_device.get(reverse("portal:home")).status_code == 302
    row = AuditEvent.objects.get(action="account.deactivate")
    assert (row.actor, row.reason, row.agency_id) == (city.hr, "Mất điện thoại", city.agency.pk)

    client.post(reverse("organization:account_reopen", args=[member.pk]))

    member.user.refresh_from_db()
    assert member.user.is_active is True


@pytest.mark.django_db
def test_closing_without_a_reason_changes_nothing(city, client):
    member = city.staff[0]
    client.force_login(city.hr)

    response = client.post(reverse("organization:account_close", args=[member.pk]), {"reason": ""}, follow=True)

    member.user.refresh_from_db()
    assert member.user.is_active is True
    assert [str(item) for item in response.context["messages"]] == ["Hãy nêu lý do khoá tài khoản."]


@pytest.mark.django_db
def test_a_unit_head_cannot_close_an_account(city, client):
    member = city.staff[0]
    client.force_login(city.head_user)

    assert client.post(reverse("organization:account_close", args=[member.pk]), {"reason": "Thử"}).status_code == 404
    member.user.refresh_from_db()
    assert member.user.is_active is True


@pytest.mark.django_db
def test_printing_codes_for_people_without_an_account_creates_it_first(city, client):
    nobody = person(city.unit, full_name="Chưa Có Gì")
    client.force_login(city.hr)

    response = client.post(reverse("organization:accounts") + "?status=none", {"action": "print", "apply_to": "all"})

    assert response["Content-Type"] == "application/pdf"
    nobody.refresh_from_db()
    assert nobody.user is not None
    assert ActivationCode.objects.get().user == nobody.user


@pytest.mark.django_db
def test_hr_reads_how_many_people_stand_at_each_step(city, newcomers):
    person(city.unit)

    counts = accounts.account_status_counts(viewer=city.hr, agency=city.agency)

    assert (counts["none"], counts["pending"], counts["closed"]) == (1, 3, 0)
    with pytest.raises(NotPermitted):
        accounts.account_status_counts(viewer=city.head_user, agency=city.agency)


@pytest.mark.django_db
def test_the_accounts_page_names_each_step_in_words_in_english_too(city, newcomers, client):
    import re

    client.cookies["django_language"] = "en"
    client.force_login(city.hr)

    text = re.sub(r"<[^>]+>", " ", client.get(reverse("organization:accounts")).content.decode())

    for label in ("No account", "Not activated", "Activated", "Deactivated", "Print activation codes"):
        assert label in text
    assert not re.search(r"\b(pending|closed|active)\b", text)  # the status codes; "none" is the English word for no e-mail
