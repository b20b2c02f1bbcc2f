"""Evaluations' audit rows. An evaluation's rows (scores, self-assessment, decisions, appeals) are read by whoever may
see the evaluation (``permissions.visible_evaluations``: the person, the heads whose subtree holds them, the
agency's head and HR, the city-wide roles); never by a sibling unit's head. A period's rows are read by those who
run the period (``permissions.can_run``): the quota's row names everyone moved to "good", with their level and
score rank, so it is not for unit heads or staff."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.core.audit_subjects import AuditSubject, register
from telework.evaluations import permissions
from telework.evaluations.models import CriteriaSet, Evaluation, EvaluationPeriod, EvaluationSettings, LevelChoice, OrganisationRating, RegimeChoice
from telework.evaluations.scoring import GENERAL_CRITERIA
from telework.organization import scope


def run_periods(viewer: Viewer) -> QuerySet[EvaluationPeriod]:
    """Periods ``viewer`` runs: their agency's for its head and HR (and the city-wide ones they take part in)."""
    if getattr(viewer, "role", None) not in permissions.RUNNING_ROLES:
        return EvaluationPeriod.objects.none()
    me = scope.own_staff(viewer)
    if me is None:
        return EvaluationPeriod.objects.none()
    return EvaluationPeriod.objects.filter(Q(agency_id=me.unit.agency_id) | Q(agency__isnull=True))


def visible_criteria_sets(viewer: Viewer) -> QuerySet[CriteriaSet]:
    """Criteria sets are published to everyone who evaluates or runs evaluations; staff read them on their own form."""
    if getattr(viewer, "role", None) in {*permissions.RUNNING_ROLES, Role.UNIT_HEAD}:
        return CriteriaSet.objects.all()
    return CriteriaSet.objects.none()


def evaluation_names(ids: list[str]) -> dict[str, str]:
    """ "Nguyễn Văn A — Quý 3/2026 — Sở …": the stored label of an evaluation is its ids."""
    evaluations = Evaluation.objects.filter(pk__in=[int(pk) for pk in ids if pk.isdigit()]).select_related("staff", "period", "period__agency")
    return {str(evaluation.pk): f"{evaluation.staff.full_name} — {evaluation.period}" for evaluation in evaluations}


def agency_settings(viewer: Viewer) -> QuerySet[EvaluationSettings]:
    """An agency's evaluation settings are read by those who run its periods (its head and HR; the city-wide roles
    read every row of the trail)."""
    return EvaluationSettings.objects.filter(agency_id__in=run_periods(viewer).exclude(agency__isnull=True).values("agency_id"))


def organisation_ratings(viewer: Viewer) -> QuerySet[OrganisationRating]:
    """A unit's or agency's level for a period is read by those who run the period."""
    return OrganisationRating.objects.filter(period__in=run_periods(viewer))


register(
    AuditSubject(
        object_type="evaluations.evaluation",
        visible=permissions.visible_evaluations,
        actions={
            "evaluation.self_assess": _("Self-assessment written"),
            "evaluation.decide": _("Evaluation level decided"),
            "evaluation.comment": _("Comment on an evaluation"),
            "evaluation.appeal": _("Evaluation appealed"),
            "evaluation.appeal_decide": _("Appeal decided"),
        },
        fields={"general_scores": _("General criteria scores"), "comment": _("Comment"), **{code: _(label) for code, label in GENERAL_CRITERIA}},
        names=evaluation_names,
        url_name="evaluations:evaluation",
    ),
    AuditSubject(
        object_type="evaluations.evaluationperiod",
        visible=run_periods,
        actions={
            "evaluation_period.create": _("Evaluation period created"),
            "evaluation_period.run": _("Evaluations computed"),
            "evaluation_period.start_review": _("Review by the heads started"),
            "evaluation_period.quota_enforce": _("Quota for excellent applied"),
            "evaluation_period.lock": _("Evaluation period locked"),
            "evaluation_period.publish": _("Evaluation results published"),
        },
        fields={
            "evaluations": _("Evaluations"),
            "moved_to_good": _("Moved to good"),
            "staff": _("Staff member"),
            "from": _("Level before"),
            "scope": _("Quota applied within"),
            "group": _("Group with similar tasks"),
            "rank_score": _("Score used for ranking"),
        },
        choices={"from": dict(LevelChoice.choices), "scope": {"peer_group": _("its group with similar tasks"), "agency": _("the agency")}},
        url_name="evaluations:period",
    ),
    AuditSubject(
        object_type="evaluations.criteriaset",
        visible=visible_criteria_sets,
        actions={"criteria_set.publish": _("Criteria set published"), "criteria_set.create": _("Criteria set version created")},
        fields={"regime": _("Legal regime"), "parameters": _("Parameters")},
        choices={"regime": dict(RegimeChoice.choices)},
    ),
    AuditSubject(
        object_type="evaluations.evaluationsettings",
        visible=agency_settings,
        actions={"evaluation_settings.update": _("Evaluation settings changed")},
    ),
    AuditSubject(
        object_type="evaluations.organisationrating",
        visible=organisation_ratings,
        actions={"organisation_rating.decide": _("Level of an organisation decided")},
        fields={"is_quota_raised": _("Raised quota of excellent levels")},
        hidden=frozenset({"unit"}),
    ),
)
