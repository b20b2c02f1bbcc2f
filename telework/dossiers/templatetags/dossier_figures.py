"""Figures as a reader writes them: a share as "93,5 %", nothing as "—" (never a misleading 0)."""

from __future__ import annotations

from django import template

from telework.core.numbers import format_decimal, format_percent
from telework.dossiers.quality import Figures

register = template.Library()


@register.filter
def share(value: float | None) -> str:
    return "—" if value is None else format_percent(value)


@register.filter
def level_share(figures: Figures, level: str) -> str:
    return share(figures.level_share(level))


@register.filter
def indicator_average(figures: Figures, number: int) -> str:
    value = figures.indicator_average(number)
    return "—" if value is None else format_decimal(value, 2)


@register.filter
def handling(value: float | None) -> str:
    return "—" if value is None else f"{format_decimal(value, 0)} %"
