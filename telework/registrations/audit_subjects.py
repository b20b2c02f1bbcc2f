"""The registrations' audit rows: read by whoever may see the registration (``selectors.registration_list``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from telework.core.audit_subjects import AuditSubject, register
from telework.registrations import selectors

register(
    AuditSubject(
        object_type="registrations.registration",
        visible=lambda viewer: selectors.registration_list(viewer=viewer),
        actions={
            "registration.submit": _("Registration submitted"),
            "registration.resubmit": _("Registration resubmitted"),
            "registration.withdraw": _("Registration withdrawn"),
            "registration.approve": _("Registration approved"),
            "registration.reject": _("Registration rejected"),
            "registration.request_changes": _("Changes requested to a registration"),
            "registration.revoke": _("Registration revoked"),
            "registration.home_day_move": _("Approved home day moved by a swap"),
        },
        fields={
            "on_behalf_of": _("On behalf of"),
            "days": _("Home days"),
            "revoked_effective_on": _("Home days end after"),
            "skipped_dates": _("Days left out"),
        },
        url_name="registrations:detail",
    )
)
