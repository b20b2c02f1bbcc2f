"""Audit rows about staffing-needs rounds, rows and decisions: read by whoever may read the round or row."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.types import Viewer
from telework.core.audit_subjects import AuditSubject, register
from telework.staffing import permissions
from telework.staffing.models import ReportRound, ReportRow, UnitDecision


def visible_decisions(viewer: Viewer) -> QuerySet[UnitDecision]:
    return UnitDecision.objects.filter(row__in=permissions.visible_rows(viewer))


def _visible_rounds(viewer: Viewer) -> QuerySet[ReportRound]:
    return permissions.visible_rounds(viewer)


def _visible_rows(viewer: Viewer) -> QuerySet[ReportRow]:
    return permissions.visible_rows(viewer)


register(
    AuditSubject(
        object_type="staffing.reportround",
        visible=_visible_rounds,
        actions={
            "staffing_round.open": _("Staffing report round opened"),
            "staffing_round.close": _("Staffing report round closed"),
            "staffing_round.decide": _("Staffing report round decided"),
        },
        fields={"title": _("Round title"), "state": _("State"), "deadline": _("Report deadline"), "units": _("Units")},
        url_name="staffing:round_detail",
    ),
    AuditSubject(
        object_type="staffing.reportrow",
        visible=_visible_rows,
        actions={"staffing_row.fill": _("Staffing needs reported"), "staffing_row.sign_off": _("Staffing needs report signed off")},
        fields={
            "total_staff": _("Total staff"),
            "needed_on_site": _("Needed on site"),
            "proposed_at_home": _("Proposed at home"),
            "reason": _("Reason"),
            "is_late": _("Filled after the deadline"),
            "signed_off_at": _("Signed off at"),
        },
    ),
    AuditSubject(
        object_type="staffing.unitdecision",
        visible=visible_decisions,
        actions={"staffing_decision.create": _("Staffing decision recorded"), "staffing_decision.replace": _("Staffing decision replaced by a new one")},
        fields={
            "on_site_minimum": _("On-site minimum"),
            "home_cap": _("Home cap"),
            "starts_on": _("From"),
            "ends_on": _("Until"),
            "min_onsite_share": _("Minimum share on site"),
            "max_home_share": _("Maximum share at home"),
            "withdrawn_versions": _("Policy versions withdrawn"),
        },
    ),
)
