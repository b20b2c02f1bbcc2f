"""The home page (what needs the user's attention, by role) and notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from telework.accounts import scope
from telework.core import clock
from telework.core.models import Notification


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from telework.policy.selectors import eligibility_for, switches
    from telework.registrations.selectors import approval_inbox, registration_list

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
    return render(request, "core/home.html", context)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    items = list(Notification.objects.filter(user_id=request.user.pk or 0)[:100])
    return render(request, "core/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user_id=request.user.pk or 0, read_at__isnull=True).update(read_at=clock.now())
    return redirect("core:notifications")
