"""Importing the one-stop system's daily export and the public-service portal's rating export into the register.

Both imports are re-runnable: the dossier code is the key, a row whose digest has not changed writes nothing, a
changed row updates its dossier, a new one creates it — so the same export imported twice duplicates nothing. A
file is checked whole before anything is written (``valid_only`` writes the rows that pass and reports the others);
the writes are bulk statements in one transaction with one audit row carrying the counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext, gettext_noop

from telework.accounts.models import User
from telework.assignments.models import WorkItem
from telework.core import calendar, clock
from telework.core.audit import audit_record
from telework.core.exceptions import ValidationFailed
from telework.dossiers import importing
from telework.dossiers.importing import DossierRow, RatingRow
from telework.dossiers.models import ApologyLetter, Dossier, DossierImport, DossierSource, ImportKind, Procedure, Rating, RatingSource
from telework.organization.importing.layout import CREATE, ERROR, REFUSED, UNCHANGED, UPDATE, WARNING, FoundColumn, Problem
from telework.organization.models import Agency, ServicePoint, Staff, Unit
from telework.rosters.models import EntryStatus, RosterEntry, RosterStatus

BATCH = 2_000
# Codes looked up per query: well under SQLite's and PostgreSQL's parameter limits.
LOOKUP_CHUNK = 10_000
# The columns the import writes, in the order of its value tuples.
DOSSIER_COLUMNS = (
    "code",
    "procedure",
    "agency",
    "unit",
    "service_point",
    "received_at",
    "legal_due_at",
    "due_at",
    "returned_at",
    "online_level",
    "channel",
    "status",
    "work_item",
    "source",
    "row_digest",
    "created_at",
    "updated_at",
)
T = TypeVar("T")
M = TypeVar("M", bound=models.Model)


@dataclass
class RowOutcome:
    """What the import did (or would do) with one row: ``action`` is create, update, unchanged or refused."""

    number: int
    code: str
    action: str
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    """The row report: the file's own problems (then no row is read), each row's outcome, and whether it was written."""

    kind: str
    valid_only: bool
    file_problems: list[Problem] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)
    applied: bool = False
    procedures_created: int = 0
    record: DossierImport | None = None
    # What the mapping step shows: each column of the header as found, and the columns not used.
    found: list[FoundColumn] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    header_row: int = 0
    needs_mapping: bool = False

    @property
    def is_readable(self) -> bool:
        return not self.file_problems

    @property
    def valid_rows(self) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action != REFUSED)

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.outcomes),
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "refused": self.count(REFUSED),
            "warnings": sum(1 for outcome in self.outcomes if any(problem.severity == WARNING for problem in outcome.problems)),
            "procedures_created": self.procedures_created,
        }

    @property
    def refused(self) -> list[RowOutcome]:
        return [outcome for outcome in self.outcomes if outcome.action == REFUSED]


def _chunks(items: Sequence[T], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _matching(queryset: models.QuerySet[M], field: str, values: Sequence[Any]) -> Iterator[models.QuerySet[M]]:
    """``queryset`` narrowed to the rows whose ``field`` is one of ``values``, as one or more querysets to read in
    turn. On PostgreSQL one query binds the values as a single array (``= ANY(%s)``): ``field__in`` renders and binds
    each of 100,000 codes, which cost more than running the query. Elsewhere ``field__in`` in chunks of
    ``LOOKUP_CHUNK``, under SQLite's parameter limit."""
    if not values:
        return
    if connection.vendor != "postgresql":
        for chunk in _chunks(values):
            yield queryset.filter(**{f"{field}__in": chunk})
        return
    quote = connection.ops.quote_name
    meta = queryset.model._meta
    column = f"{quote(meta.db_table)}.{quote(str(getattr(meta.get_field(field), 'column', None) or field))}"
    yield queryset.filter(RawSQL(f"{column} = ANY(%s)", (list(values),), output_field=models.BooleanField()))  # noqa: S611 - names from the model, values bound


def _row_problem(target: DossierRow | RatingRow, column: str, problem_code: str, message: str, severity: str = ERROR, /, **params: Any) -> None:
    target.problems.append(Problem(severity, problem_code, message, params, column, target.number))


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _check_digest(content: bytes, expected_sha256: str) -> None:
    """The file confirmed is the file checked: the import screen stages the upload between its steps and passes the
    fingerprint of what the user saw in the preview."""
    if expected_sha256 and hashlib.sha256(content).hexdigest() != expected_sha256:
        raise ValidationFailed(
            gettext("The file is not the one checked on the preview: upload it again and check it before importing."), rule="import_file_unchanged"
        )


def _read(file_name: str, content: bytes, *, kind: str, valid_only: bool, mapping: Mapping[str, str] | None) -> tuple[importing.RawTable, ImportReport]:
    layout, required = (
        (importing.DOSSIER_HEADERS, importing.DOSSIER_REQUIRED) if kind == ImportKind.DOSSIERS else (importing.RATING_HEADERS, importing.RATING_REQUIRED)
    )
    table = importing.read_table(file_name, content, layout=layout, required=required, mapping=mapping)
    report = ImportReport(
        kind=kind,
        valid_only=valid_only,
        file_problems=list(table.problems),
        found=table.found,
        ignored_headers=table.ignored_headers,
        header_row=table.header_row,
        needs_mapping=table.needs_mapping,
    )
    return table, report


# --- The one-stop export ------------------------------------------------------------------------------------------


@dataclass
class _Planned:
    row: DossierRow
    action: str
    dossier_id: int | None = None
    unit_id: int | None = None
    service_point_id: int | None = None
    handler_ids: tuple[int, ...] = ()
    legal_due_at: dt.datetime | None = None
    work_item_id: int | None = None


def dossiers_import(
    *,
    actor: User | None,
    agency: Agency,
    file_name: str,
    content: bytes,
    valid_only: bool = False,
    timings: dict[str, float] | None = None,
    mapping: Mapping[str, str] | None = None,
    preview: bool = False,
    expected_sha256: str = "",
) -> ImportReport:
    """Import the one-stop system's export of ``agency``'s dossiers (Decree 61/2018 Art. 18–19 data).

    Each row is checked on its own (``importing.parse_dossier_rows``), then against the register: the unit and desk
    (by code, or by name without diacritics) must be the agency's, the handlers' staff codes are looked up (unknown
    ones are left out with a warning), a procedure not yet in the register is created from the row (its handling
    time is then required), a code another agency's dossier holds is refused, a code twice in the file is refused
    the second time. With a refused row and not ``valid_only`` nothing is written. The legal due date is the file's,
    or the reception day plus the procedure's working days (``core.calendar``, Vietnamese holidays) at 17:00; an
    apology letter's new date becomes the due date. The dossier is linked to the work item with its code, to its
    handlers, and to who staffed its desk that day in the newest published roster.

    ``mapping`` (normalised header → column key) names the columns the file spells its own way; ``preview`` plans
    and reports without writing; ``expected_sha256`` refuses a file other than the one previewed.
    """
    _check_digest(content, expected_sha256)
    timings = {} if timings is None else timings
    started = time.perf_counter()
    table, report = _read(file_name, content, kind=ImportKind.DOSSIERS, valid_only=valid_only, mapping=mapping)
    if table.problems:
        return report
    rows = importing.parse_dossier_rows(table, now=clock.now(), zone=_zone())
    timings["read_seconds"] = timings.get("read_seconds", 0.0) + time.perf_counter() - started
    started = time.perf_counter()
    planned, new_procedures = _plan_dossiers(agency, rows, header=lambda key: table.header(key, importing.DOSSIER_HEADERS))
    report.outcomes = [RowOutcome(item.row.number, item.row.code, item.action, item.row.problems) for item in planned]
    timings["plan_seconds"] = timings.get("plan_seconds", 0.0) + time.perf_counter() - started
    if preview or (report.refused and not valid_only):
        return report
    started = time.perf_counter()
    with transaction.atomic():
        report.procedures_created = _create_procedures(new_procedures)
        _write_dossiers(agency, [item for item in planned if item.action in (CREATE, UPDATE)], timings)
        report.applied = True
        report.record = _record(actor=actor, agency=agency, kind=ImportKind.DOSSIERS, file_name=file_name, content=content, report=report)
    timings["write_seconds"] = timings.get("write_seconds", 0.0) + time.perf_counter() - started
    return report


def _plan_dossiers(agency: Agency, rows: list[DossierRow], *, header: Callable[[str], str]) -> tuple[list[_Planned], dict[str, DossierRow]]:
    units_by_code: dict[str, int] = {}
    units_by_name: dict[str, int] = {}
    for unit_id, code, name in Unit.objects.filter(agency=agency).values_list("id", "code", "name"):
        units_by_code[code] = unit_id
        units_by_name.setdefault(importing.normalize_cached(name), unit_id)
    points_by_code: dict[str, int] = {}
    points_by_name: dict[str, int] = {}
    for point_id, code, name in ServicePoint.objects.filter(unit__agency=agency).values_list("id", "code", "name"):
        points_by_code[code] = point_id
        points_by_name.setdefault(importing.normalize_cached(name), point_id)
    staff_by_code = dict(Staff.objects.filter(unit__agency=agency).values_list("code", "id"))
    procedure_codes = sorted({row.procedure_code for row in rows if row.procedure_code})
    procedure_days: dict[str, int] = {}
    for chunk in _chunks(procedure_codes):
        procedure_days.update(Procedure.objects.filter(code__in=chunk).values_list("code", "legal_working_days"))
    codes = sorted({row.code for row in rows if row.code})
    existing: dict[str, tuple[int, int, str, int | None]] = {}
    work_items: dict[str, int] = {}
    for dossiers in _matching(Dossier.objects.all(), "code", codes):
        for dossier_id, code, agency_id, digest, work_item_id in dossiers.values_list("id", "code", "agency_id", "row_digest", "work_item_id"):
            existing[code] = (dossier_id, agency_id, digest, work_item_id)
    for items in _matching(WorkItem.objects.all(), "dossier_code", codes):
        for code, item_id in items.order_by("-id").values_list("dossier_code", "id"):
            work_items[code] = item_id  # the oldest item wins: ordered newest first, so the last write is the oldest

    zone = _zone()
    due_by_day: dict[tuple[dt.date, int], dt.datetime] = {}

    def legal_due(received_day: dt.date, days: int) -> dt.datetime:
        """The end of the office day ``days`` working days after reception (Decree 61/2018 Art. 18), once per pair."""
        key = (received_day, days)
        if key not in due_by_day:
            due_by_day[key] = dt.datetime.combine(calendar.add_working_days(received_day, days), importing.END_OF_OFFICE_DAY, tzinfo=zone)
        return due_by_day[key]

    new_procedures: dict[str, DossierRow] = {}
    seen: dict[str, int] = {}
    planned = []
    for row in rows:
        item = _Planned(row=row, action=REFUSED)
        planned.append(item)
        if row.code:
            if row.code in seen:
                _row_problem(
                    row,
                    header("code"),
                    "duplicate_code",
                    gettext_noop("The dossier code “%(code)s” is already on row %(row)s."),
                    code=row.code,
                    row=seen[row.code],
                )
            else:
                seen[row.code] = row.number
        item.unit_id = units_by_code.get(row.unit) or units_by_name.get(importing.normalize_cached(row.unit)) if row.unit else None
        if row.unit and item.unit_id is None:
            _row_problem(row, header("unit"), "unknown_unit", gettext_noop("No unit “%(value)s” in this agency: write its code or its name."), value=row.unit)
        if row.desk:
            item.service_point_id = points_by_code.get(row.desk) or points_by_name.get(importing.normalize_cached(row.desk))
            if item.service_point_id is None:
                _row_problem(
                    row,
                    header("desk"),
                    "unknown_desk",
                    gettext_noop("No one-stop desk “%(value)s” in this agency: write its code or its name."),
                    value=row.desk,
                )
        unknown = [code for code in row.handler_codes if code not in staff_by_code]
        if unknown:
            _row_problem(
                row,
                header("handlers"),
                "unknown_handlers",
                gettext_noop("No staff member with the code %(codes)s in this agency: the dossier is kept without them."),
                WARNING,
                codes=", ".join(unknown),
            )
        item.handler_ids = tuple(staff_by_code[code] for code in row.handler_codes if code in staff_by_code)
        days = procedure_days.get(row.procedure_code)
        if days is None and row.procedure_code:
            known = new_procedures.get(row.procedure_code)
            if known is not None:
                days = known.legal_days
            elif row.legal_days is None:
                _row_problem(
                    row,
                    header("legal_days"),
                    "procedure_needs_days",
                    gettext_noop("The procedure “%(code)s” is not in the register yet: the row needs its handling time in working days."),
                    code=row.procedure_code,
                )
            elif not row.has_error:
                new_procedures[row.procedure_code] = row
                days = row.legal_days
        if row.legal_days is not None:
            days = row.legal_days
        if row.received_at is not None and days is not None:
            item.legal_due_at = row.due_at or legal_due(row.received_at.astimezone(zone).date(), days)
        elif row.due_at is not None:
            item.legal_due_at = row.due_at
        before = existing.get(row.code)
        if before is not None and before[1] != agency.pk:
            _row_problem(row, header("code"), "other_agency", gettext_noop("The dossier “%(code)s” is in another agency's register."), code=row.code)
        item.work_item_id = work_items.get(row.code)
        if row.has_error:
            continue
        if before is None:
            item.action = CREATE
        else:
            item.dossier_id = before[0]
            item.action = UNCHANGED if before[2] == row.digest and before[3] == item.work_item_id else UPDATE
    return planned, new_procedures


def _create_procedures(new_procedures: dict[str, DossierRow]) -> int:
    Procedure.objects.bulk_create(
        [Procedure(code=code, name=row.procedure_name or code, legal_working_days=row.legal_days or 1) for code, row in new_procedures.items()],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return len(new_procedures)


def _write_dossiers(agency: Agency, items: list[_Planned], timings: dict[str, float], *, source: str = DossierSource.IMPORT.value) -> None:
    if not items:
        return
    procedure_ids: dict[str, int] = {}
    codes = sorted({item.row.procedure_code for item in items})
    for chunk in _chunks(codes):
        procedure_ids.update(Procedure.objects.filter(code__in=chunk).values_list("code", "id"))
    now = clock.now()
    adapt = connection.ops.adapt_datetimefield_value
    values = []
    for item in items:
        row = item.row
        # A row without these is refused before any write.
        assert row.received_at is not None  # noqa: S101
        assert item.legal_due_at is not None  # noqa: S101
        assert item.unit_id is not None  # noqa: S101
        values.append(
            (
                row.code,
                procedure_ids[row.procedure_code],
                agency.pk,
                item.unit_id,
                item.service_point_id,
                adapt(row.received_at),
                adapt(item.legal_due_at),
                adapt(row.apology_due_at or item.legal_due_at),
                adapt(row.returned_at),
                row.online_level,
                row.channel,
                row.status,
                item.work_item_id,
                source,
                row.digest,
                adapt(now),
                adapt(now),
            )
        )
    # INSERT ... ON CONFLICT (code) DO UPDATE, many rows per statement, on both databases; the values are written
    # directly because building 100,000 model instances for ``bulk_create`` cost more than the statements themselves.
    started = time.perf_counter()
    _insert_rows(
        Dossier,
        DOSSIER_COLUMNS,
        values,
        conflict="code",
        update=[name for name in DOSSIER_COLUMNS if name not in ("code", "created_at")],
        all_new=all(item.dossier_id is None for item in items),
    )
    timings["upsert_seconds"] = timings.get("upsert_seconds", 0.0) + time.perf_counter() - started
    ids: dict[str, int] = {}
    for dossiers in _matching(Dossier.objects.all(), "code", [item.row.code for item in items]):
        ids.update(dossiers.values_list("code", "id"))
    updated_ids = [item.dossier_id for item in items if item.dossier_id is not None]
    handlers = Dossier.handlers.through
    desk_staff = Dossier.desk_staff.through
    for model in (handlers, desk_staff, ApologyLetter):
        for rows in _matching(model.objects.all(), "dossier", updated_ids):
            rows.delete()
    _insert_pairs(handlers, ((ids[item.row.code], staff_id) for item in items for staff_id in item.handler_ids))
    staffed = _desk_staff(items)
    zone = _zone()
    _insert_pairs(
        desk_staff,
        (
            (ids[item.row.code], staff_id)
            for item in items
            if item.service_point_id is not None and item.row.received_at is not None
            for staff_id in staffed.get((item.row.received_at.astimezone(zone).date(), item.service_point_id), ())
        ),
    )
    ApologyLetter.objects.bulk_create(
        (
            ApologyLetter(dossier_id=ids[item.row.code], issued_at=item.row.apology_at or item.legal_due_at, new_due_at=item.row.apology_due_at)
            for item in items
            if item.row.apology_due_at is not None and item.legal_due_at is not None
        ),
        batch_size=BATCH,
    )


def _insert_pairs(through: type[models.Model], pairs: Iterable[tuple[int, int]]) -> None:
    """(dossier, staff) rows of a many-to-many table: an export of 100,000 dossiers brings about 250,000 of them."""
    _insert_rows(through, ("dossier", "staff"), pairs)


def _insert_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[tuple[Any, ...]],
    *,
    conflict: str = "",
    update: Sequence[str] = (),
    all_new: bool = False,
) -> None:
    """Insert ``rows`` (values ready for the database, in the order of ``fields``) many per statement; with
    ``conflict``, a row whose ``conflict`` column is taken updates the ``update`` columns instead (PostgreSQL and
    SQLite ≥ 3.24 both read ``ON CONFLICT ... DO UPDATE``). Table and column names come from the model; every value
    is bound.

    ``all_new`` says the plan found none of the rows in the table (a first import): they are then inserted straight
    away — on PostgreSQL COPY into the table itself, without the staging table and the upsert, about half the
    time — in a savepoint; if a row was written meanwhile (another import of the same file), the savepoint is rolled
    back and the rows go through the upsert after all."""
    if conflict and all_new:
        rows = rows if isinstance(rows, Sequence) else list(rows)
        try:
            with transaction.atomic():
                _insert_rows(model, fields, rows)
        except IntegrityError:
            pass
        else:
            return
    quote = connection.ops.quote_name
    meta = model._meta

    def column(name: str) -> str:
        return quote(str(getattr(meta.get_field(name), "column", None) or name))

    columns = [column(name) for name in fields]
    if connection.vendor == "postgresql":
        _copy_rows(meta.db_table, columns, rows, conflict=column(conflict) if conflict else "", update=[column(name) for name in update])
        return
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    suffix = ""
    if conflict:
        suffix = f" ON CONFLICT ({column(conflict)}) DO UPDATE SET " + ", ".join(f"{column(name)} = EXCLUDED.{column(name)}" for name in update)
    per_statement = max(1, 30_000 // len(columns))  # under SQLite's 32,766 bound parameters
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) VALUES "  # noqa: S608 - names from the model, values bound
    with connection.cursor() as cursor:
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == per_statement:
                cursor.execute(head + ", ".join([one_row] * len(batch)) + suffix, [value for values in batch for value in values])
                batch = []
        if batch:
            cursor.execute(head + ", ".join([one_row] * len(batch)) + suffix, [value for values in batch for value in values])


def _copy_rows(table: str, columns: list[str], rows: Iterable[tuple[Any, ...]], *, conflict: str, update: list[str]) -> None:
    """PostgreSQL's fast path: COPY the rows in (psycopg streams them; an INSERT of thousands of bound values spends
    most of its time splitting the statement), through a staging table when a taken ``conflict`` column must update."""
    quote = connection.ops.quote_name
    names = ", ".join(columns)
    target = quote(table)
    staging = quote(f"{table}_import")
    with connection.cursor() as cursor, connection.wrap_database_errors:  # psycopg's errors as Django's, as for execute()
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper: COPY is not in the DB-API
        if conflict:
            cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {names} FROM {target} WITH NO DATA")  # noqa: S608 - names from the model
        with raw.copy(f"COPY {staging if conflict else target} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if conflict:
            assignments = ", ".join(f"{name} = EXCLUDED.{name}" for name in update)
            cursor.execute(f"INSERT INTO {target} ({names}) SELECT {names} FROM {staging} ON CONFLICT ({conflict}) DO UPDATE SET {assignments}")  # noqa: S608
            cursor.execute(f"DROP TABLE {staging}")


def _desk_staff(items: Iterable[_Planned]) -> dict[tuple[dt.date, int], list[int]]:
    """Who staffed each (day, desk) in the newest published roster version of their unit's week: one query for the
    whole file."""
    wanted = {(item.row.received_at.astimezone(_zone()).date(), item.service_point_id) for item in items if item.service_point_id and item.row.received_at}
    if not wanted:
        return {}
    entries = list(
        RosterEntry.objects.filter(
            roster__status=RosterStatus.PUBLISHED,
            status=EntryStatus.DESK,
            service_point_id__in={point for _, point in wanted},
            day__in={day for day, _ in wanted},
        ).values_list("roster__unit_id", "roster__week_start", "roster__version", "day", "service_point_id", "staff_id")
    )
    newest: dict[tuple[int, dt.date], int] = {}
    for unit_id, week_start, version, *_ in entries:
        newest[(unit_id, week_start)] = max(version, newest.get((unit_id, week_start), 0))
    staffed: dict[tuple[dt.date, int], list[int]] = defaultdict(list)
    for unit_id, week_start, version, day, point_id, staff_id in entries:
        if version == newest[(unit_id, week_start)] and (day, point_id) in wanted:
            staffed[(day, point_id)].append(staff_id)
    return staffed


# --- The portal's ratings -----------------------------------------------------------------------------------------


def ratings_import(
    *,
    actor: User | None,
    agency: Agency,
    file_name: str,
    content: bytes,
    valid_only: bool = False,
    mapping: Mapping[str, str] | None = None,
    preview: bool = False,
    expected_sha256: str = "",
) -> ImportReport:
    """Import the public-service portal's rating export for ``agency``'s dossiers (Decree 61/2018 Art. 31; Circular
    01/2018/TT-VPCP: the satisfaction level and nine indicators of 0–2 points).

    One rating per dossier: a dossier rated by QR code keeps that rating (the row is left unchanged with a warning),
    a portal rating is updated when the export changes it. A code not in the agency's register, or twice in the
    file, is refused. ``mapping``, ``preview`` and ``expected_sha256`` as for ``dossiers_import``.
    """
    _check_digest(content, expected_sha256)
    table, report = _read(file_name, content, kind=ImportKind.RATINGS, valid_only=valid_only, mapping=mapping)
    if table.problems:
        return report
    rows = importing.parse_rating_rows(table, now=clock.now(), zone=_zone())
    return _apply_ratings(
        actor=actor,
        agency=agency,
        rows=rows,
        report=report,
        file_name=file_name,
        content=content,
        header=lambda key: table.header(key, importing.RATING_HEADERS),
        preview=preview,
    )


# --- Audit ----------------------------------------------------------------------------------------------------------


def _record(*, actor: User | None, agency: Agency, kind: str, file_name: str, content: bytes, report: ImportReport, via: str = "import") -> DossierImport:
    sha256 = hashlib.sha256(content).hexdigest()
    counts = report.counts
    record = DossierImport.objects.create(
        agency=agency, kind=kind, file_name=file_name[:255], sha256=sha256, counts=counts, imported_by=actor, imported_at=clock.now()
    )
    audit_record(
        actor=actor,
        action=("dossier." if kind == ImportKind.DOSSIERS else "rating.") + via,
        target=record,
        after={"file": file_name, "sha256": sha256, "valid_only": report.valid_only, **counts},
        agency_id=agency.pk,
    )
    return record


# --- Rows from the push API -----------------------------------------------------------------------------------------


def _apply_ratings(
    *,
    actor: User | None,
    agency: Agency,
    rows: list[RatingRow],
    report: ImportReport,
    file_name: str,
    content: bytes,
    header: Callable[[str], str] = lambda key: importing.RATING_HEADERS[key][0],
    preview: bool = False,
    via: str = "import",
) -> ImportReport:
    """Plan and write rating rows already read (from the portal's export or the push API): the rules of
    ``ratings_import``; problems name the column ``header`` gives for a key, and ``preview`` plans without writing."""
    codes = sorted({row.code for row in rows if row.code})
    dossier_ids: dict[str, int] = {}
    for dossiers in _matching(Dossier.objects.filter(agency=agency), "code", codes):
        dossier_ids.update(dossiers.values_list("code", "id"))
    existing: dict[int, tuple[str, str, list[int | None], dt.datetime]] = {}
    for ratings in _matching(Rating.objects.all(), "dossier", list(dossier_ids.values())):
        for dossier_id, source, level, scores, submitted_at in ratings.values_list("dossier_id", "source", "level", "scores", "submitted_at"):
            existing[dossier_id] = (source, level, scores, submitted_at)
    seen: dict[str, int] = {}
    writes: list[tuple[Any, ...]] = []
    scores_field = Rating._meta.get_field("scores")
    adapt = connection.ops.adapt_datetimefield_value
    for row in rows:
        if row.code in seen:
            _row_problem(
                row, header("code"), "duplicate_code", gettext_noop("The dossier code “%(code)s” is already on row %(row)s."), code=row.code, row=seen[row.code]
            )
        elif row.code:
            seen[row.code] = row.number
        found_id = dossier_ids.get(row.code)
        if row.code and found_id is None:
            _row_problem(
                row,
                header("code"),
                "unknown_dossier",
                gettext_noop("No dossier “%(code)s” in this agency's register: import the one-stop export first."),
                code=row.code,
            )
        action = REFUSED
        if not row.has_error and found_id is not None and row.rated_at is not None:
            before = existing.get(found_id)
            if before is not None and before[0] == RatingSource.QR:
                _row_problem(row, header("code"), "rated_by_qr", gettext_noop("This dossier was already rated by QR code: that rating is kept."), WARNING)
                action = UNCHANGED
            elif before is not None and (before[1], list(before[2]), before[3]) == (row.level, row.scores, row.rated_at):
                action = UNCHANGED
            else:
                action = CREATE if before is None else UPDATE
                writes.append((found_id, RatingSource.PORTAL.value, row.level, scores_field.get_db_prep_save(row.scores, connection), adapt(row.rated_at), ""))
        report.outcomes.append(RowOutcome(row.number, row.code, action, row.problems))
    if preview or (report.refused and not report.valid_only):
        return report
    with transaction.atomic():
        # A QR rating given since the file was read is kept too: one rating per dossier, the first one stands.
        rated_by_qr: set[int] = set()
        for ratings in _matching(Rating.objects.filter(source=RatingSource.QR), "dossier", [write[0] for write in writes]):
            rated_by_qr.update(ratings.values_list("dossier_id", flat=True))
        _insert_rows(
            Rating,
            ("dossier", "source", "level", "scores", "submitted_at", "comment"),
            [write for write in writes if write[0] not in rated_by_qr],
            conflict="dossier",
            update=("source", "level", "scores", "submitted_at"),
            all_new=not any(write[0] in existing for write in writes),
        )
        report.applied = True
        report.record = _record(actor=actor, agency=agency, kind=ImportKind.RATINGS, file_name=file_name, content=content, report=report, via=via)
    return report


def dossiers_push(*, actor: User | None, agency: Agency, rows: list[DossierRow], label: str, content: bytes) -> ImportReport:
    """Write dossier rows the one-stop system pushed (``dossiers.api``), read already by ``importing.parse_dossier_rows``:
    the import's planning and writes, the source recorded as the push API. Refused rows are reported and the valid
    ones written (``valid_only``); pushes for one agency run one after another (its row is locked), so two
    overlapping pushes of the same dossier cannot both create it. One audit row (``dossier.push``) with the counts."""
    report = ImportReport(kind=ImportKind.DOSSIERS, valid_only=True)
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        planned, new_procedures = _plan_dossiers(agency, rows, header=lambda key: importing.DOSSIER_HEADERS[key][0])
        report.outcomes = [RowOutcome(item.row.number, item.row.code, item.action, item.row.problems) for item in planned]
        report.procedures_created = _create_procedures(new_procedures)
        _write_dossiers(agency, [item for item in planned if item.action in (CREATE, UPDATE)], {}, source=DossierSource.API.value)
        report.applied = True
        report.record = _record(actor=actor, agency=agency, kind=ImportKind.DOSSIERS, file_name=label, content=content, report=report, via="push")
    return report


def ratings_push(*, actor: User | None, agency: Agency, rows: list[RatingRow], label: str, content: bytes) -> ImportReport:
    """Write portal rating rows the one-stop system pushed, by the rules of ``ratings_import``; refused rows are
    reported and the valid ones written. One audit row (``rating.push``) with the counts."""
    report = ImportReport(kind=ImportKind.RATINGS, valid_only=True)
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        return _apply_ratings(actor=actor, agency=agency, rows=rows, report=report, file_name=label, content=content, via="push")
