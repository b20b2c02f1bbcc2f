"""Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP: criteria per level, for staff and for leaders."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from telework.evaluations.scoring.citations import CITE_61_CITIZEN_RATINGS, CITE_90_DISCIPLINE, CITE_90_GENERAL, D90, Citation, _level_citations
from telework.evaluations.scoring.common import _finish, rule_conduct, rule_presence
from telework.evaluations.scoring.decree_335 import _check_general
from telework.evaluations.scoring.facts import PersonFacts
from telework.evaluations.scoring.parameters import GENERAL_CRITERIA, NO_WORK_MESSAGE, ScoringParameters
from telework.evaluations.scoring.results import Assessment, Criterion, _round
from telework.evaluations.scoring.vocabulary import LEVEL_RANK, Level, Regime, min_level


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
    if facts.citizen_ratings is not None:
        ratings = facts.citizen_ratings
        message = gettext_noop(
            "Citizens' evaluations (Decree 61, indicators 1, 2, 3, 4 and 7): %(rated)s of the %(dossiers)s dossiers handled were rated, %(earned)s of "
            "%(possible)s points. Decree 90/2020 rates by criteria, not points: for the head to weigh, not counted."
        )
        params = {"rated": ratings.rated, "dossiers": ratings.dossiers, "earned": ratings.earned, "possible": ratings.possible}
        lines.append(Criterion("tasks.citizen_ratings", message, CITE_61_CITIZEN_RATINGS, params, None))
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
