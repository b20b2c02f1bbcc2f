"""Criteria sets, evaluation periods and each person's evaluation (đánh giá, xếp loại chất lượng).

The rules themselves live in ``telework.evaluations.scoring`` (pure); these rows store what was measured, what the
rules proposed, what the head decided, the quota's moves, and the appeal.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telework.evaluations.scoring import Level, Regime, ScoringParameters
from telework.organization.models import Agency, Staff, Unit


class RegimeChoice(models.TextChoices):
    DECREE_335 = Regime.DECREE_335.value, _("Decree 335/2025/NĐ-CP (100-point score)")
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
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "run": (frozenset({PeriodStatus.OPEN, PeriodStatus.SELF_ASSESSMENT, PeriodStatus.HEAD_REVIEW}), PeriodStatus.SELF_ASSESSMENT),
    "start_review": (frozenset({PeriodStatus.SELF_ASSESSMENT}), PeriodStatus.HEAD_REVIEW),
    "lock": (frozenset({PeriodStatus.HEAD_REVIEW}), PeriodStatus.LOCKED),
    "publish": (frozenset({PeriodStatus.LOCKED}), PeriodStatus.PUBLISHED),
}
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
        return self.criteria_335 if regime == Regime.DECREE_335 else self.criteria_90


class AppealDecision(models.TextChoices):
    UPHELD = "upheld", _("Level upheld")
    CHANGED = "changed", _("Level changed")


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


# What whoever runs a period may do in each state (the buttons of the period page), each calling its service.
PERIOD_ACTIONS: dict[str, tuple[tuple[str, Any], ...]] = {
    PeriodStatus.OPEN: (("run", _("Compute everyone")),),
    PeriodStatus.SELF_ASSESSMENT: (("run", _("Compute again")), ("start_review", _("Close self-assessment and open the review"))),
    PeriodStatus.HEAD_REVIEW: (("run", _("Compute again")), ("enforce_quota", _("Enforce the quota")), ("lock", _("Lock the levels"))),
    PeriodStatus.LOCKED: (("publish", _("Publish the results")),),
}
