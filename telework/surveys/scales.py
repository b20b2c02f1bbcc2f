"""The questions and the arithmetic of both surveys, as plain data: no ORM, no request.

Citizens' survey: the five factors of SIPAS, the Ministry of Home Affairs' satisfaction index of public
administrative services (Decision 1001/QĐ-BNV of 11/12/2023 sets the 2023–2026 method; the five factors are access
to services, the procedure, the civil servant, the result, and the handling of feedback), each asked in a few plain
words on a 5-point scale. "Satisfied" means 4 or 5, as SIPAS counts satisfied and very satisfied together.

Staff pulse survey: the WHO-5 Well-Being Index (WHO Regional Office for Europe, 1998: five items scored 0–5, the
raw sum ×4 gives 0–100; 50 or less suggests poor well-being), four job-stress items, one item on time for family
and personal life and one on the intention to stay (1–5 each).

Small groups are never shown (``fold_groups``): a group under the minimum is folded into the level above, and when
what is folded would itself be small enough to work out by subtraction, the next-smallest group is folded too.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SCALE_LOW = 1
SCALE_HIGH = 5
SATISFIED_FROM = 4
WHO5_ITEM_HIGH = 5
WHO5_MULTIPLIER = 4
WHO5_POOR_AT_MOST = 50


class InvalidAnswers(ValueError):
    """An answer sheet that is missing answers or holds values outside the scale."""


@dataclass(frozen=True)
class Question:
    key: str
    text: Any  # a lazy translation


@dataclass(frozen=True)
class Factor:
    key: str
    label: Any
    questions: tuple[Question, ...]


FACTORS: tuple[Factor, ...] = (
    Factor(
        "access",
        _("Access to the service"),
        (
            Question("access_place", _("The office was easy to find and to reach, and the waiting place was comfortable.")),
            Question("access_online", _("I could find out how to apply and submit online without difficulty.")),
        ),
    ),
    Factor(
        "procedure",
        _("The procedure"),
        (
            Question("procedure_public", _("The papers, fees and time limit were published and clear.")),
            Question("procedure_simple", _("The papers I was asked for were reasonable and the form was easy to fill in.")),
        ),
    ),
    Factor(
        "civil_servant",
        _("The civil servant"),
        (
            Question("servant_attitude", _("The civil servant was polite and listened to me.")),
            Question("servant_guidance", _("The civil servant explained clearly and asked for nothing beyond the rules.")),
        ),
    ),
    Factor(
        "result",
        _("The result"),
        (
            Question("result_on_time", _("I received the result on or before the promised date.")),
            Question("result_correct", _("The result was correct and complete.")),
        ),
    ),
    Factor(
        "feedback",
        _("Handling of feedback"),
        (
            Question("feedback_channel", _("I knew where to send a suggestion or a complaint.")),
            Question("feedback_answered", _("Suggestions and complaints are answered properly and in time.")),
        ),
    ),
)

CITIZEN_QUESTION_KEYS: tuple[str, ...] = tuple(question.key for factor in FACTORS for question in factor.questions)

AGREEMENT_LABELS: dict[int, Any] = {
    1: _("Very dissatisfied"),
    2: _("Dissatisfied"),
    3: _("Neither"),
    4: _("Satisfied"),
    5: _("Very satisfied"),
}

# --------------------------------------------------------------------------------------------- staff pulse survey

WHO5_ITEMS: tuple[Question, ...] = (
    Question("who5_cheerful", _("I have felt cheerful and in good spirits.")),
    Question("who5_calm", _("I have felt calm and relaxed.")),
    Question("who5_active", _("I have felt active and vigorous.")),
    Question("who5_rested", _("I woke up feeling fresh and rested.")),
    Question("who5_interest", _("My daily life has been filled with things that interest me.")),
)
WHO5_LABELS: dict[int, Any] = {
    5: _("All of the time"),
    4: _("Most of the time"),
    3: _("More than half of the time"),
    2: _("Less than half of the time"),
    1: _("Some of the time"),
    0: _("At no time"),
}
STRESS_ITEMS: tuple[Question, ...] = (
    Question("stress_time", _("I have been under pressure from tight time limits.")),
    Question("stress_load", _("My workload has been too heavy.")),
    Question("stress_switch_off", _("I have found it hard to switch off from work.")),
    Question("stress_tense", _("I have felt tense or nervous at work.")),
)
FREQUENCY_LABELS: dict[int, Any] = {1: pgettext_lazy("how often", "Never"), 2: _("Rarely"), 3: _("Sometimes"), 4: _("Often"), 5: _("Very often")}
BALANCE_ITEM = Question("balance", _("I have enough time for my family and my personal life."))
STAY_ITEM = Question("stay", _("I intend to keep working in this agency for the next year at least."))
AGREE_LABELS: dict[int, Any] = {
    1: _("Strongly disagree"),
    2: _("Disagree"),
    3: _("Neither agree nor disagree"),
    4: _("Agree"),
    5: _("Strongly agree"),
}
PULSE_KEYS: tuple[str, ...] = tuple(item.key for item in (*WHO5_ITEMS, *STRESS_ITEMS, BALANCE_ITEM, STAY_ITEM))


def _checked(answers: Mapping[str, Any], keys: Sequence[str], low: int, high: int) -> dict[str, int]:
    checked: dict[str, int] = {}
    for key in keys:
        value = answers.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidAnswers(f"{key} must be a whole number from {low} to {high}")
        checked[key] = value
    return checked


def check_citizen_answers(answers: Mapping[str, Any]) -> dict[str, int]:
    """Every citizen question answered 1–5; nothing else kept."""
    return _checked(answers, CITIZEN_QUESTION_KEYS, SCALE_LOW, SCALE_HIGH)


def check_pulse_answers(answers: Mapping[str, Any]) -> dict[str, int]:
    """WHO-5 items 0–5, the other items 1–5; nothing else kept."""
    who5 = _checked(answers, [item.key for item in WHO5_ITEMS], 0, WHO5_ITEM_HIGH)
    rest = _checked(answers, [item.key for item in (*STRESS_ITEMS, BALANCE_ITEM, STAY_ITEM)], SCALE_LOW, SCALE_HIGH)
    return who5 | rest


def who5_score(answers: Mapping[str, int]) -> int:
    """The WHO-5 well-being score, 0–100: the sum of the five 0–5 items times four."""
    return sum(answers[item.key] for item in WHO5_ITEMS) * WHO5_MULTIPLIER


def stress_score(answers: Mapping[str, int]) -> float:
    """Job stress on 0–100: the mean of the four 1–5 items rescaled (0 = never, 100 = very often on every item)."""
    mean = sum(answers[item.key] for item in STRESS_ITEMS) / len(STRESS_ITEMS)
    return (mean - SCALE_LOW) / (SCALE_HIGH - SCALE_LOW) * 100


# ------------------------------------------------------------------------------------------------------ figures


@dataclass(frozen=True)
class FactorFigure:
    factor: Factor
    mean: float | None
    share_satisfied: float | None  # 0–1: answers of 4 or 5 among all the factor's answers


def factor_figures(responses: Sequence[Mapping[str, int]]) -> list[FactorFigure]:
    """Per SIPAS factor: the mean answer (1–5) and the share of answers that are satisfied or very satisfied."""
    figures = []
    for factor in FACTORS:
        values = [response[question.key] for response in responses for question in factor.questions if question.key in response]
        if not values:
            figures.append(FactorFigure(factor, None, None))
            continue
        figures.append(FactorFigure(factor, sum(values) / len(values), sum(1 for value in values if value >= SATISFIED_FROM) / len(values)))
    return figures


def response_rate(responses: int, target: int) -> float | None:
    """Responses against the planned sample (may pass 1 when more people answered than planned)."""
    return responses / target if target > 0 else None


@dataclass(frozen=True)
class PulseFigure:
    responses: int
    who5_mean: float
    who5_poor_share: float  # 0–1: WHO-5 of 50 or less
    stress_mean: float
    balance_share: float  # 0–1: agree or strongly agree
    stay_share: float


def pulse_figure(responses: Sequence[Mapping[str, int]]) -> PulseFigure:
    """The pulse figures of one group (the caller makes sure the group is large enough to show)."""
    count = len(responses)
    if count == 0:
        raise InvalidAnswers("no responses")
    scores = [who5_score(response) for response in responses]
    return PulseFigure(
        responses=count,
        who5_mean=sum(scores) / count,
        who5_poor_share=sum(1 for score in scores if score <= WHO5_POOR_AT_MOST) / count,
        stress_mean=sum(stress_score(response) for response in responses) / count,
        balance_share=sum(1 for response in responses if response[BALANCE_ITEM.key] >= SATISFIED_FROM) / count,
        stay_share=sum(1 for response in responses if response[STAY_ITEM.key] >= SATISFIED_FROM) / count,
    )


Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Folding(Generic[Key]):
    shown: dict[Key, int]  # group → size, each at least the minimum
    folded: tuple[Key, ...]  # groups not shown; their answers count only in the level above
    folded_count: int


def fold_groups(sizes: Mapping[Key, int], minimum: int) -> Folding[Key]:
    """Which groups may be shown on their own. A group under ``minimum`` is folded into the level above; if the
    folded answers together are fewer than ``minimum`` (but some), anyone could work them out as the level's total
    minus the shown groups, so the smallest shown group is folded too, until the folded part is empty or large
    enough. Ties fold the group that sorts first by its key's text, so the result does not depend on order."""
    shown = {key: size for key, size in sizes.items() if size >= minimum}
    folded = [key for key, size in sizes.items() if 0 < size < minimum]
    folded_count = sum(sizes[key] for key in folded)
    while 0 < folded_count < minimum and shown:
        smallest = min(shown, key=lambda key: (shown[key], str(key)))
        folded_count += shown.pop(smallest)
        folded.append(smallest)
    return Folding(shown=shown, folded=tuple(sorted(folded, key=str)), folded_count=folded_count)
