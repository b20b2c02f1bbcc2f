"""The ceiling of "excellent" levels, per agency and per group with similar tasks."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from telework.evaluations.scoring.citations import QUOTA_CITATIONS, Citation
from telework.evaluations.scoring.results import _display
from telework.evaluations.scoring.vocabulary import Level, Regime


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
    ``minimum_group_size`` rated people (and always a group of one, agency included) is not capped on its own:
    nobody is demoted for being alone in a job. Its people still count in the agency's ceiling.

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
        if _rated(members, levels) < minimum:
            checks.append(_check(members, levels, "peer_group", group, is_capped=False, moved=0))
            continue
        moved = _enforce_group(members, levels, cap_ratio, "peer_group", group, regime)
        checks.append(_check(members, levels, "peer_group", group, is_capped=True, moved=len(moved)))
        drops += moved
    for agency_id, members in sorted(agencies.items()):
        if _rated(members, levels) < 2:
            checks.append(_check(members, levels, "agency", str(agency_id), is_capped=False, moved=0))
            continue
        moved = _enforce_group(members, levels, cap_ratio, "agency", str(agency_id), regime)
        checks.append(_check(members, levels, "agency", str(agency_id), is_capped=True, moved=len(moved)))
        drops += moved
    return QuotaOutcome(levels, tuple(drops), tuple(checks))


def _check(members: list[QuotaCandidate], levels: dict[str, Level | None], scope: str, group: str, *, is_capped: bool, moved: int) -> QuotaGroupCheck:
    excellent = sum(levels[member.key] is Level.EXCELLENT for member in members) + moved
    good = sum(levels[member.key] is Level.GOOD for member in members) - moved
    return QuotaGroupCheck(scope, group, _rated(members, levels), excellent, good, is_capped, moved)


def _rated(members: list[QuotaCandidate], levels: dict[str, Level | None]) -> int:
    """The group's size for the minimum: the people with a level (someone not rated does not make a group bigger)."""
    return sum(levels[member.key] is not None for member in members)


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
