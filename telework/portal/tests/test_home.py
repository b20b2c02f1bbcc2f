"""The home page of each role answers "what do I do now": a staff member's day, week, work and requests with a one-tap
check-in; a unit head's approvals, units today, alerts and load; an agency at a glance; HR's import status and account
gaps; Home Affairs' pilots, switches and rosters; the city's key figures. Each role's home costs a fixed number of
queries on the test city."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from telework.attendance.models import CheckIn, MissedCheckIn
from telework.attendance.tests.builders import publish_roster, record_leave
from telework.core.audit import audit_record
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.policy.models import PolicySwitch, SwitchKind
from telework.portal.tests.builders import MONDAY, WEDNESDAY, agency_head, late_item, lived_in_week, registration
from telework.registrations.models import RegistrationStatus
from telework.rosters.models import EntryStatus, LeaveKind, SwapRequest, SwapStatus, UnitEvent, UnitEventKind

pytestmark = pytest.mark.django_db


def text(response) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def block(response, element_id: str) -> str:
    """The visible text of the element with ``element_id`` (up to the end of the page: enough for ``in``)."""
    content = response.content.decode()
    start = content.index(f'id="{element_id}"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content[start:]))


def figure(response, key: str) -> str:
    match = re.search(rf'data-figure="{key}">\s*<div class="small text-muted">[^<]*</div>\s*<div[^>]*data-value>([^<]*)</div>', response.content.decode())
    assert match, f"no figure {key}"
    return match.group(1).strip()


# ================================================================================================ staff


def test_staff_see_todays_place_from_the_published_roster_with_the_reason(city, client):
    lived_in_week(city)
    client.force_login(city.staff[0].user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    day = block(response, "my-day")
    assert 'data-place="home"' in response.content.decode()
    assert "Tại nhà" in day
    assert "Đăng ký làm việc tại nhà đã được duyệt (18/11)" in day


def test_staff_on_the_office_rotation_are_told_so(city, client):
    lived_in_week(city)
    client.force_login(city.staff[4].user)
    day = block(client.get(reverse("portal:home")), "my-day")
    assert "Tại cơ quan" in day
    assert "Lịch làm việc đã công bố xếp bạn làm việc tại cơ quan." in day


def test_recorded_leave_wins_over_the_roster_and_names_its_kind(city, client):
    publish_roster(city.unit, WEDNESDAY, {})
    record_leave(city.staff[5], WEDNESDAY, WEDNESDAY, kind=LeaveKind.SICK)
    client.force_login(city.staff[5].user)
    response = client.get(reverse("portal:home"))
    assert "Nghỉ đã ghi nhận: Nghỉ ốm" in block(response, "my-day")
    assert re.search(r'id="my-day" data-place="leave"', response.content.decode())


def test_a_desk_day_names_the_desk(city, client):
    publish_roster(city.unit, WEDNESDAY, {city.clerk: EntryStatus.DESK}, service_point=city.desk)
    client.force_login(city.clerk.user)
    day = block(client.get(reverse("portal:home")), "my-day")
    assert "Trực bàn một cửa / vị trí trực" in day
    assert f"Tại {city.desk.name}" in day


def test_an_office_day_with_a_unit_meeting_gives_the_meeting_as_the_reason(city, client):
    publish_roster(city.unit, WEDNESDAY, {})
    UnitEvent.objects.create(unit=city.unit, day=WEDNESDAY, title="Giao ban quý IV", kind=UnitEventKind.MEETING)
    client.force_login(city.staff[4].user)
    day = block(client.get(reverse("portal:home")), "my-day")
    assert "Tại cơ quan" in day
    assert "Cuộc họp: Giao ban quý IV" in day


def test_a_person_who_has_left_gets_no_staff_block_nor_check_in(city, client):
    member = city.staff[6]
    type(member).objects.filter(pk=member.pk).update(is_active=False)
    client.force_login(member.user)
    response = client.get(reverse("portal:home"))
    assert 'id="staff-home"' not in response.content.decode()
    assert client.post(reverse("portal:check_in"), {"mode": "office"}).status_code == 403
    assert CheckIn.objects.count() == 0


def test_without_a_published_roster_staff_are_told_to_check_in_where_they_work(city, client):
    client.force_login(city.staff[0].user)
    day = block(client.get(reverse("portal:home")), "my-day")
    assert "Chưa có lịch" in day
    assert "hãy chấm công tại nơi bạn thực sự làm việc" in day


@pytest.mark.frozen_at("2026-09-02 08:00")
def test_a_public_holiday_is_named(city, client):
    client.force_login(city.staff[0].user)
    response = client.get(reverse("portal:home"))
    assert re.search(r'id="my-day" data-place="holiday"', response.content.decode())
    assert "Nghỉ lễ" in block(response, "my-day")
    assert "Quốc khánh" in block(response, "my-day")


def test_the_week_shows_each_working_day_and_where(city, client):
    lived_in_week(city)
    client.force_login(city.staff[0].user)
    content = client.get(reverse("portal:home")).content.decode()
    days = re.findall(r'data-day="([\d-]+)" data-place="(\w+)"', content)
    assert days == [
        ("2026-11-16", "office"),
        ("2026-11-17", "office"),
        ("2026-11-18", "home"),
        ("2026-11-19", "office"),
        ("2026-11-20", "office"),
    ]


def test_the_rostered_mode_is_the_one_tap_button(city, client):
    lived_in_week(city)
    client.force_login(city.staff[0].user)
    content = client.get(reverse("portal:home")).content.decode()
    assert re.search(r'<button type="submit" name="mode" value="home" class="btn btn-primary btn-lg w-100 py-3" data-mode="home">', content)
    assert re.search(r'name="mode" value="office" class="btn btn-link w-100 mt-1" data-mode="office"', content)


def test_one_tap_check_in_from_the_home_page_then_the_page_shows_the_time(city, client):
    lived_in_week(city)
    member = city.staff[0]
    client.force_login(member.user)
    response = client.post(reverse("portal:check_in"), {"mode": "home"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    check_in = CheckIn.objects.get(staff=member)
    assert (check_in.day, check_in.mode, check_in.finding) == (WEDNESDAY, "home", "matches")
    response = client.get(reverse("portal:home"))
    page = text(response)
    assert f"Đã chấm công lúc {timezone.localtime(check_in.checked_in_at):%H:%M}" in page
    assert 'id="home-check-out"' in response.content.decode()
    assert 'id="home-check-in"' not in response.content.decode()


def test_one_tap_check_out_from_the_home_page(city, client):
    lived_in_week(city)
    member = city.staff[2]  # checked in at the office at 08:05
    client.force_login(member.user)
    assert client.post(reverse("portal:check_out")).status_code == 302
    check_in = CheckIn.objects.get(staff=member)
    assert check_in.checked_out_at is not None
    page = text(client.get(reverse("portal:home")))
    assert "Đã chấm công lúc 08:05" in page
    assert "ra lúc 09:3" in page


def test_a_second_check_in_is_refused_with_its_reason_and_changes_nothing(city, client):
    lived_in_week(city)
    member = city.staff[2]
    before = list(CheckIn.objects.values_list("staff_id", "mode", "checked_in_at"))
    client.force_login(member.user)
    response = client.post(reverse("portal:check_in"), {"mode": "home"}, follow=True)
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert "08:05" in block(response, "my-day")
    assert list(CheckIn.objects.values_list("staff_id", "mode", "checked_in_at")) == before


def test_an_unknown_mode_is_refused_and_changes_nothing(city, client):
    client.force_login(city.staff[0].user)
    response = client.post(reverse("portal:check_in"), {"mode": "beach"}, follow=True)
    assert "Hãy chọn nơi làm việc hôm nay: tại cơ quan hoặc tại nhà." in text(response)
    assert CheckIn.objects.count() == 0


def test_an_account_without_a_staff_record_cannot_check_in(city, client):
    client.force_login(city.home_affairs)
    assert client.post(reverse("portal:check_in"), {"mode": "office"}).status_code == 403
    assert client.get(reverse("portal:check_in")).status_code == 405
    assert CheckIn.objects.count() == 0


def test_staff_see_their_open_work_due_soon_and_late(city, client):
    objects = lived_in_week(city)
    client.force_login(city.staff[0].user)
    response = client.get(reverse("portal:home"))
    work = block(response, "my-work")
    assert "2 việc đang mở · 1 việc trễ hạn" in work
    content = response.content.decode()
    assert content.index(f'data-work-item="{objects["late"].pk}"') < content.index(f'data-work-item="{objects["due"].pk}"')
    assert "trễ hạn · 13/11" in work
    assert "20/11" in work


def test_staff_see_their_pending_requests_and_their_state(city, client):
    objects = lived_in_week(city)
    member = city.staff[3]
    record_leave(member, dt.date(2026, 12, 1), dt.date(2026, 12, 2))
    SwapRequest.objects.create(
        roster=objects["roster"], requester=member, counterpart=city.staff[4], requester_day=dt.date(2026, 11, 19), counterpart_day=dt.date(2026, 11, 20)
    )
    client.force_login(member.user)
    requests = block(client.get(reverse("portal:home")), "my-requests")
    assert "Ngày làm việc tại nhà 26/11/2026–27/11/2026 Chờ phê duyệt" in requests
    assert f"Đổi lịch với {city.staff[4].full_name}, 19/11 ⇄ 20/11 Chờ đồng nghiệp đồng ý" in requests
    assert "Nghỉ phép Nghỉ phép năm, 01/12/2026–02/12/2026 Đã ghi nhận" in requests


def test_a_request_decided_long_ago_leaves_the_home_page(city, client):
    old = registration(city.staff[3], [dt.date(2026, 10, 1)], RegistrationStatus.APPROVED)
    type(old).objects.filter(pk=old.pk).update(decided_at=dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC))
    client.force_login(city.staff[3].user)
    assert "Không có yêu cầu nào đang chờ." in block(client.get(reverse("portal:home")), "my-requests")


# ================================================================================================ unit head


def test_a_unit_head_sees_their_own_day_first_then_their_units(city, client):
    lived_in_week(city)
    client.force_login(city.head_user)
    content = client.get(reverse("portal:home")).content.decode()
    assert 0 < content.index('id="staff-home"') < content.index('id="head-home"')


def test_a_unit_head_sees_the_approvals_waiting_with_the_first_requesters(city, client):
    objects = lived_in_week(city)
    client.force_login(city.head_user)
    response = client.get(reverse("portal:home"))
    assert re.search(r'id="approvals" data-count="1"', response.content.decode())
    approvals = block(response, "approvals")
    assert f"{city.staff[3].full_name} 26/11–27/11" in approvals
    assert f'data-registration="{objects["pending"].pk}"' in response.content.decode()
    assert reverse("registrations:inbox") in response.content.decode()


def test_a_unit_head_sees_the_swaps_colleagues_agreed_waiting_for_their_approval(city, client):
    objects = lived_in_week(city)
    SwapRequest.objects.create(
        roster=objects["roster"],
        requester=city.staff[4],
        counterpart=city.staff[5],
        requester_day=dt.date(2026, 11, 19),
        counterpart_day=dt.date(2026, 11, 20),
        status=SwapStatus.ACCEPTED,
    )
    client.force_login(city.head_user)
    response = client.get(reverse("portal:home"))
    assert 'data-swaps="1"' in response.content.decode()
    assert "1 yêu cầu đổi lịch chờ bạn duyệt" in block(response, "approvals")


def test_a_unit_head_sees_who_is_where_today_and_who_has_not_checked_in(city, client):
    lived_in_week(city)
    client.force_login(city.head_user)
    response = client.get(reverse("portal:home"))
    # Ten in the unit: one at home, one on leave, eight at the office (the head and the desk clerk included).
    assert (figure(response, "office"), figure(response, "home"), figure(response, "leave")) == ("8", "1", "1")
    # Expected and not checked in: everyone at work but staff[2] (checked in at 08:05).
    assert figure(response, "not_checked_in") == "8"
    content = response.content.decode()
    assert f'data-not-checked-in="{city.staff[2].code}"' not in content
    assert f'data-not-checked-in="{city.staff[0].code}"' in content
    assert f'data-not-checked-in="{city.staff[1].code}"' not in content  # on leave


def test_a_unit_head_is_alerted_to_missed_check_ins_and_late_work(city, client):
    objects = lived_in_week(city)
    client.force_login(city.head_user)
    response = client.get(reverse("portal:home"))
    content = response.content.decode()
    # 09:30 is past the 09:00 cut-off: the eight not checked in have missed it.
    assert re.search(r'data-alert="missed" data-value="8"', content)
    assert re.search(r'data-alert="stalled" data-value="1"', content)
    assert re.search(r'data-alert="late" data-value="1"', content)
    alerts = block(response, "head-alerts")
    assert f"Báo cáo tháng 10 · {city.staff[0].full_name} Quá hạn" in alerts
    assert f'data-work-alert="{objects["late"].pk}"' in content


@pytest.mark.frozen_at("2026-11-18 08:30")
def test_before_the_cut_off_nobody_has_missed_a_check_in_yet(city, client):
    publish_roster(city.unit, WEDNESDAY, {})
    client.force_login(city.head_user)
    content = client.get(reverse("portal:home")).content.decode()
    assert re.search(r'data-alert="missed" data-value="0"', content)
    assert 'data-figure="not_checked_in"' in content


def test_a_unit_head_sees_the_load_busiest_first(city, client):
    lived_in_week(city)
    late_item(city, city.staff[5], title="Rà soát hồ sơ")
    client.force_login(city.head_user)
    content = client.get(reverse("portal:home")).content.decode()
    rows = re.findall(r'<tr data-load="([^"]+)"><td>[^<]*</td><td class="text-end">(\d+)</td><td class="text-end[^"]*">(\d+)</td>', content)
    assert rows == [(city.staff[0].code, "2", "1"), (city.staff[5].code, "1", "1")]


def test_a_unit_head_does_not_see_another_units_people(city, client):
    other = UnitFactory(agency=city.agency, name="Phòng bên cạnh")
    stranger = StaffFactory(unit=other, full_name="Người Phòng Khác")
    publish_roster(other, WEDNESDAY, {})
    publish_roster(city.unit, WEDNESDAY, {})
    client.force_login(city.head_user)
    content = client.get(reverse("portal:home")).content.decode()
    assert stranger.code not in content
    assert "Người Phòng Khác" not in content


# ================================================================================================ agency head


def test_the_agency_head_sees_the_agency_at_a_glance(city, client):
    lived_in_week(city)
    director = agency_head(city)
    client.force_login(director.user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="agency-home"' in content
    # 10 in the head's unit, HR's officer, the director: 12 active staff in three units, one with a roster.
    assert figure(response, "staff") == "12"
    assert figure(response, "home") == "1"
    assert figure(response, "pending") == "1"
    assert figure(response, "rosters") == "1 / 3"
    assert figure(response, "late") == "1"
    assert figure(response, "missed") == "8"
    row = re.search(rf'<tr data-unit="{city.unit.code}">(.*?)</tr>', content, re.S)
    assert row
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
    assert [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells] == ["Phòng Kế hoạch", "10", "1", "1", "Đã công bố", "1", "8"]
    # The agency head decides registrations too: the approvals card is there.
    assert re.search(r'id="approvals" data-count="1"', content)


def test_the_agency_head_sees_only_their_agency(city, client):
    director = agency_head(city)
    client.force_login(director.user)
    content = client.get(reverse("portal:home")).content.decode()
    assert city.outsider.unit.code not in content


# ================================================================================================ HR


def test_hr_sees_the_last_import_and_the_people_without_account_or_superior(city, client):
    audit_record(
        actor=city.hr,
        action="organization.import",
        target=city.agency,
        after={"file": "danh-sach-can-bo.xlsx", "created": 12, "updated": 3, "unchanged": 40, "refused": 2},
        agency_id=city.agency.pk,
    )
    newcomer = StaffFactory(unit=city.unit, user=None, full_name="Đặng Thị Mới")
    imported = StaffFactory(unit=city.unit, full_name="Hồ Văn Chưa Kích Hoạt")
    imported.user.set_unusable_password()
    imported.user.save()
    StaffFactory(unit=city.outsider.unit, user=None, full_name="Người Cơ Quan Khác")  # another agency: not HR's
    client.force_login(city.hr)
    response = client.get(reverse("portal:home"))
    hr = block(response, "hr-home")
    assert "danh-sach-can-bo.xlsx" in hr
    assert "12 tạo mới 3 cập nhật 40 không đổi 2 bị từ chối" in hr
    # The unit of ten, HR's officer, the newcomer and the imported person are active; the newcomer has no account.
    assert figure(response, "staff") == "13"
    assert figure(response, "without_account") == "1"
    assert f"Chưa có tài khoản: {newcomer.full_name}" in hr
    # Nobody is anyone's superior but the head's reports: the head, HR's officer and the two new people have none.
    assert figure(response, "without_superior") == "4"
    # The imported person's account has no password yet: it awaits activation.
    assert figure(response, "not_activated") == "1"
    assert "Người Cơ Quan Khác" not in hr
    assert reverse("organization:import") in response.content.decode()


def test_hr_without_any_import_is_told_so(city, client):
    client.force_login(city.hr)
    assert "Chưa nhập danh sách cán bộ nào." in block(client.get(reverse("portal:home")), "hr-home")


# ================================================================================================ Home Affairs


def test_home_affairs_sees_pilots_switches_and_rosters_published_this_week(city, client):
    publish_roster(city.unit, WEDNESDAY, {})
    PolicySwitch.objects.create(kind=SwitchKind.EMERGENCY, is_active=True, reason="Dịch bệnh")
    city.pilot.agencies.add(city.other_agency)
    client.force_login(city.home_affairs)
    response = client.get(reverse("portal:home"))
    content = response.content.decode()
    pilots = block(response, "pilots")
    assert "Thí điểm TP.HCM" in pilots
    assert "Hiện tại: Giai đoạn 1" in pilots
    assert "2 cơ quan" in pilots
    assert 'data-switch="emergency" data-on="true"' in content
    assert 'data-switch="suspension" data-on="false"' in content
    # The agency of the test city has one unit of three with a roster; the other agency has none.
    assert f'data-agency="{city.agency.code}" data-published="1"' in content
    assert f'data-agency="{city.other_agency.code}" data-published="0"' in content
    assert f"Chưa công bố lịch làm việc: {city.other_agency.name}" in block(response, "rosters-this-week")


# ================================================================================================ city leadership


def test_city_leadership_sees_the_citys_key_figures(city, client):
    lived_in_week(city)
    MissedCheckIn.objects.create(
        staff=city.staff[6], unit=city.unit, day=MONDAY, rostered="office", cutoff=dt.time(9), detected_at=dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC)
    )
    client.force_login(city.leadership)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    # The pilot covers the test city's agency: the unit of ten and HR's officer.
    assert figure(response, "staff_in_pilot") == "11"
    # Today 9 of the 10 rostered are at work (one on leave), one of them at home.
    assert figure(response, "home_today") == "11 %"
    # This week: 49 working days rostered (five days of ten, less the leave day), one at home.
    assert figure(response, "home_week") == "2 %"
    assert figure(response, "approvals") == "1"
    assert figure(response, "on_time") == "—"
    assert figure(response, "missed_week") == "1"


def test_the_on_time_rate_counts_work_accepted_by_its_deadline(city, client):
    from telework.assignments.models import WorkItem, WorkStatus
    from telework.assignments.tests.helpers import assign

    on_time = assign(city, staff=city.staff[0], today=MONDAY, starts_on=MONDAY, due_on=WEDNESDAY)
    late = assign(city, staff=city.staff[1], today=MONDAY - dt.timedelta(days=7), starts_on=MONDAY - dt.timedelta(days=7), due_on=MONDAY)
    WorkItem.objects.filter(pk=on_time.pk).update(status=WorkStatus.ACCEPTED, accepted_at=dt.datetime(2026, 11, 17, 3, 0, tzinfo=dt.UTC))
    WorkItem.objects.filter(pk=late.pk).update(status=WorkStatus.ACCEPTED, accepted_at=dt.datetime(2026, 11, 17, 3, 0, tzinfo=dt.UTC))
    client.force_login(city.leadership)
    assert figure(client.get(reverse("portal:home")), "on_time") == "50 %"


def test_city_leadership_gets_the_assessment_link_and_the_dashboard_on_the_home_page(city, client):
    client.force_login(city.leadership)
    content = client.get(reverse("portal:home")).content.decode()
    assert re.search(r'id="assessment-link" href="/assessment/"', content)
    assert 'id="home-dashboard"' in content
    assert 'id="pilot-dashboard"' in content


# ================================================================================================ system administrator


def test_a_system_administrator_sees_the_hr_and_home_affairs_blocks(city, client):
    client.force_login(city.admin)
    content = client.get(reverse("portal:home")).content.decode()
    assert 'id="hr-home"' in content
    assert 'id="city-policy-home"' in content
    assert 'id="staff-home"' not in content


# ================================================================================================ queries


def _people(city):
    director = agency_head(city)
    return {
        "staff": city.staff[0].user,
        "unit_head": city.head_user,
        "agency_head": director.user,
        "agency_hr": city.hr,
        "home_affairs": city.home_affairs,
        "city_leadership": city.leadership,
        "system_admin": city.admin,
    }


# The cost of each role's home on the lived-in test city: session and user, the navigation, then the blocks.
# Issue 11's follow-ups added: one for the staff block's waiting leave requests (every role with a staff record), one
# for the delegation notices (heads) and one for the leave requests waiting for a head's decision (heads); and one for
# the heads a unit head acts for today (``scope.acting_for``, read once instead of a subquery in every scoped list).
# Issue 13 added three for every role with a staff record: eligibility reads the scope of the phase covering the day
# (each phase's agencies, units and positions, prefetched once with the pilot).
QUERY_BUDGET = {
    "staff": 30,
    "unit_head": 45,
    "agency_head": 41,
    "agency_hr": 36,
    "home_affairs": 11,
    "city_leadership": 20,  # the city figures, then the pilot dashboard: phases, design, weekly figures, breakdown, agencies
    "system_admin": 15,
}


@pytest.mark.parametrize("role", list(QUERY_BUDGET))
def test_each_roles_home_costs_a_fixed_number_of_queries(city, client, django_assert_num_queries, role):
    lived_in_week(city)
    user = _people(city)[role]
    client.force_login(user)
    with django_assert_num_queries(QUERY_BUDGET[role]):
        assert client.get(reverse("portal:home")).status_code == 200


@pytest.mark.parametrize("role", ["unit_head", "agency_head"])
def test_more_people_and_work_cost_no_more_queries(city, client, django_assert_num_queries, role):
    lived_in_week(city)
    user = _people(city)[role]
    for index in range(4):
        person = StaffFactory(unit=city.unit, direct_superior=city.head, full_name=f"Người Mới {index}")
        late_item(city, person, title=f"Việc {index}")
        registration(person, [dt.date(2026, 11, 30)])
    publish_roster(city.unit, WEDNESDAY, {city.staff[0]: EntryStatus.HOME}, version=2)
    client.force_login(user)
    with django_assert_num_queries(QUERY_BUDGET[role]):
        assert client.get(reverse("portal:home")).status_code == 200


def test_every_role_gets_its_home_in_vietnamese_without_keys(city, client):
    lived_in_week(city)
    for role, user in _people(city).items():
        client.force_login(user)
        page = text(client.get(reverse("portal:home")))
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", page), role
        assert "Role." not in page


def test_a_staff_member_with_nothing_to_decide_gets_no_approvals_card(city, client):
    lived_in_week(city)
    client.force_login(city.staff[5].user)
    assert 'id="approvals"' not in client.get(reverse("portal:home")).content.decode()


@pytest.mark.parametrize("role", ["staff", "unit_head", "agency_head", "agency_hr", "home_affairs", "city_leadership"])
def test_each_home_reads_in_english_when_chosen(city, client, settings, role):
    lived_in_week(city)
    client.force_login(_people(city)[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(reverse("portal:home")))
    assert "Hello, " in page
    expected = {
        "staff": "Check in at home",
        "unit_head": "Who is where today",
        "agency_head": "Rosters published this week",
        "agency_hr": "Without a direct superior",
        "home_affairs": "City-wide switches",
        "city_leadership": "Work done on time",
    }[role]
    assert expected in page


def test_an_account_without_staff_record_or_role_block_is_pointed_to_the_menu(city, client):
    from telework.organization.tests.factories import UserFactory

    client.force_login(UserFactory(username="khach"))
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "Tài khoản của bạn chưa gắn với hồ sơ cán bộ" in block(response, "home-empty")
