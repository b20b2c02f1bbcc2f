"""Attendance's audit rows: a head's corrections of check-ins, read by whoever may see the person's check-ins
(``selectors.check_in_list``: the person themselves, and those whose scope holds them)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from telework.attendance import selectors
from telework.attendance.models import CheckIn
from telework.core.audit_subjects import AuditSubject, register


def check_in_names(ids: list[str]) -> dict[str, str]:
    """ "Lê Văn An, 16/11/2026" for each check-in id, in one query."""
    wanted = [int(value) for value in ids if value.isdigit()]
    return {
        str(pk): f"{name}, {formats.date_format(day, 'd/m/Y')}"
        for pk, name, day in CheckIn.objects.filter(pk__in=wanted).values_list("pk", "staff__full_name", "day")
    }


register(
    AuditSubject(
        object_type="attendance.checkin",
        visible=lambda viewer: selectors.check_in_list(viewer=viewer),
        actions={"check_in.correct": _("Check-in corrected by a head")},
        fields={"on_behalf_of": _("On behalf of"), "checked_in": _("Checked in"), "missed_check_in_cleared": _("Missed check-in cleared")},
        names=check_in_names,
    )
)
