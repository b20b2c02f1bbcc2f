"""Results: citizens' answers per agency and SIPAS factor with the response rate and the comparison with before the
pilot; staff pulse figures only for groups of at least the minimum; who reads what; Home Affairs opens surveys."""

import datetime as dt

import pytest
from django.urls import reverse

from telework.accounts.models import Role
from telework.core.exceptions import NotPermitted
from telework.core.models import AuditEvent
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.surveys import selectors, services
from telework.surveys.models import Campaign, CampaignAgency, CitizenResponse, PulseResponse, PulseWave, SurveyPhase
from telework.surveys.tests.factories import CampaignAgencyFactory, PulseWaveFactory, citizen_answers, pulse_answers

pytestmark = pytest.mark.django_db


def answer_citizen(place, count, value=4, **overrides):
    CitizenResponse.objects.bulk_create(
        [CitizenResponse(place=place, answers=citizen_answers(value, **overrides), submitted_on=dt.date(2026, 11, 18)) for _ in range(count)]
    )


def answer_pulse(wave, unit, count, **values):
    PulseResponse.objects.bulk_create([PulseResponse(wave=wave, agency=unit.agency, unit=unit, answers=pulse_answers(**values)) for _ in range(count)])


def test_citizen_results_per_agency_and_factor_with_the_response_rate(city):
    place = CampaignAgencyFactory(agency=city.agency, target_responses=10)
    answer_citizen(place, 3, 5, servant_attitude=2, servant_guidance=2)
    answer_citizen(place, 1, 3)
    [result] = selectors.campaign_results(viewer=city.home_affairs, campaign=place.campaign)
    assert (result.responses, result.rate) == (4, 0.4)
    figures = {row.factor.key: row.figure for row in result.factors}
    assert (figures["access"].mean, figures["access"].share_satisfied) == (4.5, 0.75)
    assert (figures["civil_servant"].mean, figures["civil_servant"].share_satisfied) == (2.25, 0)


def test_during_the_pilot_is_compared_with_before_the_pilot_in_percentage_points(city):
    before = CampaignAgencyFactory(
        agency=city.agency, campaign__phase=SurveyPhase.BEFORE, campaign__opens_on=dt.date(2026, 3, 1), campaign__closes_on=dt.date(2026, 3, 31)
    )
    during = CampaignAgencyFactory(agency=city.agency)
    answer_citizen(before, 2, 4)
    answer_citizen(before, 2, 2)
    answer_citizen(during, 4, 4)
    assert selectors.comparable_campaigns(during.campaign) == [before.campaign]
    [result] = selectors.campaign_results(viewer=city.home_affairs, campaign=during.campaign, compare_with=before.campaign)
    assert [row.change for row in result.factors] == [0.5] * 5
    assert result.earlier_responses == 4


def test_the_campaign_page_shows_factors_rates_and_the_agency_link(client, city):
    place = CampaignAgencyFactory(agency=city.agency, target_responses=8)
    answer_citizen(place, 2, 5)
    client.force_login(city.home_affairs)
    page = client.get(reverse("surveys:campaign", args=[place.campaign.pk])).content.decode()
    assert "2 phiếu trên cỡ mẫu dự kiến 8" in page
    assert "25%" in page
    assert "Công chức giải quyết" in page
    assert reverse("surveys:public", args=[place.token]) in page


def test_an_agency_head_reads_only_their_agency(client, city):
    head = StaffFactory(unit=city.unit, user__role=Role.AGENCY_HEAD).user
    mine = CampaignAgencyFactory(agency=city.agency)
    theirs = CampaignAgencyFactory(campaign=mine.campaign, agency=city.other_agency)
    assert [result.place for result in selectors.campaign_results(viewer=head, campaign=mine.campaign)] == [mine]
    client.force_login(head)
    page = client.get(reverse("surveys:campaign", args=[mine.campaign.pk])).content.decode()
    assert city.agency.name in page
    assert city.other_agency.name not in page
    assert client.get(reverse("surveys:campaign_qr", args=[mine.campaign.pk, theirs.pk])).status_code == 404


def test_a_staff_member_reads_no_results(client, city):
    place = CampaignAgencyFactory(agency=city.agency)
    wave = PulseWaveFactory(agencies=[city.agency])
    client.force_login(city.staff[0].user)
    assert client.get(reverse("surveys:campaign", args=[place.campaign.pk])).status_code == 404
    assert client.get(reverse("surveys:wave", args=[wave.pk])).status_code == 404


def test_the_qr_poster_is_a_pdf(client, city):
    place = CampaignAgencyFactory(agency=city.agency)
    client.force_login(city.home_affairs)
    response = client.get(reverse("surveys:campaign_qr", args=[place.campaign.pk, place.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_group_of_four_shows_nothing(client, city):
    wave = PulseWaveFactory(agencies=[city.agency])
    answer_pulse(wave, city.unit, 4, who5=5)
    [result] = selectors.pulse_results(viewer=city.home_affairs, wave=wave)
    assert (result.total.figure, result.units) == (None, [])
    client.force_login(city.home_affairs)
    page = client.get(reverse("surveys:wave", args=[wave.pk])).content.decode()
    assert "Quá ít phiếu để hiển thị." in page
    assert 'class="text-end who5"' not in page


def test_a_unit_of_four_is_folded_into_the_agency_with_the_next_smallest_unit(city):
    big = UnitFactory(agency=city.agency, name="Phòng Lớn")
    middle = UnitFactory(agency=city.agency, name="Phòng Vừa")
    wave = PulseWaveFactory(agencies=[city.agency])
    answer_pulse(wave, city.unit, 4, who5=0)
    answer_pulse(wave, middle, 6, who5=5)
    answer_pulse(wave, big, 9, who5=3)
    [result] = selectors.pulse_results(viewer=city.home_affairs, wave=wave)
    assert [(group.name, group.responses) for group in result.units] == [("Phòng Lớn", 9)]
    assert (result.folded_units, result.folded_responses, result.total.responses) == (2, 10, 19)
    assert result.units[0].figure.who5_mean == 60


def test_the_minimum_group_follows_the_setting(city, settings):
    settings.SURVEY_MIN_GROUP = 3
    wave = PulseWaveFactory(agencies=[city.agency])
    answer_pulse(wave, city.unit, 4, who5=5)
    [result] = selectors.pulse_results(viewer=city.home_affairs, wave=wave)
    assert [(group.name, group.responses, group.figure.who5_mean) for group in result.units] == [(city.unit.name, 4, 100)]


def test_the_wave_page_shows_unit_and_agency_figures_from_the_minimum(client, city):
    wave = PulseWaveFactory(agencies=[city.agency])
    answer_pulse(wave, city.unit, 5, who5=4, stress=3, balance=4, stay=2)
    client.force_login(city.home_affairs)
    page = client.get(reverse("surveys:wave", args=[wave.pk])).content.decode()
    assert "Toàn cơ quan" in page
    assert city.unit.name in page
    assert "80" in page  # WHO-5: 4 × 5 items × 4


def test_home_affairs_opens_a_citizen_survey_from_the_screen_and_it_is_audited(client, city):
    client.force_login(city.home_affairs)
    response = client.post(
        reverse("surveys:campaign_new"),
        {
            "title": "SIPAS 2026 trước thí điểm",
            "phase": "before",
            "opens_on": "2026-11-18",
            "closes_on": "2026-12-18",
            "agencies": [city.agency.pk, city.other_agency.pk],
            "target_responses": 150,
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert sorted(CampaignAgency.objects.filter(campaign=campaign).values_list("agency__name", "target_responses")) == sorted(
        [(city.agency.name, 150), (city.other_agency.name, 150)]
    )
    assert AuditEvent.objects.filter(action="survey_campaign.create", object_id=str(campaign.pk)).count() == 1


def test_home_affairs_opens_a_staff_wave_from_the_screen(client, city):
    client.force_login(city.home_affairs)
    response = client.post(
        reverse("surveys:wave_new"),
        {"title": "Khảo sát nhanh đợt 1", "phase": "during", "opens_on": "2026-11-18", "closes_on": "2026-11-30", "agencies": [city.agency.pk]},
    )
    wave = PulseWave.objects.get()
    assert response.status_code == 302
    assert list(wave.agencies.all()) == [city.agency]


def test_only_home_affairs_opens_surveys(client, city):
    with pytest.raises(NotPermitted):
        services.wave_create(
            actor=city.head_user, title="x", phase="before", opens_on=dt.date(2026, 11, 18), closes_on=dt.date(2026, 11, 30), agencies=[city.agency]
        )
    client.force_login(city.hr)
    assert client.get(reverse("surveys:campaign_new")).status_code == 404
    assert not PulseWave.objects.exists()


def test_a_survey_cannot_close_before_it_opens(client, city):
    client.force_login(city.home_affairs)
    response = client.post(
        reverse("surveys:wave_new"), {"title": "x", "phase": "during", "opens_on": "2026-11-18", "closes_on": "2026-11-10", "agencies": [city.agency.pk]}
    )
    assert response.status_code == 400
    assert "Ngày đóng không được trước ngày mở." in response.content.decode()
    assert not PulseWave.objects.exists()


def test_a_wave_during_the_pilot_is_compared_with_the_agency_before_the_pilot(client, city):
    before = PulseWaveFactory(agencies=[city.agency], phase=SurveyPhase.BEFORE, opens_on=dt.date(2026, 3, 1), closes_on=dt.date(2026, 3, 31))
    during = PulseWaveFactory(agencies=[city.agency], phase=SurveyPhase.DURING)
    answer_pulse(before, city.unit, 5, who5=2)
    answer_pulse(during, city.unit, 6, who5=4)
    assert selectors.comparable_waves(during) == [before]
    [result] = selectors.pulse_results(viewer=city.home_affairs, wave=during, compare_with=before)
    assert (result.total.figure.who5_mean, result.earlier.figure.who5_mean, result.earlier.responses) == (80, 40, 5)
    client.force_login(city.home_affairs)
    page = client.get(reverse("surveys:wave", args=[during.pk])).content.decode()
    assert '<td class="text-end earlier">40</td>' in page


def test_a_before_wave_under_the_minimum_is_not_shown_in_the_comparison_either(city):
    before = PulseWaveFactory(agencies=[city.agency], phase=SurveyPhase.BEFORE, opens_on=dt.date(2026, 3, 1), closes_on=dt.date(2026, 3, 31))
    during = PulseWaveFactory(agencies=[city.agency], phase=SurveyPhase.DURING)
    answer_pulse(before, city.unit, 4, who5=2)
    answer_pulse(during, city.unit, 6, who5=4)
    [result] = selectors.pulse_results(viewer=city.home_affairs, wave=during, compare_with=before)
    assert result.earlier is not None
    assert result.earlier.figure is None


def test_the_surveys_page_lists_results_for_home_affairs_without_a_pulse_section(client, city):
    place = CampaignAgencyFactory(agency=city.agency)
    wave = PulseWaveFactory(agencies=[city.agency])
    client.force_login(city.home_affairs)
    page = client.get(reverse("surveys:home")).content.decode()
    assert reverse("surveys:campaign", args=[place.campaign.pk]) in page
    assert reverse("surveys:wave", args=[wave.pk]) in page
    assert 'id="pulse-heading"' not in page


def test_the_results_pages_cost_the_same_queries_whatever_the_number_of_agencies_and_units(client, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from telework.organization.tests.factories import AgencyFactory

    client.force_login(city.home_affairs)
    place = CampaignAgencyFactory(agency=city.agency)
    wave = PulseWaveFactory(agencies=[city.agency])
    answer_pulse(wave, city.unit, 6)

    def cost(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    first = (cost(reverse("surveys:campaign", args=[place.campaign.pk])), cost(reverse("surveys:wave", args=[wave.pk])))
    for _index in range(3):
        agency = AgencyFactory()
        CampaignAgencyFactory(campaign=place.campaign, agency=agency)
        wave.agencies.add(agency)
        answer_pulse(wave, UnitFactory(agency=agency), 6)
        answer_pulse(wave, UnitFactory(agency=city.agency), 5)
    assert (cost(reverse("surveys:campaign", args=[place.campaign.pk])), cost(reverse("surveys:wave", args=[wave.pk]))) == first


def test_home_affairs_changes_an_agencys_target_and_the_rate_follows(client, city):
    place = CampaignAgencyFactory(agency=city.agency, target_responses=10)
    answer_citizen(place, 4)
    client.force_login(city.home_affairs)
    response = client.post(reverse("surveys:campaign_target", args=[place.campaign.pk, place.pk]), {"target_responses": "16"}, follow=True)
    assert "Đã lưu cỡ mẫu dự kiến." in response.content.decode()
    place.refresh_from_db()
    assert place.target_responses == 16
    [result] = selectors.campaign_results(viewer=city.home_affairs, campaign=place.campaign)
    assert result.rate == 0.25
    event = AuditEvent.objects.get(action="survey_campaign.target")
    assert (event.before["target_responses"], event.after["target_responses"]) == (10, 16)


@pytest.mark.parametrize("value", ["0", "", "-3", "abc"])
def test_a_target_below_one_is_refused_and_nothing_changes(client, city, value):
    place = CampaignAgencyFactory(agency=city.agency, target_responses=10)
    client.force_login(city.home_affairs)
    response = client.post(reverse("surveys:campaign_target", args=[place.campaign.pk, place.pk]), {"target_responses": value}, follow=True)
    assert "Cỡ mẫu dự kiến phải ít nhất là 1." in response.content.decode()
    place.refresh_from_db()
    assert place.target_responses == 10
    assert not AuditEvent.objects.filter(action="survey_campaign.target").exists()


def test_an_agency_head_cannot_change_the_target(client, city):
    head = StaffFactory(unit=city.unit, user__role=Role.AGENCY_HEAD).user
    place = CampaignAgencyFactory(agency=city.agency, target_responses=10)
    client.force_login(head)
    assert client.post(reverse("surveys:campaign_target", args=[place.campaign.pk, place.pk]), {"target_responses": "50"}).status_code == 404
    place.refresh_from_db()
    assert place.target_responses == 10


def test_the_audit_trail_names_survey_actions_in_words(client, city):
    campaign = services.campaign_create(
        actor=city.home_affairs,
        title="SIPAS 2026",
        phase="before",
        opens_on=dt.date(2026, 11, 18),
        closes_on=dt.date(2026, 12, 18),
        agencies=[city.agency],
        target_responses=100,
    )
    services.campaign_target_set(actor=city.home_affairs, place=campaign.places.get(), target_responses=80)
    client.force_login(city.home_affairs)
    page = client.get(reverse("portal:audit")).content.decode()
    assert "Mở khảo sát sự hài lòng của người dân" in page
    assert "Thay đổi cỡ mẫu dự kiến của một cơ quan" in page
    assert ">survey_campaign" not in page  # codes appear only as option values, never as text
