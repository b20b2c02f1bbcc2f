"""Service-quality figures for a set of dossiers (a desk, a unit, an agency, the city; a day, a week, a month).

Plain data in, figures out — no ORM. Definitions (also in the indicator dictionary of ``docs/architecture.md``):

- **on time**: a returned dossier whose result came back no later than the legal due moment; an apology letter's
  new date does not make a late dossier on time (it is counted among apologies).
- **overdue**: returned after the legal due moment, or still open after the moment it is due now (``due_at``).
- **handling time against the deadline**: elapsed time from reception to return divided by the time the law
  allowed (reception to legal due), as a percentage; 100 % means exactly on the deadline.
- **online share**: fully or partly online dossiers among those received.
- **response rate**: rated dossiers among returned ones.
- **satisfaction shares**: each level's share among rated dossiers; **indicator averages**: each indicator's mean
  score (0–2) among the ratings that answered it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from telework.dossiers import indicators

FULLY_ONLINE = "fully_online"
PARTLY_ONLINE = "partly_online"


@dataclass(frozen=True)
class DossierFact:
    received_at: dt.datetime
    legal_due_at: dt.datetime
    due_at: dt.datetime
    returned_at: dt.datetime | None
    online_level: str
    apologies: int = 0
    level: str | None = None
    scores: Sequence[int | None] | None = None


@dataclass(frozen=True)
class Figures:
    received: int
    returned: int
    on_time: int
    overdue: int
    open_overdue: int
    apologies: int
    online: int
    rated: int
    handling_percent_total: float
    level_counts: dict[str, int] = field(default_factory=dict)
    indicator_sums: tuple[int, ...] = (0,) * indicators.INDICATOR_COUNT
    indicator_answers: tuple[int, ...] = (0,) * indicators.INDICATOR_COUNT

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.returned if self.returned else None

    @property
    def average_handling_percent(self) -> float | None:
        return self.handling_percent_total / self.returned if self.returned else None

    @property
    def online_share(self) -> float | None:
        return self.online / self.received if self.received else None

    @property
    def response_rate(self) -> float | None:
        return self.rated / self.returned if self.returned else None

    def level_share(self, level: str) -> float | None:
        return self.level_counts.get(level, 0) / self.rated if self.rated else None

    @property
    def satisfied_share(self) -> float | None:
        """Satisfied or very satisfied, among rated dossiers (the share SIPAS-style indices report)."""
        if not self.rated:
            return None
        return (self.level_counts.get(indicators.SATISFIED, 0) + self.level_counts.get(indicators.VERY_SATISFIED, 0)) / self.rated

    def indicator_average(self, number: int) -> float | None:
        answers = self.indicator_answers[number - 1]
        return self.indicator_sums[number - 1] / answers if answers else None


def _handling_percent(fact: DossierFact) -> float:
    assert fact.returned_at is not None
    allowed = (fact.legal_due_at - fact.received_at).total_seconds()
    used = (fact.returned_at - fact.received_at).total_seconds()
    if allowed <= 0:
        return 100.0 if used <= 0 else 200.0
    return 100.0 * max(used, 0.0) / allowed


def figures(facts: Iterable[DossierFact], *, now: dt.datetime) -> Figures:
    """The figures of ``facts`` as of ``now`` (open dossiers past their due moment count as overdue)."""
    received = returned = on_time = overdue = open_overdue = apologies = online = rated = 0
    handling_total = 0.0
    level_counts: dict[str, int] = {}
    sums = [0] * indicators.INDICATOR_COUNT
    answers = [0] * indicators.INDICATOR_COUNT
    for fact in facts:
        received += 1
        apologies += fact.apologies
        if fact.online_level in (FULLY_ONLINE, PARTLY_ONLINE):
            online += 1
        if fact.returned_at is not None:
            returned += 1
            handling_total += _handling_percent(fact)
            if fact.returned_at <= fact.legal_due_at:
                on_time += 1
            else:
                overdue += 1
        elif now > fact.due_at:
            overdue += 1
            open_overdue += 1
        if fact.level is not None:
            rated += 1
            level_counts[fact.level] = level_counts.get(fact.level, 0) + 1
            for index, score in enumerate(fact.scores or ()):
                if score is not None:
                    sums[index] += score
                    answers[index] += 1
    return Figures(
        received=received,
        returned=returned,
        on_time=on_time,
        overdue=overdue,
        open_overdue=open_overdue,
        apologies=apologies,
        online=online,
        rated=rated,
        handling_percent_total=handling_total,
        level_counts=level_counts,
        indicator_sums=tuple(sums),
        indicator_answers=tuple(answers),
    )


@dataclass(frozen=True)
class OfficerScore:
    """What the dossiers an officer handled say of them (Decree 61/2018: indicators 1, 2, 3, 4 and 7)."""

    dossiers: int
    rated: int
    earned: int
    possible: int

    @property
    def percent(self) -> float | None:
        return 100.0 * self.earned / self.possible if self.possible else None


def officer_score(ratings: Iterable[Sequence[int | None] | None]) -> OfficerScore:
    """``ratings``: one entry per dossier the officer handled — its nine scores, or None when it was not rated."""
    dossiers = rated = earned = possible = 0
    for scores in ratings:
        dossiers += 1
        if scores is None:
            continue
        rated += 1
        points, out_of = indicators.officer_points(scores)
        earned += points
        possible += out_of
    return OfficerScore(dossiers=dossiers, rated=rated, earned=earned, possible=possible)
