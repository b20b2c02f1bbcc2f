"""The sample city's surveys: both phases, figures to show, the open wave answerable by whoever has not answered."""

import pytest

from telework.core import clock
from telework.surveys import selectors, services
from telework.surveys.demo import seed_demo_surveys
from telework.surveys.models import PulseParticipation, PulseResponse

pytestmark = pytest.mark.django_db


def test_the_demo_surveys_give_results_before_and_during_the_pilot(city):
    counts = seed_demo_surveys(agencies=[city.agency], actor=city.home_affairs, today=clock.today(), seed=7)
    assert counts["citizen survey responses"] > 0
    assert PulseResponse.objects.count() == PulseParticipation.objects.count() == counts["staff pulse responses"]
    [during] = [campaign for campaign in selectors.visible_campaigns(city.home_affairs) if campaign.phase == "during"]
    [result] = selectors.campaign_results(viewer=city.home_affairs, campaign=during, compare_with=selectors.comparable_campaigns(during)[0])
    assert result.responses > 0
    assert all(row.figure.mean is not None and row.earlier is not None for row in result.factors)
    open_waves = services.waves_for(city.staff[0].user)
    assert [wave.phase for wave in open_waves] == ["during"]
