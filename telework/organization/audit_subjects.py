"""The organisation's audit rows (imports, units, positions, staff records, desks and duty posts), scoped like the
organisation screens (``telework.organization.scope``): a staff record by whoever may see the person; units, desks and
duty posts by whoever sees the unit; an agency's job positions and imports by its heads and HR."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.core.audit_subjects import AuditSubject, register
from telework.organization import scope
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
        actions={"unit.create": _("Unit created"), "unit.update": _("Unit updated")},
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
        actions={"staff.create": _("Staff record created"), "staff.update": _("Staff record updated")},
    ),
    AuditSubject(
        object_type="organization.servicepoint",
        visible=visible_service_points,
        actions={"service_point.create": _("Desk or duty post created"), "service_point.update": _("Desk or duty post updated")},
        fields={"qualified_staff": _("Qualified staff")},
        url_name="organization:service_point_edit",
    ),
)
