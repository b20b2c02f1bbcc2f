"""Audit rows about desk cards (issued, retired), read by whoever sees the desk's unit, and about imports of the
one-stop export and the portal's ratings, read by whoever manages the agency's organisation."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import ApiToken
from telework.accounts.types import Viewer
from telework.core.audit_subjects import AuditSubject, register
from telework.dossiers.models import DeskCard, DossierImport
from telework.organization import scope
from telework.organization.audit_subjects import managing_agencies


def visible_imports(viewer: Viewer) -> QuerySet[DossierImport]:
    """Imports into the register of the agencies whose organisation ``viewer`` manages (heads, HR, city-wide roles)."""
    if not viewer.is_authenticated:
        return DossierImport.objects.none()
    return DossierImport.objects.filter(agency__in=managing_agencies(viewer))


def visible_tokens(viewer: Viewer) -> QuerySet[ApiToken]:
    """A token's issue is seen by its holder, and a push token's by whoever manages its agency's organisation."""
    if not viewer.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(Q(user=viewer) | Q(agency__in=managing_agencies(viewer)))


def visible_cards(viewer: Viewer) -> QuerySet[DeskCard]:
    return DeskCard.objects.filter(service_point__unit__in=scope.visible_units(viewer))


register(
    AuditSubject(
        object_type="dossiers.deskcard",
        visible=visible_cards,
        actions={"desk_card.issue": _("Rating card issued for a one-stop desk")},
    )
)
register(
    AuditSubject(
        object_type="dossiers.dossierimport",
        visible=visible_imports,
        actions={
            "dossier.import": _("One-stop dossiers imported from the one-stop system's export"),
            "rating.import": _("Citizen ratings imported from the public-service portal's export"),
            "dossier.push": _("One-stop dossiers pushed by the one-stop system through the API"),
            "rating.push": _("Portal ratings pushed through the API"),
        },
        fields={
            "file": _("File"),
            "sha256": _("File fingerprint (SHA-256)"),
            "valid_only": _("Only the valid rows"),
            "rows": _("Rows"),
            "created": _("Rows created"),
            "updated": _("Rows updated"),
            "unchanged": _("Rows unchanged"),
            "refused": _("Rows refused"),
            "warnings": _("Rows with warnings"),
            "procedures_created": _("Procedures created"),
        },
    )
)
register(
    AuditSubject(
        object_type="accounts.apitoken",
        visible=visible_tokens,
        actions={"api_token.issue": _("API token issued")},
        fields={"name": _("Name"), "prefix": _("Token prefix"), "scope": _("Scope"), "agency": _("Agency")},
        choices={"scope": {"full": _("Full access (everything you may do)"), "dossier_push": _("Dossier push only (one-stop system)")}},
    )
)
