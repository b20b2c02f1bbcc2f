"""Writes: creating campaigns and waves (Home Affairs), a citizen's answers, a staff member's pulse answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import User
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.background import run_in_background
from telework.core.exceptions import NotFound, NotPermitted, RuleViolation, ValidationFailed
from telework.core.notifications import notify_user
from telework.organization import scope
from telework.organization.models import Agency
from telework.surveys import permissions, scales
from telework.surveys.models import Campaign, CampaignAgency, CitizenResponse, PulseParticipation, PulseResponse, PulseWave


def _check_dates(opens_on: dt.date, closes_on: dt.date) -> None:
    if closes_on < opens_on:
        raise ValidationFailed(_("The closing date must not be before the opening date."), rule="survey_dates")


def campaign_create(
    *, actor: User, title: str, phase: str, opens_on: dt.date, closes_on: dt.date, agencies: Iterable[Agency], target_responses: int
) -> Campaign:
    """Open a citizen satisfaction survey in ``agencies``, each with the same planned sample and its own public link."""
    if not permissions.can_run_surveys(actor):
        raise NotPermitted(_("Only the Department of Home Affairs runs satisfaction surveys."))
    _check_dates(opens_on, closes_on)
    chosen = list(agencies)
    if not chosen:
        raise ValidationFailed(_("Choose at least one agency."), rule="survey_agencies")
    with transaction.atomic():
        campaign = Campaign.objects.create(title=title, phase=phase, opens_on=opens_on, closes_on=closes_on, created_by=actor)
        CampaignAgency.objects.bulk_create([CampaignAgency(campaign=campaign, agency=agency, target_responses=target_responses) for agency in chosen])
        audit_record(
            actor=actor,
            action="survey_campaign.create",
            target=campaign,
            after={"title": title, "phase": phase, "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat(), "agencies": len(chosen)},
        )
    return campaign


def campaign_target_set(*, actor: User, place: CampaignAgency, target_responses: int) -> CampaignAgency:
    """Change the planned sample of one agency in a campaign (the response rate is counted against it)."""
    if not permissions.can_run_surveys(actor):
        raise NotPermitted(_("Only the Department of Home Affairs runs satisfaction surveys."))
    if target_responses < 1:
        raise ValidationFailed(_("The target sample size must be at least 1."), rule="survey_target")
    with transaction.atomic():
        locked = CampaignAgency.objects.select_for_update().select_related("agency", "campaign").get(pk=place.pk)
        before = locked.target_responses
        locked.target_responses = target_responses
        locked.save(update_fields=["target_responses"])
        audit_record(
            actor=actor,
            action="survey_campaign.target",
            target=locked.campaign,
            before={"agency": locked.agency.name, "target_responses": before},
            after={"agency": locked.agency.name, "target_responses": target_responses},
        )
    return locked


def wave_create(*, actor: User, title: str, phase: str, opens_on: dt.date, closes_on: dt.date, agencies: Iterable[Agency]) -> PulseWave:
    """Open a staff pulse survey wave for every active staff member of ``agencies``."""
    if not permissions.can_run_surveys(actor):
        raise NotPermitted(_("Only the Department of Home Affairs runs staff surveys."))
    _check_dates(opens_on, closes_on)
    chosen = list(agencies)
    if not chosen:
        raise ValidationFailed(_("Choose at least one agency."), rule="survey_agencies")
    with transaction.atomic():
        wave = PulseWave.objects.create(title=title, phase=phase, opens_on=opens_on, closes_on=closes_on, created_by=actor)
        wave.agencies.set(chosen)
        audit_record(
            actor=actor,
            action="pulse_wave.create",
            target=wave,
            after={"title": title, "phase": phase, "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat(), "agencies": len(chosen)},
        )
        transaction.on_commit(lambda: run_in_background("surveys.notify_wave_opened", wave.pk))
    return wave


def notify_wave_opened(wave_id: int) -> int:
    """Tell every active staff member with an account in the wave's agencies that the survey is open (once each:
    the notification key makes a retried task change nothing). Returns how many were told."""
    wave = PulseWave.objects.filter(pk=wave_id).first()
    if wave is None:
        return 0
    users = User.objects.filter(is_active=True, staff__is_active=True, staff__unit__agency__in=wave.agencies.all()).distinct()
    url = reverse("surveys:pulse", args=[wave.pk])
    body = _("Anonymous, about three minutes, open from %(opens)s to %(closes)s.") % {
        "opens": wave.opens_on.strftime("%d/%m/%Y"),
        "closes": wave.closes_on.strftime("%d/%m/%Y"),
    }
    told = 0
    with transaction.atomic():
        for user in users:
            notify_user(user, key=f"pulse-wave:{wave.pk}", title=str(_("A staff survey is open: %(title)s") % {"title": wave.title}), body=str(body), url=url)
            told += 1
    return told


def open_place(token: str) -> CampaignAgency:
    """The campaign agency a public link points to, if the campaign is open today."""
    place = CampaignAgency.objects.select_related("campaign", "agency").filter(token=(token or "")[:32]).first()
    if place is None:
        raise NotFound(_("This survey link is not known. Please check the address or the QR code."))
    today = clock.today()
    if today < place.campaign.opens_on:
        raise RuleViolation(_("This survey opens on %(day)s.") % {"day": place.campaign.opens_on.strftime("%d/%m/%Y")}, rule="survey_not_open")
    if today > place.campaign.closes_on:
        raise RuleViolation(_("This survey has closed. Thank you for your interest."), rule="survey_closed")
    return place


def citizen_response_submit(*, token: str, answers: Mapping[str, Any]) -> CitizenResponse:
    """Record one person's answers to the survey of the agency behind ``token`` (the view keeps one per device)."""
    place = open_place(token)
    try:
        checked = scales.check_citizen_answers(answers)
    except scales.InvalidAnswers as error:
        raise ValidationFailed(_("Please answer every question."), rule="survey_answers") from error
    return CitizenResponse.objects.create(place=place, answers=checked, submitted_on=clock.today())


def waves_for(actor: User) -> list[PulseWave]:
    """The waves open today in the agency of ``actor``'s staff record."""
    me = scope.own_staff(actor)
    if me is None or not me.is_active:
        return []
    today = clock.today()
    return list(PulseWave.objects.filter(agencies=me.unit.agency_id, opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "pk"))


def has_answered(actor: User, wave: PulseWave) -> bool:
    return PulseParticipation.objects.filter(wave=wave, user=actor).exists()


def pulse_submit(*, actor: User, wave: PulseWave, answers: Mapping[str, Any]) -> None:
    """Record ``actor``'s anonymous answers to ``wave``, once. Who answered and what was answered go to two tables
    with no link between them; the answers keep only the agency and the unit (for figures shown from the minimum)."""
    me = scope.own_staff(actor)
    if me is None or wave not in waves_for(actor):
        raise RuleViolation(_("This survey is not open to you today."), rule="pulse_not_open")
    try:
        checked = scales.check_pulse_answers(answers)
    except scales.InvalidAnswers as error:
        raise ValidationFailed(_("Please answer every question."), rule="pulse_answers") from error
    try:
        with transaction.atomic():
            PulseParticipation.objects.create(wave=wave, user=actor)
            PulseResponse.objects.create(wave=wave, agency_id=me.unit.agency_id, unit_id=me.unit_id, answers=checked)
    except IntegrityError as error:
        raise RuleViolation(_("You have already answered this survey. Thank you."), rule="pulse_once") from error
