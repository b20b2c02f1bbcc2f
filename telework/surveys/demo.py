"""Survey data for the sample city (``telework.demo`` calls ``seed_demo_surveys`` after the organisation exists): a
citizen survey before the pilot (closed) and one during it (open today) in each agency, and a staff pulse wave before
the pilot (closed) and one open today, answered by a share of the staff. Deterministic from ``seed``."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from telework.accounts.models import User
from telework.organization.models import Agency, Staff
from telework.surveys import scales
from telework.surveys.models import Campaign, CampaignAgency, CitizenResponse, PulseParticipation, PulseResponse, PulseWave, SurveyPhase

TARGET_PER_AGENCY = 120


def _answer(rng: random.Random, centre: float, low: int, high: int) -> int:
    return max(low, min(high, round(rng.gauss(centre, 0.9))))


def seed_demo_surveys(*, agencies: Sequence[Agency], actor: User | None, today: dt.date, seed: int, pilot_start: dt.date | None = None) -> dict[str, int]:
    """Write the demo surveys; returns the counts written (for the seed's summary). With ``pilot_start``, the surveys
    "before the pilot" are held in the weeks before it starts (the citizen survey over the month that ends three
    weeks before, the staff pulse over the two weeks that end four weeks before); without it, three to four months
    before ``today``."""
    rng = random.Random(f"telework-demo:{seed}:surveys")
    before_citizens = (today - dt.timedelta(days=120), today - dt.timedelta(days=90))
    before_staff = (today - dt.timedelta(days=110), today - dt.timedelta(days=96))
    if pilot_start is not None:
        before_citizens = (pilot_start - dt.timedelta(days=51), pilot_start - dt.timedelta(days=21))
        before_staff = (pilot_start - dt.timedelta(days=42), pilot_start - dt.timedelta(days=28))
    campaigns = [
        Campaign.objects.create(
            title="Khảo sát SIPAS trước thí điểm",
            phase=SurveyPhase.BEFORE,
            opens_on=before_citizens[0],
            closes_on=before_citizens[1],
            created_by=actor,
        ),
        Campaign.objects.create(
            title="Khảo sát SIPAS trong thời gian thí điểm",
            phase=SurveyPhase.DURING,
            opens_on=today - dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=20),
            created_by=actor,
        ),
    ]
    responses: list[CitizenResponse] = []
    for campaign, centre, share in ((campaigns[0], 3.6, 0.85), (campaigns[1], 3.9, 0.45)):
        for agency in agencies:
            place = CampaignAgency.objects.create(campaign=campaign, agency=agency, target_responses=TARGET_PER_AGENCY)
            for _index in range(int(TARGET_PER_AGENCY * share * rng.uniform(0.7, 1.1))):
                day = min(campaign.opens_on + dt.timedelta(days=rng.randrange(25)), today)
                answers = {key: _answer(rng, centre, scales.SCALE_LOW, scales.SCALE_HIGH) for key in scales.CITIZEN_QUESTION_KEYS}
                responses.append(CitizenResponse(place=place, answers=answers, submitted_on=day))
    CitizenResponse.objects.bulk_create(responses, batch_size=2000)

    waves = [
        PulseWave.objects.create(
            title="Khảo sát nhanh cán bộ trước thí điểm",
            phase=SurveyPhase.BEFORE,
            opens_on=before_staff[0],
            closes_on=before_staff[1],
            created_by=actor,
        ),
        PulseWave.objects.create(
            title="Khảo sát nhanh cán bộ trong thời gian thí điểm",
            phase=SurveyPhase.DURING,
            opens_on=today - dt.timedelta(days=5),
            closes_on=today + dt.timedelta(days=9),
            created_by=actor,
        ),
    ]
    staff = list(Staff.objects.filter(unit__agency__in=agencies, is_active=True, user__isnull=False).values_list("user_id", "unit_id", "unit__agency_id"))
    participations: list[PulseParticipation] = []
    answers_written: list[PulseResponse] = []
    for wave, who5_centre, stress_centre, share in ((waves[0], 2.9, 3.4, 0.7), (waves[1], 3.4, 2.9, 0.4)):
        wave.agencies.set(agencies)
        for user_id, unit_id, agency_id in staff:
            if rng.random() >= share:
                continue
            participations.append(PulseParticipation(wave=wave, user_id=user_id))
            answers = {item.key: _answer(rng, who5_centre, 0, scales.WHO5_ITEM_HIGH) for item in scales.WHO5_ITEMS}
            answers |= {item.key: _answer(rng, stress_centre, scales.SCALE_LOW, scales.SCALE_HIGH) for item in scales.STRESS_ITEMS}
            answers |= {item.key: _answer(rng, 3.6, scales.SCALE_LOW, scales.SCALE_HIGH) for item in (scales.BALANCE_ITEM, scales.STAY_ITEM)}
            answers_written.append(PulseResponse(wave=wave, agency_id=agency_id, unit_id=unit_id, answers=answers))
    # Written in another order than the participations, like the real thing (whose keys are random anyway).
    rng.shuffle(answers_written)
    PulseParticipation.objects.bulk_create(participations, batch_size=2000)
    PulseResponse.objects.bulk_create(answers_written, batch_size=2000)
    return {"citizen survey responses": len(responses), "staff pulse responses": len(answers_written)}
