"""Notifications: the user's list and marking them read. (The home page: ``telework.portal.views``.)"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from telework.core import clock
from telework.core.models import Notification


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    items = list(Notification.objects.filter(user_id=request.user.pk or 0)[:100])
    return render(request, "core/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user_id=request.user.pk or 0, read_at__isnull=True).update(read_at=clock.now())
    return redirect("core:notifications")
