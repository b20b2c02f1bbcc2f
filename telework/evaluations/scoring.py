"""Evaluation and classification of staff (đánh giá, xếp loại chất lượng) under the two legal regimes in force.

Pure Python over frozen dataclasses: no ORM, no request. The evaluation services gather the measured inputs (work
items assigned, done, on time, with major errors or delays) and the head's scores of the general criteria; this
module only scores, classifies and explains. Each criterion of a result carries its verdict, its points, the rule's
citation and a reason in Vietnamese and English (English message ids, translated through the app's ``.po`` file).

The regimes (articles as verified in ``/work/shared/reference/decrees.md``), chosen by ``regime_for``:

* **Decree 335/2025/NĐ-CP** (công chức, from 01/01/2026, Art. 27): a 100-point score = general criteria (max 30,
  Art. 12 cl. 2) + task results × 70 (Art. 12 cl. 3, Art. 17 cl. 1). Task results (Art. 14 cl. 2): quantity (a),
  quality −25 % of an item's points per major error (b), progress −25 % per delay (c); non-leaders (a + b + c) / 3,
  leaders (a + b + c + d + đ + e) / 6 (Art. 16) with unit results (d) at 50 % when someone in the unit did not
  complete, organising ability (đ) and unity (e) at 100 % or 50 % (Art. 15 cl. 3). HTXS ≥ 90, HTT 70–<90,
  HT 50–<70, KHT < 50 (Art. 20 cl. 1–4(a)); discipline, degradation, or (leaders) a managed unit handled for
  corruption or waste force KHT (Art. 20 cl. 4(b)–(d)); a head is never above their organisation (Art. 20 cl. 6);
  fewer than 6 months → not rated, sick or maternity leave counting as actual time (Art. 11 cl. 1–2); the year is
  the average of the months or quarters (Art. 17 cl. 3).
* **Decree 233/2026/NĐ-CP** (viên chức, from 01/07/2026): the same 30/70 structure (Art. 10, 11), quota (Art. 12
  cl. 6) and 6-month rule (Art. 14); for the end-2026 rating a unit without its own regulation still uses Decree
  90/2020 (Art. 20 cl. 1).
* **Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP** (viên chức before 01/07/2026, công chức before 2026):
  criteria per level, for non-leaders and for leaders (Arts. 8–11 for công chức, 12–15 for viên chức; Art. 3
  general criteria); fewer than 6 months → not rated (Art. 2 cl. 3), absent 3 to under 6 months → not above HT.

"Excellent" is at most ``cap_ratio`` × "good" within an agency and within each peer group (``enforce_quota``); the
peer group is an agency setting the decree does not define, and a group under the stated minimum is not capped on
its own.

Where the decrees leave a figure open (the split of the 30 general points among the criteria the product asks, the
gap between 20 % and 50 % of tasks short under Decree 90) or where an article was not verified, the rule is a named
field of ``ScoringParameters`` and its citation shows that parameter's label (``PARAMETER_LABELS``), never a guessed
article and never "article not verified".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

# --------------------------------------------------------------------------------------------- vocabulary


class Regime(StrEnum):
    DECREE_335 = "decree_335_2025"
    DECREE_233 = "decree_233_2026"
    DECREE_90 = "decree_90_2020"


SCORED_REGIMES = frozenset({Regime.DECREE_335, Regime.DECREE_233})
"""The regimes scored out of 100 (30 general + 70 task results)."""


class Level(StrEnum):
    EXCELLENT = "excellent"  # Hoàn thành xuất sắc nhiệm vụ (HTXS)
    GOOD = "good"  # Hoàn thành tốt nhiệm vụ (HTT)
    COMPLETED = "completed"  # Hoàn thành nhiệm vụ (HT)
    NOT_COMPLETED = "not_completed"  # Không hoàn thành nhiệm vụ (KHT)


LEVEL_RANK: dict[Level, int] = {Level.EXCELLENT: 3, Level.GOOD: 2, Level.COMPLETED: 1, Level.NOT_COMPLETED: 0}
LEVEL_LABELS: dict[Level, str] = {
    Level.EXCELLENT: gettext_noop("Excellent (HTXS)"),
    Level.GOOD: gettext_noop("Good (HTT)"),
    Level.COMPLETED: gettext_noop("Completed (HT)"),
    Level.NOT_COMPLETED: gettext_noop("Not completed (KHT)"),
}
REGIME_LABELS: dict[Regime, str] = {
    Regime.DECREE_335: gettext_noop("Decree 335/2025/NĐ-CP (100-point score)"),
    Regime.DECREE_233: gettext_noop("Decree 233/2026/NĐ-CP, public employees (100-point score)"),
    Regime.DECREE_90: gettext_noop("Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP (criteria per level)"),
}

CIVIL_SERVANT = "cong_chuc"  # telework.organization.models.StaffType.CONG_CHUC
PUBLIC_EMPLOYEE = "vien_chuc"  # telework.organization.models.StaffType.VIEN_CHUC
DECREE_335_FIRST_YEAR = 2026
"""Decree 335/2025/NĐ-CP is in force from 01/01/2026 (Art. 27 cl. 1)."""
DECREE_233_IN_FORCE = dt.date(2026, 7, 1)
"""Decree 233/2026/NĐ-CP is in force from 01/07/2026; Decree 90/2020/NĐ-CP ends then (Art. 19 cl. 2)."""


def level_label(level: Level | str | None, language: str | None = None) -> str:
    """The level's name in ``language`` (or the active language); "not classified" for ``None``."""
    message = LEVEL_LABELS[Level(level)] if level else gettext_noop("Not classified")
    if language is None:
        return gettext(message)
    with translation.override(language):
        return gettext(message)


def min_level(first: Level, second: Level) -> Level:
    return first if LEVEL_RANK[first] <= LEVEL_RANK[second] else second


def regime_for(staff_type: str, year: int, *, starts_on: dt.date | None = None, ends_on: dt.date | None = None, has_own_regulation: bool = False) -> Regime:
    """The legal regime that classifies a person of ``staff_type`` for a period (the whole ``year`` by default).

    * Công chức from 2026 → Decree 335/2025/NĐ-CP (Art. 27 cl. 1: in force 01/01/2026; it repeals Decree 90/2020's
      rules for công chức). Earlier years → Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP.
    * Everyone else (viên chức; contract staff are classified alongside them): a period from 01/07/2026 → Decree
      233/2026/NĐ-CP; a period ending before → Decree 90/2020/NĐ-CP (which ends on 01/07/2026, Decree 233 Art. 19
      cl. 2). A period across that date — the end-2026 rating — stays under Decree 90/2020 unless the agency has its
      own regulation under Decree 233 (Art. 20 cl. 1: ``has_own_regulation``).
    """
    starts_on = starts_on or dt.date(year, 1, 1)
    ends_on = ends_on or dt.date(year, 12, 31)
    if staff_type == CIVIL_SERVANT:
        return Regime.DECREE_335 if starts_on.year >= DECREE_335_FIRST_YEAR else Regime.DECREE_90
    if starts_on >= DECREE_233_IN_FORCE:
        return Regime.DECREE_233
    if ends_on < DECREE_233_IN_FORCE:
        return Regime.DECREE_90
    return Regime.DECREE_233 if has_own_regulation else Regime.DECREE_90


# --------------------------------------------------------------------------------------------- citations


PARAMETER_LABELS: dict[str, str] = {
    "general_criterion_max": gettext_noop("Maximum points of each general criterion"),
    "general_pass_share": gettext_noop("Share of a general criterion's points that counts as met"),
    "quantity_weight": gettext_noop("Weights of quantity, quality and progress in the task results"),
    "quality_weight": gettext_noop("Weight of quality in the task results"),
    "progress_weight": gettext_noop("Weight of progress in the task results"),
    "error_penalty": gettext_noop("Deduction per major error"),
    "delay_penalty": gettext_noop("Deduction per delay"),
    "excellent_from": gettext_noop("Level thresholds on the 100-point score"),
    "good_from": gettext_noop("Score from which the level is good"),
    "completed_from": gettext_noop("Score from which the level is completed"),
    "cap_ratio": gettext_noop("Ceiling of excellent levels, as a share of good levels"),
    "exception_cap_ratio": gettext_noop("Raised ceiling for an outstanding organisation"),
    "exceeded_share_for_excellent": gettext_noop("Share of tasks exceeding the target needed for excellent"),
    "short_share_for_completed": gettext_noop("Share of tasks short allowed for completed"),
    "short_share_for_not_completed": gettext_noop("Share of tasks short from which the level is not completed"),
    "gap_level": gettext_noop("Level when between 20 % and 50 % of tasks are short"),
    "leader_on_time_share_for_good": gettext_noop("Share of the unit's tasks on time a leader needs for good"),
    "leader_targets_met_share_for_completed": gettext_noop("Share of the unit's targets met a leader needs for completed"),
    "leader_good_share": gettext_noop("Share of managed staff at good or above a leader needs"),
    "leader_completed_share_for_completed": gettext_noop("Share of managed staff at completed or above a leader needs for completed"),
    "minimum_months_worked": gettext_noop("Minimum months worked in the year to be rated"),
    "absence_cap_from_months": gettext_noop("Months of absence from which the level is at most completed"),
    "forced_not_completed": gettext_noop("Conduct that forces “not completed”"),
    "appeal_working_days": gettext_noop("Working days to answer an appeal"),
    "level_criteria": gettext_noop("Criteria of the level"),
}
"""The name a person reads for each parameter of a criteria set (never the field's key)."""


def parameter_label(name: str, language: str | None = None) -> str:
    """The translated label of parameter ``name`` (the key itself never reaches a screen: unknown keys read as
    "parameter of the criteria set")."""
    if language is not None:
        with translation.override(language):
            return parameter_label(name)
    return gettext(PARAMETER_LABELS.get(name, gettext_noop("Parameter of the criteria set")))


@dataclass(frozen=True)
class Citation:
    """A legal source: the decree, the article and clause as verified in the decree's text. When the article was not
    verified, ``article`` is empty and ``parameter`` names the criteria-set parameter that carries the rule."""

    decree: str
    article: str = ""
    clause: str = ""
    parameter: str = ""

    def text(self, language: str | None = None) -> str:
        if language is not None:
            with translation.override(language):
                return self.text()
        decree = gettext(self.decree)
        if self.article and self.clause:
            return gettext("Decree %(decree)s, Art. %(article)s, cl. %(clause)s") % {"decree": decree, "article": self.article, "clause": self.clause}
        if self.article:
            return gettext("Decree %(decree)s, Art. %(article)s") % {"decree": decree, "article": self.article}
        return gettext("Decree %(decree)s; criteria-set parameter “%(parameter)s”") % {
            "decree": decree,
            "parameter": parameter_label(self.parameter or "level_criteria"),
        }


D335 = "335/2025/NĐ-CP"
D233 = "233/2026/NĐ-CP"
D90 = "90/2020/NĐ-CP"
D90_48 = gettext_noop("90/2020/NĐ-CP, amended by 48/2023/NĐ-CP")
CITE_335_GENERAL = Citation(D335, "12", "2")
CITE_335_TASKS = Citation(D335, "14", "2")
CITE_335_FORMULA = Citation(D335, "16")
CITE_335_LEADER_FACTORS = Citation(D335, "15", "3")
CITE_335_LEVELS = Citation(D335, "20", "1–4(a)")
CITE_335_FORCED = Citation(D335, "20", "4(b)–(d)")
CITE_335_QUOTA = Citation(D335, "20", "5(a)")
CITE_335_QUOTA_EXCEPTION = Citation(D335, "20", "5(b)")
CITE_335_HEAD_CAP = Citation(D335, "20", "6")
CITE_335_PRESENCE = Citation(D335, "11", "1–2")
CITE_335_ANNUAL = Citation(D335, "17", "3")
CITE_335_APPEAL = Citation(D335, "22")
CITE_233_GENERAL = Citation(D233, "10")
CITE_233_TASKS = Citation(D233, "11")
CITE_233_FORMULA = Citation(D233, parameter="quantity_weight")
CITE_233_LEVELS = Citation(D233, parameter="excellent_from")
CITE_233_FORCED = Citation(D233, parameter="forced_not_completed")
CITE_233_QUOTA = Citation(D233, "12", "6")
CITE_233_PRESENCE = Citation(D233, "14")
CITE_233_ANNUAL = Citation(D233, parameter="level_criteria")
CITE_233_APPEAL = Citation(D233, parameter="appeal_working_days")
CITE_90_GENERAL = Citation(D90, "3")
CITE_90_DISCIPLINE = Citation(D90_48, "2", "5")
# Decree 48/2023 added the quota as a new clause of Art. 2; its number (6) is inferred, so only the article is cited.
CITE_90_QUOTA = Citation(D90_48, "2")
CITE_PRESENCE = Citation(D90_48, "2", "3")
CITE_90_APPEAL = Citation(D90_48, parameter="appeal_working_days")

APPEAL_CITATIONS: dict[Regime, Citation] = {Regime.DECREE_335: CITE_335_APPEAL, Regime.DECREE_233: CITE_233_APPEAL, Regime.DECREE_90: CITE_90_APPEAL}
"""Where the deadline to answer an appeal comes from, per regime (verified only in Decree 335, Art. 22)."""
QUOTA_CITATIONS: dict[Regime, Citation] = {Regime.DECREE_335: CITE_335_QUOTA, Regime.DECREE_233: CITE_233_QUOTA, Regime.DECREE_90: CITE_90_QUOTA}


@dataclass(frozen=True)
class ScoredCitations:
    """The citations of a regime scored out of 100 (Decree 335 for công chức, Decree 233 for viên chức)."""

    general: Citation
    tasks: Citation
    formula: Citation
    levels: Citation
    forced: Citation
    presence: Citation
    annual: Citation


SCORED_CITATIONS: dict[Regime, ScoredCitations] = {
    Regime.DECREE_335: ScoredCitations(
        CITE_335_GENERAL, CITE_335_TASKS, CITE_335_FORMULA, CITE_335_LEVELS, CITE_335_FORCED, CITE_335_PRESENCE, CITE_335_ANNUAL
    ),
    Regime.DECREE_233: ScoredCitations(
        CITE_233_GENERAL, CITE_233_TASKS, CITE_233_FORMULA, CITE_233_LEVELS, CITE_233_FORCED, CITE_233_PRESENCE, CITE_233_ANNUAL
    ),
}


def _level_citations(staff_type: str) -> dict[Level, Citation]:
    """Decree 90/2020/NĐ-CP: the criteria of each level, Arts. 8–11 for công chức and 12–15 for viên chức (each
    article: clause 1 non-leaders, clause 2 leaders). Verified: Arts. 8, 9 and 12–15; the text of Arts. 10–11 was not
    read, so those two levels cite their parameter."""
    if staff_type == PUBLIC_EMPLOYEE:
        return {level: Citation(D90, str(12 + offset)) for offset, level in enumerate((Level.EXCELLENT, Level.GOOD, Level.COMPLETED, Level.NOT_COMPLETED))}
    return {
        Level.EXCELLENT: Citation(D90, "8"),
        Level.GOOD: Citation(D90, "9"),
        Level.COMPLETED: Citation(D90, parameter="short_share_for_completed"),
        Level.NOT_COMPLETED: Citation(D90, parameter="short_share_for_not_completed"),
    }


# --------------------------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class ScoringParameters:
    """Every figure of the rules, with its source. A criteria set stores the ones it changes."""

    # Decree 335 Art. 12 cl. 2: the general criteria are worth 30 points; the product asks four criteria and splits
    # the 30 equally (the decree's own form splits them 10 / 10 / 10 into other headings).
    general_criterion_max: float = 7.5
    # Decree 335 Art. 16: (a + b + c) / 3, i.e. equal weights of quantity, quality and progress (normalised, so 1, 1, 1
    # means thirds). A criteria set may only change them where the regime leaves the combination open (Decree 233).
    quantity_weight: float = 1.0
    quality_weight: float = 1.0
    progress_weight: float = 1.0
    # Decree 335 Art. 14: −25 % of the item's points per major error (quality) and per delay (progress).
    error_penalty: float = 0.25
    delay_penalty: float = 0.25
    # Decree 335: level thresholds on the 100-point score.
    excellent_from: float = 90.0
    good_from: float = 70.0
    completed_from: float = 50.0
    # HTXS ≤ cap_ratio × HTT, per agency and per peer group (335 Art. 20 cl. 5(a); 233 Art. 12 cl. 6; 48/2023 via the
    # Party ratio, believed 20 % of HTT); an outstanding organisation may go up to exception_cap_ratio (335 Art. 20
    # cl. 5(b); 233 Art. 12 cl. 6).
    cap_ratio: float = 0.20
    exception_cap_ratio: float = 0.25
    # Decree 90/2020: HTXS needs ≥ 50 % of tasks exceeding the target; HT allows ≤ 20 % short; KHT when > 50 % short.
    exceeded_share_for_excellent: float = 0.50
    short_share_for_completed: float = 0.20
    short_share_for_not_completed: float = 0.50
    # Decree 90/2020 leaves a gap: more than 20 % short (not HT) but not more than 50 % (not KHT). This level fills it.
    gap_level: Level = Level.COMPLETED
    # Decree 90/2020 general criteria (Art. 3 cl. 1–4) are met when each is scored at least this share of its maximum.
    general_pass_share: float = 0.50
    # Decree 90/2020 leaders: HTT needs ≥ 80 % of the unit's tasks on time; HT needs > 70 % of the unit's targets met;
    # HTXS/HTT need ≥ 70 % of the managed staff at HTT or above; HT needs ≥ 70 % of them at HT or above.
    leader_on_time_share_for_good: float = 0.80
    leader_targets_met_share_for_completed: float = 0.70
    leader_good_share: float = 0.70
    leader_completed_share_for_completed: float = 0.70
    # Every regime: under 6 months worked in the year → not classified (335 Art. 11 cl. 1–2, 233 Art. 14: sick or
    # maternity leave counts as actual time; 90/2020 Art. 2 cl. 3: maternity). Decree 90/2020 only: absent 3 to under
    # 6 months → not above HT (Decree 335 has no such cap).
    minimum_months_worked: float = 6.0
    absence_cap_from_months: float = 3.0
    # Decree 335 Art. 22: an appeal is answered within 7 working days (a parameter for the other regimes).
    appeal_working_days: int = 7

    def __post_init__(self) -> None:
        if min(self.quantity_weight, self.quality_weight, self.progress_weight) < 0 or self.task_weight_total <= 0:
            raise ValueError("task weights must be non-negative with a positive sum")
        if not 0 <= self.error_penalty <= 1 or not 0 <= self.delay_penalty <= 1:
            raise ValueError("penalties are shares of an item's points, between 0 and 1")
        if not 0 <= self.completed_from <= self.good_from <= self.excellent_from <= 100:
            raise ValueError("level thresholds must rise within 0–100")
        if not 0 <= self.cap_ratio <= self.exception_cap_ratio <= 1:
            raise ValueError("cap_ratio must be between 0 and the exception's ceiling, itself at most 1")
        if not 0 <= self.minimum_months_worked <= 12 or self.appeal_working_days < 1:
            raise ValueError("minimum_months_worked must be within 0–12 and appeal_working_days at least 1")

    @property
    def task_weight_total(self) -> float:
        return self.quantity_weight + self.quality_weight + self.progress_weight


GENERAL_MAX = 30.0
TASKS_MAX = 70.0
GENERAL_CRITERIA: tuple[tuple[str, str], ...] = (
    ("ethics", gettext_noop("Political quality and ethics")),
    ("discipline", gettext_noop("Discipline and sense of responsibility")),
    ("service_attitude", gettext_noop("Attitude in serving citizens and businesses")),
    ("innovation", gettext_noop("Innovation and initiative")),
)

# No work assigned in the period: nothing to measure, so no proposal; the head decides, with a reason.
NO_WORK_MESSAGE = gettext_noop("No work was assigned in the period: the results cannot be measured, the head decides the level.")

# --------------------------------------------------------------------------------------------- inputs


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


# --------------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Criterion:
    """One line of the breakdown: what was measured, the points or verdict, the rule and its citation.

    ``passed`` is ``None`` for a line that only scores (no pass/fail). ``message`` is an English message id with
    ``%(name)s`` placeholders."""

    code: str
    message: str
    citation: Citation
    params: dict[str, Any] = field(default_factory=dict)
    passed: bool | None = None
    points: float | None = None
    max_points: float | None = None
    parameter: str = ""

    def reason(self, language: str | None = None) -> str:
        """The reason in ``language`` ("vi" or "en"), or in the active language."""
        if language is not None:
            with translation.override(language):
                return self.reason()
        # ``criterion`` holds a criterion's name, itself a message id.
        return gettext(self.message) % {key: gettext(value) if key == "criterion" else _display(value) for key, value in self.params.items()}

    def as_record(self) -> dict[str, Any]:
        """The stored form: message id and parameters, translated when shown (``from_record``)."""
        return {
            "code": self.code,
            "message": self.message,
            "citation": [self.citation.decree, self.citation.article, self.citation.clause, self.citation.parameter],
            "params": {key: _plain(value) for key, value in self.params.items()},
            "passed": self.passed,
            "points": self.points,
            "max_points": self.max_points,
            "parameter": self.parameter,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Criterion:
        params = {key: Level(value) if key == "level" and value else value for key, value in record["params"].items()}
        return cls(
            record["code"],
            record["message"],
            Citation(*record["citation"]),
            params,
            record["passed"],
            record["points"],
            record["max_points"],
            record["parameter"],
        )

    def parameter_label(self, language: str | None = None) -> str:
        """The label of the parameter this line depends on ("" when none)."""
        return parameter_label(self.parameter, language) if self.parameter else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "passed": self.passed,
            "points": self.points,
            "max_points": self.max_points,
            "parameter": self.parameter,
            "params": {key: _plain(value) for key, value in self.params.items()},
            "reason_vi": self.reason("vi"),
            "reason_en": self.reason("en"),
            "citation_vi": self.citation.text("vi"),
            "citation_en": self.citation.text("en"),
            "parameter_label_vi": self.parameter_label("vi"),
            "parameter_label_en": self.parameter_label("en"),
        }


@dataclass(frozen=True)
class Assessment:
    """The proposed classification of one person. ``level`` is ``None`` when the person is not classified.

    ``rank_score`` orders people of the same level for the quota: the 100-point score under Decree 335, the share of
    tasks exceeding the target (in %) under Decree 90/2020."""

    key: str
    regime: Regime
    level: Level | None
    score: float | None
    rank_score: float
    criteria: tuple[Criterion, ...]

    @property
    def is_classified(self) -> bool:
        return self.level is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "regime": self.regime.value,
            "level": self.level.value if self.level else None,
            "score": self.score,
            "rank_score": self.rank_score,
            "criteria": [criterion.as_dict() for criterion in self.criteria],
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Level | Regime):
        return value.value
    return value


def _display(value: Any) -> Any:
    if isinstance(value, Level):
        return gettext(LEVEL_LABELS[value])
    if isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if translation.get_language() == "vi" else text
    return value


def _round(value: float) -> float:
    # Two decimals, half up: a score shown as 90 is 90 for the threshold too (no 89.999999 from float sums).
    return math.floor(value * 100 + 0.5 + 1e-9) / 100


# --------------------------------------------------------------------------------------------- shared rules


def rule_presence(presence: Presence | None, parameters: ScoringParameters, regime: Regime = Regime.DECREE_90) -> tuple[Criterion | None, Level | None, bool]:
    """Who is rated in a year. Fewer than ``minimum_months_worked`` months worked → not rated: Decree 335/2025/NĐ-CP
    Art. 11 cl. 1–2 and Decree 233/2026/NĐ-CP Art. 14 (sick or maternity leave counts as the actual time worked);
    Decree 90/2020/NĐ-CP Art. 2 cl. 3 (maternity leave: the actual time). Decree 90/2020 only: absent
    ``absence_cap_from_months`` to under 6 months → not above HT (Decree 335 has no such cap).

    Returns the breakdown line (``None`` when the period is not a year), the highest level allowed, and whether the
    person is rated at all."""
    if presence is None:
        return None, None, True
    citation = SCORED_CITATIONS[regime].presence if regime in SCORED_CITATIONS else CITE_PRESENCE
    params = {"months": presence.months_worked, "minimum": parameters.minimum_months_worked, "absent": presence.months_absent}
    if presence.months_worked < parameters.minimum_months_worked:
        if presence.is_maternity_leave:
            if regime in SCORED_CITATIONS:
                message = gettext_noop("%(months)s months worked (sick or maternity leave): rated on the actual time worked.")
            else:
                message = gettext_noop("%(months)s months worked (maternity leave): classified on the actual time worked.")
            return Criterion("presence", message, citation, params, True, parameter="minimum_months_worked"), None, True
        message = gettext_noop("%(months)s months worked in the year, fewer than %(minimum)s: not classified.")
        return Criterion("presence", message, citation, params, False, parameter="minimum_months_worked"), None, False
    if regime is Regime.DECREE_90 and parameters.absence_cap_from_months <= presence.months_absent < parameters.minimum_months_worked:
        message = gettext_noop("Absent %(absent)s months (from %(from)s to under %(minimum)s): the level is at most “completed”.")
        params["from"] = parameters.absence_cap_from_months
        return Criterion("presence", message, citation, params, False, parameter="absence_cap_from_months"), Level.COMPLETED, True
    message = gettext_noop("%(months)s months worked in the year (minimum %(minimum)s).")
    return Criterion("presence", message, citation, params, True, parameter="minimum_months_worked"), None, True


def rule_conduct(facts: PersonFacts, citation: Citation) -> list[Criterion]:
    """Conduct that forces "not completed" regardless of results: discipline (khiển trách or heavier) in the year,
    degradation or breach of Party rules, and for leaders a managed unit handled for corruption or waste. Decree
    335/2025/NĐ-CP (domain rules A3 b–d); Decree 48/2023/NĐ-CP amending 90/2020 (A8)."""
    lines = []
    conduct = facts.conduct
    if conduct.is_disciplined_in_year:
        lines.append(Criterion("discipline", gettext_noop("Disciplined (reprimand or heavier) in the year: not completed."), citation, {}, False))
    else:
        lines.append(Criterion("discipline", gettext_noop("No disciplinary measure in the year."), citation, {}, True))
    if conduct.is_degraded:
        lines.append(Criterion("degradation", gettext_noop("Degradation or breach of Party rules established: not completed."), citation, {}, False))
    if facts.is_leader:
        if conduct.managed_unit_sanctioned:
            message = gettext_noop("A unit under this leader was handled for corruption or waste: not completed.")
            lines.append(Criterion("managed_unit_sanctioned", message, citation, {}, False))
        else:
            lines.append(Criterion("managed_unit_sanctioned", gettext_noop("No managed unit handled for corruption or waste."), citation, {}, True))
    return lines


# --------------------------------------------------------------------------------------------- Decree 335


@dataclass(frozen=True)
class TaskScore:
    quantity_percent: float
    quality_percent: float
    progress_percent: float
    points: float


def task_score(work: Sequence[WorkResult], parameters: ScoringParameters) -> TaskScore:
    """The task-results points out of 70 (Decree 335/2025/NĐ-CP Art. 14), over the items' converted points.

    (a) quantity % = points of the items done / points assigned; (b) quality % = over the items done, each keeps
    its points less ``error_penalty`` per counted major error (never below zero); (c) progress % = the same with
    ``delay_penalty`` per counted delay. Errors and delays due to objective causes are not counted. The 70 points are
    the weighted mean of a, b, c (parameters ``*_weight``; the decree does not give the combination). Nothing done:
    quality and progress are 0 %."""
    assigned = done = quality_points = progress_points = 0.0
    for item in work:
        assigned += item.points
        if item.is_done:
            done += item.points
            quality_points += item.points * max(0.0, 1 - parameters.error_penalty * item.counted_errors)
            progress_points += item.points * max(0.0, 1 - parameters.delay_penalty * item.counted_delays)
    quantity = min(100.0, 100.0 * done / assigned) if assigned > 0 else 0.0
    if done > 0:
        quality = 100.0 * quality_points / done
        progress = 100.0 * progress_points / done
    else:
        quality = progress = 0.0
    weighted = parameters.quantity_weight * quantity + parameters.quality_weight * quality + parameters.progress_weight * progress
    points = TASKS_MAX * weighted / (100.0 * parameters.task_weight_total)
    return TaskScore(_round(quantity), _round(quality), _round(progress), _round(points))


def level_for_score(score: float, parameters: ScoringParameters) -> Level:
    """Decree 335/2025/NĐ-CP: HTXS from 90, HTT from 70 to under 90, HT from 50 to under 70, KHT under 50."""
    if score >= parameters.excellent_from:
        return Level.EXCELLENT
    if score >= parameters.good_from:
        return Level.GOOD
    if score >= parameters.completed_from:
        return Level.COMPLETED
    return Level.NOT_COMPLETED


def _check_general(general: GeneralScores, maximum: float) -> None:
    for name, value in general.as_dict().items():
        if not 0 <= value <= maximum:
            raise ValueError(f"general criterion {name} scored {value}, outside 0–{maximum}")


@functools.lru_cache(maxsize=32)
def _weight_shares(parameters: ScoringParameters) -> dict[str, float]:
    """Each task component's share of the 70 points, in % (the same for everyone under one criteria set)."""
    return {
        "quantity": _round(100 * parameters.quantity_weight / parameters.task_weight_total),
        "quality": _round(100 * parameters.quality_weight / parameters.task_weight_total),
        "progress": _round(100 * parameters.progress_weight / parameters.task_weight_total),
    }


def assess_335(facts: PersonFacts, parameters: ScoringParameters, regime: Regime = Regime.DECREE_335) -> Assessment:
    """Score and classify for a month, quarter or year under a 100-point regime: Decree 335/2025/NĐ-CP (công chức)
    or, with ``regime=Regime.DECREE_233``, Decree 233/2026/NĐ-CP (viên chức, same 30/70 structure, Art. 10–11).

    General criteria (30, scored by the head, Art. 12 cl. 2) + task results × 70 (Art. 17 cl. 1), where task results
    are (a + b + c) / 3 for non-leaders and (a + b + c + d + đ + e) / 6 for leaders (Art. 16; leaders' factors
    Art. 15 cl. 3, Decree 335 only); the level from the score (Art. 20 cl. 1–4(a)); then a head's level capped by
    their organisation's (Art. 20 cl. 6, Decree 335), the forced-down rules and the 6-month rule."""
    cite = SCORED_CITATIONS[regime]
    if regime is Regime.DECREE_335:
        # Art. 16 fixes the combination: equal thirds, whatever a criteria set says.
        parameters = dataclasses.replace(parameters, quantity_weight=1.0, quality_weight=1.0, progress_weight=1.0)
    lines: list[Criterion] = []
    presence_line, presence_cap, is_classified = rule_presence(facts.presence, parameters, regime)
    general_points = 0.0
    maximum = parameters.general_criterion_max * len(GENERAL_CRITERIA)
    if facts.general is None:
        lines.append(
            Criterion("general", gettext_noop("The head has not scored the general criteria yet: 0 points counted."), cite.general, {}, None, 0.0, maximum)
        )
    else:
        _check_general(facts.general, parameters.general_criterion_max)
        scores = facts.general.as_dict()
        for code, label in GENERAL_CRITERIA:
            params = {"criterion": label, "points": scores[code], "max": parameters.general_criterion_max}
            message = gettext_noop("%(criterion)s: %(points)s of %(max)s points, scored by the head.")
            lines.append(
                Criterion(f"general.{code}", message, cite.general, params, None, scores[code], parameters.general_criterion_max, "general_criterion_max")
            )
        general_points = sum(scores.values()) * GENERAL_MAX / maximum if maximum else 0.0
    tasks = task_score(facts.work, parameters)
    counted_errors = counted_delays = excused = 0
    assigned = done = 0.0
    for item in facts.work:
        errors, delays = item.counted_errors, item.counted_delays
        counted_errors += errors
        counted_delays += delays
        excused += item.major_errors + item.delays - errors - delays
        assigned += item.points
        if item.is_done:
            done += item.points
    lines += [
        Criterion(
            "tasks.quantity",
            gettext_noop("Quantity: %(done)s of %(assigned)s units of work done, %(percent)s %%."),
            cite.tasks,
            {"done": done, "assigned": assigned, "percent": tasks.quantity_percent},
            None,
            tasks.quantity_percent,
            100.0,
        ),
        Criterion(
            "tasks.quality",
            gettext_noop("Quality: %(percent)s %% after %(errors)s major error(s), −%(penalty)s %% of the item's points each."),
            cite.tasks,
            {"percent": tasks.quality_percent, "errors": counted_errors, "penalty": parameters.error_penalty * 100},
            None,
            tasks.quality_percent,
            100.0,
            "error_penalty",
        ),
        Criterion(
            "tasks.progress",
            gettext_noop("Progress: %(percent)s %% after %(delays)s delay(s), −%(penalty)s %% of the item's points each."),
            cite.tasks,
            {"percent": tasks.progress_percent, "delays": counted_delays, "penalty": parameters.delay_penalty * 100},
            None,
            tasks.progress_percent,
            100.0,
            "delay_penalty",
        ),
    ]
    if excused:
        message = gettext_noop("%(count)s error(s) or delay(s) due to objective causes confirmed by the competent authority: not deducted.")
        lines.append(Criterion("tasks.excused", message, cite.tasks, {"count": excused}, True))
    task_points = tasks.points
    if facts.is_leader and regime is Regime.DECREE_335:
        factors, factor_lines = rule_leader_factors_335(facts)
        lines += factor_lines
        # (a + b + c + d + đ + e) / 6: the weighted mean of a, b, c stands for their three sixths.
        mean_abc = 100.0 * tasks.points / TASKS_MAX
        task_points = _round(TASKS_MAX * (3 * mean_abc + sum(factors)) / 600.0)
        params = {"points": task_points, "abc": _round(mean_abc), "d": factors[0], "dd": factors[1], "e": factors[2]}
        message = gettext_noop(
            "Task results of a leader: (a + b + c + d + đ + e) / 6 with a, b, c averaging %(abc)s %%, unit results %(d)s %%, organising ability "
            "%(dd)s %%, unity %(e)s %%: %(points)s of 70 points."
        )
        lines.append(Criterion("tasks", message, CITE_335_FORMULA, params, None, task_points, TASKS_MAX))
    elif regime is Regime.DECREE_335:
        message = gettext_noop("Task results: (quantity + quality + progress) / 3 × 70 = %(points)s of 70 points.")
        lines.append(Criterion("tasks", message, CITE_335_FORMULA, {"points": task_points}, None, task_points, TASKS_MAX))
    else:
        weights = _weight_shares(parameters)
        message = gettext_noop(
            "Task results: %(points)s of 70 points (quantity %(quantity)s %%, quality %(quality)s %%, progress %(progress)s %% of the weight)."
        )
        lines.append(Criterion("tasks", message, cite.formula, {"points": task_points, **weights}, None, task_points, TASKS_MAX, "quantity_weight"))
    score = _round(general_points + task_points)
    if assigned <= 0:
        lines.append(Criterion("no_work", NO_WORK_MESSAGE, cite.tasks, {}, None))
        return Assessment(facts.key, regime, None, score, score, tuple(lines))
    level = level_for_score(score, parameters)
    params = {"score": score, "level": level, "excellent": parameters.excellent_from, "good": parameters.good_from, "completed": parameters.completed_from}
    message = gettext_noop("Score %(score)s of 100: %(level)s (excellent from %(excellent)s, good from %(good)s, completed from %(completed)s).")
    lines.append(Criterion("level", message, cite.levels, params, None, score, 100.0, "excellent_from"))
    if facts.is_leader and regime is Regime.DECREE_335:
        level, cap_lines = rule_head_cap_335(facts, level)
        lines += cap_lines
    conduct_lines = rule_conduct(facts, cite.forced)
    lines += conduct_lines
    return _finish(facts, regime, level, score, score, lines, conduct_lines, presence_line, presence_cap, is_classified)


def assess_233(facts: PersonFacts, parameters: ScoringParameters) -> Assessment:
    """Score and classify a viên chức under Decree 233/2026/NĐ-CP (``assess_335`` with its citations)."""
    return assess_335(facts, parameters, Regime.DECREE_233)


def rule_leader_factors_335(facts: PersonFacts) -> tuple[tuple[float, float, float], list[Criterion]]:
    """A leader's three extra factors, Decree 335/2025/NĐ-CP Art. 15 cl. 3, as percentages:

    * d, unit results: 50 % when someone in the unit led did not complete their tasks, otherwise 100 %;
    * đ, organising ability, and e, unity of the staff: 100 % or 50 %, as judged; not judged yet counts 100 %
      and says so.

    The unit's people are the levels proposed for them in the same period."""
    lines: list[Criterion] = []
    managed = facts.unit.managed_levels if facts.unit is not None else ()
    not_completed = sum(level is Level.NOT_COMPLETED for level in managed)
    unit_percent = 50.0 if not_completed else 100.0
    if not_completed:
        message = gettext_noop("Unit results (d): %(count)s of %(managed)s people in the unit did not complete their tasks: 50 %%.")
    else:
        message = gettext_noop("Unit results (d): nobody of the %(managed)s people in the unit is “not completed”: 100 %%.")
    lines.append(
        Criterion("leader.unit", message, CITE_335_LEADER_FACTORS, {"count": not_completed, "managed": len(managed)}, not not_completed, unit_percent, 100.0)
    )
    percents = [unit_percent]
    judged = facts.leader_factors
    for code, value, label in (
        ("leader.organising", judged.is_organising_full, gettext_noop("Organising ability (đ)")),
        ("leader.unity", judged.is_unity_full, gettext_noop("Unity of the staff (e)")),
    ):
        percent = 50.0 if value is False else 100.0
        if value is None:
            message = gettext_noop("%(criterion)s: not judged yet, counted at 100 %%.")
        elif value:
            message = gettext_noop("%(criterion)s: judged in full, 100 %%.")
        else:
            message = gettext_noop("%(criterion)s: judged at 50 %%.")
        lines.append(Criterion(code, message, CITE_335_LEADER_FACTORS, {"criterion": label}, None if value is None else value, percent, 100.0))
        percents.append(percent)
    return (percents[0], percents[1], percents[2]), lines


def rule_head_cap_335(facts: PersonFacts, level: Level) -> tuple[Level, list[Criterion]]:
    """A head's level is not higher than the level of the organisation they lead (Decree 335/2025/NĐ-CP Art. 20
    cl. 6: "không cao hơn mức xếp loại chất lượng của tổ chức"). Without the organisation's level for the period the
    rule cannot apply yet, and the line says so."""
    organisation = facts.organisation_level
    if organisation is None:
        message = gettext_noop("The organisation this leader heads has no level for the period yet: its cap is not applied.")
        return level, [Criterion("head_cap", message, CITE_335_HEAD_CAP, {}, None)]
    capped = min_level(level, organisation)
    params = {"organisation": organisation, "level": capped}
    if capped is level:
        message = gettext_noop("The organisation led is rated %(organisation)s: the head's level %(level)s is not above it.")
        return level, [Criterion("head_cap", message, CITE_335_HEAD_CAP, params, True)]
    message = gettext_noop("The organisation led is rated %(organisation)s: a head's level cannot be higher, so %(level)s.")
    return capped, [Criterion("head_cap", message, CITE_335_HEAD_CAP, params, False)]


def _finish(
    facts: PersonFacts,
    regime: Regime,
    level: Level,
    score: float | None,
    rank_score: float,
    lines: list[Criterion],
    conduct_lines: list[Criterion],
    presence_line: Criterion | None,
    presence_cap: Level | None,
    is_classified: bool,
) -> Assessment:
    if presence_line is not None:
        lines.append(presence_line)
    if not is_classified:
        return Assessment(facts.key, regime, None, score, rank_score, tuple(lines))
    if any(line.passed is False for line in conduct_lines):
        level = Level.NOT_COMPLETED
    elif presence_cap is not None:
        level = min_level(level, presence_cap)
    return Assessment(facts.key, regime, level, score, rank_score, tuple(lines))


def annual_score(period_scores: Sequence[float]) -> float:
    """The year's score under Decree 335/2025/NĐ-CP Art. 17 cl. 3: the average of the monthly or quarterly scores
    (including those forwarded by a previous agency after a transfer, Art. 19)."""
    if not period_scores:
        raise ValueError("no period scores to average")
    return _round(sum(period_scores) / len(period_scores))


def assess_335_year(facts: PersonFacts, period_scores: Sequence[float], parameters: ScoringParameters, regime: Regime = Regime.DECREE_335) -> Assessment:
    """The annual classification under a 100-point regime: the level of the average period score, then a head's cap
    (Decree 335), the forced-down rules and the 6-month rule."""
    cite = SCORED_CITATIONS[regime]
    presence_line, presence_cap, is_classified = rule_presence(facts.presence, parameters, regime)
    score = annual_score(period_scores)
    level = level_for_score(score, parameters)
    params = {"count": len(period_scores), "score": score, "level": level}
    lines = [
        Criterion("annual", gettext_noop("Year: the average of %(count)s period score(s) is %(score)s: %(level)s."), cite.annual, params, None, score, 100.0)
    ]
    if facts.is_leader and regime is Regime.DECREE_335:
        level, cap_lines = rule_head_cap_335(facts, level)
        lines += cap_lines
    conduct_lines = rule_conduct(facts, cite.forced)
    lines += conduct_lines
    return _finish(facts, regime, level, score, score, lines, conduct_lines, presence_line, presence_cap, is_classified)


# --------------------------------------------------------------------------------------------- Decree 90/2020


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _percent(share: float) -> float:
    return _round(100 * share)


def assess_90(facts: PersonFacts, parameters: ScoringParameters) -> Assessment:
    """Classify under Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP, by criteria (domain rules A7):

    * HTXS: every task done on time with quality, ≥ ``exceeded_share_for_excellent`` of them exceeding the target;
    * HTT: every task done on time with quality;
    * HT: tasks done, at most ``short_share_for_completed`` of them short on progress or quality;
    * KHT: more than ``short_share_for_not_completed`` short (or discipline, degradation);
    * between the two shares the decree is silent: ``gap_level``.

    HTXS and HTT also need the general criteria (Art. 3 cl. 1–4) met. Leaders are also held to their unit's results
    (``rule_leader_unit_90``) and get the lower of the two levels."""
    citations = _level_citations(facts.staff_type)
    lines: list[Criterion] = []
    presence_line, presence_cap, is_classified = rule_presence(facts.presence, parameters)
    general_met = True
    if facts.general is None:
        general_met = False
        lines.append(Criterion("general", gettext_noop("The head has not assessed the general criteria yet: not met."), CITE_90_GENERAL, {}, False))
    else:
        _check_general(facts.general, parameters.general_criterion_max)
        scores = facts.general.as_dict()
        threshold = parameters.general_pass_share * parameters.general_criterion_max
        for code, label in GENERAL_CRITERIA:
            passed = scores[code] >= threshold
            general_met = general_met and passed
            params = {"criterion": label, "points": scores[code], "max": parameters.general_criterion_max, "threshold": threshold}
            message = (
                gettext_noop("%(criterion)s: %(points)s of %(max)s, met (from %(threshold)s).")
                if passed
                else gettext_noop("%(criterion)s: %(points)s of %(max)s, not met (under %(threshold)s).")
            )
            lines.append(
                Criterion(f"general.{code}", message, CITE_90_GENERAL, params, passed, scores[code], parameters.general_criterion_max, "general_pass_share")
            )
    total = len(facts.work)
    done = sum(item.is_done for item in facts.work)
    short = sum(item.is_short for item in facts.work)
    exceeded = sum(item.is_done and item.exceeded_target for item in facts.work)
    short_share = _share(short, total)
    exceeded_share = _share(exceeded, total)
    lines.append(
        Criterion(
            "tasks",
            gettext_noop(
                "%(done)s of %(total)s tasks done; %(short)s short on progress or quality (%(short_percent)s %%); %(exceeded)s exceeded the target (%(exceeded_percent)s %%)."
            ),
            citations[Level.COMPLETED],
            {
                "done": done,
                "total": total,
                "short": short,
                "short_percent": _percent(short_share),
                "exceeded": exceeded,
                "exceeded_percent": _percent(exceeded_share),
            },
            None,
        )
    )
    if total == 0:
        lines.append(Criterion("no_work", NO_WORK_MESSAGE, citations[Level.COMPLETED], {}, None))
        return Assessment(facts.key, Regime.DECREE_90, None, None, 0.0, tuple(lines))
    if short == 0 and general_met and exceeded_share >= parameters.exceeded_share_for_excellent:
        level = Level.EXCELLENT
        params = {"level": level, "exceeded": _percent(exceeded_share), "required": _percent(parameters.exceeded_share_for_excellent)}
        message = gettext_noop("Every task done on time with quality and %(exceeded)s %% exceeded the target (from %(required)s %%): %(level)s.")
        lines.append(Criterion("level", message, citations[Level.EXCELLENT], params, True, parameter="exceeded_share_for_excellent"))
    elif short == 0 and general_met:
        level = Level.GOOD
        params = {"level": level, "exceeded": _percent(exceeded_share), "required": _percent(parameters.exceeded_share_for_excellent)}
        message = gettext_noop("Every task done on time with quality; %(exceeded)s %% exceeded the target (excellent needs %(required)s %%): %(level)s.")
        lines.append(Criterion("level", message, citations[Level.GOOD], params, True, parameter="exceeded_share_for_excellent"))
    elif short_share <= parameters.short_share_for_completed:
        level = Level.COMPLETED
        params = {"level": level, "short": _percent(short_share), "allowed": _percent(parameters.short_share_for_completed)}
        if short == 0:
            message = gettext_noop("Every task done on time with quality, but the general criteria are not all met: %(level)s.")
        else:
            message = gettext_noop("%(short)s %% of tasks short on progress or quality (at most %(allowed)s %% allowed): %(level)s.")
        lines.append(Criterion("level", message, citations[Level.COMPLETED], params, True, parameter="short_share_for_completed"))
    elif short_share > parameters.short_share_for_not_completed:
        level = Level.NOT_COMPLETED
        params = {"level": level, "short": _percent(short_share), "limit": _percent(parameters.short_share_for_not_completed)}
        message = gettext_noop("%(short)s %% of tasks short on progress or quality (more than %(limit)s %%): %(level)s.")
        lines.append(Criterion("level", message, citations[Level.NOT_COMPLETED], params, False, parameter="short_share_for_not_completed"))
    else:
        level = parameters.gap_level
        params = {
            "level": level,
            "short": _percent(short_share),
            "allowed": _percent(parameters.short_share_for_completed),
            "limit": _percent(parameters.short_share_for_not_completed),
        }
        message = gettext_noop(
            "%(short)s %% of tasks short: above %(allowed)s %% (completed) but not above %(limit)s %% (not completed); the decree is silent, "
            "the criteria set gives %(level)s."
        )
        lines.append(Criterion("level", message, Citation(D90, parameter="gap_level"), params, None, parameter="gap_level"))
    if facts.is_leader:
        unit_level, unit_lines = rule_leader_unit_90(facts, parameters)
        lines += unit_lines
        level = min_level(level, unit_level)
    conduct_lines = rule_conduct(facts, CITE_90_DISCIPLINE)
    lines += conduct_lines
    return _finish(facts, Regime.DECREE_90, level, None, _percent(exceeded_share), lines, conduct_lines, presence_line, presence_cap, is_classified)


def rule_leader_unit_90(facts: PersonFacts, parameters: ScoringParameters) -> tuple[Level, list[Criterion]]:
    """A leader's unit results under Decree 90/2020/NĐ-CP (clause 2 of each level's article; domain rules A7):

    * HTXS: the unit meets every target, ≥ 50 % exceeded; 100 % of managed staff ≥ HT and ≥ 70 % HTT or HTXS;
    * HTT: every target met, ≥ 80 % on time; 100 % of managed staff ≥ HT and ≥ 70 % HTT or HTXS;
    * HT: more than 70 % of targets met; ≥ 70 % of managed staff ≥ HT;
    * otherwise KHT.

    The managed staff's levels are the levels proposed for them in the same period."""
    citations = _level_citations(facts.staff_type)
    unit = facts.unit
    if unit is None or unit.targets == 0:
        message = gettext_noop("No unit results measured for this leader: the level rests on their own tasks.")
        return Level.EXCELLENT, [Criterion("unit", message, citations[Level.COMPLETED], {}, None)]
    managed = len(unit.managed_levels)
    at_least_completed = _share(sum(LEVEL_RANK[level] >= LEVEL_RANK[Level.COMPLETED] for level in unit.managed_levels), managed) if managed else 1.0
    at_least_good = _share(sum(LEVEL_RANK[level] >= LEVEL_RANK[Level.GOOD] for level in unit.managed_levels), managed) if managed else 1.0
    met = _share(unit.targets_met, unit.targets)
    exceeded = _share(unit.targets_exceeded, unit.targets)
    on_time = _share(unit.targets_on_time, unit.targets)
    all_met = unit.targets_met == unit.targets
    staff_ok = at_least_completed == 1.0 and at_least_good >= parameters.leader_good_share
    if all_met and exceeded >= parameters.exceeded_share_for_excellent and staff_ok:
        level = Level.EXCELLENT
    elif all_met and on_time >= parameters.leader_on_time_share_for_good and staff_ok:
        level = Level.GOOD
    elif met > parameters.leader_targets_met_share_for_completed and at_least_completed >= parameters.leader_completed_share_for_completed:
        level = Level.COMPLETED
    else:
        level = Level.NOT_COMPLETED
    params = {
        "met": _percent(met),
        "exceeded": _percent(exceeded),
        "on_time": _percent(on_time),
        "completed": _percent(at_least_completed),
        "good": _percent(at_least_good),
        "managed": managed,
        "level": level,
    }
    message = gettext_noop(
        "Unit led: %(met)s %% of targets met, %(exceeded)s %% exceeded, %(on_time)s %% on time; of %(managed)s managed staff, %(completed)s %% "
        "at least completed and %(good)s %% good or excellent: the unit supports at most %(level)s."
    )
    passed = level != Level.NOT_COMPLETED
    return level, [Criterion("unit", message, citations[level], params, passed, parameter="leader_good_share")]


def assess(facts: PersonFacts, parameters: ScoringParameters) -> Assessment:
    """The proposed classification of ``facts`` under their regime (``PersonFacts.chosen_regime``)."""
    regime = facts.chosen_regime
    if regime in SCORED_REGIMES:
        return assess_335(facts, parameters, regime)
    return assess_90(facts, parameters)


# --------------------------------------------------------------------------------------------- quota


@dataclass(frozen=True)
class QuotaCandidate:
    key: str
    level: Level | None
    rank_score: float
    agency_id: int
    peer_group: str
    # Second key for ties on rank_score: the task-results points (335) or the share of tasks on time (90/2020).
    tie_score: float = 0.0


@dataclass(frozen=True)
class QuotaDrop:
    """One person moved from HTXS to HTT by the quota, with the group that was over the cap."""

    key: str
    scope: str  # "peer_group" or "agency"
    group: str
    excellent_before: int
    good_before: int
    allowed: int
    rank_score: float
    is_tie: bool
    regime: Regime = Regime.DECREE_335

    @property
    def message(self) -> str:
        if self.scope == "peer_group":
            return gettext_noop(
                "Peer group %(group)s had %(excellent)s excellent for %(good)s good; at most %(ratio)s %% of good may be excellent. "
                "Lowest score (%(score)s) among the excellent: moved to good."
            )
        return gettext_noop(
            "The agency had %(excellent)s excellent for %(good)s good; at most %(ratio)s %% of good may be excellent. "
            "Lowest score (%(score)s) among the excellent: moved to good."
        )

    def reason(self, cap_ratio: float, language: str | None = None) -> str:
        if language is not None:
            with translation.override(language):
                return self.reason(cap_ratio)
        text = gettext(self.message) % {
            "group": self.group,
            "excellent": self.excellent_before,
            "good": self.good_before,
            "ratio": _display(cap_ratio * 100),
            "score": _display(self.rank_score),
        }
        if self.is_tie:
            text += " " + gettext("Tied with another person: the lower task-results figure, then the staff code, decided; the decider may swap them.")
        return text

    @property
    def citation(self) -> Citation:
        return QUOTA_CITATIONS[self.regime]

    def as_record(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "scope": self.scope,
            "group": self.group,
            "excellent_before": self.excellent_before,
            "good_before": self.good_before,
            "allowed": self.allowed,
            "rank_score": self.rank_score,
            "is_tie": self.is_tie,
            "regime": self.regime.value,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> QuotaDrop:
        values = {**record, "regime": Regime(record["regime"])}
        return cls(**values)


@dataclass(frozen=True)
class QuotaGroupCheck:
    """How one group (a peer group of an agency, or the agency) fared against the ceiling: whether it was capped on
    its own, and how many moved."""

    scope: str  # "peer_group" or "agency"
    group: str
    members: int
    excellent: int
    good: int
    is_capped: bool
    moved: int

    def reason(self, cap_ratio: float, minimum_group_size: int, language: str | None = None) -> str:
        if language is not None:
            with translation.override(language):
                return self.reason(cap_ratio, minimum_group_size)
        values = {
            "group": self.group,
            "members": self.members,
            "excellent": self.excellent,
            "good": self.good,
            "ratio": _display(cap_ratio * 100),
            "minimum": max(2, minimum_group_size),
            "moved": self.moved,
        }
        if not self.is_capped and self.scope == "agency":
            return gettext("The agency has a single person here: a group of one never forces a move.") % values
        if not self.is_capped:
            return (
                gettext(
                    "Group “%(group)s”: %(members)s people, fewer than the minimum of %(minimum)s, so it is not capped on its own "
                    "(it still counts in the agency's ceiling)."
                )
                % values
            )
        if self.scope == "agency" and self.moved:
            return gettext("The agency: %(members)s people, %(excellent)s excellent for %(good)s good, over %(ratio)s %%: %(moved)s move(s) to good.") % values
        if self.scope == "agency":
            return gettext("The agency: %(members)s people, %(excellent)s excellent for %(good)s good, within %(ratio)s %%.") % values
        if self.moved:
            return (
                gettext("Group “%(group)s”: %(members)s people, %(excellent)s excellent for %(good)s good, over %(ratio)s %%: %(moved)s move(s) to good.")
                % values
            )
        return gettext("Group “%(group)s”: %(members)s people, %(excellent)s excellent for %(good)s good, within %(ratio)s %%.") % values


@dataclass(frozen=True)
class QuotaOutcome:
    levels: dict[str, Level | None]
    drops: tuple[QuotaDrop, ...]
    groups: tuple[QuotaGroupCheck, ...] = ()


def excellent_allowed(excellent: int, good: int, cap_ratio: float) -> bool:
    """count(HTXS) ≤ cap_ratio × count(HTT) (Decree 335/2025/NĐ-CP Art. 20 cl. 5; Decree 233/2026/NĐ-CP Art. 12
    cl. 6; 48/2023 via the Party ratio): exact arithmetic, so 20 % of 10 good allows exactly 2."""
    return excellent <= Fraction(str(cap_ratio)) * good


def enforce_quota(candidates: Sequence[QuotaCandidate], cap_ratio: float, regime: Regime = Regime.DECREE_335, *, minimum_group_size: int = 2) -> QuotaOutcome:
    """Move people from HTXS to HTT until, within every peer group of each agency and then within each agency,
    count(HTXS) ≤ ``cap_ratio`` × count(HTT). The good count is taken after the moves (a person moved down counts
    as good), so the fewest people move.

    The decree applies the ceiling "within each group of civil servants with similar tasks" (Decree 335 Art. 20
    cl. 5(a)) without defining the group, so the group is an agency setting; a peer group of fewer than
    ``minimum_group_size`` people (and always a group of one, agency included) is not capped on its own: nobody is
    demoted for being alone in a job. Its people still count in the agency's ceiling.

    Who moves: the lowest ``rank_score`` first; on equal scores, the lower ``tie_score`` (task results), then the
    later staff code (``key``), so the outcome never depends on input order. A tie is flagged so the decider can
    choose otherwise. Peer groups come first because a move there also counts for the agency."""
    levels: dict[str, Level | None] = {candidate.key: candidate.level for candidate in candidates}
    drops: list[QuotaDrop] = []
    checks: list[QuotaGroupCheck] = []
    peer_groups: dict[tuple[int, str], list[QuotaCandidate]] = defaultdict(list)
    agencies: dict[int, list[QuotaCandidate]] = defaultdict(list)
    for candidate in candidates:
        agencies[candidate.agency_id].append(candidate)
        if candidate.peer_group:
            peer_groups[(candidate.agency_id, candidate.peer_group)].append(candidate)
    minimum = max(2, minimum_group_size)
    for (_agency, group), members in sorted(peer_groups.items()):
        if len(members) < minimum:
            checks.append(_check(members, levels, "peer_group", group, is_capped=False, moved=0))
            continue
        moved = _enforce_group(members, levels, cap_ratio, "peer_group", group, regime)
        checks.append(_check(members, levels, "peer_group", group, is_capped=True, moved=len(moved)))
        drops += moved
    for agency_id, members in sorted(agencies.items()):
        if len(members) < 2:
            checks.append(_check(members, levels, "agency", str(agency_id), is_capped=False, moved=0))
            continue
        moved = _enforce_group(members, levels, cap_ratio, "agency", str(agency_id), regime)
        checks.append(_check(members, levels, "agency", str(agency_id), is_capped=True, moved=len(moved)))
        drops += moved
    return QuotaOutcome(levels, tuple(drops), tuple(checks))


def _check(members: list[QuotaCandidate], levels: dict[str, Level | None], scope: str, group: str, *, is_capped: bool, moved: int) -> QuotaGroupCheck:
    excellent = sum(levels[member.key] is Level.EXCELLENT for member in members) + moved
    good = sum(levels[member.key] is Level.GOOD for member in members) - moved
    return QuotaGroupCheck(scope, group, len(members), excellent, good, is_capped, moved)


def _enforce_group(members: list[QuotaCandidate], levels: dict[str, Level | None], cap_ratio: float, scope: str, group: str, regime: Regime) -> list[QuotaDrop]:
    excellent = [member for member in members if levels[member.key] is Level.EXCELLENT]
    good = sum(levels[member.key] is Level.GOOD for member in members)
    if excellent_allowed(len(excellent), good, cap_ratio):
        return []
    # Lowest first; among equals the later code goes first (sorted descending on the key as the last criterion).
    order = sorted(excellent, key=lambda member: (member.rank_score, member.tie_score, _reverse_key(member.key)))
    drops = []
    count, good_count = len(excellent), good
    for index, member in enumerate(order):
        if excellent_allowed(count, good_count, cap_ratio):
            break
        neighbours = order[index + 1 : index + 2]
        is_tie = bool(neighbours) and neighbours[0].rank_score == member.rank_score
        drops.append(QuotaDrop(member.key, scope, group, len(excellent), good, _allowed(len(excellent) + good, cap_ratio), member.rank_score, is_tie, regime))
        levels[member.key] = Level.GOOD
        count -= 1
        good_count += 1
    return drops


def _allowed(excellent_plus_good: int, cap_ratio: float) -> int:
    """The largest x with x ≤ cap_ratio × (excellent_plus_good − x)."""
    ratio = Fraction(str(cap_ratio))
    return math.floor(ratio * excellent_plus_good / (1 + ratio))


def _reverse_key(key: str) -> tuple[int, ...]:
    return tuple(-ord(character) for character in key) + (0,)
