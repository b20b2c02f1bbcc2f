"""The attendance pages: my check-in (with HTMX), the head's live board and the monthly timesheet; who may open
which page for which unit (role × page × scope); bad input; the board's query count."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from telework.accounts.models import Role
from telework.attendance import services
from telework.attendance.models import CheckIn, MissedCheckIn
from telework.attendance.tests.builders import at, publish_roster, record_leave
from telework.demo.testing import next_monday
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.rosters.models import EntryStatus

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def text(response) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- my check-in ------------------------------------------------------------------------------------------------


def test_my_page_shows_todays_roster_the_buttons_and_the_privacy_note(city, client, clock):
    monday = next_monday()
    clock.set(monday, 7, 40)
    member = city.staff[0]
    publish_roster(city.unit, monday, {member: EntryStatus.HOME})
    client.force_login(member.user)
    response = client.get(reverse("attendance:mine"))
    assert response.status_code == 200
    page = text(response)
    assert "Lịch làm việc đã công bố xếp bạn: Tại nhà" in page
    assert "không ghi vị trí (không GPS) và không ghi địa chỉ IP" in page
    content = response.content.decode()
    # The roster's mode is the highlighted button.
    assert re.search(r'class="btn btn-lg w-100 btn-primary" data-mode="home"', content)
    assert re.search(r'class="btn btn-lg w-100 btn-outline-primary" data-mode="office"', content)


def test_check_in_from_the_page_then_check_out(city, client, clock):
    monday = next_monday()
    clock.set(monday, 7, 58)
    member = city.staff[0]
    publish_roster(city.unit, monday, {member: EntryStatus.OFFICE})
    client.force_login(member.user)
    response = client.post(reverse("attendance:check_in"), {"mode": "office", "note": "Trực tiếp nhận văn bản"})
    assert response.status_code == 302
    check_in = CheckIn.objects.get(staff=member)
    assert (check_in.mode, check_in.note, check_in.checked_in_at) == ("office", "Trực tiếp nhận văn bản", at(monday, 7, 58))
    page = text(client.get(reverse("attendance:mine")))
    assert "Đã chấm công lúc 07:58" in page
    assert "Đúng lịch làm việc" in page
    clock.set(monday, 17, 4)
    assert client.post(reverse("attendance:check_out"), {"note": ""}).status_code == 302
    page = text(client.get(reverse("attendance:mine")))
    assert "ra lúc 17:04" in page
    assert "9,1 giờ" in page


def test_htmx_check_in_swaps_the_card_and_flags_a_mismatch(city, client, clock):
    monday = next_monday()
    clock.set(monday, 8, 5)
    member = city.staff[1]
    publish_roster(city.unit, monday, {member: EntryStatus.OFFICE})
    client.force_login(member.user)
    response = client.post(reverse("attendance:check_in"), {"mode": "home"}, **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="today-card"' in content
    assert "<html" not in content
    assert 'data-finding="home_while_rostered_on_site"' in content
    assert 'id="reachability-form"' in content
    assert "Tại nhà, nhưng lịch làm việc xếp tại cơ quan" in text(response)


def test_htmx_check_in_brings_this_months_summary_along_out_of_band(city, client, clock):
    monday = next_monday()
    clock.set(monday, 7, 45)
    member = city.staff[0]
    client.force_login(member.user)
    page = client.get(reverse("attendance:mine")).content.decode()
    assert '<section id="month-summary">' in page
    assert f'data-day="{monday.isoformat()}"' not in page

    response = client.post(reverse("attendance:check_in"), {"mode": "office"}, **HTMX)

    content = response.content.decode()
    assert content.count('<section id="month-summary" hx-swap-oob="true">') == 1
    summary = content[content.index('<section id="month-summary"') :]
    assert re.findall(r'<tr data-day="([\d-]+)">', summary) == [monday.isoformat()]
    assert "07:45" in summary


def test_a_refused_htmx_check_in_leaves_the_summary_alone(city, client, clock):
    monday = next_monday()
    clock.set(monday, 7, 50)
    member = city.staff[0]
    client.force_login(member.user)
    client.post(reverse("attendance:check_in"), {"mode": "office"})
    refused = client.post(reverse("attendance:check_in"), {"mode": "home"}, **HTMX)
    assert 'data-rule="one_check_in_per_person_per_day"' in refused.content.decode()
    assert "month-summary" not in refused.content.decode()


def test_a_second_check_in_from_the_page_is_explained_and_changes_nothing(city, client, clock):
    monday = next_monday()
    clock.set(monday, 7, 50)
    member = city.staff[0]
    client.force_login(member.user)
    client.post(reverse("attendance:check_in"), {"mode": "office"})
    before = list(CheckIn.objects.values())
    clock.set(monday, 9, 0)
    swapped = client.post(reverse("attendance:check_in"), {"mode": "home"}, **HTMX)
    assert swapped.status_code == 200  # HTMX swaps only successful answers: the refusal is the new card
    assert 'data-rule="one_check_in_per_person_per_day"' in swapped.content.decode()
    assert "Bạn đã chấm công hôm nay lúc 07:50" in text(swapped)
    full = client.post(reverse("attendance:check_in"), {"mode": "home"})
    assert full.status_code == 409
    assert list(CheckIn.objects.values()) == before


def test_a_note_too_long_is_shown_next_to_the_field(city, client, clock):
    clock.set(next_monday(), 8, 0)
    client.force_login(city.staff[0].user)
    response = client.post(reverse("attendance:check_in"), {"mode": "office", "note": "x" * 301})
    assert response.status_code == 422
    assert 'data-field-error="note"' in response.content.decode()
    assert not CheckIn.objects.exists()


def test_check_out_without_check_in_is_explained(city, client, clock):
    clock.set(next_monday(), 17, 0)
    client.force_login(city.staff[0].user)
    response = client.post(reverse("attendance:check_out"), {"note": ""})
    assert response.status_code == 409
    assert 'data-rule="check_out.requires_check_in"' in response.content.decode()


def test_reachable_status_from_the_page(city, client, clock):
    monday = next_monday()
    clock.set(monday, 8, 0)
    member = city.staff[0]
    member.phone = "0909 000 111"
    member.save()
    client.force_login(member.user)
    client.post(reverse("attendance:check_in"), {"mode": "home"})
    clock.set(monday, 10, 30)
    response = client.post(reverse("attendance:reachability"), {"status": "away"}, **HTMX)
    assert response.status_code == 200
    assert 'data-reachability="away" aria-pressed="true"' in response.content.decode()
    assert "0909 000 111" in text(response)
    assert CheckIn.objects.get().reachability == "away"


def test_an_unknown_reachable_status_is_refused_on_the_card(city, client, clock):
    clock.set(next_monday(), 8, 0)
    client.force_login(city.staff[0].user)
    client.post(reverse("attendance:check_in"), {"mode": "home"})
    response = client.post(reverse("attendance:reachability"), {"status": "sleeping"})
    assert response.status_code == 422
    assert 'data-rule="status"' in response.content.decode()
    assert CheckIn.objects.get().reachability == "reachable"


def test_my_month_lists_only_my_own_check_ins(city, client, clock):
    monday = next_monday()
    clock.set(monday, 8, 0)
    services.attendance_check_in(actor=city.staff[1].user, mode="home")
    clock.set(monday + dt.timedelta(days=1), 8, 0)
    services.attendance_check_in(actor=city.staff[0].user, mode="office")
    client.force_login(city.staff[0].user)
    content = client.get(reverse("attendance:mine")).content.decode()
    assert content.count("<tr data-day=") == 1


def test_pages_for_staff_only_refuse_accounts_without_a_staff_record(city, client):
    client.force_login(city.home_affairs)
    assert client.get(reverse("attendance:mine")).status_code == 403
    assert client.post(reverse("attendance:check_in"), {"mode": "office"}).status_code == 403
    assert not CheckIn.objects.exists()


def test_check_in_pages_need_a_login_and_post(city, client):
    assert client.get(reverse("attendance:mine")).status_code == 302
    assert client.post(reverse("attendance:check_in"), {"mode": "office"}).status_code == 302
    client.force_login(city.staff[0].user)
    assert client.get(reverse("attendance:check_in")).status_code == 405
    assert not CheckIn.objects.exists()


# --- the live board ---------------------------------------------------------------------------------------------


@pytest.fixture
def busy_monday(city, clock, on_commit):
    """A Monday at 09:20: a roster is published, some checked in (one at home against the roster), one on leave,
    and the 09:00 detection has run."""
    monday = next_monday()
    first, second, third, fourth = city.staff[:4]
    first.phone, second.phone = "0901 111 222", "0902 333 444"
    first.save()
    second.save()
    publish_roster(
        city.unit,
        monday,
        {first: EntryStatus.HOME, second: EntryStatus.OFFICE, third: EntryStatus.LEAVE, city.clerk: EntryStatus.DESK},
        service_point=city.desk,
    )
    record_leave(third, monday, monday)
    clock.set(monday, 7, 45)
    services.attendance_check_in(actor=first.user, mode="home", note="Soạn tờ trình")
    services.attendance_check_in(actor=second.user, mode="home")
    services.attendance_check_in(actor=city.clerk.user, mode="office")
    services.attendance_set_reachability(actor=first.user, status="in_meeting")
    clock.set(monday, 9, 5)
    on_commit(services.missed_check_ins_detect, day=monday)
    clock.set(monday, 9, 20)
    return monday


def board_rows(response) -> dict[str, str]:
    """staff code → the row's state attribute."""
    return dict(re.findall(r'<tr data-staff="([^"]+)" data-state="([^"]+)"', response.content.decode()))


def test_the_board_shows_who_is_where_mismatches_missing_and_leave(city, client, busy_monday):
    client.force_login(city.head_user)
    response = client.get(reverse("attendance:board"))
    assert response.status_code == 200
    states = board_rows(response)
    first, second, third, fourth = city.staff[:4]
    assert states[first.code] == "checked_in"
    assert states[second.code] == "checked_in"
    assert states[city.clerk.code] == "checked_in"
    assert states[third.code] == "on_leave"
    assert states[fourth.code] == "missed"
    assert states[city.head.code] == "missed"
    content = response.content.decode()
    assert re.search(rf'data-staff="{second.code}" data-state="checked_in" data-finding="home_while_rostered_on_site" class="table-warning"', content)
    assert re.search(rf'data-staff="{first.code}" data-state="checked_in" data-finding="matches"', content)
    page = text(response)
    assert "Tại cơ quan: 1" in page
    assert "Tại nhà: 2" in page
    assert "Chưa chấm công: 6" in page
    assert "Không đúng lịch: 1" in page
    assert "Nghỉ phép: 1" in page
    assert "Đang họp" in page
    assert "0901 111 222" in page
    assert "0902 333 444" in page
    assert "Trực tại Bàn tiếp nhận hồ sơ" in page
    assert "Chưa chấm công trước 09:00" in page
    assert "đã nhắc" in page
    assert 'hx-trigger="every 60s"' in content


def test_the_board_before_the_cut_off_says_not_yet(city, client, clock):
    monday = next_monday()
    publish_roster(city.unit, monday, {})
    clock.set(monday, 8, 30)
    client.force_login(city.head_user)
    states = board_rows(client.get(reverse("attendance:board")))
    assert set(states.values()) == {"not_yet"}


def test_the_board_says_when_no_roster_is_published(city, client, clock):
    clock.set(next_monday(), 10, 0)
    client.force_login(city.head_user)
    response = client.get(reverse("attendance:board"))
    assert 'id="no-roster"' in response.content.decode()
    assert set(board_rows(response).values()) == {"not_expected"}


def test_the_htmx_refresh_returns_only_the_board(city, client, busy_monday):
    client.force_login(city.head_user)
    response = client.get(reverse("attendance:board") + f"?unit={city.unit.pk}", **HTMX)
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="board"')
    assert "<html" not in content


def test_the_board_shows_another_day(city, client, busy_monday):
    client.force_login(city.head_user)
    response = client.get(reverse("attendance:board") + f"?unit={city.unit.pk}&day={busy_monday - dt.timedelta(days=7):%Y-%m-%d}")
    assert response.status_code == 200
    assert "hx-trigger" not in response.content.decode()  # a past day does not refresh itself


@pytest.mark.parametrize("day", ["2026-02-30", "tomorrow", "2026-13-01"])
def test_an_impossible_day_is_refused_with_an_explanation(city, client, day):
    client.force_login(city.head_user)
    response = client.get(reverse("attendance:board") + f"?day={day}")
    assert response.status_code == 400
    assert 'data-rule="day"' in response.content.decode()


def test_the_board_costs_the_same_queries_for_a_bigger_unit(city, client, busy_monday, django_assert_num_queries):
    client.force_login(city.head_user)
    url = reverse("attendance:board") + f"?unit={city.unit.pk}"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _index in range(15):
        member = StaffFactory(unit=city.unit, position=city.staff[0].position, direct_superior=city.head)
        services.attendance_check_in(actor=member.user, mode="home")
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(board_rows(response)) == 25


# --- scope: role × page × unit ----------------------------------------------------------------------------------


def users(city):
    other_unit_in_agency = UnitFactory(agency=city.agency, name="Phòng Tài chính")
    agency_head = StaffFactory(unit=other_unit_in_agency, position=city.staff[0].position, user__role=Role.AGENCY_HEAD).user
    return {
        "staff": city.staff[0].user,
        "unit_head": city.head_user,
        "agency_head": agency_head,
        "agency_hr": city.hr,
        "home_affairs": city.home_affairs,
        "city_leadership": city.leadership,
        "system_admin": city.admin,
        "outsider": city.outsider.user,
    }


# What each role gets for the unit of the city fixture ("own") and for a unit of another agency ("other").
EXPECTED = {
    "staff": (403, 403),
    "unit_head": (200, 404),
    "agency_head": (200, 404),
    "agency_hr": (200, 404),
    "home_affairs": (200, 200),
    "city_leadership": (200, 200),
    "system_admin": (200, 200),
    "outsider": (403, 403),
}


@pytest.mark.parametrize("page", ["attendance:board", "attendance:timesheet", "attendance:timesheet_export"])
@pytest.mark.parametrize("role", list(EXPECTED))
def test_who_may_read_which_units_attendance(city, client, page, role):
    user = users(city)[role]
    client.force_login(user)
    own, other = EXPECTED[role]
    assert client.get(reverse(page) + f"?unit={city.unit.pk}").status_code == own
    assert client.get(reverse(page) + f"?unit={city.outsider.unit_id}").status_code == other


def test_a_unit_head_does_not_see_a_sibling_unit(city, client):
    sibling = UnitFactory(agency=city.agency, name="Phòng bên cạnh")
    client.force_login(city.head_user)
    assert client.get(reverse("attendance:board") + f"?unit={sibling.pk}").status_code == 404
    assert client.get(reverse("attendance:board") + "?unit=abc").status_code == 404


def test_a_unit_head_sees_the_units_below(city, client):
    below = UnitFactory(agency=city.agency, parent=city.unit, name="Tổ tổng hợp")
    StaffFactory(unit=below, full_name="Võ Thị Tổ Viên")
    client.force_login(city.head_user)
    response = client.get(reverse("attendance:board") + f"?unit={below.pk}")
    assert response.status_code == 200
    assert "Võ Thị Tổ Viên" in text(response)


# --- the timesheet page -----------------------------------------------------------------------------------------


def test_the_timesheet_page_shows_letters_hours_and_totals(city, client, clock):
    monday = dt.date(2026, 12, 7)  # Tuesday and Wednesday fall in the same month
    member = city.staff[0]
    clock.set(monday, 8, 0)
    services.attendance_check_in(actor=member.user, mode="home")
    clock.set(monday, 16, 30)
    services.attendance_check_out(actor=member.user)
    record_leave(member, monday + dt.timedelta(days=1))
    clock.set(monday + dt.timedelta(days=2), 10, 0)
    client.force_login(city.hr)
    response = client.get(reverse("attendance:timesheet") + f"?unit={city.unit.pk}&month={monday:%Y-%m}")
    assert response.status_code == 200
    row = re.search(rf'<tr data-staff="{member.code}">(.*?)</tr>', response.content.decode(), re.S)
    assert row is not None
    # A cell's text, without the link HR follows to correct the day.
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]
    day_cells = cells[1 : 1 + len(re.findall(r"<th class=\"[^\"]*\" data-day=", response.content.decode()))]
    assert day_cells[monday.day - 1] == "TN 8,5"
    assert day_cells[monday.day] == "P"
    assert 'data-total="home">1<' in row.group(1)
    assert 'data-total="leave">1<' in row.group(1)
    assert 'data-total="hours">8,5<' in row.group(1)
    assert f"month={monday:%Y-%m}" in response.content.decode()


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "november", "26-11"])
def test_an_impossible_month_is_refused_with_an_explanation(city, client, month):
    client.force_login(city.head_user)
    for page in ("attendance:timesheet", "attendance:timesheet_export"):
        response = client.get(reverse(page) + f"?unit={city.unit.pk}&month={month}")
        assert response.status_code == 400
        assert 'data-rule="month"' in response.content.decode()


def test_navigation_shows_attendance_to_staff_and_the_board_to_heads(city, client):
    client.force_login(city.staff[0].user)
    content = client.get(reverse("portal:home")).content.decode()
    assert reverse("attendance:mine") in content
    assert reverse("attendance:board") not in content
    client.force_login(city.head_user)
    content = client.get(reverse("portal:home")).content.decode()
    assert reverse("attendance:board") in content


def test_missed_rows_are_listed_once_alerted(city, busy_monday):
    assert MissedCheckIn.objects.filter(day=busy_monday).count() == 6
