"""Reads for evaluations, always scoped by the viewer. An id the viewer may not see answers 404."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from telework.accounts.types import Viewer
from telework.core.exceptions import NotFound
from telework.evaluations import permissions
from telework.evaluations.models import CriteriaSet, Evaluation, EvaluationPeriod, LevelChoice, OrganisationRating, PeriodStatus
from telework.evaluations.scoring import Assessment, QuotaDrop
from telework.evaluations.services import QuotaGroupLine, quota_check, quota_rows, rescore
from telework.organization import scope
from telework.organization.models import Unit


def period_list(*, viewer: Viewer) -> QuerySet[EvaluationPeriod]:
    """Periods the viewer may see, newest first."""
    return permissions.visible_periods(viewer).select_related("agency")


def period_get(*, viewer: Viewer, period_id: int) -> EvaluationPeriod:
    period = period_list(viewer=viewer).select_related("criteria_335", "criteria_90", "criteria_233").filter(pk=period_id).first()
    if period is None:
        raise NotFound("evaluation period")
    return period


def evaluation_list(*, viewer: Viewer, period: EvaluationPeriod, unit: Unit | None = None) -> QuerySet[Evaluation]:
    """Evaluations of ``period`` the viewer may see, optionally within ``unit``'s subtree."""
    queryset = permissions.visible_evaluations(viewer).filter(period=period).select_related("staff", "staff__position", "unit", "unit__agency")
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    return queryset.order_by("unit__path", "staff__code")


def evaluation_get(*, viewer: Viewer, evaluation_id: int) -> Evaluation:
    evaluation = (
        permissions.visible_evaluations(viewer)
        .select_related(
            "period", "period__agency", "period__criteria_335", "period__criteria_90", "period__criteria_233", "staff", "staff__position", "unit", "decided_by"
        )
        .filter(pk=evaluation_id)
        .first()
    )
    if evaluation is None:
        raise NotFound("evaluation")
    return evaluation


def my_evaluations(*, viewer: Viewer) -> QuerySet[Evaluation]:
    """The viewer's own evaluations, newest period first."""
    me = scope.own_staff(viewer)
    if me is None:
        return Evaluation.objects.none()
    return Evaluation.objects.filter(staff=me).select_related("period", "period__agency").order_by("-period__starts_on")


def shows_final_level(evaluation: Evaluation, viewer: Viewer) -> bool:
    """Staff see their decided level once the period is published; heads and HR see it as soon as it is decided."""
    me = scope.own_staff(viewer)
    if me is not None and me.pk == evaluation.staff_id:
        return evaluation.period.status == PeriodStatus.PUBLISHED
    return True


def reviewable_units(*, viewer: Viewer) -> QuerySet[Unit]:
    return scope.visible_units(viewer).select_related("agency")


@dataclass
class QuotaPanel:
    """Who would drop from excellent to good if the quota were enforced now, per person, with the reason; and how
    each group the viewer's people belong to fares (which group, its size, whether it is capped on its own, why)."""

    drops: list[tuple[Evaluation, QuotaDrop, float]] = field(default_factory=list)
    groups: list[QuotaGroupLine] = field(default_factory=list)

    def reasons(self, language: str | None = None) -> list[tuple[Evaluation, str, QuotaDrop]]:
        return [(evaluation, drop.reason(cap_ratio, language), drop) for evaluation, drop, cap_ratio in self.drops]

    def group_reasons(self, language: str | None = None) -> list[tuple[QuotaGroupLine, str]]:
        return [(line, line.reason(language)) for line in self.groups]

    @property
    def settings(self) -> list[QuotaGroupLine]:
        """One line per agency and regime (for the grouping setting and the ceiling)."""
        seen: dict[tuple[int, str], QuotaGroupLine] = {}
        for line in self.groups:
            seen.setdefault((line.agency_id, line.regime.value), line)
        return list(seen.values())


def quota_panel(*, viewer: Viewer, period: EvaluationPeriod, unit: Unit | None = None) -> QuotaPanel:
    """The quota preview over the whole period scope (the cap is counted per agency and peer group), showing the
    moves that concern the people the viewer may see (in ``unit``'s subtree when given) and the groups they are in."""
    check = quota_check(period, quota_rows(period))
    seen = evaluation_list(viewer=viewer, period=period, unit=unit)
    visible = {evaluation.pk: evaluation for evaluation in seen.filter(pk__in=[row.pk for row, _d, _r in check.drops])}
    memberships = set(seen.values_list("unit__agency_id", "regime", "peer_group"))
    agencies = {(agency_id, regime) for agency_id, regime, _group in memberships}
    groups = [
        line
        for line in check.groups
        if (line.check.scope == "agency" and (line.agency_id, line.regime.value) in agencies)
        or (line.check.scope == "peer_group" and (line.agency_id, line.regime.value, line.check.group) in memberships)
    ]
    return QuotaPanel([(visible[row.pk], drop, ratio) for row, drop, ratio in check.drops if row.pk in visible], groups)


def pending_appeals(*, viewer: Viewer) -> list[Evaluation]:
    """Appeals waiting for a decision the viewer may take."""
    if not permissions.can_decide_appeals(viewer):
        return []
    queryset = (
        permissions.visible_evaluations(viewer)
        .filter(appealed_at__isnull=False)
        .select_related("period", "period__agency", "staff", "unit", "appeal_decided_by")
        .order_by("appeal_decision", "-appealed_at")
    )
    return [evaluation for evaluation in queryset if permissions.can_decide_appeal(viewer, evaluation)]


@dataclass
class Distribution:
    """Levels of one group of staff (home or office) in one unit or agency."""

    label: str
    home: Counter[str] = field(default_factory=Counter)
    office: Counter[str] = field(default_factory=Counter)

    def shares(self, counts: Counter[str]) -> list[tuple[str, int, int]]:
        total = sum(counts.values())
        return [(level, counts[level], round(100 * counts[level] / total) if total else 0) for level in [*LevelChoice.values, ""]]

    @property
    def home_shares(self) -> list[tuple[str, int, int]]:
        return self.shares(self.home)

    @property
    def office_shares(self) -> list[tuple[str, int, int]]:
        return self.shares(self.office)

    @property
    def home_total(self) -> int:
        return sum(self.home.values())

    @property
    def office_total(self) -> int:
        return sum(self.office.values())


def home_vs_office(*, viewer: Viewer, period: EvaluationPeriod) -> tuple[list[Distribution], list[Distribution]]:
    """The distribution of levels for staff with approved home days in the period and for those without, per unit
    and per agency (MISSION 7: home and office staff are judged alike)."""
    units: dict[int, Distribution] = {}
    agencies: dict[int, Distribution] = {}
    for evaluation in evaluation_list(viewer=viewer, period=period):
        level = evaluation.level
        unit = units.setdefault(evaluation.unit_id, Distribution(evaluation.unit.name))
        agency = agencies.setdefault(evaluation.unit.agency_id, Distribution(evaluation.unit.agency.name))
        for group in (unit, agency):
            (group.home if evaluation.worked_from_home else group.office)[level] += 1
    return list(agencies.values()), list(units.values())


def breakdown(evaluation: Evaluation) -> Assessment:
    """The breakdown, criterion by criterion, ready to render in the reader's language. It is not stored: the
    measured snapshot, the head's scores and the period's published (immutable) criteria set determine it, so it is
    the rules re-run on exactly what was decided."""
    return rescore(evaluation)


def quota_reason(evaluation: Evaluation, language: str | None = None) -> str:
    """Why the quota moved this person from excellent to good ("" if it did not)."""
    if not evaluation.is_quota_drop or not evaluation.quota_explanation:
        return ""
    record = dict(evaluation.quota_explanation)
    cap_ratio = float(record.pop("cap_ratio"))
    return QuotaDrop.from_record(record).reason(cap_ratio, language)


def quota_citation(evaluation: Evaluation, language: str | None = None) -> str:
    if not evaluation.quota_explanation:
        return ""
    record = dict(evaluation.quota_explanation)
    record.pop("cap_ratio")
    return QuotaDrop.from_record(record).citation.text(language)


def criteria_sets(*, viewer: Viewer) -> list[CriteriaSet]:
    """Every version of every regime's criteria, newest first per regime (published criteria are public)."""
    if not viewer.is_authenticated:
        return []
    return list(CriteriaSet.objects.order_by("regime", "-version"))


def organisation_ratings(*, viewer: Viewer, period: EvaluationPeriod) -> list[OrganisationRating]:
    """The organisations' levels of the period in the agencies the viewer may see."""
    return list(
        OrganisationRating.objects.filter(period=period, agency__in=scope.visible_agencies(viewer))
        .select_related("agency", "unit")
        .order_by("agency__code", "unit__path")
    )
