"""Audit rows about the outcome panel (a full rebuild: who asked, when, how many values), read by the roles that read
the whole city's panel."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.types import Viewer
from telework.core.audit_subjects import AuditSubject, register
from telework.outcomes import permissions
from telework.outcomes.models import PanelRefresh


def visible_refresh_rows(viewer: Viewer) -> QuerySet[PanelRefresh]:
    if permissions.reads_whole_city(viewer):
        return PanelRefresh.objects.all()
    return PanelRefresh.objects.none()


register(
    AuditSubject(
        object_type="outcomes.panelrefresh",
        visible=visible_refresh_rows,
        actions={"outcome_panel.rebuild": _("Outcome panel rebuilt")},
        fields={"first_week": _("from week"), "last_week": _("to week"), "rows": _("values written"), "seconds": _("duration (seconds)")},
    )
)
