"""Rules shared by every regime: who is rated in a year, and the conduct that forces "not completed"."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from telework.evaluations.scoring.citations import CITE_PRESENCE, SCORED_CITATIONS, Citation
from telework.evaluations.scoring.facts import PersonFacts, Presence
from telework.evaluations.scoring.parameters import ScoringParameters
from telework.evaluations.scoring.results import Assessment, Criterion
from telework.evaluations.scoring.vocabulary import Level, Regime, min_level


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
