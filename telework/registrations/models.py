"""Home-day registrations (đăng ký làm việc tại nhà), their days and commitment, and the approval workflow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telework.core.models import Decided
from telework.core.workflow import Workflow
from telework.organization.models import Staff, Unit


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting approval")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    REVOKED = "revoked", _("Revoked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The declared state machine: action → (states it may start from, state it leads to).
REGISTRATION_FLOW = Workflow.declare(
    {
        "approve": ([RegistrationStatus.SUBMITTED], RegistrationStatus.APPROVED),
        "reject": ([RegistrationStatus.SUBMITTED], RegistrationStatus.REJECTED),
        "request_changes": ([RegistrationStatus.SUBMITTED], RegistrationStatus.CHANGES_REQUESTED),
        "resubmit": ([RegistrationStatus.CHANGES_REQUESTED], RegistrationStatus.SUBMITTED),
        "withdraw": ([RegistrationStatus.SUBMITTED, RegistrationStatus.CHANGES_REQUESTED], RegistrationStatus.WITHDRAWN),
        "revoke": ([RegistrationStatus.APPROVED], RegistrationStatus.REVOKED),
    },
    rule="registration.status",
    refusal=_("This registration is “%(status)s”; it cannot be changed that way."),
)
TRANSITIONS = REGISTRATION_FLOW.as_table()


class RegistrationMode(models.TextChoices):
    WEEKLY = "weekly", _("Same weekdays every week")
    DATES = "dates", _("Chosen dates")


class Registration(Decided):
    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="registrations")
    # The unit whose caps the registration counts against, fixed at submission.
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="registrations")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    mode = models.CharField(_("pattern"), max_length=16, choices=RegistrationMode.choices, default=RegistrationMode.WEEKLY)
    weekdays = models.JSONField(_("weekdays"), default=list, blank=True)  # 0 = Monday
    requested_dates = models.JSONField(_("dates"), default=list, blank=True)  # ISO strings
    # Weekly mode: dates of the pattern the person left out (a week shortened by a holiday, a planned office day).
    skipped_dates = models.JSONField(_("days left out"), default=list, blank=True)  # ISO strings
    status = models.CharField(_("status"), max_length=24, choices=RegistrationStatus.choices, default=RegistrationStatus.SUBMITTED, db_index=True)
    equipment_attested = models.JSONField(_("equipment attested"), default=list, blank=True)
    commitment_accepted = models.BooleanField(_("commitment accepted"), default=False)
    commitment_text = models.TextField(_("commitment"), blank=True)
    work_plan = models.TextField(_("work planned for home days"), blank=True)
    eligibility_snapshot = models.JSONField(default=dict, blank=True)
    policy_snapshot = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    revoked_effective_on = models.DateField(_("home days end after"), null=True, blank=True)
    # A deputy deciding under a delegation (``organization.delegations``) is ``decided_by``; this is the head in whose
    # name they decided. Empty when the decider decided by their own right.
    decided_on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("on behalf of"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"])]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="registration_dates_ordered")]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.staff.full_name}: {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"

    @property
    def home_days(self) -> list:  # type: ignore[type-arg]
        return [day.day for day in self.days.all()]


class RegistrationDay(models.Model):
    """One requested home day. ``is_counted`` is true while the registration is approved and the day is not past a
    revocation: exactly the rows that count against the caps."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="days")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="home_days")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="home_days")
    day = models.DateField(_("day"))
    is_counted = models.BooleanField(default=False)

    class Meta:
        ordering = ["day"]
        indexes = [models.Index(fields=["unit", "day", "is_counted"]), models.Index(fields=["staff", "day"])]
        constraints = [
            # A person is approved for a given home day at most once, whatever races happen.
            models.UniqueConstraint(fields=["staff", "day"], condition=Q(is_counted=True), name="one_counted_home_day_per_person"),
            models.UniqueConstraint(fields=["registration", "day"], name="registration_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} {self.day}"
