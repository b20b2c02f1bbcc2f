"""Reads for the organisation, each scoped by the viewer through ``telework.organization.scope``: the staff list and
record, the unit tree with headcounts and leaders, positions, service points, and the snapshot an import is
planned against."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.core.exceptions import NotFound
from telework.organization import scope
from telework.organization.importing import AgencySnapshot, ExistingPosition, ExistingStaff, ExistingUnit
from telework.organization.models import Agency, Position, ServicePoint, Staff, Unit

# Position flags that keep a post on site under the HCMC pilot (eligibility rules not_citizen_facing,
# not_dossier_handling, not_one_stop_desk); a position with none of them is open to telework.
RESTRICTING_FLAGS = ("faces_citizens", "handles_dossiers", "is_one_stop_desk")
STAFF_FLAG_FILTERS: dict[str, Q] = {
    "faces_citizens": Q(position__faces_citizens=True),
    "handles_dossiers": Q(position__handles_dossiers=True),
    "is_one_stop_desk": Q(position__is_one_stop_desk=True),
    "is_duty_post": Q(position__is_duty_post=True),
    "position_open": Q(position__faces_citizens=False, position__handles_dossiers=False, position__is_one_stop_desk=False),
    "is_leader": Q(is_leader=True),
    "no_training": Q(training_completed_on__isnull=True),
    "inactive": Q(is_active=False),
}
# IN lists are read in slices: SQLite caps the number of bound parameters per statement.
CODE_CHUNK = 900


def staff_list(*, viewer: Viewer, filters: dict[str, Any] | None = None) -> QuerySet[Staff]:
    """Staff the viewer may see, by name. Filters: ``agency``, ``unit`` (with its subtree), ``position``,
    ``staff_type``, ``flag`` (a key of ``STAFF_FLAG_FILTERS``), ``q`` (name or code, any case)."""
    filters = filters or {}
    queryset = scope.visible_staff(viewer).select_related("unit", "unit__agency", "position", "direct_superior")
    if filters.get("agency"):
        queryset = queryset.filter(unit__agency=filters["agency"])
    if filters.get("unit"):
        queryset = queryset.filter(unit__path__startswith=filters["unit"].path)
    if filters.get("position"):
        queryset = queryset.filter(position=filters["position"])
    if filters.get("staff_type"):
        queryset = queryset.filter(staff_type=filters["staff_type"])
    if filters.get("flag") in STAFF_FLAG_FILTERS:
        queryset = queryset.filter(STAFF_FLAG_FILTERS[filters["flag"]])
    if filters.get("q"):
        text = filters["q"].strip()
        queryset = queryset.filter(Q(full_name__icontains=text) | Q(code__icontains=text))
    return queryset.order_by("full_name", "code")


def staff_get(*, viewer: Viewer, code: str) -> Staff:
    """One staff record the viewer may see, with what the detail page shows; otherwise ``NotFound`` (404)."""
    staff = (
        scope.visible_staff(viewer)
        .select_related("unit", "unit__agency", "unit__parent", "position", "direct_superior", "user")
        .prefetch_related("service_points", "service_points__unit")
        .filter(code=code)
        .first()
    )
    if staff is None:
        raise NotFound()
    return staff


def staff_reports(*, viewer: Viewer, staff: Staff) -> QuerySet[Staff]:
    """The staff whose direct superior is ``staff``, as far as the viewer may see them."""
    return scope.visible_staff(viewer).filter(direct_superior=staff).select_related("position", "unit").order_by("full_name")


@dataclass
class UnitNode:
    unit: Unit
    depth: int
    headcount: int = 0  # active staff directly in the unit
    total: int = 0  # active staff in the unit and every unit below it
    leaders: list[Staff] = field(default_factory=list)
    service_points: int = 0


def unit_tree(*, viewer: Viewer, agency: Agency) -> list[UnitNode]:
    """The agency's units the viewer may see, parents before children (siblings by code), with headcounts,
    leaders and the number of service points. Four queries whatever the size."""
    units = list(scope.visible_units(viewer).filter(agency=agency))
    if not units:
        return []
    ids = [unit.pk for unit in units]
    direct = dict(Staff.objects.filter(unit_id__in=ids, is_active=True).values_list("unit_id").annotate(count=Count("id")).values_list("unit_id", "count"))
    points = dict(ServicePoint.objects.filter(unit_id__in=ids).values_list("unit_id").annotate(count=Count("id")).values_list("unit_id", "count"))
    leaders: dict[int, list[Staff]] = {}
    for leader in Staff.objects.filter(unit_id__in=ids, is_active=True, is_leader=True).select_related("position").order_by("full_name"):
        leaders.setdefault(leader.unit_id, []).append(leader)
    totals: dict[int, int] = dict.fromkeys(ids, 0)
    for unit in units:
        for ancestor in unit.path.strip("/").split("/"):
            if ancestor and int(ancestor) in totals:
                totals[int(ancestor)] += direct.get(unit.pk, 0)
    by_id = {unit.pk: unit for unit in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        # A unit whose parent the viewer cannot see is a root of the viewer's tree.
        parent = unit.parent_id if unit.parent_id in by_id else None
        children.setdefault(parent, []).append(unit)
    nodes: list[UnitNode] = []

    def visit(unit: Unit, depth: int) -> None:
        nodes.append(UnitNode(unit, depth, direct.get(unit.pk, 0), totals[unit.pk], leaders.get(unit.pk, []), points.get(unit.pk, 0)))
        for child in sorted(children.get(unit.pk, []), key=lambda item: item.code):
            visit(child, depth + 1)

    for root in sorted(children.get(None, []), key=lambda item: item.code):
        visit(root, 0)
    return nodes


def position_list(*, viewer: Viewer, agency: Agency) -> QuerySet[Position]:
    """The agency's job positions with how many active staff hold each (in the viewer's scope)."""
    if not scope.visible_agencies(viewer).filter(pk=agency.pk).exists():
        return Position.objects.none()
    visible = scope.staff_scope_filter(viewer)
    in_scope = Staff.objects.filter(visible, is_active=True).values("pk")
    return Position.objects.filter(agency=agency).annotate(headcount=Count("staff", filter=Q(staff__in=in_scope))).order_by("code")


def position_get(*, viewer: Viewer, position_id: int) -> Position:
    position = Position.objects.filter(pk=position_id, agency__in=scope.visible_agencies(viewer)).select_related("agency").first()
    if position is None:
        raise NotFound()
    return position


def service_point_list(*, viewer: Viewer, agency: Agency | None = None, unit: Unit | None = None) -> QuerySet[ServicePoint]:
    """One-stop desks and duty posts in units the viewer may see, with their qualified staff."""
    queryset = ServicePoint.objects.filter(unit__in=scope.visible_units(viewer)).select_related("unit", "unit__agency")
    if agency is not None:
        queryset = queryset.filter(unit__agency=agency)
    if unit is not None:
        queryset = queryset.filter(unit__path__startswith=unit.path)
    return queryset.prefetch_related("qualified_staff").order_by("unit__code", "code")


def service_point_get(*, viewer: Viewer, service_point_id: int) -> ServicePoint:
    point = service_point_list(viewer=viewer).filter(pk=service_point_id).first()
    if point is None:
        raise NotFound()
    return point


def unit_staff_choices(unit: Unit) -> QuerySet[Staff]:
    """Who may be named qualified for a service point of ``unit``: its active staff."""
    return Staff.objects.filter(unit=unit, is_active=True).select_related("position").order_by("full_name")


def manageable_agencies(viewer: Viewer) -> QuerySet[Agency]:
    """The agencies whose organisation the viewer may import and edit (``scope.can_manage_organisation``)."""
    if not viewer.is_authenticated or not scope.can_manage_organisation(viewer):
        return Agency.objects.none()
    me = scope.own_staff(viewer)
    if viewer.role == Role.AGENCY_HR and not viewer.is_superuser and me is not None:
        return Agency.objects.filter(pk=me.unit.agency_id)
    return Agency.objects.order_by("name")


def code_chunks(codes: Iterable[str]) -> Iterable[list[str]]:
    """``codes`` sorted and deduplicated, in slices small enough for one IN list."""
    ordered = sorted(set(codes))
    for start in range(0, len(ordered), CODE_CHUNK):
        yield ordered[start : start + CODE_CHUNK]


def import_snapshot(*, agency: Agency, staff_codes: Iterable[str], unit_codes: Iterable[str]) -> AgencySnapshot:
    """What ``agency`` holds now, as plain data for ``importing.plan_import``; plus which of the given staff and
    unit codes already belong to another agency. Three queries and one per 900 codes of the file."""
    units = {
        code: ExistingUnit(code, name, parent_code)
        for code, name, parent_code in Unit.objects.filter(agency=agency).values_list("code", "name", "parent__code")
    }
    positions = {
        row[0]: ExistingPosition(*row)
        for row in Position.objects.filter(agency=agency).values_list("code", "name", "faces_citizens", "handles_dossiers", "is_one_stop_desk", "is_duty_post")
    }
    staff = {}
    for row in Staff.objects.filter(unit__agency=agency).values_list(
        "code",
        "full_name",
        "staff_type",
        "unit__code",
        "position__code",
        "is_leader",
        "direct_superior__code",
        "phone",
        "email",
        "equipment",
        "training_completed_on",
    ):
        staff[row[0]] = ExistingStaff(*row[:9], tuple(sorted(row[9] or ())), row[10])
    staff_elsewhere: dict[str, str] = {}
    for chunk in code_chunks(code for code in staff_codes if code not in staff):
        staff_elsewhere.update(Staff.objects.filter(code__in=chunk).exclude(unit__agency=agency).values_list("code", "unit__agency__name"))
    units_elsewhere: dict[str, str] = {}
    for chunk in code_chunks(code for code in unit_codes if code not in units):
        units_elsewhere.update(Unit.objects.filter(code__in=chunk).exclude(agency=agency).values_list("code", "agency__name"))
    return AgencySnapshot(staff=staff, units=units, positions=positions, staff_elsewhere=staff_elsewhere, units_elsewhere=units_elsewhere)
