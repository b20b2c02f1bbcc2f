"""The design and review audit rows: read by whoever reads the pilot design screens (Home Affairs, city leadership)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.types import Viewer
from telework.assessment import selectors
from telework.assessment.models import PhaseDesign, PhaseReview
from telework.core.audit_subjects import AuditSubject, register


def visible_designs(viewer: Viewer) -> QuerySet[PhaseDesign]:
    return PhaseDesign.objects.all() if selectors.can_read_designs(viewer) else PhaseDesign.objects.none()


def visible_reviews(viewer: Viewer) -> QuerySet[PhaseReview]:
    return PhaseReview.objects.all() if selectors.can_read_designs(viewer) else PhaseReview.objects.none()


register(
    AuditSubject(
        object_type="assessment.phasedesign",
        visible=visible_designs,
        actions={
            "design.record": _("Pilot design recorded"),
            "design.change": _("Pilot design changed after launch"),
            "phase.launch": _("Pilot phase launched"),
            "estimate.request": _("Estimates of the pilot's effect requested"),
        },
        fields={
            "allocation": _("Allocation of units"),
            "mde_inputs": _("Inputs of the minimum detectable effect"),
            "phase": _("Phase"),
            "locked_at": _("Locked at"),
            "indicators": _("Indicators"),
            "queued": _("Estimates queued"),
        },
        hidden=frozenset({"allocation"}),
    ),
    AuditSubject(
        object_type="assessment.phasereview",
        visible=visible_reviews,
        actions={"phase.review": _("Pilot phase review recorded")},
    ),
)
