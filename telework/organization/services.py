"""Writes to the organisation: the staff import, position flags, service points.

One decision, one service, one transaction with its audit rows. Views, the ``import_staff`` command and any
future API call these; the rules of the import file itself live in ``telework.organization.importing``.
Permission: ``scope.can_manage_organisation`` (agency HR for their agency, Home Affairs, system
administrators). ``actor=None`` is the system (a management command run by an operator on the server).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import User
from telework.accounts.types import signed_in
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import NotPermitted, ValidationFailed, _jsonable
from telework.core.models import AuditEvent
from telework.organization import importing, scope
from telework.organization.importing import CREATE, FLAG_KEYS, UPDATE, ImportReport
from telework.organization.models import Agency, Position, ServicePoint, ServicePointKind, Staff, Unit
from telework.organization.selectors import code_chunks, import_snapshot

BATCH_SIZE = 500
# The refusal lists this many problems; the full list is in the report.
REFUSAL_DETAILS = 50


class ImportRefused(ValidationFailed):
    """The file cannot be imported as asked. Carries the row-by-row report so the caller can show it."""

    def __init__(self, message: Any, *, report: ImportReport, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.report = report


@dataclass(frozen=True)
class ImportResult:
    report: ImportReport
    audit_event: AuditEvent


def _check_manager(actor: User | None, agency: Agency) -> None:
    if actor is not None and not scope.can_manage_organisation(actor, agency):
        raise NotPermitted(
            _("Only the agency's HR office, Home Affairs or a system administrator may change this agency's organisation."), rule="can_manage_organisation"
        )


def staff_import_preview(*, actor: User | None, agency: Agency, file_name: str, content: bytes, today: dt.date | None = None) -> ImportReport:
    """Read the file and say, row by row, what importing it into ``agency`` would do. Writes nothing."""
    _check_manager(actor, agency)
    return _plan(agency, file_name, content, today or clock.today())


def _plan(agency: Agency, file_name: str, content: bytes, today: dt.date) -> ImportReport:
    table = importing.read_table(file_name, content)
    rows = importing.parse_rows(table, today=today)
    snapshot = import_snapshot(agency=agency, staff_codes=[row.code for row in rows if row.code], unit_codes=[row.unit_code for row in rows if row.unit_code])
    return importing.plan_import(table, rows, snapshot)


def _refusal_details(report: ImportReport) -> list[dict[str, Any]]:
    details = []
    for problem in report.problems():
        if not problem.is_error:
            continue
        where = gettext("Row %(row)s, column “%(column)s”: ") % {"row": problem.row, "column": problem.column} if problem.row else ""
        details.append({"rule": problem.code, "row": problem.row, "column": problem.column, "message": where + problem.text()})
        if len(details) == REFUSAL_DETAILS:
            break
    return details


def staff_import(*, actor: User | None, agency: Agency, file_name: str, content: bytes, valid_only: bool = False, today: dt.date | None = None) -> ImportResult:
    """Import an agency's staff list: create and update units, positions and staff, matched by code within the
    agency, in one transaction.

    A file with any refused row imports nothing unless ``valid_only`` (then the refused rows are skipped and
    the rest imported). Re-importing the same file changes nothing. Audited: one ``organization.import`` row
    on the agency with the counts, and one compact before/after row per unit, position and staff member created
    or updated.
    """
    with transaction.atomic():
        # One import per agency at a time: the plan is made and applied under the agency's row lock.
        locked = Agency.objects.select_for_update().get(pk=agency.pk)
        _check_manager(actor, locked)
        report = _plan(locked, file_name, content, today or clock.today())
        if not report.is_readable:
            raise ImportRefused(
                report.file_problems[0].text(), report=report, rule="import_file_readable", params={"file": file_name}, details=_refusal_details(report)
            )
        if report.error_rows and not valid_only:
            message = ngettext(
                "%(count)s row has errors, so nothing was imported. Fix it, or choose to import only the valid rows.",
                "%(count)s rows have errors, so nothing was imported. Fix them, or choose to import only the valid rows.",
                report.error_rows,
            ) % {"count": report.error_rows}
            raise ImportRefused(
                message,
                report=report,
                rule="import_all_rows_valid",
                params={"rows_with_errors": report.error_rows, "valid_rows": report.valid_rows},
                details=_refusal_details(report),
            )
        if report.valid_rows == 0:
            raise ImportRefused(gettext("The file has no row to import."), report=report, rule="import_has_rows", details=_refusal_details(report))
        counts = report.counts()
        summary = audit_record(
            actor=actor,
            action="organization.import",
            target=locked,
            after={
                **counts,
                "file": file_name,
                "sha256": hashlib.sha256(content).hexdigest(),
                "valid_only": valid_only,
                "columns": report.columns,
            },
            reason=file_name,
            agency_id=locked.pk,
        )
        reason = gettext("Import of %(file)s (audit #%(id)s)") % {"file": file_name, "id": summary.pk}
        trail = _Trail(actor, locked.pk, reason)
        units = _apply_units(locked, report, trail)
        positions = _apply_positions(locked, report, trail)
        _apply_staff(locked, report, units, positions, trail)
        trail.flush()
    return ImportResult(report, summary)


class _Trail:
    """Audit rows for the import's individual changes, written in batches (20,000 rows cannot mean 20,000 inserts).
    Mirrors ``telework.core.audit.audit_record`` field by field."""

    def __init__(self, actor: User | None, agency_id: int, reason: str) -> None:
        user = signed_in(actor)
        self.actor = user
        self.label = (user.get_full_name() or user.get_username()) if user is not None else "system"
        self.agency_id = agency_id
        self.reason = reason
        self.events: list[AuditEvent] = []

    def add(self, action: str, target: Any, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
        self.events.append(
            AuditEvent(
                actor=self.actor,
                actor_label=self.label,
                action=action,
                object_type=target._meta.label_lower,
                object_id=str(target.pk),
                object_label=str(target)[:300],
                agency_id=self.agency_id,
                before=_jsonable(before) if before is not None else None,
                after=_jsonable(after),
                reason=self.reason,
            )
        )

    def flush(self) -> None:
        AuditEvent.objects.bulk_create(self.events, batch_size=BATCH_SIZE)
        self.events = []


def _changes(changes: dict[str, tuple[Any, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    return {name: before for name, (before, _after) in changes.items()}, {name: after for name, (_before, after) in changes.items()}


def _apply_units(agency: Agency, report: ImportReport, trail: _Trail) -> dict[str, Unit]:
    """Create and update units, parents before children, then recompute every path of the agency's tree."""
    units = {unit.code: unit for unit in Unit.objects.filter(agency=agency)}
    pending = [plan for plan in report.units if plan.action == CREATE]
    created: list[tuple[Unit, importing.EntityPlan]] = []
    while pending:
        # A level at a time: each unit whose parent exists (or has none) now.
        ready = [plan for plan in pending if not plan.values["parent"] or plan.values["parent"] in units]
        if not ready:  # plan_import refuses loops and missing parents; this guards the invariant.
            raise ValidationFailed(_("The unit tree in the file cannot be built."), rule="unit_tree")
        level = [Unit(agency=agency, code=plan.code, name=plan.values["name"], parent=units.get(plan.values["parent"] or "")) for plan in ready]
        Unit.objects.bulk_create(level, batch_size=BATCH_SIZE)
        for unit, plan in zip(level, ready, strict=True):
            units[unit.code] = unit
            created.append((unit, plan))
        pending = [plan for plan in pending if plan.code not in units]
    updated = []
    for plan in report.units:
        if plan.action == UPDATE:
            unit = units[plan.code]
            unit.name = plan.values["name"]
            unit.parent = units.get(plan.values["parent"] or "")
            updated.append(unit)
            trail.add("unit.update", unit, *_changes(plan.changes))
    Unit.objects.bulk_update(updated, ["name", "parent"], batch_size=BATCH_SIZE)
    by_id = {unit.pk: unit for unit in units.values()}
    moved = []
    for unit in units.values():
        path = _unit_path(unit, by_id)
        if path != unit.path:
            unit.path = path
            moved.append(unit)
    Unit.objects.bulk_update(moved, ["path"], batch_size=BATCH_SIZE)
    for unit, plan in created:
        trail.add("unit.create", unit, None, {"code": unit.code, **plan.values})
    return units


def _unit_path(unit: Unit, by_id: dict[int, Unit]) -> str:
    ids = []
    node: Unit | None = unit
    while node is not None:
        ids.append(node.pk)
        node = by_id.get(node.parent_id) if node.parent_id else None
    return "/" + "".join(f"{pk}/" for pk in reversed(ids))


def _apply_positions(agency: Agency, report: ImportReport, trail: _Trail) -> dict[str, Position]:
    positions = {position.code: position for position in Position.objects.filter(agency=agency)}
    new = [plan for plan in report.positions if plan.action == CREATE]
    created = [Position(agency=agency, code=plan.code, **plan.values) for plan in new]
    Position.objects.bulk_create(created, batch_size=BATCH_SIZE)
    for position, plan in zip(created, new, strict=True):
        positions[position.code] = position
        trail.add("position.create", position, None, {"code": position.code, **plan.values})
    updated = []
    for plan in report.positions:
        if plan.action == UPDATE:
            position = positions[plan.code]
            for name, value in plan.values.items():
                setattr(position, name, value)
            updated.append(position)
            trail.add("position.update", position, *_changes(plan.changes))
    Position.objects.bulk_update(updated, ["name", *FLAG_KEYS], batch_size=BATCH_SIZE)
    return positions


STAFF_SIMPLE_FIELDS = ("full_name", "staff_type", "is_leader", "phone", "email", "training_completed_on")


def _apply_staff(agency: Agency, report: ImportReport, units: dict[str, Unit], positions: dict[str, Position], trail: _Trail) -> None:
    wanted = {row.code for row in report.rows if row.action in (CREATE, UPDATE)}
    superior_codes: set[str] = {row.values["direct_superior"] for row in report.rows if row.action in (CREATE, UPDATE) and row.values.get("direct_superior")}
    existing: dict[str, Staff] = {}
    for chunk in code_chunks(wanted | superior_codes):
        existing.update({staff.code: staff for staff in Staff.objects.filter(unit__agency=agency, code__in=chunk)})
    created: list[Staff] = []
    created_rows = []
    updated: dict[str, Staff] = {}
    updated_fields: set[str] = set()
    for row in report.rows:
        if row.action == CREATE:
            staff = Staff(code=row.code)
            _assign(staff, row.values, units, positions)
            created.append(staff)
            created_rows.append(row)
        elif row.action == UPDATE:
            staff = existing[row.code]
            _assign(staff, row.values, units, positions)
            updated[row.code] = staff
            updated_fields.update(name for name in row.changes if name != "direct_superior")
    Staff.objects.bulk_create(created, batch_size=BATCH_SIZE)
    existing.update({staff.code: staff for staff in created})
    # Superiors are linked once everybody exists: a superior may be created by the same file, on a later row.
    linked = []
    for row in report.rows:
        if row.action in (CREATE, UPDATE) and "direct_superior" in row.values:
            staff = existing[row.code]
            superior_code = row.values["direct_superior"]
            superior_id = existing[superior_code].pk if superior_code else None
            if staff.direct_superior_id != superior_id:
                staff.direct_superior_id = superior_id
                linked.append(staff)
    fields = sorted(updated_fields)
    if fields:
        Staff.objects.bulk_update(list(updated.values()), fields, batch_size=BATCH_SIZE)
    Staff.objects.bulk_update(linked, ["direct_superior"], batch_size=BATCH_SIZE)
    for staff, row in zip(created, created_rows, strict=True):
        trail.add("staff.create", staff, None, {"code": staff.code, **row.values})
    for row in report.rows:
        if row.action == UPDATE:
            trail.add("staff.update", updated[row.code], *_changes(row.changes))


def _assign(staff: Staff, values: dict[str, Any], units: dict[str, Unit], positions: dict[str, Position]) -> None:
    for name in STAFF_SIMPLE_FIELDS:
        if name in values:
            setattr(staff, name, values[name])
    if "equipment" in values:
        staff.equipment = list(values["equipment"])
    staff.unit = units[values["unit"]]
    staff.position = positions[values["position"]]


# --- Positions and service points --------------------------------------------------------------------------


@transaction.atomic
def position_update_flags(*, actor: User, position: Position, flags: dict[str, bool]) -> Position:
    """Set a position's four flags (faces citizens, handles administrative dossiers, one-stop desk, duty post).

    The flags decide eligibility (rules not_citizen_facing, not_dossier_handling, not_one_stop_desk), so each
    change is audited with the values before and after.
    """
    _check_manager(actor, position.agency)
    unknown = set(flags) - set(FLAG_KEYS)
    if unknown:
        raise ValidationFailed(_("Unknown position flag."), rule="position_flags", params={"flags": sorted(unknown)})
    locked = Position.objects.select_for_update().get(pk=position.pk)
    before = {key: getattr(locked, key) for key in FLAG_KEYS}
    after = {**before, **{key: bool(value) for key, value in flags.items()}}
    changed = [key for key in FLAG_KEYS if before[key] != after[key]]
    if not changed:
        return locked
    for key in changed:
        setattr(locked, key, after[key])
    locked.save(update_fields=changed)
    audit_record(
        actor=actor,
        action="position.flags",
        target=locked,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
        agency_id=locked.agency_id,
    )
    return locked


def _weekday_needs(required_by_weekday: Sequence[int | None]) -> list[int | None]:
    """Five entries, Monday to Friday (a number, or None for "as on other days"); [] when no weekday differs."""
    needs = list(required_by_weekday)
    if needs and len(needs) != 5:
        raise ValidationFailed(_("Give the staff required for each weekday, Monday to Friday."), rule="required_by_weekday")
    for value in needs:
        if value is not None and not 1 <= value <= 20:
            raise ValidationFailed(_("Staff required on site must be between 1 and 20."), rule="required_by_weekday", params={"value": value})
    return needs if any(value is not None for value in needs) else []


def _validate_service_point(
    *, unit: Unit, name: str, kind: str, required_on_site: int | None, qualified_staff: Iterable[Staff], required_by_weekday: Sequence[int | None] = ()
) -> list[Staff]:
    if not name.strip():
        raise ValidationFailed(_("Give the desk or duty post a name."), rule="name")
    if kind not in ServicePointKind.values:
        raise ValidationFailed(_("Choose one-stop desk or duty post."), rule="kind")
    if required_on_site is not None and not 1 <= required_on_site <= 20:
        raise ValidationFailed(_("Staff required on site must be between 1 and 20."), rule="required_on_site", params={"value": required_on_site})
    staff = list(qualified_staff)
    outside = [member for member in staff if member.unit_id != unit.pk or not member.is_active]
    if outside:
        raise ValidationFailed(
            _("%(name)s is not active staff of %(unit)s; only the unit's staff can be qualified for its desks.")
            % {"name": outside[0].full_name, "unit": unit.name},
            rule="qualified_staff",
            params={"staff": outside[0].code},
        )
    if required_on_site is not None and staff and len(staff) < required_on_site:
        raise ValidationFailed(
            _("%(required)s staff are required on site but only %(qualified)s are qualified: name more qualified staff.")
            % {"required": required_on_site, "qualified": len(staff)},
            rule="required_on_site",
            params={"required": required_on_site, "qualified": len(staff)},
        )
    busiest = max((value for value in _weekday_needs(required_by_weekday) if value is not None), default=None)
    if busiest is not None and staff and len(staff) < busiest:
        raise ValidationFailed(
            _("%(required)s staff are required on site but only %(qualified)s are qualified: name more qualified staff.")
            % {"required": busiest, "qualified": len(staff)},
            rule="required_by_weekday",
            params={"required": busiest, "qualified": len(staff)},
        )
    return staff


def _service_point_state(point: ServicePoint) -> dict[str, Any]:
    return {
        "unit": point.unit.code,
        "code": point.code,
        "name": point.name,
        "kind": point.kind,
        "required_on_site": point.required_on_site,
        "required_by_weekday": point.required_by_weekday,
        "qualified_staff": sorted(point.qualified_staff.values_list("code", flat=True)),
    }


def _next_service_point_code(unit: Unit, kind: str) -> str:
    prefix = f"{unit.code}-{'MC' if kind == ServicePointKind.ONE_STOP_DESK else 'TR'}"
    taken = set(ServicePoint.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    number = 1
    while f"{prefix}{number}" in taken:
        number += 1
    return f"{prefix}{number}"


def _save_point(point: ServicePoint, action: str, actor: User, before: dict[str, Any] | None, staff: list[Staff]) -> ServicePoint:
    try:
        with transaction.atomic():
            point.save()
    except IntegrityError as error:
        raise ValidationFailed(_("The code %(code)s is already used by another desk or duty post.") % {"code": point.code}, rule="code") from error
    point.qualified_staff.set(staff)
    audit_record(actor=actor, action=action, target=point, before=before, after=_service_point_state(point), agency_id=point.unit.agency_id)
    return point


@transaction.atomic
def service_point_create(
    *,
    actor: User,
    unit: Unit,
    name: str,
    kind: str,
    code: str = "",
    required_on_site: int | None = None,
    qualified_staff: Iterable[Staff] = (),
    required_by_weekday: Sequence[int | None] = (),
) -> ServicePoint:
    """Add a one-stop desk or duty post to ``unit``, with the staff qualified to hold it. ``required_on_site``
    overrides the policy's ``desk_staff_on_site`` / ``duty_staff_on_site`` for this point; None follows the
    policy. ``required_by_weekday`` (Monday to Friday, None for "as on other days") sets busier or quieter
    weekdays. A blank code is generated from the unit's (``P01-MC1``)."""
    _check_manager(actor, unit.agency)
    staff = _validate_service_point(
        unit=unit, name=name, kind=kind, required_on_site=required_on_site, qualified_staff=qualified_staff, required_by_weekday=required_by_weekday
    )
    point = ServicePoint(
        unit=unit,
        code=code.strip() or _next_service_point_code(unit, kind),
        name=name.strip(),
        kind=kind,
        required_on_site=required_on_site,
        required_by_weekday=_weekday_needs(required_by_weekday),
    )
    return _save_point(point, "service_point.create", actor, None, staff)


@transaction.atomic
def service_point_update(
    *,
    actor: User,
    service_point: ServicePoint,
    unit: Unit,
    name: str,
    kind: str,
    code: str,
    required_on_site: int | None,
    qualified_staff: Iterable[Staff],
    required_by_weekday: Sequence[int | None] = (),
) -> ServicePoint:
    """Change a desk or duty post: its unit (within the same agency), name, kind, staffing (every day, and by
    weekday) and qualified staff."""
    point = ServicePoint.objects.select_for_update().select_related("unit", "unit__agency").get(pk=service_point.pk)
    _check_manager(actor, point.unit.agency)
    _check_manager(actor, unit.agency)
    if unit.agency_id != point.unit.agency_id:
        raise ValidationFailed(_("A desk or duty post stays in its agency."), rule="unit")
    staff = _validate_service_point(
        unit=unit, name=name, kind=kind, required_on_site=required_on_site, qualified_staff=qualified_staff, required_by_weekday=required_by_weekday
    )
    before = _service_point_state(point)
    point.unit = unit
    point.name = name.strip()
    point.kind = kind
    point.code = code.strip() or point.code
    point.required_on_site = required_on_site
    point.required_by_weekday = _weekday_needs(required_by_weekday)
    return _save_point(point, "service_point.update", actor, before, staff)
