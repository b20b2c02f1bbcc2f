"""What the rules answer: a breakdown line per criterion (reason, points, citation) and the proposed level."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from telework.evaluations.scoring.citations import Citation, parameter_label
from telework.evaluations.scoring.vocabulary import LEVEL_LABELS, Level, Regime


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
