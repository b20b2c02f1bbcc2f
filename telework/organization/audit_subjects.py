"""The organisation's audit rows (imports, units, positions, staff records, desks and duty posts), scoped like the
organisation screens (``telework.organization.scope``): a staff record by whoever may see the person; units, desks and
duty posts by whoever sees the unit; an agency's job positions and imports by its heads and HR."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from telework.accounts.models import Role, User
from telework.accounts.types import Viewer
from telework.core.audit_subjects import AuditSubject, register
from telework.organization import delegations, scope, sso
from telework.organization.models import Agency, Position, ServicePoint


def managing_agencies(viewer: Viewer) -> QuerySet[Agency]:
    """The agencies whose organisation ``viewer`` reads as a whole: their own for agency heads and HR (unit heads and
    staff read parts of it), every agency for the city-wide roles."""
    if not viewer.is_authenticated:
        return Agency.objects.none()
    if viewer.role in scope.CITY_WIDE_ROLES or viewer.is_superuser or viewer.role in scope.AGENCY_ROLES:
        return scope.visible_agencies(viewer)
    return Agency.objects.none()


def visible_positions(viewer: Viewer) -> QuerySet[Position]:
    """Job positions of the agencies whose position list ``viewer`` reads (everyone but plain staff)."""
    if getattr(viewer, "role", Role.STAFF) == Role.STAFF and not getattr(viewer, "is_superuser", False):
        return Position.objects.none()
    return Position.objects.filter(agency__in=scope.visible_agencies(viewer))


def visible_service_points(viewer: Viewer) -> QuerySet[ServicePoint]:
    return ServicePoint.objects.filter(unit__in=scope.visible_units(viewer))


register(
    AuditSubject(
        object_type="organization.agency",
        visible=managing_agencies,
        actions={"organization.import": _("Organisation imported from a file")},
        fields={
            "file": _("File"),
            "sha256": _("File fingerprint (SHA-256)"),
            "valid_only": _("Only the valid rows"),
            "columns": _("Columns"),
            "units_created": _("Units created"),
            "units_updated": _("Units updated"),
            "positions_created": _("Job positions created"),
            "positions_updated": _("Job positions updated"),
            "rows": _("Rows"),
            "created": _("Rows created"),
            "updated": _("Rows updated"),
            "unchanged": _("Rows unchanged"),
            "refused": _("Rows refused"),
            "warnings": _("Rows with warnings"),
        },
    ),
    AuditSubject(
        object_type="organization.unit",
        visible=scope.visible_units,
        actions={"unit.create": _("Unit created"), "unit.update": _("Unit updated"), "unit.office_seats": _("Usable office seats changed")},
    ),
    AuditSubject(
        object_type="organization.position",
        visible=visible_positions,
        actions={
            "position.create": _("Job position created"),
            "position.update": _("Job position updated"),
            "position.flags": _("Job position's duties changed"),
        },
    ),
    AuditSubject(
        object_type="organization.staff",
        visible=scope.visible_staff,
        actions={
            "staff.create": _("Staff record created"),
            "staff.update": _("Staff record updated"),
            "staff.transfer": _("Transferred to another unit"),
            "staff.end": _("Leaving the staff recorded"),
            "staff.end_applied": _("Record closed on the leaving day"),
            "staff.reinstate": _("Reinstated on the staff"),
            "staff.contact": _("Own phone or equipment updated"),
        },
        fields={
            "effective_on": _("Effective on"),
            "note": pgettext_lazy("staff record", "Note"),
            "service_points_left": _("No longer qualified for"),
            "reports": _("People who reported to them"),
        },
    ),
    AuditSubject(
        object_type="organization.delegation",
        visible=delegations.visible_delegations,
        actions={"delegation.create": _("Decisions delegated to a deputy"), "delegation.cancel": _("Delegation cancelled")},
        fields={"cancelled_at": _("Cancelled at")},
    ),
    AuditSubject(
        object_type="organization.servicepoint",
        visible=visible_service_points,
        actions={"service_point.create": _("Desk or duty post created"), "service_point.update": _("Desk or duty post updated")},
        fields={"qualified_staff": _("Qualified staff")},
        url_name="organization:service_point_edit",
    ),
)


def visible_accounts(viewer: Viewer) -> QuerySet[User]:
    """Accounts of the staff ``viewer`` may see (``telework.organization.accounts`` writes their rows)."""
    return User.objects.filter(staff__in=scope.visible_staff(viewer))


register(
    AuditSubject(
        object_type="accounts.user",
        visible=visible_accounts,
        actions={
            "account.create": _("Account created"),
            "account.role": _("Account's role raised to match the staff record"),
            "account.link_sent": _("Activation link e-mailed"),
            "account.code_issued": _("Activation code printed"),
            "account.activated": _("Account activated"),
            "account.deactivate": _("Account closed"),
            "account.reactivate": _("Account reopened"),
            "account.sso_login": _("Signed in through the province's identity provider"),
            "account.sso_refused": _("Sign-in through the province's identity provider refused"),
            "account.second_factor_enrolled": _("Two-step login set up"),
            "account.recovery_codes_issued": _("New recovery codes issued"),
            "account.recovery_code_used": _("Signed in with a recovery code"),
            "account.second_factor_reset": _("Two-step login reset"),
        },
        fields={
            "activated": _("Activated"),
            "expires_at": _("Expires at"),
            "expires_in_days": _("Valid for (days)"),
            "by": _("Activated with"),
            "sessions_ended": _("Sessions ended"),
            "tokens_revoked": _("API tokens revoked"),
            "matched_by": _("Matched by"),
            "staff_code": _("Staff code"),
            "provider_mfa": _("Second factor checked by the provider"),
            "acr": _("Authentication level (acr)"),
            "amr": _("Authentication methods (amr)"),
            "refusal": _("Why refused"),
            "code": _("Staff code sent"),
            "claim": _("Claim"),
            "recovery_codes": _("Recovery codes issued"),
            "recovery_codes_left": _("Recovery codes left"),
            "authenticators_removed": _("Authenticators removed"),
            "recovery_codes_removed": _("Recovery codes removed"),
        },
        choices={
            "by": {"code": _("a printed code"), "link": _("an e-mailed link")},
            "matched_by": {"staff_code": _("staff code"), "email": _("e-mail address")},
            "refusal": sso.Refusal.LABELS,
        },
    ),
)
