"""Rosters', swaps', leave and unit events' audit rows, scoped like the objects (``selectors``): a draft roster by
those who manage its unit, a published one by whoever reads the unit; a swap by the two colleagues and the unit's
managers; leave and leave requests by whoever may see the person; city-wide generations by Home Affairs and administrators."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.types import Viewer
from telework.core.audit_subjects import AuditSubject, register
from telework.organization import scope
from telework.rosters import selectors
from telework.rosters.models import EntryStatus, Leave, Roster, RosterStatus, UnitEvent


def visible_rosters(viewer: Viewer) -> QuerySet[Roster]:
    """Rosters ``viewer`` may read: drafts of the units they manage, published versions of the units they see."""
    return Roster.objects.filter(Q(unit__in=selectors.managed_units(viewer)) | Q(unit__in=scope.visible_units(viewer), status=RosterStatus.PUBLISHED))


def visible_leave(viewer: Viewer) -> QuerySet[Leave]:
    """Leave of the people ``viewer`` may see (their own for a staff member)."""
    return Leave.objects.filter(staff__in=scope.visible_staff(viewer))


def visible_unit_events(viewer: Viewer) -> QuerySet[UnitEvent]:
    return UnitEvent.objects.filter(unit__in=scope.visible_units(viewer))


register(
    AuditSubject(
        object_type="rosters.roster",
        visible=visible_rosters,
        actions={
            "roster.generate": _("Roster generated"),
            "roster.edit": _("Roster changed by hand"),
            "roster.publish": _("Roster published"),
            "roster.leave_marked": _("Leave marked in the published roster"),
            "roster.leave_unmarked": _("Cancelled leave taken out of the published roster"),
        },
        fields={
            "week": _("Week"),
            "day": _("Date"),
            "days": _("Days"),
            "staff": _("Staff member"),
            "service_point": _("Desk or duty post"),
            "solver_status": _("Solver result"),
            "objective": _("Objective value"),
            "hard_violations": _("Hard rules broken"),
            "input_hash": _("Input fingerprint"),
            "output_hash": _("Result fingerprint"),
        },
        # ``roster.edit`` records a cell's status, ``roster.publish`` the roster's.
        choices={
            "status": {**dict(RosterStatus.choices), **dict(EntryStatus.choices)},
            "solver_status": {"OPTIMAL": _("Optimal (proven)"), "FEASIBLE": _("Feasible, not proven optimal"), "INFEASIBLE": _("No roster meets every rule")},
        },
        url_name="rosters:version",
    ),
    AuditSubject(
        object_type="rosters.rosterrun",
        visible=lambda viewer: selectors.roster_runs(viewer=viewer),
        actions={
            "roster.generate_many": _("Rosters generated for many units"),
            "roster.generate_many.start": _("Roster generation for many units started"),
            "roster.generate_many.requeue": _("Roster generation stalled: its remaining units queued again"),
        },
        fields={
            "week": _("Week"),
            "agency": _("Agency"),
            "units": _("Units"),
            "staff": _("Staff"),
            "units_skipped": _("Units skipped"),
            "optimal_share": _("Share proven optimal"),
            "units_not_optimal": _("Units not proven optimal"),
            "hard_violations": _("Hard rules broken"),
            "unavoidable": _("Unavoidable shortfalls"),
            "relaxed": _("Relaxed rules"),
            "units_with_violations": _("Units with a broken rule"),
            "workers": _("Workers"),
            "mode": _("Mode"),
            "seconds": _("Seconds"),
            "load": _("Loading"),
            "solve": _("Solving"),
            "save": _("Saving"),
            "total": _("Total"),
            "units_pending": _("Units still to roster"),
            "stalled_minutes": _("Minutes without progress"),
        },
        choices={"mode": {"process_pool": _("On the web server"), "celery": _("In the background")}},
        url_name="rosters:run",
    ),
    AuditSubject(
        object_type="rosters.swaprequest",
        visible=lambda viewer: selectors.swap_list(viewer=viewer),
        actions={
            "swap.request": _("Swap requested"),
            "swap.accept": _("Swap accepted by the colleague"),
            "swap.approve": _("Swap approved"),
            "swap.reject": _("Swap rejected"),
            "swap.withdraw": _("Swap withdrawn"),
        },
        fields={
            "requester": _("Asked by"),
            "counterpart": _("Colleague"),
            "requester_day": _("Home day given up"),
            "counterpart_day": _("Day taken"),
        },
        hidden=frozenset({"roster"}),  # the roster's row number; the swap is about one week's roster
    ),
    AuditSubject(
        object_type="rosters.leave",
        visible=visible_leave,
        actions={"leave.record": _("Leave recorded"), "leave.cancel": _("Leave cancelled")},
        fields={"staff": _("Staff member"), "cancelled": _("Cancelled"), "roster_cells_changed": _("Roster days changed")},
    ),
    AuditSubject(
        object_type="rosters.leaverequest",
        visible=lambda viewer: selectors.leave_request_list(viewer=viewer),
        actions={
            "leave_request.submit": _("Leave requested"),
            "leave_request.approve": _("Leave request approved"),
            "leave_request.reject": _("Leave request rejected"),
            "leave_request.withdraw": _("Leave request withdrawn"),
        },
        fields={"staff": _("Staff member"), "working_days": _("Working days"), "on_behalf_of": _("On behalf of")},
    ),
    AuditSubject(
        object_type="rosters.unitevent",
        visible=visible_unit_events,
        actions={"unit_event.save": _("Unit event saved"), "unit_event.cancel": _("Unit event cancelled")},
        fields={"day": _("Date"), "cancelled": _("Cancelled"), "attendees": _("Attendees")},
    ),
)
