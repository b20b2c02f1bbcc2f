"""What the solver hands back for a unit: the roster, its certificate, and the hard rules it breaks.

Plain frozen dataclasses, so a result can cross a process boundary, be stored as JSON (``as_dict``) and be
compared byte for byte (``canonical_json`` leaves out timings, which differ from run to run).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telework.rosters.engine.instance import RELAXABLE_RULES, Roster, canonical_json, digest


@dataclass(frozen=True)
class Breach:
    """A hard rule broken in the roster: which rule, where, by how much, and whether the head may relax it."""

    rule: str
    amount: int
    period: str  # an ISO date, an ISO week ("2026-W49") or a month ("2026-12")
    person_id: int | None = None
    point_id: int | None = None
    label: str = ""

    @property
    def is_relaxable(self) -> bool:
        return self.rule in RELAXABLE_RULES

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "amount": self.amount,
            "period": self.period,
            "person_id": self.person_id,
            "point_id": self.point_id,
            "label": self.label,
            "relaxable": self.is_relaxable,
        }


@dataclass(frozen=True)
class Phase:
    """One CP-SAT run: its parameters and what it proved."""

    name: str
    parameters: dict[str, Any]
    status: str
    objective: int | None
    best_bound: int | None
    wall_seconds: float
    stopped_by_wall_clock: bool

    def as_dict(self, *, timings: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "parameters": self.parameters,
            "status": self.status,
            "objective": self.objective,
            "best_bound": self.best_bound,
            "stopped_by_wall_clock": self.stopped_by_wall_clock,
        }
        if timings:
            data["wall_seconds"] = round(self.wall_seconds, 6)
        return data


@dataclass(frozen=True)
class Certificate:
    """What the roster proves: status, objective and CP-SAT's bound, the gap, how it was searched, and the hard
    rules it breaks (all of them unavoidable when the status is OPTIMAL)."""

    status: str  # OPTIMAL (proven), FEASIBLE (best found, bound given) or UNKNOWN (no solution: everyone on site)
    objective: int | None
    best_bound: int | None
    gap: float | None
    seed: int
    solver: str
    solver_version: str
    phases: tuple[Phase, ...]
    hard_slack: dict[str, int]
    soft: dict[str, int]
    weights: dict[str, int]
    wall_seconds: float
    cpu_seconds: float

    @property
    def is_proven_optimal(self) -> bool:
        return self.status == "OPTIMAL"

    def as_dict(self, *, timings: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "status": self.status,
            "objective": self.objective,
            "best_bound": self.best_bound,
            "gap": self.gap,
            "seed": self.seed,
            "solver": self.solver,
            "solver_version": self.solver_version,
            "phases": [phase.as_dict(timings=timings) for phase in self.phases],
            "hard_slack": self.hard_slack,
            "soft": self.soft,
            "weights": self.weights,
        }
        if timings:
            data["wall_seconds"] = round(self.wall_seconds, 6)
            data["cpu_seconds"] = round(self.cpu_seconds, 6)
        return data


@dataclass(frozen=True)
class UnitResult:
    roster: Roster
    certificate: Certificate
    breaches: tuple[Breach, ...] = ()

    @property
    def relaxations(self) -> tuple[Breach, ...]:
        """The rules the head may relax that this roster relaxes (the closest roster to the rules, flagged)."""
        return tuple(breach for breach in self.breaches if breach.is_relaxable)

    @property
    def hard_violations(self) -> int:
        return sum(self.certificate.hard_slack.values())

    def as_dict(self, *, timings: bool = True) -> dict[str, Any]:
        return {
            "roster": self.roster.as_dict(),
            "certificate": self.certificate.as_dict(timings=timings),
            "breaches": [breach.as_dict() for breach in self.breaches],
        }

    def canonical_json(self) -> str:
        """The roster, its certificate and breaches without timings: identical bytes for identical input."""
        return canonical_json(self.as_dict(timings=False))

    def digest(self) -> str:
        return digest(self.canonical_json())
