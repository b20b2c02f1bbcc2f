"""Audit rows about surveys (campaigns and staff pulse waves created), read by whoever reads their results."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.types import Viewer
from telework.core.audit_subjects import AuditSubject, register
from telework.surveys import permissions
from telework.surveys.models import Campaign, PulseWave


def visible_campaign_rows(viewer: Viewer) -> QuerySet[Campaign]:
    if permissions.can_run_surveys(viewer):
        return Campaign.objects.all()
    return Campaign.objects.filter(places__agency__in=permissions.result_agencies(viewer)).distinct()


def visible_wave_rows(viewer: Viewer) -> QuerySet[PulseWave]:
    if permissions.can_run_surveys(viewer):
        return PulseWave.objects.all()
    return PulseWave.objects.filter(agencies__in=permissions.result_agencies(viewer)).distinct()


register(
    AuditSubject(
        object_type="surveys.campaign",
        visible=visible_campaign_rows,
        actions={
            "survey_campaign.create": _("Citizen satisfaction survey opened"),
            "survey_campaign.target": _("Target sample size of an agency changed"),
        },
        fields={"agency": _("agency"), "target_responses": _("target sample size")},
        url_name="surveys:campaign",
    )
)
register(
    AuditSubject(
        object_type="surveys.pulsewave",
        visible=visible_wave_rows,
        actions={"pulse_wave.create": _("Staff pulse survey opened")},
        url_name="surveys:wave",
    )
)
