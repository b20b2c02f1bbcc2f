"""The rows together and against what the agency already holds: duplicates, codes of other agencies, the unit
tree, positions stated differently on two rows, direct superiors; then each row's action (create, update,
unchanged, refused) with the changes it makes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop

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
    normalize,
    row_numbers,
)
from telework.organization.importing.reading import StaffRow
from telework.organization.importing.superiors import Person, propose_superiors
from telework.organization.importing.titles import rank_of_title

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
    title: str = ""
    is_deputy: bool = False
    date_of_birth: dt.date | None = None
    sex: str = ""


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
    agency_code: str = ""
    # Unit codes starting with the agency's code anywhere in the city: a unit found by name gets a free one.
    taken_unit_codes: frozenset[str] = frozenset()


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
    # The direct superior was proposed from the title and the unit (the row names none).
    superior_proposed: bool = False
    # Codes shown with the person's name: {"MS0001": "Nguyễn Văn An (MS0001)"}.
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.problems if not problem.is_error]

    @property
    def change_list(self) -> list[tuple[str, tuple[str, str]]]:
        """The changes as the user reads them: (field, (before, after))."""
        return [
            (field_label(name), (display_value(self.labels.get(before, before)), display_value(self.labels.get(after, after))))
            for name, (before, after) in self.changes.items()
        ]

    @property
    def superior_label(self) -> str:
        code = self.values.get("direct_superior")
        return self.labels.get(code, code) if code else ""


@dataclass
class EntityPlan:
    """A unit or a position the import creates, updates or leaves as it is."""

    code: str
    action: str
    values: dict[str, Any]
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    # The file writes the name differently from the record; the record's name is kept.
    name_in_file: str = ""
    # Found (or to be created) by its name, the file having no code for it.
    by_name: bool = False

    @property
    def needs_confirmation(self) -> bool:
        return self.action in (CREATE, UPDATE) or bool(self.name_in_file)

    @property
    def change_list(self) -> list[tuple[str, tuple[str, str]]]:
        return [(field_label(name), (display_value(before), display_value(after))) for name, (before, after) in self.changes.items()]


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
    notices: list[Problem] = field(default_factory=list)  # file-level warnings: columns set aside
    footer_row: int | None = None
    section_rows: list[int] = field(default_factory=list)  # headings between groups, not people
    found: list[Any] = field(default_factory=list)  # the header's columns as found (layout.FoundColumn)

    @property
    def structure_changes(self) -> list[tuple[str, EntityPlan]]:
        """The units and positions the import creates or changes, and those the file names differently: ("unit" or
        "position", plan). Nothing of these is applied without an explicit confirmation."""
        return [("unit", plan) for plan in self.units if plan.needs_confirmation] + [("position", plan) for plan in self.positions if plan.needs_confirmation]

    @property
    def codes_given(self) -> bool:
        """Some new unit or position has no code in the file: the import gives it one."""
        return any(plan.by_name and plan.action == CREATE for plan in (*self.units, *self.positions))

    @property
    def needs_mapping(self) -> bool:
        """Some header is not recognised, or a required column was not found: the user maps the columns first."""
        return any(column.key is None for column in self.found) or any(problem.code in ("missing_column", "duplicate_column") for problem in self.file_problems)

    @property
    def proposed_superiors(self) -> int:
        return sum(1 for row in self.rows if row.superior_proposed and row.action != REFUSED)

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
    _resolve_by_name(rows, snapshot, header)
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
    bad_positions = _check_positions(positions, rows, snapshot, header, present)
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

    _propose_superiors(rows, units, snapshot, present)
    reports = [_row_report(row, snapshot, present) for row in rows]
    labels = _staff_labels(rows, snapshot)
    for report in reports:
        report.labels = {
            code: labels[code] for code in (report.values.get("direct_superior"), report.changes.get("direct_superior", (None,))[0]) if code in labels
        }
    used_units = _with_ancestors({row.unit_code for row in rows if not row.has_error}, units)
    used_positions = {row.position_code for row in rows if not row.has_error}
    named_units = {row.unit_code for row in rows if row.unit_by_name}
    named_positions = {row.position_code for row in rows if row.position_by_name}
    return ImportReport(
        file_name=table.file_name,
        header_row=table.header_row,
        file_problems=list(table.problems),
        ignored_headers=list(table.ignored_headers),
        rows=reports,
        units=[_unit_plan(code, units[code], snapshot, by_name=code in named_units) for code in sorted(used_units) if code in units],
        positions=[_position_plan(code, positions[code], snapshot, by_name=code in named_positions) for code in sorted(used_positions) if code in positions],
        columns=[column.key for column in COLUMNS if column.key in present],
        notices=list(table.notices),
        footer_row=table.footer_row,
        section_rows=list(table.section_rows),
        found=list(table.found),
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


def _check_positions(positions: dict[str, _Definition], rows: list[StaffRow], snapshot: AgencySnapshot, header: Any, present: set[str]) -> dict[str, int]:
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
        elif any(key in present for key in FLAG_KEYS) and not any(key in position.values for key in FLAG_KEYS):
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
    "title": "title",
    "date_of_birth": "date_of_birth",
    "sex": "sex",
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
        "title": row.title,
        "date_of_birth": row.date_of_birth,
        "sex": row.sex,
        "is_leader": row.is_leader,
        "direct_superior": row.superior_code or None,
        "phone": row.phone,
        "email": row.email,
        "equipment": row.equipment,
        "training_completed_on": row.training_completed_on,
    }
    values.update({STAFF_FIELDS_BY_COLUMN[key]: optional[STAFF_FIELDS_BY_COLUMN[key]] for key in STAFF_FIELDS_BY_COLUMN if key in present})
    # "Chức vụ" states leader and deputy; a blank title leaves them as they are.
    if row.is_leader is not None:
        values["is_leader"] = row.is_leader
    if row.is_deputy is not None:
        values["is_deputy"] = row.is_deputy
    if row.superior_proposed:
        values["direct_superior"] = row.superior_code or None
        report.superior_proposed = True
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
        "title": existing.title,
        "is_deputy": existing.is_deputy,
        "date_of_birth": existing.date_of_birth,
        "sex": existing.sex,
    }
    report.changes = {name: (before[name], value) for name, value in values.items() if before[name] != value}
    report.action = UPDATE if report.changes else UNCHANGED
    return report


def _differs(name_in_file: Any, name: str) -> str:
    """The file's name when it is another name than the record's (not merely another case or spacing)."""
    return name_in_file if name_in_file and normalize(name_in_file) != normalize(name) else ""


def _unit_plan(code: str, unit: _Definition, snapshot: AgencySnapshot, *, by_name: bool = False) -> EntityPlan:
    existing = snapshot.units.get(code)
    if existing is None:
        return EntityPlan(code, CREATE, {"name": unit.values["name"], "parent": unit.values.get("parent_code")}, by_name=by_name)
    # A row never renames a unit: the name on record is kept, a different one in the file is listed.
    values = {"name": existing.name, "parent": unit.values.get("parent_code") or existing.parent_code}
    before = {"name": existing.name, "parent": existing.parent_code}
    changes = {name: (before[name], value) for name, value in values.items() if before[name] != value}
    return EntityPlan(code, UPDATE if changes else UNCHANGED, values, changes, _differs(unit.values.get("name"), existing.name), by_name)


def _position_plan(code: str, position: _Definition, snapshot: AgencySnapshot, *, by_name: bool = False) -> EntityPlan:
    existing = snapshot.positions.get(code)
    if existing is None:
        return EntityPlan(code, CREATE, {"name": position.values["name"], **{key: bool(position.values.get(key, False)) for key in FLAG_KEYS}}, by_name=by_name)
    before = {"name": existing.name, **{key: getattr(existing, key) for key in FLAG_KEYS}}
    # A row never renames a position (other agencies' staff and the eligibility rules read it by name on screen).
    values = {"name": existing.name, **{key: position.values.get(key, before[key]) for key in FLAG_KEYS}}
    changes = {name: (before[name], value) for name, value in values.items() if before[name] != value}
    return EntityPlan(code, UPDATE if changes else UNCHANGED, values, changes, _differs(position.values.get("name"), existing.name), by_name)


# --- Units and positions by name, superiors by rank -----------------------------------------------------------


def _free_codes(prefix: str, taken: set[str]) -> Iterator[str]:
    number = 1
    while True:
        code = f"{prefix}{number:02d}"
        if code not in taken:
            taken.add(code)
            yield code
        number += 1


def _resolve_by_name(rows: list[StaffRow], snapshot: AgencySnapshot, header: Any) -> None:
    """Give a code to each row's unit and position named without one: the agency's unit (position) of the same
    name, compared without case, diacritics or extra spaces; or, for a name the agency does not have, a new code
    (agency code + "-DV" + number for a unit, unique in the city; "VT" + number for a position), the same for every
    row that names it. A name two records share is refused: the file must give the code."""
    units_by_name: dict[str, list[str]] = {}
    for code, unit in sorted(snapshot.units.items()):
        units_by_name.setdefault(normalize(unit.name), []).append(code)
    positions_by_name: dict[str, list[str]] = {}
    for code, position in sorted(snapshot.positions.items()):
        positions_by_name.setdefault(normalize(position.name), []).append(code)
    prefix = (snapshot.agency_code or "DV")[:24]
    new_units = _free_codes(f"{prefix}-DV", set(snapshot.units) | set(snapshot.taken_unit_codes))
    new_positions = _free_codes("VT", set(snapshot.positions))
    unit_codes: dict[str, str] = {}
    position_codes: dict[str, str] = {}
    for row in rows:
        if not row.unit_code and row.unit_name:
            key = normalize(row.unit_name)
            found = units_by_name.get(key, [])
            if len(found) > 1:
                row.problems.append(
                    Problem(
                        ERROR,
                        "unit_name_ambiguous",
                        gettext_noop("The agency has several units named “%(name)s” (%(codes)s): give the unit's code in “%(column)s”."),
                        {"name": row.unit_name, "codes": ", ".join(found), "column": header("unit_code")},
                        header("unit_name"),
                        row.number,
                    )
                )
            else:
                if key not in unit_codes:
                    unit_codes[key] = found[0] if found else next(new_units)
                row.unit_code = unit_codes[key]
                row.unit_by_name = True
        if not row.position_code and row.position_name:
            key = normalize(row.position_name)
            found = positions_by_name.get(key, [])
            if len(found) > 1:
                row.problems.append(
                    Problem(
                        ERROR,
                        "position_name_ambiguous",
                        gettext_noop("The agency has several positions named “%(name)s” (%(codes)s): give the position's code in “%(column)s”."),
                        {"name": row.position_name, "codes": ", ".join(found), "column": header("position_code")},
                        header("position_name"),
                        row.number,
                    )
                )
            else:
                if key not in position_codes:
                    position_codes[key] = found[0] if found else next(new_positions)
                row.position_code = position_codes[key]
                row.position_by_name = True
        if row.unit_by_name and row.unit_code in snapshot.units:
            # Matched by name: the record's spelling is the name (a differing spelling is not a rename).
            row.unit_name = snapshot.units[row.unit_code].name
        if row.position_by_name and row.position_code in snapshot.positions:
            row.position_name = snapshot.positions[row.position_code].name


def _propose_superiors(rows: list[StaffRow], units: dict[str, _Definition], snapshot: AgencySnapshot, present: set[str]) -> None:
    """Propose a direct superior (``superiors.propose_superiors``) for each valid row that names none and whose
    person has none on record (one on record is kept); the people of the file and the agency's other staff are
    the candidates."""
    valid = [row for row in rows if not row.has_error]
    in_file = {row.code for row in valid}
    people = []
    for row in valid:
        existing = snapshot.staff.get(row.code)
        rank = rank_of_title(row.title if row.title is not None else (existing.title if existing else ""))
        is_leader = row.is_leader if row.is_leader is not None else bool(existing and existing.is_leader)
        is_deputy = row.is_deputy if row.is_deputy is not None else bool(existing and existing.is_deputy)
        people.append(Person(row.code, row.unit_code, is_leader, is_deputy, bool(rank and rank.heads_agency)))
    for code, staff in sorted(snapshot.staff.items()):
        if code not in in_file:
            rank = rank_of_title(staff.title)
            people.append(Person(code, staff.unit_code, staff.is_leader, staff.is_deputy, bool(rank and rank.heads_agency)))
    parents: dict[str, str | None] = {code: unit.parent_code for code, unit in snapshot.units.items()}
    parents.update({code: unit.values["parent_code"] for code, unit in units.items() if unit.values.get("parent_code")})
    proposals = propose_superiors(people, parents)
    for row in valid:
        if row.superior_code:
            continue
        existing = snapshot.staff.get(row.code)
        if existing is not None and existing.superior_code:
            # A blank cell is no opinion: the superior on record stays (HR changes it on the person's page).
            row.superior_code = existing.superior_code
            continue
        proposed = proposals.get(row.code)
        if proposed:
            row.superior_code = proposed
            row.superior_proposed = True
    # A proposal never closes a loop with the superiors on record (a head on record under one of their own staff).
    superiors: dict[str, str | None] = {code: staff.superior_code for code, staff in snapshot.staff.items()}
    superiors.update({row.code: row.superior_code for row in valid if row.superior_code})
    looping = _codes_in_loops(superiors, [row.code for row in valid if row.superior_proposed])
    for row in valid:
        if row.code in looping:
            row.superior_code = ""
            row.superior_proposed = False


def _staff_labels(rows: list[StaffRow], snapshot: AgencySnapshot) -> dict[str, str]:
    names = {code: staff.full_name for code, staff in snapshot.staff.items()}
    names.update({row.code: row.full_name for row in rows if row.code and row.full_name})
    return {code: f"{name} ({code})" for code, name in names.items()}


def structure_change_text(kind: str, plan: EntityPlan) -> str:
    """One change to the agency's structure as the user reads it, in the active language."""
    params = {"name": plan.values.get("name", ""), "code": plan.code, "file_name": plan.name_in_file}
    if plan.action == CREATE:
        text = gettext("New unit “%(name)s” (code %(code)s).") if kind == "unit" else gettext("New position “%(name)s” (code %(code)s).")
        return text % params
    parts = []
    if plan.action == UPDATE:
        changes = "; ".join(f"{name}: {before} → {after}" for name, (before, after) in plan.change_list)
        parts.append(
            (gettext("Unit “%(name)s” (%(code)s) changes: ") if kind == "unit" else gettext("Position “%(name)s” (%(code)s) changes: ")) % params
            + changes
            + "."
        )
    if plan.name_in_file:
        message = (
            gettext("The file calls unit %(code)s “%(file_name)s”; it stays “%(name)s” (rename it on the units screen if needed).")
            if kind == "unit"
            else gettext("The file calls position %(code)s “%(file_name)s”; it stays “%(name)s” (rename it on the positions screen if needed).")
        )
        parts.append(message % params)
    return " ".join(parts)
