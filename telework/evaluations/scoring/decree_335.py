"""Decree 335/2025/NĐ-CP (công chức) and Decree 233/2026/NĐ-CP (viên chức): the 100-point score."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_noop

from telework.evaluations.scoring.citations import CITE_61_CITIZEN_RATINGS, CITE_335_FORMULA, CITE_335_HEAD_CAP, CITE_335_LEADER_FACTORS, SCORED_CITATIONS
from telework.evaluations.scoring.common import _finish, rule_conduct, rule_presence
from telework.evaluations.scoring.facts import CitizenRatings, GeneralScores, PersonFacts, WorkResult
from telework.evaluations.scoring.parameters import GENERAL_CRITERIA, GENERAL_MAX, NO_WORK_MESSAGE, TASKS_MAX, ScoringParameters
from telework.evaluations.scoring.results import Assessment, Criterion, _round
from telework.evaluations.scoring.vocabulary import Level, Regime, min_level


@dataclass(frozen=True)
class TaskScore:
    quantity_percent: float
    quality_percent: float
    progress_percent: float
    points: float


def task_score(work: Sequence[WorkResult], parameters: ScoringParameters, *, citizen_percent: float | None = None) -> TaskScore:
    """The task-results points out of 70 (Decree 335/2025/NĐ-CP Art. 14), over the items' converted points.

    (a) quantity % = points of the items done / points assigned; (b) quality % = over the items done, each keeps
    its points less ``error_penalty`` per counted major error (never below zero); (c) progress % = the same with
    ``delay_penalty`` per counted delay. Errors and delays due to objective causes are not counted. The 70 points are
    the weighted mean of a, b, c (parameters ``*_weight``; the decree does not give the combination). Nothing done:
    quality and progress are 0 %.

    ``citizen_percent`` (only when the agency opted in and enough dossiers were rated, ``rule_citizen_ratings``): the
    officer's Decree-61 points in %; quality becomes (1 − ``citizen_ratings_share``) × quality +
    ``citizen_ratings_share`` × those points."""
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
        if citizen_percent is not None:
            share = parameters.citizen_ratings_share
            quality = (1 - share) * quality + share * citizen_percent
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
    citizen_percent, citizen_lines = rule_citizen_ratings(facts.citizen_ratings, parameters)
    lines += citizen_lines
    tasks = task_score(facts.work, parameters, citizen_percent=citizen_percent)
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


def rule_citizen_ratings(ratings: CitizenRatings | None, parameters: ScoringParameters) -> tuple[float | None, list[Criterion]]:
    """The citizens' Decree-61 points of the dossiers the person handled, when their agency opted in (Decree 61/2018
    Art. 32: used in appraising the staff; the formula is the criteria set's ``citizen_ratings_share``): the points
    in % that enter the quality of task results, or None (not opted in, or fewer rated dossiers than
    ``citizen_ratings_minimum``: shown, not counted)."""
    if ratings is None:
        return None, []
    params = {
        "dossiers": ratings.dossiers,
        "rated": ratings.rated,
        "earned": ratings.earned,
        "possible": ratings.possible,
        "percent": _round(ratings.percent) if ratings.percent is not None else 0.0,
        "share": _round(parameters.citizen_ratings_share * 100),
        "minimum": parameters.citizen_ratings_minimum,
    }
    if ratings.percent is None or ratings.rated < parameters.citizen_ratings_minimum:
        message = gettext_noop(
            "Citizens' evaluations (Decree 61, indicators 1, 2, 3, 4 and 7): %(rated)s of the %(dossiers)s dossiers handled were rated, fewer than "
            "%(minimum)s: shown, not counted in the score."
        )
        return None, [Criterion("tasks.citizen_ratings", message, CITE_61_CITIZEN_RATINGS, params, None, None, None, "citizen_ratings_minimum")]
    message = gettext_noop(
        "Citizens' evaluations (Decree 61, indicators 1, 2, 3, 4 and 7): %(rated)s of the %(dossiers)s dossiers handled were rated, "
        "%(earned)s of %(possible)s points (%(percent)s %%); they make %(share)s %% of the quality below."
    )
    return ratings.percent, [
        Criterion("tasks.citizen_ratings", message, CITE_61_CITIZEN_RATINGS, params, None, _round(ratings.percent), 100.0, "citizen_ratings_share")
    ]


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
