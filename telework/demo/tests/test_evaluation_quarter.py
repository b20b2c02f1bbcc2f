"""The demo quarter: the whole workflow through the real services ends published, within the quota, with an appeal."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.demo.evaluation import previous_quarter, seed_demo_quarter
from telework.evaluations import services
from telework.evaluations.builtin import install
from telework.evaluations.models import CriteriaSet, Evaluation, EvaluationPeriod, PeriodStatus
from telework.evaluations.tests.helpers import agency_head

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("today", "quarter"), [(dt.date(2026, 11, 22), (2026, 3)), (dt.date(2026, 2, 1), (2025, 4))])
def test_previous_quarter(today, quarter):
    assert previous_quarter(today) == quarter


def test_demo_quarter_is_published_within_the_quota(city):
    install(CriteriaSet)
    agency_head(city)
    result = seed_demo_quarter(agency=city.agency, today=dt.date(2026, 11, 22))
    period = EvaluationPeriod.objects.get(pk=result.period_id)
    assert period.status == PeriodStatus.PUBLISHED
    assert result.evaluations == Evaluation.objects.filter(period=period).count() == 12
    assert not Evaluation.objects.filter(period=period, final_level="").exists()
    assert services.quota_drops(period, services.quota_rows(period)) == []
    assert Evaluation.objects.filter(period=period, appealed_at__isnull=False).count() == (1 if result.quota_moves else 0)
