"""The roster solver: one CP-SAT model per unit and horizon; a unit in, a roster and its certificate out.

MISSION item 4 and issue 3: each working day, who is on site and who at home, within the caps, with one-stop
desks and duty posts staffed and a leader present, rotating fairly. Pure Python (no ORM): the Django side
gathers a ``UnitInstance`` and stores the ``UnitResult``.

The model. One Boolean ``home[p, d]`` per *free* cell: an eligible person, present (not on leave), on a day they
registered for and had approved. Every other present cell is on site by construction: staying on site always
keeps "home only on approved days" and "ineligible staff on site" and never breaks another rule, so those two
rules are enforced by the domain and their slack is zero by construction (the checker still counts them).

Hard rules (unit-day home share and on-site share, weekly and monthly person caps and office minimums, every
service point staffed by qualified staff, a leader on site, fixed on-site days, the home-day guarantee) each get a
slack variable. Their weights are derived from the instance so that no soft gain can pay for a hard violation,
and no relaxation the head may grant (``RELAXABLE_RULES``) can pay for breaking city policy: the optimum therefore
*proves* that every violation it keeps is unavoidable, and names it.

Presence caps (distancing, issue 14: on-site share, headcount, office seats) form a tier of their own between the
head's rules and the rest of city policy: they give way to desks, duty posts, the leader rule and the on-site
minimum, by exactly what those need (``instance.minimum_on_site``; the structural bound counts it). When the unit
assigns home days, every present cell has a variable (``instance.may_be_home``), and the soft goals are the
rotation of presence against each person's fair share with history (``instance.presence_targets``), requests and
stability, in place of the home-day targets.

Soft goals, weighted (``Weights``): fairness against each person's target (worst shortfall relative to the target,
then total shortfall), no home days beyond the target unless asked, the rotation of Mondays and Fridays with
history, requests honoured, and stability against last week's pattern.

Determinism: the instance is sorted canonically, variables are created in that order, the search uses one worker
(``linearization_level=2``, no presolve) with a fixed seed and a *deterministic* time limit (``max_deterministic_time``, a count of work, not seconds), so
the same input gives the same roster byte for byte on any machine and under any load. A unit not proven optimal
in the first phase is retried on one thread with presolve (most such units, typically 4-week horizons, are proven
there in well under a second); one still unproven is a straggler: it is solved again with more workers,
``interleave_search`` (deterministic whatever the number of workers), again under a deterministic limit. Each
later phase starts from the best solution so far as a hint. A wall-clock
guard exists only against runaway solves; the certificate says if it ever fired (then determinism is not promised).
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import math
import multiprocessing
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from telework.rosters.engine.instance import (
    APPROVED_DAYS_ONLY,
    HARD_RULES,
    INELIGIBLE_ON_SITE,
    STATUS_DESK_PREFIX,
    STATUS_HOME,
    STATUS_LEAVE,
    STATUS_OFFICE,
    Roster,
    RosterRow,
    UnitInstance,
)
from telework.rosters.engine.model import EPSILON, BuiltModel, build_model
from telework.rosters.engine.results import Breach, Certificate, Phase, UnitResult

# The result types live in ``results``; they are part of the solver's interface, so they are exported here too.
__all__ = [
    "SOLVER_NAME",
    "SOLVER_VERSION",
    "Breach",
    "BuiltModel",
    "Certificate",
    "Phase",
    "SolveSettings",
    "UnitResult",
    "build_model",
    "solve_unit",
    "solve_units",
]

SOLVER_NAME = "ortools-cp-sat"
SOLVER_VERSION: str = importlib.metadata.version("ortools")  # the same string as ortools.__version__


@dataclass(frozen=True)
class SolveSettings:
    """How hard to search. Limits are deterministic (work units of CP-SAT), so they never change the result."""

    seed: int = 1
    linearization_level: int = 2
    # The first phase runs without presolve: on unit-sized models presolve costs more than the search itself
    # (measured on the benchmark city of 20,000 staff, one week: 3.4 s of CPU to build and solve every unit without
    # presolve, 7.5 s with it; all 1,004 units proven optimal either way). Stragglers get it back.
    first_presolve: bool = False
    first_deterministic_time: float = 0.5
    # A unit not proven in the first phase is first retried on one thread with presolve, then (if still unproven)
    # handed to the multi-worker straggler phase.
    retry_deterministic_time: float = 5.0
    straggler_workers: int = 4
    straggler_deterministic_time: float = 30.0
    # Against runaway solves only; if it fires, the certificate says so (the result may then vary by machine).
    wall_clock_guard_seconds: float = 120.0


def _parameters(settings: SolveSettings, *, phase: str) -> dict[str, Any]:
    parameters: dict[str, Any] = {
        "random_seed": settings.seed,
        "linearization_level": settings.linearization_level,
        "max_time_in_seconds": settings.wall_clock_guard_seconds,
    }
    if phase == "straggler":
        parameters.update(
            num_workers=settings.straggler_workers,
            interleave_search=True,
            max_deterministic_time=settings.straggler_deterministic_time,
        )
    elif phase == "retry":
        parameters.update(num_workers=1, max_deterministic_time=settings.retry_deterministic_time, cp_model_presolve=True)
    else:
        parameters.update(num_workers=1, max_deterministic_time=settings.first_deterministic_time, cp_model_presolve=settings.first_presolve)
    return parameters


def _run(model: cp_model.CpModel, name: str, parameters: dict[str, Any]) -> tuple[cp_model.CpSolver, Phase]:
    solver = cp_model.CpSolver()
    for key, value in parameters.items():
        setattr(solver.parameters, key, value)
    started = time.perf_counter()
    status = solver.solve(model)
    wall = time.perf_counter() - started
    has_solution = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    phase = Phase(
        name=name,
        parameters=dict(sorted(parameters.items())),
        status=solver.status_name(status),
        objective=round(solver.objective_value) if has_solution else None,
        best_bound=math.ceil(solver.best_objective_bound - EPSILON) if has_solution else None,
        wall_seconds=wall,
        stopped_by_wall_clock=status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE) and solver.wall_time >= parameters["max_time_in_seconds"] * 0.99,
    )
    return solver, phase


def solve_unit(instance: UnitInstance, settings: SolveSettings | None = None) -> UnitResult:
    """The optimal roster of one unit (or the best found, with CP-SAT's bound), with its certificate."""
    settings = settings or SolveSettings()
    wall_started, cpu_started = time.perf_counter(), time.process_time()
    instance = instance.canonical()
    instance.validate()
    built = build_model(instance)
    solver, first = _run(built.model, "first", _parameters(settings, phase="first"))
    phases = [first]
    best_solver = solver if first.objective is not None else None
    best_bound = first.best_bound
    # Not proven in the first phase: first one thread again with presolve (on the harder 4-week units it proves in
    # a fraction of a second what the multi-worker phase takes 5–51 CPU-seconds to), then, only if that fails too,
    # the stragglers' phase with more workers. Each starts from the best solution so far, so it can only improve.
    for name in ("retry", "straggler"):
        if best_solver is not None and best_bound is not None and best_bound >= round(best_solver.objective_value):
            break
        built.model.clear_hints()  # type: ignore[no-untyped-call]
        if best_solver is not None:
            for variable in _all_variables(built):
                built.model.add_hint(variable, best_solver.value(variable))
        again, phase = _run(built.model, name, _parameters(settings, phase=name))
        phases.append(phase)
        best_objective = round(best_solver.objective_value) if best_solver is not None else None
        if phase.objective is not None and (best_objective is None or phase.objective <= best_objective):
            best_solver = again
        if phase.best_bound is not None:
            best_bound = phase.best_bound if best_bound is None else max(best_bound, phase.best_bound)
    result = _read_result(instance, built, best_solver, best_bound, phases, settings)
    return _with_timings(result, time.perf_counter() - wall_started, time.process_time() - cpu_started)


def _all_variables(built: BuiltModel) -> list[Any]:
    proto = built.model.proto
    return [built.model.get_int_var_from_proto_index(index) for index in range(len(proto.variables))]


def _read_result(
    instance: UnitInstance, built: BuiltModel, solver: cp_model.CpSolver | None, best_bound: int | None, phases: list[Phase], settings: SolveSettings
) -> UnitResult:
    def value(variable: Any) -> int:
        if isinstance(variable, int):
            return variable
        if solver is None:
            return 0  # no solution: the fallback roster keeps everyone on site
        return int(solver.value(variable))

    home_cells = {cell for cell, variable in built.home.items() if value(variable) == 1}
    rows = _statuses(instance, built, home_cells, {key for key, variable in built.assign.items() if value(variable) == 1})
    hard_slack = dict.fromkeys(HARD_RULES, 0)
    breaches: list[Breach] = []
    for slack in built.slacks:
        amount = value(slack.variable)
        if amount > 0:
            hard_slack[slack.rule] += amount
            breaches.append(Breach(slack.rule, amount, slack.period, slack.person_id, slack.point_id, slack.label))
    hard_slack[APPROVED_DAYS_ONLY] = 0  # enforced by the domain: only approved, present cells have a home variable
    hard_slack[INELIGIBLE_ON_SITE] = 0
    # Without a solution the soft components would describe variables nobody set: the fallback reports none.
    soft = (
        {}
        if solver is None
        else {
            name: built.soft_constants[name] + sum(coefficient * value(variable) for variable, coefficient in entries)
            for name, entries in built.soft_terms.items()
        }
    )
    if solver is None:
        objective = None
        status = "UNKNOWN"
        gap = None
    else:
        objective = round(solver.objective_value)
        status = "OPTIMAL" if best_bound is not None and best_bound >= objective else "FEASIBLE"
        gap = 0.0 if status == "OPTIMAL" or best_bound is None else round((objective - best_bound) / max(1, abs(objective)), 6)
    certificate = Certificate(
        status=status,
        objective=objective,
        best_bound=best_bound,
        gap=gap,
        seed=settings.seed,
        solver=SOLVER_NAME,
        solver_version=SOLVER_VERSION,
        phases=tuple(phases),
        hard_slack=hard_slack,
        soft=soft,
        weights=built.weights,
        wall_seconds=0.0,
        cpu_seconds=0.0,
    )
    roster = Roster(unit_id=instance.unit_id, days=instance.days, rows=rows)
    return UnitResult(roster=roster, certificate=certificate, breaches=tuple(breaches))


def _statuses(instance: UnitInstance, built: BuiltModel, home_cells: set[tuple[int, int]], assigned: set[tuple[int, int, int]]) -> tuple[RosterRow, ...]:
    """Statuses per person and day; desk duty goes first to staff the model assigned (shared between points),
    then to the qualified staff on site, rotating the starting person day by day."""
    statuses = [
        [
            STATUS_LEAVE if day in person.leave_days else STATUS_HOME if (person_index, day_index) in home_cells else STATUS_OFFICE
            for day_index, day in enumerate(instance.days)
        ]
        for person_index, person in enumerate(instance.people)
    ]
    points = [point for point in instance.service_points if point.most_required > 0]
    for day_index, day in enumerate(instance.days):
        for point_index, point in enumerate(points):
            label = f"{STATUS_DESK_PREFIX}{point.id}"
            staffed = 0
            for person_index in range(len(instance.people)):
                if (person_index, point_index, day_index) in assigned and statuses[person_index][day_index] == STATUS_OFFICE:
                    statuses[person_index][day_index] = label
                    staffed += 1
            candidates = [
                person_index
                for person_index, person in enumerate(instance.people)
                if person.id in point.qualified_ids
                and statuses[person_index][day_index] == STATUS_OFFICE
                and not any((person_index, other, day_index) in built.assign for other in range(len(points)))
            ]
            if candidates:
                start = day_index % len(candidates)
                for person_index in candidates[start:] + candidates[:start]:
                    if staffed >= point.required_on(day):
                        break
                    statuses[person_index][day_index] = label
                    staffed += 1
    return tuple(RosterRow(person.id, tuple(row)) for person, row in zip(instance.people, statuses, strict=True))


def _with_timings(result: UnitResult, wall: float, cpu: float) -> UnitResult:
    return dataclasses.replace(result, certificate=dataclasses.replace(result.certificate, wall_seconds=wall, cpu_seconds=cpu))


# -- many units ------------------------------------------------------------------------------------------------
# Jobs of the pool being started. Forked workers inherit this list, so each task sends only an index instead of
# pickling a whole unit (for a city, pickling costs more than many units take to solve).
_FORKED_JOBS: list[UnitInstance] = []


def _solve_packed(job: tuple[UnitInstance, SolveSettings]) -> UnitResult:
    return solve_unit(job[0], job[1])


def _solve_forked(job: tuple[int, SolveSettings]) -> UnitResult:
    return solve_unit(_FORKED_JOBS[job[0]], job[1])


def solve_units(
    instances: Iterable[UnitInstance],
    *,
    workers: int = 1,
    settings: SolveSettings | None = None,
    chunksize: int | None = None,
    start_method: str = "fork",
    progress: Callable[[int, int], None] | None = None,
) -> list[UnitResult]:
    """Solve independent units in a process pool; results come back in canonical order (by unit id).

    The largest units are handed out first so that no big unit starts last and holds up the pool; chunks keep the
    per-task overhead low. Each unit's result depends only on its instance, so the number of workers never
    changes a roster. A caller that runs threads of its own (a threaded web server) should pass
    ``start_method="forkserver"``, or fan out one ``solve_unit`` per task (Celery) instead. ``progress(done,
    total)`` is called in the calling process as results arrive.
    """
    settings = settings or SolveSettings()
    ordered = sorted(instances, key=lambda instance: instance.unit_id)
    total = len(ordered)
    if workers <= 1 or total <= 1:
        sequential: list[UnitResult] = []
        for instance in ordered:
            sequential.append(solve_unit(instance, settings))
            if progress is not None:
                progress(len(sequential), total)
        return sequential
    schedule = sorted(range(len(ordered)), key=lambda index: (-len(ordered[index].people) * len(ordered[index].days), ordered[index].unit_id))
    size = chunksize or max(1, min(8, len(ordered) // (workers * 16)))
    # Forked workers (the default) inherit the imported solver: a fresh interpreter spends seconds importing ortools
    # (which pulls in pandas) before its first unit. Forking is safe from a single-threaded caller because CP-SAT
    # joins its threads before ``solve`` returns, so no solver thread is alive when the pool starts.
    context = multiprocessing.get_context(start_method)
    results: list[UnitResult | None] = [None] * len(ordered)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            if start_method == "fork":
                _FORKED_JOBS[:] = ordered
                outcomes = pool.map(_solve_forked, [(index, settings) for index in schedule], chunksize=size)
            else:
                outcomes = pool.map(_solve_packed, [(ordered[index], settings) for index in schedule], chunksize=size)
            for done, (index, result) in enumerate(zip(schedule, outcomes, strict=True), start=1):
                results[index] = result
                if progress is not None:
                    progress(done, total)
    finally:
        _FORKED_JOBS.clear()
    return [result for result in results if result is not None]
