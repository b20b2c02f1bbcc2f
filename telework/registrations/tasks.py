"""Background work for registrations. Tasks take ids, call a service or send a message, and are idempotent."""

from __future__ import annotations

from celery import shared_task
from django.utils import translation
from django.utils.translation import gettext as _

from telework.core.notifications import NotificationCategory, notify_user
from telework.organization.heads import heads_of
from telework.registrations.models import Registration


@shared_task(name="registrations.notify_event")
def notify_registration_event(registration_id: int, event: str) -> None:
    """Tell the people concerned that a registration changed: the staff member for a decision; for a new submission
    the person's heads (``organization.heads.heads_of``: the direct superior, else the unit's heads), and the deputy
    acting for them while a delegation is in force."""

    registration = Registration.objects.select_related("staff__user", "staff__direct_superior__user").filter(pk=registration_id).first()
    if registration is None:
        return
    url = f"/registrations/{registration.pk}/"
    with translation.override("vi"):
        if event == "submitted":
            for head in heads_of(registration.staff):
                notify_user(
                    head,
                    key=f"registration:{registration.pk}:submitted:{registration.submitted_at}",
                    title=_("%(name)s asks to work from home") % {"name": registration.staff.full_name},
                    body=str(registration),
                    url=url,
                    category=NotificationCategory.APPROVALS,
                )
            return
        titles = {
            "approved": _("Your home-day registration was approved"),
            "rejected": _("Your home-day registration was rejected"),
            "changes_requested": _("Changes requested to your home-day registration"),
            "revoked": _("Your home-day registration was revoked"),
        }
        if event in titles and registration.staff.user is not None:
            notify_user(
                registration.staff.user,
                key=f"registration:{registration.pk}:{event}:{registration.decided_at}",
                title=titles[event],
                body=registration.decision_comment,
                url=url,
                category=NotificationCategory.APPROVALS,
            )
