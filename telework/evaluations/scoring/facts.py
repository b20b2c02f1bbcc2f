"""What the rules read about one person: measured work, the head's scores and judgements, conduct, presence."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from telework.evaluations.scoring.vocabulary import Level, Regime, regime_for


@dataclass(frozen=True)
class WorkResult:
    """One work item assigned in the period, measured. ``points``: its converted units (product-conversion catalogue
    per position, Decree 335 Art. 14); ``excused_*``: errors and delays due to objective causes confirmed by the
    competent authority, which are not deducted."""

    points: float
    is_done: bool
    major_errors: int = 0
    delays: int = 0
    excused_errors: int = 0
    excused_delays: int = 0
    exceeded_target: bool = False

    @property
    def counted_errors(self) -> int:
        return max(0, self.major_errors - self.excused_errors)

    @property
    def counted_delays(self) -> int:
        return max(0, self.delays - self.excused_delays)

    @property
    def is_short(self) -> bool:
        """Not done, or done with a counted delay or major error: "chưa bảo đảm tiến độ hoặc chất lượng"."""
        return not self.is_done or self.counted_errors > 0 or self.counted_delays > 0


@dataclass(frozen=True)
class GeneralScores:
    """The head's scores of the general criteria (Decree 335: 30 points; Decree 90/2020 Art. 3)."""

    ethics: float
    discipline: float
    service_attitude: float
    innovation: float

    def as_dict(self) -> dict[str, float]:
        return {"ethics": self.ethics, "discipline": self.discipline, "service_attitude": self.service_attitude, "innovation": self.innovation}


@dataclass(frozen=True)
class Conduct:
    """Facts that force "not completed" whatever the results."""

    is_disciplined_in_year: bool = False  # khiển trách or heavier, Party or administrative
    is_degraded: bool = False  # suy thoái về tư tưởng chính trị, đạo đức, lối sống; breach of Party rules
    managed_unit_sanctioned: bool = False  # leaders: a managed unit handled for corruption or waste


@dataclass(frozen=True)
class Presence:
    """Time worked in the year, for annual classification."""

    months_worked: float = 12.0
    months_absent: float = 0.0
    is_maternity_leave: bool = False


@dataclass(frozen=True)
class UnitResults:
    """For leaders: the led unit's tasks and the levels proposed for the staff it manages."""

    targets: int
    targets_met: int
    targets_exceeded: int
    targets_on_time: int
    managed_levels: tuple[Level, ...] = ()


@dataclass(frozen=True)
class LeaderFactors:
    """A leader's two factors judged by whoever evaluates them (Decree 335/2025/NĐ-CP Art. 15 cl. 3): organising
    ability (đ) and the unity of the staff (e), each at 100 % or 50 %. ``None``: not judged yet."""

    is_organising_full: bool | None = None
    is_unity_full: bool | None = None


@dataclass(frozen=True)
class CitizenRatings:
    """What citizens' per-dossier evaluations say of the dossiers a person handled in the period (Decree 61/2018/NĐ-CP
    Art. 31–32; Circular 01/2018/TT-VPCP): the officer's share is indicators 1, 2, 3, 4 and 7 (time, time per agency,
    contacts needed, agencies contacted, attitude), each 0–2 points; ``possible`` is 2 per indicator answered. Only
    counts: no citizen, no comment."""

    dossiers: int
    rated: int
    earned: int
    possible: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.earned / self.possible if self.possible else None


@dataclass(frozen=True)
class PersonFacts:
    key: str
    staff_type: str
    year: int
    work: tuple[WorkResult, ...]
    general: GeneralScores | None = None
    is_leader: bool = False
    conduct: Conduct = Conduct()
    presence: Presence | None = None  # None: not an annual classification, the 6-month rule does not apply
    unit: UnitResults | None = None
    # The regime chosen for the period (``regime_for`` with its dates); ``None``: the whole ``year``.
    regime: Regime | None = None
    leader_factors: LeaderFactors = LeaderFactors()
    # The level of the organisation a head leads, when it was rated for the period (Decree 335 Art. 20 cl. 6).
    organisation_level: Level | None = None
    # The citizens' Decree-61 points of the dossiers handled, when the agency opted in (EvaluationSettings).
    citizen_ratings: CitizenRatings | None = None

    @property
    def chosen_regime(self) -> Regime:
        return self.regime or regime_for(self.staff_type, self.year)


def unit_results_from(work: Iterable[WorkResult], managed_levels: Iterable[Level]) -> UnitResults:
    """A leader's unit results from every work item of the unit in the period and the managed staff's levels."""
    targets = met = exceeded = on_time = 0
    for item in work:
        targets += 1
        met += item.is_done
        exceeded += item.is_done and item.exceeded_target
        on_time += item.is_done and item.counted_delays == 0
    return UnitResults(targets, met, exceeded, on_time, tuple(managed_levels))
