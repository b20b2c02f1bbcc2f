"""Every figure of the rules, with its source (a criteria set stores the ones it changes)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from telework.evaluations.scoring.vocabulary import Level


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
    # Decree 61/2018 Art. 32 says citizens' per-dossier evaluations are used in appraising the staff who handled them,
    # without a formula. When an agency opts in, the product's documented choice: the quality of task results (b)
    # becomes (1 − share) × the quality from major errors + share × the officer's Decree-61 points (indicators 1, 2,
    # 3, 4, 7) in %, once at least ``citizen_ratings_minimum`` of the dossiers they handled were rated.
    citizen_ratings_share: float = 0.20
    citizen_ratings_minimum: int = 5
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
        if not 0 <= self.citizen_ratings_share <= 1 or self.citizen_ratings_minimum < 1:
            raise ValueError("citizen_ratings_share is a share between 0 and 1 and citizen_ratings_minimum at least 1")
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
