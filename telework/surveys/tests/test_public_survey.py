"""The public citizen survey an agency's link or QR code opens: no login, one answer per device, throttled per
address, nothing personal stored, refusals in words."""

import datetime as dt

import pytest
from django.urls import reverse

from telework.surveys.models import CitizenResponse
from telework.surveys.tests.factories import CampaignAgencyFactory, citizen_answers
from telework.surveys.throttle import THROTTLE_ATTEMPTS

pytestmark = pytest.mark.django_db


def url(place):
    return reverse("surveys:public", args=[place.token])


def test_a_person_answers_the_agency_survey_without_logging_in_and_only_the_day_is_kept(client):
    place = CampaignAgencyFactory(agency__name="UBND phường Bến Thành")
    page = client.get(url(place))
    assert page.status_code == 200
    assert "UBND phường Bến Thành" in page.content.decode()
    assert "Tiếp cận dịch vụ" in page.content.decode()
    response = client.post(url(place), citizen_answers(5, result_on_time=2))
    assert response.status_code == 200
    assert "Xin cảm ơn" in response.content.decode()
    stored = CitizenResponse.objects.get()
    assert (stored.place, stored.answers["result_on_time"], stored.answers["access_place"], stored.submitted_on) == (place, 2, 5, dt.date(2026, 11, 18))


def test_the_response_table_holds_nothing_personal():
    names = {field.name for field in CitizenResponse._meta.get_fields()}
    assert names == {"id", "place", "answers", "submitted_on"}


def test_a_second_answer_from_the_same_device_is_refused_in_words_and_the_first_kept(client):
    place = CampaignAgencyFactory()
    client.post(url(place), citizen_answers(5))
    replay = client.post(url(place), citizen_answers(1))
    assert replay.status_code == 409
    assert "Thiết bị này đã trả lời khảo sát này" in replay.content.decode()
    assert CitizenResponse.objects.count() == 1
    assert CitizenResponse.objects.get().answers["access_place"] == 5


def test_the_device_check_covers_every_agency_of_the_campaign(client):
    place = CampaignAgencyFactory()
    other = CampaignAgencyFactory(campaign=place.campaign)
    client.post(url(place), citizen_answers())
    assert client.post(url(other), citizen_answers()).status_code == 409
    assert CitizenResponse.objects.count() == 1


def test_a_burst_from_one_address_is_throttled_in_words(client, settings):
    place = CampaignAgencyFactory()
    for _attempt in range(THROTTLE_ATTEMPTS):
        client.cookies.clear()
        client.post(url(place), citizen_answers())
    client.cookies.clear()
    burst = client.post(url(place), citizen_answers())
    assert burst.status_code == 429
    assert "Có quá nhiều lượt gửi từ kết nối này" in burst.content.decode()
    assert CitizenResponse.objects.count() == THROTTLE_ATTEMPTS


def test_an_unanswered_question_is_marked_and_nothing_is_stored(client):
    place = CampaignAgencyFactory()
    answers = citizen_answers()
    del answers["feedback_answered"]
    response = client.post(url(place), answers)
    assert response.status_code == 400
    assert "Vui lòng trả lời câu hỏi này." in response.content.decode()
    assert not CitizenResponse.objects.exists()


def test_an_unknown_link_is_refused_in_words_without_a_stack_trace(client):
    response = client.post(reverse("surveys:public", args=["khong-co"]), citizen_answers())
    assert response.status_code == 404
    assert "Không tìm thấy đường dẫn khảo sát này" in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert not CitizenResponse.objects.exists()


def test_a_closed_campaign_takes_no_more_answers(client):
    place = CampaignAgencyFactory(campaign__opens_on=dt.date(2026, 10, 1), campaign__closes_on=dt.date(2026, 11, 17))
    response = client.post(url(place), citizen_answers())
    assert response.status_code == 409
    assert "Khảo sát này đã kết thúc" in response.content.decode()
    assert not CitizenResponse.objects.exists()
