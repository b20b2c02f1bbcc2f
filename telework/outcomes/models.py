"""The outcome panel: one value per unit, week (its Monday) and indicator, derived from the other apps' records by
``telework.outcomes.panel`` in set-based SQL, and the log of the refreshes that built it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from telework.organization.models import Unit


class OutcomeValue(models.Model):
    """One figure of the panel. ``numerator``/``denominator`` keep what the value was computed from (a share's
    counts, a mean's sum and count), so a rate can be pooled over units and weeks without averaging averages;
    ``indicator`` is a code of ``telework.outcomes.indicators.INDICATORS``. A week with no data has no row (not
    zero)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    week = models.DateField(pgettext_lazy("outcome panel", "week starting"))
    indicator = models.CharField(pgettext_lazy("outcome panel", "indicator"), max_length=48)
    value = models.FloatField(pgettext_lazy("outcome panel", "value"))
    numerator = models.FloatField(pgettext_lazy("outcome panel", "numerator"), null=True, blank=True)
    denominator = models.FloatField(pgettext_lazy("outcome panel", "denominator"), null=True, blank=True)
    updated_at = models.DateTimeField(pgettext_lazy("outcome panel", "computed at"))

    class Meta:
        # The unique key leads with the unit (the unit page, the panel of a subtree); the dashboards read a few
        # indicators over a period for many units and sum them: the index carries what they sum, so PostgreSQL answers
        # from the index alone (bench/dashboard.py; SQLite keeps the plain (indicator, week) index).
        constraints = [models.UniqueConstraint(fields=["unit", "week", "indicator"], name="outcome_value_once_per_unit_week")]
        indexes = [models.Index(fields=["indicator", "week"], include=["unit", "numerator", "denominator", "value"], name="outcome_value_sums")]
        verbose_name = pgettext_lazy("outcome panel", "outcome value")
        verbose_name_plural = pgettext_lazy("outcome panel", "outcome values")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.week:%d/%m/%Y} {self.indicator}"


class RefreshKind(models.TextChoices):
    DAY = "day", pgettext_lazy("outcome panel refresh", "Week of a day")
    REBUILD = "rebuild", pgettext_lazy("outcome panel refresh", "Full rebuild")


class PanelRefresh(models.Model):
    """One run that recomputed part or all of the panel: which weeks, who asked, how long, how many rows."""

    kind = models.CharField(pgettext_lazy("outcome panel", "kind"), max_length=8, choices=RefreshKind.choices)
    first_week = models.DateField(pgettext_lazy("outcome panel", "from week"), null=True, blank=True)
    last_week = models.DateField(pgettext_lazy("outcome panel", "to week"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(pgettext_lazy("outcome panel", "started at"))
    finished_at = models.DateTimeField(pgettext_lazy("outcome panel", "finished at"), null=True, blank=True)
    rows = models.PositiveIntegerField(pgettext_lazy("outcome panel", "values written"), default=0)
    counts = models.JSONField(pgettext_lazy("outcome panel", "values per indicator"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = pgettext_lazy("outcome panel", "panel refresh")
        verbose_name_plural = pgettext_lazy("outcome panel", "panel refreshes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.first_week or ''}–{self.last_week or ''}"
