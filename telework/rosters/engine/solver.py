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
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from telework.rosters.engine.instance import (
    APPROVED_DAYS_ONLY,
    FIXED_ON_SITE_DAYS,
    HARD_RULES,
    INELIGIBLE_ON_SITE,
    LEADER_ON_SITE,
    MAX_HOME_DAYS_PER_MONTH,
    MAX_HOME_DAYS_PER_WEEK,
    MAX_HOME_SHARE,
    MIN_HOME_DAYS_PER_WEEK,
    MIN_OFFICE_DAYS_PER_MONTH,
    MIN_OFFICE_DAYS_PER_WEEK,
    MIN_ONSITE_SHARE,
    POPULAR_WEEKDAYS,
    RELAXABLE_RULES,
    STATUS_DESK_PREFIX,
    STATUS_HOME,
    STATUS_LEAVE,
    STATUS_OFFICE,
    Roster,
    RosterRow,
    UnitInstance,
    group_days,
    guaranteed_home_days,
    home_day_targets,
    month_key,
    service_point_rule,
    week_key,
    weekly_home_cap,
)
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
# Relative shortfall is measured in sixtieths of a person's target (60 divides 1–6, 10, 12, 15, 20, 30).
SHORTFALL_SCALE = 60
# Floors for the derived hard weights (roster-anchors §1: a slack weight of 10^4 or more).
MIN_RELAXABLE_WEIGHT = 10**4
MIN_POLICY_WEIGHT = 10**6
_EPSILON = 1e-9


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


@dataclass
class _Slack:
    rule: str
    variable: Any  # a CP-SAT variable, or an int for a violation fixed by the facts
    upper: int
    period: str
    person_id: int | None = None
    point_id: int | None = None
    label: str = ""


@dataclass
class BuiltModel:
    """A built model and the handles needed to read a roster back (or, in assumption mode, the group literals)."""

    instance: UnitInstance
    model: cp_model.CpModel
    home: dict[tuple[int, int], Any] = field(default_factory=dict)
    assign: dict[tuple[int, int, int], Any] = field(default_factory=dict)
    slacks: list[_Slack] = field(default_factory=list)
    # Assumption mode: one literal per group of hard constraints, with the rule it belongs to.
    groups: dict[str, Any] = field(default_factory=dict)
    group_rules: dict[str, str] = field(default_factory=dict)
    soft_terms: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    soft_constants: dict[str, int] = field(default_factory=dict)
    soft_range: int = 0
    weights: dict[str, int] = field(default_factory=dict)


class _CpModel(cp_model.CpModel):
    """CP-SAT's model without the CamelCase aliases: ``CpModel.__init__`` wraps every method in a deprecated
    alias, about a millisecond per model, which is a tenth of a typical unit's whole solve. Only the snake_case
    API is used here."""

    def _add_pre_pep8_methods(self) -> None:
        return None


def _floor(value: float) -> int:
    return math.floor(value + _EPSILON)


def _ceil(value: float) -> int:
    return math.ceil(value - _EPSILON)


class _Builder:
    """Writes the hard rules once, for two uses: with weighted slacks (to solve) or with one assumption literal per
    group (to find a minimal set of rules that cannot hold together, for ``explain``)."""

    def __init__(self, instance: UnitInstance, *, with_assumptions: bool) -> None:
        self.instance = instance
        self.with_assumptions = with_assumptions
        self.built = BuiltModel(instance=instance, model=_CpModel())
        self.model = self.built.model
        self.day_index = {day: index for index, day in enumerate(instance.days)}

    # -- hard constraints ------------------------------------------------------------------------------------
    def _literal(self, group: str, rule: str) -> Any:
        literal = self.built.groups.get(group)
        if literal is None:
            literal = self.model.new_bool_var(group)
            self.built.groups[group] = literal
            self.built.group_rules[group] = rule
        return literal

    def at_most(self, rule: str, group: str, terms: list[Any], bound: int, slack: _Slack) -> None:
        """sum(terms) ≤ bound (all terms Booleans)."""
        if self.with_assumptions:
            self.model.add(cp_model.LinearExpr.sum(terms) <= bound).only_enforce_if(self._literal(group, rule))
            return
        variable = self.model.new_int_var(0, slack.upper, "")
        self.model.add(cp_model.LinearExpr.sum(terms) - variable <= bound)
        slack.variable = variable
        self.built.slacks.append(slack)

    def at_least(self, rule: str, group: str, expression: Any, bound: int, slack: _Slack) -> None:
        if self.with_assumptions:
            self.model.add(expression >= bound).only_enforce_if(self._literal(group, rule))
            return
        variable = self.model.new_int_var(0, slack.upper, "")
        self.model.add(expression + variable >= bound)
        slack.variable = variable
        self.built.slacks.append(slack)

    def build(self) -> BuiltModel:
        instance = self.instance
        for person_index, person in enumerate(instance.people):
            if not person.is_eligible:
                continue
            for day_index, day in enumerate(instance.days):
                if day in person.approved_home_days and day not in person.leave_days:
                    self.built.home[person_index, day_index] = self.model.new_bool_var("")
        self._unit_shares()
        self._leaders()
        self._service_points()
        self._person_rules()
        self._fixed_days()
        if not self.with_assumptions:
            self._objective()
        return self.built

    def _unit_shares(self) -> None:
        """Unit-day rules: at most ``max_home_share`` of the unit's headcount at home, and at least
        ``min_onsite_share`` of the staff present that day on site (both rounded against telework)."""
        instance, home = self.instance, self.built.home
        headcount = len(instance.people)
        home_limit = _floor(instance.policy.max_home_share * headcount)
        for day_index, day in enumerate(instance.days):
            present = [index for index, person in enumerate(instance.people) if day not in person.leave_days]
            terms = [home[index, day_index] for index in present if (index, day_index) in home]
            if len(terms) > home_limit:
                self.at_most(MAX_HOME_SHARE, "unit_home_share", terms, home_limit, _Slack(MAX_HOME_SHARE, 0, len(terms) - home_limit, day.isoformat()))
            onsite_limit = len(present) - _ceil(instance.policy.min_onsite_share * len(present))
            if len(terms) > onsite_limit:
                self.at_most(
                    MIN_ONSITE_SHARE, "unit_onsite_share", terms, onsite_limit, _Slack(MIN_ONSITE_SHARE, 0, len(terms) - onsite_limit, day.isoformat())
                )

    def _leaders(self) -> None:
        """A leader on site every working day, when the policy says so (``leader_on_site_each_day``)."""
        instance, home = self.instance, self.built.home
        if not instance.policy.leader_on_site_each_day:
            return
        leaders = [index for index, person in enumerate(instance.people) if person.is_leader]
        for day_index, day in enumerate(instance.days):
            present = [index for index in leaders if day not in instance.people[index].leave_days]
            if not present:
                if not self.with_assumptions:  # nobody can be there: unavoidable, a fact rather than a choice
                    self.built.slacks.append(_Slack(LEADER_ON_SITE, 1, 1, day.isoformat()))
                continue
            if any((index, day_index) not in home for index in present):
                continue  # a present leader who cannot be at home is on site anyway
            terms = [home[index, day_index] for index in present]
            self.at_most(LEADER_ON_SITE, "leader", terms, len(terms) - 1, _Slack(LEADER_ON_SITE, 0, 1, day.isoformat()))

    def _service_points(self) -> None:
        """Each one-stop desk and duty post staffed on site by the qualified staff it needs that day (``required_on``:
        the same every day, or set weekday by weekday). A person
        qualified for several points staffs at most one of them a day (``assign`` variables); a person qualified
        for one point counts for it whenever on site."""
        instance, home, model = self.instance, self.built.home, self.model
        points = [point for point in instance.service_points if point.most_required > 0]
        ids = [person.id for person in instance.people]
        qualified_count: dict[int, int] = {}
        for point in points:
            for person_id in point.qualified_ids:
                qualified_count[person_id] = qualified_count.get(person_id, 0) + 1
        shared = {ids.index(person_id) for person_id, count in qualified_count.items() if count > 1}
        for day_index, day in enumerate(instance.days):
            shared_terms: dict[int, list[Any]] = {}
            for point_index, point in enumerate(points):
                qualified = [index for index, person in enumerate(instance.people) if person.id in point.qualified_ids and day not in person.leave_days]
                required = point.required_on(day) if not self.with_assumptions else min(point.required_on(day), len(qualified))
                if required == 0:
                    continue
                constant = 0
                variable_terms: list[Any] = []
                for index in qualified:
                    if index in shared:
                        variable = model.new_bool_var("")
                        self.built.assign[index, point_index, day_index] = variable
                        shared_terms.setdefault(index, []).append(variable)
                        variable_terms.append(variable)
                    elif (index, day_index) in home:
                        variable_terms.append(~home[index, day_index])
                    else:
                        constant += 1
                if constant >= required and not any((index in shared) for index in qualified):
                    continue
                shared_here = [self.built.assign[index, point_index, day_index] for index in qualified if index in shared]
                if shared_here:
                    model.add(cp_model.LinearExpr.sum(shared_here) <= point.required_on(day))
                rule = service_point_rule(point.kind)
                expression = cp_model.LinearExpr.sum(variable_terms) + constant
                self.at_least(rule, f"point:{point.id}", expression, required, _Slack(rule, 0, required, day.isoformat(), point_id=point.id))
            for index, variables in shared_terms.items():
                if (index, day_index) in home:
                    model.add(cp_model.LinearExpr.sum(variables) + home[index, day_index] <= 1)
                else:
                    model.add(cp_model.LinearExpr.sum(variables) <= 1)

    def _person_rules(self) -> None:
        """Per person: weekly and monthly home-day caps and office-day minimums, and the home-day guarantee."""
        instance, home = self.instance, self.built.home
        policy = instance.policy
        weeks = group_days(instance.days, week_key)
        months = group_days(instance.days, month_key)
        after = dict(instance.month_days_after)
        guarantees = guaranteed_home_days(instance)
        for person_index, person in enumerate(instance.people):
            if not person.is_eligible:
                continue
            cap = weekly_home_cap(policy, person)
            group = f"person:{person.id}"
            for week, days in weeks.items():
                cells = [(self.day_index[day], day) for day in days]
                terms = [home[person_index, index] for index, _ in cells if (person_index, index) in home]
                if not terms:
                    continue
                present = sum(1 for day in days if day not in person.leave_days)
                if cap is not None:
                    if len(terms) > cap:
                        self.at_most(MAX_HOME_DAYS_PER_WEEK, group, terms, cap, _Slack(MAX_HOME_DAYS_PER_WEEK, 0, len(terms) - cap, week, person.id))
                if policy.min_office_days_per_week is not None:
                    office_limit = present - min(policy.min_office_days_per_week, present)
                    if len(terms) > office_limit:
                        self.at_most(
                            MIN_OFFICE_DAYS_PER_WEEK,
                            group,
                            terms,
                            office_limit,
                            _Slack(MIN_OFFICE_DAYS_PER_WEEK, 0, len(terms) - office_limit, week, person.id),
                        )
                guaranteed = guarantees.get((person.id, week), 0)
                if guaranteed > 0:
                    self.at_least(
                        MIN_HOME_DAYS_PER_WEEK,
                        f"guarantee:{person.id}",
                        cp_model.LinearExpr.sum(terms),
                        guaranteed,
                        _Slack(MIN_HOME_DAYS_PER_WEEK, 0, guaranteed, week, person.id),
                    )
            history = {item.month: item for item in person.month_history}
            for month, days in months.items():
                terms = [home[person_index, self.day_index[day]] for day in days if (person_index, self.day_index[day]) in home]
                if not terms:
                    continue
                before = history.get(month)
                home_before = before.home_days if before else 0
                office_before = before.office_days if before else 0
                if policy.max_home_days_per_month is not None:
                    room = max(0, policy.max_home_days_per_month - home_before)
                    if len(terms) > room:
                        self.at_most(MAX_HOME_DAYS_PER_MONTH, group, terms, room, _Slack(MAX_HOME_DAYS_PER_MONTH, 0, len(terms) - room, month, person.id))
                if policy.min_office_days_per_month is not None:
                    present = sum(1 for day in days if day not in person.leave_days)
                    later = after.get(month, 0)
                    # Only what this horizon must supply: days after it can still be office days, days before are done.
                    required_total = min(policy.min_office_days_per_month, office_before + home_before + present + later)
                    required_here = min(present, max(0, required_total - office_before - later))
                    office_limit = present - required_here
                    if len(terms) > office_limit:
                        self.at_most(
                            MIN_OFFICE_DAYS_PER_MONTH,
                            group,
                            terms,
                            office_limit,
                            _Slack(MIN_OFFICE_DAYS_PER_MONTH, 0, len(terms) - office_limit, month, person.id),
                        )

    def _fixed_days(self) -> None:
        """Meetings, trainings and team days: the people named are on site (the head may relax this)."""
        instance, home = self.instance, self.built.home
        for fixed_index, fixed in enumerate(instance.fixed_on_site):
            day_index = self.day_index.get(fixed.day)
            if day_index is None:
                continue
            for person_index, person in enumerate(instance.people):
                variable = home.get((person_index, day_index))
                if variable is None or not fixed.applies_to(person.id):
                    continue
                if self.with_assumptions:
                    self.model.add_implication(self._literal(f"fixed:{fixed_index}", FIXED_ON_SITE_DAYS), ~variable)
                else:
                    self.built.slacks.append(_Slack(FIXED_ON_SITE_DAYS, variable, 1, fixed.day.isoformat(), person.id, label=fixed.label))

    # -- objective -------------------------------------------------------------------------------------------
    def _objective(self) -> None:
        instance, home, model, built = self.instance, self.built.home, self.model, self.built
        weights = instance.weights
        terms: dict[str, list[tuple[Any, int]]] = {
            "worst_shortfall": [],
            "total_shortfall": [],
            "over_target": [],
            "popular_day_spread": [],
            "unmet_requests": [],
            "stability_changes": [],
        }
        constants = dict.fromkeys(terms, 0)
        soft_range = 0
        worst: Any = None
        popular_rows: list[tuple[int, list[Any]]] = []
        targets = home_day_targets(instance)
        for person_index, person in enumerate(instance.people):
            cells = [(index, day) for index, day in enumerate(instance.days) if day not in person.leave_days]
            free = [home[person_index, index] for index, _ in cells if (person_index, index) in home]
            for index, day in cells:
                variable = home.get((person_index, index))
                last_week = day.weekday() in person.last_week_home_weekdays
                if day in person.requested_home_days:
                    if variable is None:
                        constants["unmet_requests"] += 1
                    else:
                        constants["unmet_requests"] += 1
                        terms["unmet_requests"].append((variable, -1))
                elif day in person.requested_office_days and variable is not None:
                    terms["unmet_requests"].append((variable, 1))
                if variable is None:
                    constants["stability_changes"] += 1 if last_week else 0
                elif last_week:
                    constants["stability_changes"] += 1
                    terms["stability_changes"].append((variable, -1))
                else:
                    terms["stability_changes"].append((variable, 1))
            if not free:
                continue
            target = targets[person.id]
            # over_target = home − target + shortfall; shortfall ≥ target − home, shortfall ≥ 0.
            for variable in free:
                terms["over_target"].append((variable, 1))
            constants["over_target"] -= target
            if target > 0:
                shortfall = model.new_int_var(0, target, "")
                model.add(shortfall + cp_model.LinearExpr.sum(free) >= target)
                terms["total_shortfall"].append((shortfall, 1))
                terms["over_target"].append((shortfall, 1))
                coefficient = max(1, round(SHORTFALL_SCALE / target))
                if worst is None:
                    worst = model.new_int_var(0, SHORTFALL_SCALE, "")
                model.add(worst >= coefficient * shortfall)
                soft_range += (weights.total_shortfall + weights.over_target) * target
            soft_range += weights.over_target * len(free)
            popular = [home[person_index, index] for index, day in cells if (person_index, index) in home and day.weekday() in POPULAR_WEEKDAYS]
            if popular:
                popular_rows.append((person.recent_popular_home_days, popular))
        if worst is not None:
            terms["worst_shortfall"].append((worst, 1))
            soft_range += weights.worst_shortfall * SHORTFALL_SCALE
        if len(popular_rows) >= 2:
            low = min(history for history, _ in popular_rows)
            high = max(history + len(cells) for history, cells in popular_rows)
            most = model.new_int_var(low, high, "")
            least = model.new_int_var(low, high, "")
            for history, cells in popular_rows:
                total = cp_model.LinearExpr.sum(cells) + history
                model.add(most >= total)
                model.add(least <= total)
            terms["popular_day_spread"] += [(most, 1), (least, -1)]
            soft_range += weights.popular_day_spread * (high - low)
        soft_range += weights.unmet_request * len(terms["unmet_requests"]) + weights.stability * len(terms["stability_changes"])
        weight_of = {
            "worst_shortfall": weights.worst_shortfall,
            "total_shortfall": weights.total_shortfall,
            "over_target": weights.over_target,
            "popular_day_spread": weights.popular_day_spread,
            "unmet_requests": weights.unmet_request,
            "stability_changes": weights.stability,
        }
        relaxable_weight = max(MIN_RELAXABLE_WEIGHT, soft_range + 1)
        relaxable_range = sum(slack.upper for slack in built.slacks if slack.rule in RELAXABLE_RULES)
        policy_weight = max(MIN_POLICY_WEIGHT, relaxable_weight * relaxable_range + soft_range + 1)
        variables: list[Any] = []
        coefficients: list[int] = []
        offset = 0
        for name, entries in terms.items():
            for variable, coefficient in entries:
                variables.append(variable)
                coefficients.append(coefficient * weight_of[name])
            offset += constants[name] * weight_of[name]
        for slack in built.slacks:
            weight = relaxable_weight if slack.rule in RELAXABLE_RULES else policy_weight
            if isinstance(slack.variable, int):
                offset += weight * slack.variable
            else:
                variables.append(slack.variable)
                coefficients.append(weight)
        model.minimize(cp_model.LinearExpr.weighted_sum(variables, coefficients) + offset)
        built.soft_terms = terms
        built.soft_constants = constants
        built.soft_range = soft_range
        built.weights = {**weight_of, "relaxable_rule": relaxable_weight, "policy_rule": policy_weight}


def build_model(instance: UnitInstance, *, with_assumptions: bool = False) -> BuiltModel:
    """The CP-SAT model of a (canonical) instance: with weighted slacks, or with one assumption literal per group."""
    return _Builder(instance, with_assumptions=with_assumptions).build()


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
        best_bound=math.ceil(solver.best_objective_bound - _EPSILON) if has_solution else None,
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
