"""The words of the rules: the legal regimes, the four levels, and which regime applies to whom and when."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils import translation
from django.utils.translation import gettext, gettext_noop


class Regime(StrEnum):
    DECREE_335 = "decree_335_2025"
    DECREE_233 = "decree_233_2026"
    DECREE_90 = "decree_90_2020"


SCORED_REGIMES = frozenset({Regime.DECREE_335, Regime.DECREE_233})
"""The regimes scored out of 100 (30 general + 70 task results)."""


class Level(StrEnum):
    EXCELLENT = "excellent"  # Hoàn thành xuất sắc nhiệm vụ (HTXS)
    GOOD = "good"  # Hoàn thành tốt nhiệm vụ (HTT)
    COMPLETED = "completed"  # Hoàn thành nhiệm vụ (HT)
    NOT_COMPLETED = "not_completed"  # Không hoàn thành nhiệm vụ (KHT)


LEVEL_RANK: dict[Level, int] = {Level.EXCELLENT: 3, Level.GOOD: 2, Level.COMPLETED: 1, Level.NOT_COMPLETED: 0}
LEVEL_LABELS: dict[Level, str] = {
    Level.EXCELLENT: gettext_noop("Excellent (HTXS)"),
    Level.GOOD: gettext_noop("Good (HTT)"),
    Level.COMPLETED: gettext_noop("Completed (HT)"),
    Level.NOT_COMPLETED: gettext_noop("Not completed (KHT)"),
}
REGIME_LABELS: dict[Regime, str] = {
    Regime.DECREE_335: gettext_noop("Decree 335/2025/NĐ-CP (100-point score)"),
    Regime.DECREE_233: gettext_noop("Decree 233/2026/NĐ-CP, public employees (100-point score)"),
    Regime.DECREE_90: gettext_noop("Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP (criteria per level)"),
}

CIVIL_SERVANT = "cong_chuc"  # telework.organization.models.StaffType.CONG_CHUC
PUBLIC_EMPLOYEE = "vien_chuc"  # telework.organization.models.StaffType.VIEN_CHUC
DECREE_335_FIRST_YEAR = 2026
"""Decree 335/2025/NĐ-CP is in force from 01/01/2026 (Art. 27 cl. 1)."""
DECREE_233_IN_FORCE = dt.date(2026, 7, 1)
"""Decree 233/2026/NĐ-CP is in force from 01/07/2026; Decree 90/2020/NĐ-CP ends then (Art. 19 cl. 2)."""


def level_label(level: Level | str | None, language: str | None = None) -> str:
    """The level's name in ``language`` (or the active language); "not classified" for ``None``."""
    message = LEVEL_LABELS[Level(level)] if level else gettext_noop("Not classified")
    if language is None:
        return gettext(message)
    with translation.override(language):
        return gettext(message)


def min_level(first: Level, second: Level) -> Level:
    return first if LEVEL_RANK[first] <= LEVEL_RANK[second] else second


def regime_for(staff_type: str, year: int, *, starts_on: dt.date | None = None, ends_on: dt.date | None = None, has_own_regulation: bool = False) -> Regime:
    """The legal regime that classifies a person of ``staff_type`` for a period (the whole ``year`` by default).

    * Công chức from 2026 → Decree 335/2025/NĐ-CP (Art. 27 cl. 1: in force 01/01/2026; it repeals Decree 90/2020's
      rules for công chức). Earlier years → Decree 90/2020/NĐ-CP as amended by Decree 48/2023/NĐ-CP.
    * Everyone else (viên chức; contract staff are classified alongside them): a period from 01/07/2026 → Decree
      233/2026/NĐ-CP; a period ending before → Decree 90/2020/NĐ-CP (which ends on 01/07/2026, Decree 233 Art. 19
      cl. 2). A period across that date — the end-2026 rating — stays under Decree 90/2020 unless the agency has its
      own regulation under Decree 233 (Art. 20 cl. 1: ``has_own_regulation``).
    """
    starts_on = starts_on or dt.date(year, 1, 1)
    ends_on = ends_on or dt.date(year, 12, 31)
    if staff_type == CIVIL_SERVANT:
        return Regime.DECREE_335 if starts_on.year >= DECREE_335_FIRST_YEAR else Regime.DECREE_90
    if starts_on >= DECREE_233_IN_FORCE:
        return Regime.DECREE_233
    if ends_on < DECREE_233_IN_FORCE:
        return Regime.DECREE_90
    return Regime.DECREE_233 if has_own_regulation else Regime.DECREE_90
