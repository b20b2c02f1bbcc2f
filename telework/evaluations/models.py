"""Criteria sets, evaluation periods and each person's evaluation (đánh giá, xếp loại chất lượng).

The rules themselves live in ``telework.evaluations.scoring`` (pure); these rows store what was measured, what the
rules proposed, what the head decided, the quota's moves, and the appeal.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from telework.core import clock
from telework.core.workflow import Workflow
from telework.evaluations.scoring import Level, Regime, ScoringParameters
from telework.organization.models import Agency, Staff, Unit


class RegimeChoice(models.TextChoices):
    DECREE_335 = Regime.DECREE_335.value, _("Decree 335/2025/NĐ-CP (100-point score)")
    DECREE_233 = Regime.DECREE_233.value, _("Decree 233/2026/NĐ-CP, public employees (100-point score)")
    DECREE_90 = Regime.DECREE_90.value, _("Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP (criteria per level)")


class LevelChoice(models.TextChoices):
    EXCELLENT = Level.EXCELLENT.value, _("Excellent (HTXS)")
    GOOD = Level.GOOD.value, _("Good (HTT)")
    COMPLETED = Level.COMPLETED.value, _("Completed (HT)")
    NOT_COMPLETED = Level.NOT_COMPLETED.value, _("Not completed (KHT)")


class CriteriaSet(models.Model):
    """A versioned, published set of criteria and parameters for one regime. Staff must see it before the period
    starts (MISSION 7: clear, public criteria), so a period only uses a set published before its first day."""

    regime = models.CharField(_("legal regime"), max_length=24, choices=RegimeChoice.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    # Overrides of ``ScoringParameters`` fields (the rest keep their documented defaults).
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    # The criteria as published to staff: a list of {"code", "title", "max_points", "citation"}.
    criteria = models.JSONField(_("criteria"), default=list, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["regime", "-version"]
        constraints = [models.UniqueConstraint(fields=["regime", "version"], name="criteria_set_regime_version_unique")]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def scoring_parameters(self) -> ScoringParameters:
        known = {item.name for item in dataclasses.fields(ScoringParameters)}
        values: dict[str, Any] = {key: value for key, value in self.parameters.items() if key in known}
        if "gap_level" in values:
            values["gap_level"] = Level(values["gap_level"])
        return ScoringParameters(**values)


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    HEAD_REVIEW = "head_review", _("Head review")
    LOCKED = "locked", _("Locked")
    PUBLISHED = "published", _("Published")


# The declared state machine: action → (states it may start from, state it leads to).
PERIOD_FLOW = Workflow.declare(
    {
        "run": ([PeriodStatus.OPEN, PeriodStatus.SELF_ASSESSMENT, PeriodStatus.HEAD_REVIEW], PeriodStatus.SELF_ASSESSMENT),
        "start_review": ([PeriodStatus.SELF_ASSESSMENT], PeriodStatus.HEAD_REVIEW),
        "lock": ([PeriodStatus.HEAD_REVIEW], PeriodStatus.LOCKED),
        "publish": ([PeriodStatus.LOCKED], PeriodStatus.PUBLISHED),
    },
    rule="evaluation_period.status",
    refusal=_("This period is “%(status)s”; it cannot be changed that way."),
)
TRANSITIONS = PERIOD_FLOW.as_table()
# The head may score and decide while staff assess themselves and during the review.
REVIEW_STATES = frozenset({PeriodStatus.SELF_ASSESSMENT, PeriodStatus.HEAD_REVIEW})


class EvaluationPeriod(models.Model):
    """One month, quarter or year of evaluation for one agency (or the whole city when ``agency`` is empty)."""

    kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("number"), default=1)  # month 1–12, quarter 1–4, 1 for a year
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="evaluation_periods")
    criteria_335 = models.ForeignKey(CriteriaSet, verbose_name=_("criteria (Decree 335)"), on_delete=models.PROTECT, related_name="+")
    criteria_90 = models.ForeignKey(CriteriaSet, verbose_name=_("criteria (Decree 90)"), on_delete=models.PROTECT, related_name="+")
    # Decree 233/2026 (viên chức from 01/07/2026): only periods that may use it carry its criteria.
    criteria_233 = models.ForeignKey(CriteriaSet, verbose_name=_("criteria (Decree 233)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.OPEN, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    run_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year", "number"], name="evaluation_period_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="evaluation_period_dates_ordered"),
        ]
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")

    def __str__(self) -> str:
        if self.kind == PeriodKind.MONTH:
            label = _("Month %(number)s/%(year)s") % {"number": self.number, "year": self.year}
        elif self.kind == PeriodKind.QUARTER:
            label = _("Quarter %(number)s/%(year)s") % {"number": self.number, "year": self.year}
        else:
            label = _("Year %(year)s") % {"year": self.year}
        scope = self.agency.name if self.agency else _("whole city")
        return f"{label} — {scope}"

    def criteria_for(self, regime: str) -> CriteriaSet:
        if regime == Regime.DECREE_335:
            return self.criteria_335
        if regime == Regime.DECREE_233 and self.criteria_233 is not None:
            return self.criteria_233
        return self.criteria_90


class PeerGrouping(models.TextChoices):
    """How an agency forms the "groups of civil servants with similar tasks" of the quota (Decree 335 Art. 20
    cl. 5(a) names the group without defining it)."""

    POSITION = "position", _("By job position (vị trí việc làm)")
    UNIT = "unit", _("By unit (phòng, ban)")
    AGENCY = "agency", _("No groups: the agency as a whole")


DEFAULT_MINIMUM_GROUP_SIZE = 6
"""The smallest group in which one "excellent" fits within 20 % of "good" (1 ≤ 0.2 × 5): smaller groups are not
capped on their own."""


class EvaluationSettings(models.Model):
    """An agency's evaluation settings. Without a row the documented defaults apply (``for_agency``)."""

    agency = models.OneToOneField(Agency, verbose_name=_("agency"), on_delete=models.CASCADE, related_name="evaluation_settings")
    peer_grouping = models.CharField(_("peer groups of the quota"), max_length=16, choices=PeerGrouping.choices, default=PeerGrouping.POSITION)
    minimum_group_size = models.PositiveSmallIntegerField(
        _("smallest group capped on its own"),
        default=DEFAULT_MINIMUM_GROUP_SIZE,
        validators=[MinValueValidator(2), MaxValueValidator(500)],
        help_text=_("A smaller group is not capped on its own; its people still count in the agency's ceiling."),
    )
    # Decree 233/2026/NĐ-CP Art. 20 cl. 1: for the end-2026 rating, a unit without its own regulation uses Decree 90.
    has_own_233_regulation = models.BooleanField(_("has its own evaluation regulation under Decree 233/2026"), default=False)
    # Opt-in (off by default): the citizens' Decree-61 evaluations of the dossiers a person handled enter their
    # evaluation (counts and points only; scoring.rule_citizen_ratings says how).
    uses_citizen_ratings = models.BooleanField(_("uses citizens' Decree-61 evaluations of the dossiers handled"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(minimum_group_size__gte=2), name="evaluation_settings_minimum_group_at_least_two")]
        verbose_name = _("evaluation settings")
        verbose_name_plural = _("evaluation settings")

    def __str__(self) -> str:
        return str(self.agency)

    @classmethod
    def for_agency(cls, agency_id: int | None) -> EvaluationSettings:
        """The agency's settings, or the defaults (unsaved) when it has none."""
        if agency_id is None:
            return cls()
        return cls.objects.filter(agency_id=agency_id).first() or cls(agency_id=agency_id)


class AppealDecision(models.TextChoices):
    UPHELD = "upheld", _("Level upheld")
    CHANGED = "changed", _("Level changed")


# An appeal is decided once: while it waits its decision is empty, then the level is upheld or changed. (Whether there
# is an appeal at all, ``appealed_at``, is checked before the move: ``services.evaluation_check``.)
APPEAL_FLOW = Workflow.declare(
    {"uphold": ([""], AppealDecision.UPHELD), "change": ([""], AppealDecision.CHANGED)},
    rule="evaluation.appeal",
    refusal=_("There is no pending appeal on this result."),
    state_field="appeal_decision",
)


class Evaluation(models.Model):
    """One person's evaluation in one period: the measured inputs, the proposal, the head's decision, the quota,
    the publication, the comment and the one appeal."""

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="evaluations")
    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="evaluations")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    regime = models.CharField(_("legal regime"), max_length=24, choices=RegimeChoice.choices)
    peer_group = models.CharField(_("peer group"), max_length=200, blank=True)
    # What was measured from the work items (and home days) when the period was computed.
    inputs = models.JSONField(_("measured inputs"), default=dict, blank=True)
    # The head's scores of the general criteria: {"ethics", "discipline", "service_attitude", "innovation"}.
    general_scores = models.JSONField(_("general criteria"), null=True, blank=True)
    is_disciplined = models.BooleanField(_("disciplined in the year"), default=False)
    worked_from_home = models.BooleanField(_("worked from home in the period"), default=False)
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    self_level = models.CharField(_("level proposed by the staff member"), max_length=16, choices=LevelChoice.choices, blank=True)
    self_assessed_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    proposed_level = models.CharField(_("proposed level"), max_length=16, choices=LevelChoice.choices, blank=True)
    # The quota's order among people of the same level: the score (335) or the share exceeding the target (90/2020),
    # then the task-results points for ties.
    rank_score = models.FloatField(default=0.0)
    tie_score = models.FloatField(default=0.0)
    final_level = models.CharField(_("level decided"), max_length=16, choices=LevelChoice.choices, blank=True)
    change_reason = models.TextField(_("reason for a level other than proposed"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    is_quota_drop = models.BooleanField(_("moved down by the quota"), default=False)
    # ``scoring.QuotaDrop.as_record`` plus the cap ratio: the reason is rendered in the reader's language.
    quota_explanation = models.JSONField(_("quota explanation"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    appeal_text = models.TextField(_("appeal"), blank=True)
    appealed_at = models.DateTimeField(null=True, blank=True)
    appeal_decision = models.CharField(_("appeal decision"), max_length=8, choices=AppealDecision.choices, blank=True)
    appeal_reason = models.TextField(_("reason for the appeal decision"), blank=True)
    appeal_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    appeal_decided_at = models.DateTimeField(null=True, blank=True)
    # Decree 335 Art. 22: answered within 7 working days of the appeal (set when the appeal is made).
    appeal_due_on = models.DateField(_("appeal to be answered by"), null=True, blank=True)
    # Annual periods: months worked in the year (empty: the whole year) and whether sick or maternity leave explains
    # fewer than 6 (Decree 335 Art. 11 cl. 1–2; Decree 233 Art. 14; Decree 90 Art. 2 cl. 3).
    months_worked = models.DecimalField(_("months worked in the year"), max_digits=4, decimal_places=1, null=True, blank=True)
    is_on_sick_or_maternity_leave = models.BooleanField(_("sick or maternity leave in the year"), default=False)
    # Leaders (Decree 335 Art. 15 cl. 3): organising ability and unity, each True (100 %) or False (50 %).
    leader_factors = models.JSONField(_("leader factors"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["staff__code"]
        constraints = [models.UniqueConstraint(fields=["period", "staff"], name="evaluation_one_per_person_and_period")]
        indexes = [models.Index(fields=["period", "unit"])]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return f"{self.staff_id} / {self.period_id}"

    @property
    def level(self) -> str:
        """The decided level, or the proposal while the head has not decided."""
        return self.final_level or self.proposed_level

    @property
    def has_appealed(self) -> bool:
        return self.appealed_at is not None

    @property
    def is_appeal_overdue(self) -> bool:
        """An appeal still unanswered after its deadline (Decree 335 Art. 22: 7 working days)."""
        return self.has_appealed and not self.appeal_decision and self.appeal_due_on is not None and clock.today() > self.appeal_due_on

    @property
    def is_appeal_answered_late(self) -> bool:
        if not self.appeal_decision or self.appeal_due_on is None or self.appeal_decided_at is None:
            return False
        return timezone.localtime(self.appeal_decided_at).date() > self.appeal_due_on


class OrganisationRating(models.Model):
    """The level of an organisation for a period: a unit (``unit`` set) or the agency as a whole. A head's level is
    capped by it (Decree 335 Art. 20 cl. 6); an agency rated excellent may be allowed the raised quota (Art. 20
    cl. 5(b), "nhưng không vượt quá 25%")."""

    period = models.ForeignKey(EvaluationPeriod, on_delete=models.CASCADE, related_name="organisation_ratings")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level of the organisation"), max_length=16, choices=LevelChoice.choices)
    is_quota_raised = models.BooleanField(_("raised quota of excellent levels"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], condition=Q(unit__isnull=False), name="organisation_rating_one_per_unit"),
            models.UniqueConstraint(fields=["period", "agency"], condition=Q(unit__isnull=True), name="organisation_rating_one_per_agency"),
            models.CheckConstraint(
                condition=Q(is_quota_raised=False) | Q(unit__isnull=True, level="excellent"), name="organisation_rating_raise_needs_excellent_agency"
            ),
        ]
        verbose_name = _("organisation rating")
        verbose_name_plural = _("organisation ratings")

    def __str__(self) -> str:
        return f"{self.unit or self.agency} / {self.period_id}"


# What whoever runs a period may do in each state (the buttons of the period page), each calling its service.
PERIOD_ACTIONS: dict[str, tuple[tuple[str, Any], ...]] = {
    PeriodStatus.OPEN: (("run", _("Compute everyone")),),
    PeriodStatus.SELF_ASSESSMENT: (("run", _("Compute again")), ("start_review", _("Close self-assessment and open the review"))),
    PeriodStatus.HEAD_REVIEW: (("run", _("Compute again")), ("enforce_quota", _("Enforce the quota")), ("lock", _("Lock the levels"))),
    PeriodStatus.LOCKED: (("publish", _("Publish the results")),),
}
