"""The design of each pilot phase, recorded before launch, and the review (sơ kết) that lets the next phase widen.

"Analyse everyone as assigned": ``DesignAllocation`` rows, not registrations, define the pilot and comparison arms.
A unit stays in its arm whether or not its staff registered for home days.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from telework.organization.models import Unit
from telework.policy.models import PilotPhase


class DesignMethod(models.TextChoices):
    RANDOMISED = "randomised", _("Randomised, stratified by agency and size")
    STEPPED_WEDGE = "stepped_wedge", _("Randomised order of entry (stepped-wedge waves)")
    MATCHED = "matched", _("Matched comparison units")


class Arm(models.TextChoices):
    PILOT = "pilot", pgettext_lazy("design arm", "Pilot")
    COMPARISON = "comparison", pgettext_lazy("design arm", "Comparison")


class ReviewDecision(models.TextChoices):
    WIDEN = "widen", pgettext_lazy("review decision", "Widen")
    ADJUST = "adjust", pgettext_lazy("review decision", "Adjust")
    STOP = "stop", pgettext_lazy("review decision", "Stop")


class PhaseDesign(models.Model):
    """How the phase's pilot units were picked, what it will be judged on, and what effect it could detect.

    Recorded by Home Affairs before launch; ``locked_at`` is set when the phase is launched. A later change is still
    possible but leaves a ``DesignChange`` and sets ``changed_after_launch`` (the report shows it).
    """

    phase = models.OneToOneField(PilotPhase, on_delete=models.CASCADE, related_name="design")
    method = models.CharField(_("method"), max_length=16, choices=DesignMethod.choices)
    seed = models.BigIntegerField(_("seed"))
    pilot_share = models.FloatField(_("pilot share"), default=0.5)
    waves = models.PositiveSmallIntegerField(_("waves"), null=True, blank=True)
    wave_weeks = models.PositiveSmallIntegerField(_("weeks between waves"), null=True, blank=True)
    strata_description = models.TextField(_("strata"), blank=True)
    primary_outcomes = models.JSONField(_("primary outcomes"), default=list)
    smallest_effect = models.FloatField(_("smallest effect that matters"))
    mde = models.FloatField(_("minimum detectable effect"))
    # The MDE's inputs, so the figure can be recomputed: clusters per arm, cluster size, ICC, SD, periods.
    mde_inputs = models.JSONField(_("inputs of the minimum detectable effect"), default=dict)
    candidates_without_pre_period = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    changed_after_launch = models.BooleanField(_("changed after launch"), default=False)

    class Meta:
        verbose_name = _("phase design")
        verbose_name_plural = _("phase designs")

    def __str__(self) -> str:
        return f"{self.phase.pilot.name} · {self.phase.name}"


class DesignAllocation(models.Model):
    """One unit's place in the design: its arm, its wave of entry (stepped-wedge), its matched pilot unit."""

    design = models.ForeignKey(PhaseDesign, on_delete=models.CASCADE, related_name="allocations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    arm = models.CharField(_("arm"), max_length=16, choices=Arm.choices)
    wave = models.PositiveSmallIntegerField(_("wave"), null=True, blank=True)
    wave_starts_on = models.DateField(_("wave starts on"), null=True, blank=True)
    matched_to = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(_("stratum"), max_length=120, blank=True)
    staff = models.PositiveIntegerField(_("staff"), default=0)

    class Meta:
        ordering = ["design", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["design", "unit"], name="allocation_unit_once")]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")

    def __str__(self) -> str:
        return f"{self.unit} → {self.get_arm_display()}"


class DesignChange(models.Model):
    """A change to a design after launch: what changed, why, who. Flagged in the report."""

    design = models.ForeignKey(PhaseDesign, on_delete=models.CASCADE, related_name="changes")
    what = models.TextField(_("what changed"))
    why = models.TextField(_("why"))
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["design", "changed_at", "pk"]
        verbose_name = _("design change")
        verbose_name_plural = _("design changes")

    def __str__(self) -> str:
        return f"{self.design} · {self.changed_at:%d/%m/%Y}"


class PhaseReview(models.Model):
    """The review (sơ kết) of a launched phase and the decision on the next: widen, adjust (no wider), or stop."""

    phase = models.OneToOneField(PilotPhase, on_delete=models.CASCADE, related_name="review")
    decision = models.CharField(_("decision"), max_length=8, choices=ReviewDecision.choices)
    reasons = models.TextField(_("reasons"))
    report_reference = models.CharField(_("report reference"), max_length=120, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(reasons=""), name="review_reasons_required")]
        verbose_name = _("phase review")
        verbose_name_plural = _("phase reviews")

    def __str__(self) -> str:
        return f"{self.phase.pilot.name} · {self.phase.name} · {self.get_decision_display()}"


class EstimateStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("estimate status", "Queued")
    RUNNING = "running", pgettext_lazy("estimate status", "Running")
    DONE = "done", pgettext_lazy("estimate status", "Done")
    FAILED = "failed", pgettext_lazy("estimate status", "Failed")


class Estimate(models.Model):
    """One stored estimate of a phase's effect on one indicator, with everything needed to reproduce it.

    ``inputs`` is the gzip of a CSV holding the exact panel frame, allocation and start weeks the estimator read;
    ``inputs_digest`` is ``estimation.inputs_digest`` of them; ``result`` the ``EstimationResult`` as plain JSON
    (nested dataclasses included, tuples as lists). The verdict is not stored: it is written on read, in the
    reader's language (``telework.assessment.estimates.verdict_of``). ``failure`` says in Vietnamese words why a
    run failed (never a traceback).
    """

    phase = models.ForeignKey(PilotPhase, on_delete=models.CASCADE, related_name="estimates")
    indicator = models.CharField(pgettext_lazy("estimate", "indicator"), max_length=64)
    status = models.CharField(pgettext_lazy("estimate", "status"), max_length=8, choices=EstimateStatus.choices, default=EstimateStatus.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(pgettext_lazy("estimate", "requested at"))
    started_at = models.DateTimeField(pgettext_lazy("estimate", "started at"), null=True, blank=True)
    finished_at = models.DateTimeField(pgettext_lazy("estimate", "finished at"), null=True, blank=True)
    estimator = models.CharField(pgettext_lazy("estimate", "estimator"), max_length=32, blank=True)
    library = models.CharField(pgettext_lazy("estimate", "library versions"), max_length=200, blank=True)
    seed = models.BigIntegerField(pgettext_lazy("estimate", "seed"))
    inputs_digest = models.CharField(pgettext_lazy("estimate", "inputs digest"), max_length=64, blank=True)
    inputs = models.BinaryField(pgettext_lazy("estimate", "inputs"), blank=True, default=b"")
    result = models.JSONField(pgettext_lazy("estimate", "result"), null=True, blank=True)
    failure = models.TextField(pgettext_lazy("estimate", "failure"), blank=True)

    class Meta:
        ordering = ["phase", "indicator", "-requested_at", "-pk"]
        indexes = [models.Index(fields=["phase", "indicator", "-finished_at"], name="estimate_latest")]
        verbose_name = pgettext_lazy("estimate", "estimate")
        verbose_name_plural = pgettext_lazy("estimate", "estimates")

    def __str__(self) -> str:
        return f"{self.phase} · {self.indicator} · {self.get_status_display()}"
