"""The home page: what needs the user's attention, by role."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from telework.core import clock
from telework.organization import scope
from telework.policy.selectors import eligibility_for, switches
from telework.registrations.selectors import approval_inbox, registration_list


@login_required
def home(request: HttpRequest) -> HttpResponse:
    me = scope.own_staff(request.user)
    today = clock.today()
    context = {
        "me": me,
        "today": today,
        "decision": eligibility_for(me, today) if me else None,
        "my_registrations": list(registration_list(viewer=request.user, filters={"mine": True})[:5]) if me else [],
        "inbox_count": len(approval_inbox(viewer=request.user)) if me else 0,
        "switches": [switch for switch in switches() if switch.is_active],
    }
    return render(request, "portal/home.html", context)
