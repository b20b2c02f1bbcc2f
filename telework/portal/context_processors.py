"""Template context shared by every page: the navigation the user's role allows, unread notifications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from telework.accounts.models import Role
from telework.organization import scope


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    role = getattr(user, "role", "")
    return {
        "nav": {
            "is_staff_member": scope.own_staff(user) is not None,
            "can_decide": role in scope.DECIDING_ROLES or getattr(user, "staff", None) is not None and user.staff.reports.exists(),
            # A staff-role deputy acting for a head today gets the head's managing pages (one query, for leaders only).
            "can_see_units": role != Role.STAFF or bool(scope.may_be_deputy(user) and scope.acting_for(user)),
            "is_policy_maker": scope.is_city_policy_maker(user),
            "can_manage_organisation": scope.can_manage_organisation(user),
            # Unit and agency heads name a deputy while away (``organization.delegations``).
            "may_delegate": role in scope.DECIDING_ROLES,
            "can_read_audit": scope.can_read_audit(user),
        },
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }
