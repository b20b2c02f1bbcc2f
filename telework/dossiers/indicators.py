"""The per-dossier evaluation citizens and businesses give (Decree 61/2018/NĐ-CP Art. 31; Circular 01/2018/TT-VPCP,
form "Bảng đánh giá việc giải quyết thủ tục hành chính"): nine indicators scored 0–2 and three satisfaction levels.

The officer's share of it (indicators 1, 2, 3, 4 and 7: time, time per agency, contacts, agencies contacted,
attitude) feeds their task-completion rating (Decree 61/2018 Art. 32). Sources: ``docs/sources.md``; what is not
verified for Decree 118/2025 is said there too. Pure Python: no ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

StrOrPromise = str | Promise
INDICATOR_COUNT = 9
MAX_POINTS = 2
# Indicators (1-based, as the form numbers them) that describe the officer's own handling.
OFFICER_INDICATORS = (1, 2, 3, 4, 7)

VERY_SATISFIED = "very_satisfied"
SATISFIED = "satisfied"
NOT_SATISFIED = "not_satisfied"
LEVELS = (VERY_SATISFIED, SATISFIED, NOT_SATISFIED)
LEVEL_LABELS = {
    VERY_SATISFIED: pgettext_lazy("satisfaction", "Very satisfied"),
    SATISFIED: pgettext_lazy("satisfaction", "Satisfied"),
    NOT_SATISFIED: pgettext_lazy("satisfaction", "Not satisfied"),
}


@dataclass(frozen=True)
class Indicator:
    number: int
    label: StrOrPromise  # what the form measures, for reports
    question: StrOrPromise  # the same in plain words, for the citizen's page
    answers: tuple[StrOrPromise, StrOrPromise, StrOrPromise]  # what 0, 1 and 2 points mean, in plain words


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        1,
        _("Total handling time against the legal deadline"),
        _("Did you get the result on time?"),
        (_("Late"), _("On the day promised"), _("Earlier than promised")),
    ),
    Indicator(
        2,
        _("Time taken by each agency involved"),
        _("Did each office involved keep to its time?"),
        (_("Some office was late"), _("Every office on time"), _("Every office early")),
    ),
    Indicator(
        3,
        _("Times the applicant had to contact the desk to complete the dossier"),
        _("How many times did you have to come back to complete your dossier?"),
        (_("More than once"), _("Once"), _("Never")),
    ),
    Indicator(
        4,
        _("Agencies the applicant had to contact"),
        _("How many offices did you have to deal with?"),
        (_("More than one besides this desk"), _("One besides this desk"), _("Only this desk")),
    ),
    Indicator(
        5,
        _("Reception and return at the one-stop desk"),
        _("Was your dossier received and returned at the one-stop desk (or online)?"),
        (_("No"), _("Partly"), _("Yes")),
    ),
    Indicator(
        6,
        _("The procedure was published"),
        _("Was the procedure (papers, fees, time) published where you could read it?"),
        (_("No"), _("Partly"), _("Yes, fully")),
    ),
    Indicator(
        7,
        _("Staff attitude"),
        _("How did the staff treat you?"),
        (_("Poorly"), _("Correctly"), _("Courteously and helpfully")),
    ),
    Indicator(
        8,
        _("Feedback and complaints taken up"),
        _("If you raised a question or complaint, was it answered?"),
        (_("Not answered"), _("Answered late"), _("Answered promptly, or I had none")),
    ),
    Indicator(
        9,
        _("Progress and quality of the online service"),
        _("If you used the online service, did it work well?"),
        (_("Poorly"), _("Acceptably"), _("Well, or I did not use it")),
    ),
)


class InvalidRating(ValueError):
    """A rating that is not one of the form's answers (the message is an English message id)."""


def check_scores(scores: Sequence[int | None]) -> tuple[int | None, ...]:
    """The nine indicator scores as the form allows them: each 0, 1 or 2, or None when the citizen skipped it."""
    if len(scores) != INDICATOR_COUNT:
        raise InvalidRating(gettext_noop("A rating has nine indicators."))
    checked: list[int | None] = []
    for score in scores:
        if score is None:
            checked.append(None)
        elif isinstance(score, int) and not isinstance(score, bool) and 0 <= score <= MAX_POINTS:
            checked.append(score)
        else:
            raise InvalidRating(gettext_noop("Each indicator is scored 0, 1 or 2."))
    return tuple(checked)


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise InvalidRating(gettext_noop("The satisfaction level is one of: very satisfied, satisfied, not satisfied."))
    return level


def officer_points(scores: Sequence[int | None]) -> tuple[int, int]:
    """Points the officer earned on indicators 1, 2, 3, 4 and 7, and the points possible on those answered."""
    earned = possible = 0
    for number in OFFICER_INDICATORS:
        score = scores[number - 1]
        if score is not None:
            earned += score
            possible += MAX_POINTS
    return earned, possible
