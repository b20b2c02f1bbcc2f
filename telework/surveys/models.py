"""Citizen satisfaction campaigns (SIPAS-style) and the anonymous staff pulse survey.

Anonymity is built into the tables, not promised by the code: a staff member's answers (``PulseResponse``) carry no
user, no staff record, no time and a random key, so they cannot be joined back to the row that says who answered
(``PulseParticipation``), whose only purpose is to allow one answer per wave. Citizens' answers keep only the day.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from telework.organization.models import Agency, Unit


class SurveyPhase(models.TextChoices):
    BEFORE = "before", _("Before the pilot")
    DURING = "during", _("During the pilot")


def new_token() -> str:
    return secrets.token_urlsafe(12)


class Campaign(models.Model):
    """A satisfaction survey of people and businesses, run by Home Affairs in the agencies it names."""

    title = models.CharField(_("name of the survey"), max_length=200)
    phase = models.CharField(_("phase"), max_length=16, choices=SurveyPhase.choices)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    agencies = models.ManyToManyField(Agency, through="CampaignAgency", verbose_name=_("agencies"), related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("citizen survey")
        verbose_name_plural = _("citizen surveys")
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class CampaignAgency(models.Model):
    """One agency in a campaign: its planned sample and the token of its public link and QR code."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="places")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    target_responses = models.PositiveIntegerField(_("target sample size"))
    token = models.CharField(max_length=32, unique=True, default=new_token)

    class Meta:
        verbose_name = _("agency in a citizen survey")
        verbose_name_plural = _("agencies in citizen surveys")
        constraints = [models.UniqueConstraint(fields=["campaign", "agency"], name="surveys_campaign_agency_once")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.agency}"


class CitizenResponse(models.Model):
    """One person's answers (question key → 1–5). Nothing personal: no address, no device, only the day."""

    place = models.ForeignKey(CampaignAgency, on_delete=models.CASCADE, related_name="responses")
    answers = models.JSONField()
    submitted_on = models.DateField()

    class Meta:
        verbose_name = _("citizen survey response")
        verbose_name_plural = _("citizen survey responses")


class SurveyAttempt(models.Model):
    """A try at the public survey page from an address (a keyed digest that changes daily), for the throttle."""

    address_digest = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)


class PulseWave(models.Model):
    """One round of the staff pulse survey, asked of every active staff member of the agencies named."""

    title = models.CharField(_("name of the survey"), max_length=200)
    phase = models.CharField(_("phase"), max_length=16, choices=SurveyPhase.choices)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    agencies = models.ManyToManyField(Agency, verbose_name=_("agencies"), related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("staff pulse survey")
        verbose_name_plural = _("staff pulse surveys")
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class PulseParticipation(models.Model):
    """That a person answered a wave: nothing more (no time, no link to the answers)."""

    wave = models.ForeignKey(PulseWave, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["wave", "user"], name="surveys_pulse_once_per_wave")]


class PulseResponse(models.Model):
    """Anonymous answers to a wave. The random key keeps the insertion order (and so the participation row written in
    the same transaction) from showing; the unit is where the answers are counted, never shown under the minimum."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(PulseWave, on_delete=models.CASCADE, related_name="responses")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField()
