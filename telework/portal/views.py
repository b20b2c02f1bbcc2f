"""The home page: what the user should do now, by role.

One page, a block per role the user holds, the user's own staff block first: a staff member's day, week, work and
requests with a one-tap check-in; a head's approvals, units today, alerts and load; an agency at a glance; HR's
import and account gaps; Home Affairs' pilots, switches and rosters; the city's key figures for its leadership.
System administrators see the HR and Home Affairs blocks. The reads are ``telework.portal.selectors``; the check-in
buttons post to the attendance services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from telework.accounts.models import Role, User
from telework.accounts.types import AuthenticatedHttpRequest
from telework.assessment import dashboard as assessment_dashboard
from telework.assessment.dashboard_views import dashboard_context
from telework.attendance import selectors as attendance_selectors
from telework.attendance import services as attendance_services
from telework.attendance.models import WorkMode
from telework.core import clock, db
from telework.core.exceptions import DomainError
from telework.organization import delegations, scope
from telework.policy.models import SwitchKind
from telework.policy.selectors import eligibility_for, switches
from telework.portal import selectors
from telework.registrations.selectors import approval_inbox
from telework.rosters.selectors import leave_requests_waiting


def _is_admin(user: User) -> bool:
    return bool(user.role == Role.SYSTEM_ADMIN or user.is_superuser)


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    now = clock.now()
    today = clock.today()
    me = attendance_selectors.own_staff(user)
    role = user.role
    context: dict[str, Any] = {"me": me, "today": today, "switches": [switch for switch in switches() if switch.is_active]}
    if me is not None:
        # Distancing assigns home days city-wide: read from the switches already loaded (no query more).
        assigned = any(switch.kind == SwitchKind.DISTANCING for switch in context["switches"])
        context["mine"] = selectors.staff_home(staff=me, today=today, home_days_assigned=assigned)
        context["decision"] = eligibility_for(me, today)
    if role == Role.UNIT_HEAD:
        context["head"] = selectors.head_home(viewer=user, today=today, now=now)
    elif me is not None and role in {Role.STAFF, Role.AGENCY_HEAD, Role.AGENCY_HR}:
        # A direct superior without a head's role, and the agency head, decide registrations too.
        approvals = approval_inbox(viewer=user)
        if approvals or role == Role.AGENCY_HEAD:
            context["approvals"] = approvals
        if role == Role.AGENCY_HEAD:
            context["leave_requests"] = leave_requests_waiting(viewer=user)
    if scope.may_be_deputy(user):
        # A head sees whom they delegated to, a deputy whom they act for (the same notices as the approval inbox).
        context.update(delegations.notices_for(user, today))
    if role == Role.AGENCY_HEAD:
        context["agency"] = selectors.agency_home(viewer=user, today=today, now=now)
    if role == Role.AGENCY_HR or _is_admin(user):
        context["hr"] = selectors.hr_home(viewer=user)
    if role == Role.HOME_AFFAIRS or _is_admin(user):
        context["city_policy"] = selectors.city_policy_home(viewer=user, today=today)
    if role == Role.CITY_LEADERSHIP:
        context["city"] = selectors.city_figures(viewer=user, today=today)
        # City leadership's home is the pilot dashboard (issue 13): rendered here, under the switches in force and the
        # city's figures, with its default filters; filtering and drilling down continue on /assessment/.
        with db.reporting_reads():  # the dashboard's figures may come from the read replica
            context.update(dashboard_context(assessment_dashboard.build(user, {}), user))
        context["dashboard_embedded"] = True
    context["can_manage_organisation"] = scope.can_manage_organisation(user)
    return render(request, "portal/home.html", context)


def _own_staff_or_403(user: User) -> None:
    if attendance_selectors.own_staff(user) is None:
        raise PermissionDenied(_("Only staff members check in; your account is not linked to an active staff record."))


@login_required
@require_POST
def check_in(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The home page's one-tap check-in: at home or at the office, as the button says (the published roster picks
    the button offered first). A refusal is shown with its reason; nothing changes."""
    _own_staff_or_403(request.user)
    mode = request.POST.get("mode", "")
    if mode not in WorkMode.values:
        messages.error(request, _("Choose where you work today: at the office or at home."))
        return redirect("portal:home")
    try:
        done = attendance_services.attendance_check_in(actor=request.user, mode=mode)
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(
            request, _("Checked in at %(time)s (%(mode)s).") % {"time": f"{timezone.localtime(done.checked_in_at):%H:%M}", "mode": done.get_mode_display()}
        )
    return redirect("portal:home")


@login_required
@require_POST
def check_out(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The home page's one-tap check-out. A refusal is shown with its reason; nothing changes."""
    _own_staff_or_403(request.user)
    try:
        done = attendance_services.attendance_check_out(actor=request.user)
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
    else:
        assert done.checked_out_at is not None
        messages.success(request, _("Checked out at %(time)s.") % {"time": f"{timezone.localtime(done.checked_out_at):%H:%M}"})
    return redirect("portal:home")
