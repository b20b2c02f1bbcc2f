import datetime as dt

import factory

from telework.core import clock
from telework.organization.tests.factories import AgencyFactory
from telework.surveys import scales
from telework.surveys.models import Campaign, CampaignAgency, PulseWave, SurveyPhase


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda number: f"Khảo sát SIPAS {number}")
    phase = SurveyPhase.DURING
    opens_on = factory.LazyFunction(lambda: clock.today() - dt.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: clock.today() + dt.timedelta(days=7))


class CampaignAgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignAgency

    campaign = factory.SubFactory(CampaignFactory)
    agency = factory.SubFactory(AgencyFactory)
    target_responses = 40


class PulseWaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PulseWave
        skip_postgeneration_save = True

    title = factory.Sequence(lambda number: f"Khảo sát nhanh {number}")
    phase = SurveyPhase.BEFORE
    opens_on = factory.LazyFunction(lambda: clock.today() - dt.timedelta(days=3))
    closes_on = factory.LazyFunction(lambda: clock.today() + dt.timedelta(days=10))

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.agencies.set(extracted)


def citizen_answers(value: int = 4, **overrides: int) -> dict[str, int]:
    return {key: value for key in scales.CITIZEN_QUESTION_KEYS} | overrides


def pulse_answers(who5: int = 3, stress: int = 3, balance: int = 4, stay: int = 4) -> dict[str, int]:
    answers = {item.key: who5 for item in scales.WHO5_ITEMS} | {item.key: stress for item in scales.STRESS_ITEMS}
    return answers | {"balance": balance, "stay": stay}
