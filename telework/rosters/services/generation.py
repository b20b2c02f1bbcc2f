"""Generating rosters: solve a unit's week, judge the result with the independent checker, explain what could not
be met, and store it as a new draft version (one unit here; many at once in ``runs``)."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core.exceptions import InvalidTransition, NotPermitted, ValidationFailed
from telework.core.models import AuditEvent
from telework.organization.models import Agency, Unit
from telework.rosters import selectors
from telework.rosters.adapters import LoadedUnit, instance_digest, load_unit
from telework.rosters.engine import instance as engine
from telework.rosters.engine.checker import check
from telework.rosters.engine.explain import explain, unavoidable_violations
from telework.rosters.engine.solver import SolveSettings, UnitResult, solve_unit
from telework.rosters.models import EntryStatus, Roster, RosterEntry, RosterRun, RosterStatus
from telework.rosters.services.common import actor_user, week_days

EMPTY_EXPLANATION: dict[str, list[Any]] = {"unavoidable": [], "conflicts": [], "relaxed": []}


def default_workers() -> int:
    """Processes for a city-wide solve: every core (``ROSTER_SOLVE_WORKERS`` in the settings overrides it)."""
    configured = getattr(django_settings, "ROSTER_SOLVE_WORKERS", None)
    return int(configured) if configured else max(1, os.cpu_count() or 1)


def start_method() -> str:
    """How the process pool starts its workers."""
    # Forking a process that runs other threads (a threaded web server, a Celery thread pool) can copy a lock held by
    # another thread; a fork server starts clean workers instead (solver.solve_units says the same).
    return "fork" if threading.active_count() == 1 else "forkserver"


def _explanation(loaded: LoadedUnit, result: UnitResult, bound_total: int) -> dict[str, Any]:
    """Why the roster breaks rules, in Vietnamese and English; empty when it keeps every rule."""
    if not result.breaches and bound_total == 0 and result.certificate.is_proven_optimal:
        return {key: list(value) for key, value in EMPTY_EXPLANATION.items()}
    return explain(loaded.instance, result).as_dict()


def _certificate(loaded: LoadedUnit, result: UnitResult, timings: dict[str, float] | None = None) -> tuple[dict[str, Any], int]:
    """The solver's certificate, with the breaches, the independent checker's count and the structural bound."""
    data = result.certificate.as_dict()
    data["breaches"] = [breach.as_dict() for breach in result.breaches]
    report = check(loaded.instance, result.roster)
    data["checker"] = {
        "by_rule": {rule: count for rule, count in report.by_rule.items() if count},
        "total": report.total,
        "policy_total": report.policy_total,
        "relaxable_total": report.relaxable_total,
        "integrity_errors": list(report.integrity_errors),
    }
    bound = unavoidable_violations(loaded.instance)
    data["unavoidable"] = {rule: count for rule, count in bound.by_rule.items() if count}
    data["staff"] = loaded.staff_count
    if timings:
        data["timings"] = {name: round(value, 6) for name, value in timings.items()}
    return data, bound.total


ENTRY_COLUMNS = ("roster_id", "staff_id", "day", "status", "service_point_id", "is_manual")


def _entry_rows(roster: Roster, result: UnitResult) -> list[tuple[Any, ...]]:
    """The roster's cells as rows of ``ENTRY_COLUMNS``."""
    rows: list[tuple[Any, ...]] = []
    prefix = engine.STATUS_DESK_PREFIX
    for row in result.roster.rows:
        for day, status in zip(result.roster.days, row.statuses, strict=True):
            if status.startswith(prefix):
                rows.append((roster.pk, row.person_id, day, EntryStatus.DESK.value, int(status[len(prefix) :]), False))
            else:
                rows.append((roster.pk, row.person_id, day, status, None, False))
    return rows


def _insert_entries(rows: list[tuple[Any, ...]]) -> None:
    """Write roster cells in bulk. A city-wide week is about 100,000 cells: PostgreSQL takes them with COPY, other
    databases with one prepared INSERT run over every row (model instances and ``bulk_create`` cost several seconds
    more for the same rows)."""
    if not rows:
        return
    table = RosterEntry._meta.db_table
    columns = ", ".join(ENTRY_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(ENTRY_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608 - table and columns are ours
                [(roster_id, staff_id, day.isoformat(), status, point_id, manual) for roster_id, staff_id, day, status, point_id, manual in rows],
            )


def _roster_summary(roster: Roster) -> dict[str, Any]:
    certificate = roster.certificate or {}
    return {
        "version": roster.version,
        "status": roster.status,
        "week": roster.iso_week,
        "solver_status": certificate.get("status"),
        "objective": certificate.get("objective"),
        "hard_violations": (certificate.get("checker") or {}).get("policy_total"),
        "input_hash": roster.input_hash,
        "output_hash": roster.output_hash,
    }


@dataclass
class Solved:
    """One unit's solve, judged and explained, ready to be stored."""

    loaded: LoadedUnit
    result: UnitResult
    certificate: dict[str, Any]
    explanation: dict[str, Any]
    hard_violations: int = 0
    unavoidable: int = 0


def prepare(loaded: LoadedUnit, result: UnitResult, timings: dict[str, float] | None = None) -> Solved:
    """Judge a solve with the independent checker, bound what was unavoidable and explain the rest (no database)."""
    certificate, bound_total = _certificate(loaded, result, timings)
    return Solved(
        loaded=loaded,
        result=result,
        certificate=certificate,
        explanation=_explanation(loaded, result, bound_total),
        hard_violations=certificate["checker"]["policy_total"],
        unavoidable=bound_total,
    )


def store(solved: Sequence[Solved], *, week_start: dt.date, actor: User | None, reason: str, run: RosterRun | None) -> list[Roster]:
    """Save the rosters as new draft versions (previous versions stop being current), their entries and one audit row
    each. Call inside a transaction. Queries: a fixed handful, whatever the number of units."""
    if not solved:
        return []
    unit_ids = [item.loaded.unit.pk for item in solved]
    latest = dict(
        Roster.objects.filter(unit_id__in=unit_ids, week_start=week_start).values("unit_id").annotate(version=Max("version")).values_list("unit_id", "version")
    )
    Roster.objects.filter(unit_id__in=unit_ids, week_start=week_start, is_current=True).update(is_current=False)
    user = actor_user(actor)
    iso_week = selectors.iso_week_of(week_start)
    rosters = [
        Roster(
            unit=item.loaded.unit,
            week_start=week_start,
            iso_week=iso_week,
            version=(latest.get(item.loaded.unit.pk) or 0) + 1,
            status=RosterStatus.DRAFT,
            is_current=True,
            days=[day.isoformat() for day in item.loaded.instance.days],
            policy=item.loaded.policy,
            certificate=item.certificate,
            explanation=item.explanation,
            input_hash=instance_digest(item.loaded.instance),
            output_hash=item.result.digest(),
            reason=reason[:200],
            run=run,
            created_by=user,
        )
        for item in solved
    ]
    try:
        with transaction.atomic():
            Roster.objects.bulk_create(rosters)
    except IntegrityError as error:
        raise InvalidTransition(_("Another generation of the same rosters finished first; generate again."), rule="roster.version") from error
    if any(roster.pk is None for roster in rosters):  # backends without RETURNING: read the ids back
        ids = dict(Roster.objects.filter(unit_id__in=unit_ids, week_start=week_start, is_current=True).values_list("unit_id", "pk"))
        for roster in rosters:
            roster.pk = ids[roster.unit_id]
    _insert_entries([cell for roster, item in zip(rosters, solved, strict=True) for cell in _entry_rows(roster, item.result)])
    label = (user.get_full_name() or user.get_username()) if user is not None else "system"
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=user,
            actor_label=label,
            action="roster.generate",
            object_type=Roster._meta.label_lower,
            object_id=str(roster.pk),
            object_label=f"{roster.unit.name} {roster.iso_week} v{roster.version}"[:300],
            agency_id=roster.unit.agency_id,
            before=None,
            after=_roster_summary(roster),
            reason=reason,
        )
        for roster in rosters
    )
    return rosters


def roster_generate(*, unit: Unit, week_start: dt.date, actor: User | None, settings: SolveSettings | None = None, reason: str = "") -> Roster:
    """Solve ``unit``'s roster for the ISO week starting ``week_start`` and store it as draft version n+1.

    The previous version stops being current; a published one stays what staff see until the new draft is
    published. The roster carries its certificate (proof of optimality, or the best bound) and, when a rule could
    not be met, the explanation in words.
    """
    if actor is not None and not (selectors.can_manage_unit(actor, unit) or selectors.can_generate_city(actor)):
        raise NotPermitted(rule="roster.generate")
    week_days(week_start)
    loaded = load_unit(unit, week_start)
    if loaded is None:
        raise ValidationFailed(_("%(unit)s has no active staff; there is nobody to roster.") % {"unit": unit.name}, rule="unit")
    started = time.perf_counter()
    result = solve_unit(loaded.instance, settings)
    solved = prepare(loaded, result, {"solve": time.perf_counter() - started})
    with transaction.atomic():
        # Serialises generations of the same unit: the row lock makes the second wait, then take version n+2.
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        (roster,) = store([solved], week_start=week_start, actor=actor, reason=reason or _("Generated for the unit"), run=None)
    return roster


def summarise(
    certificates: Sequence[dict[str, Any]],
    *,
    week_start: dt.date,
    agency: Agency | None,
    units_skipped: int,
    workers: int,
    mode: str,
    seconds: dict[str, float],
) -> dict[str, Any]:
    """What a many-unit generation produced: units, staff, the share proven optimal, city-policy violations counted by
    the independent checker against the structural bound, relaxations, and the time of each phase."""
    units = len(certificates)
    optimal = sum(1 for certificate in certificates if certificate.get("status") == "OPTIMAL")
    return {
        "week": selectors.iso_week_of(week_start),
        "agency": agency.code if agency is not None else None,
        "units": units,
        "staff": sum(int(certificate.get("staff", 0)) for certificate in certificates),
        "units_skipped": units_skipped,
        "optimal_share": round(optimal / units, 5) if units else 1.0,
        "units_not_optimal": units - optimal,
        "hard_violations": sum(int((certificate.get("checker") or {}).get("policy_total", 0)) for certificate in certificates),
        "unavoidable": sum(sum((certificate.get("unavoidable") or {}).values()) for certificate in certificates),
        "relaxed": sum(int((certificate.get("checker") or {}).get("relaxable_total", 0)) for certificate in certificates),
        "units_with_violations": sum(1 for certificate in certificates if (certificate.get("checker") or {}).get("total", 0)),
        "workers": workers,
        "mode": mode,
        "seconds": {**{name: round(value, 3) for name, value in seconds.items()}, "total": round(sum(seconds.values()), 3)},
    }
