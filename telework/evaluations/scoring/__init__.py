"""Evaluation and classification of staff (đánh giá, xếp loại chất lượng) under the two legal regimes in force.

Pure Python over frozen dataclasses: no ORM, no request. The evaluation services gather the measured inputs (work
items assigned, done, on time, with major errors or delays) and the head's scores of the general criteria; this
module only scores, classifies and explains. Each criterion of a result carries its verdict, its points, the rule's
citation and a reason in Vietnamese and English (English message ids, translated through the app's ``.po`` file).

The regimes (articles as verified in ``docs/sources.md`` (Part 1)), chosen by ``regime_for``:

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

The package reads like the law it encodes: ``vocabulary`` (regimes, levels, ``regime_for``), ``citations`` (every
article, or the parameter standing for it), ``parameters``, ``facts`` (inputs), ``results`` (the breakdown),
``common`` (6-month rule, conduct), ``decree_335`` (Decree 335 and Decree 233, the 100-point score), ``decree_90``
(criteria per level) and ``quota``. Every public name is importable from ``telework.evaluations.scoring``.
"""

from __future__ import annotations

from telework.evaluations.scoring.citations import (
    APPEAL_CITATIONS,
    PARAMETER_LABELS,
    QUOTA_CITATIONS,
    SCORED_CITATIONS,
    Citation,
    ScoredCitations,
    parameter_label,
)
from telework.evaluations.scoring.common import rule_conduct, rule_presence
from telework.evaluations.scoring.decree_90 import assess_90, rule_leader_unit_90
from telework.evaluations.scoring.decree_335 import (
    TaskScore,
    annual_score,
    assess_233,
    assess_335,
    assess_335_year,
    level_for_score,
    rule_citizen_ratings,
    rule_head_cap_335,
    rule_leader_factors_335,
    task_score,
)
from telework.evaluations.scoring.facts import (
    CitizenRatings,
    Conduct,
    GeneralScores,
    LeaderFactors,
    PersonFacts,
    Presence,
    UnitResults,
    WorkResult,
    unit_results_from,
)
from telework.evaluations.scoring.parameters import GENERAL_CRITERIA, GENERAL_MAX, NO_WORK_MESSAGE, TASKS_MAX, ScoringParameters
from telework.evaluations.scoring.quota import QuotaCandidate, QuotaDrop, QuotaGroupCheck, QuotaOutcome, enforce_quota, excellent_allowed
from telework.evaluations.scoring.results import Assessment, Criterion
from telework.evaluations.scoring.vocabulary import (
    CIVIL_SERVANT,
    DECREE_233_IN_FORCE,
    DECREE_335_FIRST_YEAR,
    LEVEL_LABELS,
    LEVEL_RANK,
    PUBLIC_EMPLOYEE,
    REGIME_LABELS,
    SCORED_REGIMES,
    Level,
    Regime,
    level_label,
    min_level,
    regime_for,
)

__all__ = [
    "APPEAL_CITATIONS",
    "Assessment",
    "CIVIL_SERVANT",
    "Citation",
    "CitizenRatings",
    "Conduct",
    "Criterion",
    "DECREE_233_IN_FORCE",
    "DECREE_335_FIRST_YEAR",
    "GENERAL_CRITERIA",
    "GENERAL_MAX",
    "GeneralScores",
    "LEVEL_LABELS",
    "LEVEL_RANK",
    "LeaderFactors",
    "Level",
    "NO_WORK_MESSAGE",
    "PARAMETER_LABELS",
    "PUBLIC_EMPLOYEE",
    "PersonFacts",
    "Presence",
    "QUOTA_CITATIONS",
    "QuotaCandidate",
    "QuotaDrop",
    "QuotaGroupCheck",
    "QuotaOutcome",
    "REGIME_LABELS",
    "Regime",
    "SCORED_CITATIONS",
    "SCORED_REGIMES",
    "ScoredCitations",
    "ScoringParameters",
    "TASKS_MAX",
    "TaskScore",
    "UnitResults",
    "WorkResult",
    "annual_score",
    "assess",
    "assess_233",
    "assess_335",
    "assess_335_year",
    "assess_90",
    "enforce_quota",
    "excellent_allowed",
    "level_for_score",
    "level_label",
    "min_level",
    "parameter_label",
    "regime_for",
    "rule_citizen_ratings",
    "rule_conduct",
    "rule_head_cap_335",
    "rule_leader_factors_335",
    "rule_leader_unit_90",
    "rule_presence",
    "task_score",
    "unit_results_from",
]


def assess(facts: PersonFacts, parameters: ScoringParameters) -> Assessment:
    """The proposed classification of ``facts`` under their regime (``PersonFacts.chosen_regime``)."""
    regime = facts.chosen_regime
    if regime in SCORED_REGIMES:
        return assess_335(facts, parameters, regime)
    return assess_90(facts, parameters)
