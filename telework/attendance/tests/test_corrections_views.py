"""The correction page and its entry points: the board's and the timesheet's "Correct" links for the people the
viewer answers for, the form (reason required, refusals next to the fields, nothing changed), and the person's page
and the timesheet saying who corrected the day and why."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from telework.attendance import services
from telework.attendance.models import CheckIn, CheckInCorrection
from telework.attendance.services import Correction
from telework.attendance.tests.builders import at, publish_roster
from telework.rosters.models import EntryStatus

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 7)
TUESDAY = MONDAY + dt.timedelta(days=1)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def correct_url(staff, day=MONDAY, back=""):
    url = reverse("attendance:correct", args=[staff.pk, day.isoformat()])
    return f"{url}?next={back}" if back else url


@pytest.fixture
def forgotten_check_out(city, clock):
    member = city.staff[0]
    publish_roster(city.unit, MONDAY, {member: EntryStatus.OFFICE})
    clock.set(MONDAY, 7, 50)
    services.attendance_check_in(actor=member.user, mode="office")
    clock.set(TUESDAY, 8, 30)
    return member


def test_the_board_offers_correct_for_each_person_the_head_answers_for(city, client, forgotten_check_out):
    client.force_login(city.head_user)
    board = reverse("attendance:board") + f"?unit={city.unit.pk}&day={MONDAY.isoformat()}"
    html = client.get(board).content.decode()
    links = re.findall(r'<a class="[^"]*" href="([^"]+)" data-correct>', html)
    assert len(links) == 9  # every member but the head themselves
    assert correct_url(forgotten_check_out).replace("?", "") in [link.split("?")[0] for link in links]
    assert f"/attendance/correct/{city.head.pk}/" not in html


def test_the_board_offers_no_correction_for_a_day_to_come(city, client, forgotten_check_out):
    client.force_login(city.head_user)
    html = client.get(reverse("attendance:board") + f"?unit={city.unit.pk}&day={(TUESDAY + dt.timedelta(days=1)).isoformat()}").content.decode()
    assert "data-correct" not in html


def test_the_page_shows_the_day_as_recorded_and_a_form_filled_with_it(city, client, forgotten_check_out):
    client.force_login(city.head_user)
    response = client.get(correct_url(forgotten_check_out))
    assert response.status_code == 200
    page = text(response)
    assert forgotten_check_out.full_name in page
    assert "chưa chấm công ra" in page
    html = response.content.decode()
    assert 'name="checked_in" value="07:50"' in html
    assert 'value="office" class="form-check-input" id="id_mode_0" required checked' in html


def test_a_head_corrects_a_forgotten_check_out_and_returns_to_the_board(city, client, forgotten_check_out, django_capture_on_commit_callbacks):
    client.force_login(city.head_user)
    back = reverse("attendance:board") + f"?unit={city.unit.pk}"
    page = client.get(correct_url(forgotten_check_out)).content.decode()
    seen = re.search(r'name="seen" value="([^"]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            correct_url(forgotten_check_out),
            {"mode": "office", "checked_in": "07:50", "checked_out": "17:10", "reason": "Quên chấm công ra", "seen": seen, "next": back},
        )
    assert response.status_code == 302
    assert response["Location"] == back
    check_in = CheckIn.objects.get(staff=forgotten_check_out)
    assert check_in.checked_out_at == at(MONDAY, 17, 10)
    board = client.get(reverse("attendance:board") + f"?unit={city.unit.pk}&day={MONDAY.isoformat()}")
    assert f"Sửa bởi {city.head.full_name}: Quên chấm công ra" in text(board)


def test_an_outside_address_to_go_back_to_is_ignored(city, client, forgotten_check_out):
    client.force_login(city.head_user)
    response = client.post(
        correct_url(forgotten_check_out), {"mode": "office", "checked_in": "07:50", "checked_out": "17:10", "reason": "Quên", "next": "https://example.com/"}
    )
    assert response["Location"] == reverse("attendance:board") + f"?unit={city.unit.pk}&day={MONDAY.isoformat()}"


def test_without_a_reason_the_form_says_so_and_nothing_changes(city, client, forgotten_check_out):
    client.force_login(city.head_user)
    response = client.post(correct_url(forgotten_check_out), {"mode": "office", "checked_in": "07:50", "checked_out": "17:10", "reason": ""})
    assert response.status_code == 422
    assert 'data-field-error="reason"' in response.content.decode()
    assert CheckIn.objects.get(staff=forgotten_check_out).checked_out_at is None
    assert CheckInCorrection.objects.count() == 0


def test_a_refused_correction_is_explained_with_its_rule(city, client, forgotten_check_out):
    client.force_login(city.head_user)
    response = client.post(correct_url(forgotten_check_out), {"mode": "office", "checked_in": "18:00", "checked_out": "17:10", "reason": "Sửa giờ"})
    assert response.status_code == 422
    assert 'data-rule="check_out_after_check_in"' in response.content.decode()
    assert "Chấm công ra lúc 17:10 sẽ sớm hơn giờ chấm công vào lúc 18:00." in text(response)
    assert CheckIn.objects.get(staff=forgotten_check_out).checked_out_at is None


@pytest.mark.parametrize("who", ["member", "colleague", "outsider"])
def test_the_page_is_not_found_for_someone_who_does_not_answer_for_the_person(city, client, forgotten_check_out, who):
    user = {"member": forgotten_check_out.user, "colleague": city.staff[1].user, "outsider": city.outsider.user}[who]
    client.force_login(user)
    assert client.get(correct_url(forgotten_check_out)).status_code == 404
    assert client.post(correct_url(forgotten_check_out), {"mode": "office", "checked_in": "07:50", "reason": "x"}).status_code == 404
    assert CheckInCorrection.objects.count() == 0


def test_a_day_that_is_no_date_is_not_found(city, client):
    client.force_login(city.head_user)
    assert client.get(reverse("attendance:correct", args=[city.staff[0].pk, "2026-02-30"])).status_code == 404


def test_the_person_sees_who_corrected_their_day_and_why(city, client, forgotten_check_out):
    services.attendance_correct(
        actor=city.head.user,
        staff=forgotten_check_out,
        day=MONDAY,
        correction=Correction(mode="office", checked_in_at=at(MONDAY, 7, 50), checked_out_at=at(MONDAY, 17, 0), reason="Quên chấm công ra"),
    )
    client.force_login(forgotten_check_out.user)
    page = text(client.get(reverse("attendance:mine")))
    assert f"Sửa bởi {city.head.full_name}: Quên chấm công ra" in page


def test_the_timesheet_links_each_day_to_its_correction_and_lists_the_corrections(city, client, forgotten_check_out):
    services.attendance_correct(
        actor=city.hr,
        staff=forgotten_check_out,
        day=MONDAY,
        correction=Correction(mode="office", checked_in_at=at(MONDAY, 7, 50), checked_out_at=at(MONDAY, 17, 0), reason="Quên chấm công ra"),
    )
    client.force_login(city.head_user)
    response = client.get(reverse("attendance:timesheet") + f"?unit={city.unit.pk}&month=2026-12")
    html = response.content.decode()
    row = re.search(rf'<tr data-staff="{forgotten_check_out.code}">(.*?)</tr>', html, re.S).group(1)
    cell = re.search(r'<td class="[^"]*ts-corrected" data-day="2026-12-07"[^>]*>(.*?)</td>', row, re.S)
    assert cell is not None
    assert f'href="/attendance/correct/{forgotten_check_out.pk}/2026-12-07/?next=' in cell.group(1)
    assert "<sup>*</sup>" in cell.group(1)
    assert 'data-day="2026-12-09"' in row
    assert f"/attendance/correct/{forgotten_check_out.pk}/2026-12-09/" not in row  # a day to come
    listed = re.search(r'<ul class="small" id="timesheet-corrections">(.*?)</ul>', html, re.S).group(1)
    hr_name = city.hr.staff.full_name
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", listed)).strip() == f"07/12 · {forgotten_check_out.full_name}: Sửa bởi {hr_name}: Quên chấm công ra"
