"""Pilots (phases, scope), versioned policies (city, agency, unit) and the city-wide switches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telework.organization.models import Agency, Position, Staff, Unit


class PilotStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


class Pilot(models.Model):
    """A telework pilot (đề án thí điểm): phases, and a scope of agencies, units and positions.

    Scope reads: the staff member's agency is in ``agencies``; and, if ``units`` is not empty, their unit is one of
    them or below one; and, if ``positions`` is not empty, their position is one of them.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PilotStatus.choices, default=PilotStatus.PLANNED)
    agencies = models.ManyToManyField(Agency, verbose_name=_("agencies"), blank=True, related_name="pilots")
    units = models.ManyToManyField(Unit, verbose_name=_("units"), blank=True, related_name="pilots")
    positions = models.ManyToManyField(Position, verbose_name=_("positions"), blank=True, related_name="pilots")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")

    def __str__(self) -> str:
        return self.name


class PilotPhase(models.Model):
    """One phase of a pilot with its own scope (agencies, units, positions; read as the pilot's scope is).

    A phase's scope lies within its pilot's; a later phase widens only after the previous phase's review
    (``telework.assessment``): ``started_at`` is set when Home Affairs launches the phase, which locks its design.
    """

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    agencies = models.ManyToManyField(Agency, verbose_name=_("agencies"), blank=True, related_name="pilot_phases")
    units = models.ManyToManyField(Unit, verbose_name=_("units"), blank=True, related_name="pilot_phases")
    positions = models.ManyToManyField(Position, verbose_name=_("positions"), blank=True, related_name="pilot_phases")
    started_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pilot", "starts_on"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="phase_dates_ordered")]
        verbose_name = _("pilot phase")
        verbose_name_plural = _("pilot phases")

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y})"


class PolicyLevel(models.TextChoices):
    CITY = "city", _("City-wide")
    AGENCY = "agency", _("Agency")
    UNIT = "unit", _("Unit")


class Policy(models.Model):
    """One version of a rule set. The city level holds every parameter; agency and unit levels hold only the
    parameters they override, each no looser than the city's (``parameters.check_within_bounds``).

    Versions are never edited: a change is a new version whose ``effective_from`` closes the previous one.
    """

    level = models.CharField(_("level"), max_length=16, choices=PolicyLevel.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="policies")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="policies")
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    preset = models.CharField(_("preset"), max_length=32, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["level", "agency_id", "unit_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["level", "agency", "unit", "version"], name="policy_version_unique", nulls_distinct=False),
            models.CheckConstraint(
                condition=(Q(level="city", agency__isnull=True, unit__isnull=True))
                | Q(level="agency", agency__isnull=False, unit__isnull=True)
                | Q(level="unit", unit__isnull=False),
                name="policy_level_matches_scope",
            ),
        ]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def scope_label(self) -> str:
        if self.level == PolicyLevel.UNIT and self.unit is not None:
            return str(self.unit)
        if self.level == PolicyLevel.AGENCY and self.agency is not None:
            return str(self.agency)
        return str(_("City-wide"))


class SwitchKind(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency mode")
    SUSPENSION = "suspension", _("Telework suspension")
    DISTANCING = "distancing", _("Distancing regime")


class PolicySwitch(models.Model):
    """A city-wide switch that overlays every policy at once while on (emergency 2021; suspension 2025).

    One row per kind; its history lives in the audit trail.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=SwitchKind.choices, unique=True)
    is_active = models.BooleanField(_("on"), default=False)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    # Suspension only: staff who keep teleworking (disability, medical condition, certified compelling reason).
    exempted_staff = models.ManyToManyField(Staff, verbose_name=_("exempted staff"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("city-wide switch")
        verbose_name_plural = _("city-wide switches")

    def __str__(self) -> str:
        return str(self.get_kind_display())


class SwitchChange(models.Model):
    """One effective change of a city-wide switch and the work that follows it: the people concerned are told, then
    the affected rosters are re-solved (``policy.effects``). Runs in the background; the progress page polls it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=16, choices=SwitchKind.choices)
    is_active = models.BooleanField(_("switched on"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    people_notified = models.PositiveIntegerField(_("people notified"), default=0)
    units_total = models.PositiveIntegerField(_("units to re-solve"), default=0)
    units_done = models.PositiveIntegerField(_("units re-solved"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("switch change")
        verbose_name_plural = _("switch changes")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {'on' if self.is_active else 'off'} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def progress_percent(self) -> int:
        if self.is_finished:
            return 100
        return int(100 * self.units_done / self.units_total) if self.units_total else 0
