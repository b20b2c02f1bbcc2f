"""Reads: survey results per agency, factor and unit, scoped to what the viewer may read. No figure about a group of
staff smaller than ``SURVEY_MIN_GROUP`` (default 5) ever leaves this module."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from telework.accounts.types import Viewer
from telework.organization.models import Agency, Unit
from telework.surveys import permissions, scales
from telework.surveys.models import Campaign, CampaignAgency, CitizenResponse, PulseResponse, PulseWave, SurveyPhase

DEFAULT_MIN_GROUP = 5


def min_group() -> int:
    """The smallest group of staff whose pulse figures are shown (setting ``SURVEY_MIN_GROUP``)."""
    return int(getattr(settings, "SURVEY_MIN_GROUP", DEFAULT_MIN_GROUP))


def visible_campaigns(viewer: Viewer) -> list[Campaign]:
    agencies = permissions.result_agencies(viewer)
    if permissions.can_run_surveys(viewer):
        return list(Campaign.objects.all())
    return list(Campaign.objects.filter(places__agency__in=agencies).distinct())


def visible_waves(viewer: Viewer) -> list[PulseWave]:
    agencies = permissions.result_agencies(viewer)
    if permissions.can_run_surveys(viewer):
        return list(PulseWave.objects.all())
    return list(PulseWave.objects.filter(agencies__in=agencies).distinct())


@dataclass(frozen=True)
class FactorRow:
    factor: scales.Factor
    figure: scales.FactorFigure
    earlier: scales.FactorFigure | None  # the same factor in the compared (before-the-pilot) campaign

    @property
    def change(self) -> float | None:
        if self.earlier is None or self.earlier.share_satisfied is None or self.figure.share_satisfied is None:
            return None
        return self.figure.share_satisfied - self.earlier.share_satisfied


@dataclass(frozen=True)
class AgencyResult:
    place: CampaignAgency
    responses: int
    rate: float | None
    factors: list[FactorRow]
    earlier_responses: int | None


def _answers_by_agency(campaign: Campaign, agencies: list[int]) -> dict[int, list[dict[str, int]]]:
    grouped: dict[int, list[dict[str, int]]] = defaultdict(list)
    for agency_id, answers in CitizenResponse.objects.filter(place__campaign=campaign, place__agency_id__in=agencies).values_list(
        "place__agency_id", "answers"
    ):
        grouped[agency_id].append(answers)
    return grouped


def comparable_campaigns(campaign: Campaign) -> list[Campaign]:
    """Before-the-pilot campaigns that a during-the-pilot campaign can be compared with (latest first)."""
    if campaign.phase != SurveyPhase.DURING:
        return []
    return list(Campaign.objects.filter(phase=SurveyPhase.BEFORE, opens_on__lte=campaign.opens_on).exclude(pk=campaign.pk))


def campaign_results(*, viewer: Viewer, campaign: Campaign, compare_with: Campaign | None = None) -> list[AgencyResult]:
    """Per agency the viewer reads: responses against the target (response rate) and, per SIPAS factor, the mean and
    the share satisfied, beside the same figures of ``compare_with`` (a before-the-pilot campaign) where given."""
    places = list(campaign.places.filter(agency__in=permissions.result_agencies(viewer)).select_related("agency").order_by("agency__name"))
    agency_ids = [place.agency_id for place in places]
    now = _answers_by_agency(campaign, agency_ids)
    before = _answers_by_agency(compare_with, agency_ids) if compare_with is not None else {}
    results = []
    for place in places:
        answers = now.get(place.agency_id, [])
        earlier = scales.factor_figures(before[place.agency_id]) if place.agency_id in before else None
        rows = [
            FactorRow(figure.factor, figure, earlier[index] if earlier is not None else None) for index, figure in enumerate(scales.factor_figures(answers))
        ]
        results.append(
            AgencyResult(
                place=place,
                responses=len(answers),
                rate=scales.response_rate(len(answers), place.target_responses),
                factors=rows,
                earlier_responses=len(before.get(place.agency_id, [])) if compare_with is not None else None,
            )
        )
    return results


@dataclass(frozen=True)
class GroupResult:
    name: str
    responses: int
    figure: scales.PulseFigure | None  # None: too few answers to show


@dataclass(frozen=True)
class AgencyPulse:
    agency: Agency
    total: GroupResult
    units: list[GroupResult]
    folded_units: int  # units whose answers count only in the agency's figure
    folded_responses: int
    earlier: GroupResult | None = None  # the agency in the compared (before-the-pilot) wave


def comparable_waves(wave: PulseWave) -> list[PulseWave]:
    """Before-the-pilot waves that a during-the-pilot wave can be compared with (latest first)."""
    if wave.phase != SurveyPhase.DURING:
        return []
    return list(PulseWave.objects.filter(phase=SurveyPhase.BEFORE, opens_on__lte=wave.opens_on).exclude(pk=wave.pk))


def pulse_results(*, viewer: Viewer, wave: PulseWave, compare_with: PulseWave | None = None) -> list[AgencyPulse]:
    """Per agency the viewer reads, the wave's figures for the agency and for each unit with at least the minimum of
    answers; smaller units are folded into the agency (and so is the next-smallest unit when what is folded would be
    small enough to work out by subtraction). An agency under the minimum shows nothing at all. With
    ``compare_with`` (a before-the-pilot wave), each agency's figure there too, under the same minimum."""
    earlier = {result.agency.pk: result.total for result in pulse_results(viewer=viewer, wave=compare_with)} if compare_with is not None else {}
    minimum = min_group()
    agencies = list(wave.agencies.filter(pk__in=permissions.result_agencies(viewer)).order_by("name"))
    by_unit: dict[int, dict[int, list[dict[str, int]]]] = defaultdict(lambda: defaultdict(list))
    for agency_id, unit_id, answers in PulseResponse.objects.filter(wave=wave, agency__in=agencies).values_list("agency_id", "unit_id", "answers"):
        by_unit[agency_id][unit_id].append(answers)
    unit_names = dict(Unit.objects.filter(pk__in={unit for units in by_unit.values() for unit in units}).values_list("pk", "name"))
    results = []
    for agency in agencies:
        units = by_unit.get(agency.pk, {})
        everyone = [answers for group in units.values() for answers in group]
        if len(everyone) < minimum:
            results.append(AgencyPulse(agency, GroupResult(agency.name, len(everyone), None), [], len(units), len(everyone), earlier.get(agency.pk)))
            continue
        folding = scales.fold_groups({unit: len(group) for unit, group in units.items()}, minimum)
        shown = [GroupResult(unit_names[unit], folding.shown[unit], scales.pulse_figure(units[unit])) for unit in folding.shown]
        results.append(
            AgencyPulse(
                agency,
                GroupResult(agency.name, len(everyone), scales.pulse_figure(everyone)),
                sorted(shown, key=lambda group: group.name),
                len(folding.folded),
                folding.folded_count,
                earlier.get(agency.pk),
            )
        )
    return results
