"""Where each rule comes from: the decree, article and clause as verified, or the named parameter that carries a rule
whose article was not verified (never "article not verified")."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from telework.evaluations.scoring.vocabulary import PUBLIC_EMPLOYEE, Level, Regime

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
    "citizen_ratings_share": gettext_noop("Share of citizens' Decree-61 points in the quality of task results"),
    "citizen_ratings_minimum": gettext_noop("Rated dossiers needed before citizens' points count"),
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
D61 = "61/2018/NĐ-CP"
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
# Decree 61/2018 Art. 32: citizens' evaluations are used in appraising staff; how they enter the score is the
# criteria set's parameter (the decree gives no formula).
CITE_61_CITIZEN_RATINGS = Citation(D61, parameter="citizen_ratings_share")

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
