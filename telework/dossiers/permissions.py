"""Who may see and act on which desks and dossiers. Desks (one-stop desks with their cards) are managed by the
agency's HR, Home Affairs and administrators (``scope.can_manage_organisation``) and by the heads of the desk's unit;
dossiers and their figures are read by whoever sees the receiving unit."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from telework.accounts.models import Role, User
from telework.accounts.types import Viewer
from telework.dossiers.models import Dossier, DossierImport
from telework.organization import scope, selectors
from telework.organization.models import Agency, ServicePoint, ServicePointKind


def visible_desks(viewer: Viewer) -> QuerySet[ServicePoint]:
    """One-stop desks in the units ``viewer`` sees, and the desks they are qualified to staff (a desk officer prints
    the rating slips for the results they hand out)."""
    me = scope.own_staff(viewer)
    mine = Q(qualified_staff=me) if me is not None else Q(pk__in=[])
    return (
        ServicePoint.objects.filter(Q(unit__in=scope.visible_units(viewer)) | mine, kind=ServicePointKind.ONE_STOP_DESK)
        .distinct()
        .select_related("unit__agency")
    )


def can_manage_desk(viewer: Viewer, desk: ServicePoint) -> bool:
    if scope.can_manage_organisation(viewer, desk.unit.agency):
        return True
    if not viewer.is_authenticated:
        return False
    return viewer.role in (Role.UNIT_HEAD, Role.AGENCY_HEAD) and scope.visible_units(viewer).filter(pk=desk.unit_id).exists()


def visible_dossiers(viewer: Viewer) -> QuerySet[Dossier]:
    """Dossiers of the units ``viewer`` sees, and those they handled themselves."""
    me = scope.own_staff(viewer)
    handled = Q(pk__in=Dossier.handlers.through.objects.filter(staff=me).values("dossier_id")) if me is not None else Q(pk__in=[])
    return Dossier.objects.filter(Q(unit__in=scope.visible_units(viewer)) | handled)


def can_import(viewer: Viewer, agency: Agency | None = None) -> bool:
    """Who may import the one-stop export and the portal's ratings for ``agency`` (any agency when None): its HR
    officer, Home Affairs and system administrators — those who import its staff list (``scope.can_manage_organisation``)."""
    return scope.can_manage_organisation(viewer, agency)


def importable_agencies(viewer: Viewer) -> QuerySet[Agency]:
    """The agencies ``viewer`` may import dossiers and ratings for."""
    if not can_import(viewer):
        return Agency.objects.none()
    return selectors.manageable_agencies(viewer)


def visible_imports(viewer: Viewer) -> QuerySet[DossierImport]:
    """The past imports of the agencies ``viewer`` may import for."""
    return DossierImport.objects.filter(agency__in=importable_agencies(viewer)).select_related("agency", "imported_by__staff")


def push_token_agencies(user: User) -> list[tuple[int, str]]:
    """The agencies ``user`` may issue a dossier push token for (``accounts.push_tokens``): every agency for Home
    Affairs and system administrators, their own agency for an agency's HR officer, none for anyone else."""
    if not user.is_active:
        return []
    agencies = Agency.objects.order_by("name")
    if user.is_superuser or user.role in (Role.HOME_AFFAIRS, Role.SYSTEM_ADMIN):
        return list(agencies.values_list("id", "name"))
    if user.role == Role.AGENCY_HR:
        me = scope.own_staff(user)
        return list(agencies.filter(pk=me.unit.agency_id).values_list("id", "name")) if me is not None else []
    return []
