"""Pilots', policy versions' and city-wide switches' audit rows: read by whoever reads those screens
(``selectors.can_read_city_policy``, ``selectors.visible_policies``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.types import Viewer
from telework.core.audit_subjects import AuditSubject, register
from telework.policy import labels, selectors
from telework.policy.models import Pilot, Policy, PolicySwitch


def visible_pilots(viewer: Viewer) -> QuerySet[Pilot]:
    return Pilot.objects.all() if selectors.can_read_city_policy(viewer) else Pilot.objects.none()


def visible_policies(viewer: Viewer) -> QuerySet[Policy]:
    return selectors.visible_policies(viewer) if selectors.can_read_policies(viewer) else Policy.objects.none()


def visible_switches(viewer: Viewer) -> QuerySet[PolicySwitch]:
    return PolicySwitch.objects.all() if selectors.can_read_policies(viewer) else PolicySwitch.objects.none()


PARAMETER = "parameters."


def parameter_label(key: str) -> str | None:
    """A policy parameter's label (the snapshot's ``parameters`` are read key by key as ``parameters.<name>``)."""
    return labels.label(key.removeprefix(PARAMETER)) if key.startswith(PARAMETER) else None


def parameter_text(key: str, value: Any) -> str | None:
    return labels.format_value(key.removeprefix(PARAMETER), value) if key.startswith(PARAMETER) else None


register(
    AuditSubject(
        object_type="policy.pilot",
        visible=visible_pilots,
        actions={"pilot.save": _("Pilot saved"), "phase.scope": _("Phase scope changed")},
        fields={"agencies": _("Agencies"), "units": _("Units"), "positions": _("Job positions"), "phases": _("Phases"), "phase": _("Phase")},
        url_name="policy:pilot_detail",
    ),
    AuditSubject(
        object_type="policy.policy",
        visible=visible_policies,
        actions={"policy.create": _("Policy version created"), "policy.close": _("Policy version ended")},
        fields={"effective_to": _("In force until"), "effective_from": _("In force from")},
        label_of=parameter_label,
        text_of=parameter_text,
        url_name="policy:policy_detail",
    ),
    AuditSubject(
        object_type="policy.policyswitch",
        visible=visible_switches,
        actions={
            "switch.on": _("City-wide switch turned on"),
            "switch.off": _("City-wide switch turned off"),
            # Written by the rosters' follow-up (``rosters.services.distancing``): the weeks re-planned and published.
            "switch.replanned": _("Rosters re-planned and published after the switch"),
        },
        fields={"exempted_staff": _("Exempted staff")},
        url_name="policy:policies",
        url_takes_id=False,
    ),
)
