"""The rows together and against what the agency already holds: duplicates, codes of other agencies, the unit
tree, positions stated differently on two rows, direct superiors; then each row's action (create, update,
unchanged, refused) with the changes it makes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

from telework.organization.importing.layout import (
    COLUMNS,
    CREATE,
    ERROR,
    FLAG_KEYS,
    REFUSED,
    UNCHANGED,
    UPDATE,
    WARNING,
    Problem,
    Table,
    display_value,
    field_label,
    row_numbers,
)
from telework.organization.importing.reading import StaffRow

# --- The rows together, against what the agency holds -------------------------------------------------------


@dataclass(frozen=True)
class ExistingStaff:
    code: str
    full_name: str
    staff_type: str
    unit_code: str
    position_code: str
    is_leader: bool
    superior_code: str | None
    phone: str
    email: str
    equipment: tuple[str, ...]
    training_completed_on: dt.date | None


@dataclass(frozen=True)
class ExistingUnit:
    code: str
    name: str
    parent_code: str | None


@dataclass(frozen=True)
class ExistingPosition:
    code: str
    name: str
    faces_citizens: bool
    handles_dossiers: bool
    is_one_stop_desk: bool
    is_duty_post: bool


@dataclass(frozen=True)
class AgencySnapshot:
    """What the agency holds now, and which of the file's codes already belong to another agency."""

    staff: Mapping[str, ExistingStaff] = field(default_factory=dict)
    units: Mapping[str, ExistingUnit] = field(default_factory=dict)
    positions: Mapping[str, ExistingPosition] = field(default_factory=dict)
    staff_elsewhere: Mapping[str, str] = field(default_factory=dict)  # staff code → the other agency's name
    units_elsewhere: Mapping[str, str] = field(default_factory=dict)  # unit code → the other agency's name


@dataclass
class RowReport:
    number: int
    code: str
    full_name: str
    action: str
    problems: list[Problem]
    # The staff record's fields after the import (codes for unit, position and direct superior).
    values: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]

    @property
    def change_list(self) -> list[tuple[str, tuple[str, str]]]:
        """The changes as the user reads them: (field, (before, after))."""
        return [(field_label(name), (display_value(before), display_value(after))) for name, (before, after) in self.changes.items()]


@dataclass
class EntityPlan:
    """A unit or a position the import creates, updates or leaves as it is."""

    code: str
    action: str
    values: dict[str, Any]
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class ImportReport:
    file_name: str
    header_row: int
    file_problems: list[Problem]
    ignored_headers: list[str]
    rows: list[RowReport]
    units: list[EntityPlan]
    positions: list[EntityPlan]
    columns: list[str] = field(default_factory=list)  # the keys of the columns present

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def error_rows(self) -> int:
        return self.count(REFUSED)

    @property
    def warning_rows(self) -> int:
        return sum(1 for row in self.rows if row.action != REFUSED and row.warnings)

    @property
    def valid_rows(self) -> int:
        return len(self.rows) - self.error_rows

    @property
    def is_readable(self) -> bool:
        return not self.file_problems

    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "refused": self.error_rows,
            "warnings": self.warning_rows,
            "units_created": sum(1 for unit in self.units if unit.action == CREATE),
            "units_updated": sum(1 for unit in self.units if unit.action == UPDATE),
            "positions_created": sum(1 for position in self.positions if position.action == CREATE),
            "positions_updated": sum(1 for position in self.positions if position.action == UPDATE),
        }

    def problems(self) -> Iterable[Problem]:
        yield from self.file_problems
        for row in self.rows:
            yield from row.problems


@dataclass
class _Definition:
    """A unit or position as the file's rows state it: the first stated value of each attribute wins."""

    code: str
    first_row: int
    values: dict[str, Any] = field(default_factory=dict)
    stated_on: dict[str, int] = field(default_factory=dict)
    error_row: int | None = None

    def state(self, name: str, value: Any, row: StaffRow, header: str, message: str) -> None:
        if value is None or value == "":
            return
        if name not in self.values:
            self.values[name] = value
            self.stated_on[name] = row.number
        elif self.values[name] != value:
            shown = {True: "Có", False: "Không"}.get(value, value) if isinstance(value, bool) else value
            first = self.values[name]
            first_shown = {True: "Có", False: "Không"}.get(first, first) if isinstance(first, bool) else first
            row.problems.append(
                Problem(
                    ERROR,
                    "conflicting_definition",
                    message,
                    {"code": self.code, "value": shown, "first": first_shown, "row": self.stated_on[name]},
                    header,
                    row.number,
                )
            )


def plan_import(table: Table, rows: list[StaffRow], snapshot: AgencySnapshot) -> ImportReport:
    """Check the rows against each other and the agency, and decide each row's action.

    Refused rows: a code twice in the file; a staff code of another agency; a unit or position that cannot be
    built (no name when new, a parent unit not found, a unit code of another agency, a loop); a direct superior
    found neither in the file nor in the agency, or a loop of superiors. A row whose superior's own row is
    refused is kept, without the superior link, with a warning.
    """
    header = table.header
    present = set(table.headers)
    by_code: dict[str, list[StaffRow]] = {}
    for row in rows:
        if row.code:
            by_code.setdefault(row.code, []).append(row)
    for code, same in by_code.items():
        if len(same) > 1:
            numbers, more = row_numbers([row.number for row in same])
            message = (
                gettext_noop("Staff code %(code)s appears %(count)s times in the file (rows %(rows)s and %(more)s more).")
                if more
                else gettext_noop("Staff code %(code)s appears more than once in the file (rows %(rows)s).")
            )
            params = {"code": code, "rows": numbers, "count": len(same), "more": more} if more else {"code": code, "rows": numbers}
            for row in same:
                row.problems.append(Problem(ERROR, "duplicate_code", message, params, header("code"), row.number))
        if code in snapshot.staff_elsewhere:
            for row in same:
                row.problems.append(
                    Problem(
                        ERROR,
                        "staff_in_other_agency",
                        gettext_noop("Staff code %(code)s already belongs to %(agency)s; a staff member moves agency only through that agency's HR."),
                        {"code": code, "agency": snapshot.staff_elsewhere[code]},
                        header("code"),
                        row.number,
                    )
                )

    units = _collect_units(rows, header)
    bad_units = _check_units(units, rows, snapshot, header)
    positions = _collect_positions(rows, header)
    bad_positions = _check_positions(positions, rows, snapshot, header)
    for row in rows:
        if row.unit_code in bad_units and bad_units[row.unit_code] != row.number:
            row.problems.append(
                Problem(
                    ERROR,
                    "unit_refused",
                    gettext_noop("Unit %(code)s has errors (see row %(row)s)."),
                    {"code": row.unit_code, "row": bad_units[row.unit_code]},
                    header("unit_code"),
                    row.number,
                )
            )
        if row.position_code in bad_positions and bad_positions[row.position_code] != row.number:
            row.problems.append(
                Problem(
                    ERROR,
                    "position_refused",
                    gettext_noop("Position %(code)s has errors (see row %(row)s)."),
                    {"code": row.position_code, "row": bad_positions[row.position_code]},
                    header("position_code"),
                    row.number,
                )
            )
    if "superior_code" in present:
        _check_superiors(rows, by_code, snapshot, header)

    # Validity is now final. A superior whose own row is refused and who is not on file cannot be linked.
    for row in rows:
        if row.has_error or not row.superior_code:
            continue
        superior_rows = by_code.get(row.superior_code, [])
        if superior_rows and all(superior.has_error for superior in superior_rows) and row.superior_code not in snapshot.staff:
            row.problems.append(
                Problem(
                    WARNING,
                    "superior_row_refused",
                    gettext_noop("Direct superior %(code)s is on row %(row)s, which has errors: this row is imported without a direct superior."),
                    {"code": row.superior_code, "row": superior_rows[0].number},
                    header("superior_code"),
                    row.number,
                )
            )
            row.superior_code = ""

    reports = [_row_report(row, snapshot, present) for row in rows]
    used_units = _with_ancestors({row.unit_code for row in rows if not row.has_error}, units)
    used_positions = {row.position_code for row in rows if not row.has_error}
    return ImportReport(
        file_name=table.file_name,
        header_row=table.header_row,
        file_problems=list(table.problems),
        ignored_headers=list(table.ignored_headers),
        rows=reports,
        units=[_unit_plan(code, units[code], snapshot) for code in sorted(used_units) if code in units],
        positions=[_position_plan(code, positions[code], snapshot) for code in sorted(used_positions) if code in positions],
        columns=[column.key for column in COLUMNS if column.key in present],
    )


def _collect_units(rows: list[StaffRow], header: Any) -> dict[str, _Definition]:
    units: dict[str, _Definition] = {}
    for row in rows:
        if not row.unit_code:
            continue
        unit = units.setdefault(row.unit_code, _Definition(row.unit_code, row.number))
        unit.state("name", row.unit_name, row, header("unit_name"), gettext_noop("Unit %(code)s is named “%(first)s” on row %(row)s, not “%(value)s”."))
        unit.state(
            "parent_code",
            row.parent_unit_code,
            row,
            header("parent_unit_code"),
            gettext_noop("Unit %(code)s is under %(first)s on row %(row)s, not %(value)s."),
        )
    return units


def _check_units(units: dict[str, _Definition], rows: list[StaffRow], snapshot: AgencySnapshot, header: Any) -> dict[str, int]:
    """Refuse units that cannot be built; return {unit code: row where the reason is shown}."""
    rows_by_number = {row.number: row for row in rows}
    bad: dict[str, int] = {}

    def refuse(unit: _Definition, key: str, problem_code: str, message: str, **params: Any) -> None:
        # Shown on the row that stated the faulty value, so the user fixes the right cell.
        attribute = {"unit_name": "name", "parent_unit_code": "parent_code"}.get(key, "")
        number = unit.stated_on.get(attribute, unit.first_row)
        rows_by_number[number].problems.append(Problem(ERROR, problem_code, message, params, header(key), number))
        bad.setdefault(unit.code, number)

    for code, unit in units.items():
        if code in snapshot.units_elsewhere:
            refuse(
                unit,
                "unit_code",
                "unit_in_other_agency",
                gettext_noop("Unit code %(code)s is already used by %(agency)s; unit codes are unique across the city (prefix them with the agency's code)."),
                code=code,
                agency=snapshot.units_elsewhere[code],
            )
        elif code not in snapshot.units and not unit.values.get("name"):
            refuse(
                unit,
                "unit_name",
                "unit_name_required",
                gettext_noop("Unit %(code)s is new: give its name in “%(column)s”."),
                code=code,
                column=header("unit_name"),
            )
        parent = unit.values.get("parent_code")
        if parent == code:
            refuse(unit, "parent_unit_code", "unit_own_parent", gettext_noop("Unit %(code)s cannot be its own parent."), code=code)
        elif parent and parent not in units and parent not in snapshot.units:
            refuse(
                unit,
                "parent_unit_code",
                "parent_unit_not_found",
                gettext_noop("Parent unit %(parent)s is neither in the file nor in the agency."),
                parent=parent,
            )
    # Loops through the merged tree (the file's parents over the agency's).
    parents = {code: unit.parent_code for code, unit in snapshot.units.items()}
    parents.update({code: unit.values["parent_code"] for code, unit in units.items() if unit.values.get("parent_code")})
    for code in _codes_in_loops(parents, units):
        if code not in bad:
            refuse(units[code], "parent_unit_code", "unit_loop", gettext_noop("The parent units of %(code)s loop back to it."), code=code)
    # A unit under a refused unit cannot be placed either.
    changed = True
    while changed:
        changed = False
        for code, unit in units.items():
            parent = unit.values.get("parent_code")
            if code not in bad and parent in bad:
                refuse(
                    unit,
                    "parent_unit_code",
                    "parent_unit_refused",
                    gettext_noop("Parent unit %(parent)s has errors (see row %(row)s)."),
                    parent=parent,
                    row=bad[parent],
                )
                changed = True
    return bad


def _collect_positions(rows: list[StaffRow], header: Any) -> dict[str, _Definition]:
    positions: dict[str, _Definition] = {}
    for row in rows:
        if not row.position_code:
            continue
        position = positions.setdefault(row.position_code, _Definition(row.position_code, row.number))
        position.state(
            "name", row.position_name, row, header("position_name"), gettext_noop("Position %(code)s is named “%(first)s” on row %(row)s, not “%(value)s”.")
        )
        for key, value in row.flags.items():
            position.state(key, value, row, header(key), gettext_noop("Position %(code)s is marked %(first)s in this column on row %(row)s, not %(value)s."))
    return positions


def _check_positions(positions: dict[str, _Definition], rows: list[StaffRow], snapshot: AgencySnapshot, header: Any) -> dict[str, int]:
    rows_by_number = {row.number: row for row in rows}
    bad: dict[str, int] = {}
    for code, position in positions.items():
        if code in snapshot.positions:
            continue
        row = rows_by_number[position.first_row]
        if not position.values.get("name"):
            row.problems.append(
                Problem(
                    ERROR,
                    "position_name_required",
                    gettext_noop("Position %(code)s is new: give its name in “%(column)s”."),
                    {"code": code, "column": header("position_name")},
                    header("position_name"),
                    row.number,
                )
            )
            bad[code] = row.number
        elif not any(key in position.values for key in FLAG_KEYS):
            row.problems.append(
                Problem(
                    WARNING,
                    "position_flags_missing",
                    gettext_noop(
                        "New position %(code)s has no Có/Không in the four position columns: it is recorded as not facing citizens, not handling dossiers, not a one-stop desk and not a duty post."
                    ),
                    {"code": code},
                    header("position_code"),
                    row.number,
                )
            )
    return bad


def _check_superiors(rows: list[StaffRow], by_code: dict[str, list[StaffRow]], snapshot: AgencySnapshot, header: Any) -> None:
    for row in rows:
        superior = row.superior_code
        if not superior:
            continue
        if superior == row.code:
            row.problems.append(
                Problem(ERROR, "own_superior", gettext_noop("A staff member cannot be their own direct superior."), {}, header("superior_code"), row.number)
            )
        elif superior not in by_code and superior not in snapshot.staff:
            row.problems.append(
                Problem(
                    ERROR,
                    "superior_not_found",
                    gettext_noop("Direct superior %(code)s is neither in the file nor among the agency's staff."),
                    {"code": superior},
                    header("superior_code"),
                    row.number,
                )
            )
    superiors: dict[str, str | None] = {code: staff.superior_code for code, staff in snapshot.staff.items()}
    superiors.update({row.code: row.superior_code for row in rows if row.code and row.superior_code and row.superior_code != row.code})
    for code in _codes_in_loops(superiors, by_code):
        for row in by_code[code]:
            row.problems.append(
                Problem(
                    ERROR,
                    "superior_loop",
                    gettext_noop("The chain of direct superiors from %(code)s loops back to it."),
                    {"code": code},
                    header("superior_code"),
                    row.number,
                )
            )


def _codes_in_loops(parent_of: Mapping[str, str | None], candidates: Iterable[str]) -> set[str]:
    """The candidates that sit on a cycle of ``parent_of`` (each node has at most one parent)."""
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    in_loop: set[str] = set()
    for start in candidates:
        walk: list[str] = []
        node: str | None = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = parent_of.get(node)
        if node is not None and state.get(node) == 1:
            in_loop.update(walk[walk.index(node) :])
        for visited in walk:
            state[visited] = 2
    return in_loop & set(candidates)


def _with_ancestors(codes: set[str], units: dict[str, _Definition]) -> set[str]:
    """The units the file defines that ``codes`` need: themselves and the parents the file also defines."""
    result = set()
    for code in codes:
        node: str | None = code
        while node and node not in result and node in units:
            result.add(node)
            node = units[node].values.get("parent_code")
    return result


STAFF_FIELDS_BY_COLUMN = {
    "is_leader": "is_leader",
    "superior_code": "direct_superior",
    "phone": "phone",
    "email": "email",
    "equipment": "equipment",
    "training_completed_on": "training_completed_on",
}


def _row_report(row: StaffRow, snapshot: AgencySnapshot, present: set[str]) -> RowReport:
    report = RowReport(row.number, row.code, row.full_name, REFUSED, row.problems)
    if row.has_error:
        return report
    values: dict[str, Any] = {
        "full_name": row.full_name,
        "staff_type": row.staff_type,
        "unit": row.unit_code,
        "position": row.position_code,
    }
    optional = {
        "is_leader": row.is_leader,
        "direct_superior": row.superior_code or None,
        "phone": row.phone,
        "email": row.email,
        "equipment": row.equipment,
        "training_completed_on": row.training_completed_on,
    }
    values.update({STAFF_FIELDS_BY_COLUMN[key]: optional[STAFF_FIELDS_BY_COLUMN[key]] for key in STAFF_FIELDS_BY_COLUMN if key in present})
    report.values = values
    existing = snapshot.staff.get(row.code)
    if existing is None:
        report.action = CREATE
        return report
    before = {
        "full_name": existing.full_name,
        "staff_type": existing.staff_type,
        "unit": existing.unit_code,
        "position": existing.position_code,
        "is_leader": existing.is_leader,
        "direct_superior": existing.superior_code,
        "phone": existing.phone,
        "email": existing.email,
        "equipment": existing.equipment,
        "training_completed_on": existing.training_completed_on,
    }
    report.changes = {name: (before[name], value) for name, value in values.items() if before[name] != value}
    report.action = UPDATE if report.changes else UNCHANGED
    return report


def _unit_plan(code: str, unit: _Definition, snapshot: AgencySnapshot) -> EntityPlan:
    existing = snapshot.units.get(code)
    if existing is None:
        return EntityPlan(code, CREATE, {"name": unit.values["name"], "parent": unit.values.get("parent_code")})
    values = {"name": unit.values.get("name") or existing.name, "parent": unit.values.get("parent_code") or existing.parent_code}
    before = {"name": existing.name, "parent": existing.parent_code}
    changes = {name: (before[name], value) for name, value in values.items() if before[name] != value}
    return EntityPlan(code, UPDATE if changes else UNCHANGED, values, changes)


def _position_plan(code: str, position: _Definition, snapshot: AgencySnapshot) -> EntityPlan:
    existing = snapshot.positions.get(code)
    if existing is None:
        return EntityPlan(code, CREATE, {"name": position.values["name"], **{key: bool(position.values.get(key, False)) for key in FLAG_KEYS}})
    before = {"name": existing.name, **{key: getattr(existing, key) for key in FLAG_KEYS}}
    values = {"name": position.values.get("name") or existing.name, **{key: position.values.get(key, before[key]) for key in FLAG_KEYS}}
    changes = {name: (before[name], value) for name, value in values.items() if before[name] != value}
    return EntityPlan(code, UPDATE if changes else UNCHANGED, values, changes)
