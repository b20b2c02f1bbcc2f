"""Same-day staffing-needs reports (báo cáo nhu cầu nhân sự làm việc trực tiếp, đột xuất).

Home Affairs opens a ``ReportRound`` with a deadline, addressed to special units; each unit's head fills its
``ReportRow`` (total staff, needed on site, proposed at home, reason) and the agency head signs it off; Home Affairs
aggregates the rows for the City People's Committee and records a ``UnitDecision`` per unit, which becomes the unit's
policy override (on-site minimum, home cap) for a period. An ad hoc report under Decree 09/2019/NĐ-CP, art. 3.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telework.core.workflow import Workflow
from telework.organization.models import Unit


class RoundState(models.TextChoices):
    OPEN = "open", _("Open for reports")
    CLOSED = "closed", _("Closed, awaiting decisions")
    DECIDED = "decided", _("Decided")


ROUND_WORKFLOW = Workflow.declare(
    {
        "close": ([RoundState.OPEN], RoundState.CLOSED),
        "decide": ([RoundState.CLOSED], RoundState.DECIDED),
    },
    rule="staffing.round_state",
    refusal=_("This report round is “%(status)s”; it cannot be changed that way."),
    state_field="state",
)


class ReportRound(models.Model):
    """One same-day report round: who asked, by when, which units must answer, and for whom (recipients)."""

    title = models.CharField(_("round title"), max_length=200)
    reference_number = models.CharField(_("reference number"), max_length=64, blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    deadline = models.DateTimeField(_("report deadline"))
    state = models.CharField(_("state"), max_length=16, choices=RoundState.choices, default=RoundState.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    units = models.ManyToManyField(Unit, through="ReportRow", related_name="staffing_rounds", verbose_name=_("units"))

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("staffing report round")
        verbose_name_plural = _("staffing report rounds")

    def __str__(self) -> str:
        return self.title


class RowStatus(models.TextChoices):
    """How a row stands, as the live aggregate shows it (computed, never stored)."""

    WAITING = "waiting", _("Waiting")
    MISSING = "missing", _("Missing (deadline passed)")
    FILLED = "filled", _("Filled")
    LATE = "late", _("Filled late")
    SIGNED = "signed", _("Signed off")
    SIGNED_LATE = "signed_late", _("Signed off (filled late)")


class ReportRow(models.Model):
    """One unit's answer in a round. ``total_staff`` is taken from the organisation when the round opens."""

    report_round = models.ForeignKey(ReportRound, on_delete=models.CASCADE, related_name="rows", verbose_name=_("report round"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="staffing_rows", verbose_name=_("unit"))
    total_staff = models.PositiveIntegerField(_("total staff"))
    needed_on_site = models.PositiveIntegerField(_("needed on site"), null=True, blank=True)
    proposed_at_home = models.PositiveIntegerField(_("proposed at home"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    is_late = models.BooleanField(_("filled after the deadline"), default=False)
    filled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    filled_at = models.DateTimeField(_("filled at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)

    class Meta:
        ordering = ["report_round", "unit__agency__name", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["report_round", "unit"], name="staffing_row_one_per_unit"),
            models.CheckConstraint(
                condition=Q(needed_on_site__isnull=True) | Q(needed_on_site__lte=models.F("total_staff")), name="staffing_row_needed_within_total"
            ),
        ]
        verbose_name = _("staffing report row")
        verbose_name_plural = _("staffing report rows")

    def __str__(self) -> str:
        return f"{self.report_round} · {self.unit}"

    @property
    def is_filled(self) -> bool:
        return self.filled_at is not None

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class UnitDecision(models.Model):
    """Home Affairs' decision for one row: the unit's on-site minimum and home cap (people) for a period, applied as
    the unit's policy override (``policy``, with ``restore_policy`` ending it the day after the period)."""

    row = models.OneToOneField(ReportRow, on_delete=models.CASCADE, related_name="decision", verbose_name=_("report row"))
    on_site_minimum = models.PositiveIntegerField(_("on-site minimum"))
    home_cap = models.PositiveIntegerField(_("home cap"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))
    policy = models.ForeignKey("policy.Policy", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    restore_policy = models.ForeignKey("policy.Policy", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="staffing_decision_period_ordered")]
        verbose_name = _("staffing decision")
        verbose_name_plural = _("staffing decisions")

    def __str__(self) -> str:
        return f"{self.row.unit}: ≥ {self.on_site_minimum} / ≤ {self.home_cap}"
