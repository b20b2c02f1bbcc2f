"""Reads of the outcome panel, scoped by the viewer: one unit's last weeks per indicator (the unit page and its
Excel file). Values are shown as a person reads them (percentages, decimals in the Vietnamese way)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils.formats import number_format

from telework.accounts.types import Viewer
from telework.core import clock
from telework.organization.models import Unit
from telework.outcomes import indicators, permissions
from telework.outcomes.indicators import Indicator
from telework.outcomes.models import OutcomeValue

WEEKS_SHOWN = 12


def panel_units(viewer: Viewer) -> QuerySet[Unit]:
    return permissions.panel_units(viewer).select_related("agency").order_by("agency__name", "path", "name")


def unit_for(viewer: Viewer, unit_id: int) -> Unit:
    """The unit when ``viewer`` reads its panel; 404 otherwise (an id the viewer may not see does not exist)."""
    unit = permissions.panel_units(viewer).select_related("agency").filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def display(indicator: Indicator, value: float | None) -> str:
    """The value as a person reads it ("72,5 %", "0,84", "3")."""
    if value is None:
        return "—"
    if indicator.unit == indicators.SHARE:
        return f"{number_format(round(value * 100, 1), decimal_pos=1)} %"
    if indicator.unit == indicators.COUNT:
        return number_format(round(value), decimal_pos=0)
    if indicator.unit in (indicators.RATIO, indicators.PER_FTE):
        return number_format(round(value, 2), decimal_pos=2)
    return number_format(round(value, 1), decimal_pos=1)


@dataclass(frozen=True)
class PanelRow:
    indicator: Indicator
    values: list[float | None]  # one per week, oldest first

    @property
    def shown(self) -> list[str]:
        return [display(self.indicator, value) for value in self.values]

    @property
    def has_data(self) -> bool:
        return any(value is not None for value in self.values)


@dataclass(frozen=True)
class UnitPanel:
    unit: Unit
    weeks: list[dt.date]
    rows: list[PanelRow]


def last_weeks(count: int = WEEKS_SHOWN, today: dt.date | None = None) -> list[dt.date]:
    today = today or clock.today()
    this_monday = today - dt.timedelta(days=today.weekday())
    return [this_monday - dt.timedelta(weeks=count - 1 - index) for index in range(count)]


def unit_panel(viewer: Viewer, unit_id: int) -> UnitPanel:
    """The last twelve weeks of every indicator of one unit in the viewer's scope (one query for the values)."""
    unit = unit_for(viewer, unit_id)
    weeks = last_weeks()
    found: dict[tuple[str, dt.date], float] = {
        (code, week): value
        for code, week, value in OutcomeValue.objects.filter(unit=unit, week__gte=weeks[0], week__lte=weeks[-1]).values_list("indicator", "week", "value")
    }
    rows = [PanelRow(item, [found.get((code, week)) for week in weeks]) for code, item in indicators.INDICATORS.items()]
    return UnitPanel(unit=unit, weeks=weeks, rows=rows)
