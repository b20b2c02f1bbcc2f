"""The anonymous staff pulse survey: open to the staff of the wave's agencies, one answer per person per wave, and
no way back from the answers to the person."""

import datetime as dt

import pytest
from django.db import models
from django.urls import reverse

from telework.accounts.models import User
from telework.core.exceptions import RuleViolation
from telework.organization.models import Staff
from telework.surveys import services
from telework.surveys.models import PulseParticipation, PulseResponse
from telework.surveys.tests.factories import PulseWaveFactory, pulse_answers

pytestmark = pytest.mark.django_db


def test_the_surveys_page_tells_staff_a_survey_is_open(client, city):
    wave = PulseWaveFactory(agencies=[city.agency])
    client.force_login(city.staff[0].user)
    page = client.get(reverse("surveys:home")).content.decode()
    assert "Đang có khảo sát: trả lời ngay (3 phút)" in page
    assert reverse("surveys:pulse", args=[wave.pk]) in page


def test_staff_of_another_agency_are_not_asked(client, city):
    wave = PulseWaveFactory(agencies=[city.agency])
    client.force_login(city.outsider.user)
    assert "Hiện không có khảo sát nào dành cho anh/chị." in client.get(reverse("surveys:home")).content.decode()
    assert client.get(reverse("surveys:pulse", args=[wave.pk])).status_code == 404
    assert client.post(reverse("surveys:pulse", args=[wave.pk]), pulse_answers()).status_code == 404
    assert not PulseResponse.objects.exists()


def test_a_staff_member_answers_and_the_answers_keep_only_agency_and_unit(client, city):
    wave = PulseWaveFactory(agencies=[city.agency])
    member = city.staff[0]
    client.force_login(member.user)
    response = client.post(reverse("surveys:pulse", args=[wave.pk]), pulse_answers(who5=4, stress=2))
    assert response.status_code == 302
    stored = PulseResponse.objects.get()
    assert (stored.wave, stored.agency, stored.unit, stored.answers["who5_calm"], stored.answers["stress_load"]) == (wave, city.agency, member.unit, 4, 2)
    assert list(PulseParticipation.objects.values_list("wave", "user")) == [(wave.pk, member.user.pk)]
    assert "Anh/chị đã trả lời. Xin cảm ơn." in client.get(reverse("surveys:home")).content.decode()


def test_a_person_answers_a_wave_once(city):
    wave = PulseWaveFactory(agencies=[city.agency])
    member = city.staff[0].user
    services.pulse_submit(actor=member, wave=wave, answers=pulse_answers(who5=5))
    with pytest.raises(RuleViolation) as refused:
        services.pulse_submit(actor=member, wave=wave, answers=pulse_answers(who5=0))
    assert refused.value.rule == "pulse_once"
    assert PulseResponse.objects.count() == 1
    assert PulseResponse.objects.get().answers["who5_cheerful"] == 5


def test_the_second_visit_to_the_form_after_answering_goes_back_with_a_word(client, city):
    wave = PulseWaveFactory(agencies=[city.agency])
    client.force_login(city.staff[0].user)
    client.post(reverse("surveys:pulse", args=[wave.pk]), pulse_answers())
    again = client.post(reverse("surveys:pulse", args=[wave.pk]), pulse_answers(who5=0), follow=True)
    assert "Anh/chị đã trả lời khảo sát này. Xin cảm ơn." in again.content.decode()
    assert PulseResponse.objects.count() == 1


def test_an_incomplete_pulse_form_stores_nothing(client, city):
    wave = PulseWaveFactory(agencies=[city.agency])
    client.force_login(city.staff[0].user)
    answers = pulse_answers()
    del answers["stay"]
    response = client.post(reverse("surveys:pulse", args=[wave.pk]), answers)
    assert response.status_code == 400
    assert "Vui lòng trả lời câu hỏi này." in response.content.decode()
    assert not PulseResponse.objects.exists()
    assert not PulseParticipation.objects.exists()


@pytest.mark.frozen_at("2026-12-05")
def test_a_closed_wave_takes_no_answers(city):
    wave = PulseWaveFactory(agencies=[city.agency], opens_on="2026-11-01", closes_on="2026-11-30")
    with pytest.raises(RuleViolation):
        services.pulse_submit(actor=city.staff[0].user, wave=wave, answers=pulse_answers())
    assert not PulseResponse.objects.exists()


def test_the_answers_table_has_no_link_to_the_person_and_no_time():
    fields = PulseResponse._meta.get_fields()
    related = {field.related_model for field in fields if field.is_relation}
    assert User not in related
    assert Staff not in related
    assert PulseParticipation not in related
    assert not [field for field in fields if isinstance(field, (models.DateField, models.TimeField))]  # DateTimeField is a DateField
    assert isinstance(PulseResponse._meta.pk, models.UUIDField)  # no insertion order to match against participations


def test_the_participation_table_holds_no_answers_and_no_time():
    names = {field.name for field in PulseParticipation._meta.get_fields()}
    assert names == {"id", "wave", "user"}


def test_opening_a_wave_tells_the_agencys_staff_once(city, django_capture_on_commit_callbacks):
    from telework.core.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        wave = services.wave_create(
            actor=city.home_affairs,
            title="Khảo sát nhanh đợt 1",
            phase="during",
            opens_on=dt.date(2026, 11, 18),
            closes_on=dt.date(2026, 11, 30),
            agencies=[city.agency],
        )
    told = set(Notification.objects.filter(key=f"pulse-wave:{wave.pk}").values_list("user", flat=True))
    expected = set(Staff.objects.filter(unit__agency=city.agency, user__isnull=False).values_list("user", flat=True))
    assert told == expected
    assert city.outsider.user_id not in told
    assert services.notify_wave_opened(wave.pk) == len(expected)
    assert Notification.objects.filter(key=f"pulse-wave:{wave.pk}").count() == len(expected)
    assert Notification.objects.filter(key=f"pulse-wave:{wave.pk}").first().url == reverse("surveys:pulse", args=[wave.pk])
